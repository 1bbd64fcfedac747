#pragma once

#include "core/Result.h"
#include "host/HostAuth.h"
#include "host/HostErrors.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QNetworkCookie>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <chrono>
#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace rk {

// Transport settings, copied into each job when it is created (a later change does not affect
// requests already under way).
struct HostClientOptions
{
    std::chrono::milliseconds timeout {15000}; // per attempt, from sending to the last byte
    int maxAttempts = 3; // GET only; POST/PATCH/DELETE are always sent once
    std::chrono::milliseconds initialBackoff {500}; // before the 2nd attempt; then multiplied
    double backoffMultiplier = 2.0;
    std::chrono::milliseconds maxBackoff {8000};
    qint64 maxResponseBytes = 32 * 1024 * 1024; // a bigger answer fails as "oversized"
    QStringList
        trustedCertificates; // SHA-256 fingerprints (hex, colons optional) accepted despite TLS errors
    QByteArray userAgent = QByteArrayLiteral("Riverkeeper");
};

// One HTTP request to the host as the contract describes it.
struct HostRequest
{
    QByteArray verb = QByteArrayLiteral("GET"); // GET, POST, PATCH, DELETE
    QString path; // "/api/auth/users", appended to the base URL's path
    QUrlQuery query;
    std::optional<QByteArray> jsonBody; // sent with Content-Type: application/json
    int expectedStatus = 200; // the contract's success status (202 for kill, stop, restart)

    bool isRead() const { return verb == "GET"; }
    QString describe() const; // "GET /api/auth/users" (no query: it may hold a reason text)
};

// What a successful (2xx) answer carried, for a job's parser.
struct HostResponse
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QList<QNetworkCookie> cookies; // Set-Cookie (the client never stores cookies on its own)
};

// One request to the host, with its retries. The base class does the transport: auth headers,
// per-attempt timeout, retries with exponential backoff for GET only, the response size cap,
// same-origin redirects only (followed here, with the credential, at most kMaxRedirects; another
// origin is refused without being contacted), TLS errors (refused unless the certificate's
// fingerprint was trusted, also on a connection Qt reuses from an earlier request that trusted
// it), cancellation; subclasses only parse (see HostCall).
//
// Lives on the thread of its HostClient (the parent). Started by the HostClient method that
// creates it; every signal is emitted from the event loop, never before that method returns.
// Ends with exactly one finished(); failed() comes first for any failure except cancel().
// Deletes itself after finished() unless setAutoDelete(false).
//
// Known limit: below this class, Qt 6.4's HTTP channel may itself re-send a request once (a POST
// too) when the server closes the connection without sending any answer; that is not an attempt
// here and cannot be switched off through public API.
class HostJob : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxRedirects = 5;

    ~HostJob() override;

    const HostRequest &request() const { return m_request; }
    const QUrl &url() const { return m_url; }
    bool isFinished() const { return m_finished; }
    bool hasSucceeded() const { return m_finished && !m_error.has_value(); }
    // The failure; nullptr while running and after success.
    const HostError *hostError() const { return m_error ? &*m_error : nullptr; }
    int httpStatus() const { return m_httpStatus; } // of the last answer; 0 when there was none
    int attempts() const { return m_attempts; }

    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }
    bool autoDelete() const { return m_autoDelete; }

public Q_SLOTS:
    // Aborts the request or a pending retry. Emits finished() (not failed()) at once, with a
    // Cancelled error. Does nothing once finished.
    void cancel();

Q_SIGNALS:
    void failed(const rk::HostError &error);
    void finished(rk::HostJob *job);
    // A GET failed transiently and will be sent again after delayMs (attempt is the one that failed).
    void retrying(int attempt, int delayMs, const rk::HostError &error);

protected:
    HostJob(QNetworkAccessManager *nam, QUrl url, HostRequest request, HostAuth auth,
        HostClientOptions options, QObject *parent);
    // Turns a 2xx answer into the job's value; an Error becomes a Protocol failure.
    virtual Status parseResponse(const HostResponse &response) = 0;

private:
    friend class HostClient;
    void start();
    void failLater(HostError error); // for requests that cannot even be sent
    void sendAttempt();
    // Sends the current attempt's request to m_target (the URL, or where a redirect led).
    void send();
    // A 3xx answer: sends the request again where it points when that is the same origin.
    void followRedirect(QNetworkReply *reply);
    void readAvailable();
    void checkAnnouncedSize();
    void handleSslErrors(const QList<QSslError> &errors);
    void handleReplyFinished();
    void handleTimeout();
    void retryOrFail(HostError error);
    void fail(HostError error);
    void finish();
    void dropReply();
    bool certificateTrusted(const QSslCertificate &certificate) const;
    std::optional<HostError> refuseReusedConnection(const QNetworkReply &reply) const;

    QPointer<QNetworkAccessManager> m_nam;
    QUrl m_url;
    QUrl m_target; // where the current attempt's request goes (m_url until a redirect)
    int m_redirects = 0; // followed in the current attempt
    bool m_redirectedToGet = false; // a 303 (or a 301/302 of a POST) turned the request into a GET
    HostRequest m_request;
    HostAuth m_auth;
    HostClientOptions m_options;
    QNetworkReply *m_reply = nullptr;
    QTimer m_timeoutTimer;
    QTimer m_backoffTimer;
    QByteArray m_body;
    QList<QSslError> m_sslErrors;
    QSslCertificate m_peerCertificate;
    bool m_acceptedTrusted = false; // this attempt's handshake had errors, and its certificate is trusted
    std::optional<HostError> m_error;
    int m_httpStatus = 0;
    int m_attempts = 0;
    bool m_started = false;
    bool m_finished = false;
    bool m_timedOut = false;
    bool m_oversized = false;
    bool m_autoDelete = true;
};

// A job whose successful answer is parsed into a T. result() holds the value or the Error once
// finished() has been emitted.
template<typename T> class HostCall : public HostJob
{
public:
    using Parser = std::function<Result<T>(const HostResponse &)>;

    Result<T> result() const
    {
        if (m_value)
            return *m_value;
        if (const HostError *e = hostError())
            return e->error;
        return Error::make(Error::Code::Internal,
            QCoreApplication::translate("rk::HostErrors", "The request has not finished yet."));
    }
    // The parsed value; nullptr unless the job succeeded.
    const T *value() const { return m_value ? &*m_value : nullptr; }

    // Calls fn(const Result<T> &) on finished(), in context's thread; the usual way to consume a job.
    template<typename Fn> QMetaObject::Connection onFinished(const QObject *context, Fn fn)
    {
        return connect(
            this, &HostJob::finished, context, [this, fn = std::move(fn)]() mutable { fn(result()); });
    }

protected:
    friend class HostClient;
    HostCall(QNetworkAccessManager *nam, QUrl url, HostRequest request, HostAuth auth,
        HostClientOptions options, Parser parser, QObject *parent)
        : HostJob(nam, std::move(url), std::move(request), std::move(auth), std::move(options), parent),
          m_parser(std::move(parser))
    {
    }

    Status parseResponse(const HostResponse &response) override
    {
        Result<T> parsed = m_parser(response);
        if (!parsed.ok())
            return parsed.error();
        m_value = std::move(parsed).value();
        return {};
    }

private:
    Parser m_parser;
    std::optional<T> m_value;
};

} // namespace rk
