#pragma once

#include "core/HostTime.h"
#include "core/Role.h"

#include <QString>

#include <optional>

// What the host's REST API returns, as plain values (docs: kohakuriver-host.md, section 1): the
// account side here; tasks and VPS in HostTaskTypes.h, nodes and health in HostNodeTypes.h.
// Parsed strictly by HostParsers: a field of the wrong type is an error naming the field, never a
// silent 0. Nullable fields are std::optional (or a null QString); timestamps are the host's naive
// local time, kept with their microseconds (hosttime::toDbText() gives the database text back).

namespace rk {

using HostTimestamp = std::optional<hosttime::Instant>;

// GET /api/auth/status
struct HostAuthStatus
{
    bool authEnabled = false;
    std::optional<int> sessionExpireHours; // null when auth is off
};

// UserResponse: GET /api/auth/users, /api/auth/me, PATCH /api/auth/users/{id}, login's "user".
struct HostUser
{
    qint64 id = 0;
    QString username;
    QString displayName; // null QString when the host sent null
    QString role; // raw text: the host accepts any of the five roles, and stores free strings
    bool active = true;
    HostTimestamp createdAt;

    Role roleLevel() const { return roles::fromString(role); }
    // `/api/auth/me` answers a missing, invalid or expired credential, or a disabled user, with
    // 200 and this pseudo-user instead of a 401: the only sign that the credential did not work.
    bool isAnonymous() const { return id == -1 || role == QLatin1String("anony"); }
};

// POST /api/auth/login. The client keeps the session cookie itself (HostClient::login()).
struct HostLogin
{
    QString message;
    HostUser user;
    QString sessionId; // the kohakuriver_session cookie value: a secret, never log it
};

// GET /api/auth/tokens: the caller's own tokens.
struct HostToken
{
    qint64 id = 0;
    QString name;
    HostTimestamp lastUsed; // null: never used
    HostTimestamp createdAt;
};

// POST /api/auth/tokens/create
struct HostCreatedToken
{
    qint64 id = 0;
    QString name;
    QString token; // 64 hex plaintext, shown once: a secret, never log it
    HostTimestamp createdAt;
};

// InvitationResponse: GET/POST /api/auth/invitations
struct HostInvitation
{
    qint64 id = 0;
    QString token; // 64 hex, listed in plaintext by the host
    QString role;
    std::optional<qint64> groupId;
    int maxUsage = 1;
    int usageCount = 0;
    int remainingUses = 0;
    HostTimestamp expiresAt;
    bool valid = false; // false when expired or used up
    std::optional<qint64> createdById; // null when created through X-Admin-Token
    HostTimestamp createdAt;
};

// The body of POST /api/auth/invitations (the host's defaults).
struct HostNewInvitation
{
    QString role = QStringLiteral("user");
    std::optional<qint64> groupId;
    int maxUsage = 1; // >= 1
    int expiresHours = 72; // 1..720
};

// The body of PATCH /api/auth/users/{id}: only the fields that are set are sent.
struct HostUserChanges
{
    std::optional<QString> displayName;
    std::optional<QString> role;
    std::optional<bool> active;

    bool isEmpty() const { return !displayName && !role && !active; }
};

// The `{"message": ...}` answers of deletes, revokes, logout, kill, pause/resume, unassign.
struct HostMessage
{
    QString message;
};

} // namespace rk
