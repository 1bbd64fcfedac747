#pragma once

#include "connection/Capabilities.h"
#include "connection/HostAdminRun.h"
#include "host/HostTypes.h"
#include "store/StoreTypes.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

namespace rk {

class HostClient;

// The admin changes of a Host profile, made through the host's REST API (kohakuriver-host.md
// 1.1): users (PATCH and DELETE /api/auth/users/{id}, admin only) and invitations (POST
// /api/auth/invitations, operator+ for viewer invitations; DELETE, admin only). The pages of a
// Host profile read a read-only mirror, so every change goes through here; the host checks each
// request and its refusal (the 400 `detail`, a 403, a 404) is reported per user or invitation,
// in the words of the one error mapper (host/HostErrors).
//
// Each method returns a HostAdminRun that sends one request per item, one after the other, and is
// cancellable; several runs may be under way at once. Every request that was answered (or
// stopped half-way) is reported through actionRecorded() for the audit, and a run that changed
// something ends with hostChanged(), so the owner syncs the mirror. The service never writes
// the mirror and never opens a dialog. Everything runs on the thread of the HostClient.
class HostAdminService : public QObject
{
    Q_OBJECT

public:
    struct UserTarget
    {
        qint64 id = 0;
        QString username; // for messages and the audit; may be empty
    };

    // `client` is not owned and may be null or go away: then every item fails with the reason.
    explicit HostAdminService(HostClient *client, QObject *parent = nullptr);
    ~HostAdminService() override;

    void setHostClient(HostClient *client);
    HostClient *hostClient() const;

    // What a connection through the host's API can do, with the reasons for the rest (no user
    // creation, no password reset, no groups).
    static Capabilities capabilities() { return Capabilities(ConnectionProfile::Kind::Host); }

    // <base>/register?token=<token>, as the host's dashboard builds it, with the client's base URL
    // (no user info); empty when there is none.
    QString registrationLink(const QString &token) const;
    static QString registrationLink(const QUrl &base, const QString &token);
    // An invitation as the host answered it, in the shape the pages show (the full token).
    static InvitationRecord invitationRecord(const HostInvitation &invitation);

    // PATCH /api/auth/users/{id} for each user, with only the fields `changes` sets.
    HostAdminRun *updateUsers(const QList<UserTarget> &users, const HostUserChanges &changes);
    // DELETE /api/auth/users/{id} for each user (the host removes the row only: its sessions and
    // tokens stop working because the user is gone).
    HostAdminRun *deleteUsers(const QList<UserTarget> &users);
    // POST /api/auth/invitations: one item; the run's createdInvitation() holds the answer.
    HostAdminRun *createInvitation(const HostNewInvitation &invitation);
    // DELETE /api/auth/invitations/{id} for each invitation.
    HostAdminRun *revokeInvitations(const QList<qint64> &ids);

    // Whether a run is under way.
    bool isBusy() const { return m_running > 0; }
    // Stops every run under way (HostAdminRun::cancel()): the connection they were meant for is
    // going (sign-out, another profile), and the client would send the rest to the next one.
    void cancelAll();

    // "display name “Bob B.”, role Operator, suspended" (translated), for messages and the audit.
    static QString describeChanges(const HostUserChanges &changes);

Q_SIGNALS:
    // One request ended (Done, Failed or Unknown; not the ones never sent), for the audit: what
    // (HostAdminRun::action()), on what ("user 3 (bob)", "invitation 7"), and the result. The
    // detail says what changed or why not; it never holds a token.
    void actionRecorded(const QString &action, const QString &target, bool ok, const QString &detail);
    // A run ended that changed something on the host (or may have: Unknown).
    void hostChanged();
    void busyChanged(bool busy);

private:
    HostAdminRun *makeRun(HostAdminRun::Operation operation, const QString &action);
    void watch(HostAdminRun *run, const QString &okDetail);

    QPointer<HostClient> m_client;
    int m_running = 0;
};

} // namespace rk
