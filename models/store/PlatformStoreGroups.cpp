// Groups and memberships. The host only has the tables (nothing reads them yet); Riverkeeper
// keeps them in the host's formats so a later host version can.

#include "PlatformStore.h"

#include "PlatformStore_p.h"
#include "core/HostTime.h"
#include "core/PyJson.h"

#include <QJsonDocument>
#include <QJsonParseError>

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
    return pyjson::dumps(doc.object());
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
        {StoreTable::Groups, StoreTable::Memberships, StoreTable::Users, StoreTable::Invitations});
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
        {StoreTable::Memberships, StoreTable::Groups, StoreTable::Users});
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
    return audit(actor, QStringLiteral("group.add_member"), QStringLiteral("group"), group.name, std::nullopt,
        QJsonObject {{QStringLiteral("user_id"), user.id}, {QStringLiteral("username"), user.username},
            {QStringLiteral("role_override"), role.isNull() ? QJsonValue() : QJsonValue(role)}});
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
            return d->audit(actor, QStringLiteral("group.remove_member"), QStringLiteral("group"),
                group.value()->name, before, std::nullopt);
        },
        {StoreTable::Memberships, StoreTable::Groups, StoreTable::Users});
}

} // namespace rk
