#pragma once

#include "core/Result.h"

#include <QString>
#include <QVariant>

#include <functional>
#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace rk {

class SqliteDatabase;

// One prepared statement. Move-only; finalised on destruction. Bind indexes start at 1 as in
// SQLite. Used on the thread of its connection.
class SqlStatement
{
public:
    SqlStatement() = default;
    SqlStatement(SqlStatement &&other) noexcept;
    SqlStatement &operator=(SqlStatement &&other) noexcept;
    SqlStatement(const SqlStatement &) = delete;
    SqlStatement &operator=(const SqlStatement &) = delete;
    ~SqlStatement();

    bool isValid() const { return m_stmt != nullptr; }

    SqlStatement &bind(int index, qint64 value);
    SqlStatement &bind(int index, int value) { return bind(index, static_cast<qint64>(value)); }
    SqlStatement &bind(int index, bool value) { return bind(index, static_cast<qint64>(value ? 1 : 0)); }
    SqlStatement &bind(int index, double value);
    SqlStatement &bind(int index, const QString &value); // a null QString binds NULL
    SqlStatement &bind(int index, const char *latin1) = delete; // be explicit about encoding
    SqlStatement &bindNull(int index);
    SqlStatement &bindVariant(int index, const QVariant &value);
    int parameterIndex(const char *name) const;

    // Advances; true while a row is available, false when done. Errors are mapped to rk::Error.
    Result<bool> step();
    // Runs a statement that returns no rows (or ignores them).
    Status run();
    void reset();

    int columnCount() const;
    bool isNull(int column) const;
    qint64 int64(int column) const;
    double real(int column) const;
    QString text(int column) const;
    QVariant value(int column) const; // NULL -> invalid QVariant

private:
    friend class SqliteDatabase;
    SqlStatement(SqliteDatabase *db, sqlite3_stmt *stmt) : m_db(db), m_stmt(stmt) { }
    SqliteDatabase *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

// A thin RAII connection over the SQLite C API. Riverkeeper uses the C API rather than QtSql for
// read-only and create-only open flags, BEGIN IMMEDIATE, sqlite3_interrupt (cancelling a slow
// query from another thread), PRAGMA data_version and the online backup API.
//
// A connection belongs to the thread that uses it; interrupt() is the one call that is safe from
// any thread. It never changes the journal mode or other persistent pragmas of the file.
class SqliteDatabase
{
public:
    enum class OpenMode {
        ReadWrite, // an existing file, read and written
        ReadOnly, // an existing file, never written (SQLITE_OPEN_READONLY)
        CreateNew, // a file that must not exist yet
    };

    static constexpr int kDefaultBusyTimeoutMs = 5000;

    static Result<std::unique_ptr<SqliteDatabase>> open(
        const QString &path, OpenMode mode, int busyTimeoutMs = kDefaultBusyTimeoutMs);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase &) = delete;
    SqliteDatabase &operator=(const SqliteDatabase &) = delete;

    const QString &path() const { return m_path; }
    OpenMode mode() const { return m_mode; }
    bool isReadOnly() const;
    sqlite3 *handle() const { return m_db; }

    Result<SqlStatement> prepare(const QString &sql);
    Status exec(const QString &sql); // one or more statements, no results
    // Runs `sql` and returns the first column of the first row (invalid QVariant when no row).
    Result<QVariant> scalar(const QString &sql);

    // One short write transaction: BEGIN IMMEDIATE (so a lock conflict shows up at once, within
    // the busy timeout), `body`, COMMIT; ROLLBACK when body fails or the commit does.
    Status writeTransaction(const std::function<Status()> &body);
    // A consistent read snapshot (BEGIN DEFERRED ... COMMIT).
    Status readTransaction(const std::function<Status()> &body);
    bool inTransaction() const;

    // PRAGMA data_version: changes when another connection commits to the file. Cheap.
    qint64 dataVersion();
    qint64 lastInsertRowId() const;
    int changes() const;
    void setBusyTimeout(int ms);
    // Makes a running statement on this connection stop with Error::Code::Cancelled.
    // Safe to call from any thread.
    void interrupt();

    // Maps an SQLite result code and this connection's message to an rk::Error.
    Error errorFor(int sqliteCode, const QString &context = {}) const;
    static Error errorFromCode(int sqliteCode, const QString &detail, const QString &path);

private:
    SqliteDatabase(sqlite3 *db, QString path, OpenMode mode);
    sqlite3 *m_db = nullptr;
    QString m_path;
    OpenMode m_mode;
};

} // namespace rk
