#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace rk {

class UsersTableModel;

// Choosing users of a platform database that may hold a million: a search field over the lazy
// users table (UsersTableModel: filtered and sorted in SQL on a worker), one or several rows
// selectable. Typing narrows the table after a short pause; Down moves into the table; Enter or
// a double-click accepts. Used by the group members, VPS assignment, token and filter pickers.
class UserPickerDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Mode { Single, Multiple };

    struct Choice
    {
        qint64 id = 0;
        QString username;
    };

    UserPickerDialog(const QString &databasePath, Mode mode, QWidget *parent = nullptr);
    ~UserPickerDialog() override;

    // The sentence above the search field ("Add members to “gpu-users”").
    void setPrompt(const QString &text);
    void setAcceptText(const QString &text);
    // Users that are not chosen even when selected (already members); the line under the table
    // says how many of the selection are skipped and `why` ("already members").
    void setExcluded(const QList<qint64> &ids, const QString &why);

    // The chosen users, in table order, without the excluded ones (only rows the model has
    // loaded can be chosen).
    QList<Choice> choices() const;

    // Runs the dialog; empty when cancelled.
    static QList<Choice> pick(const QString &databasePath, Mode mode, const QString &title,
        const QString &prompt, QWidget *parent, const QList<qint64> &excluded = {},
        const QString &excludedWhy = {});

    QLineEdit *searchField() const { return m_search; }
    QTableView *tableView() const { return m_table; }
    UsersTableModel *model() const { return m_model; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateState();

    UsersTableModel *m_model;
    QLabel *m_prompt;
    QLineEdit *m_search;
    QTableView *m_table;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QTimer *m_filterTimer;
    QList<qint64> m_excluded;
    QString m_excludedWhy;
};

} // namespace rk
