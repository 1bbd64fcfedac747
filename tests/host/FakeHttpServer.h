#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonValue>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QTcpServer>
#include <QUrl>

#include <functional>
#include <utility>

// A small HTTP/1.1 server on loopback for tests: keep-alive, Content-Length request bodies, and
// faults a real server rarely shows on demand (never answering, closing mid-answer, oversized or
// malformed bodies). QHttpServer (a technical preview in Qt 6.4) cannot drop a connection half-way
// through an answer or keep one open without answering, hence this.
//
// Every request is recorded (method, path, query, headers, body, arrival time) before it is
// answered. Single-threaded: it runs on the test's thread and answers from its event loop.

namespace rk::test {

struct RecordedRequest
{
    QByteArray method;
    QByteArray target; // as on the request line: path and query, percent-encoded
    QString path; // percent-decoded, without the query
    QByteArray rawQuery; // without the '?'
    QList<std::pair<QString, QString>> queryItems; // decoded like Starlette: '+' is a space
    QList<std::pair<QByteArray, QByteArray>> headers; // names in lower case, in order
    QByteArray body;
    qint64 receivedAtMs = 0; // since the server started
    int connection = 0; // which connection it came on (1, 2, ... in accept order)

    QByteArray header(QByteArrayView name) const; // case-insensitive; empty when absent
    bool hasHeader(QByteArrayView name) const;
    bool hasQuery(const QString &key) const;
    QString query(const QString &key) const;
    QJsonValue json() const; // the body as JSON (undefined when it is not JSON)
    QString cookie(const QString &name) const; // from the Cookie header
};

// What the server does with one request.
struct FakeReply
{
    enum class Kind {
        Answer, // a normal answer (after delayMs)
        Hang, // read the request, never answer, keep the connection open
        DropMidBody, // send the status line, headers announcing the whole body, half of it, then close
        StallThenDrop, // like DropMidBody, but the close comes 50 ms after the half body
        CloseWithoutAnswer, // close the connection at once
    };

    Kind kind = Kind::Answer;
    int status = 200;
    QByteArray body;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QList<std::pair<QByteArray, QByteArray>> headers; // extra headers ("set-cookie", ...)
    bool announceLength = true; // false: no Content-Length, the body ends when the connection closes
    int delayMs = 0;

    static FakeReply json(int status, const QJsonValue &value);
    static FakeReply text(int status, QByteArray body, QByteArray contentType = "text/plain; charset=utf-8");
    static FakeReply detail(int status, const QString &detail); // FastAPI's {"detail": "..."}
    static FakeReply hang();
    static FakeReply dropMidBody();
    static FakeReply stallThenDrop();
    static FakeReply closeWithoutAnswer();
    static FakeReply serverError(); // uvicorn's plain "Internal Server Error"
    static FakeReply malformedJson();
    static FakeReply oversized(qint64 bytes, bool announceLength = true);
    FakeReply &withDelay(int ms)
    {
        delayMs = ms;
        return *this;
    }
    FakeReply &withHeader(QByteArray name, QByteArray value)
    {
        headers.append({std::move(name), std::move(value)});
        return *this;
    }
};

class FakeHttpServer : public QTcpServer
{
    Q_OBJECT
public:
    using Handler = std::function<FakeReply(const RecordedRequest &)>;

    explicit FakeHttpServer(QObject *parent = nullptr);
    ~FakeHttpServer() override;

    // Listens on `address` (127.0.0.1 unless a caller says otherwise); port 0: any free port.
    bool start(quint16 port = 0, const QHostAddress &address = QHostAddress::LocalHost);
    // Later connections speak TLS with this certificate and key.
    void setTls(const QSslCertificate &certificate, const QSslKey &key);
    bool isTls() const { return !m_certificate.isNull(); }
    QUrl baseUrl() const; // http(s)://<address>:<port>, e.g. http://127.0.0.1:8765

    // Answers every request that no scripted reply matches.
    void setHandler(Handler handler) { m_handler = std::move(handler); }

    // The next `times` requests matching method and path (empty: any) get `reply` instead of the
    // handler's answer, in the order they were scripted.
    void enqueue(
        const FakeReply &reply, const QByteArray &method = {}, const QString &path = {}, int times = 1);
    void clearScript() { m_script.clear(); }

    const QList<RecordedRequest> &requests() const { return m_requests; }
    void clearRequests() { m_requests.clear(); }
    int count(const QByteArray &method, const QString &path) const;
    int openConnections() const { return static_cast<int>(m_live.size()); }

Q_SIGNALS:
    void requestReceived(const rk::test::RecordedRequest &request);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    friend class FakeConnection;
    FakeReply replyFor(const RecordedRequest &request);
    void record(const RecordedRequest &request);

    struct Scripted
    {
        FakeReply reply;
        QByteArray method;
        QString path;
    };
    Handler m_handler;
    QList<Scripted> m_script;
    QList<RecordedRequest> m_requests;
    QSslCertificate m_certificate;
    QSslKey m_key;
    QElapsedTimer m_clock;
    QList<QObject *> m_live; // the FakeConnections
    int m_accepted = 0;
};

} // namespace rk::test
