#pragma once

#include <QList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;

namespace rk {

// Choosing several of a list (groups of a user, members of a group): a search field over a list
// of checkable entries. Typing narrows the list (case-insensitive substring); Down or Return moves
// from the search field into the list, Space or a click checks an entry. Entries hidden by the
// search keep their check. A line under the list says how many are chosen.
//
// Entries are identified by an id (a row id of the database), so two entries may have the same
// text. Used on the UI thread.
class CheckListPicker : public QWidget
{
    Q_OBJECT

public:
    struct Entry
    {
        qint64 id = 0;
        QString text;
        QString toolTip;
    };

    explicit CheckListPicker(QWidget *parent = nullptr);

    // Replaces the entries (in the given order); checks those in `checked`.
    void setEntries(const QList<Entry> &entries, const QList<qint64> &checked = {});
    void setCheckedIds(const QList<qint64> &ids);
    // Ascending.
    QList<qint64> checkedIds() const;
    int entryCount() const;
    // Shown instead of the list when there are no entries ("No groups yet").
    void setEmptyText(const QString &text);
    void setSearchPlaceholder(const QString &text);
    // "%1 of %2 chosen": `format` gets the two numbers. Empty: the default sentence.
    void setSummaryFormat(const QString &format);

    QLineEdit *searchField() const { return m_search; }
    QListWidget *listWidget() const { return m_list; }

Q_SIGNALS:
    void checkedChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applySearch(const QString &text);
    void updateSummary();

    QLineEdit *m_search;
    QListWidget *m_list;
    QLabel *m_empty;
    QLabel *m_summary;
    QString m_summaryFormat;
    bool m_filling = false;
};

} // namespace rk
