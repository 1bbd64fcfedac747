#include "HostJob.h"

#include "core/Fingerprint.h"
#include "host/HostLogging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace rk {

namespace {

// 1..199 are connection and proxy errors, and ProtocolFailure is a broken answer: no usable HTTP
// answer even when a status line arrived (a connection closed mid-body keeps its 200). The other
// codes mirror HTTP statuses (Qt reports a 400 as ProtocolInvalidOperationError) and are handled
// by the status code.
bool isTransportError(QNetworkReply::NetworkError error)
{
    const int code = static_cast<int>(error);
    return (code >= 1 && code < 200) || error == QNetworkReply::ProtocolFailure;
}

} // namespace

QString HostRequest::describe() const
{
    return QString::fromLatin1(verb) + QLatin1Char(' ') + path;
}

HostJob::HostJob(QNetworkAccessManager *nam, QUrl url, HostRequest request, HostAuth auth,
    HostClientOptions options, QObject *parent)
    : QObject(parent),
      m_nam(nam),
      m_url(std::move(url)),
      m_request(std::move(request)),
      m_auth(std::move(auth)),
      m_options(std::move(options))
{
    m_timeoutTimer.setSingleShot(true);
    m_backoffTimer.setSingleShot(true);
    m_backoffTimer.setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% early
    connect(&m_timeoutTimer, &QTimer::timeout, this, &HostJob::handleTimeout);
    connect(&m_backoffTimer, &QTimer::timeout, this, &HostJob::sendAttempt);
}

HostJob::~HostJob()
{
    dropReply();
}

void HostJob::start()
{
    if (m_started)
        return;
    m_started = true;
    if (!m_nam) {
        failLater(
            hosterrors::usage(QCoreApplication::translate("rk::HostErrors", "No network access is set up.")));
        return;
    }
    // Send from the event loop so that whoever created the job has connected to it by then, and
    // every signal arrives asynchronously.
    QMetaObject::invokeMethod(this, &HostJob::sendAttempt, Qt::QueuedConnection);
}

void HostJob::failLater(HostError error)
{
    m_started = true;
    QMetaObject::invokeMethod(
        this, [this, error = std::move(error)]() mutable { fail(std::move(error)); }, Qt::QueuedConnection);
}

void HostJob::sendAttempt()
{
    if (m_finished)
        return;
    ++m_attempts;
    m_target = m_url;
    m_redirects = 0;
    m_redirectedToGet = false;
    send();
}

void HostJob::send()
{
    if (!m_nam) {
        fail(
            hosterrors::usage(QCoreApplication::translate("rk::HostErrors", "No network access is set up.")));
        return;
    }
    m_body.clear();
    m_sslErrors.clear();
    m_peerCertificate = QSslCertificate();
    m_acceptedTrusted = false;
    m_timedOut = false;
    m_oversized = false;
    m_httpStatus = 0;

    QNetworkRequest req(m_target);
    // Cookies are this job's business only: a shared QNetworkAccessManager must not carry one
    // profile's session into another's requests.
    req.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    // Redirects are followed by followRedirect(), not by Qt: credentials must not go to another
    // origin, and Qt 6.4's own following of a redirect on a kept-alive connection now and then
    // mixed up answers and corrupted the heap (seen as "caching was enabled after some bytes had
    // been written" in TestHostTransport, then a crash).
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setRawHeader("Accept", "application/json, text/plain;q=0.9");
    if (!m_options.userAgent.isEmpty())
        req.setRawHeader("User-Agent", m_options.userAgent);
    switch (m_auth.mode) {
    case HostAuth::Mode::None: break;
    case HostAuth::Mode::Bearer:
        if (!m_auth.secret.isEmpty())
            req.setRawHeader("Authorization", "Bearer " + m_auth.secret.toUtf8());
        break;
    case HostAuth::Mode::AdminSecret:
        if (!m_auth.secret.isEmpty())
            req.setRawHeader("X-Admin-Token", m_auth.secret.toUtf8());
        break;
    case HostAuth::Mode::Session:
        if (!m_auth.secret.isEmpty())
            req.setRawHeader("Cookie", "kohakuriver_session=" + m_auth.secret.toUtf8());
        break;
    }

    if (m_redirectedToGet) {
        m_reply = m_nam->get(req);
    } else if (m_request.jsonBody) {
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        m_reply = m_nam->sendCustomRequest(req, m_request.verb, *m_request.jsonBody);
    } else if (m_request.verb == "GET") {
        m_reply = m_nam->get(req);
    } else if (m_request.verb == "DELETE") {
        m_reply = m_nam->deleteResource(req);
    } else {
        // A POST without a body still sends Content-Length: 0, as the host expects.
        m_reply = m_nam->sendCustomRequest(req, m_request.verb, QByteArray());
    }
    qCDebug(lcHostApi) << "sending" << m_request.describe() << "to" << m_target.host() << "attempt"
                       << m_attempts << "redirects" << m_redirects;

    connect(m_reply, &QNetworkReply::readyRead, this, &HostJob::readAvailable);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &HostJob::checkAnnouncedSize);
    connect(m_reply, &QNetworkReply::sslErrors, this, &HostJob::handleSslErrors);
    connect(m_reply, &QNetworkReply::finished, this, &HostJob::handleReplyFinished);
    m_timeoutTimer.start(m_options.timeout);
}

void HostJob::checkAnnouncedSize()
{
    if (!m_reply || m_oversized)
        return;
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && length.toLongLong() > m_options.maxResponseBytes) {
        m_oversized = true;
        m_reply->abort(); // finished() follows, synchronously
    }
}

void HostJob::readAvailable()
{
    if (!m_reply || m_oversized)
        return;
    m_body += m_reply->readAll();
    if (m_body.size() > m_options.maxResponseBytes) {
        m_oversized = true;
        m_body.clear();
        m_reply->abort();
    }
}

bool HostJob::certificateTrusted(const QSslCertificate &certificate) const
{
    if (certificate.isNull() || m_options.trustedCertificates.isEmpty())
        return false;
    return fingerprint::contains(m_options.trustedCertificates,
        QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex()));
}

std::optional<HostError> HostJob::refuseReusedConnection(const QNetworkReply &reply) const
{
    // Qt keeps connections open and sends later requests over them without a new handshake, so
    // sslErrors() comes only for the request that opened one. A connection opened while another
    // list was trusted (another profile's, or one forgotten since) must not serve this job: check
    // the certificate it presented against this job's list, and otherwise against the system's
    // certificate authorities as the handshake did. The request has gone over that connection,
    // but to the same TLS session whose certificate was accepted before.
    if (m_url.scheme() != QLatin1String("https") || m_acceptedTrusted)
        return std::nullopt;
    const QSslConfiguration tls = reply.sslConfiguration();
    const QSslCertificate peer = tls.peerCertificate();
    if (peer.isNull() || certificateTrusted(peer))
        return std::nullopt;
    const QList<QSslError> errors = QSslCertificate::verify(tls.peerCertificateChain(), m_url.host());
    if (errors.isEmpty())
        return std::nullopt;
    qCWarning(lcHostApi) << "a reused connection to" << m_url.host() << "has a certificate this request does"
                         << "not trust";
    return hosterrors::tls(peer, errors, m_url, m_options.trustedCertificates);
}

void HostJob::handleSslErrors(const QList<QSslError> &errors)
{
    if (!m_reply)
        return;
    QSslCertificate peer = m_reply->sslConfiguration().peerCertificate();
    if (peer.isNull()) {
        for (const QSslError &error : errors) {
            if (!error.certificate().isNull()) {
                peer = error.certificate();
                break;
            }
        }
    }
    m_peerCertificate = peer;
    if (certificateTrusted(peer)) {
        // The user accepted exactly this certificate: ignore exactly these errors for it.
        qCInfo(lcHostApi) << "accepting the trusted certificate of" << m_url.host() << "despite"
                          << errors.size() << "TLS error(s)";
        m_acceptedTrusted = true;
        m_reply->ignoreSslErrors(errors);
        return;
    }
    m_sslErrors = errors;
    qCWarning(lcHostApi) << "untrusted TLS certificate from" << m_url.host() << ":" << errors.size()
                         << "error(s)";
}

void HostJob::handleTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort(); // finished() follows, synchronously
}

void HostJob::handleReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_finished)
        return;
    m_timeoutTimer.stop();
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    reply->deleteLater();

    if (m_oversized) {
        fail(hosterrors::oversized(m_options.maxResponseBytes, m_url));
        return;
    }
    if (m_timedOut) {
        retryOrFail(hosterrors::timeout(static_cast<int>(m_options.timeout.count()), m_url));
        return;
    }
    m_body += reply->readAll();
    if (m_body.size() > m_options.maxResponseBytes) {
        fail(hosterrors::oversized(m_options.maxResponseBytes, m_url));
        return;
    }

    const QNetworkReply::NetworkError networkError = reply->error();
    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    m_httpStatus = statusAttribute.isValid() ? statusAttribute.toInt() : 0;

    if (!m_sslErrors.isEmpty() && networkError != QNetworkReply::NoError) {
        fail(hosterrors::tls(m_peerCertificate, m_sslErrors, m_url, m_options.trustedCertificates));
        return;
    }
    if (isTransportError(networkError) || (networkError != QNetworkReply::NoError && m_httpStatus == 0)) {
        retryOrFail(hosterrors::fromNetworkError(networkError, reply->errorString(), m_url));
        return;
    }
    if (std::optional<HostError> refused = refuseReusedConnection(*reply)) {
        fail(std::move(*refused));
        return;
    }
    if (m_httpStatus >= 300 && m_httpStatus <= 399 && m_httpStatus != 304) {
        followRedirect(reply);
        return;
    }
    // Qt 6.4 can finish a reply without an error when the server closes the connection before the
    // announced Content-Length arrived; a truncated answer is a broken connection, not an answer.
    const QVariant announced = reply->header(QNetworkRequest::ContentLengthHeader);
    const QByteArray encoding = reply->rawHeader("Content-Encoding");
    if (announced.isValid() && (encoding.isEmpty() || encoding == "identity")
        && announced.toLongLong() != m_body.size() && m_request.verb != "HEAD") {
        qCWarning(lcHostApi) << m_request.describe() << "answer truncated:" << m_body.size() << "of"
                             << announced.toLongLong() << "bytes";
        retryOrFail(hosterrors::fromNetworkError(QNetworkReply::RemoteHostClosedError,
            QCoreApplication::translate("rk::HostErrors", "the answer was cut short"), m_url));
        return;
    }
    if (m_httpStatus < 200 || m_httpStatus > 299) {
        retryOrFail(hosterrors::fromHttpStatus(m_httpStatus, m_body, m_request.describe()));
        return;
    }
    if (m_httpStatus != m_request.expectedStatus) {
        qCWarning(lcHostApi) << m_request.describe() << "answered" << m_httpStatus
                             << "where the contract says" << m_request.expectedStatus;
    }

    HostResponse response;
    response.status = m_httpStatus;
    response.body = m_body;
    response.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    response.cookies = reply->header(QNetworkRequest::SetCookieHeader).value<QList<QNetworkCookie>>();
    const Status parsed = parseResponse(response);
    if (!parsed.ok()) {
        fail(hosterrors::protocol(parsed.error(), m_request.describe()));
        return;
    }
    qCDebug(lcHostApi) << m_request.describe() << "->" << m_httpStatus << m_body.size() << "bytes";
    finish();
}

void HostJob::followRedirect(QNetworkReply *reply)
{
    const QUrl location = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
    if (location.isEmpty()) {
        // A 3xx without a Location: not an answer this client can use.
        retryOrFail(hosterrors::fromHttpStatus(m_httpStatus, m_body, m_request.describe()));
        return;
    }
    const QUrl target = m_target.resolved(location);
    auto origin = [](const QUrl &url) {
        const int defaultPort = url.scheme() == QLatin1String("https") ? 443 : 80;
        return std::tuple(url.scheme().toLower(), url.host().toLower(), url.port(defaultPort));
    };
    if (origin(target) != origin(m_target)) {
        // Never contacted: the credential would go with the request.
        fail(hosterrors::fromNetworkError(QNetworkReply::InsecureRedirectError,
            QCoreApplication::translate("rk::HostErrors", "it points to %1, another origin")
                .arg(target.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment)
                         .toDisplayString()),
            m_url));
        return;
    }
    if (++m_redirects > kMaxRedirects) {
        fail(hosterrors::fromNetworkError(QNetworkReply::TooManyRedirectsError,
            QCoreApplication::translate("rk::HostErrors", "more than %n redirects", nullptr, kMaxRedirects),
            m_url));
        return;
    }
    // As browsers do: a 303 asks for a GET, and so does a 301/302 of a POST; 307/308 repeat the
    // request as it was, body included.
    if (m_httpStatus == 303 || ((m_httpStatus == 301 || m_httpStatus == 302) && m_request.verb == "POST"))
        m_redirectedToGet = true;
    qCInfo(lcHostApi) << m_request.describe() << "redirected (" << m_httpStatus << ") to" << target.path();
    m_target = target;
    send();
}

void HostJob::retryOrFail(HostError error)
{
    error.attempts = m_attempts;
    if (m_request.isRead() && m_attempts < m_options.maxAttempts && hosterrors::isTransient(error)) {
        const double factor = std::pow(std::max(1.0, m_options.backoffMultiplier), m_attempts - 1);
        const double delay = std::min<double>(
            static_cast<double>(m_options.initialBackoff.count()) * factor, m_options.maxBackoff.count());
        const int delayMs = static_cast<int>(std::max(0.0, delay));
        qCInfo(lcHostApi) << m_request.describe() << "failed transiently (" << error.message()
                          << "), retry in" << delayMs << "ms";
        Q_EMIT retrying(m_attempts, delayMs, error);
        if (!m_finished)
            m_backoffTimer.start(delayMs);
        return;
    }
    fail(std::move(error));
}

void HostJob::fail(HostError error)
{
    if (m_finished)
        return;
    error.attempts = m_attempts;
    if (error.kind != HostError::Kind::Cancelled)
        qCInfo(lcHostApi) << m_request.describe() << "failed:" << error.message();
    m_error = std::move(error);
    finish();
}

void HostJob::cancel()
{
    if (m_finished)
        return;
    m_timeoutTimer.stop();
    m_backoffTimer.stop();
    dropReply();
    HostError error = hosterrors::cancelled();
    error.attempts = m_attempts;
    m_error = std::move(error);
    finish();
}

void HostJob::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    reply->abort();
    reply->deleteLater();
}

void HostJob::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_timeoutTimer.stop();
    m_backoffTimer.stop();
    if (m_error && m_error->kind != HostError::Kind::Cancelled)
        Q_EMIT failed(*m_error);
    Q_EMIT finished(this);
    if (m_autoDelete)
        deleteLater();
}

} // namespace rk
