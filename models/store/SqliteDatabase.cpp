#include "SqliteDatabase.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <sqlite3.h>

namespace rk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("rk::SqliteDatabase", text);
}
} // namespace

// --- SqlStatement ---------------------------------------------------------------------------

SqlStatement::SqlStatement(SqlStatement &&other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

SqlStatement &SqlStatement::operator=(SqlStatement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

SqlStatement::~SqlStatement()
{
    sqlite3_finalize(m_stmt);
}

SqlStatement &SqlStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

SqlStatement &SqlStatement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

SqlStatement &SqlStatement::bind(int index, const QString &value)
{
    if (value.isNull())
        return bindNull(index);
    const QByteArray utf8 = value.toUtf8();
    sqlite3_bind_text(m_stmt, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT);
    return *this;
}

SqlStatement &SqlStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

SqlStatement &SqlStatement::bindVariant(int index, const QVariant &value)
{
    if (!value.isValid() || value.isNull())
        return bindNull(index);
    switch (value.metaType().id()) {
    case QMetaType::Bool: return bind(index, value.toBool());
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong: return bind(index, value.toLongLong());
    case QMetaType::Double:
    case QMetaType::Float: return bind(index, value.toDouble());
    default: return bind(index, value.toString());
    }
}

int SqlStatement::parameterIndex(const char *name) const
{
    return sqlite3_bind_parameter_index(m_stmt, name);
}

Result<bool> SqlStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return m_db->errorFor(rc);
}

Status SqlStatement::run()
{
    for (;;) {
        auto r = step();
        if (!r)
            return r.error();
        if (!r.value())
            return {};
    }
}

void SqlStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int SqlStatement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

bool SqlStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 SqlStatement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double SqlStatement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

QString SqlStatement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return {};
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

QVariant SqlStatement::value(int column) const
{
    switch (sqlite3_column_type(m_stmt, column)) {
    case SQLITE_NULL: return {};
    case SQLITE_INTEGER: return QVariant::fromValue<qint64>(int64(column));
    case SQLITE_FLOAT: return real(column);
    default: return text(column);
    }
}

// --- SqliteDatabase -------------------------------------------------------------------------

SqliteDatabase::SqliteDatabase(sqlite3 *db, QString path, OpenMode mode)
    : m_db(db), m_path(std::move(path)), m_mode(mode)
{
}

SqliteDatabase::~SqliteDatabase()
{
    sqlite3_close_v2(m_db);
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(
    const QString &path, OpenMode mode, int busyTimeoutMs)
{
    const QFileInfo info(path);
    if (mode == OpenMode::CreateNew) {
        if (info.exists())
            return Error::make(Error::Code::Conflict,
                tr("%1 already exists; choose a new file name for a new platform database.").arg(path));
    } else if (!info.exists()) {
        return Error::make(Error::Code::NotFound, tr("%1 does not exist.").arg(path));
    } else if (!info.isFile()) {
        return Error::make(Error::Code::Io, tr("%1 is not a file.").arg(path));
    } else if (!info.isReadable()) {
        return Error::make(Error::Code::Io, tr("%1 cannot be read: permission denied.").arg(path));
    } else if (mode == OpenMode::ReadWrite && !info.isWritable()) {
        return Error::make(Error::Code::ReadOnly,
            tr("%1 is read-only for this account; open it read-only to review it.").arg(path));
    }

    int flags = SQLITE_OPEN_FULLMUTEX;
    switch (mode) {
    case OpenMode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case OpenMode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case OpenMode::CreateNew: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    }
    sqlite3 *db = nullptr;
    const QByteArray file = path.toUtf8();
    const int rc = sqlite3_open_v2(file.constData(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString detail = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString();
        sqlite3_close_v2(db);
        return errorFromCode(rc, detail, path);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busyTimeoutMs);
    std::unique_ptr<SqliteDatabase> result(new SqliteDatabase(db, path, mode));
    // SQLite opens lazily: touch the header now so "not a database" and "locked" surface here.
    auto probe = result->scalar(QStringLiteral("SELECT count(*) FROM sqlite_master"));
    if (!probe)
        return probe.error();
    return result;
}

bool SqliteDatabase::isReadOnly() const
{
    return sqlite3_db_readonly(m_db, "main") == 1;
}

Result<SqlStatement> SqliteDatabase::prepare(const QString &sql)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_prepare_v2(m_db, utf8.constData(), static_cast<int>(utf8.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return errorFor(rc);
    }
    return SqlStatement(this, stmt);
}

Status SqliteDatabase::exec(const QString &sql)
{
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_exec(m_db, utf8.constData(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return errorFor(rc);
    return {};
}

Result<QVariant> SqliteDatabase::scalar(const QString &sql)
{
    auto stmt = prepare(sql);
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    return row.value() ? stmt->value(0) : QVariant();
}

Status SqliteDatabase::writeTransaction(const std::function<Status()> &body)
{
    if (auto begin = exec(QStringLiteral("BEGIN IMMEDIATE")); !begin)
        return begin;
    Status result = body();
    if (result) {
        result = exec(QStringLiteral("COMMIT"));
        if (result)
            return result;
    }
    if (inTransaction())
        (void)exec(QStringLiteral("ROLLBACK"));
    return result;
}

Status SqliteDatabase::readTransaction(const std::function<Status()> &body)
{
    if (auto begin = exec(QStringLiteral("BEGIN DEFERRED")); !begin)
        return begin;
    Status result = body();
    if (inTransaction())
        (void)exec(result ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK"));
    return result;
}

bool SqliteDatabase::inTransaction() const
{
    return sqlite3_get_autocommit(m_db) == 0;
}

qint64 SqliteDatabase::dataVersion()
{
    auto v = scalar(QStringLiteral("PRAGMA data_version"));
    return v ? v->toLongLong() : -1;
}

qint64 SqliteDatabase::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int SqliteDatabase::changes() const
{
    return sqlite3_changes(m_db);
}

void SqliteDatabase::setBusyTimeout(int ms)
{
    sqlite3_busy_timeout(m_db, ms);
}

void SqliteDatabase::interrupt()
{
    sqlite3_interrupt(m_db);
}

Error SqliteDatabase::errorFor(int sqliteCode, const QString &context) const
{
    QString detail = QString::fromUtf8(sqlite3_errmsg(m_db));
    if (!context.isEmpty())
        detail = context + QStringLiteral(": ") + detail;
    return errorFromCode(sqliteCode, detail, m_path);
}

Error SqliteDatabase::errorFromCode(int sqliteCode, const QString &detail, const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    switch (sqliteCode & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return Error::make(Error::Code::Locked,
            tr("%1 is locked by another program (the host may be writing it); "
               "nothing was changed. Try again in a moment.")
                .arg(name));
    case SQLITE_READONLY:
        return Error::make(Error::Code::ReadOnly, tr("%1 is open read-only; nothing was changed.").arg(name));
    case SQLITE_CORRUPT:
        return Error::make(Error::Code::Corrupt,
            tr("%1 is damaged (SQLite reports: %2). Restore it from a backup.").arg(name, detail));
    case SQLITE_NOTADB:
        return Error::make(Error::Code::NotADatabase,
            tr("%1 is not an SQLite database, so it cannot be a platform database.").arg(name));
    case SQLITE_CANTOPEN:
        return Error::make(Error::Code::Io, tr("%1 cannot be opened: %2").arg(name, detail));
    case SQLITE_IOERR:
    case SQLITE_FULL:
        return Error::make(Error::Code::Io, tr("Reading or writing %1 failed: %2").arg(name, detail));
    case SQLITE_PERM:
    case SQLITE_AUTH: return Error::make(Error::Code::Io, tr("%1: permission denied.").arg(name));
    case SQLITE_INTERRUPT: return Error::make(Error::Code::Cancelled, tr("The operation was cancelled."));
    case SQLITE_CONSTRAINT:
        return Error::make(
            Error::Code::Conflict, tr("The change conflicts with existing data: %1").arg(detail));
    default: return Error::make(Error::Code::Internal, tr("Database error in %1: %2").arg(name, detail));
    }
}

} // namespace rk
