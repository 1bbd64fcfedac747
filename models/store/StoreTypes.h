#pragma once

#include "core/Role.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

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

// A change of one group (PlatformStore::updateGroup); fields not set stay as they are.
struct GroupChanges
{
    std::optional<QString> name; // 1..100 characters, unique
    std::optional<int> tier; // 0 or more
    std::optional<QString> limitsJson; // a JSON object; stored as the host writes it (pyjson)
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

// An invitation revoked through Riverkeeper, as its rk_audit row tells (the host deletes the row).
struct RevokedInvitation
{
    qint64 id = 0;
    QString role;
    QString revokedAt; // host datetime text
    QString revokedBy; // username
};

// --- VPS (PlatformStoreVps.cpp) -----------------------------------------------------------------

// A VPS: a host task with task_type 'vps'. Task ids are 64-bit snowflakes above 2^53: qint64 (or
// text) everywhere, never a double.
struct VpsRecord
{
    qint64 taskId = 0;
    QString name;
    std::optional<qint64> ownerId;
    QString owner; // username; empty when null or deleted
    QString status; // the host's task status: running, stopped, pending_approval, ...
    QString node; // assigned_node (hostname); empty when none
    QString backend; // vps_backend: docker or qemu
    QString submittedAt; // host datetime text
    int assignees = 0; // vps_assignments rows
    int viaGroup = 0; // of those, the ones that came (also) from an assigned group
};

// One user's assignment to a VPS (a vps_assignments row) and where it came from.
struct VpsAssignment
{
    qint64 userId = 0;
    QString username; // empty when the user no longer exists
    QString displayName;
    QString assignedAt; // vps_assignments.created_at
    // Assigned on its own: by Riverkeeper's "Assign users", or by anything else that wrote the
    // row (the host's API) without a group.
    bool direct = false;
    QList<qint64> viaGroupIds; // the assigned groups the row came from, by group name
    QStringList viaGroups; // their names, in the same order (empty for a deleted group)
};

// A whole group assigned to a VPS (Riverkeeper's rk_vps_group_assignments).
struct VpsGroupAssignment
{
    qint64 groupId = 0;
    QString groupName; // empty when the group was deleted behind Riverkeeper's back
    QString assignedAt;
    QString assignedBy; // username of the admin who assigned it
    int members = 0; // current members of the group
};

struct VpsAssignments
{
    std::vector<VpsAssignment> users; // by username
    std::vector<VpsGroupAssignment> groups; // by group name
    // False when the file has no rk_vps_ tables (a read-only copy made by an older Riverkeeper
    // or straight from the host): every row then counts as direct and no group is listed.
    bool tracksGroups = true;
};

// What an assignment change did, user by user (ascending user id).
struct VpsChange
{
    QList<qint64> added; // got a vps_assignments row
    QList<qint64> removed; // lost their vps_assignments row
    // assign users: already assigned directly; unassign users: not assigned at all; assign group:
    // members who already had a row (now also held by the group); unassign group: members whose
    // row another source (a direct assignment, another group) still holds
    QList<qint64> unchanged;
    // unassign: the direct assignment is gone, but the row stays for the groups that still hold it
    QList<qint64> keptViaGroup;
    // unassign: assigned only through a group, so nothing was removed (unassign the group, or
    // remove the user from the group)
    QList<qint64> onlyViaGroup;
    // assign: the row was there through a group and is now also direct
    QList<qint64> madeDirect;
};

} // namespace rk

Q_DECLARE_METATYPE(rk::StoreTable)
