// Users: listing with derived columns, create, update, password reset, delete.

#include "PlatformStore.h"

#include "PlatformStore_p.h"
#include "core/HostTime.h"

#include <algorithm>

namespace rk {

using storedetail::tr;

namespace {

const QChar kGroupSeparator(0x1f); // unit separator: group names never contain control characters

using userrules::userNotFound;

StoredUser readStoredUser(SqlStatement &row)
{
    StoredUser u;
    u.id = row.int64(0);
    u.username = row.text(1);
    u.displayName = row.text(2);
    u.role = row.text(3);
    u.active = row.int64(4) != 0;
    return u;
}

} // namespace

// --- Private helpers --------------------------------------------------------------------------

Result<std::optional<StoredUser>> PlatformStore::Private::findUser(qint64 id)
{
    auto stmt = query(QStringLiteral("SELECT id, username, display_name, role, is_active FROM users "
                                     "WHERE id = ?1"),
        id);
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!row.value())
        return std::optional<StoredUser>();
    return std::optional<StoredUser>(readStoredUser(stmt.value()));
}

Result<std::optional<StoredUser>> PlatformStore::Private::findUserByName(const QString &username)
{
    auto stmt = query(QStringLiteral("SELECT id, username, display_name, role, is_active FROM users "
                                     "WHERE username = ?1"),
        username);
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!row.value())
        return std::optional<StoredUser>();
    return std::optional<StoredUser>(readStoredUser(stmt.value()));
}

Result<qint64> PlatformStore::Private::otherActiveAdmins(qint64 exceptId)
{
    // Callers only ask "is there another one?": stop at the first (no index on role; a full count
    // takes a fifth of a second at a million users).
    return integer(QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM users WHERE role = 'admin' "
                                  "AND is_active <> 0 AND id <> ?1 LIMIT 1)"),
        exceptId);
}

Result<DeletionImpact> PlatformStore::Private::impactOf(qint64 userId)
{
    auto stmt = query(QStringLiteral("SELECT (SELECT count(*) FROM sessions WHERE user_id = ?1), "
                                     "(SELECT count(*) FROM tokens WHERE user_id = ?1), "
                                     "(SELECT count(*) FROM user_groups WHERE user_id = ?1), "
                                     "(SELECT count(*) FROM vps_assignments WHERE user_id = ?1), "
                                     "(SELECT count(*) FROM tasks WHERE owner_id = ?1), "
                                     "(SELECT count(*) FROM invitations WHERE created_by_id = ?1)"),
        userId);
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    DeletionImpact impact;
    impact.sessions = static_cast<int>(stmt->int64(0));
    impact.tokens = static_cast<int>(stmt->int64(1));
    impact.groupMemberships = static_cast<int>(stmt->int64(2));
    impact.vpsAssignments = static_cast<int>(stmt->int64(3));
    impact.tasksKept = static_cast<int>(stmt->int64(4));
    impact.invitationsCreated = static_cast<int>(stmt->int64(5));
    return impact;
}

Result<std::vector<UserRecord>> PlatformStore::Private::loadUsers(
    const QString &where, std::optional<qint64> id, const QString &username)
{
    // Sessions count as active while expires_at is after now: both are host datetime text of the
    // same shape, so text order is time order (a missing fraction sorts before any fraction).
    const QString sql
        = QStringLiteral("SELECT u.id, u.username, u.display_name, u.role, u.is_active, u.created_at, "
                         "(SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?1), "
                         "(SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id), "
                         "(SELECT group_concat(g.name, char(31)) FROM user_groups ug JOIN groups g ON g.id = "
                         "ug.group_id "
                         "WHERE ug.user_id = u.id) "
                         "FROM users u ")
        + where + QStringLiteral(" ORDER BY u.created_at DESC, u.id DESC");
    auto stmt = query(sql, hosttime::nowDbText(), id, username);
    if (!stmt)
        return stmt.error();
    std::vector<UserRecord> users;
    auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) {
        UserRecord u;
        u.id = row.int64(0);
        u.username = row.text(1);
        u.displayName = row.text(2);
        u.role = row.text(3);
        u.active = row.int64(4) != 0;
        u.createdAt = row.text(5);
        u.activeSessions = static_cast<int>(row.int64(6));
        u.lastSignIn = row.text(7);
        const QString groups = row.text(8);
        if (!groups.isEmpty()) {
            u.groups = groups.split(kGroupSeparator);
            u.groups.sort(Qt::CaseInsensitive);
        }
        users.push_back(std::move(u));
    });
    if (!st)
        return st.error();
    return users;
}

// --- reading ----------------------------------------------------------------------------------

Result<std::vector<UserRecord>> PlatformStore::listUsers(const Actor &actor)
{
    if (auto st = Private::require(actor, Permission::ViewUsers); !st)
        return st.error();
    return d->loadUsers(QStringLiteral("WHERE ?2 IS NULL AND ?3 IS NULL"), std::nullopt, QString());
}

Result<UserRecord> PlatformStore::user(const Actor &actor, qint64 id)
{
    if (auto st = Private::require(actor, Permission::ViewUsers); !st)
        return st.error();
    auto users = d->loadUsers(QStringLiteral("WHERE u.id = ?2 AND ?3 IS NULL"), id, QString());
    if (!users)
        return users.error();
    if (users->empty())
        return userNotFound(id);
    return std::move(users->front());
}

Result<UserRecord> PlatformStore::userByName(const Actor &actor, const QString &username)
{
    if (auto st = Private::require(actor, Permission::ViewUsers); !st)
        return st.error();
    auto users = d->loadUsers(QStringLiteral("WHERE ?2 IS NULL AND u.username = ?3"), std::nullopt,
        username.isNull() ? QStringLiteral("") : username);
    if (!users)
        return users.error();
    if (users->empty())
        return storedetail::notFound(tr("There is no user named \"%1\".").arg(username));
    return std::move(users->front());
}

Result<DeletionImpact> PlatformStore::deletionImpact(const Actor &actor, qint64 id)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    DeletionImpact impact;
    auto st = d->db->readTransaction([&]() -> Status {
        auto found = d->findUser(id);
        if (!found)
            return found.error();
        if (!found.value())
            return userNotFound(id);
        auto counted = d->impactOf(id);
        if (!counted)
            return counted.error();
        impact = counted.value();
        return {};
    });
    if (!st)
        return st.error();
    return impact;
}

// --- writing ----------------------------------------------------------------------------------

Result<qint64> PlatformStore::Private::insertUser(
    const Actor &actor, const NewUser &user, const PasswordHash &hash)
{
    // As the host's registration does: no display name means the username.
    const QString displayName = user.displayName.trimmed().isEmpty() ? user.username : user.displayName;
    auto taken = findUserByName(user.username);
    if (!taken)
        return taken.error();
    if (taken.value()) {
        return Error::make(Error::Code::Conflict,
            tr("Username already taken: there is already a user named \"%1\".").arg(user.username));
    }
    auto inserted = run(QStringLiteral("INSERT INTO users (username, display_name, password_hash, "
                                       "is_active, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
        user.username, displayName, hash.text(), user.active, user.role, hosttime::nowDbText());
    if (!inserted)
        return inserted.error();
    const qint64 newId = db->lastInsertRowId();
    const StoredUser created {newId, user.username, displayName, user.role, user.active};
    if (auto st = audit(actor, QStringLiteral("user.create"), QStringLiteral("user"), user.username,
            std::nullopt, created.toJson());
        !st)
        return st.error();
    return newId;
}

Result<qint64> PlatformStore::createUser(const Actor &actor, const NewUser &user, const PasswordHash &hash)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    if (auto st = userrules::validateNewUser(user, hash); !st)
        return st.error();
    qint64 newId = 0;
    auto st = d->write(
        [&]() -> Status {
            auto inserted = d->insertUser(actor, user, hash);
            if (!inserted)
                return inserted.error();
            newId = inserted.value();
            return {};
        },
        {StoreTable::Users});
    if (!st)
        return st.error();
    return newId;
}

Status PlatformStore::Private::storeUserChange(
    const Actor &actor, const StoredUser &before, const StoredUser &after)
{
    QJsonObject was;
    QJsonObject now;
    const QJsonObject b = before.toJson();
    const QJsonObject a = after.toJson();
    for (auto it = a.begin(); it != a.end(); ++it) {
        if (b.value(it.key()) != it.value()) {
            was.insert(it.key(), b.value(it.key()));
            now.insert(it.key(), it.value());
        }
    }
    auto updated = run(QStringLiteral("UPDATE users SET display_name = ?1, role = ?2, "
                                      "is_active = ?3 WHERE id = ?4"),
        after.displayName, after.role, after.active, before.id);
    if (!updated)
        return updated.error();
    return audit(actor, QStringLiteral("user.update"), QStringLiteral("user"), before.username, was, now);
}

Status PlatformStore::updateUser(const Actor &actor, qint64 id, const UserChanges &changes)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    if (auto st = userrules::validateChanges(changes); !st)
        return st;
    QList<StoreTable> touched = {StoreTable::Users};
    return d->write(
        [&]() -> Status {
            auto found = d->findUser(id);
            if (!found)
                return found.error();
            if (!found.value())
                return userNotFound(id);
            const StoredUser before = *found.value();
            const StoredUser after = userrules::applied(before, changes);
            if (!userrules::differs(before, after)) {
                touched.clear();
                return {};
            }
            if (auto st
                = userrules::checkChange(actor, before, after, [&]() { return d->otherActiveAdmins(id); });
                !st)
                return st;
            return d->storeUserChange(actor, before, after);
        },
        touched);
}

Status PlatformStore::resetPassword(const Actor &actor, qint64 id, const PasswordHash &hash)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    if (!Passwords::isBcrypt(hash.text())) {
        return Error::make(Error::Code::Invalid,
            tr("The password was not hashed with bcrypt, so the host could not check it."));
    }
    return d->write(
        [&]() -> Status {
            auto found = d->findUser(id);
            if (!found)
                return found.error();
            if (!found.value())
                return userNotFound(id);
            auto updated = d->run(
                QStringLiteral("UPDATE users SET password_hash = ?1 WHERE id = ?2"), hash.text(), id);
            if (!updated)
                return updated.error();
            // What changed is recorded, never the hash.
            return d->audit(actor, QStringLiteral("user.reset_password"), QStringLiteral("user"),
                found.value()->username, std::nullopt,
                QJsonObject {{QStringLiteral("password"), QStringLiteral("changed")}});
        },
        {StoreTable::Users});
}

Result<DeletionImpact> PlatformStore::Private::removeUser(const Actor &actor, const StoredUser &victim)
{
    const qint64 id = victim.id;
    auto counted = impactOf(id);
    if (!counted)
        return counted.error();
    const DeletionImpact impact = counted.value();
    // The host enforces no foreign keys: remove what would otherwise be left behind.
    const QStringList statements = {
        QStringLiteral("DELETE FROM sessions WHERE user_id = ?1"),
        QStringLiteral("DELETE FROM tokens WHERE user_id = ?1"),
        QStringLiteral("DELETE FROM user_groups WHERE user_id = ?1"),
        QStringLiteral("DELETE FROM vps_assignments WHERE user_id = ?1"),
        QStringLiteral("UPDATE invitations SET created_by_id = NULL WHERE created_by_id = ?1"),
        QStringLiteral("DELETE FROM users WHERE id = ?1"),
    };
    for (const QString &sql : statements) {
        auto done = run(sql, id);
        if (!done)
            return done.error();
    }
    // Riverkeeper's record of where those VPS assignments came from (PlatformStoreVps.cpp).
    if (hasVpsTables()) {
        auto sources = run(QStringLiteral("DELETE FROM rk_vps_assignment_sources WHERE user_id = ?1"), id);
        if (!sources)
            return sources.error();
    }
    QJsonObject before = victim.toJson();
    before.insert(QStringLiteral("id"), id);
    const QJsonObject after {
        {QStringLiteral("sessions_removed"), impact.sessions},
        {QStringLiteral("tokens_removed"), impact.tokens},
        {QStringLiteral("group_memberships_removed"), impact.groupMemberships},
        {QStringLiteral("vps_assignments_removed"), impact.vpsAssignments},
        {QStringLiteral("tasks_kept"), impact.tasksKept},
        {QStringLiteral("invitations_creator_cleared"), impact.invitationsCreated},
    };
    if (auto st
        = audit(actor, QStringLiteral("user.delete"), QStringLiteral("user"), victim.username, before, after);
        !st)
        return st.error();
    return impact;
}

Result<DeletionImpact> PlatformStore::deleteUser(const Actor &actor, qint64 id)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    DeletionImpact impact;
    auto st = d->write(
        [&]() -> Status {
            auto found = d->findUser(id);
            if (!found)
                return found.error();
            if (!found.value())
                return userNotFound(id);
            const StoredUser victim = *found.value();
            if (auto refused
                = userrules::checkDeletion(actor, victim, [&]() { return d->otherActiveAdmins(id); });
                !refused)
                return refused;
            auto removed = d->removeUser(actor, victim);
            if (!removed)
                return removed.error();
            impact = removed.value();
            return {};
        },
        {StoreTable::Users, StoreTable::Sessions, StoreTable::Tokens, StoreTable::Memberships,
            StoreTable::VpsAssignments, StoreTable::Invitations});
    if (!st)
        return st.error();
    return impact;
}

} // namespace rk
