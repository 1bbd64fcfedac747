#pragma once

#include "profiles/ConnectionProfile.h"

#include <QString>

namespace rk {

// What a connection can do, by feature, and for what it cannot, why and what would enable it.
// Over the host's API alone a lot is missing (the contract has no sessions list, no token
// inventory, no groups, no user creation, no password reset, no settings); the platform database
// has everything except dispatching tasks, which only the host can do.
enum class Feature {
    ViewUsers,
    EditUsers, // role, active, display name
    DeleteUsers,
    CreateUsers,
    ResetPasswords,
    Sessions,
    TokenInventory, // every user's tokens
    OwnTokens, // the signed-in account's tokens
    Groups,
    Invitations,
    ApproveTasks, // approving dispatches the task: the host only
    Tasks,
    TaskOutput,
    Vps,
    VpsAssignments,
    Nodes,
    PlatformControls, // settings, maintenance, backups, feature flags
    Audit,
};

class Capabilities
{
public:
    Capabilities() = default;
    explicit Capabilities(ConnectionProfile::Kind kind) : m_kind(kind) { }

    // A plain platform database (the embedded default, a copy).
    static Capabilities database() { return Capabilities(ConnectionProfile::Kind::Database); }

    ConnectionProfile::Kind kind() const { return m_kind; }
    bool has(Feature feature) const;
    // Why `feature` is not available and what would enable it (empty when it is).
    QString reason(Feature feature) const;

private:
    ConnectionProfile::Kind m_kind = ConnectionProfile::Kind::Database;
};

} // namespace rk
