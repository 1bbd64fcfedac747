#include "HostClient.h"

#include "core/Fingerprint.h"
#include "host/HostLogging.h"
#include "host/HostParsers.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>

namespace rk {

HostClient::HostClient(QNetworkAccessManager *nam, QObject *parent) : QObject(parent)
{
    if (!nam) {
        m_ownNam = new QNetworkAccessManager(this);
        nam = m_ownNam;
    }
    m_nam = nam;
}

HostClient::~HostClient()
{
    // Jobs are children: deleting them aborts their replies before the manager (possibly a child
    // too) goes away.
    const QList<HostJob *> jobs = findChildren<HostJob *>(QString(), Qt::FindDirectChildrenOnly);
    qDeleteAll(jobs);
}

void HostClient::setBaseUrl(const QUrl &url)
{
    m_baseUrl = url.adjusted(QUrl::StripTrailingSlash | QUrl::RemoveQuery | QUrl::RemoveFragment);
    const QString warning = plainHttpWarning(m_baseUrl);
    if (!warning.isEmpty())
        qCWarning(lcHostApi).noquote() << warning;
}

QUrl HostClient::endpointUrl(const QString &path, const QUrlQuery &query) const
{
    if (!m_baseUrl.isValid() || m_baseUrl.host().isEmpty()
        || (m_baseUrl.scheme() != QLatin1String("http") && m_baseUrl.scheme() != QLatin1String("https")))
        return {};
    QUrl url = m_baseUrl;
    QString basePath = url.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path);
    if (!query.isEmpty())
        url.setQuery(query);
    return url;
}

void HostClient::setAuth(const HostAuth &auth)
{
    if (m_auth == auth)
        return;
    m_auth = auth;
    Q_EMIT authChanged();
}

void HostClient::trustCertificate(const QString &sha256)
{
    if (!fingerprint::contains(m_options.trustedCertificates, sha256))
        m_options.trustedCertificates.append(sha256);
}

void HostClient::setTrustedCertificates(const QStringList &sha256)
{
    m_options.trustedCertificates = sha256;
}

bool HostClient::isLoopback(const QUrl &url)
{
    QString host = url.host().toLower();
    if (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    if (host == QLatin1String("localhost") || host.endsWith(QLatin1String(".localhost")))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString HostClient::plainHttpWarning(const QUrl &url)
{
    if (url.scheme() != QLatin1String("http") || url.host().isEmpty() || isLoopback(url))
        return {};
    return QCoreApplication::translate("rk::HostClient",
        "The connection to %1 uses plain HTTP: API tokens, passwords and session cookies cross the network "
        "unencrypted. Use https:// unless this network is trusted.")
        .arg(url.host());
}

template<typename T>
HostCall<T> *HostClient::call(HostRequest request, std::function<Result<T>(const HostResponse &)> parser)
{
    const QUrl url = endpointUrl(request.path, request.query);
    auto *job = new HostCall<T>(m_nam, url, std::move(request), m_auth, m_options, std::move(parser), this);
    if (!url.isValid()) {
        job->failLater(hosterrors::usage(QCoreApplication::translate("rk::HostClient",
            "No valid host address is set (expected http:// or https:// with a host name).")));
        return job;
    }
    job->start();
    return job;
}

template<typename T>
HostCall<T> *HostClient::call(HostRequest request, Result<T> (*bodyParser)(const QByteArray &))
{
    return call<T>(
        std::move(request), [bodyParser](const HostResponse &response) { return bodyParser(response.body); });
}

// --- the endpoints, as kohakuriver-host.md section 1 lists them --------------------------------

namespace {

HostRequest get(QString path, QUrlQuery query = {})
{
    HostRequest r;
    r.verb = QByteArrayLiteral("GET");
    r.path = std::move(path);
    r.query = std::move(query);
    return r;
}

HostRequest send(
    QByteArray verb, QString path, std::optional<QByteArray> body = std::nullopt, int expected = 200)
{
    HostRequest r;
    r.verb = std::move(verb);
    r.path = std::move(path);
    r.jsonBody = std::move(body);
    r.expectedStatus = expected;
    return r;
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString id(qint64 value)
{
    return QString::number(value);
}

} // namespace

HostCall<HostAuthStatus> *HostClient::authStatus()
{
    return call(get(QStringLiteral("/api/auth/status")), &hostparse::authStatusBody);
}

HostCall<HostUser> *HostClient::me()
{
    return call(get(QStringLiteral("/api/auth/me")), &hostparse::userBody);
}

HostCall<HostLogin> *HostClient::login(const QString &username, const QString &password)
{
    const QJsonObject body {{QStringLiteral("username"), username}, {QStringLiteral("password"), password}};
    auto *job = call<HostLogin>(send("POST", QStringLiteral("/api/auth/login"), json(body)),
        [](const HostResponse &response) -> Result<HostLogin> {
            Result<HostLogin> parsed = hostparse::loginBody(response.body);
            if (!parsed.ok())
                return parsed;
            HostLogin login = std::move(parsed).value();
            for (const QNetworkCookie &cookie : response.cookies) {
                if (cookie.name() == "kohakuriver_session" && !cookie.value().isEmpty())
                    login.sessionId = QString::fromLatin1(cookie.value());
            }
            if (login.sessionId.isEmpty()) {
                return Error::make(Error::Code::Corrupt,
                    QCoreApplication::translate("rk::HostClient",
                        "The host accepted the sign-in but sent no kohakuriver_session cookie."));
            }
            return login;
        });
    // Connected before the caller can connect, so the caller's slots already see the session.
    connect(job, &HostJob::finished, this, [this, job] {
        if (const HostLogin *login = job->value())
            setAuth(HostAuth::session(login->sessionId));
    });
    return job;
}

HostCall<HostMessage> *HostClient::logout()
{
    auto *job = call(send("POST", QStringLiteral("/api/auth/logout")), &hostparse::messageBody);
    const HostAuth used = m_auth;
    connect(job, &HostJob::finished, this, [this, used] {
        if (used.mode == HostAuth::Mode::Session && m_auth == used)
            setAuth(HostAuth::none());
    });
    return job;
}

HostCall<QList<HostToken>> *HostClient::tokens()
{
    return call(get(QStringLiteral("/api/auth/tokens")), &hostparse::tokensBody);
}

HostCall<HostCreatedToken> *HostClient::createToken(const QString &name)
{
    const QJsonObject body {{QStringLiteral("name"), name}};
    return call(
        send("POST", QStringLiteral("/api/auth/tokens/create"), json(body)), &hostparse::createdTokenBody);
}

HostCall<HostMessage> *HostClient::revokeToken(qint64 tokenId)
{
    return call(send("DELETE", QStringLiteral("/api/auth/tokens/") + id(tokenId)), &hostparse::messageBody);
}

HostCall<QList<HostUser>> *HostClient::users()
{
    return call(get(QStringLiteral("/api/auth/users")), &hostparse::usersBody);
}

HostCall<HostUser> *HostClient::updateUser(qint64 userId, const HostUserChanges &changes)
{
    QJsonObject body;
    if (changes.displayName)
        body.insert(QStringLiteral("display_name"), *changes.displayName);
    if (changes.role)
        body.insert(QStringLiteral("role"), *changes.role);
    if (changes.active)
        body.insert(QStringLiteral("is_active"), *changes.active);
    return call(
        send("PATCH", QStringLiteral("/api/auth/users/") + id(userId), json(body)), &hostparse::userBody);
}

HostCall<HostMessage> *HostClient::deleteUser(qint64 userId)
{
    return call(send("DELETE", QStringLiteral("/api/auth/users/") + id(userId)), &hostparse::messageBody);
}

HostCall<QList<HostInvitation>> *HostClient::invitations()
{
    return call(get(QStringLiteral("/api/auth/invitations")), &hostparse::invitationsBody);
}

HostCall<HostInvitation> *HostClient::createInvitation(const HostNewInvitation &invitation)
{
    const QJsonObject body {
        {QStringLiteral("role"), invitation.role},
        {QStringLiteral("group_id"), invitation.groupId ? QJsonValue(*invitation.groupId) : QJsonValue()},
        {QStringLiteral("max_usage"), invitation.maxUsage},
        {QStringLiteral("expires_hours"), invitation.expiresHours},
    };
    return call(
        send("POST", QStringLiteral("/api/auth/invitations"), json(body)), &hostparse::invitationBody);
}

HostCall<HostMessage> *HostClient::revokeInvitation(qint64 invitationId)
{
    return call(
        send("DELETE", QStringLiteral("/api/auth/invitations/") + id(invitationId)), &hostparse::messageBody);
}

HostCall<QList<HostTask>> *HostClient::tasks(const HostTaskQuery &query)
{
    QUrlQuery q;
    if (!query.status.isEmpty())
        q.addQueryItem(QStringLiteral("status"), query.status);
    q.addQueryItem(QStringLiteral("limit"), QString::number(query.limit));
    q.addQueryItem(QStringLiteral("offset"), QString::number(query.offset));
    return call(get(QStringLiteral("/api/tasks"), q), &hostparse::tasksBody);
}

HostCall<QList<HostTask>> *HostClient::pendingApprovals(int limit, int offset)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    q.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    return call(get(QStringLiteral("/api/tasks/pending-approval"), q), &hostparse::tasksBody);
}

HostCall<HostTask> *HostClient::task(qint64 taskId)
{
    return call(get(QStringLiteral("/api/status/") + id(taskId)), &hostparse::taskBody);
}

HostCall<HostTaskDecision> *HostClient::approveTask(qint64 taskId)
{
    return call(send("POST", QStringLiteral("/api/approve/") + id(taskId)), &hostparse::taskDecisionBody);
}

HostCall<HostTaskDecision> *HostClient::rejectTask(qint64 taskId, const QString &reason)
{
    HostRequest r = send("POST", QStringLiteral("/api/reject/") + id(taskId));
    if (!reason.isEmpty())
        r.query.addQueryItem(QStringLiteral("reason"), QString::fromLatin1(QUrl::toPercentEncoding(reason)));
    return call(std::move(r), &hostparse::taskDecisionBody);
}

HostCall<HostMessage> *HostClient::killTask(qint64 taskId)
{
    return call(
        send("POST", QStringLiteral("/api/kill/") + id(taskId), std::nullopt, 202), &hostparse::messageBody);
}

HostCall<HostMessage> *HostClient::taskCommand(qint64 taskId, const char *command)
{
    return call(send("POST",
                    QStringLiteral("/api/command/") + id(taskId) + QLatin1Char('/') + QLatin1String(command)),
        &hostparse::messageBody);
}

HostCall<HostMessage> *HostClient::pauseTask(qint64 taskId)
{
    return taskCommand(taskId, "pause");
}

HostCall<HostMessage> *HostClient::resumeTask(qint64 taskId)
{
    return taskCommand(taskId, "resume");
}

HostCall<QString> *HostClient::taskLog(qint64 taskId, int lines, const char *stream)
{
    QUrlQuery q;
    if (lines > 0)
        q.addQueryItem(QStringLiteral("lines"), QString::number(lines));
    return call(get(QStringLiteral("/api/tasks/") + id(taskId) + QLatin1Char('/') + QLatin1String(stream), q),
        &hostparse::textBody);
}

HostCall<QString> *HostClient::taskStdout(qint64 taskId, int lines)
{
    return taskLog(taskId, lines, "stdout");
}

HostCall<QString> *HostClient::taskStderr(qint64 taskId, int lines)
{
    return taskLog(taskId, lines, "stderr");
}

HostCall<QList<HostVps>> *HostClient::vpsList()
{
    return call(get(QStringLiteral("/api/vps")), &hostparse::vpsListBody);
}

HostCall<HostVpsAssignments> *HostClient::vpsAssignments(qint64 taskId)
{
    return call(get(QStringLiteral("/api/vps/") + id(taskId) + QStringLiteral("/assignments")),
        &hostparse::vpsAssignmentsBody);
}

HostCall<HostVpsAssignResult> *HostClient::assignVps(qint64 taskId, const QList<qint64> &userIds)
{
    // The body is a bare JSON array of user ids: [2, 3].
    QJsonArray ids;
    for (const qint64 userId : userIds)
        ids.append(QJsonValue(userId));
    const QByteArray body = QJsonDocument(ids).toJson(QJsonDocument::Compact);
    return call(send("POST", QStringLiteral("/api/vps/") + id(taskId) + QStringLiteral("/assign"), body),
        &hostparse::vpsAssignResultBody);
}

HostCall<HostMessage> *HostClient::unassignVps(qint64 taskId, qint64 userId)
{
    return call(
        send("DELETE", QStringLiteral("/api/vps/") + id(taskId) + QStringLiteral("/assign/") + id(userId)),
        &hostparse::messageBody);
}

HostCall<HostMessage> *HostClient::stopVps(qint64 taskId)
{
    return call(send("POST", QStringLiteral("/api/vps/stop/") + id(taskId), std::nullopt, 202),
        &hostparse::messageBody);
}

HostCall<HostMessage> *HostClient::restartVps(qint64 taskId)
{
    return call(send("POST", QStringLiteral("/api/vps/restart/") + id(taskId), std::nullopt, 202),
        &hostparse::messageBody);
}

HostCall<QList<HostNode>> *HostClient::nodes()
{
    return call(get(QStringLiteral("/api/nodes")), &hostparse::nodesBody);
}

HostCall<HostHealth> *HostClient::health()
{
    return call(get(QStringLiteral("/api/health")), &hostparse::healthBody);
}

} // namespace rk
