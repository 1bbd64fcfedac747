#include "UsersExporter.h"

#include "core/HostTime.h"
#include "store/SqliteDatabase.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

namespace rk {

namespace {

constexpr qsizetype kBatch = 500;
const QChar kGroupSeparator(0x1f);

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::UsersExporter", text);
}

struct Row
{
    qint64 id = 0;
    QString username;
    QString displayName;
    QString role;
    bool active = false;
    QString createdAt;
    int activeSessions = 0;
    QString lastSignIn;
    QStringList groups;
};

Result<QHash<qint64, Row>> readBatch(
    SqliteDatabase &db, const std::vector<qint64> &ids, size_t from, size_t to)
{
    // Ids are integers from the model: inlined, so one statement reads the whole batch.
    QStringList list;
    list.reserve(qsizetype(to - from));
    for (size_t i = from; i < to; ++i)
        list << QString::number(ids[i]);
    const QString sql
        = QStringLiteral("SELECT u.id, u.username, u.display_name, u.role, u.is_active, u.created_at, "
                         "(SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?1), "
                         "(SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id), "
                         "(SELECT group_concat(g.name, char(31)) FROM user_groups ug "
                         "JOIN groups g ON g.id = ug.group_id WHERE ug.user_id = u.id) "
                         "FROM users u WHERE u.id IN (")
        + list.join(QLatin1Char(',')) + QStringLiteral(")");
    auto stmt = db.prepare(sql);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, hosttime::nowDbText());
    QHash<qint64, Row> rows;
    for (;;) {
        auto step = stmt->step();
        if (!step)
            return step.error();
        if (!step.value())
            break;
        Row r;
        r.id = stmt->int64(0);
        r.username = stmt->text(1);
        r.displayName = stmt->text(2);
        r.role = stmt->text(3);
        r.active = stmt->int64(4) != 0;
        r.createdAt = stmt->text(5);
        r.activeSessions = int(stmt->int64(6));
        r.lastSignIn = stmt->text(7);
        const QString groups = stmt->text(8);
        if (!groups.isEmpty()) {
            r.groups = groups.split(kGroupSeparator);
            r.groups.sort(Qt::CaseInsensitive);
        }
        rows.insert(r.id, std::move(r));
    }
    return rows;
}

QString statusText(bool active)
{
    return active ? QStringLiteral("active") : QStringLiteral("suspended");
}

QByteArray csvLine(const Row &r)
{
    const QStringList fields {
        QString::number(r.id),
        UsersExporter::csvField(r.username),
        UsersExporter::csvField(r.displayName),
        UsersExporter::csvField(r.role),
        UsersExporter::csvField(r.groups.join(QStringLiteral("; "))),
        statusText(r.active),
        UsersExporter::csvField(r.createdAt),
        UsersExporter::csvField(r.lastSignIn),
        QString::number(r.activeSessions),
    };
    return (fields.join(QLatin1Char(',')) + QStringLiteral("\r\n")).toUtf8();
}

QByteArray jsonObject(const Row &r)
{
    auto text = [](const QString &s) { return s.isNull() ? QJsonValue() : QJsonValue(s); };
    QJsonObject o;
    o.insert(QStringLiteral("id"), r.id);
    o.insert(QStringLiteral("username"), r.username);
    o.insert(QStringLiteral("display_name"), text(r.displayName));
    o.insert(QStringLiteral("role"), r.role);
    o.insert(QStringLiteral("groups"), QJsonArray::fromStringList(r.groups));
    o.insert(QStringLiteral("status"), statusText(r.active));
    o.insert(QStringLiteral("created_at"), text(r.createdAt));
    o.insert(QStringLiteral("last_sign_in"), text(r.lastSignIn));
    o.insert(QStringLiteral("active_sessions"), r.activeSessions);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

struct UsersExporter::Job
{
    std::atomic<bool> cancelled {false};
    std::atomic<qint64> done {0};
    qint64 total = 0;
    QString filePath;
};

namespace {

Result<qint64> writeExport(const QString &databasePath, const QString &filePath, UsersExporter::Format format,
    const std::vector<qint64> &ids, std::atomic<bool> &cancelled, std::atomic<qint64> &done)
{
    auto opened = SqliteDatabase::open(databasePath, SqliteDatabase::OpenMode::ReadOnly);
    if (!opened)
        return opened.error();
    SqliteDatabase &db = *opened.value();
    QSaveFile file(filePath);
    if (!file.open(QIODevice::WriteOnly)) {
        return Error::make(Error::Code::Io,
            tr("Cannot write %1: %2.").arg(QFileInfo(filePath).fileName(), file.errorString()));
    }
    const bool csv = format == UsersExporter::Format::Csv;
    QByteArray head = csv
        ? (UsersExporter::fieldNames().join(QLatin1Char(',')) + QStringLiteral("\r\n")).toUtf8()
        : QByteArray("[");
    file.write(head);
    qint64 written = 0;
    for (size_t from = 0; from < ids.size(); from += size_t(kBatch)) {
        if (cancelled.load()) {
            file.cancelWriting();
            return Error::make(Error::Code::Cancelled, tr("The export was cancelled; no file was written."));
        }
        const size_t to = qMin(ids.size(), from + size_t(kBatch));
        auto rows = readBatch(db, ids, from, to);
        if (!rows) {
            file.cancelWriting();
            return rows.error();
        }
        QByteArray chunk;
        for (size_t i = from; i < to; ++i) {
            const auto it = rows->constFind(ids[i]);
            if (it == rows->constEnd())
                continue; // deleted since the table listed it
            if (csv) {
                chunk += csvLine(*it);
            } else {
                chunk += written == 0 ? QByteArray("\n  ") : QByteArray(",\n  ");
                chunk += jsonObject(*it);
            }
            ++written;
        }
        if (file.write(chunk) != chunk.size()) {
            const QString why = file.errorString();
            file.cancelWriting();
            return Error::make(
                Error::Code::Io, tr("Cannot write %1: %2.").arg(QFileInfo(filePath).fileName(), why));
        }
        done.store(qint64(to));
    }
    if (!csv)
        file.write(written == 0 ? QByteArray("]\n") : QByteArray("\n]\n"));
    if (!file.commit()) {
        return Error::make(Error::Code::Io,
            tr("Cannot write %1: %2.").arg(QFileInfo(filePath).fileName(), file.errorString()));
    }
    return written;
}

} // namespace

UsersExporter::UsersExporter(const QString &databasePath, QObject *parent)
    : QObject(parent), m_databasePath(databasePath)
{
    qRegisterMetaType<rk::Error>("rk::Error");
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, [this]() {
        if (m_job)
            Q_EMIT progressChanged(m_job->done.load(), m_job->total);
    });
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this]() {
        m_progressTimer.stop();
        const std::shared_ptr<Job> job = std::move(m_job);
        const Result<qint64> result = m_watcher.result();
        if (!result) {
            Q_EMIT failed(result.error());
            return;
        }
        Q_EMIT progressChanged(job->total, job->total);
        Q_EMIT finished(result.value(), job->filePath);
    });
}

UsersExporter::~UsersExporter()
{
    cancel();
    m_watcher.waitForFinished();
}

QStringList UsersExporter::fieldNames()
{
    return {QStringLiteral("id"), QStringLiteral("username"), QStringLiteral("display_name"),
        QStringLiteral("role"), QStringLiteral("groups"), QStringLiteral("status"),
        QStringLiteral("created_at"), QStringLiteral("last_sign_in"), QStringLiteral("active_sessions")};
}

QString UsersExporter::csvField(const QString &text)
{
    QString value = text;
    // OWASP's CSV injection advice: a cell a spreadsheet would evaluate starts with a quote mark.
    if (!value.isEmpty()) {
        const QChar first = value.front();
        if (first == QLatin1Char('=') || first == QLatin1Char('+') || first == QLatin1Char('-')
            || first == QLatin1Char('@') || first == QLatin1Char('\t') || first == QLatin1Char('\r'))
            value.prepend(QLatin1Char('\''));
    }
    const bool quote = value.contains(QLatin1Char(',')) || value.contains(QLatin1Char('"'))
        || value.contains(QLatin1Char('\r')) || value.contains(QLatin1Char('\n'));
    if (!quote)
        return value;
    value.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + value + QLatin1Char('"');
}

void UsersExporter::start(const QString &filePath, Format format, std::vector<qint64> ids)
{
    if (isRunning())
        return;
    auto job = std::make_shared<Job>();
    job->total = qint64(ids.size());
    job->filePath = filePath;
    m_job = job;
    const QString databasePath = m_databasePath;
    m_watcher.setFuture(QtConcurrent::run([job, databasePath, filePath, format, ids = std::move(ids)]() {
        return writeExport(databasePath, filePath, format, ids, job->cancelled, job->done);
    }));
    m_progressTimer.start();
    Q_EMIT progressChanged(0, job->total);
}

void UsersExporter::cancel()
{
    if (m_job)
        m_job->cancelled.store(true);
}

bool UsersExporter::isRunning() const
{
    return m_job != nullptr;
}

} // namespace rk
