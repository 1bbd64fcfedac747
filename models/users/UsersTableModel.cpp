#include "UsersTableModel.h"

#include "UsersLoader.h"
#include "UsersLogging.h"
#include "UsersRequestQueue.h"

#include <QThread>

#include <algorithm>

namespace rk {

namespace {
// Stale pages re-requested right away after an in-place refresh: the ones used last are the
// ones on screen. Older stale pages reload when a view reads them again.
constexpr int kRefetchAfterRefresh = 4;
} // namespace

UsersTableModel::UsersTableModel(const QString &databasePath, QObject *parent)
    : UsersTableModel(databasePath, Options {}, parent)
{
}

UsersTableModel::UsersTableModel(const QString &databasePath, const Options &options, QObject *parent)
    : ChunkedRowsModel(parent), m_options(options), m_pages(qMax(4, options.maxCachedPages))
{
    setChunkRows(m_options.chunkRows);
    qRegisterMetaType<rk::UsersPagePtr>("rk::UsersPagePtr");
    qRegisterMetaType<rk::UsersOrderingPtr>("rk::UsersOrderingPtr");
    qRegisterMetaType<rk::Error>("rk::Error");
    m_options.pageSize = qMax(16, m_options.pageSize);

    m_queue = std::make_shared<UsersRequestQueue>();
    UsersLoader::Settings settings;
    settings.path = databasePath;
    settings.busyTimeoutMs = m_options.busyTimeoutMs;
    settings.pageSize = m_options.pageSize;
    settings.firstScreenRows = 2 * m_options.pageSize;
    settings.scanThreads
        = m_options.scanThreads > 0 ? m_options.scanThreads : qMin(4, QThread::idealThreadCount());
    m_loader = new UsersLoader(settings, m_queue);

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("UsersLoader"));
    m_loader->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_loader, &QObject::deleteLater);
    connect(m_loader, &UsersLoader::firstScreenReady, this, &UsersTableModel::onFirstScreen);
    connect(m_loader, &UsersLoader::pageReady, this, &UsersTableModel::onPageReady);
    connect(m_loader, &UsersLoader::orderingReady, this, &UsersTableModel::onOrderingReady);
    connect(m_loader, &UsersLoader::pagesDropped, this, &UsersTableModel::onPagesDropped);
    connect(m_loader, &UsersLoader::failed, this, &UsersTableModel::onFailed);
    m_thread->start();
    if (!m_options.deferred)
        start();
}

UsersTableModel::~UsersTableModel()
{
    // Abandon whatever runs (a scan is interrupted mid-statement), then let the thread end; the
    // loader is deleted on its own thread as the thread finishes.
    m_loader->stop();
    m_thread->quit();
    m_thread->wait();
}

int UsersTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QHash<int, QByteArray> UsersTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, QByteArrayLiteral("userId"));
    names.insert(RawValueRole, QByteArrayLiteral("rawValue"));
    names.insert(LoadedRole, QByteArrayLiteral("loaded"));
    names.insert(ActiveRole, QByteArrayLiteral("active"));
    return names;
}

QVariant UsersTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        // The host keeps no sign-in log: say where the two session columns come from.
        if (section == LastSignIn)
            return tr("When the user's newest session was created (the host records no sign-ins as such)");
        if (section == ActiveSessions)
            return tr("Sessions that have not expired yet");
        return {};
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Username: return tr("Username");
    case DisplayName: return tr("Display name");
    case Role: return tr("Role");
    case Groups: return tr("Groups");
    case Created: return tr("Created");
    case LastSignIn: return tr("Last sign-in");
    case ActiveSessions: return tr("Active sessions");
    case Status: return tr("Status");
    default: return {};
    }
}

const UsersTableModel::CachedPage *UsersTableModel::cachedPageOf(int row) const
{
    return m_pages.find(row / m_options.pageSize);
}

const UsersPage::Row *UsersTableModel::loadedRow(int row) const
{
    const CachedPage *cached = cachedPageOf(row);
    return cached ? cached->rowAt(row) : nullptr;
}

QVariant UsersTableModel::placeholder(int row, int role) const
{
    switch (role) {
    case Qt::DisplayRole: return QStringLiteral("…");
    case LoadedRole: return false;
    case IdRole: {
        const qint64 id = userIdAt(row);
        return id >= 0 ? QVariant(id) : QVariant();
    }
    default: return {};
    }
}

QVariant UsersTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const int row = index.row();
    const int pageIndex = row / m_options.pageSize;
    const CachedPage *cached = m_pages.use(pageIndex);
    if (!cached || cached->stale)
        requestPage(pageIndex); // non-blocking: the rows arrive later with dataChanged()
    const UsersPage::Row *found = cached ? cached->rowAt(row) : nullptr;
    if (!found)
        return placeholder(row, role);
    const UsersPage::Row &r = *found;
    const UserRecord &u = r.record;
    switch (role) {
    case LoadedRole: return true;
    case IdRole: return u.id;
    case ActiveRole: return r.missing ? QVariant() : QVariant(u.active);
    default: break;
    }
    if (r.missing)
        return {}; // deleted meanwhile; the next refresh drops the row
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Username: return u.username;
        case DisplayName: return u.displayName;
        case Role: return u.role;
        case Groups: return u.groups.join(QStringLiteral(", "));
        case Created: return r.created.isValid() ? QVariant(r.created) : QVariant(u.createdAt);
        case LastSignIn:
            if (u.lastSignIn.isNull())
                return tr("never");
            return r.lastSignIn.isValid() ? QVariant(r.lastSignIn) : QVariant(u.lastSignIn);
        case ActiveSessions: return u.activeSessions;
        case Status: return u.active ? tr("Active") : tr("Suspended");
        default: return {};
        }
    }
    if (role == RawValueRole) {
        auto text = [](const QString &s) { return s.isNull() ? QVariant() : QVariant(s); };
        switch (index.column()) {
        case Username: return u.username;
        case DisplayName: return text(u.displayName);
        case Role: return u.role;
        case Groups: return u.groups.join(QStringLiteral(", "));
        case Created: return u.createdAt;
        case LastSignIn: return text(u.lastSignIn);
        case ActiveSessions: return u.activeSessions;
        case Status: return u.active;
        default: return {};
        }
    }
    return {};
}

void UsersTableModel::sort(int column, Qt::SortOrder order)
{
    const int c = column >= 0 && column < ColumnCount ? column : UsersQuery::NoColumn;
    const bool descending = c != UsersQuery::NoColumn && order == Qt::DescendingOrder;
    if (c == m_query.sortColumn && descending == m_query.descending)
        return;
    m_query.sortColumn = c;
    m_query.descending = descending;
    startQuery(false);
}

void UsersTableModel::setFilterText(const QString &text)
{
    if (text == m_query.filterText)
        return;
    m_query.filterText = text;
    startQuery(false);
}

void UsersTableModel::start()
{
    if (m_started)
        return;
    m_started = true;
    startQuery(false);
}

void UsersTableModel::refresh()
{
    startQuery(true);
}

void UsersTableModel::startQuery(bool refresh)
{
    if (!m_started)
        return; // start() runs the query as it is shaped by then
    ++m_generation;
    m_queue->setQuery({m_generation, m_query, refresh});
    m_loader->interrupt(); // the running scan or fetch belongs to an older query now
    m_loader->schedule();
    setLoading(true);
}

void UsersTableModel::releaseOnLoader(std::vector<UsersPagePtr> pages, UsersOrderingPtr ordering)
{
    // Freeing 64 pages of rows (~160k strings) or unmapping an 8 MB ordering takes milliseconds:
    // hand the last references to the loader thread, which drops them when it gets to the call.
    if (pages.empty() && !ordering)
        return;
    QMetaObject::invokeMethod(
        m_loader,
        [pages = std::move(pages), ordering = std::move(ordering)]() mutable {
            pages.clear();
            ordering.reset();
        },
        Qt::QueuedConnection);
}

void UsersTableModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

void UsersTableModel::requestPage(int page) const
{
    // While a newer query is on its way the shown rows are about to go: do not load them.
    if (m_shownGeneration != m_generation || !m_pages.request(page))
        return;
    const QList<int> dropped = m_queue->requestPage(m_generation, page);
    for (int p : dropped)
        m_pages.answered(p);
    m_loader->schedule();
}

void UsersTableModel::insertPage(const UsersPagePtr &page, bool emitChanged)
{
    m_pages.insert(page);
    if (emitChanged && !page->rows.empty()) {
        const int last = qMin(rowCount() - 1, page->firstRow + int(page->rows.size()) - 1);
        if (last >= page->firstRow)
            Q_EMIT dataChanged(index(page->firstRow, 0), index(last, ColumnCount - 1));
    }
}

void UsersTableModel::onFirstScreen(quint64 generation, int rows, const UsersPagePtr &page, bool refresh)
{
    if (generation != m_generation)
        return; // an answer to a query that was replaced meanwhile
    m_pages.forgetRequests();
    // In place only for the query already shown (a refresh right after a new filter is a new
    // row set, even with the same count).
    if (refresh && m_shownGeneration != 0 && m_shownQuery == m_query) {
        // Update in place, so views keep their selection and scroll position. Old rows stay up
        // (marked stale) until their new version arrives; the old ordering goes, as rows may
        // have moved (the new one follows with orderingComplete()). A changed count (the host
        // added or ended a session) grows or shrinks the table at its end instead of a reset: a
        // reset costs every view O(rows) on the GUI thread (QHeaderView keeps an item per row,
        // about 100 ms at two million rows), a change at the end only the difference.
        m_shownGeneration = generation;
        releaseOnLoader({}, std::move(m_ordering));
        resizeRows(rows);
        const std::vector<int> refetch = m_pages.markStale(kRefetchAfterRefresh, {page->index});
        insertPage(page, true);
        for (int stale : refetch)
            requestPage(stale);
    } else {
        beginResetModel();
        releaseOnLoader(m_pages.takeAll(), std::move(m_ordering));
        clearRows();
        m_shownGeneration = generation;
        m_shownQuery = m_query;
        insertPage(page, false);
        endResetModel();
        // Reset to none, then insert the rows a chunk per event-loop turn: a view's row header
        // is rebuilt from an insert about five times faster than from a reset, and from chunks
        // without a long step (see LazySqlTableModel::onFirstScreen(), ChunkedRowsModel).
        showRows(rows);
    }
    setLoading(false);
    Q_EMIT rowCountKnown(rows);
    Q_EMIT windowLoaded();
}

void UsersTableModel::onPageReady(const UsersPagePtr &page)
{
    if (page->generation != m_shownGeneration)
        return;
    m_pages.answered(page->index);
    insertPage(page, true);
}

void UsersTableModel::onOrderingReady(quint64 generation, const UsersOrderingPtr &ordering)
{
    if (generation != m_shownGeneration)
        return;
    releaseOnLoader({}, std::exchange(m_ordering, ordering));
    if (areAllRowsShown())
        Q_EMIT orderingComplete();
    // else allRowsAnnounced() tells, with the last chunk of rows
}

void UsersTableModel::allRowsAnnounced()
{
    if (m_ordering)
        Q_EMIT orderingComplete();
}

void UsersTableModel::onPagesDropped(quint64 generation, const QList<int> &pages)
{
    if (generation != m_shownGeneration)
        return;
    for (int p : pages)
        m_pages.answered(p);
}

void UsersTableModel::onFailed(quint64 generation, const Error &error)
{
    if (generation != m_generation)
        return;
    qCWarning(lcUsersModel) << "users table:" << error.message;
    setLoading(false);
    Q_EMIT errorOccurred(error);
}

qint64 UsersTableModel::userIdAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return -1;
    // A fresh page first, then the current ordering; a page from before a refresh last.
    const CachedPage *cached = cachedPageOf(row);
    const UsersPage::Row *r = loadedRow(row);
    if (r && !cached->stale)
        return r->record.id;
    if (m_ordering && row < qsizetype(m_ordering->size()))
        return (*m_ordering)[size_t(row)];
    return r ? r->record.id : -1;
}

int UsersTableModel::rowOf(qint64 id) const
{
    int staleMatch = -1;
    const auto &entries = m_pages.entries();
    for (auto it = entries.cbegin(); it != entries.cend(); ++it) {
        const auto &rows = it->page->rows;
        for (size_t i = 0; i < rows.size(); ++i) {
            if (rows[i].record.id != id || rows[i].missing)
                continue;
            const int row = it->page->firstRow + int(i);
            if (row >= rowCount())
                continue;
            if (!it->stale)
                return row;
            staleMatch = row;
        }
    }
    if (m_ordering) {
        // A linear pass over 8 bytes per row (~1 ms for a million): fine for restoring a
        // selection, and cheaper in memory than a reverse index.
        const auto found = std::find(m_ordering->begin(), m_ordering->end(), id);
        if (found != m_ordering->end() && found - m_ordering->begin() < rowCount())
            return int(found - m_ordering->begin());
        return -1;
    }
    return staleMatch;
}

std::vector<qint64> UsersTableModel::userIdsInOrder() const
{
    const int rows = rowCount();
    if (isOrderingComplete() && m_ordering->size() >= size_t(rows))
        return std::vector<qint64>(m_ordering->begin(), m_ordering->begin() + rows);
    std::vector<qint64> ids;
    ids.reserve(size_t(rows));
    for (int row = 0; row < rows; ++row) {
        if (const qint64 id = userIdAt(row); id >= 0)
            ids.push_back(id);
    }
    return ids;
}

std::optional<UserRecord> UsersTableModel::userAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return std::nullopt;
    const UsersPage::Row *r = loadedRow(row);
    if (!r || r->missing)
        return std::nullopt;
    return r->record;
}

} // namespace rk
