// VPS and their users. The host has vps_assignments(vps_task_id, user_id) and nothing more;
// assigning a whole group is Riverkeeper's concept, kept in rk_vps_group_assignments, and
// rk_vps_assignment_sources says which sources hold each vps_assignments row (PlatformSchema.cpp).
// Task ids are 64-bit snowflakes: bound and read as qint64, written to JSON as text.

#include "PlatformStore.h"

#include "PlatformSchema.h"
#include "PlatformStore_p.h"
#include "core/HostTime.h"

#include <QJsonArray>

#include <algorithm>
#include <map>

namespace rk {

using storedetail::tr;

namespace {

// rk_vps_assignment_sources.group_id of a direct assignment (group ids start at 1).
constexpr qint64 kDirect = 0;

struct StoredVps
{
    qint64 taskId = 0;
    QString name;
};

// "vps-alice (7391245671234567890)": the audit target and the name in messages.
QString vpsLabel(const StoredVps &vps)
{
    const QString id = QString::number(vps.taskId);
    return vps.name.isEmpty() ? tr("VPS %1").arg(id) : QStringLiteral("%1 (%2)").arg(vps.name, id);
}

Error vpsNotFound(qint64 taskId)
{
    return storedetail::notFound(
        tr("VPS not found (task %1); it may have been deleted meanwhile.").arg(QString::number(taskId)));
}

QList<qint64> sortedUnique(QList<qint64> ids)
{
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

QJsonArray idArray(const QList<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.append(id);
    return array;
}

// The via-group count of a VPS row `t` (rows with at least one group source); VpsTableModel
// counts with the same words.
QString viaGroupCountSql()
{
    return QStringLiteral(
        "(SELECT count(*) FROM vps_assignments a WHERE a.vps_task_id = t.task_id AND EXISTS "
        "(SELECT 1 FROM rk_vps_assignment_sources s WHERE s.vps_task_id = a.vps_task_id "
        "AND s.user_id = a.user_id AND s.group_id <> 0))");
}

// What granting or revoking one source did to one user's row.
enum class Effect {
    Added, // the row was inserted
    Removed, // the row was deleted (no source holds it any more)
    SourceAdded, // the row was there; the source now holds it too
    SourceRemoved, // the source no longer holds the row; another one still does
    Unchanged, // the source already held the row (grant) or never did (revoke)
    OnlyViaGroup, // revoking the direct source of a row that only groups hold: nothing to do
    NotAssigned, // revoke: no row at all
};

// The assignment rules over rk_vps_assignment_sources, in one place. Priv is
// PlatformStore::Private (private to PlatformStore, hence the template). Call inside write().
template<typename Priv> class Assignments
{
public:
    Assignments(Priv &d, QString now) : m_d(d), m_now(std::move(now)) { }

    Result<std::optional<StoredVps>> findVps(qint64 taskId)
    {
        auto stmt = m_d.query(
            QStringLiteral("SELECT task_id, name FROM tasks WHERE task_id = ?1 AND task_type = 'vps'"),
            taskId);
        if (!stmt)
            return stmt.error();
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!row.value())
            return std::optional<StoredVps>();
        return std::optional<StoredVps>(StoredVps {stmt->int64(0), stmt->text(1)});
    }

    Result<StoredVps> requireVps(qint64 taskId)
    {
        auto vps = findVps(taskId);
        if (!vps)
            return vps.error();
        if (!vps.value())
            return vpsNotFound(taskId);
        return *vps.value();
    }

    // Forgets the sources of rows that are gone (the host's API unassigned them, or a tool
    // deleted the user): they would otherwise revive as "via group" if the row came back.
    Status prune(qint64 taskId)
    {
        auto done = m_d.run(QStringLiteral("DELETE FROM rk_vps_assignment_sources WHERE vps_task_id = ?1 "
                                           "AND NOT EXISTS (SELECT 1 FROM vps_assignments a WHERE "
                                           "a.vps_task_id = rk_vps_assignment_sources.vps_task_id "
                                           "AND a.user_id = rk_vps_assignment_sources.user_id)"),
            taskId);
        if (!done)
            return done.error();
        return {};
    }

    // Makes `source` (kDirect or a group id) hold the user's row, inserting the row if needed.
    Result<Effect> grant(qint64 taskId, qint64 userId, qint64 source)
    {
        auto exists = rowExists(taskId, userId);
        if (!exists)
            return exists.error();
        if (!exists.value()) {
            auto inserted = m_d.run(
                QStringLiteral(
                    "INSERT INTO vps_assignments (vps_task_id, user_id, created_at) VALUES (?1, ?2, ?3)"),
                taskId, userId, m_now);
            if (!inserted)
                return inserted.error();
            if (auto st = addSource(taskId, userId, source); !st)
                return st.error();
            return Effect::Added;
        }
        auto sources = sourcesOf(taskId, userId);
        if (!sources)
            return sources.error();
        if (sources->contains(source))
            return Effect::Unchanged;
        if (sources->isEmpty()) {
            // A row nobody recorded (the host's API made it): it is a direct assignment.
            if (source == kDirect)
                return Effect::Unchanged;
            if (auto st = addSource(taskId, userId, kDirect); !st)
                return st.error();
        }
        if (auto st = addSource(taskId, userId, source); !st)
            return st.error();
        return Effect::SourceAdded;
    }

    // Takes `source` away from the user's row and deletes the row when nothing holds it any more.
    Result<Effect> revoke(qint64 taskId, qint64 userId, qint64 source)
    {
        auto exists = rowExists(taskId, userId);
        if (!exists)
            return exists.error();
        if (!exists.value())
            return Effect::NotAssigned;
        auto sources = sourcesOf(taskId, userId);
        if (!sources)
            return sources.error();
        const bool implicitDirect = sources->isEmpty();
        if (!(sources->contains(source) || (source == kDirect && implicitDirect)))
            return source == kDirect ? Effect::OnlyViaGroup : Effect::Unchanged;
        if (!implicitDirect) {
            auto removed
                = m_d.run(QStringLiteral("DELETE FROM rk_vps_assignment_sources WHERE vps_task_id = ?1 "
                                         "AND user_id = ?2 AND group_id = ?3"),
                    taskId, userId, source);
            if (!removed)
                return removed.error();
            if (sources->size() > 1)
                return Effect::SourceRemoved;
        }
        auto deleted
            = m_d.run(QStringLiteral("DELETE FROM vps_assignments WHERE vps_task_id = ?1 AND user_id = ?2"),
                taskId, userId);
        if (!deleted)
            return deleted.error();
        return Effect::Removed;
    }

    // The VPS a group is assigned to, ascending.
    Result<QList<qint64>> vpsOfGroup(qint64 groupId)
    {
        return ids(QStringLiteral("SELECT vps_task_id FROM rk_vps_group_assignments WHERE group_id = ?1 "
                                  "ORDER BY vps_task_id"),
            groupId);
    }

    // The VPS whose rows a group holds (also after its assignment row went), ascending.
    Result<QList<qint64>> vpsHeldByGroup(qint64 groupId)
    {
        return ids(
            QStringLiteral("SELECT vps_task_id FROM rk_vps_group_assignments WHERE group_id = ?1 "
                           "UNION SELECT vps_task_id FROM rk_vps_assignment_sources WHERE group_id = ?1 "
                           "ORDER BY 1"),
            groupId);
    }

    // Removes the group's assignment to the VPS and every row only it held; audited as `action`.
    // `change` (optional) receives the members who lost their row (removed) and those whose row
    // another source holds (unchanged).
    Status dropGroup(const Actor &actor, qint64 taskId, qint64 groupId, const QString &groupName,
        const QString &action, VpsChange *change)
    {
        auto vps = findVps(taskId);
        if (!vps)
            return vps.error();
        const StoredVps target = vps.value().value_or(StoredVps {taskId, QString()});
        auto unassigned = m_d.run(
            QStringLiteral("DELETE FROM rk_vps_group_assignments WHERE vps_task_id = ?1 AND group_id = ?2"),
            taskId, groupId);
        if (!unassigned)
            return unassigned.error();
        if (auto st = prune(taskId); !st)
            return st;
        auto holders
            = ids(QStringLiteral("SELECT user_id FROM rk_vps_assignment_sources WHERE vps_task_id = ?1 "
                                 "AND group_id = ?2 ORDER BY user_id"),
                taskId, groupId);
        if (!holders)
            return holders.error();
        VpsChange local;
        VpsChange &out = change ? *change : local;
        for (qint64 userId : holders.value()) {
            auto effect = revoke(taskId, userId, groupId);
            if (!effect)
                return effect.error();
            if (effect.value() == Effect::Removed)
                out.removed << userId;
            else
                out.unchanged << userId;
        }
        return m_d.audit(actor, action, QStringLiteral("vps"), vpsLabel(target),
            QJsonObject {{QStringLiteral("task_id"), QString::number(taskId)},
                {QStringLiteral("group_id"), groupId}, {QStringLiteral("group"), groupName}},
            QJsonObject {{QStringLiteral("task_id"), QString::number(taskId)},
                {QStringLiteral("removed_user_ids"), idArray(out.removed)},
                {QStringLiteral("kept_user_ids"), idArray(out.unchanged)}});
    }

    template<typename... Args> Result<QList<qint64>> ids(const QString &sql, const Args &...args)
    {
        auto stmt = m_d.query(sql, args...);
        if (!stmt)
            return stmt.error();
        QList<qint64> result;
        if (auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) { result << row.int64(0); });
            !st)
            return st.error();
        return result;
    }

    Result<QString> groupName(qint64 groupId)
    {
        auto group = m_d.findGroup(groupId);
        if (!group)
            return group.error();
        return group.value() ? group.value()->name : QString();
    }

private:
    Result<bool> rowExists(qint64 taskId, qint64 userId)
    {
        auto n = m_d.integer(
            QStringLiteral("SELECT count(*) FROM vps_assignments WHERE vps_task_id = ?1 AND user_id = ?2"),
            taskId, userId);
        if (!n)
            return n.error();
        return n.value() > 0;
    }

    Result<QList<qint64>> sourcesOf(qint64 taskId, qint64 userId)
    {
        return ids(QStringLiteral("SELECT group_id FROM rk_vps_assignment_sources WHERE vps_task_id = ?1 "
                                  "AND user_id = ?2 ORDER BY group_id"),
            taskId, userId);
    }

    Status addSource(qint64 taskId, qint64 userId, qint64 source)
    {
        auto done
            = m_d.run(QStringLiteral("INSERT OR IGNORE INTO rk_vps_assignment_sources (vps_task_id, user_id, "
                                     "group_id, created_at) VALUES (?1, ?2, ?3, ?4)"),
                taskId, userId, source, m_now);
        if (!done)
            return done.error();
        return {};
    }

    Priv &m_d;
    QString m_now;
};

template<typename Priv> Assignments<Priv> assignmentsOf(Priv &d)
{
    return Assignments<Priv>(d, hosttime::nowDbText());
}

// The users of `ids` as JSON [{id, username}] for the audit (username empty when deleted).
template<typename Priv> Result<QJsonArray> usersJson(Priv &d, const QList<qint64> &ids)
{
    QJsonArray users;
    for (qint64 id : ids) {
        auto user = d.findUser(id);
        if (!user)
            return user.error();
        users.append(QJsonObject {{QStringLiteral("id"), id},
            {QStringLiteral("username"), user.value() ? user.value()->username : QString()}});
    }
    return users;
}

Result<QList<qint64>> requireUserIds(const QList<qint64> &ids)
{
    QList<qint64> unique = sortedUnique(ids);
    if (unique.isEmpty())
        return Error::make(Error::Code::Invalid, tr("Choose at least one user."));
    return unique;
}

} // namespace

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
