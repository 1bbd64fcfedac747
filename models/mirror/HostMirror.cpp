#include "HostMirror.h"

#include "MirrorLogging.h"
#include "store/PlatformSchema.h"
#include "store/SqliteDatabase.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>

namespace rk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::HostMirror", text);
}

// Riverkeeper's own tables beside the host's. Task ids are snowflakes: INTEGER, never REAL.
const QStringList &mirrorDdl()
{
    static const QStringList ddl = {
        QStringLiteral("CREATE TABLE IF NOT EXISTS rk_mirror_meta (key TEXT NOT NULL PRIMARY KEY, "
                       "value TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS rk_mirror_audit (id INTEGER NOT NULL PRIMARY KEY, "
                       "at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT, "
                       "result TEXT NOT NULL CHECK (result IN ('ok', 'failed')), detail TEXT)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS rk_mirror_audit_at ON rk_mirror_audit (at)"),
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS rk_task_logs (task_id INTEGER NOT NULL, "
            "stream TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr')), fetched_at TEXT NOT NULL, "
            "lines INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (task_id, stream))"),
        // GET /api/nodes reports cores in use, which the host's nodes table has no column for.
        QStringLiteral("CREATE TABLE IF NOT EXISTS rk_mirror_node_usage (hostname TEXT NOT NULL PRIMARY KEY, "
                       "cores_in_use INTEGER, available_cores INTEGER NOT NULL)"),
    };
    return ddl;
}

struct MirrorTable
{
    const char *name;
    std::initializer_list<const char *> columns;
};

const MirrorTable kMirrorTables[] = {
    {"rk_mirror_meta", {"key", "value"}},
    {"rk_mirror_audit", {"id", "at", "actor", "action", "target", "result", "detail"}},
    {"rk_task_logs", {"task_id", "stream", "fetched_at", "lines", "text"}},
    {"rk_mirror_node_usage", {"hostname", "cores_in_use", "available_cores"}},
};

const QString kVersionKey = QStringLiteral("schema_version");

QString streamText(TaskLogStream stream)
{
    return stream == TaskLogStream::Stdout ? QStringLiteral("stdout") : QStringLiteral("stderr");
}

// The SQLite layer's messages speak of platform databases; a mirror is something the user can
// simply recreate, so say that.
Error mirrorError(const Error &error, const QString &path)
{
    const QString file = QFileInfo(path).fileName();
    switch (error.code) {
    case Error::Code::NotADatabase:
        return Error::make(error.code,
            tr("The local mirror %1 is not an SQLite database. Recreate it to sync again.").arg(file));
    case Error::Code::Corrupt:
        return Error::make(error.code,
            tr("The local mirror %1 is damaged (%2). Recreate it to sync again.").arg(file, error.message));
    default: return error;
    }
}

Result<QSet<QString>> tableNames(SqliteDatabase &db)
{
    auto stmt = db.prepare(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"));
    if (!stmt)
        return stmt.error();
    QSet<QString> names;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        names.insert(stmt->text(0));
    }
    return names;
}

} // namespace

// --- datasets -------------------------------------------------------------------------------

namespace mirrordataset {

QString key(MirrorDataset dataset)
{
    switch (dataset) {
    case MirrorDataset::Users: return QStringLiteral("users");
    case MirrorDataset::Invitations: return QStringLiteral("invitations");
    case MirrorDataset::PendingApprovals: return QStringLiteral("pending_approvals");
    case MirrorDataset::Tasks: return QStringLiteral("tasks");
    case MirrorDataset::Vps: return QStringLiteral("vps");
    case MirrorDataset::Nodes: return QStringLiteral("nodes");
    }
    return {};
}

QString displayName(MirrorDataset dataset)
{
    switch (dataset) {
    case MirrorDataset::Users: return tr("users");
    case MirrorDataset::Invitations: return tr("invitations");
    case MirrorDataset::PendingApprovals: return tr("pending approvals");
    case MirrorDataset::Tasks: return tr("tasks");
    case MirrorDataset::Vps: return tr("VPS");
    case MirrorDataset::Nodes: return tr("nodes");
    }
    return {};
}

QList<MirrorDataset> all()
{
    return {MirrorDataset::Users, MirrorDataset::Invitations, MirrorDataset::PendingApprovals,
        MirrorDataset::Tasks, MirrorDataset::Vps, MirrorDataset::Nodes};
}

} // namespace mirrordataset

// --- opening ----------------------------------------------------------------------------------

QString HostMirror::defaultPath(const QString &profileId)
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/mirrors/")
        + profileId + QStringLiteral(".db");
}

HostMirror::HostMirror(std::unique_ptr<SqliteDatabase> db)
    : m_db(std::move(db)), m_clock(&hosttime::Instant::now)
{
}

HostMirror::~HostMirror() = default;

QString HostMirror::path() const
{
    return m_db->path();
}

void HostMirror::setClock(std::function<hosttime::Instant()> clock)
{
    m_clock = clock ? std::move(clock) : std::function<hosttime::Instant()>(&hosttime::Instant::now);
}

QString HostMirror::nowText() const
{
    return hosttime::toDbText(m_clock());
}

Result<std::unique_ptr<HostMirror>> HostMirror::create(const QString &path)
{
    const QFileInfo info(path);
    const bool newFolder = !QFileInfo::exists(info.absolutePath());
    if (!QDir().mkpath(info.absolutePath())) {
        return Error::make(Error::Code::Io,
            tr("The folder %1 for the local mirror cannot be created.")
                .arg(QDir::toNativeSeparators(info.absolutePath())));
    }
    // What the host shows its operators (task commands and environments, user lists) is for this
    // account only: the file, and the folder when it is made here, are private to it (SQLite
    // gives its journal the file's permissions).
    if (newFolder)
        QFile::setPermissions(
            info.absolutePath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    auto db = SqliteDatabase::open(path, SqliteDatabase::OpenMode::CreateNew, kBusyTimeoutMs);
    if (!db)
        return mirrorError(db.error(), path);
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    std::unique_ptr<HostMirror> mirror(new HostMirror(std::move(db).value()));
    // The mirror is only written by this connection; the defaults (journal_mode delete) let the
    // models' read-only connections read it without any -shm file.
    if (auto st = mirror->m_db->exec(QStringLiteral("PRAGMA secure_delete = ON")); !st)
        return st.error();
    auto st = mirror->m_db->writeTransaction([&]() -> Status {
        for (const QString &sql : schema::hostDdl() + mirrorDdl()) {
            if (auto ran = mirror->m_db->exec(sql); !ran)
                return ran;
        }
        return mirror->setMeta(kVersionKey, QString::number(kSchemaVersion));
    });
    if (!st)
        return st.error();
    qCDebug(lcMirror) << "created mirror" << path;
    return mirror;
}

Result<std::unique_ptr<HostMirror>> HostMirror::open(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return create(path);
    if (info.isFile() && info.size() == 0) {
        // An empty file (a crash right after creating it): nothing to lose.
        QFile::remove(path);
        return create(path);
    }
    auto db = SqliteDatabase::open(path, SqliteDatabase::OpenMode::ReadWrite, kBusyTimeoutMs);
    if (!db)
        return mirrorError(db.error(), path);
    std::unique_ptr<HostMirror> mirror(new HostMirror(std::move(db).value()));
    if (auto st = mirror->verifySchema(); !st)
        return mirrorError(st.error(), path);
    if (auto st = mirror->m_db->exec(QStringLiteral("PRAGMA secure_delete = ON")); !st)
        return st.error();
    return mirror;
}

Result<std::unique_ptr<HostMirror>> HostMirror::recreate(const QString &path)
{
    const QStringList files = {path, path + QStringLiteral("-journal"), path + QStringLiteral("-wal"),
        path + QStringLiteral("-shm")};
    for (const QString &file : files) {
        if (QFileInfo::exists(file) && !QFile::remove(file)) {
            return Error::make(Error::Code::Io,
                tr("The local mirror %1 cannot be deleted to recreate it.")
                    .arg(QDir::toNativeSeparators(file)));
        }
    }
    qCInfo(lcMirror) << "recreating mirror" << path;
    return create(path);
}

Status HostMirror::verifySchema()
{
    const QString file = QFileInfo(m_db->path()).fileName();
    // quick_check reads every page: a damaged mirror is reported now, not in the middle of a sync.
    auto check = m_db->scalar(QStringLiteral("PRAGMA quick_check"));
    if (!check)
        return check.error();
    if (check->toString() != QLatin1String("ok")) {
        return Error::make(Error::Code::Corrupt,
            tr("The local mirror %1 is damaged (%2). Recreate it to sync again.")
                .arg(file, check->toString()));
    }
    auto tables = tableNames(*m_db);
    if (!tables)
        return tables.error();
    if (!tables->contains(QStringLiteral("rk_mirror_meta"))) {
        return Error::make(Error::Code::UnknownSchema,
            tr("%1 is not a Riverkeeper host mirror (it has no rk_mirror_meta table). "
               "Recreate it to sync again.")
                .arg(file));
    }
    auto version
        = m_db->scalar(QStringLiteral("SELECT value FROM rk_mirror_meta WHERE key = 'schema_version'"));
    if (!version)
        return version.error();
    bool numeric = false;
    const int v = version->toString().toInt(&numeric);
    if (!numeric || v != kSchemaVersion) {
        return Error::make(Error::Code::UnknownSchema,
            tr("The local mirror %1 has an unknown schema version (%2; this build writes %3). "
               "Recreate it to sync again.")
                .arg(file, version->isValid() ? version->toString() : tr("none"))
                .arg(kSchemaVersion));
    }
    if (auto st = schema::verify(*m_db); !st)
        return st;
    for (const MirrorTable &table : kMirrorTables) {
        auto stmt = m_db->prepare(QStringLiteral("SELECT name FROM pragma_table_info(?1)"));
        if (!stmt)
            return stmt.error();
        stmt->bind(1, QString::fromLatin1(table.name));
        QSet<QString> columns;
        for (;;) {
            auto row = stmt->step();
            if (!row)
                return row.error();
            if (!*row)
                break;
            columns.insert(stmt->text(0));
        }
        for (const char *column : table.columns) {
            if (!columns.contains(QString::fromLatin1(column))) {
                return Error::make(Error::Code::UnknownSchema,
                    tr("The local mirror %1 has an unknown schema: table \"%2\" has no column \"%3\". "
                       "Recreate it to sync again.")
                        .arg(file, QString::fromLatin1(table.name), QString::fromLatin1(column)));
            }
        }
    }
    return {};
}

// --- meta -------------------------------------------------------------------------------------

Status HostMirror::setMeta(const QString &key, const QString &value)
{
    auto stmt = m_db->prepare(QStringLiteral("INSERT INTO rk_mirror_meta (key, value) VALUES (?1, ?2) ON "
                                             "CONFLICT (key) DO UPDATE SET value = ?2"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, key).bind(2, value);
    return stmt->run();
}

std::optional<QString> HostMirror::meta(const QString &key)
{
    auto stmt = m_db->prepare(QStringLiteral("SELECT value FROM rk_mirror_meta WHERE key = ?1"));
    if (!stmt)
        return std::nullopt;
    stmt->bind(1, key);
    auto row = stmt->step();
    if (!row || !*row)
        return std::nullopt;
    return stmt->text(0);
}

Status HostMirror::markSynced(MirrorDataset dataset)
{
    return setMeta(QStringLiteral("synced_at.") + mirrordataset::key(dataset), nowText());
}

std::optional<hosttime::Instant> HostMirror::lastSynced(MirrorDataset dataset)
{
    const auto text = meta(QStringLiteral("synced_at.") + mirrordataset::key(dataset));
    if (!text)
        return std::nullopt;
    return hosttime::parse(*text);
}

std::optional<hosttime::Instant> HostMirror::lastSynced()
{
    std::optional<hosttime::Instant> latest;
    for (MirrorDataset dataset : mirrordataset::all()) {
        const auto at = lastSynced(dataset);
        if (at
            && (!latest || at->secsSinceEpoch > latest->secsSinceEpoch
                || (at->secsSinceEpoch == latest->secsSinceEpoch && at->micros > latest->micros)))
            latest = at;
    }
    return latest;
}

QString HostMirror::storedBaseUrl(const QUrl &url)
{
    // A base URL may carry user:password@; the query and fragment are never needed either.
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
}

Status HostMirror::storeAccount(const MirrorAccount &account)
{
    const QString baseUrl = storedBaseUrl(QUrl(account.baseUrl));
    return m_db->writeTransaction([&]() -> Status {
        if (auto st = setMeta(QStringLiteral("base_url"), baseUrl); !st)
            return st;
        if (auto st = setMeta(QStringLiteral("user_id"), QString::number(account.userId)); !st)
            return st;
        if (auto st = setMeta(QStringLiteral("username"), account.username); !st)
            return st;
        if (auto st = setMeta(QStringLiteral("role"), account.role); !st)
            return st;
        return setMeta(QStringLiteral("account_checked_at"), nowText());
    });
}

std::optional<MirrorAccount> HostMirror::account()
{
    const auto username = meta(QStringLiteral("username"));
    if (!username)
        return std::nullopt;
    MirrorAccount account;
    account.baseUrl = meta(QStringLiteral("base_url")).value_or(QString());
    account.userId = meta(QStringLiteral("user_id")).value_or(QString()).toLongLong();
    account.username = *username;
    account.role = meta(QStringLiteral("role")).value_or(QString());
    return account;
}

// --- task logs --------------------------------------------------------------------------------

Status HostMirror::storeTaskLog(qint64 taskId, TaskLogStream stream, const QString &text, int lines)
{
    return m_db->writeTransaction([&]() -> Status {
        auto stmt = m_db->prepare(QStringLiteral(
            "INSERT INTO rk_task_logs (task_id, stream, fetched_at, lines, text) VALUES (?1, ?2, ?3, ?4, ?5) "
            "ON CONFLICT (task_id, stream) DO UPDATE SET fetched_at = ?3, lines = ?4, text = ?5"));
        if (!stmt)
            return stmt.error();
        // A null QString would bind NULL; an empty log is "" on the host.
        stmt->bind(1, taskId)
            .bind(2, streamText(stream))
            .bind(3, nowText())
            .bind(4, qMax(0, lines))
            .bind(5, text.isNull() ? QStringLiteral("") : text);
        return stmt->run();
    });
}

std::optional<MirrorTaskLog> HostMirror::taskLog(qint64 taskId, TaskLogStream stream)
{
    auto stmt = m_db->prepare(QStringLiteral(
        "SELECT fetched_at, lines, text FROM rk_task_logs WHERE task_id = ?1 AND stream = ?2"));
    if (!stmt)
        return std::nullopt;
    stmt->bind(1, taskId).bind(2, streamText(stream));
    auto row = stmt->step();
    if (!row || !*row)
        return std::nullopt;
    MirrorTaskLog log;
    log.taskId = taskId;
    log.stream = stream;
    log.fetchedAt = stmt->text(0);
    log.lines = static_cast<int>(stmt->int64(1));
    log.text = stmt->text(2);
    return log;
}

// --- audit ------------------------------------------------------------------------------------

QString HostMirror::redactTokens(const QString &text)
{
    static const QRegularExpression hexRun(QStringLiteral("[0-9A-Fa-f]{32,}"));
    QString out = text;
    qsizetype from = 0;
    for (;;) {
        const QRegularExpressionMatch match = hexRun.match(out, from);
        if (!match.hasMatch())
            break;
        const QString shortened = match.captured().left(kInvitationTokenPrefix) + QStringLiteral("…");
        out.replace(match.capturedStart(), match.capturedLength(), shortened);
        from = match.capturedStart() + shortened.size();
    }
    return out;
}

Status HostMirror::recordAction(
    const QString &actor, const QString &action, const QString &target, bool ok, const QString &detail)
{
    return m_db->writeTransaction([&]() -> Status {
        auto stmt = m_db->prepare(QStringLiteral("INSERT INTO rk_mirror_audit (at, actor, action, target, "
                                                 "result, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
        if (!stmt)
            return stmt.error();
        stmt->bind(1, nowText())
            .bind(2, actor.isNull() ? QStringLiteral("") : actor)
            .bind(3, action.isNull() ? QStringLiteral("") : action)
            .bind(4, redactTokens(target))
            .bind(5, ok ? QStringLiteral("ok") : QStringLiteral("failed"))
            .bind(6, redactTokens(detail));
        return stmt->run();
    });
}

Result<QList<MirrorAuditEntry>> HostMirror::auditEntries(int limit)
{
    auto stmt = m_db->prepare(QStringLiteral("SELECT id, at, actor, action, target, result, detail "
                                             "FROM rk_mirror_audit ORDER BY id DESC LIMIT ?1"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, qMax(0, limit));
    QList<MirrorAuditEntry> entries;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        MirrorAuditEntry e;
        e.id = stmt->int64(0);
        e.at = stmt->text(1);
        e.actor = stmt->text(2);
        e.action = stmt->text(3);
        e.target = stmt->text(4);
        e.ok = stmt->text(5) == QLatin1String("ok");
        e.detail = stmt->text(6);
        entries.append(e);
    }
    return entries;
}

} // namespace rk
