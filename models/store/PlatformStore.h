#pragma once

#include "SqliteDatabase.h"
#include "StoreTypes.h"
#include "core/Result.h"
#include "core/Secrets.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <vector>

namespace rk {

// --- bulk user actions (PlatformStoreChecks.cpp) ----------------------------------------------

// What a bulk user action would do (a check) or did (an apply) to one user.
struct BulkVerdict
{
    enum class State {
        Apply, // allowed and changes something
        Unchanged, // allowed, but there is nothing to change (already suspended, already a member)
        Refused, // a rule, the role, a read-only file or a missing row stops it: see `error`
    };
    qint64 userId = 0;
    QString username; // empty when the user does not exist
    QString displayName;
    QString role; // before the action
    bool active = false; // before the action
    State state = State::Apply;
    std::optional<Error> error; // Refused: why (translated, for a preview list)
    int sessions = 0; // sessions this action ends for the user (endSessions, or a delete)
    DeletionImpact impact; // deletes only: what removing this user removes
};

// Options of a bulk status or role change.
struct BulkOptions
{
    // Also end the sessions of every user the action does not refuse (changed or unchanged),
    // in the same transaction; the acting account's own sessions are always kept.
    bool endSessions = false;
};

// The verdicts of a bulk check or apply, in processing order (ascending user id; every id once).
struct BulkOutcome
{
    std::vector<BulkVerdict> verdicts;
    bool applied = false; // false for a check (a dry run)
    int sessionsEnded = 0; // with BulkOptions::endSessions: sessions removed (would remove)
    DeletionImpact impact; // deletes: the sum over the users applied (to apply)

    int count(BulkVerdict::State state) const;
    // Users the action applies to (State::Apply), in processing order.
    QList<qint64> idsIn(BulkVerdict::State state) const;
    const BulkVerdict *verdictOf(qint64 userId) const;
};

// An edit of one user in one transaction: columns and, optionally, the complete set of groups.
struct UserEdit
{
    UserChanges changes;
    // The groups the user should belong to afterwards; nullopt leaves memberships alone. Groups
    // kept keep their role override; new memberships have none.
    std::optional<QList<qint64>> groupIds;
};

// A KohakuRiver platform database, opened directly: the host's own kohakuriver.db (the host may
// be writing it at the same moment), a copy opened read-only for review, or a new file.
//
// Every operation runs on the thread that owns the store and is one short transaction with a
// busy timeout; every successful change is recorded in rk_audit inside the same transaction.
// Role checks happen here, not only in the UI. Methods return rk::Error; none blocks for longer
// than a query except authenticate() (bcrypt), which is documented as such.
class PlatformStore : public QObject
{
    Q_OBJECT

public:
    enum class Access { ReadWrite, ReadOnly };

    // Opens an existing platform database. Verifies the schema first and writes nothing to a
    // file that is not a platform database, of an unknown schema, locked, read-only or corrupt.
    // A writable database gets the rk_ tables added when they are missing.
    static Result<std::unique_ptr<PlatformStore>> open(
        const QString &path, Access access, int busyTimeoutMs = SqliteDatabase::kDefaultBusyTimeoutMs);
    // Creates a new file with the host's exact tables and the rk_ tables. It has no users yet:
    // call createFirstAdmin() next.
    static Result<std::unique_ptr<PlatformStore>> create(const QString &path);

    ~PlatformStore() override;

    QString path() const;
    bool isReadOnly() const;
    // Why nothing can be changed, for messages and disabled actions: by default "<file> is open
    // read-only...". A host profile's mirror says instead where changes are made.
    QString readOnlyReason() const;
    void setReadOnlyReason(const QString &reason);
    SqliteDatabase &database();

    // --- sign-in ------------------------------------------------------------------------------
    // True when the users table holds no active admin: a new store needs its first admin.
    bool needsFirstAdmin();
    // Creates the first admin of a store that has none. Refused otherwise.
    Result<Actor> createFirstAdmin(
        const QString &username, const QString &displayName, const PasswordHash &hash, const QString &origin);
    // Checks `password` against users.password_hash (bcrypt, ~0.25 s). The account must be active
    // and at least a viewer. Thread-safe: a UI calls it from a worker thread.
    Result<Actor> authenticate(const QString &username, const QString &password, const QString &origin);
    // The password policy for passwords this app sets (creating users, resetting passwords).
    Status checkPasswordPolicy(const QString &password);

    // --- users --------------------------------------------------------------------------------
    Result<std::vector<UserRecord>> listUsers(const Actor &actor);
    Result<UserRecord> user(const Actor &actor, qint64 id);
    Result<UserRecord> userByName(const Actor &actor, const QString &username);
    // The password must already be hashed (Passwords::hash, off the UI thread) after
    // checkPasswordPolicy() accepted it.
    Result<qint64> createUser(const Actor &actor, const NewUser &user, const PasswordHash &hash);
    // Refuses to demote or disable the actor, and any change that would leave no active admin.
    Status updateUser(const Actor &actor, qint64 id, const UserChanges &changes);
    Status resetPassword(const Actor &actor, qint64 id, const PasswordHash &hash);
    Result<DeletionImpact> deletionImpact(const Actor &actor, qint64 id);
    // Removes the user and their sessions, tokens, group memberships and VPS assignments; tasks
    // stay; invitations they created keep a null creator. Refuses the actor and the last admin.
    Result<DeletionImpact> deleteUser(const Actor &actor, qint64 id);

    // --- checks and bulk user actions (PlatformStoreChecks.cpp) --------------------------------
    // Dry runs: whether updateUser()/deleteUser() with the same arguments would be refused now,
    // and why, by the very same rules (read-only file, role, missing user, yourself, the last
    // active admin). Nothing is written.
    Status checkUpdateUser(const Actor &actor, qint64 id, const UserChanges &changes);
    Status checkDeleteUser(const Actor &actor, qint64 id);

    // Bulk rule: the set is processed in ascending user id (whatever order `ids` has; duplicates
    // count once). Each user is checked by the single-user rules against the state the users
    // before it in that order leave behind, and a user whose change would break a rule is refused
    // and skipped while the others go ahead. So suspending all three remaining admins (as a
    // fourth account) suspends the two with the lower ids and refuses the last one, which would
    // leave no active admin; the acting admin is always refused for themselves, which also keeps
    // one admin. A check returns exactly what the apply would do on the same data.
    //
    // The apply methods re-check inside ONE write transaction and change the allowed users only,
    // all or nothing (a failure such as a lock rolls everything back and returns the error), with
    // one rk_audit row per user changed. Refused users are in the outcome, not an error.
    // A whole-set problem (read-only file, the acting role, invalid changes, a missing group)
    // is an error instead.
    Result<BulkOutcome> checkUpdateUsers(const Actor &actor, const QList<qint64> &ids,
        const UserChanges &changes, const BulkOptions &options = {});
    Result<BulkOutcome> updateUsers(const Actor &actor, const QList<qint64> &ids, const UserChanges &changes,
        const BulkOptions &options = {});
    Result<BulkOutcome> checkDeleteUsers(const Actor &actor, const QList<qint64> &ids);
    Result<BulkOutcome> deleteUsers(const Actor &actor, const QList<qint64> &ids);
    // The same dry runs for a change made elsewhere: a Host profile's mirror is read-only (its
    // changes go through the host's API), yet its rows tell what can be known beforehand (yourself,
    // the last active admin, a user gone). The acting role is checked; a read-only file is not a
    // refusal here. The host checks again when the change reaches it.
    Result<BulkOutcome> predictUpdateUsers(const Actor &actor, const QList<qint64> &ids,
        const UserChanges &changes, const BulkOptions &options = {});
    Result<BulkOutcome> predictDeleteUsers(const Actor &actor, const QList<qint64> &ids);
    // Members already in the group are Unchanged (their role override stays).
    Result<BulkOutcome> checkAddUsersToGroup(const Actor &actor, qint64 groupId, const QList<qint64> &ids);
    Result<BulkOutcome> addUsersToGroup(
        const Actor &actor, qint64 groupId, const QList<qint64> &ids, const QString &roleOverride = {});

    // createUser() and the memberships in `groupIds`, in one transaction (a missing group
    // creates nothing).
    Result<qint64> createUserInGroups(
        const Actor &actor, const NewUser &user, const PasswordHash &hash, const QList<qint64> &groupIds);
    // updateUser() plus the membership changes of `edit.groupIds`, in one transaction.
    Status editUser(const Actor &actor, qint64 id, const UserEdit &edit);
    // The ids of the groups `userId` belongs to (ascending).
    Result<QList<qint64>> groupIdsOf(const Actor &actor, qint64 userId);

    // --- sessions -----------------------------------------------------------------------------
    Result<std::vector<SessionRecord>> listSessions(const Actor &actor, std::optional<qint64> userId = {});
    Status revokeSession(const Actor &actor, qint64 sessionRowId);
    Result<int> revokeSessionsOf(const Actor &actor, qint64 userId);
    // Ends every session except those of `keepUserId` (normally the acting admin's own).
    Result<int> revokeAllSessionsExcept(const Actor &actor, qint64 keepUserId);

    // Which rows a revocation names (PlatformStoreBulkAccess.cpp): for counting what it would
    // take away before asking, with the same scopes as the revoke methods.
    struct RevocationScope
    {
        enum class Kind {
            Rows, // the rows `ids` (revokeSessions(), revokeTokens())
            OfUser, // every row of `userId` (revokeSessionsOf(), revokeTokensOf())
            AllExcept, // every row except those of `userId` (revokeAllSessionsExcept())
        };
        Kind kind = Kind::Rows;
        QList<qint64> ids;
        qint64 userId = 0;

        static RevocationScope rows(const QList<qint64> &ids) { return {Kind::Rows, ids, 0}; }
        static RevocationScope ofUser(qint64 userId) { return {Kind::OfUser, {}, userId}; }
        static RevocationScope allExcept(qint64 userId) { return {Kind::AllExcept, {}, userId}; }
    };
    // What a revocation would take away, read in one snapshot ("End 1,204 sessions of 311 users;
    // your own 2 sessions stay").
    struct RevocationCount
    {
        int records = 0; // sessions (tokens) the revocation would remove now
        int users = 0; // distinct users.id among them (a deleted user or a pseudo-user counts once)
        int kept = 0; // AllExcept: the rows of the kept user, which stay
        int missing = 0; // Rows: ids that no longer exist (duplicates count once)
    };
    // Needs ManageUsers; reads only. Cheap: index lookups, one count(DISTINCT) for AllExcept.
    Result<RevocationCount> countSessions(const Actor &actor, const RevocationScope &scope);
    // Ends the sessions `sessionRowIds` (rows of `sessions`, not cookies) in ONE transaction, all or
    // nothing: when any of them no longer exists, nothing is removed and the error (NotFound) says
    // how many are gone. One rk_audit row ("session.revoke") per session. Duplicates count once;
    // returns the number removed.
    Result<int> revokeSessions(const Actor &actor, const QList<qint64> &sessionRowIds);

    // --- API tokens ---------------------------------------------------------------------------
    Result<std::vector<TokenRecord>> listTokens(const Actor &actor, std::optional<qint64> userId = {});
    // 64 random hex chars, stored as SHA3-512 hex; the plaintext is returned once.
    Result<CreatedToken> createToken(const Actor &actor, qint64 userId, const QString &name);
    Status revokeToken(const Actor &actor, qint64 tokenId);
    // Like countSessions(), for tokens (PlatformStoreBulkAccess.cpp).
    Result<RevocationCount> countTokens(const Actor &actor, const RevocationScope &scope);
    // Revokes the tokens `tokenIds` in ONE transaction, all or nothing (as revokeSessions()), with
    // one rk_audit row ("token.revoke") per token. Returns the number removed.
    Result<int> revokeTokens(const Actor &actor, const QList<qint64> &tokenIds);
    // Revokes every token of `userId` in one transaction, one rk_audit row per token. Works for the
    // leftovers of a deleted user and the host's pseudo-users (-1 anonymous, 0 the admin secret);
    // NotFound only when no such user exists and it has no tokens. Returns the number removed.
    Result<int> revokeTokensOf(const Actor &actor, qint64 userId);

    // --- groups -------------------------------------------------------------------------------
    Result<std::vector<GroupRecord>> listGroups(const Actor &actor);
    Result<qint64> createGroup(const Actor &actor, const QString &name, int tier = 0,
        const QString &limitsJson = QStringLiteral("{}"));
    Status renameGroup(const Actor &actor, qint64 groupId, const QString &newName);
    // Removes the group and its memberships; invitations naming it keep a null group.
    Status deleteGroup(const Actor &actor, qint64 groupId);
    // `limitsJson` must be a JSON object whose max_tasks, max_vps and gpu_cap are whole numbers
    // >= 0 when present (null allowed); it is stored as Python's json.dumps writes it.
    Status setGroupLimits(const Actor &actor, qint64 groupId, const QString &limitsJson);
    Result<std::vector<GroupMember>> groupMembers(const Actor &actor, qint64 groupId);
    Status addGroupMember(
        const Actor &actor, qint64 groupId, qint64 userId, const QString &roleOverride = {});
    Status removeGroupMember(const Actor &actor, qint64 groupId, qint64 userId);
    // One group with its member count; NotFound when it is gone.
    Result<GroupRecord> group(const Actor &actor, qint64 groupId);
    // The group named exactly `name` (compared as the host's unique index does: case-sensitive);
    // NotFound when there is none. For checking a name before creating or renaming.
    Result<GroupRecord> groupByName(const Actor &actor, const QString &name);
    // Name, tier and/or limits in ONE transaction with one rk_audit row per field that changes
    // ("group.rename", "group.tier", "group.limits"), by the rules of createGroup(): names 1..100
    // characters and unique (Conflict), tier 0 or more, limits a JSON object whose max_tasks,
    // max_vps and gpu_cap are whole numbers >= 0 (or absent/null); other keys are kept as given.
    // Fields not set, or equal to what is stored, are left alone (nothing to do writes nothing).
    Status updateGroup(const Actor &actor, qint64 groupId, const GroupChanges &changes);
    // setMemberRoleOverrides() for one member.
    Status setMemberRoleOverride(
        const Actor &actor, qint64 groupId, qint64 userId, const QString &roleOverride);
    // Sets the role override (viewer, user, operator or admin; empty: none, stored as NULL) of
    // the members `userIds` in ONE transaction, all or nothing: when any of them is not a member
    // (any more), nothing changes and the error (NotFound) says so. One rk_audit row
    // ("group.role_override") per member whose override changed; returns that number.
    // Duplicates count once. Stored for the platform: the host does not read overrides yet.
    Result<int> setMemberRoleOverrides(
        const Actor &actor, qint64 groupId, const QList<qint64> &userIds, const QString &roleOverride);
    // Removes the members `userIds` from the group in ONE transaction, all or nothing (NotFound
    // when any is not a member any more), one rk_audit row ("group.remove_member") each, and the
    // VPS rows that came only from the group (see the VPS rules below). Returns how many left.
    Result<int> removeGroupMembers(const Actor &actor, qint64 groupId, const QList<qint64> &userIds);

    // --- invitations --------------------------------------------------------------------------
    // The host accepts 1..720 hours; it has no upper bound for the uses, Riverkeeper sets one.
    static constexpr int kMaxInvitationHours = 720;
    static constexpr int kMaxInvitationUses = 1000;
    Result<std::vector<InvitationRecord>> listInvitations(const Actor &actor);
    // Operators may only invite viewers (as on the host).
    Result<InvitationRecord> createInvitation(const Actor &actor, const NewInvitation &invitation);
    Status revokeInvitation(const Actor &actor, qint64 invitationId);
    // Revokes (deletes, as the host does) every invitation in `ids` in ONE transaction with one
    // rk_audit row each: all or nothing, so an id that is gone fails the whole call with NotFound
    // and nothing is revoked. Returns how many were revoked. Admin only (ManageUsers).
    Result<int> revokeInvitations(const Actor &actor, const QList<qint64> &ids);
    // Invitations revoked through Riverkeeper in the last `days` days, newest first, from
    // rk_audit (the host keeps no trace of a revoked invitation). Admin only.
    Result<std::vector<RevokedInvitation>> revokedInvitations(const Actor &actor, int days);

    // --- settings (rk_settings) ---------------------------------------------------------------
    static constexpr const char *kBaseUrlKey = "general.base_url";
    QString setting(const QString &key, const QString &fallback = {});
    Status setSetting(const Actor &actor, const QString &key, const QString &value);
    // <base>/register?token=<token>, or empty when no base URL is set.
    QString registrationLink(const QString &token);

    // --- audit --------------------------------------------------------------------------------
    // Newest first; at most `limit` entries (0: all).
    Result<std::vector<AuditEntry>> listAudit(const Actor &actor, int limit = 0);

    // --- change notification ------------------------------------------------------------------
    // Polls PRAGMA data_version every `ms` (0 stops). When another program (the host) committed,
    // externalChange() is emitted. Cheap: one pragma, no table reads.
    void setWatchInterval(int ms);
    // Checks once, now; returns true (and emits externalChange) when something changed.
    bool checkForExternalChange();

    // --- VPS (PlatformStoreVps.cpp) ------------------------------------------------------------
    // VPS are host tasks with task_type 'vps'; their users are vps_assignments rows. Riverkeeper
    // adds whole-group assignments (rk_vps_group_assignments) and records where each row came
    // from (rk_vps_assignment_sources), with these rules:
    // - assigning a group gives every member a row (unless they have one) and records the group
    //   as a source of each member's row; a member who joins the group later gets the group's VPS,
    //   and one who leaves loses the rows that came only from that group;
    // - a row is kept while any source holds it: a direct assignment, or an assigned group;
    // - unassigning a group removes only the rows no other source holds;
    // - unassigning a user removes their direct assignment only: a user assigned through a group
    //   keeps the VPS until the group is unassigned or they leave the group (VpsChange says so).
    // Rows written by anything else (the host's API) have no source and count as direct.
    // Every change is one transaction with its rk_audit row; ManageVps (operator+) as on the host.

    // Whether this file has the rk_ tables of group assignments (a read-only copy made by an older
    // Riverkeeper may not: VPS are then listed without group provenance).
    bool tracksVpsGroups();
    // Every VPS, newest first (the host's order). Viewer+ (as GET /api/vps).
    Result<std::vector<VpsRecord>> listVps(const Actor &actor);
    Result<VpsRecord> vps(const Actor &actor, qint64 taskId);
    // The users and groups assigned to the VPS. Operator+ (as GET /api/vps/{id}/assignments).
    Result<VpsAssignments> vpsAssignments(const Actor &actor, qint64 taskId);
    // The groups an operator may assign (operators cannot list groups otherwise), by name.
    Result<std::vector<GroupRecord>> vpsAssignableGroups(const Actor &actor);
    // Assigns users directly. A missing VPS or user fails the whole call (NotFound), as on the
    // host. Users already assigned directly are `unchanged`.
    Result<VpsChange> assignVpsUsers(const Actor &actor, qint64 taskId, const QList<qint64> &userIds);
    // Removes the direct assignments of `userIds` (see the rules above). Not assigned: unchanged.
    Result<VpsChange> unassignVpsUsers(const Actor &actor, qint64 taskId, const QList<qint64> &userIds);
    // Assigns every current member of the group (and later ones). Conflict when already assigned.
    Result<VpsChange> assignVpsGroup(const Actor &actor, qint64 taskId, qint64 groupId);
    // Unassigns the group: members keep the rows another source holds. NotFound when not assigned.
    Result<VpsChange> unassignVpsGroup(const Actor &actor, qint64 taskId, qint64 groupId);

Q_SIGNALS:
    // This store committed a change to `table` (emitted after the commit).
    void changed(rk::StoreTable table);
    // Another connection committed to the file since the last check.
    void externalChange();

private:
    explicit PlatformStore(std::unique_ptr<SqliteDatabase> db);
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace rk
