#pragma once

#include "host/HostAuth.h"
#include "host/HostJob.h"
#include "host/HostNodeTypes.h"
#include "host/HostTaskTypes.h"
#include "host/HostTypes.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;

namespace rk {

// The KohakuRiver host's REST API (kohakuriver-host.md section 1), one method per request kind.
//
// Each method creates a job (a HostCall<T>, parented to this client), starts it and returns it;
// the caller connects to it (onFinished(), finished(), failed()) before returning to the event
// loop. Nothing is sent and no signal is emitted before that. Jobs copy the base URL, credentials
// and options at creation. GETs are retried on transient failures with exponential backoff;
// POST/PATCH/DELETE are sent exactly once. Everything runs on the client's thread.
//
// The QNetworkAccessManager is shared (one per application) and not owned; when none is given the
// client makes its own. Cookies are never stored in it: a session cookie lives in the client's
// HostAuth only.
class HostClient : public QObject
{
    Q_OBJECT
public:
    explicit HostClient(QNetworkAccessManager *nam = nullptr, QObject *parent = nullptr);
    ~HostClient() override;

    QNetworkAccessManager *networkAccessManager() const { return m_nam; }

    // The host's base URL, e.g. "http://cluster:8000" (a path prefix is kept: "https://x/kohaku").
    void setBaseUrl(const QUrl &url);
    QUrl baseUrl() const { return m_baseUrl; }
    // The full URL of an API path ("/api/nodes"); invalid when no usable base URL is set.
    QUrl endpointUrl(const QString &path, const QUrlQuery &query = {}) const;

    void setAuth(const HostAuth &auth);
    HostAuth auth() const { return m_auth; }

    void setOptions(const HostClientOptions &options) { m_options = options; }
    const HostClientOptions &options() const { return m_options; }
    void setTimeout(std::chrono::milliseconds timeout) { m_options.timeout = timeout; }
    // Accepts a certificate despite TLS errors, by its SHA-256 fingerprint (as HostError's
    // certificate shows it). Only after the user has seen and accepted that certificate.
    void trustCertificate(const QString &sha256);
    // Replaces the accepted fingerprints: those a profile remembers (HostConnection sets them
    // from its profile). A certificate that fails to verify and is not among them is refused,
    // and when the list is not empty the error says the host's certificate changed. Jobs already
    // created keep the list they copied; a connection Qt keeps open is not checked again.
    void setTrustedCertificates(const QStringList &sha256);

    // True for localhost and loopback addresses (127.0.0.0/8, ::1).
    static bool isLoopback(const QUrl &url);
    // A translated warning when `url` is plain http to a host that is not loopback (tokens and
    // passwords would cross the network unencrypted); empty otherwise.
    static QString plainHttpWarning(const QUrl &url);

    // --- auth (GET /api/auth/status, /me; POST /login, /logout) -----------------------------
    HostCall<HostAuthStatus> *authStatus();
    // 200 even for a bad credential: check HostUser::isAnonymous().
    HostCall<HostUser> *me();
    // On success the client switches to HostAuth::session(<cookie>) before finished() reaches the
    // caller. For one invocation (the CLI's sign-in): login, create a token, logout.
    HostCall<HostLogin> *login(const QString &username, const QString &password);
    // Ends the session the client holds; afterwards the client's auth is none (also on failure).
    HostCall<HostMessage> *logout();

    // --- the caller's own API tokens --------------------------------------------------------
    HostCall<QList<HostToken>> *tokens();
    HostCall<HostCreatedToken> *createToken(const QString &name);
    HostCall<HostMessage> *revokeToken(qint64 tokenId);

    // --- users (operator+ to list, admin to change) -----------------------------------------
    HostCall<QList<HostUser>> *users();
    HostCall<HostUser> *updateUser(qint64 userId, const HostUserChanges &changes);
    HostCall<HostMessage> *deleteUser(qint64 userId);

    // --- invitations (admin lists and revokes; operators create viewer invitations) -----------
    HostCall<QList<HostInvitation>> *invitations();
    HostCall<HostInvitation> *createInvitation(const HostNewInvitation &invitation);
    HostCall<HostMessage> *revokeInvitation(qint64 invitationId);

    // --- tasks ------------------------------------------------------------------------------
    HostCall<QList<HostTask>> *tasks(const HostTaskQuery &query = {});
    HostCall<QList<HostTask>> *pendingApprovals(int limit = 100, int offset = 0);
    HostCall<HostTask> *task(qint64 taskId);
    HostCall<HostTaskDecision> *approveTask(qint64 taskId);
    // An empty reason sends none (the host stores null).
    HostCall<HostTaskDecision> *rejectTask(qint64 taskId, const QString &reason = {});
    HostCall<HostMessage> *killTask(qint64 taskId); // 202
    HostCall<HostMessage> *pauseTask(qint64 taskId);
    HostCall<HostMessage> *resumeTask(qint64 taskId);
    // The tail of the task's log; lines <= 0: the whole file. "" when the host has no file.
    HostCall<QString> *taskStdout(qint64 taskId, int lines = 100);
    HostCall<QString> *taskStderr(qint64 taskId, int lines = 100);

    // --- VPS ----------------------------------------------------------------------------------
    HostCall<QList<HostVps>> *vpsList();
    HostCall<HostVpsAssignments> *vpsAssignments(qint64 taskId);
    HostCall<HostVpsAssignResult> *assignVps(qint64 taskId, const QList<qint64> &userIds);
    HostCall<HostMessage> *unassignVps(qint64 taskId, qint64 userId);
    HostCall<HostMessage> *stopVps(qint64 taskId); // 202
    HostCall<HostMessage> *restartVps(qint64 taskId); // 202

    // --- cluster (no auth on the host) --------------------------------------------------------
    HostCall<QList<HostNode>> *nodes();
    HostCall<HostHealth> *health();

Q_SIGNALS:
    void authChanged();

private:
    template<typename T>
    HostCall<T> *call(HostRequest request, std::function<Result<T>(const HostResponse &)> parser);
    template<typename T> HostCall<T> *call(HostRequest request, Result<T> (*bodyParser)(const QByteArray &));
    HostCall<QString> *taskLog(qint64 taskId, int lines, const char *stream);
    HostCall<HostMessage> *taskCommand(qint64 taskId, const char *command);

    QPointer<QNetworkAccessManager> m_nam;
    QNetworkAccessManager *m_ownNam = nullptr;
    QUrl m_baseUrl;
    HostAuth m_auth;
    HostClientOptions m_options;
};

} // namespace rk
