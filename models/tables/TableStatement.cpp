#include "TableStatement.h"

#include "store/SqliteDatabase.h"

#include <QCoreApplication>

#include <sqlite3.h>

namespace rk {

TableStatement::TableStatement(TableStatement &&other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

TableStatement &TableStatement::operator=(TableStatement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

TableStatement::~TableStatement()
{
    sqlite3_finalize(m_stmt);
}

Result<TableStatement> TableStatement::prepare(SqliteDatabase &db, const QString &sql)
{
    const QByteArray utf8 = sql.toUtf8();
    TableStatement st;
    st.m_db = &db;
    const int rc = sqlite3_prepare_v2(db.handle(), utf8.constData(), int(utf8.size()), &st.m_stmt, nullptr);
    if (rc != SQLITE_OK)
        return db.errorFor(rc);
    return st;
}

Status TableStatement::bindAll(const QVariantList &positional, const QHash<QString, QVariant> &named)
{
    // SQLite numbers parameters in order of appearance; a named one keeps its first number, so
    // walking the numbers in order meets the anonymous ones in textual order.
    const int count = sqlite3_bind_parameter_count(m_stmt);
    qsizetype next = 0;
    for (int i = 1; i <= count; ++i) {
        const char *name = sqlite3_bind_parameter_name(m_stmt, i);
        if (!name) {
            if (next < positional.size())
                bind(i, positional.at(next));
            ++next;
            continue;
        }
        const auto it = named.constFind(QString::fromUtf8(name));
        if (it == named.constEnd()) {
            return Error::make(Error::Code::Internal,
                QCoreApplication::translate("rk::TableStatement", "No value for the SQL parameter %1.")
                    .arg(QString::fromUtf8(name)));
        }
        bind(i, *it);
    }
    if (next != positional.size()) {
        return Error::make(Error::Code::Internal,
            QCoreApplication::translate("rk::TableStatement",
                "The SQL statement takes a different number of parameters "
                "(%1) than the %2 given.")
                .arg(next)
                .arg(positional.size()));
    }
    return {};
}

void TableStatement::bind(int index, const QVariant &value)
{
    if (!value.isValid() || value.isNull()) {
        bindNull(index);
        return;
    }
    switch (value.metaType().id()) {
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort: bind(index, value.toLongLong()); return;
    case QMetaType::Double:
    case QMetaType::Float: sqlite3_bind_double(m_stmt, index, value.toDouble()); return;
    default: {
        const QByteArray utf8 = value.toString().toUtf8();
        sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
        return;
    }
    }
}

void TableStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void TableStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

Result<bool> TableStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(m_stmt);
        return false;
    }
    Error error = m_db->errorFor(rc);
    sqlite3_reset(m_stmt);
    return error;
}

void TableStatement::reset()
{
    sqlite3_reset(m_stmt);
}

int TableStatement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

bool TableStatement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 TableStatement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QVariant TableStatement::value(int column) const
{
    switch (sqlite3_column_type(m_stmt, column)) {
    case SQLITE_NULL: return {};
    case SQLITE_INTEGER: return QVariant::fromValue<qint64>(sqlite3_column_int64(m_stmt, column));
    case SQLITE_FLOAT: return sqlite3_column_double(m_stmt, column);
    default: {
        const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
        return QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, column));
    }
    }
}

const char *TableStatement::rawText(int column, int *length) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    *length = data ? sqlite3_column_bytes(m_stmt, column) : 0;
    return data;
}

} // namespace rk
