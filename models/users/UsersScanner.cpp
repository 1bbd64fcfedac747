#include "UsersScanner.h"

#include "RawSqlStatement.h"
#include "UserAggregates.h"
#include "store/SqliteDatabase.h"

#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <optional>

namespace rk {

namespace {

struct Part
{
    IdVector ids;
    BigVector<UsersSorter::Entry> entries;
    UsersSorter::KeyArena arena;
    std::optional<Error> error;
};

// Which ids one part reads: an id range of the table, or a sorted list of candidate ids.
struct Slice
{
    qint64 lo = 0;
    qint64 hi = -1;
    const qint64 *candidates = nullptr;
    qint64 candidateCount = 0;
};

QString scanSql(const UsersQuery &query, bool candidates)
{
    const QString key = query.keySource() == UsersQuery::KeySource::UsersText
            || query.keySource() == UsersQuery::KeySource::UsersInt
        ? QStringLiteral(", ") + query.keyColumn()
        : QString();
    const QString ids = candidates ? QStringLiteral("id = ?2") : QStringLiteral("id >= ?2 AND id <= ?3");
    return QStringLiteral("SELECT id") + key + QStringLiteral(" FROM users WHERE ") + ids
        + QStringLiteral(" AND ") + query.filterCondition();
}

qint64 derivedKey(const UsersQuery &query, const UserAggregates &aggregates, qint64 id)
{
    switch (query.sortColumn) {
    case UsersQuery::ActiveSessions: return aggregates.activeSessions(id);
    case UsersQuery::LastSignIn: return aggregates.lastSignInKey(id);
    case UsersQuery::Groups: return aggregates.groupsRank(id);
    default: return 0;
    }
}

// Appends the current row of `st` to `out`.
inline void takeRow(const RawSqlStatement &st, const UsersQuery &query, UsersQuery::KeySource source,
    const UserAggregates *aggregates, int arenaIndex, Part &out)
{
    const qint64 id = st.int64(0);
    switch (source) {
    case UsersQuery::KeySource::None: out.ids.push_back(id); break;
    case UsersQuery::KeySource::UsersText: {
        int length = 0;
        const char *text = st.text(1, &length);
        out.entries.push_back(UsersSorter::textEntry(id, text, length, arenaIndex, out.arena));
        break;
    }
    case UsersQuery::KeySource::UsersInt:
        out.entries.push_back({UsersSorter::intPrefix(st.int64(1)), id, 0, 0});
        break;
    case UsersQuery::KeySource::Derived:
        out.entries.push_back({UsersSorter::intPrefix(derivedKey(query, *aggregates, id)), id, 0, 0});
        break;
    }
}

void scanPart(SqliteDatabase &db, const UsersQuery &query, const UserAggregates *aggregates,
    const Slice &slice, int arenaIndex, qint64 reserve, const std::function<bool()> &cancelled, Part &out)
{
    const bool byCandidates = slice.candidates != nullptr;
    auto st = RawSqlStatement::prepare(db, scanSql(query, byCandidates));
    if (!st) {
        out.error = st.error();
        return;
    }
    if (query.hasFilter())
        st->bind(1, UsersQuery::likePattern(query.filterText).toUtf8());
    const UsersQuery::KeySource source = query.keySource();
    // Reservations are address space only until rows arrive, so a filter that matches little
    // costs no resident memory (capped for tables whose ids are spread very thin).
    reserve = qMin<qint64>(reserve, 256 * 1024);
    if (source == UsersQuery::KeySource::None)
        out.ids.reserve(size_t(reserve));
    else
        out.entries.reserve(size_t(reserve));
    if (source == UsersQuery::KeySource::UsersText)
        out.arena.reserve(size_t(reserve) * 16);
    const Error cancelError = Error::make(Error::Code::Cancelled, QString());

    if (!byCandidates) {
        st->bind(2, slice.lo);
        st->bind(3, slice.hi);
        int sinceCheck = 0;
        for (;;) {
            auto row = st->step();
            if (!row) {
                out.error = row.error();
                return;
            }
            if (!*row)
                return;
            if (++sinceCheck == 16384) {
                sinceCheck = 0;
                if (cancelled()) {
                    out.error = cancelError;
                    return;
                }
            }
            takeRow(*st, query, source, aggregates, arenaIndex, out);
        }
    }

    // One lookup per candidate, in id order (neighbouring ids share b-tree pages), inside one
    // read transaction so SQLite takes its file lock once rather than per lookup.
    const Status st2 = db.readTransaction([&]() -> Status {
        for (qint64 i = 0; i < slice.candidateCount; ++i) {
            if ((i & 0x3fff) == 0x3fff && cancelled())
                return cancelError;
            st->reset();
            st->bind(2, slice.candidates[i]);
            auto row = st->step();
            if (!row)
                return row.error();
            if (*row)
                takeRow(*st, query, source, aggregates, arenaIndex, out);
        }
        st->reset();
        return {};
    });
    if (!st2)
        out.error = st2.error();
}

// Runs the slices (in order) on up to one thread per connection. The threads take the next slice
// as they become free, so when another program occupies a core the other thread simply does more
// slices instead of the whole scan waiting for the slow half.
Result<UsersScanner::Output> runSlices(const std::vector<SqliteDatabase *> &connections, QThreadPool *pool,
    const UsersQuery &query, const UserAggregates *aggregates, const std::vector<Slice> &slices,
    const std::function<bool()> &cancelled)
{
    std::vector<Part> results(slices.size());
    std::atomic<size_t> next {0};
    std::atomic<bool> failed {false};
    auto work = [&](size_t worker) {
        for (;;) {
            const size_t i = next.fetch_add(1);
            if (i >= slices.size() || failed.load())
                return;
            const Slice &slice = slices[i];
            const qint64 reserve = slice.candidates ? slice.candidateCount : slice.hi - slice.lo + 1;
            scanPart(*connections[worker], query, aggregates, slice, int(i), reserve, cancelled, results[i]);
            if (results[i].error) {
                failed = true;
                return;
            }
        }
    };
    const size_t workers = pool ? std::min(connections.size(), slices.size()) : 1;
    std::vector<QFuture<void>> helpers;
    for (size_t w = 1; w < workers; ++w)
        helpers.push_back(QtConcurrent::run(pool, work, w));
    work(0);
    for (auto &f : helpers)
        f.waitForFinished();
    for (const Part &p : results) {
        if (p.error)
            return *p.error;
    }
    UsersScanner::Output output;
    size_t ids = 0, entries = 0;
    for (const Part &p : results) {
        ids += p.ids.size();
        entries += p.entries.size();
    }
    output.ids.reserve(ids);
    output.entries.reserve(entries);
    for (Part &p : results) {
        output.ids.insert(output.ids.end(), p.ids.begin(), p.ids.end());
        output.entries.insert(output.entries.end(), p.entries.begin(), p.entries.end());
        IdVector().swap(p.ids);
        BigVector<UsersSorter::Entry>().swap(p.entries);
        output.arenas.push_back(std::move(p.arena)); // entries refer to their slice's arena
    }
    output.count = qint64(ids + entries);
    return output;
}

// Slices small enough to balance two threads, large enough that per-slice costs do not show.
int sliceCount(qint64 work, qint64 perSlice)
{
    return int(std::clamp<qint64>(work / perSlice, 1, 32));
}

} // namespace

Result<UsersScanner::Output> UsersScanner::scan(const std::vector<SqliteDatabase *> &connections,
    QThreadPool *pool, const UsersQuery &query, const UserAggregates *aggregates, qint64 minId, qint64 maxId,
    const std::function<bool()> &cancelled)
{
    if (maxId < minId)
        return Output {}; // no users at all
    if (query.keySource() == UsersQuery::KeySource::Derived && !aggregates)
        return Error::make(Error::Code::Internal, QStringLiteral("derived sort without aggregates"));
    const qint64 span = maxId - minId + 1;
    const int count = sliceCount(span, 32 * 1024);
    std::vector<Slice> slices;
    for (int i = 0; i < count; ++i) {
        const qint64 lo = minId + span * i / count;
        const qint64 hi = minId + span * (i + 1) / count - 1;
        slices.push_back({lo, hi, nullptr, 0});
    }
    return runSlices(connections, pool, query, aggregates, slices, cancelled);
}

Result<UsersScanner::Output> UsersScanner::scanCandidates(const std::vector<SqliteDatabase *> &connections,
    QThreadPool *pool, const UsersQuery &query, const UserAggregates *aggregates, const IdVector &candidates,
    const std::function<bool()> &cancelled)
{
    if (candidates.empty())
        return Output {};
    if (query.keySource() == UsersQuery::KeySource::Derived && !aggregates)
        return Error::make(Error::Code::Internal, QStringLiteral("derived sort without aggregates"));
    const qint64 n = qint64(candidates.size());
    const int count = sliceCount(n, 2048);
    std::vector<Slice> slices;
    for (int i = 0; i < count; ++i) {
        const qint64 from = n * i / count;
        const qint64 to = n * (i + 1) / count;
        slices.push_back({0, -1, candidates.data() + from, to - from});
    }
    return runSlices(connections, pool, query, aggregates, slices, cancelled);
}

} // namespace rk
