#include "TableLoader.h"

#include "TablesLogging.h"

#include <QElapsedTimer>
#include <QMutexLocker>
#include <QThread>

#include <algorithm>
#include <limits>

#include <sqlite3.h>

namespace rk {

namespace {
Error cancelled()
{
    return Error::make(Error::Code::Cancelled, QString());
}
} // namespace

TableLoader::TableLoader(
    const Settings &settings, std::shared_ptr<const TableSpec> spec, std::shared_ptr<TableRequestQueue> queue)
    : m_settings(settings), m_builder(std::move(spec)), m_queue(std::move(queue))
{
}

TableLoader::~TableLoader()
{
    close();
}

void TableLoader::interrupt()
{
    QMutexLocker lock(&m_dbMutex);
    if (m_db)
        m_db->interrupt();
}

void TableLoader::stop()
{
    m_stopping.store(true);
    interrupt();
}

void TableLoader::schedule()
{
    if (!m_pumpQueued.exchange(true))
        QMetaObject::invokeMethod(this, &TableLoader::pump, Qt::QueuedConnection);
}

void TableLoader::close()
{
    m_rowsStmt.reset();
    QMutexLocker lock(&m_dbMutex);
    m_db.reset();
}

int TableLoader::onBusy(void *context, int attempt)
{
    // The connection's patience, but a query the user has already replaced (or a closing
    // model) stops waiting for the host's lock at once.
    constexpr int kSleepMs = 5;
    auto *self = static_cast<TableLoader *>(context);
    if (self->m_stopping.load() || self->m_queue->generation() != self->m_busyGeneration.load()
        || attempt * kSleepMs >= self->m_settings.busyTimeoutMs)
        return 0;
    QThread::msleep(kSleepMs);
    return 1;
}

Status TableLoader::ensureOpen()
{
    if (m_db)
        return {};
    auto db
        = SqliteDatabase::open(m_settings.path, SqliteDatabase::OpenMode::ReadOnly, m_settings.busyTimeoutMs);
    if (!db)
        return db.error();
    // Settings of this connection only: never journal_mode or anything stored in the file. No
    // mmap: mapped pages would count as this process's resident memory.
    const QString pragmas = QStringLiteral("PRAGMA query_only=1; PRAGMA mmap_size=0; PRAGMA cache_size=-%1")
                                .arg(qMax(1024, m_settings.cacheSizeKiB));
    if (auto st = (*db)->exec(pragmas); !st)
        return st.error();
    sqlite3_busy_handler((*db)->handle(), &TableLoader::onBusy, this);
    // The row statement is the same for every query: prepare it once (this also checks the
    // spec's tables and expressions against the file).
    auto rows = TableStatement::prepare(**db, m_builder.rowsSql(m_settings.pageSize));
    if (!rows)
        return rows.error();
    m_rowsStmt = std::move(rows).value();
    QMutexLocker lock(&m_dbMutex);
    m_db = std::move(db).value();
    return {};
}

QHash<QString, QVariant> TableLoader::namedParameters() const
{
    return {
        {QStringLiteral(":now"), m_active.now},
        {QStringLiteral(":rk_filter"), TableQuery::likePattern(m_active.query.filterText)},
        {QStringLiteral(":rk_limit"), m_settings.firstScreenRows},
    };
}

void TableLoader::pump()
{
    m_pumpQueued.store(false);
    if (m_stopping.load())
        return;
    const TableRequestQueue::QueryRequest request = m_queue->latestQuery();
    if (request.generation == 0)
        return; // nothing asked yet
    if (request.generation != m_active.generation) {
        runQuery(request);
        schedule();
        return;
    }
    if (!m_db || m_active.failed)
        return; // reported; the next query or refresh tries again

    if (const auto page = m_queue->peekNewest()) {
        const qint64 end = qint64(page->page + 1) * m_settings.pageSize;
        const bool inTop = qint64(m_active.top.size()) >= qMin(end, m_active.count);
        if (page->generation == m_active.generation && !inTop && !m_active.ordering) {
            completeOrdering(); // this page needs the complete ordering first
        } else {
            m_queue->takeNewest();
            servePage(*page);
        }
        schedule();
        return;
    }
    if (!m_active.ordering) {
        completeOrdering();
        schedule();
    }
}

void TableLoader::reportFailure(const Error &error)
{
    if (superseded())
        return; // the failure of a replaced query (it stopped waiting for a lock, say) is moot
    // The model logs it as a warning (once) when it reaches the UI thread.
    qCDebug(lcTables).nospace().noquote() << m_builder.spec().name << " table: " << error.message;
    m_active.failed = true;
    Q_EMIT failed(m_active.generation, error);
}

void TableLoader::runQuery(const TableRequestQueue::QueryRequest &request)
{
    m_active = Active {};
    m_active.generation = request.generation;
    m_active.query = request.query;
    m_active.now = request.now;
    m_busyGeneration.store(request.generation);
    if (auto st = ensureOpen(); !st) {
        close();
        reportFailure(st.error());
        return;
    }
    const Status st = runQueryBody(request.refresh);
    if (st || superseded())
        return; // done, or replaced by a newer query (the next pump starts that one)
    if (st.error().code == Error::Code::Cancelled) {
        // An interrupt meant for the previous query arrived late: run this one again.
        m_active.generation = 0;
        return;
    }
    reportFailure(st.error());
}

Result<qint64> TableLoader::count()
{
    auto st = TableStatement::prepare(*m_db, m_builder.countSql(m_active.query));
    if (!st)
        return st.error();
    if (auto bound = st->bindAll(m_builder.positionalParameters(m_active.query), namedParameters()); !bound)
        return bound.error();
    auto row = st->step();
    if (!row)
        return row.error();
    const qint64 n = *row ? st->int64(0) : 0;
    st->reset();
    return n;
}

Result<std::vector<qint64>> TableLoader::readIds(const QString &sql, qint64 expected)
{
    auto st = TableStatement::prepare(*m_db, sql);
    if (!st)
        return st.error();
    if (auto bound = st->bindAll(m_builder.positionalParameters(m_active.query), namedParameters()); !bound)
        return bound.error();
    std::vector<qint64> ids;
    ids.reserve(size_t(qMax<qint64>(0, expected)));
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        ids.push_back(st->int64(0));
        if ((ids.size() & 0xffff) == 0 && superseded()) {
            st->reset();
            return cancelled();
        }
    }
    return ids;
}

Status TableLoader::runQueryBody(bool refresh)
{
    QElapsedTimer timer;
    timer.start();
    const int firstRows = qMax(m_settings.pageSize, m_settings.firstScreenRows);
    TableRowsPageList pages;
    qint64 countMs = 0;
    // One read transaction: the count, the first rows and their values agree with each other.
    const Status st = m_db->readTransaction([&]() -> Status {
        auto n = count();
        if (!n)
            return n.error();
        m_active.count = *n;
        countMs = timer.elapsed();
        if (m_active.count <= qMax<qint64>(firstRows, m_settings.orderAtOnceRows)) {
            // Small enough to order completely now: one statement instead of two.
            auto ids = readIds(m_builder.orderSql(m_active.query, false), m_active.count);
            if (!ids)
                return ids.error();
            ids->resize(size_t(m_active.count), -1);
            m_active.top.assign(ids->begin(), ids->begin() + qMin<qint64>(firstRows, m_active.count));
            m_active.ordering = std::make_shared<const TableOrdering>(std::move(ids).value());
        } else {
            auto ids = readIds(m_builder.orderSql(m_active.query, true), firstRows);
            if (!ids)
                return ids.error();
            m_active.top = std::move(ids).value();
        }
        if (superseded())
            return cancelled();
        const qint64 shown = qMin<qint64>(m_active.count, qint64(m_active.top.size()));
        for (qint64 first = 0; first < shown; first += m_settings.pageSize) {
            const int rows = int(qMin<qint64>(m_settings.pageSize, shown - first));
            auto page = fetchPage(
                m_active.generation, int(first / m_settings.pageSize), m_active.top.data() + first, rows);
            if (!page)
                return page.error();
            pages.append(*page);
        }
        return {};
    });
    // readTransaction() ignores a failed COMMIT/ROLLBACK (an interrupt meant for a newer query
    // can land on it). A read transaction left open would keep a SHARED lock on the file and
    // block the host's writers, so make sure it ends.
    for (int attempt = 0; attempt < 3 && m_db->inTransaction(); ++attempt)
        (void)m_db->exec(QStringLiteral("ROLLBACK"));
    if (!st)
        return st;
    if (superseded())
        return cancelled();
    qCDebug(lcTables).nospace().noquote()
        << m_builder.spec().name << ": first screen of generation " << m_active.generation << " in "
        << timer.elapsed() << " ms (count " << countMs << " ms), " << m_active.count << " rows"
        << (m_active.ordering ? ", ordered" : "");
    const int rows = int(qMin<qint64>(m_active.count, std::numeric_limits<int>::max()));
    Q_EMIT firstScreenReady(m_active.generation, rows, pages, refresh);
    if (m_active.ordering)
        Q_EMIT orderingReady(m_active.generation, m_active.ordering);
    return {};
}

void TableLoader::completeOrdering()
{
    QElapsedTimer timer;
    timer.start();
    auto ids = readIds(m_builder.orderSql(m_active.query, false), m_active.count);
    if (!ids) {
        if (ids.error().code != Error::Code::Cancelled)
            reportFailure(ids.error());
        return; // cancelled: superseded (the next pump starts the new query) or a late interrupt (retried)
    }
    if (qint64(ids->size()) != m_active.count) {
        // Committed meanwhile by another program: keep the row count the model has (every
        // later position would shift otherwise); the next refresh picks the change up.
        qCDebug(lcTables).nospace().noquote()
            << m_builder.spec().name << ": " << ids->size() << " ids for a count of " << m_active.count
            << "; kept the count until the next refresh";
        ids->resize(size_t(m_active.count), -1);
    }
    m_active.ordering = std::make_shared<const TableOrdering>(std::move(ids).value());
    qCDebug(lcTables).nospace().noquote() << m_builder.spec().name << ": ordering of generation "
                                          << m_active.generation << " in " << timer.elapsed() << " ms";
    Q_EMIT orderingReady(m_active.generation, m_active.ordering);
}

void TableLoader::servePage(const TableRequestQueue::PageRequest &request)
{
    if (request.generation != m_active.generation)
        return; // for a superseded query
    const qint64 first = qint64(request.page) * m_settings.pageSize;
    if (request.page < 0 || first >= m_active.count)
        return;
    const std::vector<qint64> &ids = m_active.ordering ? *m_active.ordering : m_active.top;
    const int rows = int(std::clamp<qint64>(qint64(ids.size()) - first, 0, m_settings.pageSize));
    auto page = fetchPage(request.generation, request.page, ids.data() + first, rows);
    if (page) {
        Q_EMIT pageReady(*page);
        return;
    }
    if (page.error().code != Error::Code::Cancelled) {
        reportFailure(page.error());
        return;
    }
    if (!superseded()) {
        // A late interrupt: ask again (and tell the model about anything that pushed out).
        const QList<int> dropped = m_queue->requestPage(request.generation, request.page);
        if (!dropped.isEmpty())
            Q_EMIT pagesDropped(request.generation, dropped);
    }
}

Result<TableRowsPagePtr> TableLoader::fetchPage(
    quint64 generation, int pageIndex, const qint64 *ids, int count)
{
    auto page = std::make_shared<TableRowsPage>();
    page->generation = generation;
    page->index = pageIndex;
    page->firstRow = pageIndex * m_settings.pageSize;
    page->rows.resize(size_t(qMax(0, count)));

    QVariantList idParams;
    idParams.reserve(m_settings.pageSize);
    QHash<qint64, int> position;
    position.reserve(count);
    for (int i = 0; i < m_settings.pageSize; ++i) {
        if (i < count) {
            idParams.append(QVariant::fromValue<qint64>(ids[i]));
            position.insert(ids[i], i);
            page->rows[size_t(i)].id = ids[i];
            page->rows[size_t(i)].missing = true; // until the statement returns it
        } else {
            idParams.append(QVariant()); // NULL matches nothing
        }
    }
    TableStatement &st = *m_rowsStmt;
    if (auto bound = st.bindAll(idParams, {{QStringLiteral(":now"), m_active.now}}); !bound)
        return bound.error();
    const TableSpec &spec = m_builder.spec();
    const int values = m_builder.rowValueCount();
    for (;;) {
        auto more = st.step();
        if (!more)
            return more.error();
        if (!*more)
            break;
        const auto it = position.constFind(st.int64(0));
        if (it == position.constEnd())
            continue;
        TableRow &row = page->rows[size_t(*it)];
        row.missing = false;
        row.values.resize(size_t(values));
        for (int v = 0; v < values; ++v)
            row.values[size_t(v)] = st.value(v + 1);
        row.display.resize(size_t(spec.columnCount()));
        for (int c = 0; c < spec.columnCount(); ++c) {
            const QVariant &raw = row.values[size_t(c)];
            switch (spec.columns.at(c).kind) {
            case TableValueKind::HostDateTime:
                row.display[size_t(c)]
                    = raw.isValid() ? QVariant(m_parser.parse(raw.toString())) : QVariant();
                if (raw.isValid() && !row.display[size_t(c)].toDateTime().isValid())
                    row.display[size_t(c)] = raw; // malformed: show the text as stored
                break;
            case TableValueKind::Bool:
                row.display[size_t(c)] = raw.isValid() ? QVariant(raw.toLongLong() != 0) : QVariant();
                break;
            default: row.display[size_t(c)] = raw; break;
            }
        }
    }
    return TableRowsPagePtr(std::move(page));
}

} // namespace rk
