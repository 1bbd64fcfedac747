#pragma once

#include "store/PlatformStore.h"
#include "widgets/PasswordFieldsController.h"

#include <QDialog>

#include <memory>

namespace Ui {
class UserDialog;
}

namespace rk {

// The one form behind "New User", "Edit User" and "Reset Password": username, display name, role
// (with a warning when it grants admin) and groups (a checkable list with search), and/or a new
// password with strength hint, policy check and "Generate". Problems show
// inline; OK emits submitted() and the page does the work (hash off the UI thread, then the
// store), calling setBusy() meanwhile and accept() or showError() at the end. Nothing is
// changed until the store call succeeds.
class UserDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Mode { Create, Edit, ResetPassword };

    UserDialog(Mode mode, PasswordFieldsController::Policy policy, QWidget *parent = nullptr);
    ~UserDialog() override;

    Mode mode() const { return m_mode; }
    // The account edited (Edit, ResetPassword).
    void setUser(const UserRecord &user);
    qint64 userId() const { return m_user.id; }
    const UserRecord &originalUser() const { return m_user; }

    QString username() const;
    QString displayName() const;
    QString role() const;
    QString password() const;
    NewUser newUser() const;
    // Only the fields that differ from the original (Edit).
    UserChanges changes() const;

    // The groups to choose from, and those checked at first (the user's own, for Edit).
    void setGroups(const std::vector<GroupRecord> &groups, const QList<qint64> &checked);
    // No group can be chosen (the connection has no groups), and why, in place of the list.
    void disableGroups(const QString &why);
    // The chosen groups (ascending ids).
    QList<qint64> groupIds() const;
    bool groupsChanged() const;
    // Edit: the column changes, plus the complete group set when it changed.
    UserEdit edit() const;

    // The first problem with the form; empty when it can be submitted.
    QString problem() const;
    void setBusy(bool busy, const QString &what = {});
    bool isBusy() const { return m_busy; }
    void showError(const QString &message);

Q_SIGNALS:
    void submitted();

private:
    void onSubmit();
    void updateRoleHints();

    std::unique_ptr<Ui::UserDialog> m_ui;
    Mode m_mode;
    PasswordFieldsController *m_passwords = nullptr;
    UserRecord m_user;
    QList<qint64> m_originalGroups;
    bool m_busy = false;
    bool m_groupsDisabled = false;
};

} // namespace rk
