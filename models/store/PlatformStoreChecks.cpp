// The user rules shared by single and bulk changes, their dry runs, and the bulk user actions:
// status and role changes, deletes and group additions over a set of users, each in one
// transaction; creating and editing a user together with their group memberships.

#include "PlatformStore.h"

#include "PlatformStore_p.h"
#include "core/HostTime.h"

#include <QSet>

#include <algorithm>

namespace rk {

using storedetail::tr;

// --- the rules --------------------------------------------------------------------------------

namespace userrules {

Error userNotFound(qint64 id)
{
    return storedetail::notFound(tr("User not found (id %1); it may have been deleted meanwhile.").arg(id));
}

namespace {

Error lastAdminRefusal()
{
    return Error::make(Error::Code::Refused,
        tr("This would leave no active administrator. Make another account an "
           "active administrator first."));
}

Status checkOthers(const std::function<Result<qint64>()> &otherActiveAdmins)
{
    auto others = otherActiveAdmins();
    if (!others)
        return others.error();
    if (others.value() <= 0)
        return lastAdminRefusal();
    return {};
}

} // namespace

Status validateChanges(const UserChanges &changes)
{
    if (changes.displayName) {
        if (auto st = storedetail::checkText(*changes.displayName, 0, 100, tr("The display name")); !st)
            return st;
    }
    if (changes.role) {
        if (auto st = storedetail::checkRole(*changes.role); !st)
            return st;
    }
    return {};
}

Status validateNewUser(const NewUser &user, const PasswordHash &hash)
{
    if (auto st = storedetail::checkText(user.username, 1, 50, tr("The username")); !st)
        return st;
    if (auto st = storedetail::checkText(user.displayName, 0, 100, tr("The display name")); !st)
        return st;
    if (auto st = storedetail::checkRole(user.role); !st)
        return st;
    if (!Passwords::isBcrypt(hash.text())) {
        return Error::make(Error::Code::Invalid,
            tr("The password was not hashed with bcrypt, so the host could not check it."));
    }
    return {};
}

StoredUser applied(const StoredUser &before, const UserChanges &changes)
{
    StoredUser after = before;
    if (changes.displayName)
        after.displayName = changes.displayName->trimmed().isEmpty() ? before.username : *changes.displayName;
    if (changes.role)
        after.role = *changes.role;
    if (changes.active)
        after.active = *changes.active;
    return after;
}

bool differs(const StoredUser &before, const StoredUser &after)
{
    return before.toJson() != after.toJson();
}

Status checkChange(const Actor &actor, const StoredUser &before, const StoredUser &after,
    const std::function<Result<qint64>()> &otherActiveAdmins)
{
    if (before.id == actor.userId) {
        if (after.role != before.role)
            return Error::make(Error::Code::Refused, tr("Cannot demote yourself"));
        if (!after.active && before.active)
            return Error::make(Error::Code::Refused, tr("Cannot disable yourself"));
    }
    if (before.isActiveAdmin() && !after.isActiveAdmin())
        return checkOthers(otherActiveAdmins);
    return {};
}

Status checkDeletion(
    const Actor &actor, const StoredUser &victim, const std::function<Result<qint64>()> &otherActiveAdmins)
{
    if (victim.id == actor.userId)
        return Error::make(Error::Code::Refused, tr("Cannot delete yourself"));
    if (victim.isActiveAdmin())
        return checkOthers(otherActiveAdmins);
    return {};
}

} // namespace userrules

// --- BulkOutcome ------------------------------------------------------------------------------

int BulkOutcome::count(BulkVerdict::State state) const
{
    return int(std::count_if(
        verdicts.begin(), verdicts.end(), [state](const BulkVerdict &v) { return v.state == state; }));
}

QList<qint64> BulkOutcome::idsIn(BulkVerdict::State state) const
{
    QList<qint64> ids;
    for (const BulkVerdict &v : verdicts) {
        if (v.state == state)
            ids << v.userId;
    }
    return ids;
}

const BulkVerdict *BulkOutcome::verdictOf(qint64 userId) const
{
    for (const BulkVerdict &v : verdicts) {
        if (v.userId == userId)
            return &v;
    }
    return nullptr;
}

// --- helpers over the private connection -------------------------------------------------------
// Templates, so they take PlatformStore::Private without naming the private class.

namespace {

using userrules::userNotFound;

// The documented processing order: ascending id, each id once.
QList<qint64> processingOrder(QList<qint64> ids)
{
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

void add(DeletionImpact &sum, const DeletionImpact &one)
{
    sum.sessions += one.sessions;
    sum.tokens += one.tokens;
    sum.groupMemberships += one.groupMemberships;
    sum.vpsAssignments += one.vpsAssignments;
    sum.tasksKept += one.tasksKept;
    sum.invitationsCreated += one.invitationsCreated;
}

BulkVerdict verdictFor(const StoredUser &user)
{
    BulkVerdict v;
    v.userId = user.id;
    v.username = user.username;
    v.displayName = user.displayName;
    v.role = user.role;
    v.active = user.active;
    return v;
}

BulkVerdict missing(qint64 id)
{
    BulkVerdict v;
    v.userId = id;
    v.state = BulkVerdict::State::Refused;
    v.error = userNotFound(id);
    return v;
}

// The active admins, counted up to `cap`: a bulk action over N users can take away at most N of
// them, so N + 1 is all its running count needs, without scanning a million users for the rest.
template<typename Priv> Result<qint64> activeAdmins(Priv &d, qint64 cap)
{
    return d.integer(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM users WHERE role = 'admin' AND "
                                    "is_active <> 0 LIMIT ?1)"),
        cap);
}

// Ends every session of `user`, recorded as revokeSessionsOf() records it.
template<typename Priv> Result<int> endSessions(Priv &d, const Actor &actor, const StoredUser &user)
{
    auto deleted = d.run(QStringLiteral("DELETE FROM sessions WHERE user_id = ?1"), user.id);
    if (!deleted)
        return deleted.error();
    const int revoked = deleted.value();
    if (revoked == 0)
        return 0;
    auto st = d.audit(actor, QStringLiteral("session.revoke_user"), QStringLiteral("user"), user.username,
        QJsonObject {{QStringLiteral("user_id"), user.id}, {QStringLiteral("sessions"), revoked}},
        QJsonObject {{QStringLiteral("sessions"), 0}});
    if (!st)
        return st.error();
    return revoked;
}

// As removeGroupMember() records it.
template<typename Priv>
Status deleteMembership(Priv &d, const Actor &actor, const StoredGroup &group, const StoredUser &user)
{
    auto stmt = d.query(
        QStringLiteral("SELECT role_override FROM user_groups WHERE user_id = ?1 AND group_id = ?2"), user.id,
        group.id);
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!row.value())
        return {};
    const QJsonValue roleOverride = stmt->isNull(0) ? QJsonValue() : QJsonValue(stmt->text(0));
    stmt = SqlStatement();
    auto deleted = d.run(
        QStringLiteral("DELETE FROM user_groups WHERE user_id = ?1 AND group_id = ?2"), user.id, group.id);
    if (!deleted)
        return deleted.error();
    if (auto st = d.audit(actor, QStringLiteral("group.remove_member"), QStringLiteral("group"), group.name,
            QJsonObject {{QStringLiteral("user_id"), user.id}, {QStringLiteral("username"), user.username},
                {QStringLiteral("role_override"), roleOverride}},
            std::nullopt);
        !st)
        return st;
    return d.applyGroupVpsOnLeave(actor, group.id, {user.id});
}

template<typename Priv> Result<bool> isMember(Priv &d, qint64 userId, qint64 groupId)
{
    auto n
        = d.integer(QStringLiteral("SELECT count(*) FROM user_groups WHERE user_id = ?1 AND group_id = ?2"),
            userId, groupId);
    if (!n)
        return n.error();
    return n.value() > 0;
}

template<typename Priv> Result<std::vector<StoredGroup>> findGroups(Priv &d, const QList<qint64> &ids)
{
    std::vector<StoredGroup> groups;
    for (qint64 id : processingOrder(ids)) {
        auto group = d.findGroup(id);
        if (!group)
            return group.error();
        if (!group.value()) {
            return storedetail::notFound(
                tr("Group not found (id %1); it may have been deleted meanwhile.").arg(id));
        }
        groups.push_back(*group.value());
    }
    return groups;
}

// Status and role changes over the set, in processing order, against a running count of active
// admins. With `apply`, inside a write transaction, the allowed ones are written.
template<typename Priv>
Status evaluateUpdates(Priv &d, const Actor &actor, const QList<qint64> &ids, const UserChanges &changes,
    const BulkOptions &options, bool apply, BulkOutcome &out)
{
    auto admins = activeAdmins(d, qint64(ids.size()) + 1);
    if (!admins)
        return admins.error();
    qint64 active = admins.value();
    for (qint64 id : processingOrder(ids)) {
        auto found = d.findUser(id);
        if (!found)
            return found.error();
        if (!found.value()) {
            out.verdicts.push_back(missing(id));
            continue;
        }
        const StoredUser before = *found.value();
        const StoredUser after = userrules::applied(before, changes);
        BulkVerdict v = verdictFor(before);
        if (!userrules::differs(before, after)) {
            v.state = BulkVerdict::State::Unchanged;
        } else {
            const qint64 others = active - (before.isActiveAdmin() ? 1 : 0);
            if (auto st
                = userrules::checkChange(actor, before, after, [others]() { return Result<qint64>(others); });
                !st) {
                v.state = BulkVerdict::State::Refused;
                v.error = st.error();
                out.verdicts.push_back(std::move(v));
                continue;
            }
            active += (after.isActiveAdmin() ? 1 : 0) - (before.isActiveAdmin() ? 1 : 0);
            if (apply) {
                if (auto st = d.storeUserChange(actor, before, after); !st)
                    return st;
            }
        }
        if (options.endSessions && id != actor.userId) {
            if (apply) {
                auto ended = endSessions(d, actor, before);
                if (!ended)
                    return ended.error();
                v.sessions = ended.value();
            } else {
                auto n = d.integer(QStringLiteral("SELECT count(*) FROM sessions WHERE user_id = ?1"), id);
                if (!n)
                    return n.error();
                v.sessions = int(n.value());
            }
            out.sessionsEnded += v.sessions;
        }
        out.verdicts.push_back(std::move(v));
    }
    return {};
}

template<typename Priv>
Status evaluateDeletes(Priv &d, const Actor &actor, const QList<qint64> &ids, bool apply, BulkOutcome &out)
{
    auto admins = activeAdmins(d, qint64(ids.size()) + 1);
    if (!admins)
        return admins.error();
    qint64 active = admins.value();
    for (qint64 id : processingOrder(ids)) {
        auto found = d.findUser(id);
        if (!found)
            return found.error();
        if (!found.value()) {
            out.verdicts.push_back(missing(id));
            continue;
        }
        const StoredUser victim = *found.value();
        BulkVerdict v = verdictFor(victim);
        const qint64 others = active - (victim.isActiveAdmin() ? 1 : 0);
        if (auto st = userrules::checkDeletion(actor, victim, [others]() { return Result<qint64>(others); });
            !st) {
            v.state = BulkVerdict::State::Refused;
            v.error = st.error();
            out.verdicts.push_back(std::move(v));
            continue;
        }
        if (victim.isActiveAdmin())
            --active;
        auto impact = apply ? d.removeUser(actor, victim) : d.impactOf(id);
        if (!impact)
            return impact.error();
        v.impact = impact.value();
        v.sessions = v.impact.sessions;
        add(out.impact, v.impact);
        out.verdicts.push_back(std::move(v));
    }
    return {};
}

template<typename Priv>
Status evaluateGroupAdds(Priv &d, const Actor &actor, const StoredGroup &group, const QList<qint64> &ids,
    const QString &roleOverride, bool apply, BulkOutcome &out)
{
    for (qint64 id : processingOrder(ids)) {
        auto found = d.findUser(id);
        if (!found)
            return found.error();
        if (!found.value()) {
            out.verdicts.push_back(missing(id));
            continue;
        }
        BulkVerdict v = verdictFor(*found.value());
        auto member = isMember(d, id, group.id);
        if (!member)
            return member.error();
        if (member.value()) {
            v.state = BulkVerdict::State::Unchanged;
        } else if (apply) {
            if (auto st = d.insertMembership(actor, group, *found.value(), roleOverride); !st)
                return st;
        }
        out.verdicts.push_back(std::move(v));
    }
    return {};
}

template<typename Priv> Result<StoredGroup> requireGroup(Priv &d, qint64 groupId)
{
    auto group = d.findGroup(groupId);
    if (!group)
        return group.error();
    if (!group.value()) {
        return storedetail::notFound(
            tr("Group not found (id %1); it may have been deleted meanwhile.").arg(groupId));
    }
    return *group.value();
}

} // namespace

// --- single-user dry runs ---------------------------------------------------------------------

Status PlatformStore::checkUpdateUser(const Actor &actor, qint64 id, const UserChanges &changes)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    if (auto st = userrules::validateChanges(changes); !st)
        return st;
    return d->db->readTransaction([&]() -> Status {
        auto found = d->findUser(id);
        if (!found)
            return found.error();
        if (!found.value())
            return userNotFound(id);
        const StoredUser before = *found.value();
        const StoredUser after = userrules::applied(before, changes);
        if (!userrules::differs(before, after))
            return {};
        return userrules::checkChange(actor, before, after, [&]() { return d->otherActiveAdmins(id); });
    });
}

Status PlatformStore::checkDeleteUser(const Actor &actor, qint64 id)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    return d->db->readTransaction([&]() -> Status {
        auto found = d->findUser(id);
        if (!found)
            return found.error();
        if (!found.value())
            return userNotFound(id);
        return userrules::checkDeletion(actor, *found.value(), [&]() { return d->otherActiveAdmins(id); });
    });
}

// --- bulk -------------------------------------------------------------------------------------

Result<BulkOutcome> PlatformStore::checkUpdateUsers(
    const Actor &actor, const QList<qint64> &ids, const UserChanges &changes, const BulkOptions &options)
{
    if (auto st = d->checkWritable(); !st)
        return st.error();
    return predictUpdateUsers(actor, ids, changes, options);
}

Result<BulkOutcome> PlatformStore::predictUpdateUsers(
    const Actor &actor, const QList<qint64> &ids, const UserChanges &changes, const BulkOptions &options)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    if (auto st = userrules::validateChanges(changes); !st)
        return st.error();
    BulkOutcome out;
    auto st = d->db->readTransaction(
        [&]() { return evaluateUpdates(*d, actor, ids, changes, options, false, out); });
    if (!st)
        return st.error();
    return out;
}

Result<BulkOutcome> PlatformStore::updateUsers(
    const Actor &actor, const QList<qint64> &ids, const UserChanges &changes, const BulkOptions &options)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    if (auto st = userrules::validateChanges(changes); !st)
        return st.error();
    BulkOutcome out;
    QList<StoreTable> touched = {StoreTable::Users, StoreTable::Sessions};
    auto st = d->write(
        [&]() -> Status {
            out = BulkOutcome();
            if (auto done = evaluateUpdates(*d, actor, ids, changes, options, true, out); !done)
                return done;
            if (out.count(BulkVerdict::State::Apply) == 0 && out.sessionsEnded == 0)
                touched.clear();
            else if (out.sessionsEnded == 0)
                touched.removeAll(StoreTable::Sessions);
            return {};
        },
        touched);
    if (!st)
        return st.error();
    out.applied = true;
    return out;
}

Result<BulkOutcome> PlatformStore::checkDeleteUsers(const Actor &actor, const QList<qint64> &ids)
{
    if (auto st = d->checkWritable(); !st)
        return st.error();
    return predictDeleteUsers(actor, ids);
}

Result<BulkOutcome> PlatformStore::predictDeleteUsers(const Actor &actor, const QList<qint64> &ids)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    BulkOutcome out;
    auto st = d->db->readTransaction([&]() { return evaluateDeletes(*d, actor, ids, false, out); });
    if (!st)
        return st.error();
    return out;
}

Result<BulkOutcome> PlatformStore::deleteUsers(const Actor &actor, const QList<qint64> &ids)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    BulkOutcome out;
    QList<StoreTable> touched = {StoreTable::Users, StoreTable::Sessions, StoreTable::Tokens,
        StoreTable::Memberships, StoreTable::VpsAssignments, StoreTable::Invitations};
    auto st = d->write(
        [&]() -> Status {
            out = BulkOutcome();
            if (auto done = evaluateDeletes(*d, actor, ids, true, out); !done)
                return done;
            if (out.count(BulkVerdict::State::Apply) == 0)
                touched.clear();
            return {};
        },
        touched);
    if (!st)
        return st.error();
    out.applied = true;
    return out;
}

Result<BulkOutcome> PlatformStore::checkAddUsersToGroup(
    const Actor &actor, qint64 groupId, const QList<qint64> &ids)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    BulkOutcome out;
    auto st = d->db->readTransaction([&]() -> Status {
        auto group = requireGroup(*d, groupId);
        if (!group)
            return group.error();
        return evaluateGroupAdds(*d, actor, group.value(), ids, QString(), false, out);
    });
    if (!st)
        return st.error();
    return out;
}

Result<BulkOutcome> PlatformStore::addUsersToGroup(
    const Actor &actor, qint64 groupId, const QList<qint64> &ids, const QString &roleOverride)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    if (!roleOverride.isEmpty()) {
        if (auto st = storedetail::checkRole(roleOverride); !st)
            return st.error();
    }
    BulkOutcome out;
    QList<StoreTable> touched
        = {StoreTable::Memberships, StoreTable::Groups, StoreTable::Users, StoreTable::VpsAssignments};
    auto st = d->write(
        [&]() -> Status {
            out = BulkOutcome();
            auto group = requireGroup(*d, groupId);
            if (!group)
                return group.error();
            if (auto done = evaluateGroupAdds(*d, actor, group.value(), ids, roleOverride, true, out); !done)
                return done;
            if (out.count(BulkVerdict::State::Apply) == 0)
                touched.clear();
            return {};
        },
        touched);
    if (!st)
        return st.error();
    out.applied = true;
    return out;
}

// --- users with their groups ------------------------------------------------------------------

Result<qint64> PlatformStore::createUserInGroups(
    const Actor &actor, const NewUser &user, const PasswordHash &hash, const QList<qint64> &groupIds)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    if (auto st = userrules::validateNewUser(user, hash); !st)
        return st.error();
    qint64 newId = 0;
    auto st = d->write(
        [&]() -> Status {
            auto groups = findGroups(*d, groupIds);
            if (!groups)
                return groups.error();
            auto inserted = d->insertUser(actor, user, hash);
            if (!inserted)
                return inserted.error();
            newId = inserted.value();
            auto created = d->findUser(newId);
            if (!created)
                return created.error();
            for (const StoredGroup &group : groups.value()) {
                if (auto done = d->insertMembership(actor, group, *created.value(), QString()); !done)
                    return done;
            }
            return {};
        },
        {StoreTable::Users, StoreTable::Memberships, StoreTable::Groups, StoreTable::VpsAssignments});
    if (!st)
        return st.error();
    return newId;
}

Status PlatformStore::editUser(const Actor &actor, qint64 id, const UserEdit &edit)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    if (auto st = userrules::validateChanges(edit.changes); !st)
        return st;
    QList<StoreTable> touched
        = {StoreTable::Users, StoreTable::Memberships, StoreTable::Groups, StoreTable::VpsAssignments};
    return d->write(
        [&]() -> Status {
            auto found = d->findUser(id);
            if (!found)
                return found.error();
            if (!found.value())
                return userNotFound(id);
            const StoredUser before = *found.value();
            const StoredUser after = userrules::applied(before, edit.changes);
            bool changed = false;
            if (userrules::differs(before, after)) {
                if (auto st = userrules::checkChange(
                        actor, before, after, [&]() { return d->otherActiveAdmins(id); });
                    !st)
                    return st;
                if (auto st = d->storeUserChange(actor, before, after); !st)
                    return st;
                changed = true;
            }
            if (edit.groupIds) {
                auto wanted = findGroups(*d, *edit.groupIds);
                if (!wanted)
                    return wanted.error();
                auto stmt = d->query(
                    QStringLiteral("SELECT group_id FROM user_groups WHERE user_id = ?1 ORDER BY group_id"),
                    id);
                if (!stmt)
                    return stmt.error();
                QSet<qint64> current;
                if (auto st = storedetail::eachRow(
                        stmt.value(), [&](SqlStatement &row) { current.insert(row.int64(0)); });
                    !st)
                    return st;
                stmt = SqlStatement();
                QSet<qint64> keep;
                for (const StoredGroup &group : wanted.value()) {
                    keep.insert(group.id);
                    if (current.contains(group.id))
                        continue;
                    if (auto st = d->insertMembership(actor, group, after, QString()); !st)
                        return st;
                    changed = true;
                }
                QList<qint64> leaving;
                for (qint64 groupId : std::as_const(current)) {
                    if (!keep.contains(groupId))
                        leaving << groupId;
                }
                std::sort(leaving.begin(), leaving.end());
                for (qint64 groupId : std::as_const(leaving)) {
                    auto group = d->findGroup(groupId);
                    if (!group)
                        return group.error();
                    if (!group.value())
                        continue; // a membership row of a group that is gone: leave it to the groups page
                    if (auto st = deleteMembership(*d, actor, *group.value(), after); !st)
                        return st;
                    changed = true;
                }
            }
            if (!changed)
                touched.clear();
            return {};
        },
        touched);
}

Result<QList<qint64>> PlatformStore::groupIdsOf(const Actor &actor, qint64 userId)
{
    if (auto st = Private::require(actor, Permission::ViewUsers); !st)
        return st.error();
    auto stmt = d->query(
        QStringLiteral("SELECT ug.group_id FROM user_groups ug JOIN groups g ON g.id = ug.group_id "
                       "WHERE ug.user_id = ?1 ORDER BY ug.group_id"),
        userId);
    if (!stmt)
        return stmt.error();
    QList<qint64> ids;
    auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) { ids << row.int64(0); });
    if (!st)
        return st.error();
    return ids;
}

} // namespace rk
