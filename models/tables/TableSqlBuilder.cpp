#include "TableSqlBuilder.h"

#include <QRegularExpression>

namespace rk {

TableSqlBuilder::TableSqlBuilder(std::shared_ptr<const TableSpec> spec) : m_spec(std::move(spec))
{
    const int columns = m_spec->columnCount();
    int next = columns + int(m_spec->fields.size());
    m_sortValueIndex.resize(size_t(columns));
    for (int c = 0; c < columns; ++c) {
        const TableColumn &column = m_spec->columns.at(c);
        if (column.sort.isEmpty() || column.sort == column.select) {
            m_sortValueIndex[size_t(c)] = c;
        } else {
            m_sortValueIndex[size_t(c)] = next++;
            m_extraSortExpressions.append(column.sort);
        }
    }
    m_rowValueCount = next;
}

QString TableSqlBuilder::fromFor(const QString &usedSql) const
{
    // A join is needed when the statement (or a needed join's ON clause) mentions its alias;
    // repeat until nothing new is pulled in, so chained joins work in any order.
    const qsizetype n = m_spec->joins.size();
    std::vector<bool> needed(size_t(n), false);
    QString haystack = usedSql;
    for (bool grew = true; grew;) {
        grew = false;
        for (qsizetype i = 0; i < n; ++i) {
            if (needed[size_t(i)])
                continue;
            const TableJoin &join = m_spec->joins.at(i);
            const QRegularExpression mention(
                QStringLiteral("\\b") + QRegularExpression::escape(join.alias) + QStringLiteral("\\."));
            if (!join.optional || haystack.contains(mention)) {
                needed[size_t(i)] = true;
                haystack += QLatin1Char(' ') + join.clause;
                grew = true;
            }
        }
    }
    QString from = m_spec->from;
    for (qsizetype i = 0; i < n; ++i) {
        if (needed[size_t(i)])
            from += QLatin1Char(' ') + m_spec->joins.at(i).clause;
    }
    return from;
}

QString TableSqlBuilder::whereFor(const TableQuery &query) const
{
    QStringList conditions;
    if (!m_spec->fixedWhere.isEmpty())
        conditions.append(QLatin1Char('(') + m_spec->fixedWhere + QLatin1Char(')'));
    if (!query.extraCondition.isEmpty())
        conditions.append(QLatin1Char('(') + query.extraCondition + QLatin1Char(')'));
    if (query.hasFilter()) {
        // SQLite reads the ESCAPE argument on every call (measurably slower over millions of
        // rows), so it is only added when the text has a character that needs it. The pattern
        // is the same either way.
        const QString like = TableQuery::needsEscape(query.filterText)
            ? QStringLiteral(" LIKE :rk_filter ESCAPE '\\'")
            : QStringLiteral(" LIKE :rk_filter");
        QStringList matches;
        for (const TableColumn &column : m_spec->columns) {
            if (!column.search.isEmpty())
                matches.append(QLatin1Char('(')
                    + QString(column.search).replace(QLatin1String("{like}"), like) + QLatin1Char(')'));
            else if (column.searchable)
                matches.append(QLatin1Char('(') + column.select + QLatin1Char(')') + like);
        }
        // No searchable column: a filter matches nothing rather than everything.
        conditions.append(matches.isEmpty()
                ? QStringLiteral("0")
                : QLatin1Char('(') + matches.join(QStringLiteral(" OR ")) + QLatin1Char(')'));
    }
    return conditions.isEmpty() ? QString()
                                : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
}

QString TableSqlBuilder::orderByFor(const TableQuery &query) const
{
    const QString &id = m_spec->idExpression;
    if (query.sortColumn < 0 || query.sortColumn >= m_spec->columnCount())
        return QStringLiteral(" ORDER BY ") + id + (query.descending ? QStringLiteral(" DESC") : QString());
    const QString &key = m_spec->columns.at(query.sortColumn).sortExpression();
    return QStringLiteral(" ORDER BY (") + key
        + (query.descending ? QStringLiteral(") DESC, ") : QStringLiteral("), ")) + id;
}

QString TableSqlBuilder::countSql(const TableQuery &query) const
{
    const QString where = whereFor(query);
    return QStringLiteral("SELECT count(*) FROM ") + fromFor(where) + where;
}

QString TableSqlBuilder::orderSql(const TableQuery &query, bool limited) const
{
    const QString where = whereFor(query);
    const QString order = orderByFor(query);
    return QStringLiteral("SELECT ") + m_spec->idExpression + QStringLiteral(" FROM ")
        + fromFor(m_spec->idExpression + where + order) + where + order
        + (limited ? QStringLiteral(" LIMIT :rk_limit") : QString());
}

QString TableSqlBuilder::rowsSql(int idCount) const
{
    QStringList values;
    values.append(m_spec->idExpression);
    for (const TableColumn &column : m_spec->columns)
        values.append(column.select);
    values.append(m_spec->fields);
    values.append(m_extraSortExpressions);
    QString params;
    params.reserve(idCount * 2);
    for (int i = 0; i < idCount; ++i)
        params += i == 0 ? QStringLiteral("?") : QStringLiteral(",?");
    const QString select = values.join(QStringLiteral(", "));
    return QStringLiteral("SELECT ") + select + QStringLiteral(" FROM ") + fromFor(select)
        + QStringLiteral(" WHERE ") + m_spec->idExpression + QStringLiteral(" IN (") + params
        + QLatin1Char(')');
}

QVariantList TableSqlBuilder::positionalParameters(const TableQuery &query) const
{
    QVariantList params = m_spec->fixedParameters;
    params.append(query.extraParameters);
    return params;
}

QString TableSqlBuilder::hostDateTimeValidSql(const QString &expr)
{
    const QString x = QLatin1Char('(') + expr + QLatin1Char(')');
    // The shape, then the fraction (all digits), then a real date (julianday() normalises
    // 2026-02-30 to March 2nd, and fails on month 13) and a time of day below 24:00:00.
    return QStringLiteral(
        "(typeof(%1) = 'text' "
        "AND substr(%1, 1, 19) GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][ T][0-9][0-9]:[0-9][0-9]:[0-9][0-9]' "
        "AND (length(%1) = 19 OR (length(%1) BETWEEN 21 AND 26 AND substr(%1, 20, 1) = '.' "
        "AND substr(%1, 21) NOT GLOB '*[^0-9]*')) "
        "AND substr(%1, 1, 4) <> '0000' "
        "AND date(julianday(substr(%1, 1, 10))) IS substr(%1, 1, 10) "
        "AND substr(%1, 12, 2) <= '23' AND substr(%1, 15, 2) <= '59' AND substr(%1, 18, 2) <= '59')")
        .arg(x);
}

QString TableSqlBuilder::hostDateTimeNormalizedSql(const QString &expr)
{
    const QString x = QLatin1Char('(') + expr + QLatin1Char(')');
    return QStringLiteral("(substr(%1, 1, 10) || ' ' || substr(%1, 12))").arg(x);
}

} // namespace rk
