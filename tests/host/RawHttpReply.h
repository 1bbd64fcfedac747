#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QString>
#include <QUrl>

// One HTTP exchange without HostClient, for the routes the app never calls (a user's POST
// /api/submit, a runner's POST /api/update) and for the exact bytes of an answer.
namespace rk::test {

struct RawHttpReply
{
    bool finished = false; // false: no answer within the timeout
    int status = 0;
    QByteArray body;

    QJsonValue json() const
    {
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (doc.isObject())
            return doc.object();
        if (doc.isArray())
            return doc.array();
        return {};
    }
    QJsonObject object() const { return json().toObject(); }
    // FastAPI's {"detail": "..."}; empty when the detail is not a string.
    QString detail() const { return object().value(QStringLiteral("detail")).toString(); }

    // POST `body` as JSON to `url` (with "Authorization: Bearer <token>" unless the token is
    // empty) and wait for the answer.
    static RawHttpReply post(QNetworkAccessManager &nam, const QUrl &url, const QByteArray &body,
        const QString &token = {}, int timeoutMs = 5000)
    {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        QNetworkReply *reply = nam.post(request, body);
        RawHttpReply out;
        QSignalSpy done(reply, &QNetworkReply::finished);
        out.finished = reply->isFinished() || done.wait(timeoutMs);
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        reply->abort();
        reply->deleteLater();
        return out;
    }
    static RawHttpReply post(QNetworkAccessManager &nam, const QUrl &url, const QJsonObject &body,
        const QString &token = {}, int timeoutMs = 5000)
    {
        return post(nam, url, QJsonDocument(body).toJson(QJsonDocument::Compact), token, timeoutMs);
    }
};

} // namespace rk::test
