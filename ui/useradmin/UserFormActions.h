#pragma once

#include "UserDialog.h"
#include "core/Secrets.h"
#include "store/StoreTypes.h"

#include <QObject>

#include <functional>

class QWidget;

namespace rk {

class PlatformStore;

// The Users page's form dialogs (UserDialog): New User with role and groups, Edit (display name,
// role with a warning when it grants admin, groups) and Reset Password. A password is hashed on a
// worker thread first; then one store call makes the whole change in one transaction (the user and
// their memberships together). A refusal shows in the dialog, which stays open; closing it drops
// a hash still being computed, and nothing is written. UI thread.
class UserFormActions : public QObject
{
    Q_OBJECT

public:
    UserFormActions(PlatformStore &store, const Actor &actor, QWidget *page);

    void create();
    void edit(const UserRecord &user);
    void resetPassword(const UserRecord &user);

Q_SIGNALS:
    void created(qint64 userId);
    // A sentence for the status bar.
    void done(const QString &message);
    // The dialog could not even open (the groups could not be read).
    void failed(const QString &what, const rk::Error &error);

private:
    UserDialog *openDialog(UserDialog::Mode mode, const QString &objectName);
    // Fills the dialog's group picker; false (and failed()) when the groups cannot be read.
    bool offerGroups(UserDialog *dialog, qint64 userId);
    // Hashes the dialog's password on a worker, then runs `apply` with the hash on the UI thread.
    // `apply` returns an empty string on success, else the message for the dialog.
    void hashThen(UserDialog *dialog, std::function<QString(const PasswordHash &)> apply);

    PlatformStore &m_store;
    Actor m_actor;
    QWidget *m_page;
};

} // namespace rk
