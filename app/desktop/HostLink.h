#pragma once

#include "Session.h"
#include "core/Result.h"
#include "host/HostTypes.h"
#include "profiles/ConnectionProfile.h"

#include <QObject>

#include <memory>

namespace rk {

class HostClient;
class HostConnection;
class HostMirror;
class MirrorSync;
class SecretStore;
class TaskLogSource;

// One host profile in use by the desktop app: the signed-in REST client (not owned, shared by
// the app), the profile's sign-out, and where the pages read from:
// - Host: the profile's local mirror (HostMirror::defaultPath), filled by a periodic MirrorSync
//   and opened read-only for the pages, so the app opens on the last data and stays readable
//   offline; changes are made through the host (approvals, task actions, users, invitations),
//   never in the mirror;
// - Host + database: the platform database itself (read-write, as with File > Open), and the
//   API for what must go through the host (approving dispatches the task).
// Everything on the GUI thread.
class HostLink : public QObject
{
    Q_OBJECT

public:
    static constexpr int kSyncIntervalMs = 60 * 1000;

    // `client` already carries the profile's credential (ConnectHostDialog or resume()); `secrets`
    // holds it (the keychain, or the session-only store). Both must outlive this object.
    HostLink(const ConnectionProfile &profile, HostClient &client, SecretStore &secrets,
        QObject *parent = nullptr);
    ~HostLink() override;

    const ConnectionProfile &profile() const { return m_profile; }

    // Opens what the pages read and makes the session for `me`. Offline (the host could not be
    // reached at start), `me` is the account the mirror remembers and no sync runs until the
    // next periodic one reaches the host. A Host + database profile needs its database file.
    Result<std::unique_ptr<Session>> open(const HostUser &me, const QString &origin);

    // The account the mirror of `profile` remembers from its last sync, for an offline start.
    static std::optional<HostUser> rememberedAccount(const ConnectionProfile &profile);

    MirrorSync *sync() const { return m_sync.get(); }
    // Task output from the host, kept in the mirror (a Host profile) so it reads offline later.
    TaskLogSource *logSource() const { return m_logs.get(); }
    // Syncs now (File > Sync Now); nothing for a Host + database profile.
    void syncNow();
    // "Online, synced 14:05", "Offline, last synced 12:04", "Syncing…"; for plain http:// to a
    // host that is not on loopback always followed by " · not encrypted" (see statusToolTip()).
    QString statusText() const;
    // For plain http:// to a host that is not on loopback: that the token travels in clear and
    // https should be used (rich text, for a tooltip). Empty otherwise.
    QString statusToolTip() const;
    bool isOffline() const;

    // Records an action taken through the host in the mirror's audit (who: the signed-in account).
    // Nothing for a Host + database profile, whose platform database has its own audit.
    void recordAction(const QString &action, const QString &target, bool ok, const QString &detail = {});

    // Revokes the app's own token on the host and removes the secret (HostConnection::signOut);
    // ends with signedOut().
    void signOut();

Q_SIGNALS:
    void statusChanged();
    void signedOut(const rk::Status &status);

private:
    ConnectionProfile m_profile;
    HostClient &m_client;
    SecretStore &m_secrets;
    std::unique_ptr<HostConnection> m_connection;
    std::unique_ptr<HostMirror> m_mirror;
    std::unique_ptr<MirrorSync> m_sync;
    std::unique_ptr<TaskLogSource> m_logs;
    QString m_username; // the account signed in, for the audit
};

} // namespace rk
