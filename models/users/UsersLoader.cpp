#include "UsersLoader.h"

#include "RawSqlStatement.h"
#include "UsersLogging.h"
#include "UsersScanner.h"
#include "UsersSorter.h"
#include "core/HostTime.h"
#include "store/PlatformSchema.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMutexLocker>
#include <QThread>
#include <QTimeZone>

#include <algorithm>

#include <sqlite3.h>

namespace rk {

namespace {
// Aggregates older than this are rebuilt on refresh even when nothing was committed, because
// "active" depends on the clock (sessions expire by themselves).
constexpr qint64 kAggregatesMaxAgeMs = 5 * 60 * 1000;

// The host's naive local datetime text as a QDateTime in the system time zone: the same instant
// as hosttime::toDateTime(), about ten times faster. Qt::LocalTime goes through mktime(), and
// glibc re-reads the zone file on every call when TZ is unset (~5 us: 2.5 ms for a page).
QDateTime localDateTime(const QString &text, const QTimeZone &zone)
{
    auto digits = [&](qsizetype from, qsizetype count, int *out) {
        if (from + count > text.size())
            return false;
        int v = 0;
        for (qsizetype i = from; i < from + count; ++i) {
            const char16_t c = text.at(i).unicode();
            if (c < u'0' || c > u'9')
                return false;
            v = v * 10 + (c - u'0');
        }
        *out = v;
        return true;
    };
    int y, mo, d, h, mi, sec, frac = 0;
    const qsizetype n = text.size();
    if (n >= 19 && digits(0, 4, &y) && digits(5, 2, &mo) && digits(8, 2, &d) && digits(11, 2, &h)
        && digits(14, 2, &mi) && digits(17, 2, &sec)
        && (n == 19 || (n >= 21 && n <= 26 && text.at(19) == u'.' && digits(20, n - 20, &frac)))) {
        for (qsizetype i = n == 19 ? 6 : n - 20; i < 6; ++i)
            frac *= 10;
        const QDateTime dt(QDate(y, mo, d), QTime(h, mi, sec, frac / 1000), zone);
        if (dt.isValid())
            return dt;
    }
    return hosttime::toDateTime(text); // anything unusual: the reference parser decides
}

Result<qint64> scalarInt(SqliteDatabase &db, const QString &sql, qint64 fallback)
{
    auto v = db.scalar(sql);
    if (!v)
        return v.error();
    return v->isValid() ? v->toLongLong() : fallback;
}
} // namespace

UsersLoader::UsersLoader(const Settings &settings, std::shared_ptr<UsersRequestQueue> queue)
    : m_settings(settings), m_queue(std::move(queue))
{
    m_settings.scanThreads = qBound(1, m_settings.scanThreads, 4);
    m_pool.setMaxThreadCount(qMax(1, m_settings.scanThreads - 1));
    m_pool.setExpiryTimeout(-1); // keep the helper thread: scans come in bursts while typing
}

UsersLoader::~UsersLoader()
{
    interrupt();
    m_pool.waitForDone();
    closeAll();
}

void UsersLoader::stop()
{
    m_stopping.store(true);
    interrupt();
}

void UsersLoader::interrupt()
{
    QMutexLocker lock(&m_connectionsMutex);
    for (const auto &db : m_connections)
        db->interrupt();
}

void UsersLoader::schedule()
{
    if (!m_pumpQueued.exchange(true))
        QMetaObject::invokeMethod(this, &UsersLoader::pump, Qt::QueuedConnection);
}

void UsersLoader::closeAll()
{
    m_userStmt.reset();
    m_sessionsStmt.reset();
    m_groupsStmt.reset();
    QMutexLocker lock(&m_connectionsMutex);
    m_connections.clear();
}

Status UsersLoader::ensureOpen()
{
    if (!m_connections.empty())
        return {};
    std::vector<std::unique_ptr<SqliteDatabase>> opened;
    for (int i = 0; i < m_settings.scanThreads; ++i) {
        auto db = SqliteDatabase::open(
            m_settings.path, SqliteDatabase::OpenMode::ReadOnly, m_settings.busyTimeoutMs);
        if (!db)
            return db.error();
        // Per-connection settings only (never journal_mode or anything stored in the file).
        // No mmap: mapped pages would count as this process's resident memory. The first
        // connection serves pages and keeps index pages cached; the others only scan.
        const QString pragmas = i == 0 ? QStringLiteral("PRAGMA cache_size=-8192; PRAGMA mmap_size=0; "
                                                        "PRAGMA query_only=1")
                                       : QStringLiteral("PRAGMA cache_size=-2048; PRAGMA mmap_size=0; "
                                                        "PRAGMA query_only=1");
        if (auto st = (*db)->exec(pragmas); !st)
            return st.error();
        // Our own busy handler instead of the plain timeout: the same patience, but a query the
        // user has already replaced (or a closing model) stops waiting for a lock at once.
        sqlite3_busy_handler((*db)->handle(), &UsersLoader::onBusy, this);
        if (i == 0) {
            if (auto st = schema::verify(**db); !st)
                return st.error();
        }
        opened.push_back(std::move(db).value());
    }
    SqliteDatabase &db = *opened[0];
    // A page is read row by row by primary key; the derived columns of those rows come from the
    // host's own indexes (session_user_id, usergroup_user_id): a few lookups per row.
    auto user = db.prepare(QStringLiteral(
        "SELECT id, username, display_name, role, is_active, created_at FROM users WHERE id = ?1"));
    if (!user)
        return user.error();
    // Both session figures in one pass over the user's index range (each entry costs a table
    // lookup, so two correlated subqueries would pay that twice).
    auto sessions = db.prepare(QStringLiteral(
        "SELECT count(*) FILTER (WHERE expires_at > ?2), max(created_at) FROM sessions WHERE user_id = ?1"));
    if (!sessions)
        return sessions.error();
    auto groups = db.prepare(
        QStringLiteral("SELECT g.name FROM user_groups ug JOIN \"groups\" g ON g.id = ug.group_id "
                       "WHERE ug.user_id = ?1 ORDER BY g.name"));
    if (!groups)
        return groups.error();
    m_userStmt = std::move(user).value();
    m_sessionsStmt = std::move(sessions).value();
    m_groupsStmt = std::move(groups).value();
    QMutexLocker lock(&m_connectionsMutex);
    m_connections = std::move(opened);
    return {};
}

int UsersLoader::onBusy(void *context, int attempt)
{
    constexpr int kSleepMs = 5;
    auto *self = static_cast<UsersLoader *>(context);
    if (self->m_stopping.load() || self->m_queue->generation() != self->m_busyGeneration.load()
        || attempt * kSleepMs >= self->m_settings.busyTimeoutMs)
        return 0;
    QThread::msleep(kSleepMs);
    return 1;
}

void UsersLoader::pump()
{
    m_pumpQueued.store(false);
    if (m_stopping.load())
        return;
    const UsersRequestQueue::QueryRequest request = m_queue->latestQuery();
    if (request.generation == 0)
        return; // the model has not asked for anything yet
    if (request.generation != m_active.generation) {
        runQuery(request);
        schedule();
        return;
    }
    if (m_connections.empty() || m_active.failed)
        return; // reported; the next query or refresh tries again

    if (const auto page = m_queue->peekNewest()) {
        const qint64 end = qint64(page->page + 1) * m_settings.pageSize;
        const bool inTop = qint64(m_active.top.size()) >= qMin(end, m_active.count);
        if (page->generation == m_active.generation && !inTop && !m_active.ordering) {
            completeOrdering(); // the page needs the complete ordering first
        } else {
            m_queue->takeNewest();
            servePage(*page);
        }
        schedule();
        return;
    }
    if (m_active.sorter || m_active.needsIdScan) {
        completeOrdering();
        schedule();
        return;
    }
    if (wantsAggregates()) {
        // Locked or cancelled: try again later (another pump); anything else waits for a refresh.
        if (auto st = stepAggregates();
            !st && st.error().code != Error::Code::Cancelled && st.error().code != Error::Code::Locked) {
            qCWarning(lcUsersModel) << "building the per-user aggregates failed:" << st.error().message;
            m_aggregatesBroken = true;
            m_builder.abandon();
        }
        if (wantsAggregates())
            schedule();
    }
}

void UsersLoader::reportFailure(const Error &error)
{
    if (superseded())
        return; // the failure of a replaced query (e.g. it stopped waiting for a lock) is moot
    qCWarning(lcUsersModel) << "users query failed:" << error.message;
    m_active.failed = true;
    Q_EMIT failed(m_active.generation, error);
}

void UsersLoader::runQuery(const UsersRequestQueue::QueryRequest &request)
{
    m_active = Active {};
    m_active.generation = request.generation;
    m_busyGeneration.store(request.generation);
    m_active.query = request.query;
    if (auto st = ensureOpen(); !st) {
        closeAll();
        reportFailure(st.error());
        return;
    }
    const Status st = runQueryBody(request.refresh);
    if (st || superseded())
        return; // done, or replaced by a newer query (the next pump starts it)
    if (st.error().code == Error::Code::Cancelled) {
        // An interrupt meant for the previous query arrived late: run this one again.
        m_active.generation = 0;
        return;
    }
    reportFailure(st.error());
}

Status UsersLoader::runQueryBody(bool refresh)
{
    QElapsedTimer timer;
    timer.start();
    SqliteDatabase &db = *m_connections[0];
    const UsersQuery &query = m_active.query;
    auto cancelled = [this] { return superseded(); };

    if (refresh) {
        m_aggregatesBroken = false;
        // data_version changes when another connection (the host, PlatformStore) committed;
        // then a cheap fingerprint says whether sessions or memberships changed at all.
        const qint64 version = db.dataVersion();
        if (m_aggregates && version != m_aggregatesVersion) {
            auto fingerprint = UserAggregatesBuilder::fingerprintOf(db);
            if (!fingerprint)
                return fingerprint.error();
            if (*fingerprint != m_aggregates->fingerprint())
                m_aggregatesStale = true;
            m_aggregatesVersion = version;
        }
        if (m_aggregates
            && QDateTime::currentMSecsSinceEpoch() - m_aggregates->builtAtMsecs() > kAggregatesMaxAgeMs)
            m_aggregatesStale = true;
        if (m_aggregatesStale)
            m_builder.abandon();
    }
    if (query.keySource() == UsersQuery::KeySource::Derived
        && (!m_aggregates || (refresh && m_aggregatesStale))) {
        if (auto st = buildAggregatesNow(); !st)
            return st;
    }

    auto minId = scalarInt(db, QStringLiteral("SELECT min(id) FROM users"), 0);
    if (!minId)
        return minId.error();
    auto maxId = scalarInt(db, QStringLiteral("SELECT max(id) FROM users"), -1);
    if (!maxId)
        return maxId.error();

    qint64 scanMs = -1;
    const char *how = "index";
    const int firstRows = qMax(m_settings.pageSize, m_settings.firstScreenRows);
    const bool natural = !query.hasFilter() && query.keySource() == UsersQuery::KeySource::None;
    const bool byUsername = !query.hasFilter() && query.sortColumn == UsersQuery::Username;
    if (natural || byUsername) {
        // Orders an index already has: the rowid, and the unique user_username index (so no
        // ties, and no id tie-break needed). count(*) walks the smallest index (~7 ms for a
        // million rows), the first rows come straight from the index, and the complete ordering
        // follows in the background without any sort.
        const QString order = natural ? QStringLiteral("SELECT id FROM users ORDER BY id")
            : query.descending        ? QStringLiteral("SELECT id FROM users ORDER BY username DESC")
                                      : QStringLiteral("SELECT id FROM users ORDER BY username");
        // One snapshot for the count and the first rows.
        const Status read = db.readTransaction([&]() -> Status {
            auto count = scalarInt(db, QStringLiteral("SELECT count(*) FROM users"), 0);
            if (!count)
                return count.error();
            m_active.count = *count;
            auto first = db.prepare(order + QStringLiteral(" LIMIT ?1"));
            if (!first)
                return first.error();
            first->bind(1, firstRows);
            for (;;) {
                auto row = first->step();
                if (!row)
                    return row.error();
                if (!*row)
                    return {};
                m_active.top.push_back(first->int64(0));
            }
        });
        if (!read)
            return read.error();
        m_active.needsIdScan = true;
        m_active.indexOrderSql = natural ? QString() : order;
    } else {
        std::vector<SqliteDatabase *> connections;
        for (const auto &c : m_connections)
            connections.push_back(c.get());
        const qint64 version = db.dataVersion();
        const bool narrow = !refresh && query.hasFilter() && m_lastFilter
            && m_lastFilter->dataVersion == version
            && UsersQuery::narrows(query.filterText, m_lastFilter->text);
        auto scanned = narrow
            ? UsersScanner::scanCandidates(
                connections, &m_pool, query, m_aggregates.get(), m_lastFilter->ids, cancelled)
            : UsersScanner::scan(connections, &m_pool, query, m_aggregates.get(), *minId, *maxId, cancelled);
        if (!scanned)
            return scanned.error();
        scanMs = timer.elapsed();
        how = narrow ? "candidates of the previous filter" : "full scan";
        if (query.hasFilter())
            rememberFilter(query.filterText, version, *scanned, *maxId - *minId + 1);
        else
            m_lastFilter.reset();
        m_active.count = scanned->count;
        if (query.keySource() == UsersQuery::KeySource::None) {
            auto ids = std::make_shared<IdVector>(std::move(scanned->ids));
            m_active.top.assign(
                ids->begin(), ids->begin() + qMin<qsizetype>(firstRows, qsizetype(ids->size())));
            m_active.ordering = std::move(ids);
        } else {
            m_active.sorter
                = std::make_unique<UsersSorter>(std::move(scanned->entries), std::move(scanned->arenas),
                    query.keySource() == UsersQuery::KeySource::UsersText, query.descending);
            m_active.top = m_active.sorter->top(firstRows);
        }
    }
    if (cancelled())
        return Error::make(Error::Code::Cancelled, QString());

    const qint64 orderedMs = timer.elapsed();
    const int firstPageRows = int(qMin<qsizetype>(m_settings.pageSize, qsizetype(m_active.top.size())));
    auto page = fetchPage(m_active.generation, 0, m_active.top.data(), firstPageRows);
    if (!page)
        return page.error();
    qCDebug(lcUsersModel).nospace() << "first screen of generation " << m_active.generation << " in "
                                    << timer.elapsed() << " ms (" << how << " " << scanMs
                                    << ", first rows in order " << orderedMs << "), " << m_active.count
                                    << " rows";
    const int rows = int(qMin<qint64>(m_active.count, std::numeric_limits<int>::max()));
    Q_EMIT firstScreenReady(m_active.generation, rows, *page, refresh);
    if (m_active.ordering)
        Q_EMIT orderingReady(m_active.generation, m_active.ordering);
    return {};
}

void UsersLoader::rememberFilter(
    const QString &text, qint64 dataVersion, const UsersScanner::Output &scanned, qint64 tableRows)
{
    // Beyond ~8% of the table a full scan is cheaper than one lookup per candidate.
    const qint64 limit = qMax<qint64>(2048, tableRows / 12);
    if (scanned.count > limit) {
        m_lastFilter.reset();
        return;
    }
    FilterMemo memo {text, dataVersion, {}};
    memo.ids.reserve(size_t(scanned.count));
    if (!scanned.ids.empty()) {
        memo.ids.assign(scanned.ids.begin(), scanned.ids.end()); // already ascending
    } else {
        for (const UsersSorter::Entry &e : scanned.entries)
            memo.ids.push_back(e.id);
        std::sort(memo.ids.begin(), memo.ids.end());
    }
    m_lastFilter = std::move(memo);
}

bool UsersLoader::completeOrdering()
{
    auto cancelled = [this] { return superseded(); };
    if (m_active.needsIdScan) {
        auto ids = m_active.indexOrderSql.isEmpty() ? scanIds() : readIndexOrder();
        if (!ids) {
            if (ids.error().code != Error::Code::Cancelled)
                reportFailure(ids.error());
            return false;
        }
        // Rows committed since the count would shift every later position: keep the count the
        // model has, and let the next refresh pick the change up.
        ids->resize(size_t(m_active.count), 0);
        m_active.ordering = std::make_shared<IdVector>(std::move(ids).value());
        m_active.needsIdScan = false;
    } else if (m_active.sorter) {
        auto ids = m_active.sorter->sortAll(&m_pool, cancelled);
        if (!ids)
            return false;
        m_active.sorter.reset();
        m_active.ordering = std::make_shared<IdVector>(std::move(*ids));
    }
    Q_EMIT orderingReady(m_active.generation, m_active.ordering);
    return true;
}

Result<IdVector> UsersLoader::scanIds()
{
    std::vector<SqliteDatabase *> connections;
    for (const auto &c : m_connections)
        connections.push_back(c.get());
    SqliteDatabase &db = *m_connections[0];
    auto minId = scalarInt(db, QStringLiteral("SELECT min(id) FROM users"), 0);
    if (!minId)
        return minId.error();
    auto maxId = scalarInt(db, QStringLiteral("SELECT max(id) FROM users"), -1);
    if (!maxId)
        return maxId.error();
    auto scanned = UsersScanner::scan(
        connections, &m_pool, UsersQuery {}, nullptr, *minId, *maxId, [this] { return superseded(); });
    if (!scanned)
        return scanned.error();
    return std::move(scanned->ids);
}

Result<IdVector> UsersLoader::readIndexOrder()
{
    auto st = RawSqlStatement::prepare(*m_connections[0], m_active.indexOrderSql);
    if (!st)
        return st.error();
    IdVector ids;
    ids.reserve(size_t(m_active.count));
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        ids.push_back(st->int64(0));
        if ((ids.size() & 0xffff) == 0 && superseded())
            return Error::make(Error::Code::Cancelled, QString());
    }
    return ids;
}

void UsersLoader::servePage(const UsersRequestQueue::PageRequest &request)
{
    if (request.generation != m_active.generation)
        return; // for a superseded query
    const qint64 first = qint64(request.page) * m_settings.pageSize;
    if (request.page < 0 || first >= m_active.count)
        return;
    const qint64 *ids = nullptr;
    qint64 available = 0;
    if (m_active.ordering) {
        ids = m_active.ordering->data();
        available = qint64(m_active.ordering->size());
    } else {
        ids = m_active.top.data();
        available = qint64(m_active.top.size());
    }
    const int rows = int(std::clamp<qint64>(available - first, 0, m_settings.pageSize));
    QElapsedTimer timer;
    timer.start();
    auto page = fetchPage(request.generation, request.page, ids + first, rows);
    if (page) {
        qCDebug(lcUsersModel) << "page" << request.page << "of generation" << request.generation << "in"
                              << double(timer.nsecsElapsed()) / 1e6 << "ms";
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

Result<UsersPagePtr> UsersLoader::fetchPage(quint64 generation, int pageIndex, const qint64 *ids, int count)
{
    auto page = std::make_shared<UsersPage>();
    page->generation = generation;
    page->index = pageIndex;
    page->firstRow = pageIndex * m_settings.pageSize;
    page->rows.resize(size_t(qMax(0, count)));
    SqliteDatabase &db = *m_connections[0];
    const QString now = hosttime::nowDbText();
    const QTimeZone zone = QTimeZone::systemTimeZone();
    // One read transaction: a consistent page, and one shared lock instead of one per statement.
    const Status st = db.readTransaction([&]() -> Status {
        SqlStatement &user = *m_userStmt;
        SqlStatement &sessions = *m_sessionsStmt;
        SqlStatement &groups = *m_groupsStmt;
        for (int i = 0; i < count; ++i) {
            UsersPage::Row &row = page->rows[size_t(i)];
            UserRecord &r = row.record;
            r.id = ids[i];
            user.reset();
            user.bind(1, r.id);
            auto found = user.step();
            if (!found) {
                user.reset();
                return found.error();
            }
            if (!*found) {
                row.missing = true;
                continue;
            }
            r.username = user.text(1);
            r.displayName = user.text(2);
            r.role = user.text(3);
            r.active = user.int64(4) != 0;
            r.createdAt = user.text(5);
            user.reset();
            sessions.reset();
            sessions.bind(1, r.id).bind(2, now);
            auto counted = sessions.step();
            if (!counted) {
                sessions.reset();
                return counted.error();
            }
            r.activeSessions = int(sessions.int64(0));
            r.lastSignIn = sessions.text(1);
            sessions.reset();
            groups.reset();
            groups.bind(1, r.id);
            for (;;) {
                auto g = groups.step();
                if (!g) {
                    groups.reset();
                    return g.error();
                }
                if (!*g)
                    break;
                r.groups.append(groups.text(0));
            }
            groups.reset();
            row.created = localDateTime(r.createdAt, zone);
            if (!r.lastSignIn.isNull())
                row.lastSignIn = localDateTime(r.lastSignIn, zone);
        }
        return {};
    });
    if (!st)
        return st.error();
    return UsersPagePtr(std::move(page));
}

bool UsersLoader::wantsAggregates() const
{
    return !m_aggregatesBroken && (!m_aggregates || m_aggregatesStale);
}

Status UsersLoader::stepAggregates()
{
    SqliteDatabase &db = *m_connections[0];
    if (!m_builder.isRunning()) {
        m_aggregatesVersion = db.dataVersion(); // read before the build's own fingerprint
        if (auto st = m_builder.start(db); !st) {
            m_builder.abandon();
            return st;
        }
    }
    auto done = m_builder.step(db);
    if (!done)
        return done.error();
    if (*done) {
        m_aggregates = m_builder.take();
        m_aggregatesStale = false;
        qCDebug(lcUsersModel) << "per-user aggregates ready";
    }
    return {};
}

Status UsersLoader::buildAggregatesNow()
{
    if (!m_aggregates || m_aggregatesStale) {
        SqliteDatabase &db = *m_connections[0];
        if (!m_builder.isRunning()) {
            m_aggregatesVersion = db.dataVersion();
            if (auto st = m_builder.start(db); !st) {
                m_builder.abandon();
                return st;
            }
        }
        std::vector<SqliteDatabase *> connections;
        for (const auto &c : m_connections)
            connections.push_back(c.get());
        if (auto st = m_builder.runToEnd(connections, &m_pool, [this] { return superseded(); }); !st)
            return st;
        m_aggregates = m_builder.take();
        m_aggregatesStale = false;
    }
    return {};
}

} // namespace rk
