#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace rk {

// What a column holds, for the value data() shows and the alignment it suggests.
enum class TableValueKind {
    Text, // shown as is
    Integer, // shown as is, right-aligned
    HostDateTime, // host datetime text (naive local time); shown as a QDateTime
    Bool, // 0/1; shown as bool
};

// One column of a LazySqlTableModel. The SQL expressions may use the named parameter `:now`
// (the host datetime text of the moment the query started, see LazySqlTableModel::Options::clock)
// and no other parameter.
struct TableColumn
{
    QString title {}; // translated header text
    QString select {}; // the value loaded for display, e.g. "u.username"
    QString sort {}; // what ORDER BY uses; empty: `select`. RawValueRole returns this value.
    bool searchable = false; // the filter text is matched against `select` with LIKE
    TableValueKind kind = TableValueKind::Text;
    QString toolTip {}; // optional header tooltip (translated)
    // How the filter searches this column, when not as `(select) LIKE ...`: an SQL condition in
    // which "{like}" stands for ` LIKE :rk_filter [ESCAPE '\']`. For a column of a joined table,
    // `s.user_id IN (SELECT id FROM users WHERE username{like})` lets SQLite scan the small
    // table and leave the join out (0.2 s instead of 0.5 s on 2M sessions). Implies searchable.
    QString search {};

    const QString &sortExpression() const { return sort.isEmpty() ? select : sort; }
};

// A join of the FROM clause. Statements include only the joins they need: a join is needed when
// one of the statement's expressions (or another needed join's clause) mentions `alias.`.
struct TableJoin
{
    QString alias; // "u"
    QString clause; // "LEFT JOIN users u ON u.id = s.user_id"
    // A LEFT JOIN matching at most one row never changes which rows a query has, so a statement
    // that reads none of its columns leaves it out (SQLite then scans the base table directly
    // instead of walking an index with a lookup per row: 0.3 s instead of 5.8 s for 2M
    // sessions). Set false for a join that filters or multiplies rows (an inner join).
    bool optional = true;
};

// Everything LazySqlTableModel needs to know about one table. Immutable once handed to a model.
struct TableSpec
{
    QString name; // for log messages ("sessions")
    QString from; // the base table with its alias: "sessions s"
    QList<TableJoin> joins;
    QString idExpression; // a unique integer key of a row: "s.id"
    QList<TableColumn> columns;
    // Further expressions loaded with every row but not shown as columns (owner ids, the full
    // limits JSON, ...); LazySqlTableModel::rowValues() lists them after the columns.
    QStringList fields;
    // A condition every statement applies (optional), with anonymous `?` parameters bound from
    // fixedParameters in order.
    QString fixedWhere;
    QVariantList fixedParameters;
    int defaultSortColumn = -1; // -1: id order
    Qt::SortOrder defaultSortOrder = Qt::AscendingOrder;

    int columnCount() const { return int(columns.size()); }
    // Index of field `k` in rowValues() and TableRow::values.
    int fieldIndex(int k) const { return int(columns.size()) + k; }
};

} // namespace rk
