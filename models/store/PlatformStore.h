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
    static Result<std::unique_ptr<PlatformStore>> open(const QString &path, Access access,
                                                      int busyTimeoutMs = SqliteDatabase::kDefaultBusyTimeoutMs);
    // Creates a new file with the host's exact tables and the rk_ tables. It has no users yet:
    // call createFirstAdmin() next.
    static Result<std::unique_ptr<PlatformStore>> create(const QString &path);

    ~PlatformStore() override;

    QString path() const;
    bool isReadOnly() const;
    SqliteDatabase &database();

    // --- sign-in ------------------------------------------------------------------------------
    // True when the users table holds no active admin: a new store needs its first admin.
    bool needsFirstAdmin();
    // Creates the first admin of a store that has none. Refused otherwise.
    Result<Actor> createFirstAdmin(const QString &username, const QString &displayName,
                                   const PasswordHash &hash, const QString &origin);
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

    // --- sessions -----------------------------------------------------------------------------
    Result<std::vector<SessionRecord>> listSessions(const Actor &actor, std::optional<qint64> userId = {});
    Status revokeSession(const Actor &actor, qint64 sessionRowId);
    Result<int> revokeSessionsOf(const Actor &actor, qint64 userId);
    // Ends every session except those of `keepUserId` (normally the acting admin's own).
    Result<int> revokeAllSessionsExcept(const Actor &actor, qint64 keepUserId);

    // --- API tokens ---------------------------------------------------------------------------
    Result<std::vector<TokenRecord>> listTokens(const Actor &actor, std::optional<qint64> userId = {});
    // 64 random hex chars, stored as SHA3-512 hex; the plaintext is returned once.
    Result<CreatedToken> createToken(const Actor &actor, qint64 userId, const QString &name);
    Status revokeToken(const Actor &actor, qint64 tokenId);

    // --- groups -------------------------------------------------------------------------------
    Result<std::vector<GroupRecord>> listGroups(const Actor &actor);
    Result<qint64> createGroup(const Actor &actor, const QString &name, int tier = 0,
                               const QString &limitsJson = QStringLiteral("{}"));
    Status renameGroup(const Actor &actor, qint64 groupId, const QString &newName);
    // Removes the group and its memberships; invitations naming it keep a null group.
    Status deleteGroup(const Actor &actor, qint64 groupId);
    // `limitsJson` must be a JSON object; it is stored compact.
    Status setGroupLimits(const Actor &actor, qint64 groupId, const QString &limitsJson);
    Result<std::vector<GroupMember>> groupMembers(const Actor &actor, qint64 groupId);
    Status addGroupMember(const Actor &actor, qint64 groupId, qint64 userId,
                          const QString &roleOverride = {});
    Status removeGroupMember(const Actor &actor, qint64 groupId, qint64 userId);

    // --- invitations --------------------------------------------------------------------------
    Result<std::vector<InvitationRecord>> listInvitations(const Actor &actor);
    // Operators may only invite viewers (as on the host).
    Result<InvitationRecord> createInvitation(const Actor &actor, const NewInvitation &invitation);
    Status revokeInvitation(const Actor &actor, qint64 invitationId);

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
