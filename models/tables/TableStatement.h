#pragma once

#include "core/Result.h"

#include <QHash>
#include <QString>
#include <QVariant>

struct sqlite3_stmt;

namespace rk {

class SqliteDatabase;

// A prepared statement over the bare SQLite C API that binds a statement's mixture of anonymous
// (`?`) and named (`:now`) parameters in one call, and reads values without a QVariant detour
// where that matters. Move-only; finalised on destruction; used on the thread of its connection.
// Every error (and the end of the rows) resets the statement, so an idle statement never counts
// as running for sqlite3_interrupt().
//
// Generic counterpart of users/RawSqlStatement (which could later be replaced by this class).
class TableStatement
{
public:
    TableStatement() = default;
    TableStatement(TableStatement &&other) noexcept;
    TableStatement &operator=(TableStatement &&other) noexcept;
    TableStatement(const TableStatement &) = delete;
    TableStatement &operator=(const TableStatement &) = delete;
    ~TableStatement();

    static Result<TableStatement> prepare(SqliteDatabase &db, const QString &sql);

    // Binds every parameter of the statement: anonymous ones from `positional` in order (their
    // count must match), named ones (`:name`, key with the prefix) from `named`. A parameter with
    // no value is an Error::Code::Internal (a bug in the SQL or the caller).
    Status bindAll(const QVariantList &positional, const QHash<QString, QVariant> &named);
    void bind(int index, const QVariant &value); // invalid or null QVariant: NULL
    void bind(int index, qint64 value);
    void bindNull(int index);

    // True while a row is available, false when done (and reset). Interruption gives
    // Error::Code::Cancelled.
    Result<bool> step();
    // Makes the statement idle again; keeps its bindings.
    void reset();

    int columnCount() const;
    bool isNull(int column) const;
    qint64 int64(int column) const;
    QVariant value(int column) const; // NULL: invalid QVariant; INTEGER: qint64; REAL: double; TEXT: QString
    // UTF-8 bytes in SQLite's own buffer, valid until the next step/reset; nullptr for NULL. For
    // scans that must not build a QString per value.
    const char *rawText(int column, int *length) const;

private:
    SqliteDatabase *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

} // namespace rk
