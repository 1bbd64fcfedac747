// VPS and their users. The host has vps_assignments(vps_task_id, user_id) and nothing more;
// assigning a whole group is Riverkeeper's concept, kept in rk_vps_group_assignments, and
// rk_vps_assignment_sources says which sources hold each vps_assignments row (PlatformSchema.cpp).
// Task ids are 64-bit snowflakes: bound and read as qint64, written to JSON as text.

#include "PlatformStore.h"

#include "PlatformSchema.h"
#include "PlatformStoreVps_p.h"
#include "PlatformStore_p.h"
#include "core/HostTime.h"

#include <QJsonArray>

#include <algorithm>
#include <map>

namespace rk {

using storedetail::tr;

using namespace vpsdetail;

// --- Private: the membership hooks -------------------------------------------------------------

bool PlatformStore::Private::hasVpsTables()
{
    if (!vpsTables) {
        vpsTables = schema::hasTable(*db, QStringLiteral("rk_vps_group_assignments"))
            && schema::hasTable(*db, QStringLiteral("rk_vps_assignment_sources"));
    }
    return *vpsTables;
}

Status PlatformStore::Private::applyGroupVpsOnJoin(
    const Actor &actor, qint64 groupId, const QList<qint64> &userIds)
{
    if (!hasVpsTables() || userIds.isEmpty())
        return {};
    auto a = assignmentsOf(*this);
    auto vpsIds = a.vpsOfGroup(groupId);
    if (!vpsIds)
        return vpsIds.error();
    if (vpsIds->isEmpty())
        return {};
    auto name = a.groupName(groupId);
    if (!name)
        return name.error();
    const QList<qint64> users = sortedUnique(userIds);
    for (qint64 taskId : vpsIds.value()) {
        auto vps = a.findVps(taskId);
        if (!vps)
            return vps.error();
        if (!vps.value())
            continue; // the task is gone: nothing to give
        if (auto st = a.prune(taskId); !st)
            return st;
        QList<qint64> added, alsoViaGroup;
        for (qint64 userId : users) {
            auto effect = a.grant(taskId, userId, groupId);
            if (!effect)
                return effect.error();
            if (effect.value() == Effect::Added)
                added << userId;
            else if (effect.value() == Effect::SourceAdded)
                alsoViaGroup << userId;
        }
        if (added.isEmpty() && alsoViaGroup.isEmpty())
            continue;
        auto json = usersJson(*this, added);
        if (!json)
            return json.error();
        if (auto st = audit(actor, QStringLiteral("vps.group_join"), QStringLiteral("vps"),
                vpsLabel(*vps.value()), std::nullopt,
                QJsonObject {{QStringLiteral("task_id"), QString::number(taskId)},
                    {QStringLiteral("group_id"), groupId}, {QStringLiteral("group"), name.value()},
                    {QStringLiteral("users_added"), json.value()},
                    {QStringLiteral("already_assigned_user_ids"), idArray(alsoViaGroup)}});
            !st)
            return st;
    }
    return {};
}

Status PlatformStore::Private::applyGroupVpsOnLeave(
    const Actor &actor, qint64 groupId, const QList<qint64> &userIds)
{
    if (!hasVpsTables() || userIds.isEmpty())
        return {};
    auto a = assignmentsOf(*this);
    auto vpsIds = a.vpsHeldByGroup(groupId);
    if (!vpsIds)
        return vpsIds.error();
    if (vpsIds->isEmpty())
        return {};
    auto name = a.groupName(groupId);
    if (!name)
        return name.error();
    const QList<qint64> users = sortedUnique(userIds);
    for (qint64 taskId : vpsIds.value()) {
        if (auto st = a.prune(taskId); !st)
            return st;
        QList<qint64> removed, kept;
        for (qint64 userId : users) {
            auto effect = a.revoke(taskId, userId, groupId);
            if (!effect)
                return effect.error();
            if (effect.value() == Effect::Removed)
                removed << userId;
            else if (effect.value() == Effect::SourceRemoved)
                kept << userId;
        }
        if (removed.isEmpty() && kept.isEmpty())
            continue;
        auto vps = a.findVps(taskId);
        if (!vps)
            return vps.error();
        auto json = usersJson(*this, removed);
        if (!json)
            return json.error();
        if (auto st = audit(actor, QStringLiteral("vps.group_leave"), QStringLiteral("vps"),
                vpsLabel(vps.value().value_or(StoredVps {taskId, QString()})),
                QJsonObject {{QStringLiteral("task_id"), QString::number(taskId)},
                    {QStringLiteral("group_id"), groupId}, {QStringLiteral("group"), name.value()}},
                QJsonObject {{QStringLiteral("users_removed"), json.value()},
                    {QStringLiteral("kept_user_ids"), idArray(kept)}});
            !st)
            return st;
    }
    return {};
}

Status PlatformStore::Private::applyGroupVpsOnDelete(const Actor &actor, qint64 groupId)
{
    if (!hasVpsTables())
        return {};
    auto a = assignmentsOf(*this);
    auto vpsIds = a.vpsHeldByGroup(groupId);
    if (!vpsIds)
        return vpsIds.error();
    if (vpsIds->isEmpty())
        return {};
    auto name = a.groupName(groupId);
    if (!name)
        return name.error();
    for (qint64 taskId : vpsIds.value()) {
        if (auto st = a.dropGroup(
                actor, taskId, groupId, name.value(), QStringLiteral("vps.unassign_group"), nullptr);
            !st)
            return st;
    }
    return {};
}

// --- reading -----------------------------------------------------------------------------------

bool PlatformStore::tracksVpsGroups()
{
    return d->hasVpsTables();
}

namespace {

template<typename Priv>
Result<std::vector<VpsRecord>> loadVps(Priv &d, bool withSources, std::optional<qint64> taskId)
{
    auto stmt = d.query(
        QStringLiteral("SELECT t.task_id, t.name, t.owner_id, u.username, t.status, t.assigned_node, "
                       "t.vps_backend, t.submitted_at, "
                       "(SELECT count(*) FROM vps_assignments a WHERE a.vps_task_id = t.task_id), "
                       "%1 FROM tasks t LEFT JOIN users u ON u.id = t.owner_id "
                       "WHERE t.task_type = 'vps' AND (?1 IS NULL OR t.task_id = ?1) "
                       "ORDER BY t.submitted_at DESC, t.task_id DESC")
            .arg(withSources ? viaGroupCountSql() : QStringLiteral("0")),
        taskId);
    if (!stmt)
        return stmt.error();
    std::vector<VpsRecord> list;
    auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) {
        VpsRecord v;
        v.taskId = row.int64(0);
        v.name = row.text(1);
        if (!row.isNull(2))
            v.ownerId = row.int64(2);
        v.owner = row.text(3);
        v.status = row.text(4);
        v.node = row.text(5);
        v.backend = row.text(6);
        v.submittedAt = row.text(7);
        v.assignees = static_cast<int>(row.int64(8));
        v.viaGroup = static_cast<int>(row.int64(9));
        list.push_back(std::move(v));
    });
    if (!st)
        return st.error();
    return list;
}

} // namespace

Result<std::vector<VpsRecord>> PlatformStore::listVps(const Actor &actor)
{
    if (auto st = Private::require(actor, Permission::ViewTasks); !st)
        return st.error();
    return loadVps(*d, d->hasVpsTables(), std::nullopt);
}

Result<VpsRecord> PlatformStore::vps(const Actor &actor, qint64 taskId)
{
    if (auto st = Private::require(actor, Permission::ViewTasks); !st)
        return st.error();
    auto list = loadVps(*d, d->hasVpsTables(), taskId);
    if (!list)
        return list.error();
    if (list->empty())
        return vpsNotFound(taskId);
    return list->front();
}

Result<VpsAssignments> PlatformStore::vpsAssignments(const Actor &actor, qint64 taskId)
{
    if (auto st = Private::require(actor, Permission::ManageVps); !st)
        return st.error();
    VpsAssignments result;
    result.tracksGroups = d->hasVpsTables();
    // One snapshot: the host may change the rows between the statements.
    auto st = d->db->readTransaction([&]() -> Status {
        auto a = assignmentsOf(*d);
        auto vps = a.findVps(taskId);
        if (!vps)
            return vps.error();
        if (!vps.value())
            return vpsNotFound(taskId);
        std::map<qint64, std::pair<bool, std::vector<std::pair<qint64, QString>>>> sources;
        if (result.tracksGroups) {
            auto stmt = d->query(
                QStringLiteral("SELECT s.user_id, s.group_id, g.name FROM rk_vps_assignment_sources s "
                               "LEFT JOIN groups g ON g.id = s.group_id WHERE s.vps_task_id = ?1 "
                               "ORDER BY s.user_id, g.name COLLATE NOCASE, s.group_id"),
                taskId);
            if (!stmt)
                return stmt.error();
            auto read = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) {
                auto &entry = sources[row.int64(0)];
                if (row.int64(1) == kDirect)
                    entry.first = true;
                else
                    entry.second.emplace_back(row.int64(1), row.text(2));
            });
            if (!read)
                return read;
        }
        auto users = d->query(
            QStringLiteral("SELECT a.user_id, u.username, u.display_name, a.created_at "
                           "FROM vps_assignments a LEFT JOIN users u ON u.id = a.user_id "
                           "WHERE a.vps_task_id = ?1 ORDER BY u.username COLLATE NOCASE, a.user_id"),
            taskId);
        if (!users)
            return users.error();
        auto read = storedetail::eachRow(users.value(), [&](SqlStatement &row) {
            VpsAssignment va;
            va.userId = row.int64(0);
            va.username = row.text(1);
            va.displayName = row.text(2);
            va.assignedAt = row.text(3);
            const auto it = sources.find(va.userId);
            // No source recorded: someone else (the host's API) assigned the user directly.
            va.direct = it == sources.end() || it->second.first || it->second.second.empty();
            if (it != sources.end()) {
                for (const auto &[groupId, name] : it->second.second) {
                    va.viaGroupIds << groupId;
                    va.viaGroups << name;
                }
            }
            result.users.push_back(std::move(va));
        });
        if (!read)
            return read;
        if (!result.tracksGroups)
            return {};
        auto groups = d->query(
            QStringLiteral("SELECT ga.group_id, g.name, ga.created_at, ga.created_by, "
                           "(SELECT count(*) FROM user_groups ug WHERE ug.group_id = ga.group_id) "
                           "FROM rk_vps_group_assignments ga LEFT JOIN groups g ON g.id = ga.group_id "
                           "WHERE ga.vps_task_id = ?1 ORDER BY g.name COLLATE NOCASE, ga.group_id"),
            taskId);
        if (!groups)
            return groups.error();
        return storedetail::eachRow(groups.value(), [&](SqlStatement &row) {
            VpsGroupAssignment g;
            g.groupId = row.int64(0);
            g.groupName = row.text(1);
            g.assignedAt = row.text(2);
            g.assignedBy = row.text(3);
            g.members = static_cast<int>(row.int64(4));
            result.groups.push_back(std::move(g));
        });
    });
    if (!st)
        return st.error();
    return result;
}

Result<std::vector<GroupRecord>> PlatformStore::vpsAssignableGroups(const Actor &actor)
{
    if (auto st = Private::require(actor, Permission::ManageVps); !st)
        return st.error();
    auto stmt = d->query(QStringLiteral("SELECT g.id, g.name, g.tier, g.limits_json, g.created_at, "
                                        "(SELECT count(*) FROM user_groups ug WHERE ug.group_id = g.id) "
                                        "FROM groups g ORDER BY g.name COLLATE NOCASE, g.id"));
    if (!stmt)
        return stmt.error();
    std::vector<GroupRecord> groups;
    auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) {
        GroupRecord g;
        g.id = row.int64(0);
        g.name = row.text(1);
        g.tier = static_cast<int>(row.int64(2));
        g.limitsJson = row.text(3);
        g.createdAt = row.text(4);
        g.memberCount = static_cast<int>(row.int64(5));
        groups.push_back(std::move(g));
    });
    if (!st)
        return st.error();
    return groups;
}

// --- writing -----------------------------------------------------------------------------------

Result<VpsChange> PlatformStore::assignVpsUsers(
    const Actor &actor, qint64 taskId, const QList<qint64> &userIds)
{
    if (auto st = d->guardWrite(actor, Permission::ManageVps); !st)
        return st.error();
    auto users = requireUserIds(userIds);
    if (!users)
        return users.error();
    VpsChange change;
    QList<StoreTable> touched = {StoreTable::VpsAssignments};
    auto st = d->write(
        [&]() -> Status {
            auto a = assignmentsOf(*d);
            auto vps = a.requireVps(taskId);
            if (!vps)
                return vps.error();
            // As the host: every user must exist, or nothing is assigned.
            for (qint64 userId : users.value()) {
                auto user = d->findUser(userId);
                if (!user)
                    return user.error();
                if (!user.value()) {
                    return storedetail::notFound(
                        tr("User not found (id %1); it may have been deleted meanwhile.").arg(userId));
                }
            }
            if (auto pruned = a.prune(taskId); !pruned)
                return pruned;
            for (qint64 userId : users.value()) {
                auto effect = a.grant(taskId, userId, kDirect);
                if (!effect)
                    return effect.error();
                if (effect.value() == Effect::Added)
                    change.added << userId;
                else if (effect.value() == Effect::SourceAdded)
                    change.madeDirect << userId;
                else
                    change.unchanged << userId;
            }
            if (change.added.isEmpty() && change.madeDirect.isEmpty()) {
                touched.clear();
                return {};
            }
            auto added = usersJson(*d, change.added);
            if (!added)
                return added.error();
            auto direct = usersJson(*d, change.madeDirect);
            if (!direct)
                return direct.error();
            return d->audit(actor, QStringLiteral("vps.assign"), QStringLiteral("vps"), vpsLabel(vps.value()),
                std::nullopt,
                QJsonObject {{QStringLiteral("task_id"), QString::number(taskId)},
                    {QStringLiteral("users_added"), added.value()},
                    {QStringLiteral("made_direct"), direct.value()}});
        },
        touched);
    if (!st)
        return st.error();
    return change;
}

Result<VpsChange> PlatformStore::unassignVpsUsers(
    const Actor &actor, qint64 taskId, const QList<qint64> &userIds)
{
    if (auto st = d->guardWrite(actor, Permission::ManageVps); !st)
        return st.error();
    auto users = requireUserIds(userIds);
    if (!users)
        return users.error();
    VpsChange change;
    QList<StoreTable> touched = {StoreTable::VpsAssignments};
    auto st = d->write(
        [&]() -> Status {
            auto a = assignmentsOf(*d);
            auto vps = a.requireVps(taskId);
            if (!vps)
                return vps.error();
            if (auto pruned = a.prune(taskId); !pruned)
                return pruned;
            for (qint64 userId : users.value()) {
                auto effect = a.revoke(taskId, userId, kDirect);
                if (!effect)
                    return effect.error();
                switch (effect.value()) {
                case Effect::Removed: change.removed << userId; break;
                case Effect::SourceRemoved: change.keptViaGroup << userId; break;
                case Effect::OnlyViaGroup: change.onlyViaGroup << userId; break;
                default: change.unchanged << userId; break;
                }
            }
            if (change.removed.isEmpty() && change.keptViaGroup.isEmpty()) {
                touched.clear();
                return {};
            }
            auto removed = usersJson(*d, change.removed);
            if (!removed)
                return removed.error();
            auto kept = usersJson(*d, change.keptViaGroup);
            if (!kept)
                return kept.error();
            return d->audit(actor, QStringLiteral("vps.unassign"), QStringLiteral("vps"),
                vpsLabel(vps.value()),
                QJsonObject {{QStringLiteral("task_id"), QString::number(taskId)},
                    {QStringLiteral("users_removed"), removed.value()},
                    {QStringLiteral("direct_removed_kept_via_group"), kept.value()}},
                std::nullopt);
        },
        touched);
    if (!st)
        return st.error();
    return change;
}

Result<VpsChange> PlatformStore::assignVpsGroup(const Actor &actor, qint64 taskId, qint64 groupId)
{
    if (auto st = d->guardWrite(actor, Permission::ManageVps); !st)
        return st.error();
    VpsChange change;
    auto st = d->write(
        [&]() -> Status {
            auto a = assignmentsOf(*d);
            auto vps = a.requireVps(taskId);
            if (!vps)
                return vps.error();
            auto group = d->findGroup(groupId);
            if (!group)
                return group.error();
            if (!group.value()) {
                return storedetail::notFound(
                    tr("Group not found (id %1); it may have been deleted meanwhile.").arg(groupId));
            }
            auto already = d->integer(QStringLiteral("SELECT count(*) FROM rk_vps_group_assignments "
                                                     "WHERE vps_task_id = ?1 AND group_id = ?2"),
                taskId, groupId);
            if (!already)
                return already.error();
            if (already.value() > 0) {
                return Error::make(Error::Code::Conflict,
                    tr("The group %1 is already assigned to %2.")
                        .arg(group.value()->name, vpsLabel(vps.value())));
            }
            auto inserted
                = d->run(QStringLiteral("INSERT INTO rk_vps_group_assignments (vps_task_id, group_id, "
                                        "created_at, created_by) VALUES (?1, ?2, ?3, ?4)"),
                    taskId, groupId, hosttime::nowDbText(), actor.username);
            if (!inserted)
                return inserted.error();
            if (auto pruned = a.prune(taskId); !pruned)
                return pruned;
            // Members whose user row is gone get nothing (their memberships are leftovers).
            auto members
                = a.ids(QStringLiteral("SELECT ug.user_id FROM user_groups ug JOIN users u ON u.id = "
                                       "ug.user_id WHERE ug.group_id = ?1 ORDER BY ug.user_id"),
                    groupId);
            if (!members)
                return members.error();
            for (qint64 userId : members.value()) {
                auto effect = a.grant(taskId, userId, groupId);
                if (!effect)
                    return effect.error();
                if (effect.value() == Effect::Added)
                    change.added << userId;
                else
                    change.unchanged << userId;
            }
            auto added = usersJson(*d, change.added);
            if (!added)
                return added.error();
            return d->audit(actor, QStringLiteral("vps.assign_group"), QStringLiteral("vps"),
                vpsLabel(vps.value()), std::nullopt,
                QJsonObject {{QStringLiteral("task_id"), QString::number(taskId)},
                    {QStringLiteral("group_id"), groupId}, {QStringLiteral("group"), group.value()->name},
                    {QStringLiteral("members"), int(members->size())},
                    {QStringLiteral("users_added"), added.value()},
                    {QStringLiteral("already_assigned_user_ids"), idArray(change.unchanged)}});
        },
        {StoreTable::VpsAssignments});
    if (!st)
        return st.error();
    return change;
}

Result<VpsChange> PlatformStore::unassignVpsGroup(const Actor &actor, qint64 taskId, qint64 groupId)
{
    if (auto st = d->guardWrite(actor, Permission::ManageVps); !st)
        return st.error();
    VpsChange change;
    auto st = d->write(
        [&]() -> Status {
            auto a = assignmentsOf(*d);
            auto assigned = d->integer(QStringLiteral("SELECT count(*) FROM rk_vps_group_assignments "
                                                      "WHERE vps_task_id = ?1 AND group_id = ?2"),
                taskId, groupId);
            if (!assigned)
                return assigned.error();
            auto name = a.groupName(groupId);
            if (!name)
                return name.error();
            if (assigned.value() == 0) {
                return storedetail::notFound(
                    tr("The group %1 is not assigned to VPS %2; it may have been unassigned meanwhile.")
                        .arg(name->isEmpty() ? QString::number(groupId) : name.value(),
                            QString::number(taskId)));
            }
            return a.dropGroup(
                actor, taskId, groupId, name.value(), QStringLiteral("vps.unassign_group"), &change);
        },
        {StoreTable::VpsAssignments});
    if (!st)
        return st.error();
    return change;
}

} // namespace rk
