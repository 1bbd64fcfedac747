#pragma once

#include <QList>
#include <QMetaType>
#include <QVariant>

#include <memory>
#include <vector>

namespace rk {

// One loaded row of a LazySqlTableModel.
struct TableRow
{
    qint64 id = -1;
    // TableSqlBuilder's layout: column values, the spec's fields, extra sort values.
    std::vector<QVariant> values;
    // Per column: what DisplayRole shows by default (host datetimes parsed to QDateTime on the
    // worker, so data() only copies).
    std::vector<QVariant> display;
    bool missing = false; // deleted between ordering and fetching; the next refresh drops it
};

// A window of loaded rows, made on the worker thread and handed to the model as an immutable
// shared pointer (no copy of the rows on the UI thread).
struct TableRowsPage
{
    quint64 generation = 0;
    int index = 0; // page number
    int firstRow = 0; // index * page size
    std::vector<TableRow> rows;
};

using TableRowsPagePtr = std::shared_ptr<const TableRowsPage>;
using TableRowsPageList = QList<TableRowsPagePtr>;
// Every id of a query in display order: 8 bytes per row.
using TableOrdering = std::vector<qint64>;
using TableOrderingPtr = std::shared_ptr<const TableOrdering>;

} // namespace rk

Q_DECLARE_METATYPE(rk::TableRowsPagePtr)
Q_DECLARE_METATYPE(rk::TableRowsPageList)
Q_DECLARE_METATYPE(rk::TableOrderingPtr)
