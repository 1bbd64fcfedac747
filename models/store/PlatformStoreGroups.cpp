// Groups and memberships. The host only has the tables (nothing reads them yet); Riverkeeper
// keeps them in the host's formats so a later host version can.

#include "PlatformStore.h"

#include "PlatformStore_p.h"
#include "core/HostTime.h"
#include "core/PyJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <limits>

namespace rk {

using storedetail::tr;

namespace {

Error groupNotFound(qint64 id)
{
    return storedetail::notFound(tr("Group not found (id %1); it may have been deleted meanwhile.").arg(id));
}

// Parses `text` as a JSON object and returns it as the host writes limits_json
// (Python's json.dumps: `{"max_tasks": 4}`); an Invalid error otherwise.
Result<QString> hostLimitsJson(const QString &text)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Error::make(Error::Code::Invalid,
            tr("The group limits are not valid JSON: %1 (at character %2).")
                .arg(parseError.errorString())
                .arg(parseError.offset));
    }
    if (!doc.isObject()) {
        return Error::make(
            Error::Code::Invalid, tr("The group limits must be a JSON object such as {\"max_tasks\": 4}."));
    }
    const QJsonObject object = doc.object();
    // The quota keys Riverkeeper edits: a whole number of at least 0, or null (no limit, as
    // Python's limits.get() reads an absent key). Other keys are kept as they are.
    for (const char *key : {"max_tasks", "max_vps", "gpu_cap"}) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isUndefined() || value.isNull())
            continue;
        const qint64 n = value.toInteger(-1);
        if (!value.isDouble() || n < 0 || n > std::numeric_limits<int>::max()
            || double(n) != value.toDouble()) {
            return Error::make(Error::Code::Invalid,
                tr("The group limit %1 must be a whole number from 0 to %2, or absent for no limit.")
                    .arg(QLatin1String(key))
                    .arg(std::numeric_limits<int>::max()));
        }
    }
    return pyjson::dumps(object);
}

Status checkTier(int tier)
{
    if (tier < 0)
        return Error::make(Error::Code::Invalid, tr("The tier must be 0 or more."));
    return {};
}

QJsonValue limitsValue(const QString &stored)
{
    const QJsonDocument doc = QJsonDocument::fromJson(stored.toUtf8());
    return doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(stored);
}

} // namespace

Result<std::optional<StoredGroup>> PlatformStore::Private::findGroup(qint64 id)
{
    auto stmt = query(QStringLiteral("SELECT id, name, tier, limits_json FROM groups WHERE id = ?1"), id);
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!row.value())
        return std::optional<StoredGroup>();
    return std::optional<StoredGroup>(
        StoredGroup {stmt->int64(0), stmt->text(1), static_cast<int>(stmt->int64(2)), stmt->text(3)});
}

Status PlatformStore::Private::checkGroupNameFree(const QString &name, qint64 exceptId)
{
    auto taken
        = integer(QStringLiteral("SELECT count(*) FROM groups WHERE name = ?1 AND id <> ?2"), name, exceptId);
    if (!taken)
        return taken.error();
    if (taken.value() > 0) {
        return Error::make(Error::Code::Conflict, tr("A group named \"%1\" already exists.").arg(name));
    }
    return {};
}

Result<std::vector<GroupRecord>> PlatformStore::listGroups(const Actor &actor)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
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

Result<qint64> PlatformStore::createGroup(
    const Actor &actor, const QString &name, int tier, const QString &limitsJson)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    if (auto st = storedetail::checkText(name, 1, 100, tr("The group name")); !st)
        return st.error();
    if (auto st = checkTier(tier); !st)
        return st.error();
    auto limits = hostLimitsJson(limitsJson.trimmed().isEmpty() ? QStringLiteral("{}") : limitsJson);
    if (!limits)
        return limits.error();
    qint64 newId = 0;
    auto st = d->write(
        [&]() -> Status {
            if (auto free = d->checkGroupNameFree(name, 0); !free)
                return free;
            auto inserted = d->run(QStringLiteral("INSERT INTO groups (name, tier, limits_json, created_at) "
                                                  "VALUES (?1, ?2, ?3, ?4)"),
                name, tier, limits.value(), hosttime::nowDbText());
            if (!inserted)
                return inserted.error();
            newId = d->db->lastInsertRowId();
            return d->audit(actor, QStringLiteral("group.create"), QStringLiteral("group"), name,
                std::nullopt,
                QJsonObject {{QStringLiteral("id"), newId}, {QStringLiteral("name"), name},
                    {QStringLiteral("tier"), tier}, {QStringLiteral("limits"), limitsValue(limits.value())}});
        },
        {StoreTable::Groups});
    if (!st)
        return st.error();
    return newId;
}

Status PlatformStore::renameGroup(const Actor &actor, qint64 groupId, const QString &newName)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    if (auto st = storedetail::checkText(newName, 1, 100, tr("The group name")); !st)
        return st;
    QList<StoreTable> touched = {StoreTable::Groups, StoreTable::Users, StoreTable::Invitations};
    return d->write(
        [&]() -> Status {
            auto group = d->findGroup(groupId);
            if (!group)
                return group.error();
            if (!group.value())
                return groupNotFound(groupId);
            if (group.value()->name == newName) {
                touched.clear();
                return {};
            }
            if (auto free = d->checkGroupNameFree(newName, groupId); !free)
                return free;
            auto updated
                = d->run(QStringLiteral("UPDATE groups SET name = ?1 WHERE id = ?2"), newName, groupId);
            if (!updated)
                return updated.error();
            return d->audit(actor, QStringLiteral("group.rename"), QStringLiteral("group"), newName,
                QJsonObject {{QStringLiteral("name"), group.value()->name}},
                QJsonObject {{QStringLiteral("name"), newName}});
        },
        touched);
}

Status PlatformStore::deleteGroup(const Actor &actor, qint64 groupId)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    return d->write(
        [&]() -> Status {
            auto group = d->findGroup(groupId);
            if (!group)
                return group.error();
            if (!group.value())
                return groupNotFound(groupId);
            // The group's VPS assignments go first: they need to know who held them through it.
            if (auto st = d->applyGroupVpsOnDelete(actor, groupId); !st)
                return st;
            auto members = d->run(QStringLiteral("DELETE FROM user_groups WHERE group_id = ?1"), groupId);
            if (!members)
                return members.error();
            auto invitations = d->run(
                QStringLiteral("UPDATE invitations SET group_id = NULL WHERE group_id = ?1"), groupId);
            if (!invitations)
                return invitations.error();
            auto deleted = d->run(QStringLiteral("DELETE FROM groups WHERE id = ?1"), groupId);
            if (!deleted)
                return deleted.error();
            const StoredGroup &g = *group.value();
            return d->audit(actor, QStringLiteral("group.delete"), QStringLiteral("group"), g.name,
                QJsonObject {{QStringLiteral("id"), groupId}, {QStringLiteral("name"), g.name},
                    {QStringLiteral("tier"), g.tier}, {QStringLiteral("limits"), limitsValue(g.limits)},
                    {QStringLiteral("members"), members.value()},
                    {QStringLiteral("invitations"), invitations.value()}},
                std::nullopt);
        },
        {StoreTable::Groups, StoreTable::Memberships, StoreTable::Users, StoreTable::Invitations,
            StoreTable::VpsAssignments});
}

Status PlatformStore::setGroupLimits(const Actor &actor, qint64 groupId, const QString &limitsJson)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    auto limits = hostLimitsJson(limitsJson);
    if (!limits)
        return limits.error();
    QList<StoreTable> touched = {StoreTable::Groups};
    return d->write(
        [&]() -> Status {
            auto group = d->findGroup(groupId);
            if (!group)
                return group.error();
            if (!group.value())
                return groupNotFound(groupId);
            if (group.value()->limits == limits.value()) {
                touched.clear();
                return {};
            }
            auto updated = d->run(
                QStringLiteral("UPDATE groups SET limits_json = ?1 WHERE id = ?2"), limits.value(), groupId);
            if (!updated)
                return updated.error();
            return d->audit(actor, QStringLiteral("group.limits"), QStringLiteral("group"),
                group.value()->name,
                QJsonObject {{QStringLiteral("limits"), limitsValue(group.value()->limits)}},
                QJsonObject {{QStringLiteral("limits"), limitsValue(limits.value())}});
        },
        touched);
}

Result<std::vector<GroupMember>> PlatformStore::groupMembers(const Actor &actor, qint64 groupId)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    auto group = d->findGroup(groupId);
    if (!group)
        return group.error();
    if (!group.value())
        return groupNotFound(groupId);
    auto stmt
        = d->query(QStringLiteral("SELECT ug.user_id, u.username, ug.role_override, ug.created_at "
                                  "FROM user_groups ug LEFT JOIN users u ON u.id = ug.user_id "
                                  "WHERE ug.group_id = ?1 ORDER BY u.username COLLATE NOCASE, ug.user_id"),
            groupId);
    if (!stmt)
        return stmt.error();
    std::vector<GroupMember> members;
    auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) {
        GroupMember m;
        m.userId = row.int64(0);
        m.username = row.text(1);
        m.roleOverride = row.text(2);
        m.addedAt = row.text(3);
        members.push_back(std::move(m));
    });
    if (!st)
        return st.error();
    return members;
}

Status PlatformStore::addGroupMember(
    const Actor &actor, qint64 groupId, qint64 userId, const QString &roleOverride)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    if (!roleOverride.isEmpty()) {
        if (auto st = storedetail::checkRole(roleOverride); !st)
            return st;
    }
    return d->write(
        [&]() -> Status {
            auto group = d->findGroup(groupId);
            if (!group)
                return group.error();
            if (!group.value())
                return groupNotFound(groupId);
            auto member = d->findUser(userId);
            if (!member)
                return member.error();
            if (!member.value()) {
                return storedetail::notFound(
                    tr("User not found (id %1); it may have been deleted meanwhile.").arg(userId));
            }
            auto already = d->integer(QStringLiteral("SELECT count(*) FROM user_groups WHERE user_id = ?1 "
                                                     "AND group_id = ?2"),
                userId, groupId);
            if (!already)
                return already.error();
            if (already.value() > 0) {
                return Error::make(Error::Code::Conflict,
                    tr("%1 is already a member of %2.").arg(member.value()->username, group.value()->name));
            }
            return d->insertMembership(actor, *group.value(), *member.value(), roleOverride);
        },
        {StoreTable::Memberships, StoreTable::Groups, StoreTable::Users, StoreTable::VpsAssignments});
}

Status PlatformStore::Private::insertMembership(
    const Actor &actor, const StoredGroup &group, const StoredUser &user, const QString &roleOverride)
{
    const QString role = roleOverride.isEmpty() ? QString() : roleOverride;
    auto inserted = run(QStringLiteral("INSERT INTO user_groups (user_id, group_id, role_override, "
                                       "created_at) VALUES (?1, ?2, ?3, ?4)"),
        user.id, group.id, role, hosttime::nowDbText());
    if (!inserted)
        return inserted.error();
    if (auto st
        = audit(actor, QStringLiteral("group.add_member"), QStringLiteral("group"), group.name, std::nullopt,
            QJsonObject {{QStringLiteral("user_id"), user.id}, {QStringLiteral("username"), user.username},
                {QStringLiteral("role_override"), role.isNull() ? QJsonValue() : QJsonValue(role)}});
        !st)
        return st;
    // A new member gets the VPS assigned to the group (PlatformStoreVps.cpp).
    return applyGroupVpsOnJoin(actor, group.id, {user.id});
}

Status PlatformStore::removeGroupMember(const Actor &actor, qint64 groupId, qint64 userId)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    return d->write(
        [&]() -> Status {
            auto group = d->findGroup(groupId);
            if (!group)
                return group.error();
            if (!group.value())
                return groupNotFound(groupId);
            auto stmt = d->query(QStringLiteral("SELECT ug.role_override, u.username FROM user_groups ug "
                                                "LEFT JOIN users u ON u.id = ug.user_id "
                                                "WHERE ug.user_id = ?1 AND ug.group_id = ?2"),
                userId, groupId);
            if (!stmt)
                return stmt.error();
            auto row = stmt->step();
            if (!row)
                return row.error();
            if (!row.value()) {
                return storedetail::notFound(
                    tr("User %1 is not a member of %2.").arg(QString::number(userId), group.value()->name));
            }
            const QJsonObject before {{QStringLiteral("user_id"), userId},
                {QStringLiteral("username"), stmt->text(1)},
                {QStringLiteral("role_override"),
                    stmt->isNull(0) ? QJsonValue() : QJsonValue(stmt->text(0))}};
            stmt = SqlStatement();
            auto deleted
                = d->run(QStringLiteral("DELETE FROM user_groups WHERE user_id = ?1 AND group_id = ?2"),
                    userId, groupId);
            if (!deleted)
                return deleted.error();
            if (auto st = d->audit(actor, QStringLiteral("group.remove_member"), QStringLiteral("group"),
                    group.value()->name, before, std::nullopt);
                !st)
                return st;
            return d->applyGroupVpsOnLeave(actor, groupId, {userId});
        },
        {StoreTable::Memberships, StoreTable::Groups, StoreTable::Users, StoreTable::VpsAssignments});
}

// --- one group, edits in one transaction, bulk membership changes ----------------------------------

namespace {

// Ascending, each id once.
QList<qint64> uniqueIds(const QList<qint64> &ids)
{
    QList<qint64> out = ids;
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// A user_groups row as rk_audit records it.
struct StoredMembership
{
    qint64 userId = 0;
    QString username; // empty when the user no longer exists (the host enforces no foreign keys)
    QString roleOverride; // null: none

    QJsonObject toJson(const QString &override) const
    {
        return {{QStringLiteral("user_id"), userId}, {QStringLiteral("username"), username},
            {QStringLiteral("role_override"), override.isNull() ? QJsonValue() : QJsonValue(override)}};
    }
};

// The memberships of `userIds` (ascending, unique) in `groupId`, in that order; the ids that are
// not members go to `missing`.
template<typename Priv>
Result<std::vector<StoredMembership>> findMemberships(
    Priv &d, qint64 groupId, const QList<qint64> &userIds, QList<qint64> &missing)
{
    auto stmt = d.query(QStringLiteral("SELECT ug.role_override, u.username FROM user_groups ug "
                                       "LEFT JOIN users u ON u.id = ug.user_id "
                                       "WHERE ug.user_id = ?1 AND ug.group_id = ?2"),
        qint64(0), groupId);
    if (!stmt)
        return stmt.error();
    std::vector<StoredMembership> found;
    for (qint64 userId : userIds) {
        stmt->reset();
        stmt->bind(1, userId).bind(2, groupId);
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!row.value()) {
            missing << userId;
            continue;
        }
        StoredMembership m;
        m.userId = userId;
        m.roleOverride = stmt->isNull(0) ? QString() : stmt->text(0);
        m.username = stmt->isNull(1) ? QString() : stmt->text(1);
        found.push_back(std::move(m));
    }
    return found;
}

// NotFound for members that are gone, naming the one or counting the many.
template<typename Priv>
Error notMembers(Priv &d, const StoredGroup &group, const QList<qint64> &missing, qsizetype asked)
{
    if (asked == 1) {
        auto user = d.findUser(missing.front());
        const QString who = user && user.value()
            ? QStringLiteral("\u201c%1\u201d").arg(user.value()->username)
            : tr("User %1").arg(missing.front());
        return storedetail::notFound(
            tr("%1 is not a member of \u201c%2\u201d (any more); nothing was changed.").arg(who, group.name));
    }
    return storedetail::notFound(
        tr("%1 of the %2 chosen users are not members of \u201c%3\u201d (any more); nothing was changed.")
            .arg(missing.size())
            .arg(asked)
            .arg(group.name));
}

template<typename Priv>
Result<GroupRecord> loadGroupRecord(Priv &d, const QString &where, const QVariant &key)
{
    auto stmt = d.query(QStringLiteral("SELECT g.id, g.name, g.tier, g.limits_json, g.created_at, "
                                       "(SELECT count(*) FROM user_groups ug WHERE ug.group_id = g.id) "
                                       "FROM groups g WHERE %1")
                            .arg(where));
    if (!stmt)
        return stmt.error();
    stmt->bindVariant(1, key);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!row.value())
        return Error::make(Error::Code::NotFound, QString());
    GroupRecord g;
    g.id = stmt->int64(0);
    g.name = stmt->text(1);
    g.tier = static_cast<int>(stmt->int64(2));
    g.limitsJson = stmt->text(3);
    g.createdAt = stmt->text(4);
    g.memberCount = static_cast<int>(stmt->int64(5));
    return g;
}

} // namespace

Result<GroupRecord> PlatformStore::group(const Actor &actor, qint64 groupId)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    auto g = loadGroupRecord(*d, QStringLiteral("g.id = ?1"), QVariant::fromValue(groupId));
    if (!g && g.error().code == Error::Code::NotFound)
        return groupNotFound(groupId);
    return g;
}

Result<GroupRecord> PlatformStore::groupByName(const Actor &actor, const QString &name)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    auto g = loadGroupRecord(*d, QStringLiteral("g.name = ?1"), QVariant(name));
    if (!g && g.error().code == Error::Code::NotFound)
        return storedetail::notFound(tr("There is no group named \"%1\".").arg(name));
    return g;
}

Status PlatformStore::updateGroup(const Actor &actor, qint64 groupId, const GroupChanges &changes)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    if (changes.name) {
        if (auto st = storedetail::checkText(*changes.name, 1, 100, tr("The group name")); !st)
            return st;
    }
    if (changes.tier) {
        if (auto st = checkTier(*changes.tier); !st)
            return st;
    }
    std::optional<QString> limits;
    if (changes.limitsJson) {
        auto dumped = hostLimitsJson(*changes.limitsJson);
        if (!dumped)
            return dumped.error();
        limits = dumped.value();
    }
    QList<StoreTable> touched;
    const auto touch = [&touched](std::initializer_list<StoreTable> tables) {
        for (StoreTable t : tables) {
            if (!touched.contains(t))
                touched << t;
        }
    };
    return d->write(
        [&]() -> Status {
            auto found = d->findGroup(groupId);
            if (!found)
                return found.error();
            if (!found.value())
                return groupNotFound(groupId);
            const StoredGroup before = *found.value();
            if (changes.name && *changes.name != before.name) {
                if (auto free = d->checkGroupNameFree(*changes.name, groupId); !free)
                    return free;
                auto updated = d->run(
                    QStringLiteral("UPDATE groups SET name = ?1 WHERE id = ?2"), *changes.name, groupId);
                if (!updated)
                    return updated.error();
                if (auto st = d->audit(actor, QStringLiteral("group.rename"), QStringLiteral("group"),
                        *changes.name, QJsonObject {{QStringLiteral("name"), before.name}},
                        QJsonObject {{QStringLiteral("name"), *changes.name}});
                    !st)
                    return st;
                touch({StoreTable::Groups, StoreTable::Users, StoreTable::Invitations});
            }
            const QString name = changes.name.value_or(before.name);
            if (changes.tier && *changes.tier != before.tier) {
                auto updated = d->run(
                    QStringLiteral("UPDATE groups SET tier = ?1 WHERE id = ?2"), *changes.tier, groupId);
                if (!updated)
                    return updated.error();
                if (auto st = d->audit(actor, QStringLiteral("group.tier"), QStringLiteral("group"), name,
                        QJsonObject {{QStringLiteral("tier"), before.tier}},
                        QJsonObject {{QStringLiteral("tier"), *changes.tier}});
                    !st)
                    return st;
                touch({StoreTable::Groups});
            }
            if (limits && *limits != before.limits) {
                auto updated = d->run(
                    QStringLiteral("UPDATE groups SET limits_json = ?1 WHERE id = ?2"), *limits, groupId);
                if (!updated)
                    return updated.error();
                if (auto st = d->audit(actor, QStringLiteral("group.limits"), QStringLiteral("group"), name,
                        QJsonObject {{QStringLiteral("limits"), limitsValue(before.limits)}},
                        QJsonObject {{QStringLiteral("limits"), limitsValue(*limits)}});
                    !st)
                    return st;
                touch({StoreTable::Groups});
            }
            return {};
        },
        touched);
}

Status PlatformStore::setMemberRoleOverride(
    const Actor &actor, qint64 groupId, qint64 userId, const QString &roleOverride)
{
    auto changed = setMemberRoleOverrides(actor, groupId, {userId}, roleOverride);
    if (!changed)
        return changed.error();
    return {};
}

Result<int> PlatformStore::setMemberRoleOverrides(
    const Actor &actor, qint64 groupId, const QList<qint64> &userIds, const QString &roleOverride)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    if (!roleOverride.isEmpty()) {
        if (auto st = storedetail::checkRole(roleOverride); !st)
            return st.error();
    }
    const QList<qint64> ids = uniqueIds(userIds);
    if (ids.isEmpty())
        return Error::make(Error::Code::Invalid, tr("Choose at least one member."));
    // Empty means "none": stored as NULL, as the host's column default.
    const QString role = roleOverride.isEmpty() ? QString() : roleOverride;
    int changedCount = 0;
    QList<StoreTable> touched;
    auto st = d->write(
        [&]() -> Status {
            auto group = d->findGroup(groupId);
            if (!group)
                return group.error();
            if (!group.value())
                return groupNotFound(groupId);
            QList<qint64> missing;
            auto members = findMemberships(*d, groupId, ids, missing);
            if (!members)
                return members.error();
            if (!missing.isEmpty())
                return notMembers(*d, *group.value(), missing, ids.size());
            for (const StoredMembership &m : members.value()) {
                if (m.roleOverride == role && m.roleOverride.isNull() == role.isNull())
                    continue;
                auto updated = d->run(QStringLiteral("UPDATE user_groups SET role_override = ?1 "
                                                     "WHERE user_id = ?2 AND group_id = ?3"),
                    role, m.userId, groupId);
                if (!updated)
                    return updated.error();
                if (auto done
                    = d->audit(actor, QStringLiteral("group.role_override"), QStringLiteral("group"),
                        group.value()->name, m.toJson(m.roleOverride), m.toJson(role));
                    !done)
                    return done;
                ++changedCount;
            }
            if (changedCount > 0)
                touched << StoreTable::Memberships;
            return {};
        },
        touched);
    if (!st)
        return st.error();
    return changedCount;
}

Result<int> PlatformStore::removeGroupMembers(
    const Actor &actor, qint64 groupId, const QList<qint64> &userIds)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    const QList<qint64> ids = uniqueIds(userIds);
    if (ids.isEmpty())
        return Error::make(Error::Code::Invalid, tr("Choose at least one member."));
    int removed = 0;
    auto st = d->write(
        [&]() -> Status {
            auto group = d->findGroup(groupId);
            if (!group)
                return group.error();
            if (!group.value())
                return groupNotFound(groupId);
            QList<qint64> missing;
            auto members = findMemberships(*d, groupId, ids, missing);
            if (!members)
                return members.error();
            if (!missing.isEmpty())
                return notMembers(*d, *group.value(), missing, ids.size());
            auto stmt
                = d->query(QStringLiteral("DELETE FROM user_groups WHERE user_id = ?1 AND group_id = ?2"),
                    qint64(0), groupId);
            if (!stmt)
                return stmt.error();
            for (const StoredMembership &m : members.value()) {
                stmt->reset();
                stmt->bind(1, m.userId).bind(2, groupId);
                if (auto done = stmt->run(); !done)
                    return done;
                if (auto done = d->audit(actor, QStringLiteral("group.remove_member"),
                        QStringLiteral("group"), group.value()->name, m.toJson(m.roleOverride), std::nullopt);
                    !done)
                    return done;
                ++removed;
            }
            // VPS rows that came only from this group go with the membership (PlatformStoreVps.cpp).
            return d->applyGroupVpsOnLeave(actor, groupId, ids);
        },
        {StoreTable::Memberships, StoreTable::Groups, StoreTable::Users, StoreTable::VpsAssignments});
    if (!st)
        return st.error();
    return removed;
}

} // namespace rk
