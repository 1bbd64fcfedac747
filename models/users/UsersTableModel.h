#pragma once

#include "UsersPage.h"
#include "UsersQuery.h"
#include "core/Result.h"
#include "store/SqliteDatabase.h"
#include "store/StoreTypes.h"
#include "tables/ChunkedRowsModel.h"
#include "tables/PageCache.h"

#include <QHash>
#include <QSet>

#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace rk {

class UsersLoader;
class UsersRequestQueue;

// The Users table of a platform database, for a million users and more (DB Browser's
// RowCache/RowLoader design):
// - totalRowCount() is the number of users matching the filter, and views learn them a chunk
//   per event-loop turn (rowCount(), see ChunkedRowsModel); only the pages a view asks for are
//   loaded (256 rows each, at most `maxCachedPages` kept, least recently used dropped);
// - rows not loaded yet show a placeholder ("…", LoadedRole false) and data() never waits: every
//   SQL statement runs on the model's worker thread (UsersLoader) over its own read-only
//   connections, and a loaded page arrives with dataChanged();
// - filtering and sorting happen on the worker (SQL LIKE, and a sort of compact keys), never in
//   a proxy over the rows; each query has a generation number and late answers to an older query
//   are dropped.
//
// A new filter or sort resets the model once, when its first screen is ready (the old rows stay
// up until then, loadingChanged(true) meanwhile). refresh() re-runs the query: the rows update in
// place through dataChanged(), and a changed count grows or shrinks the table at its end.
// The model never writes to the database. All methods are for the thread the model lives in.
class UsersTableModel : public ChunkedRowsModel
{
    Q_OBJECT

public:
    enum Column {
        Username = UsersQuery::Username,
        DisplayName = UsersQuery::DisplayName,
        Role = UsersQuery::Role,
        Groups = UsersQuery::Groups,
        Created = UsersQuery::Created,
        LastSignIn = UsersQuery::LastSignIn,
        ActiveSessions = UsersQuery::ActiveSessions,
        Status = UsersQuery::Status,
        ColumnCount = UsersQuery::ColumnCount,
    };
    Q_ENUM(Column)

    enum ItemRole {
        IdRole = Qt::UserRole + 1, // qint64 user id (also for rows not loaded, once known)
        RawValueRole, // the sort value: text, int or bool; invalid for NULL
        LoadedRole, // bool: false while the row shows a placeholder
        ActiveRole, // bool: users.is_active
    };
    Q_ENUM(ItemRole)

    struct Options
    {
        int busyTimeoutMs = SqliteDatabase::kDefaultBusyTimeoutMs;
        int pageSize = 256;
        int maxCachedPages = 64;
        int scanThreads = 0; // connections scanning in parallel; 0: one per core, at most 4
        // Read nothing until start(): a page not shown yet costs no query (sort, filter and
        // refresh calls meanwhile only shape the query that start() runs).
        bool deferred = false;
        // Rows announced to views per event-loop turn (see ChunkedRowsModel).
        int chunkRows = ChunkedRowsModel::kDefaultChunkRows;
    };

    // Opens `databasePath` read-only on the worker thread and starts loading at once (unless
    // Options::deferred); failures (missing, locked, not a platform database, corrupt) arrive as
    // errorOccurred().
    explicit UsersTableModel(const QString &databasePath, QObject *parent = nullptr);
    UsersTableModel(const QString &databasePath, const Options &options, QObject *parent = nullptr);
    ~UsersTableModel() override;

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    // Sorts in the worker; column -1 is the table's natural (id) order. Ends with windowLoaded().
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // Case-insensitive (ASCII, as SQLite's LIKE) substring of username, display name or role.
    // Ends with windowLoaded().
    void setFilterText(const QString &text);
    QString filterText() const { return m_query.filterText; }
    int sortColumn() const { return m_query.sortColumn; }
    Qt::SortOrder sortOrder() const { return m_query.descending ? Qt::DescendingOrder : Qt::AscendingOrder; }
    bool isLoading() const { return m_loading; }
    bool isStarted() const { return m_started; }
    // True once every row's user id is known and every row is shown (userIdAt/rowOf answer for
    // rows not loaded).
    bool isOrderingComplete() const { return m_ordering != nullptr && areAllRowsShown(); }

    // -1 when not known yet.
    qint64 userIdAt(int row) const;
    // The row showing user `id`, or -1 when the model does not know it (yet).
    int rowOf(qint64 id) const;
    // Every shown row's user id in display order, once isOrderingComplete() (a copy of the
    // ordering: about 4 ms for a million rows, where userIdAt() per row takes 15 ms); else the
    // ids known so far.
    std::vector<qint64> userIdsInOrder() const;
    // The user at `row` when that row is loaded (after a refresh, possibly the previous version
    // until the row's page is read again).
    std::optional<UserRecord> userAt(int row) const;

public Q_SLOTS:
    // Runs the first query of a deferred model (nothing once started). Ends with windowLoaded().
    void start();
    // Re-runs the current query (after the database changed). Ends with windowLoaded(); nothing
    // before start().
    void refresh();

Q_SIGNALS:
    void loadingChanged(bool loading);
    void errorOccurred(const rk::Error &error);
    // The current query's row count is known (emitted with every first screen).
    void rowCountKnown(int rows);
    // The first screen of rows of the current query (or refresh) is loaded.
    void windowLoaded();
    // Every row's id is known and every row is shown (see isOrderingComplete()).
    void orderingComplete();

protected:
    void allRowsAnnounced() override;

private:
    using CachedPage = PageCache<UsersPagePtr>::Entry;

    void startQuery(bool refresh);
    void setLoading(bool loading);
    void releaseOnLoader(std::vector<UsersPagePtr> pages, UsersOrderingPtr ordering);
    void requestPage(int page) const;
    void insertPage(const UsersPagePtr &page, bool emitChanged);
    const CachedPage *cachedPageOf(int row) const;
    const UsersPage::Row *loadedRow(int row) const;
    QVariant placeholder(int row, int role) const;

    void onFirstScreen(quint64 generation, int rows, const rk::UsersPagePtr &page, bool refresh);
    void onPageReady(const rk::UsersPagePtr &page);
    void onOrderingReady(quint64 generation, const rk::UsersOrderingPtr &ordering);
    void onPagesDropped(quint64 generation, const QList<int> &pages);
    void onFailed(quint64 generation, const rk::Error &error);

    Options m_options;
    UsersQuery m_query; // the latest query asked for
    UsersQuery m_shownQuery; // the query whose rows are shown
    std::shared_ptr<UsersRequestQueue> m_queue;
    QThread *m_thread = nullptr;
    UsersLoader *m_loader = nullptr; // lives in m_thread; deleted when it finishes

    quint64 m_generation = 0; // the latest query asked for
    quint64 m_shownGeneration = 0; // the query whose rows are shown
    bool m_loading = false;
    bool m_started = false;
    UsersOrderingPtr m_ordering;
    // The cache is touched (LRU stamps, requests) from const data(): views only read through it.
    mutable PageCache<UsersPagePtr> m_pages;
};

} // namespace rk
