#pragma once

#include <QWidget>

#include <optional>

class QToolButton;

namespace rk {

// "Owner: everyone ▾" in a page's toolbar: narrows a table to one user's records. Clicking opens
// the lazy UserPickerDialog (window-modal, not a nested event loop: tests find it by its
// objectName "userPickerDialog" and accept it); the × beside it goes back to everyone. A page can
// also set the user directly (from a selected row, including users that no longer exist).
// UI thread only; userChanged() follows every change, whoever made it.
class UserFilterButton : public QWidget
{
    Q_OBJECT

public:
    // `label` names what is filtered ("Owner", "User"); `databasePath` is the platform database
    // whose users the picker lists.
    UserFilterButton(const QString &databasePath, const QString &label, QWidget *parent = nullptr);
    ~UserFilterButton() override;

    // The chosen user; nullopt: everyone.
    std::optional<qint64> userId() const { return m_userId; }
    // Their name as shown ("bob", "deleted user #12"); empty for everyone.
    QString userName() const { return m_userName; }

    // The sentence at the top of the picker ("Show only the API tokens of one user").
    void setPrompt(const QString &prompt) { m_prompt = prompt; }

    QToolButton *chooseButton() const { return m_choose; }
    QToolButton *clearButton() const { return m_clear; }

public Q_SLOTS:
    // Shows only `name`'s records (`name` is what the button shows).
    void setUser(qint64 id, const QString &name);
    void clear();
    // Opens the picker; the choice (if any) arrives as userChanged().
    void choose();

Q_SIGNALS:
    void userChanged();

private:
    void updateText();

    QString m_databasePath;
    QString m_label;
    QString m_prompt;
    QToolButton *m_choose;
    QToolButton *m_clear;
    std::optional<qint64> m_userId;
    QString m_userName;
};

} // namespace rk
