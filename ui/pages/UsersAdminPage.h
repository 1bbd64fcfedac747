#pragma once

#include "RecordsPage.h"

#include <QPointer>

class QAction;
class QMenu;

namespace rk {

class AppSettings;
class HostAdminService;
class HostUsersActions;
class PlatformStore;
class UserFormActions;
class UsersBulkActions;
class UsersExportController;
class UsersTableModel;

// Users of the platform database: a lazy table over the file (UsersTableModel: sorted and
// filtered in SQL), and the admin's actions:
// - on one user: create (with role and groups), edit (display name, role, groups), reset
//   password, delete (with its impact confirmed first);
// - on the selection (one or many rows; Ctrl/Shift-click, Ctrl+A): suspend, activate (optionally
//   ending their sessions), change role, add to group, delete: each through a preview of what the
//   store would do to every user and which it would refuse and why (UsersBulkActions);
// - export of the current filtered and sorted view (every row of the query, not only those
//   loaded) to CSV or JSON on a worker thread (UsersExportController).
//
// Every change goes through the PlatformStore on the UI thread, after any password was hashed
// on a worker; a refusal (role, read-only, locked, "cannot disable yourself") shows in the page's
// banner and changes nothing. Actions the session cannot do are disabled with the reason as their
// tooltip. The table refreshes after this app's changes and the host's (the store's
// externalChange), keeping the selected user selected. Column widths, order, visibility and the
// sort are remembered (AppSettings, key "users").
//
// Over a Host profile the store is the profile's read-only mirror and setHostAdmin() gives the
// page the host's API instead (HostUsersActions): edit (display name, role), suspend, activate,
// change role and delete go to the host user by user, previewed from the mirror and reported per
// user; creating users, resetting passwords and groups are disabled with what would enable them.
class UsersAdminPage : public RecordsPage
{
    Q_OBJECT

public:
    UsersAdminPage(
        PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    ~UsersAdminPage() override;

    QString title() const override;
    // The title without a page: the navigation lists pages before they are built.
    static QString pageTitle();
    QIcon icon() const override;
    QList<QAction *> menuActions() const override;

    // nullptr when the acting role may not view users.
    UsersTableModel *model() const { return m_model; }
    // The one selected user (-1 when none or several are selected).
    qint64 selectedUserId() const { return currentId(); }
    // Every selected user whose id the model knows, in row order.
    QList<qint64> selectedUserIds() const { return selectedIds(); }
    // Selects (and scrolls to) the user, now or as soon as the model knows the row.
    void selectUser(qint64 id) { selectId(id); }

    // A Host profile: changes go through `service` (not owned; null: through the store again).
    // Admin only, as on the host: an operator sees the actions disabled with the reason.
    void setHostAdmin(HostAdminService *service);
    HostUsersActions *hostActions() const { return m_hostActions; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void setUpTable();
    void applyDefaultColumns();
    void updateActions() override;
    void updateHostActions();
    // Copy, Select All, Export and Refresh: the same over every connection.
    void updateCommonActions();

    void createUser();
    void editSelected();
    void setSelectedActive(bool active);
    void changeSelectedRole();
    void addSelectedToGroup();
    void resetSelectedPassword();
    void deleteSelected();
    void copyUsernames();

    std::optional<UserRecord> selectedUser() const;
    void updateFootnote();
    // Whether some selected row may be active (or suspended): unknown rows count as maybe.
    bool selectionMayHave(bool active) const;
    UsersTableModel *m_model = nullptr;
    UserFormActions *m_forms = nullptr;
    UsersBulkActions *m_bulk = nullptr;
    UsersExportController *m_export = nullptr;
    QPointer<HostAdminService> m_hostService;
    HostUsersActions *m_hostActions = nullptr; // set over a Host profile
    QMenu *m_exportMenu = nullptr;

    QAction *m_newAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_activateAction = nullptr;
    QAction *m_suspendAction = nullptr;
    QAction *m_changeRoleAction = nullptr;
    QAction *m_addToGroupAction = nullptr;
    QAction *m_resetAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_selectAllAction = nullptr;
    QAction *m_exportCsvAction = nullptr;
    QAction *m_exportJsonAction = nullptr;
    QAction *m_refreshAction = nullptr;
};

} // namespace rk
