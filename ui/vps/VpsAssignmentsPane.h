#pragma once

#include "core/Result.h"
#include "store/StoreTypes.h"

#include <QWidget>

#include <optional>
#include <vector>

class QLabel;
class QTableView;

namespace rk {

class PlatformStore;
class VpsGroupsModel;
class VpsUsersModel;

// The detail pane of the VPS page: who is assigned to the selected VPS and why. Two small tables
// read from the store at once (PlatformStore::vpsAssignments(): operator+): the users (user,
// display name, source "direct" / "via group X" / both, assigned at) and the groups assigned as a
// whole (group, members, when, by whom). reload() reads again, keeping both selections by id.
// A role that may not see assignments, or a file without Riverkeeper's group tables, is told so
// in the pane. All on the UI thread.
class VpsAssignmentsPane : public QWidget
{
    Q_OBJECT

public:
    VpsAssignmentsPane(PlatformStore &store, const Actor &actor, QWidget *parent = nullptr);
    ~VpsAssignmentsPane() override;

    // Shows the VPS with this task id (-1: none selected), reading its assignments.
    void showVps(qint64 taskId);
    void reload();

    qint64 taskId() const { return m_vps ? m_vps->taskId : -1; }
    const std::optional<VpsRecord> &vps() const { return m_vps; }
    // "dev-box (7391245671234567891)"
    QString vpsLabel() const;
    bool isLoaded() const { return m_loaded; }
    bool tracksGroups() const { return m_tracksGroups; }

    QTableView *usersTable() const { return m_usersTable; }
    QTableView *groupsTable() const { return m_groupsTable; }
    VpsUsersModel *usersModel() const { return m_users; }
    VpsGroupsModel *groupsModel() const { return m_groups; }

    std::vector<VpsAssignment> selectedUsers() const;
    std::optional<VpsGroupAssignment> selectedGroup() const;
    // Directly assigned users (the user picker leaves them out).
    QList<qint64> directUserIds() const;
    QList<qint64> assignedGroupIds() const;
    void selectUsers(const QList<qint64> &userIds);
    void selectGroup(qint64 groupId);

Q_SIGNALS:
    // The selection in either table changed, or another VPS (or nothing) is shown.
    void selectionChanged();
    void failed(const QString &what, const rk::Error &error);

private:
    void load();
    void updateLabels();

    PlatformStore &m_store;
    Actor m_actor;
    std::optional<VpsRecord> m_vps;
    bool m_loaded = false;
    bool m_tracksGroups = true;
    QLabel *m_heading;
    QLabel *m_usersLabel;
    QLabel *m_groupsLabel;
    QTableView *m_usersTable;
    QTableView *m_groupsTable;
    QLabel *m_note;
    VpsUsersModel *m_users;
    VpsGroupsModel *m_groups;
};

} // namespace rk
