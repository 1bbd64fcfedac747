#pragma once

#include "Page.h"

#include <QTimer>

class QLabel;
class QLineEdit;
class QProgressBar;
class QStackedWidget;
class QTableView;
class QToolBar;

namespace rk {

class InlineBanner;

// The frame every table page shares: a title with a summary ("42 users"), a toolbar of the
// page's actions, a filter field that reports what was typed after a short pause, an inline
// banner for errors, the table (uniform, fixed-height rows; never sized to contents), and a
// footer for notes and a loading indicator. A page that cannot be shown to the acting role
// shows a placeholder sentence instead of the table.
class TablePage : public Page
{
    Q_OBJECT

public:
    explicit TablePage(QWidget *parent = nullptr);

    QToolBar *toolBar() const { return m_toolBar; }
    QLineEdit *filterField() const { return m_filter; }
    InlineBanner *banner() const { return m_banner; }
    QTableView *tableView() const { return m_table; }

    void setHeading(const QString &title);
    void setSummary(const QString &summary);
    void setFootnote(const QString &text);
    void setLoading(bool loading);
    // Replaces the table (and disables the filter) with an explanation.
    void showPlaceholder(const QString &text);
    // A sentence in the middle of the empty table ("No users match ..."); empty hides it.
    void setEmptyMessage(const QString &text);
    // Pause after the last keystroke before filterChanged() (0: every keystroke).
    void setFilterDelay(int ms) { m_filterTimer.setInterval(ms); }

    void focusMainView() override;

    // Row height from the font, fixed; header sections interactive and sized by the page.
    static void configureTable(QTableView *table);

Q_SIGNALS:
    void filterChanged(const QString &text);

protected:
    // In the filter field: Esc clears it, Down or Return moves to the table.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLabel *m_heading;
    QLabel *m_summary;
    QLineEdit *m_filter;
    QToolBar *m_toolBar;
    InlineBanner *m_banner;
    QStackedWidget *m_body;
    QTableView *m_table;
    QLabel *m_placeholder;
    QLabel *m_emptyMessage;
    QLabel *m_footnote;
    QProgressBar *m_loadingBar;
    QLabel *m_loadingLabel;
    QTimer m_filterTimer;
};

} // namespace rk
