#pragma once

#include "TablePage.h"
#include "core/Secrets.h"
#include "store/StoreTypes.h"
#include "useradmin/UserDialog.h"

#include <QPointer>
#include <QTimer>

#include <functional>

class QAction;
class QMenu;

namespace rk {

class AppSettings;
class PlatformStore;
class UsersTableModel;

// Users of the platform database: a lazy table over the file (UsersTableModel: sorted and
// filtered in SQL), and the admin's actions on the selected user: create, edit (display name,
// role), activate/suspend, reset password, delete (with its impact confirmed first).
//
// Every change goes through the PlatformStore, on the UI thread, after any password was hashed
// on a worker; a refusal (role, read-only, locked, "cannot disable yourself") shows in the
// page's banner and changes nothing. Actions the session cannot do are disabled with the reason
// as their tooltip. The table refreshes after this app's changes and the host's (the store's
// externalChange), keeping the selected user selected.
class UsersAdminPage : public TablePage
{
    Q_OBJECT

public:
    UsersAdminPage(
        PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    ~UsersAdminPage() override;

    QString title() const override;
    QIcon icon() const override;
    QList<QAction *> menuActions() const override;

    // nullptr when the acting role may not view users.
    UsersTableModel *model() const { return m_model; }
    qint64 selectedUserId() const;
    // Selects (and scrolls to) the user, now or as soon as the model knows the row.
    void selectUser(qint64 id);

public Q_SLOTS:
    void refresh();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void setUpTable();
    void updateActions();
    void updateSummary();
    // `finalAttempt`: the model knows every row; a user not found now is gone or filtered out.
    void restoreSelection(bool finalAttempt = false);
    void scheduleRefresh();
    void showContextMenu(const QPoint &pos);

    void createUser();
    void editSelected();
    void setSelectedActive(bool active);
    void resetSelectedPassword();
    void deleteSelected();
    void copyUsername();

    // Hashes the dialog's password on a worker, then runs `apply` with the hash on the UI thread.
    // `apply` returns an empty string on success, else the message for the dialog.
    void hashThen(UserDialog *dialog, std::function<QString(const PasswordHash &)> apply);
    UserDialog *openDialog(UserDialog::Mode mode);
    void showFailure(const QString &what, const Error &error, std::function<void()> retry = {});
    std::optional<UserRecord> selectedUser() const;

    PlatformStore &m_store;
    Actor m_actor;
    AppSettings &m_settings;
    UsersTableModel *m_model = nullptr;
    QMenu *m_contextMenu = nullptr;

    QAction *m_newAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_activateAction = nullptr;
    QAction *m_suspendAction = nullptr;
    QAction *m_resetAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_refreshAction = nullptr;

    qint64 m_wantedId = -1; // the user to keep selected across refreshes
    bool m_scrollToWanted = false;
    bool m_restoring = false;
    QTimer m_refreshTimer;
};

} // namespace rk
