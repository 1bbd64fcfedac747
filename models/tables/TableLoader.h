#pragma once

#include "HostDateTimeParser.h"
#include "TableRequestQueue.h"
#include "TableRowsPage.h"
#include "TableSqlBuilder.h"
#include "TableStatement.h"
#include "core/Result.h"
#include "store/SqliteDatabase.h"

#include <QHash>
#include <QMutex>
#include <QObject>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace rk {

// LazySqlTableModel's worker: lives in the model's QThread and owns the model's one SQLite
// connection (read-only, query_only; the host and PlatformStore may write the file meanwhile).
// It works through what the shared TableRequestQueue asks for, one unit per event-loop turn, in
// this order:
//   1. a new query (or refresh): count, first screen (LIMIT), its rows -> firstScreenReady()
//      (a small result, up to orderAtOnceRows, is ordered completely right away)
//   2. the newest requested page, by id                               -> pageReady()
//   3. the complete ordering of the current query (SELECT id ... ORDER BY sort, id)
//                                                                     -> orderingReady()
// A page beyond the first screen waits for 3. Work for a superseded query is abandoned: the
// model bumps the generation and calls interrupt(), which stops a running statement.
class TableLoader : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        QString path;
        int busyTimeoutMs = SqliteDatabase::kDefaultBusyTimeoutMs;
        int pageSize = 256;
        int firstScreenRows = 512;
        int orderAtOnceRows = 50000;
        int cacheSizeKiB
            = 8192; // SQLite page cache of the connection (also the sorter's memory before it spills)
    };

    TableLoader(const Settings &settings, std::shared_ptr<const TableSpec> spec,
        std::shared_ptr<TableRequestQueue> queue);
    ~TableLoader() override;

    // Any thread: stops the statement running right now on the connection.
    void interrupt();
    // Any thread: abandons all work for good (the model is going away).
    void stop();
    // Any thread: makes sure the worker looks at the queue soon (coalesces repeated calls).
    void schedule();

Q_SIGNALS:
    // The query of `generation` has `rowCount` rows; `pages` are its first pages.
    void firstScreenReady(quint64 generation, int rowCount, const rk::TableRowsPageList &pages, bool refresh);
    void pageReady(const rk::TableRowsPagePtr &page);
    // Every id of `generation` in display order.
    void orderingReady(quint64 generation, const rk::TableOrderingPtr &ordering);
    // Requests the worker had to drop (the model asks again when those rows are still shown).
    void pagesDropped(quint64 generation, const QList<int> &pages);
    void failed(quint64 generation, const rk::Error &error);

private:
    struct Active
    {
        quint64 generation = 0;
        TableQuery query;
        QString now;
        qint64 count = 0;
        std::vector<qint64> top; // the first rows, in order
        TableOrderingPtr ordering; // complete
        bool failed = false;
    };

    void pump();
    static int onBusy(void *context, int attempt);
    bool superseded() const { return m_stopping.load() || m_queue->generation() != m_active.generation; }
    QHash<QString, QVariant> namedParameters() const;
    Status ensureOpen();
    void close();
    void runQuery(const TableRequestQueue::QueryRequest &request);
    Status runQueryBody(bool refresh);
    Result<qint64> count();
    // Ids of orderSql(); `expected` sizes the vector up front.
    Result<std::vector<qint64>> readIds(const QString &sql, qint64 expected);
    void completeOrdering();
    void servePage(const TableRequestQueue::PageRequest &request);
    Result<TableRowsPagePtr> fetchPage(quint64 generation, int pageIndex, const qint64 *ids, int count);
    void reportFailure(const Error &error);

    Settings m_settings;
    TableSqlBuilder m_builder;
    std::shared_ptr<TableRequestQueue> m_queue;
    std::unique_ptr<SqliteDatabase> m_db;
    QMutex m_dbMutex; // interrupt() reads m_db from other threads
    std::optional<TableStatement> m_rowsStmt;
    HostDateTimeParser m_parser;
    Active m_active;
    std::atomic<bool> m_pumpQueued {false};
    std::atomic<bool> m_stopping {false};
    std::atomic<quint64> m_busyGeneration {0}; // the query the connection is working for
};

} // namespace rk
