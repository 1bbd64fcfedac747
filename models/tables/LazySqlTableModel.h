#pragma once

#include "ChunkedRowsModel.h"
#include "PageCache.h"
#include "TableQuery.h"
#include "TableRowsPage.h"
#include "TableSpec.h"
#include "core/HostTime.h"
#include "core/Result.h"
#include "store/SqliteDatabase.h"

#include <QHash>
#include <QSet>

#include <functional>
#include <memory>

class QThread;

namespace rk {

class TableLoader;
class TableRequestQueue;

// A lazy, sortable, filterable table over one SQL table (with joins) of an SQLite file, for
// millions of rows (DB Browser's RowCache/RowLoader design, in SQL):
// - totalRowCount() is the number of rows of the current query, and views learn them a chunk
//   per event-loop turn (rowCount(), see ChunkedRowsModel); only the pages a view asks for are
//   loaded (pageSize rows each, at most maxCachedPages kept, least recently used dropped);
// - data() never waits: rows not loaded show a placeholder ("…", LoadedRole false) and arrive
//   later with dataChanged(). Every statement runs on the model's worker thread over its own
//   read-only connection; the model never writes, and sets no pragma stored in the file;
// - sorting and filtering happen in SQL; every query has a generation number and answers to an
//   older one are dropped. The first screen comes from a LIMIT query; then the worker reads the
//   complete ordered id list once (8 bytes a row) and pages are read by id, so deep positions
//   cost no OFFSET. Until that list is known, rows beyond the first screen are placeholders.
//
// A new sort, filter or extra condition resets the model once, when its first screen is ready
// (the old rows stay up until then, loadingChanged(true) meanwhile). refresh() re-runs the query:
// the rows update in place (dataChanged), and a changed count grows or shrinks the table at its
// end; rowOf()/rowsOf() find previously selected ids again. All methods are for the model's thread.
class LazySqlTableModel : public ChunkedRowsModel
{
    Q_OBJECT

public:
    enum ItemRole {
        IdRole = Qt::UserRole + 1, // qint64 row id (also for rows not loaded, once the ordering is known)
        RawValueRole, // the column's sort value (text, integer, ...); invalid for NULL
        LoadedRole, // bool: false while the row shows a placeholder
        FirstSubclassRole = Qt::UserRole + 16, // subclasses number their roles from here
    };
    Q_ENUM(ItemRole)

    struct Options
    {
        int busyTimeoutMs = SqliteDatabase::kDefaultBusyTimeoutMs;
        int pageSize = 256;
        int maxCachedPages = 64;
        int firstScreenRows = 512; // rows known in order before the complete ordering
        int orderAtOnceRows = 50000; // results up to this size are ordered with the first screen
        int cacheSizeKiB = 8192; // the worker connection's SQLite page cache
        // "Now" for the `:now` parameter of each query (a controllable clock for tests).
        std::function<hosttime::Instant()> clock;
        // Read nothing until start(): a page not shown yet costs no query (sort, filter and
        // refresh calls meanwhile only shape the query that start() runs).
        bool deferred = false;
        // Rows announced to views per event-loop turn (see ChunkedRowsModel).
        int chunkRows = ChunkedRowsModel::kDefaultChunkRows;
    };

    // Opens `databasePath` read-only on the worker thread and starts loading at once (unless
    // Options::deferred); failures (missing, locked, not a database, a table the spec names is
    // absent) arrive as errorOccurred().
    LazySqlTableModel(const QString &databasePath, std::shared_ptr<const TableSpec> spec,
        const Options &options, QObject *parent = nullptr);
    ~LazySqlTableModel() override;

    const TableSpec &spec() const { return *m_spec; }

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    // Sorts in SQL; column -1 is id order. Ends with windowLoaded().
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // Case-insensitive (ASCII, as SQLite's LIKE) substring of any searchable column; % and _ are
    // literal. Ends with windowLoaded().
    void setFilterText(const QString &text);
    QString filterText() const { return m_query.filterText; }
    // An extra SQL condition with anonymous `?` parameters (e.g. "s.user_id = ?", {42}); an empty
    // condition removes it. Ends with windowLoaded().
    void setExtraCondition(const QString &condition, const QVariantList &parameters = {});
    int sortColumn() const { return m_query.sortColumn; }
    Qt::SortOrder sortOrder() const { return m_query.descending ? Qt::DescendingOrder : Qt::AscendingOrder; }
    bool isLoading() const { return m_loading; }
    bool isStarted() const { return m_started; }
    // True once every row's id is known and every row is shown (idAt/rowOf answer for rows not
    // loaded).
    bool isOrderingComplete() const { return m_ordering != nullptr && areAllRowsShown(); }

    // The id of `row`; -1 when not known yet.
    qint64 idAt(int row) const;
    // The row showing `id`, or -1 when the model does not know it (yet).
    int rowOf(qint64 id) const;
    // rowOf() for many ids at once (one pass), e.g. to restore a selection after a refresh; -1
    // for the ids not found.
    QList<int> rowsOf(const QList<qint64> &ids) const;
    bool isRowLoaded(int row) const { return loadedRow(row) != nullptr; }
    // The raw values of a loaded row: one per column (its select expression), then the spec's
    // fields. Empty when the row is not loaded (or was deleted meanwhile).
    QVariantList rowValues(int row) const;

public Q_SLOTS:
    // Runs the first query of a deferred model (nothing once started). Ends with windowLoaded().
    void start();
    // Re-runs the current query (after the database changed, or to move "now" on). Ends with
    // windowLoaded(); nothing before start().
    void refresh();

Q_SIGNALS:
    void loadingChanged(bool loading);
    void errorOccurred(const rk::Error &error);
    // The first screen of the current query (or refresh) is loaded; totalRowCount() is its count,
    // and rowCount() at least the first chunk of it.
    void windowLoaded();
    // Every row's id is known and every row is shown (see isOrderingComplete()).
    void orderingComplete();

protected:
    void allRowsAnnounced() override;
    // The values of a loaded, existing row for `role` (not IdRole/LoadedRole). The base class
    // answers DisplayRole (by the column's kind), RawValueRole and TextAlignmentRole; subclasses
    // override it for their own roles and formats and call it for the rest.
    virtual QVariant loadedData(const TableRow &row, int column, int role) const;
    // The loaded row at `row`, or nullptr (not loaded, or deleted meanwhile).
    const TableRow *loadedRow(int row) const;
    // Field `k` of the spec (TableSpec::fields) of a loaded row.
    QVariant fieldValue(const TableRow &row, int k) const;
    // The sort value (RawValueRole) of `column` of a loaded row.
    QVariant sortValue(const TableRow &row, int column) const;

private:
    using CachedPage = PageCache<TableRowsPagePtr>::Entry;

    void startQuery(bool refresh);
    void setLoading(bool loading);
    void requestPage(int page) const;
    void insertPage(const TableRowsPagePtr &page, bool emitChanged);
    const CachedPage *cachedPageOf(int row) const;
    QVariant placeholder(int row, int role) const;

    void onFirstScreen(quint64 generation, int rows, const rk::TableRowsPageList &pages, bool refresh);
    void onPageReady(const rk::TableRowsPagePtr &page);
    void onOrderingReady(quint64 generation, const rk::TableOrderingPtr &ordering);
    void onPagesDropped(quint64 generation, const QList<int> &pages);
    void onFailed(quint64 generation, const rk::Error &error);

    std::shared_ptr<const TableSpec> m_spec;
    Options m_options;
    std::vector<int> m_sortValueIndex; // per column: where RawValueRole's value is in a row
    TableQuery m_query; // the latest query asked for
    TableQuery m_shownQuery; // the query whose rows are shown
    std::shared_ptr<TableRequestQueue> m_queue;
    QThread *m_thread = nullptr;
    TableLoader *m_loader = nullptr; // lives in m_thread; deleted when it finishes

    quint64 m_generation = 0; // the latest query asked for
    quint64 m_shownGeneration = 0; // the query whose rows are shown
    bool m_loading = false;
    bool m_started = false;
    TableOrderingPtr m_ordering;
    // The cache is touched (LRU stamps, requests) from const data(): views only read through it.
    mutable PageCache<TableRowsPagePtr> m_pages;
};

} // namespace rk
