#include "HostErrors.h"

#include "core/Fingerprint.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace rk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::HostErrors", text);
}

QString hostOf(const QUrl &url)
{
    QString text = url.host();
    if (url.port() > 0)
        text += QLatin1Char(':') + QString::number(url.port());
    return text.isEmpty() ? url.toDisplayString() : text;
}

QString orNoReason(const QString &detail)
{
    return detail.isEmpty() ? tr("no reason given") : detail;
}

QString formatBytes(qint64 bytes)
{
    return QLocale::system().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString jsonText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return {};
}

// One 422 item: {"loc": ["body", "password"], "msg": "Field required", "type": "missing"}.
QString validationItem(const QJsonValue &item)
{
    if (!item.isObject())
        return jsonText(item);
    const QJsonObject object = item.toObject();
    QStringList loc;
    const QJsonArray parts = object.value(QLatin1String("loc")).toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString part = jsonText(parts.at(i));
        if (i == 0 && part == QLatin1String("body") && parts.size() > 1)
            continue; // "body" says nothing a user needs: the field name does
        loc.append(part);
    }
    const QString msg = object.value(QLatin1String("msg")).toString();
    if (loc.isEmpty())
        return msg.isEmpty() ? jsonText(item) : msg;
    return loc.join(QLatin1Char('.')) + QStringLiteral(": ") + (msg.isEmpty() ? tr("invalid") : msg);
}

} // namespace

HostCertificateInfo HostCertificateInfo::from(
    const QSslCertificate &certificate, const QList<QSslError> &errors)
{
    HostCertificateInfo info;
    const auto details = [](const QSslCertificate &cert, bool subject) {
        QStringList parts;
        const QList<QByteArray> attributes
            = subject ? cert.subjectInfoAttributes() : cert.issuerInfoAttributes();
        for (const QByteArray &attribute : attributes) {
            const QStringList values = subject ? cert.subjectInfo(attribute) : cert.issuerInfo(attribute);
            parts.append(
                QString::fromLatin1(attribute) + QLatin1Char('=') + values.join(QStringLiteral(", ")));
        }
        return parts.join(QStringLiteral(", "));
    };
    if (!certificate.isNull()) {
        info.subject = certificate.subjectDisplayName();
        info.subjectDetails = details(certificate, true);
        info.issuer = certificate.issuerDisplayName();
        info.issuerDetails = details(certificate, false);
        info.notBefore = certificate.effectiveDate();
        info.notAfter = certificate.expiryDate();
        info.sha256
            = QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    }
    for (const QSslError &error : errors) {
        const QString text = error.errorString();
        if (!info.errors.contains(text))
            info.errors.append(text);
    }
    return info;
}

QString HostCertificateInfo::describe() const
{
    QStringList lines;
    lines << tr("Subject: %1").arg(subjectDetails.isEmpty() ? subject : subjectDetails)
          << tr("Issuer: %1").arg(issuerDetails.isEmpty() ? issuer : issuerDetails)
          << tr("Valid from %1 to %2")
                 .arg(QLocale::system().toString(notBefore.toLocalTime(), QLocale::ShortFormat),
                     QLocale::system().toString(notAfter.toLocalTime(), QLocale::ShortFormat))
          << tr("SHA-256 fingerprint: %1").arg(sha256);
    if (isChange())
        lines << tr("Trusted before: %1").arg(trustedBefore.join(QStringLiteral(", ")));
    if (!errors.isEmpty())
        lines << tr("Problems: %1").arg(errors.join(QStringLiteral("; ")));
    return lines.join(QLatin1Char('\n'));
}

namespace hosterrors {

QString detailText(const QByteArray &body)
{
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return {};
    const QJsonValue detail = doc.object().value(QLatin1String("detail"));
    if (detail.isArray()) {
        QStringList items;
        const QJsonArray array = detail.toArray();
        for (const QJsonValue &item : array) {
            const QString text = validationItem(item);
            if (!text.isEmpty())
                items.append(text);
        }
        return items.join(QStringLiteral("; "));
    }
    return jsonText(detail);
}

HostError fromHttpStatus(int status, const QByteArray &body, const QString &request)
{
    HostError e;
    e.kind = HostError::Kind::Http;
    e.httpStatus = status;
    e.detail = detailText(body);
    const QString detail = orNoReason(e.detail);
    using Code = Error::Code;
    switch (status) {
    case 400: e.error = Error::make(Code::Invalid, tr("The host refused the request: %1").arg(detail)); break;
    case 401:
        e.error = Error::make(
            Code::Refused, tr("Not signed in: the host did not accept the credentials (%1).").arg(detail));
        break;
    case 403:
        e.error = Error::make(Code::Refused, tr("Permission denied by the host: %1").arg(detail));
        break;
    case 404:
        if (e.detail == QLatin1String("Not Found")) {
            // FastAPI's answer for a route it does not have, not a missing row.
            e.error = Error::make(Code::NotFound,
                tr("The host has no endpoint for %1 (HTTP 404): it may run another version of KohakuRiver.")
                    .arg(request));
        } else {
            e.error = Error::make(Code::NotFound, tr("Not found on the host: %1").arg(detail));
        }
        break;
    case 405:
        e.error = Error::make(Code::Invalid,
            tr("The host does not allow %1 (HTTP 405): it may run another version of KohakuRiver.")
                .arg(request));
        break;
    case 409: e.error = Error::make(Code::Conflict, tr("The host refused the change: %1").arg(detail)); break;
    case 422:
        e.error = Error::make(Code::Invalid, tr("The host rejected the request's fields: %1").arg(detail));
        break;
    case 500:
        e.error = Error::make(Code::Internal,
            tr("The host failed with an internal error (HTTP 500) on %1: %2").arg(request, detail));
        break;
    case 502:
    case 503:
    case 504:
        e.error = Error::make(Code::Io, tr("The host is unavailable (HTTP %1): %2").arg(status).arg(detail));
        break;
    default:
        if (status >= 400 && status < 500)
            e.error = Error::make(
                Code::Invalid, tr("The host refused the request (HTTP %1): %2").arg(status).arg(detail));
        else if (status >= 500)
            e.error = Error::make(Code::Io, tr("The host failed (HTTP %1): %2").arg(status).arg(detail));
        else
            e.error = Error::make(Code::Internal,
                tr("Unexpected answer from the host (HTTP %1) to %2.").arg(status).arg(request));
        break;
    }
    return e;
}

HostError fromNetworkError(QNetworkReply::NetworkError error, const QString &qtText, const QUrl &url)
{
    HostError e;
    e.kind = HostError::Kind::Network;
    e.networkError = error;
    const QString host = hostOf(url);
    using Code = Error::Code;
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        e.error = Error::make(Code::Io,
            tr("%1 refused the connection: is the KohakuRiver host running there, and is the port right?")
                .arg(host));
        break;
    case QNetworkReply::RemoteHostClosedError:
        e.error
            = Error::make(Code::Io, tr("%1 closed the connection before the answer was complete.").arg(host));
        break;
    case QNetworkReply::HostNotFoundError:
        e.error = Error::make(Code::Io, tr("The host name %1 could not be found.").arg(url.host()));
        break;
    case QNetworkReply::TimeoutError:
        e.kind = HostError::Kind::Timeout;
        e.error = Error::make(Code::Io, tr("The connection to %1 timed out.").arg(host));
        break;
    case QNetworkReply::OperationCanceledError: return cancelled();
    case QNetworkReply::SslHandshakeFailedError:
        e.kind = HostError::Kind::Tls;
        e.error = Error::make(Code::Refused, tr("The secure connection to %1 failed: %2").arg(host, qtText));
        break;
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::BackgroundRequestNotAllowedError:
        e.error = Error::make(Code::Io, tr("The network is not available (%1).").arg(qtText));
        break;
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        e.error = Error::make(Code::Io, tr("The proxy failed on the way to %1: %2").arg(host, qtText));
        break;
    case QNetworkReply::TooManyRedirectsError:
    case QNetworkReply::InsecureRedirectError:
        e.error = Error::make(Code::Refused, tr("%1 redirected the request elsewhere: %2").arg(host, qtText));
        break;
    case QNetworkReply::ProtocolFailure:
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
        e.error = Error::make(Code::Io, tr("The answer from %1 is not valid HTTP: %2").arg(host, qtText));
        break;
    default: e.error = Error::make(Code::Io, tr("Could not talk to %1: %2").arg(host, qtText)); break;
    }
    return e;
}

HostError timeout(int milliseconds, const QUrl &url)
{
    HostError e;
    e.kind = HostError::Kind::Timeout;
    e.networkError = QNetworkReply::TimeoutError;
    e.error = Error::make(Error::Code::Io,
        tr("%1 did not answer within %2 seconds.")
            .arg(hostOf(url), QString::number(milliseconds / 1000.0, 'g', 3)));
    return e;
}

HostError oversized(qint64 limitBytes, const QUrl &url)
{
    HostError e;
    e.kind = HostError::Kind::Oversized;
    e.error = Error::make(Error::Code::Io,
        tr("The answer from %1 is oversized: it is larger than the limit of %2, so it was refused.")
            .arg(hostOf(url), formatBytes(limitBytes)));
    return e;
}

HostError tls(const QSslCertificate &certificate, const QList<QSslError> &errors, const QUrl &url,
    const QStringList &trusted)
{
    HostError e;
    e.kind = HostError::Kind::Tls;
    e.networkError = QNetworkReply::SslHandshakeFailedError;
    HostCertificateInfo info = HostCertificateInfo::from(certificate, errors);
    for (const QString &fingerprint : trusted) {
        const QString canonical = fingerprint::canonical(fingerprint);
        const QString shown = canonical.isEmpty() ? fingerprint : canonical;
        if (!info.trustedBefore.contains(shown))
            info.trustedBefore.append(shown);
    }
    e.certificate = info;
    if (info.isChange()) {
        const QString details
            = tr("Certificate \"%1\" issued by \"%2\", valid from %3 to %4 (%5).")
                  .arg(info.subject, info.issuer, info.notBefore.toString(Qt::ISODate),
                      info.notAfter.toString(Qt::ISODate), info.errors.join(QStringLiteral("; ")));
        // Never accepted silently: the trusted certificate may have been renewed, or someone
        // between here and the host is presenting their own.
        e.error = Error::make(Error::Code::Refused,
            tr("The TLS certificate of %1 has changed: the trusted certificate has the SHA-256 fingerprint "
               "%2, but the host now presents %3. %4 The connection was refused; trust the new "
               "certificate only if the host's administrator confirms that they replaced it.")
                .arg(hostOf(url), info.trustedBefore.join(QStringLiteral(", ")), info.sha256, details));
        return e;
    }
    e.error = Error::make(Error::Code::Refused,
        tr("The TLS certificate of %1 is not trusted (%2). Certificate \"%3\" issued by \"%4\", valid from "
           "%5 "
           "to %6, SHA-256 fingerprint %7.")
            .arg(hostOf(url), info.errors.join(QStringLiteral("; ")), info.subject, info.issuer,
                info.notBefore.toString(Qt::ISODate), info.notAfter.toString(Qt::ISODate), info.sha256));
    return e;
}

HostError protocol(const Error &parseError, const QString &request)
{
    HostError e;
    e.kind = HostError::Kind::Protocol;
    e.error = Error::make(parseError.code, tr("%1 (answer to %2)").arg(parseError.message, request));
    return e;
}

HostError cancelled()
{
    HostError e;
    e.kind = HostError::Kind::Cancelled;
    e.networkError = QNetworkReply::OperationCanceledError;
    e.error = Error::make(Error::Code::Cancelled, tr("The request was cancelled."));
    return e;
}

HostError usage(const QString &message)
{
    HostError e;
    e.kind = HostError::Kind::Usage;
    e.error = Error::make(Error::Code::Invalid, message);
    return e;
}

bool isTransient(const HostError &error)
{
    switch (error.kind) {
    case HostError::Kind::Timeout: return true;
    case HostError::Kind::Network:
        switch (error.networkError) {
        case QNetworkReply::ConnectionRefusedError:
        case QNetworkReply::RemoteHostClosedError:
        case QNetworkReply::TimeoutError:
        case QNetworkReply::TemporaryNetworkFailureError:
        case QNetworkReply::NetworkSessionFailedError:
        case QNetworkReply::ProxyConnectionClosedError:
        case QNetworkReply::ProxyTimeoutError:
        case QNetworkReply::UnknownNetworkError: return true;
        default: return false;
        }
    case HostError::Kind::Http:
        return error.httpStatus == 502 || error.httpStatus == 504
            || (error.httpStatus == 503 && error.detail.isEmpty());
    default: return false;
    }
}

} // namespace hosterrors
} // namespace rk
