#pragma once

#include "RecordsPage.h"

#include <QTimer>

#include <optional>

class QAction;
class QSplitter;

namespace rk {

class AppSettings;
class GroupMembersPanel;
class GroupsTableModel;
class PlatformStore;

// Groups of the platform database (the host's groups and user_groups tables), as an admin manages
// them: a lazy table of groups (name, tier, members, the quota fields of limits_json, created) over
// a detail pane for the selected group (GroupMembersPanel: facts, limits, members with their role
// overrides), split by a splitter whose position is remembered.
// - Groups: create (name, tier, quotas), rename (F2), limits and tier (a form that validates and
//   keeps the unknown keys of limits_json; hostile limits are shown and only replaced on request),
//   delete (Delete; the confirmation counts the memberships);
// - members: add (user picker), remove one or several, role override per member (in place or for
//   the selection), in the detail pane.
// Enter on a group moves to its members; Esc there comes back. Every change goes through the
// PlatformStore in one audited transaction; refusals (role, read-only, a name taken meanwhile)
// show in the dialog or the page's banner and change nothing. Changes need ManageUsers (admin);
// viewing needs ViewUsers (operators see groups and members, as they see users' groups), and the
// page says so otherwise. The host does not enforce group roles or limits yet, and the page says
// that too. Both tables refresh after this app's and the host's changes, keeping their selections.
// Header state is remembered under "groups" and "groupMembers".
class GroupsPage : public RecordsPage
{
    Q_OBJECT

public:
    GroupsPage(PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    ~GroupsPage() override;

    QString title() const override;
    // The title without a page: the navigation lists pages before they are built.
    static QString pageTitle();
    QIcon icon() const override;
    QList<QAction *> menuActions() const override;

    // nullptr when the acting role may not view groups.
    GroupsTableModel *model() const { return m_model; }
    GroupMembersPanel *membersPanel() const { return m_panel; }
    // The selected group (-1 when none).
    qint64 selectedGroupId() const { return currentId(); }
    // Selects (and scrolls to) the group, now or as soon as the model knows the row.
    void selectGroup(qint64 id) { selectId(id); }

private:
    void createActions();
    void setUpTable();
    void installDetailPane();
    void applyDefaultColumns();
    void updateActions() override;
    void syncDetailPane();
    std::optional<GroupRecord> selectedGroup() const;
    // The selected group as stored now (fresh member count), or nullopt after showing why not.
    std::optional<GroupRecord> freshSelectedGroup(const QString &what);

    void createGroup();
    void renameSelected();
    void editSelectedLimits();
    void deleteSelected();
    void copyName();
    void refreshAll();

    GroupsTableModel *m_model = nullptr;
    GroupMembersPanel *m_panel = nullptr;
    QSplitter *m_splitter = nullptr;
    QTimer m_syncTimer; // the detail pane follows the selection once a refresh has settled
    QTimer m_splitterSaveTimer;

    QAction *m_newAction = nullptr;
    QAction *m_renameAction = nullptr;
    QAction *m_limitsAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_refreshAction = nullptr;
};

} // namespace rk
