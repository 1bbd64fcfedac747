#pragma once

#include "TableQuery.h"
#include "TableSpec.h"

#include <QString>
#include <QVariantList>

#include <memory>
#include <vector>

namespace rk {

// Turns a TableSpec and a TableQuery into the few statements LazySqlTableModel's worker runs.
// Named parameters the statements use besides the spec's `?` ones:
//   :now        the query's "now" (host datetime text)
//   :rk_filter  TableQuery::likePattern(filterText)
//   :rk_limit   the first-screen row limit
// Anonymous `?` parameters are the spec's fixed ones followed by the query's extra ones
// (positionalParameters()). Pure functions of their input; usable on any thread.
class TableSqlBuilder
{
public:
    explicit TableSqlBuilder(std::shared_ptr<const TableSpec> spec);

    const TableSpec &spec() const { return *m_spec; }

    // SELECT count(*) of the rows the query shows.
    QString countSql(const TableQuery &query) const;
    // The ids of the query in display order: ORDER BY sort [DESC], id (ties always by ascending
    // id, so equal keys keep their natural order in both directions); `limited` adds
    // LIMIT :rk_limit.
    QString orderSql(const TableQuery &query, bool limited) const;
    // The rows of `idCount` ids (`id IN (?, ...)`, anonymous parameters; unused ones may be bound
    // to NULL). Result columns: 0 = id, then rowValueCount() values (see below). No WHERE of the
    // query: a row is read by id even if it stopped matching (the next refresh drops it).
    QString rowsSql(int idCount) const;
    QVariantList positionalParameters(const TableQuery &query) const;

    // Layout of a loaded row's values: the columns' select values, the spec's fields, then the
    // sort values of the columns whose sort expression differs from their select one.
    int rowValueCount() const { return m_rowValueCount; }
    // Index in the row values of the sort value (RawValueRole) of `column`.
    int sortValueIndex(int column) const { return m_sortValueIndex[size_t(column)]; }

    // --- SQL fragments for specs ---------------------------------------------------------------
    // True (1) when `expr` is host datetime text hosttime::parse() accepts: YYYY-MM-DD, ' ' or
    // 'T', HH:MM:SS, optionally '.' and 1..6 digits, a real calendar date and time of day.
    static QString hostDateTimeValidSql(const QString &expr);
    // `expr` with a 'T' separator replaced by ' ', so it compares as text with :now.
    static QString hostDateTimeNormalizedSql(const QString &expr);

private:
    // The base table plus the joins the given SQL text needs.
    QString fromFor(const QString &usedSql) const;
    QString whereFor(const TableQuery &query) const;
    QString orderByFor(const TableQuery &query) const;

    std::shared_ptr<const TableSpec> m_spec;
    std::vector<int> m_sortValueIndex;
    QStringList m_extraSortExpressions;
    int m_rowValueCount = 0;
};

} // namespace rk
