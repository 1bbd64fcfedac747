#pragma once

#include "StoreTypes.h"
#include "core/HostTime.h"
#include "core/Result.h"
#include "core/Secrets.h"

#include <QString>

#include <optional>

namespace rk {

class PlatformStore;

struct SampleDataOptions
{
    // The same seed (and the same `now`) gives the same users, groups, tasks and counts.
    quint32 seed = 20260210;
    // Every sample user signs in with this password. Hashed once and shared by all of them.
    QString password = QStringLiteral("sample-password");
    // bcrypt cost of that one hash: the host's 12 by default; tests may lower it.
    int bcryptCost = Passwords::kHostCost;
    // The moment the sample data is built around (sessions expire, tasks run "now").
    // Unset: the current time.
    std::optional<hosttime::Instant> now;
};

// What a default populate() creates, so tests and the CLI's summary need not hard-code it.
struct SampleDataCounts
{
    static constexpr int kUsers = 40; // besides the acting admin
    static constexpr int kSuspendedUsers = 4;
    static constexpr int kGroups = 5;
    static constexpr int kNodes = 4;
    static constexpr int kOnlineNodes = 3;
    static constexpr int kPendingApprovalTasks = 6; // 5 command tasks and 1 VPS, all by role `user`
    static constexpr int kInvitations = 6;
    static constexpr int kVpsAssignments = 3;
};

// Fills a new platform database with realistic sample data, so that a newcomer sees every page
// at work: about forty users of every role (some suspended), groups with limits and members,
// sessions and API tokens of various ages, invitations (valid, expired, used up), four runner
// nodes, and a history of command and VPS tasks with a few waiting for approval.
//
// Users, groups, memberships, tokens and invitations go through the store's API, so the audit
// log records them as `admin`'s actions. Nodes, tasks, sessions and VPS assignments, which
// Riverkeeper never writes itself, and the backdated timestamps the API cannot express, are
// written with SQL in the host's exact formats, one write transaction per table.
//
// Runs on the store's thread; hashes one password (about 0.25 s at cost 12). Meant for a new
// store with only its first admin: usernames that already exist make it fail with Conflict.
class SampleData
{
public:
    static Status populate(PlatformStore &store, const Actor &admin, const SampleDataOptions &opts = {});
};

} // namespace rk
