#include "RawSqlStatement.h"

#include "store/SqliteDatabase.h"

#include <sqlite3.h>

namespace rk {

RawSqlStatement::RawSqlStatement(RawSqlStatement &&other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

RawSqlStatement &RawSqlStatement::operator=(RawSqlStatement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

RawSqlStatement::~RawSqlStatement()
{
    sqlite3_finalize(m_stmt);
}

Result<RawSqlStatement> RawSqlStatement::prepare(SqliteDatabase &db, const QString &sql)
{
    const QByteArray utf8 = sql.toUtf8();
    RawSqlStatement st;
    st.m_db = &db;
    const int rc = sqlite3_prepare_v2(db.handle(), utf8.constData(), int(utf8.size()), &st.m_stmt, nullptr);
    if (rc != SQLITE_OK)
        return db.errorFor(rc);
    return st;
}

void RawSqlStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void RawSqlStatement::bind(int index, const QByteArray &utf8)
{
    sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

Result<bool> RawSqlStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error error = m_db->errorFor(rc);
    sqlite3_reset(m_stmt);
    return error;
}

void RawSqlStatement::reset()
{
    sqlite3_reset(m_stmt);
}

bool RawSqlStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 RawSqlStatement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

const char *RawSqlStatement::text(int column, int *length) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    *length = data ? sqlite3_column_bytes(m_stmt, column) : 0;
    return data;
}

} // namespace rk
