#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

struct sqlite3_stmt;

namespace rk {

class SqliteDatabase;

// A prepared statement read through the bare C API, for the loader's million-row scans: columns
// come back as (pointer, length) into SQLite's own buffer, with no QString or QVariant per value.
// SqlStatement stays the API for everything else. Move-only; finalised on destruction; used on
// the thread that runs the scan. Errors map through SqliteDatabase::errorFor (an interrupted
// statement gives Error::Code::Cancelled).
class RawSqlStatement
{
public:
    RawSqlStatement() = default;
    RawSqlStatement(RawSqlStatement &&other) noexcept;
    RawSqlStatement &operator=(RawSqlStatement &&other) noexcept;
    RawSqlStatement(const RawSqlStatement &) = delete;
    RawSqlStatement &operator=(const RawSqlStatement &) = delete;
    ~RawSqlStatement();

    static Result<RawSqlStatement> prepare(SqliteDatabase &db, const QString &sql);

    void bind(int index, qint64 value);
    void bind(int index, const QByteArray &utf8); // copied by SQLite
    // True while a row is available, false when done.
    Result<bool> step();
    // Resets so the statement no longer counts as running (sqlite3_interrupt relies on that).
    void reset();

    bool isNull(int column) const;
    qint64 int64(int column) const;
    // UTF-8 bytes valid until the next step/reset; nullptr for NULL.
    const char *text(int column, int *length) const;

private:
    SqliteDatabase *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace rk
