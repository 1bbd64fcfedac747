#include "LazySqlTableModel.h"

#include "TableLoader.h"
#include "TableRequestQueue.h"
#include "TableSqlBuilder.h"
#include "TablesLogging.h"

#include <QThread>

#include <algorithm>

namespace rk {

namespace {
// Stale pages re-requested right away after an in-place refresh: the ones used last are the
// ones on screen. Older stale pages reload when a view reads them again.
constexpr int kRefetchAfterRefresh = 4;
} // namespace

LazySqlTableModel::LazySqlTableModel(const QString &databasePath, std::shared_ptr<const TableSpec> spec,
    const Options &options, QObject *parent)
    : ChunkedRowsModel(parent),
      m_spec(std::move(spec)),
      m_options(options),
      m_pages(qMax(4, options.maxCachedPages))
{
    setChunkRows(m_options.chunkRows);
    qRegisterMetaType<rk::TableRowsPagePtr>("rk::TableRowsPagePtr");
    qRegisterMetaType<rk::TableRowsPageList>("rk::TableRowsPageList");
    qRegisterMetaType<rk::TableOrderingPtr>("rk::TableOrderingPtr");
    qRegisterMetaType<rk::Error>("rk::Error");
    m_options.pageSize = qMax(16, m_options.pageSize);
    m_options.firstScreenRows = qMax(m_options.pageSize, m_options.firstScreenRows);
    if (!m_options.clock)
        m_options.clock = &hosttime::Instant::now;

    const TableSqlBuilder builder(m_spec);
    for (int c = 0; c < m_spec->columnCount(); ++c)
        m_sortValueIndex.push_back(builder.sortValueIndex(c));
    m_query.sortColumn = m_spec->defaultSortColumn;
    m_query.descending = m_spec->defaultSortOrder == Qt::DescendingOrder;

    // Enough page requests in flight for a tall view over small pages.
    m_queue = std::make_shared<TableRequestQueue>(qMax(8, 2048 / m_options.pageSize));
    TableLoader::Settings settings;
    settings.path = databasePath;
    settings.busyTimeoutMs = m_options.busyTimeoutMs;
    settings.pageSize = m_options.pageSize;
    settings.firstScreenRows = m_options.firstScreenRows;
    settings.orderAtOnceRows = m_options.orderAtOnceRows;
    settings.cacheSizeKiB = m_options.cacheSizeKiB;
    m_loader = new TableLoader(settings, m_spec, m_queue);

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("TableLoader:") + m_spec->name);
    m_loader->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_loader, &QObject::deleteLater);
    connect(m_loader, &TableLoader::firstScreenReady, this, &LazySqlTableModel::onFirstScreen);
    connect(m_loader, &TableLoader::pageReady, this, &LazySqlTableModel::onPageReady);
    connect(m_loader, &TableLoader::orderingReady, this, &LazySqlTableModel::onOrderingReady);
    connect(m_loader, &TableLoader::pagesDropped, this, &LazySqlTableModel::onPagesDropped);
    connect(m_loader, &TableLoader::failed, this, &LazySqlTableModel::onFailed);
    m_thread->start();
    if (!m_options.deferred)
        start();
}

LazySqlTableModel::~LazySqlTableModel()
{
    // Abandon whatever runs (a statement is interrupted), then let the thread end; the loader is
    // deleted on its own thread as the thread finishes.
    m_loader->stop();
    m_thread->quit();
    m_thread->wait();
}

int LazySqlTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_spec->columnCount();
}

QHash<int, QByteArray> LazySqlTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, QByteArrayLiteral("id"));
    names.insert(RawValueRole, QByteArrayLiteral("rawValue"));
    names.insert(LoadedRole, QByteArrayLiteral("loaded"));
    return names;
}

QVariant LazySqlTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_spec->columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    const TableColumn &column = m_spec->columns.at(section);
    switch (role) {
    case Qt::DisplayRole: return column.title;
    case Qt::ToolTipRole: return column.toolTip.isEmpty() ? QVariant() : QVariant(column.toolTip);
    default: return {};
    }
}

const LazySqlTableModel::CachedPage *LazySqlTableModel::cachedPageOf(int row) const
{
    return m_pages.find(row / m_options.pageSize);
}

const TableRow *LazySqlTableModel::loadedRow(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    const CachedPage *cached = cachedPageOf(row);
    const TableRow *r = cached ? cached->rowAt(row) : nullptr;
    return r && !r->missing ? r : nullptr;
}

QVariant LazySqlTableModel::fieldValue(const TableRow &row, int k) const
{
    const size_t i = size_t(m_spec->fieldIndex(k));
    return i < row.values.size() ? row.values[i] : QVariant();
}

QVariant LazySqlTableModel::sortValue(const TableRow &row, int column) const
{
    const size_t i = size_t(m_sortValueIndex[size_t(column)]);
    return i < row.values.size() ? row.values[i] : QVariant();
}

QVariant LazySqlTableModel::placeholder(int row, int role) const
{
    switch (role) {
    case Qt::DisplayRole: return QStringLiteral("…");
    case LoadedRole: return false;
    case IdRole: {
        const qint64 id = idAt(row);
        return id >= 0 ? QVariant(id) : QVariant();
    }
    default: return {};
    }
}

QVariant LazySqlTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= m_spec->columnCount())
        return {};
    const int row = index.row();
    const int pageIndex = row / m_options.pageSize;
    const CachedPage *cached = m_pages.use(pageIndex);
    if (!cached || cached->stale)
        requestPage(pageIndex); // non-blocking: the rows arrive later with dataChanged()
    const TableRow *found = cached ? cached->rowAt(row) : nullptr;
    if (!found)
        return placeholder(row, role);
    const TableRow &r = *found;
    switch (role) {
    case LoadedRole: return true;
    case IdRole: return r.id;
    default: break;
    }
    if (r.missing)
        return {}; // deleted meanwhile; the next refresh drops the row
    return loadedData(r, index.column(), role);
}

QVariant LazySqlTableModel::loadedData(const TableRow &row, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        return size_t(column) < row.display.size() ? row.display[size_t(column)] : QVariant();
    case RawValueRole: return sortValue(row, column);
    case Qt::TextAlignmentRole:
        if (m_spec->columns.at(column).kind == TableValueKind::Integer)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default: return {};
    }
}

void LazySqlTableModel::sort(int column, Qt::SortOrder order)
{
    const int c = column >= 0 && column < m_spec->columnCount() ? column : -1;
    const bool descending = order == Qt::DescendingOrder;
    if (c == m_query.sortColumn && descending == m_query.descending)
        return;
    m_query.sortColumn = c;
    m_query.descending = descending;
    startQuery(false);
}

void LazySqlTableModel::setFilterText(const QString &text)
{
    if (text == m_query.filterText)
        return;
    m_query.filterText = text;
    startQuery(false);
}

void LazySqlTableModel::setExtraCondition(const QString &condition, const QVariantList &parameters)
{
    const QVariantList params = condition.isEmpty() ? QVariantList() : parameters;
    if (condition == m_query.extraCondition && params == m_query.extraParameters)
        return;
    m_query.extraCondition = condition;
    m_query.extraParameters = params;
    startQuery(false);
}

void LazySqlTableModel::start()
{
    if (m_started)
        return;
    m_started = true;
    startQuery(false);
}

void LazySqlTableModel::refresh()
{
    startQuery(true);
}

void LazySqlTableModel::startQuery(bool refresh)
{
    if (!m_started)
        return; // start() runs the query as it is shaped by then
    ++m_generation;
    m_queue->setQuery({m_generation, m_query, hosttime::toDbText(m_options.clock()), refresh});
    m_loader->interrupt(); // the running statement belongs to an older query now
    m_loader->schedule();
    setLoading(true);
}

void LazySqlTableModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

void LazySqlTableModel::requestPage(int page) const
{
    // While a newer query is on its way the shown rows are about to go: do not load them.
    if (m_shownGeneration != m_generation || !m_pages.request(page))
        return;
    const QList<int> dropped = m_queue->requestPage(m_generation, page);
    for (int p : dropped)
        m_pages.answered(p);
    m_loader->schedule();
}

void LazySqlTableModel::insertPage(const TableRowsPagePtr &page, bool emitChanged)
{
    m_pages.insert(page);
    if (emitChanged && !page->rows.empty()) {
        const int last = qMin(rowCount() - 1, page->firstRow + int(page->rows.size()) - 1);
        if (last >= page->firstRow)
            Q_EMIT dataChanged(index(page->firstRow, 0), index(last, m_spec->columnCount() - 1));
    }
}

void LazySqlTableModel::onFirstScreen(
    quint64 generation, int rows, const TableRowsPageList &pages, bool refresh)
{
    if (generation != m_generation) {
        // An answer to a query replaced meanwhile.
        qCDebug(lcTables).nospace().noquote()
            << m_spec->name << ": dropped the first screen of stale generation " << generation << " (current "
            << m_generation << ")";
        return;
    }
    m_pages.forgetRequests();
    // In place only for the query already shown (a refresh right after a new filter is a new row
    // set, even with the same count).
    if (refresh && m_shownGeneration != 0 && m_shownQuery == m_query) {
        // Update in place, so views keep their selection and scroll position. Old rows stay up
        // (marked stale) until their new version arrives; the old ordering goes, as rows may
        // have moved (the new one follows with orderingComplete()). A changed count (the host
        // added or ended a session) grows or shrinks the table at its end instead of a reset: a
        // reset costs every view O(rows) on the GUI thread (QHeaderView keeps an item per row,
        // about 100 ms at two million rows), a change at the end only the difference.
        m_shownGeneration = generation;
        m_ordering.reset();
        resizeRows(rows);
        QSet<int> fresh;
        for (const TableRowsPagePtr &page : pages)
            fresh.insert(page->index);
        const std::vector<int> refetch = m_pages.markStale(kRefetchAfterRefresh, fresh);
        for (const TableRowsPagePtr &page : pages)
            insertPage(page, true);
        for (int page : refetch)
            requestPage(page);
    } else {
        beginResetModel();
        m_pages.takeAll();
        m_ordering.reset();
        clearRows();
        m_shownGeneration = generation;
        m_shownQuery = m_query;
        for (const TableRowsPagePtr &page : pages)
            insertPage(page, false);
        endResetModel();
        // A reset to zero rows, then the rows inserted a chunk per event-loop turn: views
        // rebuild their row header from an insert about five times faster than from a reset
        // (QHeaderView: 14 ms against 67 ms for two million rows), and from chunks without a
        // long step (see ChunkedRowsModel).
        showRows(rows);
    }
    setLoading(false);
    Q_EMIT windowLoaded();
}

void LazySqlTableModel::onPageReady(const TableRowsPagePtr &page)
{
    if (page->generation != m_shownGeneration)
        return;
    m_pages.answered(page->index);
    insertPage(page, true);
}

void LazySqlTableModel::onOrderingReady(quint64 generation, const TableOrderingPtr &ordering)
{
    if (generation != m_shownGeneration)
        return;
    m_ordering = ordering;
    if (areAllRowsShown())
        Q_EMIT orderingComplete();
    // else allRowsAnnounced() tells, with the last chunk of rows
}

void LazySqlTableModel::allRowsAnnounced()
{
    if (m_ordering)
        Q_EMIT orderingComplete();
}

void LazySqlTableModel::onPagesDropped(quint64 generation, const QList<int> &pages)
{
    if (generation != m_shownGeneration)
        return;
    for (int p : pages)
        m_pages.answered(p);
}

void LazySqlTableModel::onFailed(quint64 generation, const Error &error)
{
    if (generation != m_generation)
        return;
    qCWarning(lcTables).nospace().noquote() << m_spec->name << " table: " << error.message;
    setLoading(false);
    Q_EMIT errorOccurred(error);
}

qint64 LazySqlTableModel::idAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return -1;
    // A fresh page first, then the current ordering; a page from before a refresh last.
    const CachedPage *cached = cachedPageOf(row);
    const TableRow *r = cached ? cached->rowAt(row) : nullptr;
    if (r && !cached->stale)
        return r->id;
    if (m_ordering && size_t(row) < m_ordering->size())
        return (*m_ordering)[size_t(row)];
    return r ? r->id : -1;
}

int LazySqlTableModel::rowOf(qint64 id) const
{
    if (m_ordering) {
        // The common case (one selected row): a fresh page, else a plain scan of the ordering.
        const auto &entries = m_pages.entries();
        for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
            if (it->stale)
                continue;
            const auto &rows = it->page->rows;
            for (size_t i = 0; i < rows.size(); ++i) {
                if (rows[i].id == id && !rows[i].missing && it->page->firstRow + int(i) < rowCount())
                    return it->page->firstRow + int(i);
            }
        }
        const auto end = m_ordering->begin() + qMin<qsizetype>(qsizetype(m_ordering->size()), rowCount());
        const auto found = std::find(m_ordering->begin(), end, id);
        return found == end ? -1 : int(found - m_ordering->begin());
    }
    return rowsOf({id}).value(0, -1);
}

QList<int> LazySqlTableModel::rowsOf(const QList<qint64> &ids) const
{
    QList<int> rows(ids.size(), -1);
    QHash<qint64, qsizetype> wanted;
    wanted.reserve(ids.size());
    for (qsizetype i = 0; i < ids.size(); ++i)
        wanted.insert(ids.at(i), i);
    // Fresh pages, then the ordering (a linear pass over 8 bytes a row: ~2 ms for 2M rows, and
    // no reverse index to keep), then pages from before a refresh.
    auto scanPages = [&](bool stale) {
        const auto &entries = m_pages.entries();
        for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
            if (it->stale != stale)
                continue;
            const auto &pageRows = it->page->rows;
            for (size_t i = 0; i < pageRows.size(); ++i) {
                const auto found = wanted.constFind(pageRows[i].id);
                const int row = it->page->firstRow + int(i);
                if (found != wanted.constEnd() && !pageRows[i].missing && rows[*found] < 0
                    && row < rowCount())
                    rows[*found] = row;
            }
        }
    };
    scanPages(false);
    if (m_ordering) {
        const size_t n = qMin(m_ordering->size(), size_t(rowCount()));
        for (size_t r = 0; r < n; ++r) {
            const auto found = wanted.constFind((*m_ordering)[r]);
            if (found != wanted.constEnd() && rows[*found] < 0)
                rows[*found] = int(r);
        }
        return rows; // the ordering is complete: ids not in it are not shown
    }
    scanPages(true);
    return rows;
}

QVariantList LazySqlTableModel::rowValues(int row) const
{
    const TableRow *r = loadedRow(row);
    if (!r)
        return {};
    const int n = m_spec->columnCount() + int(m_spec->fields.size());
    QVariantList values;
    values.reserve(n);
    for (int i = 0; i < n && size_t(i) < r->values.size(); ++i)
        values.append(r->values[size_t(i)]);
    return values;
}

} // namespace rk
