#pragma once

#include "Page.h"

#include <QPointer>
#include <QTimer>

#include <functional>

class QLabel;
class QMenu;
class QLineEdit;
class QProgressBar;
class QStackedWidget;
class QTableView;
class QToolBar;

namespace rk {

class AppSettings;
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
    // Saves the header state one last time when rememberHeaderState() was called.
    ~TablePage() override;

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
    // Selects every row of the table, also the rows of a large row set not shown yet (see
    // ChunkedRowsModel): what Select All means to the user.
    void selectAllRows() { selectAllRowsOf(m_table); }
    static void selectAllRowsOf(QTableView *table);

    // Row height from the font, fixed; header sections interactive and sized by the page.
    static void configureTable(QTableView *table);

    // Remembers the table's header in `settings` under `key` (AppSettings::tableHeaderState):
    // column widths, order, visibility and the sort column and order. Restores it now and returns
    // false when nothing usable was saved (the page then applies its defaults); from then on saves
    // every change (coalesced) and when the page goes. Call after the model is set.
    bool rememberHeaderState(AppSettings &settings, const QString &key);
    // A menu to hide and show the table's columns: one checkable entry per column, in the header's
    // visual order (the last visible column cannot be hidden), and "Reset Columns", which shows
    // every column in the model's order and then calls `reset` (the page's default widths and
    // sort). It is the header's context menu; pages also list columnsMenuAction() in their menu.
    // Entries are named "columnAction<logical index>", the reset entry "resetColumnsAction".
    void enableColumnsMenu(std::function<void()> reset = {});
    QMenu *columnsMenu() const { return m_columnsMenu; }
    // A "Columns" submenu entry for the page's menu (nullptr before enableColumnsMenu()).
    QAction *columnsMenuAction() const;

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

    void rebuildColumnsMenu();
    void syncColumnsMenu();
    void saveHeaderState();
    QPointer<AppSettings> m_headerSettings;
    QString m_headerKey;
    QTimer m_headerSaveTimer;
    QMenu *m_columnsMenu = nullptr;
    std::function<void()> m_resetColumns;
};

} // namespace rk
