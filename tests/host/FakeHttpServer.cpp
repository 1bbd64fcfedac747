#include "FakeHttpServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace rk::test {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 422: return "Unprocessable Entity";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
    }
}

// Starlette's query parsing (urllib.parse.parse_qsl): '+' is a space, then percent-decoding.
QString decodeQueryPart(QByteArray part)
{
    part.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(part));
}

} // namespace

QByteArray RecordedRequest::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool RecordedRequest::hasHeader(QByteArrayView name) const
{
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool RecordedRequest::hasQuery(const QString &key) const
{
    for (const auto &item : queryItems) {
        if (item.first == key)
            return true;
    }
    return false;
}

QString RecordedRequest::query(const QString &key) const
{
    for (const auto &item : queryItems) {
        if (item.first == key)
            return item.second;
    }
    return {};
}

QJsonValue RecordedRequest::json() const
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QJsonValue(QJsonValue::Undefined);
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

QString RecordedRequest::cookie(const QString &name) const
{
    const QList<QByteArray> parts = header("cookie").split(';');
    for (const QByteArray &part : parts) {
        const QByteArray trimmed = part.trimmed();
        const qsizetype eq = trimmed.indexOf('=');
        if (eq > 0 && QString::fromLatin1(trimmed.left(eq)) == name)
            return QString::fromLatin1(trimmed.mid(eq + 1));
    }
    return {};
}

FakeReply FakeReply::json(int status, const QJsonValue &value)
{
    FakeReply r;
    r.status = status;
    if (value.isArray())
        r.body = QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    else
        r.body = QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    return r;
}

FakeReply FakeReply::text(int status, QByteArray body, QByteArray contentType)
{
    FakeReply r;
    r.status = status;
    r.body = std::move(body);
    r.contentType = std::move(contentType);
    return r;
}

FakeReply FakeReply::detail(int status, const QString &detail)
{
    return json(status, QJsonObject {{QStringLiteral("detail"), detail}});
}

FakeReply FakeReply::hang()
{
    FakeReply r;
    r.kind = Kind::Hang;
    return r;
}

FakeReply FakeReply::dropMidBody()
{
    FakeReply r;
    r.kind = Kind::DropMidBody;
    r.body = QByteArray("[") + QByteArray(4096, ' ') + QByteArray("]");
    return r;
}

FakeReply FakeReply::stallThenDrop()
{
    FakeReply r = dropMidBody();
    r.kind = Kind::StallThenDrop;
    return r;
}

FakeReply FakeReply::closeWithoutAnswer()
{
    FakeReply r;
    r.kind = Kind::CloseWithoutAnswer;
    return r;
}

FakeReply FakeReply::serverError()
{
    return text(500, "Internal Server Error");
}

FakeReply FakeReply::malformedJson()
{
    FakeReply r;
    r.body = "{\"id\": 1, \"username\": \"admin\", ";
    return r;
}

FakeReply FakeReply::oversized(qint64 bytes, bool announceLength)
{
    FakeReply r;
    // Valid JSON of the requested size: a list padded with spaces.
    r.body = QByteArray("[") + QByteArray(qMax<qint64>(0, bytes - 2), ' ') + QByteArray("]");
    r.announceLength = announceLength;
    return r;
}

// One client connection: parses requests one after the other (keep-alive) and writes answers.
class FakeConnection : public QObject
{
public:
    FakeConnection(FakeHttpServer *server, QTcpSocket *socket)
        : QObject(server), m_server(server), m_socket(socket)
    {
        socket->setParent(this);
        m_server->m_live.append(this);
        m_id = ++m_server->m_accepted;
        connect(socket, &QTcpSocket::readyRead, this, [this] {
            m_buffer += m_socket->readAll();
            processBuffer();
        });
        connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        connect(socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
            if (error != QAbstractSocket::RemoteHostClosedError)
                m_socket->abort();
        });
    }
    ~FakeConnection() override { m_server->m_live.removeOne(this); }

private:
    void processBuffer()
    {
        while (!m_busy) {
            const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
            RecordedRequest request;
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            if (requestLine.size() != 3) {
                m_socket->abort();
                return;
            }
            request.method = requestLine.at(0);
            request.target = requestLine.at(1);
            qsizetype contentLength = 0;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0)
                    continue;
                const QByteArray name = line.left(colon).trimmed().toLower();
                const QByteArray value = line.mid(colon + 1).trimmed();
                request.headers.append({name, value});
                if (name == "content-length")
                    contentLength = value.toLongLong();
            }
            if (m_buffer.size() < headerEnd + 4 + contentLength)
                return; // the body is still on its way
            request.body = m_buffer.mid(headerEnd + 4, contentLength);
            m_buffer.remove(0, headerEnd + 4 + contentLength);

            const qsizetype question = request.target.indexOf('?');
            const QByteArray rawPath = question < 0 ? request.target : request.target.left(question);
            request.rawQuery = question < 0 ? QByteArray() : request.target.mid(question + 1);
            request.path = QString::fromUtf8(QByteArray::fromPercentEncoding(rawPath));
            const QList<QByteArray> pairs = request.rawQuery.split('&');
            for (const QByteArray &pair : pairs) {
                if (pair.isEmpty())
                    continue;
                const qsizetype eq = pair.indexOf('=');
                request.queryItems.append({decodeQueryPart(eq < 0 ? pair : pair.left(eq)),
                    eq < 0 ? QString() : decodeQueryPart(pair.mid(eq + 1))});
            }
            request.receivedAtMs = m_server->m_clock.elapsed();
            request.connection = m_id;

            m_server->record(request);
            const FakeReply reply = m_server->replyFor(request);
            answer(reply);
        }
    }

    void answer(const FakeReply &reply)
    {
        switch (reply.kind) {
        case FakeReply::Kind::Hang: m_busy = true; return; // the connection stays open, unanswered
        case FakeReply::Kind::CloseWithoutAnswer:
            m_busy = true;
            m_socket->abort();
            return;
        case FakeReply::Kind::Answer:
        case FakeReply::Kind::DropMidBody:
        case FakeReply::Kind::StallThenDrop: break;
        }
        // An answer that ends by closing the connection waits a moment first: Qt's HTTP channel
        // silently re-sends a request (even a POST) when the server closes while the channel still
        // counts the request as being written, which an instant answer on loopback can hit. A real
        // server never answers that fast, and the tests must see exactly the requests the client sent.
        const bool closes = !reply.announceLength || reply.kind != FakeReply::Kind::Answer;
        const int delayMs = closes ? qMax(reply.delayMs, 20) : reply.delayMs;
        if (delayMs > 0) {
            m_busy = true;
            QTimer::singleShot(delayMs, this, [this, reply] {
                m_busy = false;
                write(reply);
                processBuffer();
            });
            return;
        }
        write(reply);
    }

    void write(const FakeReply &reply)
    {
        const bool closeAfter = !reply.announceLength || reply.kind != FakeReply::Kind::Answer;
        QByteArray head
            = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
        head += "server: uvicorn\r\n";
        head += "content-type: " + reply.contentType + "\r\n";
        if (reply.announceLength)
            head += "content-length: " + QByteArray::number(reply.body.size()) + "\r\n";
        for (const auto &[name, value] : reply.headers)
            head += name + ": " + value + "\r\n";
        head += closeAfter ? "connection: close\r\n" : "connection: keep-alive\r\n";
        head += "\r\n";
        m_socket->write(head);
        if (reply.kind == FakeReply::Kind::DropMidBody || reply.kind == FakeReply::Kind::StallThenDrop) {
            m_socket->write(reply.body.left(reply.body.size() / 2));
            m_busy = true;
            if (reply.kind == FakeReply::Kind::DropMidBody) {
                m_socket->disconnectFromHost(); // after the buffered bytes are written
            } else {
                m_socket->flush();
                QTimer::singleShot(50, this, [this] { m_socket->disconnectFromHost(); });
            }
            return;
        }
        m_socket->write(reply.body);
        if (closeAfter) {
            m_busy = true;
            m_socket->disconnectFromHost();
        }
    }

    FakeHttpServer *m_server;
    QTcpSocket *m_socket;
    QByteArray m_buffer;
    bool m_busy = false;
    int m_id = 0;
};

FakeHttpServer::FakeHttpServer(QObject *parent) : QTcpServer(parent)
{
    m_clock.start();
}

FakeHttpServer::~FakeHttpServer()
{
    // Connections refer to this server: end them while it is still whole.
    const QList<QObject *> live = m_live;
    qDeleteAll(live);
}

bool FakeHttpServer::start(quint16 port, const QHostAddress &address)
{
    m_clock.start();
    return listen(address, port);
}

void FakeHttpServer::setTls(const QSslCertificate &certificate, const QSslKey &key)
{
    m_certificate = certificate;
    m_key = key;
}

QUrl FakeHttpServer::baseUrl() const
{
    QUrl url;
    url.setScheme(isTls() ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(serverAddress().isNull() ? QStringLiteral("127.0.0.1") : serverAddress().toString());
    url.setPort(serverPort());
    return url;
}

void FakeHttpServer::enqueue(const FakeReply &reply, const QByteArray &method, const QString &path, int times)
{
    for (int i = 0; i < times; ++i)
        m_script.append({reply, method, path});
}

int FakeHttpServer::count(const QByteArray &method, const QString &path) const
{
    int n = 0;
    for (const RecordedRequest &request : m_requests) {
        if ((method.isEmpty() || request.method == method) && (path.isEmpty() || request.path == path))
            ++n;
    }
    return n;
}

FakeReply FakeHttpServer::replyFor(const RecordedRequest &request)
{
    for (qsizetype i = 0; i < m_script.size(); ++i) {
        const Scripted &s = m_script.at(i);
        if ((s.method.isEmpty() || s.method == request.method)
            && (s.path.isEmpty() || s.path == request.path)) {
            FakeReply reply = s.reply;
            m_script.removeAt(i);
            return reply;
        }
    }
    if (m_handler)
        return m_handler(request);
    return FakeReply::detail(404, QStringLiteral("Not Found"));
}

void FakeHttpServer::record(const RecordedRequest &request)
{
    m_requests.append(request);
    Q_EMIT requestReceived(request);
}

void FakeHttpServer::incomingConnection(qintptr socketDescriptor)
{
    if (isTls()) {
        auto *socket = new QSslSocket;
        if (!socket->setSocketDescriptor(socketDescriptor)) {
            delete socket;
            return;
        }
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(m_certificate);
        config.setPrivateKey(m_key);
        config.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket->setSslConfiguration(config);
        new FakeConnection(this, socket);
        socket->startServerEncryption();
        return;
    }
    auto *socket = new QTcpSocket;
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    new FakeConnection(this, socket);
}

} // namespace rk::test
