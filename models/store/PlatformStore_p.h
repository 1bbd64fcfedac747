#pragma once

// Private parts of rk::PlatformStore, shared by the PlatformStore*.cpp files. Not installed, not
// included by anything outside models/store/.

#include "PlatformStore.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>

#include <cstddef>
#include <functional>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace rk {

namespace storedetail {

inline QString tr(const char *text)
{
    return QCoreApplication::translate("rk::PlatformStore", text);
}
inline QString trN(const char *text, int n)
{
    return QCoreApplication::translate("rk::PlatformStore", text, nullptr, n);
}

// Compact JSON text ({"a":1}), the format of rk_audit.before_json/after_json and limits_json.
QString compactJson(const QJsonObject &object);
// Length as Python's len() counts it (code points), which is what the host's limits mean.
qsizetype codePoints(const QString &text);
// A required single-line text of min..max code points without control characters.
// `what` is the field's translated name ("Username") for the message.
Status checkText(const QString &value, qsizetype min, qsizetype max, const QString &what);
// One of roles::assignable(): viewer, user, operator, admin. `anony` is deliberately refused
// (the host accepts it, but it turns an account into one that can do nothing, not even sign in).
Status checkRole(const QString &role);
// "User not found (id 7); it may have been deleted meanwhile." and friends.
Error notFound(const QString &message);

// Bind helpers for Private::query().
inline void bindOne(SqlStatement &stmt, int index, qint64 value)
{
    stmt.bind(index, value);
}
inline void bindOne(SqlStatement &stmt, int index, int value)
{
    stmt.bind(index, value);
}
inline void bindOne(SqlStatement &stmt, int index, bool value)
{
    stmt.bind(index, value);
}
inline void bindOne(SqlStatement &stmt, int index, const QString &value)
{
    stmt.bind(index, value);
}
inline void bindOne(SqlStatement &stmt, int index, std::nullptr_t)
{
    stmt.bindNull(index);
}
inline void bindOne(SqlStatement &stmt, int index, const std::optional<qint64> &value)
{
    if (value)
        stmt.bind(index, *value);
    else
        stmt.bindNull(index);
}

// Calls `fn(stmt)` for every row.
template<typename F> Status eachRow(SqlStatement &stmt, F &&fn)
{
    for (;;) {
        auto row = stmt.step();
        if (!row)
            return row.error();
        if (!row.value())
            return {};
        fn(stmt);
    }
}

} // namespace storedetail

// The user columns the mutation checks need (no derived counts).
struct StoredUser
{
    qint64 id = 0;
    QString username;
    QString displayName;
    QString role;
    bool active = false;

    bool isActiveAdmin() const { return active && role == QLatin1String("admin"); }
    QJsonObject toJson() const; // username, display_name, role, is_active: never the hash
};

// --- the user rules, shared by the single and the bulk operations (PlatformStoreChecks.cpp) -------
// updateUser(), deleteUser(), their check*() dry runs and the bulk methods all decide through
// these, so what a preview promises is what the change does.
namespace userrules {

// The form checks of a change (display name length, a known role), before any row is read.
Status validateChanges(const UserChanges &changes);
// The form checks of a new account.
Status validateNewUser(const NewUser &user, const PasswordHash &hash);
// `before` with `changes` applied (an empty display name means the username, as at creation).
StoredUser applied(const StoredUser &before, const UserChanges &changes);
// True when `before` and `after` differ in a stored column.
bool differs(const StoredUser &before, const StoredUser &after);
// Refuses demoting or disabling the actor, and taking away the last active admin.
// `otherActiveAdmins` (active admins other than this user) is only asked when the change takes an
// active admin away; the bulk methods answer it from their running count.
Status checkChange(const Actor &actor, const StoredUser &before, const StoredUser &after,
    const std::function<Result<qint64>()> &otherActiveAdmins);
// Refuses deleting the actor and the last active admin.
Status checkDeletion(
    const Actor &actor, const StoredUser &victim, const std::function<Result<qint64>()> &otherActiveAdmins);
Error userNotFound(qint64 id);

} // namespace userrules

struct StoredGroup
{
    qint64 id = 0;
    QString name;
    int tier = 0;
    QString limits; // limits_json as stored
};

class PlatformStore::Private
{
public:
    Private(PlatformStore *owner, std::unique_ptr<SqliteDatabase> database, bool readOnlyAccess);

    PlatformStore *q;
    std::unique_ptr<SqliteDatabase> db;
    bool readOnly = false; // opened with Access::ReadOnly, or SQLite says the file is read-only
    QString readOnlyReason; // empty: the default sentence
    bool hasRkTables = false; // a read-only copy of a host database may lack them
    qint64 lastDataVersion = -1;
    QTimer *watchTimer = nullptr;

    // --- guards -------------------------------------------------------------------------------
    Status checkWritable() const;
    static Status require(const Actor &actor, Permission permission);
    // checkWritable() first (before anything is touched), then the role.
    Status guardWrite(const Actor &actor, Permission permission) const;

    // --- writing ------------------------------------------------------------------------------
    // One BEGIN IMMEDIATE transaction around `body`; after a successful commit emits changed()
    // for every table in `touched` (read after the body ran, so the body may clear it when it
    // found nothing to change) and for StoreTable::Audit when anything was touched.
    Status write(const std::function<Status()> &body, const QList<StoreTable> &touched);
    // Inserts a user_groups row and its "group.add_member" audit row; call inside write()'s body.
    // Shared by addGroupMember() and the bulk addUsersToGroup().
    Status insertMembership(
        const Actor &actor, const StoredGroup &group, const StoredUser &user, const QString &roleOverride);
    // Inserts the rk_audit row; call inside write()'s body. Null JSON objects store NULL.
    Status audit(const Actor &actor, const QString &action, const QString &targetType, const QString &target,
        const std::optional<QJsonObject> &before, const std::optional<QJsonObject> &after);

    // --- reading ------------------------------------------------------------------------------
    template<typename... Args> Result<SqlStatement> query(const QString &sql, const Args &...args)
    {
        auto stmt = db->prepare(sql);
        if (!stmt)
            return stmt;
        int index = 1;
        (storedetail::bindOne(stmt.value(), index++, args), ...);
        return stmt;
    }
    // Runs a statement that returns no rows; the number of changed rows.
    template<typename... Args> Result<int> run(const QString &sql, const Args &...args)
    {
        auto stmt = query(sql, args...);
        if (!stmt)
            return stmt.error();
        if (auto st = stmt->run(); !st)
            return st.error();
        return db->changes();
    }
    // The first column of the first row as an integer (0 when there is no row).
    template<typename... Args> Result<qint64> integer(const QString &sql, const Args &...args)
    {
        auto stmt = query(sql, args...);
        if (!stmt)
            return stmt.error();
        auto row = stmt->step();
        if (!row)
            return row.error();
        return row.value() ? stmt->int64(0) : qint64(0);
    }

    Result<std::optional<StoredUser>> findUser(qint64 id);
    Result<std::optional<StoredUser>> findUserByName(const QString &username);
    // Active admins other than `exceptId`.
    // 1 when an active admin other than `exceptId` exists, else 0 (not a full count).
    Result<qint64> otherActiveAdmins(qint64 exceptId);
    Result<DeletionImpact> impactOf(qint64 userId);
    // The writing halves of createUser(), updateUser() and deleteUser(), for use inside write()
    // after the rules passed; each records its rk_audit row. Shared with the bulk methods.
    Result<qint64> insertUser(const Actor &actor, const NewUser &user, const PasswordHash &hash);
    Status storeUserChange(const Actor &actor, const StoredUser &before, const StoredUser &after);
    Result<DeletionImpact> removeUser(const Actor &actor, const StoredUser &victim);
    Result<std::optional<StoredGroup>> findGroup(qint64 id);
    // Conflict when another group (not `exceptId`) already has `name`.
    Status checkGroupNameFree(const QString &name, qint64 exceptId);
    Result<std::vector<UserRecord>> loadUsers(
        const QString &where, std::optional<qint64> id, const QString &username);
    Result<std::vector<InvitationRecord>> loadInvitations(std::optional<qint64> id);
    QString baseUrl();
    QString linkFor(const QString &base, const QString &token) const;

    // --- VPS group assignments (PlatformStoreVps.cpp) ------------------------------------------
    // Whether the rk_vps_ tables exist (asked once: they only appear when the file is opened
    // read-write). A read-only copy of an older version lacks them.
    bool hasVpsTables();
    std::optional<bool> vpsTables;
    // The membership hooks: call inside write()'s body, right after user_groups changed, from
    // every path that adds or removes members or deletes a group. Each writes one rk_audit row
    // per VPS it changed and nothing when the group has no VPS. Callers should also list
    // StoreTable::VpsAssignments in write()'s touched tables.
    // `userIds` joined `groupId`: they get a vps_assignments row (unless they have one) for each
    // VPS the group is assigned to, with the group recorded as its source.
    Status applyGroupVpsOnJoin(const Actor &actor, qint64 groupId, const QList<qint64> &userIds);
    // `userIds` left `groupId`: the rows that came only from that group are removed; rows another
    // source holds (a direct assignment, another group) stay.
    Status applyGroupVpsOnLeave(const Actor &actor, qint64 groupId, const QList<qint64> &userIds);
    // `groupId` is being deleted: each of its VPS assignments is unassigned as
    // unassignVpsGroup() would (call before or after deleting the memberships: it does not read them).
    Status applyGroupVpsOnDelete(const Actor &actor, qint64 groupId);
};

} // namespace rk
