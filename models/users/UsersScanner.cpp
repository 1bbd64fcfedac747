#include "UsersScanner.h"

#include "RawSqlStatement.h"
#include "UserAggregates.h"
#include "store/SqliteDatabase.h"

#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

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
    return QStringLiteral("SELECT id") + key + QStringLiteral(" FROM users WHERE ") + ids + QStringLiteral(" AND ")
           + query.filterCondition();
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
    case UsersQuery::KeySource::UsersInt: out.entries.push_back({UsersSorter::intPrefix(st.int64(1)), id, 0, 0}); break;
    case UsersQuery::KeySource::Derived:
        out.entries.push_back({UsersSorter::intPrefix(derivedKey(query, *aggregates, id)), id, 0, 0});
        break;
    }
}

void scanPart(SqliteDatabase &db, const UsersQuery &query, const UserAggregates *aggregates, const Slice &slice,
              int arenaIndex, qint64 reserve, const std::function<bool()> &cancelled, Part &out)
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
    // costs no resident memory.
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

Result<UsersScanner::Output> runParts(const std::vector<SqliteDatabase *> &connections, QThreadPool *pool,
                                      const UsersQuery &query, const UserAggregates *aggregates,
                                      const std::vector<Slice> &slices, const std::vector<qint64> &reserves,
                                      const std::function<bool()> &cancelled)
{
    std::vector<Part> results(slices.size());
    std::vector<QFuture<void>> helpers;
    for (size_t i = 1; i < slices.size(); ++i) {
        helpers.push_back(QtConcurrent::run(pool, [&, i] {
            scanPart(*connections[i], query, aggregates, slices[i], int(i), reserves[i], cancelled, results[i]);
        }));
    }
    scanPart(*connections[0], query, aggregates, slices[0], 0, reserves[0], cancelled, results[0]);
    for (auto &f : helpers)
        f.waitForFinished();
    for (const Part &p : results) {
        if (p.error)
            return *p.error;
    }
    // The first part receives the others (it reserved room for them).
    UsersScanner::Output output;
    output.ids = std::move(results[0].ids);
    output.entries = std::move(results[0].entries);
    output.arenas.push_back(std::move(results[0].arena));
    for (size_t i = 1; i < results.size(); ++i) {
        output.ids.insert(output.ids.end(), results[i].ids.begin(), results[i].ids.end());
        output.entries.insert(output.entries.end(), results[i].entries.begin(), results[i].entries.end());
        IdVector().swap(results[i].ids);
        BigVector<UsersSorter::Entry>().swap(results[i].entries);
        output.arenas.push_back(std::move(results[i].arena));
    }
    output.count = qint64(output.ids.size() + output.entries.size());
    return output;
}

int partsFor(const std::vector<SqliteDatabase *> &connections, QThreadPool *pool, qint64 work, qint64 minWork)
{
    // Small jobs are not worth a second thread.
    if (!pool || work < minWork)
        return 1;
    return qBound(1, int(connections.size()), UsersSorter::kMaxArenas);
}

} // namespace

Result<UsersScanner::Output> UsersScanner::scan(const std::vector<SqliteDatabase *> &connections,
                                                QThreadPool *pool, const UsersQuery &query,
                                                const UserAggregates *aggregates, qint64 minId, qint64 maxId,
                                                const std::function<bool()> &cancelled)
{
    if (maxId < minId)
        return Output{}; // no users at all
    if (query.keySource() == UsersQuery::KeySource::Derived && !aggregates)
        return Error::make(Error::Code::Internal, QStringLiteral("derived sort without aggregates"));
    const qint64 span = maxId - minId + 1;
    const int used = partsFor(connections, pool, span, 4096);
    const qint64 step = span / used;
    const qint64 reserveCap = 4 * 1024 * 1024;
    std::vector<Slice> slices;
    std::vector<qint64> reserves;
    for (int i = 0; i < used; ++i) {
        const qint64 lo = minId + step * i;
        const qint64 hi = i == used - 1 ? maxId : lo + step - 1;
        slices.push_back({lo, hi, nullptr, 0});
        reserves.push_back(qMin(i == 0 ? span : hi - lo + 1, reserveCap));
    }
    return runParts(connections, pool, query, aggregates, slices, reserves, cancelled);
}

Result<UsersScanner::Output> UsersScanner::scanCandidates(const std::vector<SqliteDatabase *> &connections,
                                                          QThreadPool *pool, const UsersQuery &query,
                                                          const UserAggregates *aggregates,
                                                          const IdVector &candidates,
                                                          const std::function<bool()> &cancelled)
{
    if (candidates.empty())
        return Output{};
    if (query.keySource() == UsersQuery::KeySource::Derived && !aggregates)
        return Error::make(Error::Code::Internal, QStringLiteral("derived sort without aggregates"));
    const qint64 n = qint64(candidates.size());
    const int used = partsFor(connections, pool, n, 2048);
    std::vector<Slice> slices;
    std::vector<qint64> reserves;
    for (int i = 0; i < used; ++i) {
        const qint64 from = n * i / used;
        const qint64 to = n * (i + 1) / used;
        slices.push_back({0, -1, candidates.data() + from, to - from});
        reserves.push_back(i == 0 ? n : to - from);
    }
    return runParts(connections, pool, query, aggregates, slices, reserves, cancelled);
}

} // namespace rk
