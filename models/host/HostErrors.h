#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QSslError>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

// The one place that turns what went wrong talking to the host (a network error, a TLS failure, an
// HTTP status with the host's `detail`, a size or time limit) into a translated sentence and an
// Error::Code. Messages are translated in the "rk::HostErrors" context.
//
// Codes used: Invalid (400, 422 and other 4xx), Refused (401, 403, untrusted TLS), NotFound (404),
// Conflict (409), Io (unreachable, closed connection, timeout, oversized answer, 502/503/504 and
// other 5xx), Corrupt (an answer that is not the JSON the contract describes), Internal (500),
// Cancelled (cancel()).

namespace rk {

// The certificate a TLS connection presented, for an "accept this certificate?" question.
struct HostCertificateInfo
{
    QString subject; // display name (CN or O)
    QString subjectDetails; // "CN=..., O=..."
    QString issuer;
    QString issuerDetails;
    QDateTime notBefore;
    QDateTime notAfter;
    QString sha256; // "AB:CD:..." uppercase hex with colons
    QStringList errors; // QSslError::errorString() of every error seen for it
    // The fingerprints trusted for this host when it presented this certificate instead: not
    // empty means the host's certificate changed since the admin trusted it.
    QStringList trustedBefore;

    bool isChange() const { return !trustedBefore.isEmpty(); }
    static HostCertificateInfo from(const QSslCertificate &certificate, const QList<QSslError> &errors);
    QString describe() const; // a few translated lines, for a dialog or stderr
};

struct HostError
{
    enum class Kind {
        Network, // no HTTP answer: refused, unreachable, closed, DNS, proxy
        Timeout, // no complete answer within the per-request timeout
        Tls, // the certificate was not trusted (see certificate)
        Http, // an HTTP status outside 2xx (see httpStatus and detail)
        Protocol, // a 2xx answer that is not what the contract describes (malformed JSON, ...)
        Oversized, // the answer is larger than the size cap
        Cancelled, // cancel() was called
        Usage, // the request could not be built (no base URL, an invalid argument)
    };

    Error error; // code + one translated sentence
    Kind kind = Kind::Network;
    int httpStatus = 0; // 0 when there was no HTTP answer
    QString detail; // the host's `detail`, flattened to text ("" when none)
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    std::optional<HostCertificateInfo> certificate; // Kind::Tls only
    int attempts = 0; // how many times the request was sent

    const QString &message() const { return error.message; }
    Error::Code code() const { return error.code; }
};

namespace hosterrors {

// The host's `detail` as text: the string itself, or for a 422 list each item's
// "<loc without 'body'>: <msg>" joined with "; ". Empty when the body has no detail.
QString detailText(const QByteArray &body);

// An HTTP status outside 2xx, with the response body. `request` is "GET /api/auth/users".
HostError fromHttpStatus(int status, const QByteArray &body, const QString &request);
// A transport error without an HTTP answer. `qtText` is QNetworkReply::errorString().
HostError fromNetworkError(QNetworkReply::NetworkError error, const QString &qtText, const QUrl &url);
HostError timeout(int milliseconds, const QUrl &url);
HostError oversized(qint64 limitBytes, const QUrl &url);
// `trusted`: the fingerprints the request accepted (HostClientOptions::trustedCertificates); when
// there are any, the message says the certificate changed and names the old and the new one.
HostError tls(const QSslCertificate &certificate, const QList<QSslError> &errors, const QUrl &url,
    const QStringList &trusted = {});
HostError protocol(const Error &parseError, const QString &request);
HostError cancelled();
HostError usage(const QString &message);

// Whether a GET may be sent again after this error: connection errors, timeouts, 502, 504, and 503
// unless the host itself answered it with a `detail` (FastAPI's "Authentication is not enabled" or
// "No suitable node available" will not change on a retry; a proxy's bare 503 may). Never TLS,
// 4xx, 500, oversized or malformed answers.
bool isTransient(const HostError &error);

} // namespace hosterrors
} // namespace rk

Q_DECLARE_METATYPE(rk::HostError)
