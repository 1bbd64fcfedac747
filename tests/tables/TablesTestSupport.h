#pragma once

#include "TablesFixture.h"
#include "tables/LazySqlTableModel.h"

#include <QAbstractItemModelTester>
#include <QList>

namespace rk::test {

// Small pages, so a few thousand rows span many pages; the fixture's fixed clock; the two-phase
// path (first screen, then the ordering) even for small results unless `orderAtOnce`.
inline LazySqlTableModel::Options tableOptions(bool orderAtOnce = false)
{
    LazySqlTableModel::Options o;
    o.pageSize = 32;
    o.maxCachedPages = 6;
    o.firstScreenRows = 64;
    o.orderAtOnceRows = orderAtOnce ? 1000000 : 0;
    o.busyTimeoutMs = 300;
    o.clock = &TablesFixture::now;
    return o;
}

inline void attachTester(QAbstractItemModel *model)
{
    new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest, model);
}

inline bool settled(const LazySqlTableModel &model)
{
    return !model.isLoading() && model.isOrderingComplete();
}

// Every row's id, from the complete ordering.
inline QList<qint64> allIds(const LazySqlTableModel &model)
{
    QList<qint64> ids;
    ids.reserve(model.rowCount());
    for (int r = 0; r < model.rowCount(); ++r)
        ids.append(model.idAt(r));
    return ids;
}

// Asks for `row` and reports whether it is loaded (a view would call data() the same way).
inline bool loadRow(const LazySqlTableModel &model, int row)
{
    return model.data(model.index(row, 0), LazySqlTableModel::LoadedRole).toBool();
}

} // namespace rk::test
