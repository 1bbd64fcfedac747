#pragma once

#include "core/Role.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace rk {

// Who is acting. Every mutating store operation takes one and checks its role in the core.
struct Actor
{
    qint64 userId = -1;
    QString username;
    Role role = Role::Anony;
    QString origin; // "desktop@<machine>" or "cli@<machine>": recorded in the audit log
};

// The tables a store write touched, so models refresh only what changed.
enum class StoreTable {
    Users,
    Sessions,
    Tokens,
    Groups,
    Memberships,
    Invitations,
    VpsAssignments,
    Settings,
    Audit
};

struct UserRecord
{
    qint64 id = 0;
    QString username;
    QString displayName; // may be null in the host's schema
    QString role; // the raw text: roles are free strings in the database
    bool active = true;
    QString createdAt; // host datetime text
    int activeSessions = 0; // sessions whose expires_at is in the future
    QString lastSignIn; // the newest session's created_at (null when none): derived from sessions
    QStringList groups; // group names, sorted
};

struct NewUser
{
    QString username; // 1..50 chars, unique
    QString displayName; // optional (<= 100 chars); empty -> the username, as the host's registration does
    QString role = QStringLiteral("user");
    bool active = true;
};

struct UserChanges
{
    std::optional<QString> displayName;
    std::optional<QString> role;
    std::optional<bool> active;
};

// What deleting a user removes (the host enforces no foreign keys, so Riverkeeper does it).
struct DeletionImpact
{
    int sessions = 0;
    int tokens = 0;
    int groupMemberships = 0;
    int vpsAssignments = 0;
    int tasksKept = 0;
    int invitationsCreated = 0; // keep the invitation, creator set to null
};

struct SessionRecord
{
    qint64 id = 0; // sessions.id (the row), never the session_id cookie value
    qint64 userId = 0;
    QString username; // empty when the user no longer exists
    QString createdAt;
    QString expiresAt;
    bool expired = false;
};

struct TokenRecord
{
    qint64 id = 0;
    qint64 userId = 0;
    QString owner; // username; empty for orphaned rows (user_id -1 or 0 or deleted)
    QString name;
    QString createdAt;
    QString lastUsed; // null: never used
};

struct CreatedToken
{
    TokenRecord record;
    QString plaintext; // 64 hex chars, shown once, never stored or logged
};

struct GroupRecord
{
    qint64 id = 0;
    QString name;
    int tier = 0;
    QString limitsJson; // JSON object text, "{}" by default
    QString createdAt;
    int memberCount = 0;
};

struct GroupMember
{
    qint64 userId = 0;
    QString username;
    QString roleOverride; // null: none
    QString addedAt;
};

struct NewInvitation
{
    QString role = QStringLiteral("user");
    std::optional<qint64> groupId;
    int maxUsage = 1; // >= 1
    int expiresHours = 72; // 1..720, the host's limits
};

struct InvitationRecord
{
    enum class State { Valid, Expired, UsedUp };
    qint64 id = 0;
    QString token; // 64 hex, plaintext as the host stores and lists it
    QString role;
    std::optional<qint64> groupId;
    QString groupName;
    int maxUsage = 1;
    int usageCount = 0;
    QString expiresAt;
    std::optional<qint64> createdById;
    QString createdBy; // username, empty when null or deleted
    QString createdAt;
    State state = State::Valid;
    QString link; // <base>/register?token=<token>; empty when no base URL is set
};

struct AuditEntry
{
    qint64 id = 0;
    QString at;
    qint64 actorId = 0;
    QString actor;
    QString action; // "user.create", "user.update", "session.revoke", ...
    QString targetType; // "user", "session", "token", "group", "invitation", "setting"
    QString target; // a readable name or id
    QString before; // JSON text or null
    QString after; // JSON text or null
    QString origin;
};

} // namespace rk

Q_DECLARE_METATYPE(rk::StoreTable)
