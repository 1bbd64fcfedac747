#pragma once

#include "UserAggregatesBuilder.h"
#include "UsersPage.h"
#include "UsersRequestQueue.h"
#include "UsersScanner.h"
#include "core/Result.h"
#include "store/SqliteDatabase.h"

#include <QMutex>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace rk {

class UsersSorter;

// The Users table's worker: lives in the model's QThread and owns every SQLite connection the
// model uses (read-only; the host and PlatformStore may write the file meanwhile). It works
// through what the shared UsersRequestQueue asks for, one bounded unit per event-loop turn and in
// this order of priority:
//   1. a new query (or a refresh): scan, count, first screen  -> firstScreenReady()
//   2. the newest requested page                              -> pageReady()
//   3. the complete ordering of the current query             -> orderingReady()
//   4. the per-user aggregates for sorting by derived columns, in ~30 ms steps
// Work for a superseded query is abandoned: the model bumps the generation and calls
// interrupt(), which stops a running SQL statement on any of the connections.
class UsersLoader : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        QString path;
        int busyTimeoutMs = SqliteDatabase::kDefaultBusyTimeoutMs;
        int pageSize = 256;
        int firstScreenRows = 512; // known in order before the full sort finishes
        int scanThreads = 2; // connections scanning the users table in parallel
    };

    UsersLoader(const Settings &settings, std::shared_ptr<UsersRequestQueue> queue);
    ~UsersLoader() override;

    // Any thread: stops the SQL statements running right now on this loader's connections.
    void interrupt();
    // Any thread: abandons all work for good (the model is going away).
    void stop();
    // Any thread: makes sure the loader looks at the queue soon (coalesces repeated calls).
    void schedule();

Q_SIGNALS:
    // The query of `generation` has `rowCount` rows; `page` is its first page.
    void firstScreenReady(quint64 generation, int rowCount, rk::UsersPagePtr page, bool refresh);
    void pageReady(rk::UsersPagePtr page);
    // Every id of `generation` in order.
    void orderingReady(quint64 generation, rk::UsersOrderingPtr ordering);
    // Requests the loader had to drop (the model asks again when those rows are still shown).
    void pagesDropped(quint64 generation, const QList<int> &pages);
    void failed(quint64 generation, const rk::Error &error);

private:
    struct Active
    {
        quint64 generation = 0;
        UsersQuery query;
        qint64 count = 0;
        std::vector<qint64> top; // the first rows, in order
        std::unique_ptr<UsersSorter> sorter; // pending: the complete ordering
        bool needsIdScan = false; // pending: the ordering from an index (fast path)
        QString indexOrderSql; // ... with this SQL; empty: a parallel rowid scan
        UsersOrderingPtr ordering; // complete
        bool failed = false;
    };

    void pump();
    // sqlite3_busy_handler callback (any loader thread).
    static int onBusy(void *context, int attempt);
    bool superseded() const { return m_stopping.load() || m_queue->generation() != m_active.generation; }
    Status ensureOpen();
    void closeAll();
    void runQuery(const UsersRequestQueue::QueryRequest &request);
    Status runQueryBody(bool refresh);
    // True when done; false when cancelled (retry later) or failed (reported).
    bool completeOrdering();
    Result<IdVector> scanIds(); // every id, in id order (parallel scan)
    Result<IdVector> readIndexOrder(); // every id, in m_active.indexOrderSql's order
    void servePage(const UsersRequestQueue::PageRequest &request);
    Result<UsersPagePtr> fetchPage(quint64 generation, int page, const qint64 *ids, int count);
    bool wantsAggregates() const;
    Status stepAggregates();
    Status buildAggregatesNow();
    // A failure that is not a cancellation: report it for the current generation.
    void reportFailure(const Error &error);

    Settings m_settings;
    std::shared_ptr<UsersRequestQueue> m_queue;
    std::vector<std::unique_ptr<SqliteDatabase>> m_connections;
    mutable QMutex m_connectionsMutex; // interrupt() reads the list from other threads
    std::optional<SqlStatement> m_userStmt;
    std::optional<SqlStatement> m_sessionsStmt;
    std::optional<SqlStatement> m_groupsStmt;
    QThreadPool m_pool;
    Active m_active;
    std::shared_ptr<const UserAggregates> m_aggregates;
    UserAggregatesBuilder m_builder;
    bool m_aggregatesStale = false;
    qint64 m_aggregatesVersion = -1; // data_version when the aggregates were last known current
    // The ids the last filtered scan matched (ascending), kept when they are few: the next,
    // narrower filter (the user typed one more character) only looks at these rows.
    struct FilterMemo
    {
        QString text;
        qint64 dataVersion = -1; // PRAGMA data_version before that scan
        IdVector ids;
    };
    std::optional<FilterMemo> m_lastFilter;
    void rememberFilter(
        const QString &text, qint64 dataVersion, const UsersScanner::Output &scanned, qint64 tableRows);
    bool m_aggregatesBroken = false; // failed for another reason than cancellation: until refresh
    std::atomic<bool> m_pumpQueued {false};
    std::atomic<bool> m_stopping {false};
    std::atomic<quint64> m_busyGeneration {0}; // the query the connections are working for
};

} // namespace rk
