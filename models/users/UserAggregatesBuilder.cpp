#include "UserAggregatesBuilder.h"

#include "RawSqlStatement.h"
#include "core/HostTime.h"
#include "store/SqliteDatabase.h"

#include <QDateTime>
#include <QHash>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <map>

namespace rk {

namespace {
constexpr qint64 kSessionsPerStep = 128 * 1024;

Result<qint64> scalarInt(SqliteDatabase &db, const QString &sql)
{
    auto v = db.scalar(sql);
    if (!v)
        return v.error();
    return v->isValid() ? v->toLongLong() : qint64(-1);
}
} // namespace

Result<UserAggregates::Fingerprint> UserAggregatesBuilder::fingerprintOf(SqliteDatabase &db)
{
    // Sessions and memberships are inserted and deleted, never changed in place: their count
    // and their newest row catch every change (a deleted newest row whose id is handed out again
    // comes back with another created_at). Group names can be renamed: hash them all (few rows).
    static const char *const counts[] = {
        "SELECT count(*) FROM users",
        "SELECT max(id) FROM users",
        "SELECT count(*) FROM sessions",
        "SELECT max(id) FROM sessions",
        "SELECT count(*) FROM user_groups",
        "SELECT max(id) FROM user_groups",
        "SELECT user_id * 1000003 + group_id FROM user_groups ORDER BY id DESC LIMIT 1",
    };
    UserAggregates::Fingerprint f {};
    const Status st = db.readTransaction([&]() -> Status {
        for (size_t i = 0; i < std::size(counts); ++i) {
            auto v = scalarInt(db, QString::fromLatin1(counts[i]));
            if (!v)
                return v.error();
            f[i] = *v;
        }
        auto sessionsNewest
            = db.scalar(QStringLiteral("SELECT created_at FROM sessions ORDER BY id DESC LIMIT 1"));
        if (!sessionsNewest)
            return sessionsNewest.error();
        f[7] = qint64(qHash(sessionsNewest->toString()));
        auto groups = RawSqlStatement::prepare(db, QStringLiteral("SELECT id, name FROM \"groups\""));
        if (!groups)
            return groups.error();
        size_t h = 0;
        for (;;) {
            auto row = groups->step();
            if (!row)
                return row.error();
            if (!*row)
                break;
            int length = 0;
            const char *name = groups->text(1, &length);
            h = qHashMulti(h, groups->int64(0), QByteArrayView(name, length));
        }
        f[8] = qint64(h);
        return {};
    });
    if (!st)
        return st.error();
    return f;
}

Status UserAggregatesBuilder::start(SqliteDatabase &db)
{
    abandon();
    auto result = std::make_unique<UserAggregates>();
    // Fingerprint first: a commit during the build then shows up as a change next time.
    auto fingerprint = fingerprintOf(db);
    if (!fingerprint)
        return fingerprint.error();
    result->m_fingerprint = *fingerprint;
    result->m_builtAtMsecs = QDateTime::currentMSecsSinceEpoch();
    m_now = hosttime::nowDbText().toUtf8();

    auto maxId = scalarInt(db, QStringLiteral("SELECT max(id) FROM users"));
    if (!maxId)
        return maxId.error();
    auto count = scalarInt(db, QStringLiteral("SELECT count(*) FROM users"));
    if (!count)
        return count.error();
    // Ids are rowids handed out as max+1, so they are normally dense; a table whose ids are
    // spread far wider gets a sorted id list instead of wasting memory on empty slotCount.
    result->m_dense = *maxId < 2 * *count + 65536;
    size_t slotCount = 0;
    if (result->m_dense) {
        slotCount = size_t(qMax<qint64>(0, *maxId + 1));
    } else {
        auto ids = RawSqlStatement::prepare(db, QStringLiteral("SELECT id FROM users ORDER BY id"));
        if (!ids)
            return ids.error();
        result->m_sparseIds.reserve(size_t(*count));
        for (;;) {
            auto row = ids->step();
            if (!row)
                return row.error();
            if (!*row)
                break;
            result->m_sparseIds.push_back(ids->int64(0));
        }
        slotCount = result->m_sparseIds.size();
    }
    result->m_active.assign(slotCount, 0);
    result->m_lastSignIn.assign(slotCount, UserAggregates::kNever);
    result->m_groupsRank.assign(slotCount, 0);

    auto first = scalarInt(db, QStringLiteral("SELECT min(id) FROM sessions"));
    if (!first)
        return first.error();
    auto last = scalarInt(db, QStringLiteral("SELECT max(id) FROM sessions"));
    if (!last)
        return last.error();
    m_nextSessionId = *first;
    m_lastSessionId = *last;
    m_phase = *first < 0 && *last < 0 ? Phase::Groups : Phase::Sessions;
    m_building = std::move(result);
    return {};
}

void UserAggregatesBuilder::abandon()
{
    m_building.reset();
    m_phase = Phase::Sessions;
}

std::shared_ptr<const UserAggregates> UserAggregatesBuilder::take()
{
    if (m_phase != Phase::Done)
        return {};
    std::shared_ptr<const UserAggregates> done(std::move(m_building));
    m_phase = Phase::Sessions;
    return done;
}

Result<bool> UserAggregatesBuilder::step(SqliteDatabase &db)
{
    if (!m_building)
        return Error::make(Error::Code::Internal, QStringLiteral("no aggregate build in progress"));
    if (m_phase == Phase::Sessions) {
        const qint64 to = m_nextSessionId + kSessionsPerStep;
        // Buffered, so that an interrupted step leaves nothing half-counted and can simply be
        // repeated later.
        BigVector<SessionHit> hits;
        hits.reserve(size_t(kSessionsPerStep));
        if (auto st = scanSessions(
                db, m_nextSessionId, to, [] { return false; }, &hits);
            !st)
            return st.error();
        for (const SessionHit &h : hits)
            apply(h);
        m_nextSessionId = to;
        if (m_nextSessionId > m_lastSessionId)
            m_phase = Phase::Groups;
        return false;
    }
    if (m_phase == Phase::Groups) {
        if (auto st = stepGroups(db); !st)
            return st.error();
        m_phase = Phase::Done;
    }
    return true;
}

Status UserAggregatesBuilder::scanSessions(SqliteDatabase &db, qint64 from, qint64 to,
    const std::function<bool()> &cancelled, BigVector<SessionHit> *buffer)
{
    // One pass over the sessions table in rowid order (sequential pages), instead of
    // GROUP BY user_id, which walks the index and jumps around the table (~4 s for 2M rows).
    auto st = RawSqlStatement::prepare(db,
        QStringLiteral("SELECT user_id, expires_at > ?1, created_at FROM sessions "
                       "WHERE id >= ?2 AND id < ?3"));
    if (!st)
        return st.error();
    st->bind(1, m_now);
    st->bind(2, from);
    st->bind(3, to);
    UserAggregates &a = *m_building;
    int sinceCheck = 0;
    for (;;) {
        auto row = st->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        if (++sinceCheck == 16384) {
            sinceCheck = 0;
            if (cancelled())
                return Error::make(Error::Code::Cancelled, QString());
        }
        const qint64 slot = a.slotOf(st->int64(0));
        if (slot < 0)
            continue; // a session left behind by a deleted user
        int length = 0;
        const char *created = st->text(2, &length);
        const SessionHit hit {slot, UserAggregates::datetimeKey(created, length), st->int64(1) != 0};
        if (buffer)
            buffer->push_back(hit);
        else
            apply(hit);
    }
    return {};
}

void UserAggregatesBuilder::apply(const SessionHit &hit)
{
    // Two scan threads may update the same user: relaxed atomics (uncontended, cheap).
    UserAggregates &a = *m_building;
    if (hit.active)
        std::atomic_ref<std::int32_t>(a.m_active[size_t(hit.slot)]).fetch_add(1, std::memory_order_relaxed);
    std::atomic_ref<qint64> last(a.m_lastSignIn[size_t(hit.slot)]);
    qint64 seen = last.load(std::memory_order_relaxed);
    while (hit.created > seen && !last.compare_exchange_weak(seen, hit.created, std::memory_order_relaxed)) {
    }
}

Status UserAggregatesBuilder::runToEnd(const std::vector<SqliteDatabase *> &connections, QThreadPool *pool,
    const std::function<bool()> &cancelled)
{
    if (!m_building)
        return Error::make(Error::Code::Internal, QStringLiteral("no aggregate build in progress"));
    if (m_phase == Phase::Sessions) {
        // Someone is waiting for the result: every connection at once, each taking the next
        // chunk of sessions as it becomes free (no pauses, and no waiting for a slow half).
        const qint64 first = m_nextSessionId;
        const qint64 chunks = (m_lastSessionId - first) / kSessionsPerStep + 1;
        std::atomic<qint64> next {0};
        std::atomic<bool> failed {false};
        auto work = [&](size_t worker) -> Status {
            for (;;) {
                const qint64 i = next.fetch_add(1);
                if (i >= chunks || failed.load())
                    return {};
                const qint64 lo = first + i * kSessionsPerStep;
                if (auto st
                    = scanSessions(*connections[worker], lo, lo + kSessionsPerStep, cancelled, nullptr);
                    !st) {
                    failed = true;
                    return st;
                }
            }
        };
        const size_t workers = pool ? std::min<size_t>(connections.size(), size_t(chunks)) : 1;
        std::vector<QFuture<Status>> helpers;
        for (size_t w = 1; w < workers; ++w)
            helpers.push_back(QtConcurrent::run(pool, work, w));
        Status result = work(0);
        for (auto &f : helpers) {
            f.waitForFinished();
            if (result && !f.result())
                result = f.result();
        }
        if (!result) {
            abandon(); // chunks may be half counted: start over next time
            return result;
        }
        m_phase = Phase::Groups;
    }
    if (m_phase == Phase::Groups) {
        if (auto st = stepGroups(*connections[0]); !st)
            return st;
        m_phase = Phase::Done;
    }
    return {};
}

Status UserAggregatesBuilder::stepGroups(SqliteDatabase &db)
{
    UserAggregates &a = *m_building;
    // Group names in BINARY (bytewise UTF-8) order, as SQLite compares text.
    std::vector<std::pair<QByteArray, qint64>> groups;
    {
        auto st = RawSqlStatement::prepare(db, QStringLiteral("SELECT id, name FROM \"groups\""));
        if (!st)
            return st.error();
        for (;;) {
            auto row = st->step();
            if (!row)
                return row.error();
            if (!*row)
                break;
            int length = 0;
            const char *name = st->text(1, &length);
            groups.emplace_back(QByteArray(name, length), st->int64(0));
        }
    }
    std::sort(groups.begin(), groups.end());
    QHash<qint64, int> nameRankOf;
    for (size_t i = 0; i < groups.size(); ++i)
        nameRankOf.insert(groups[i].second, int(i));

    struct Membership
    {
        qint64 slot;
        int nameRank;
        bool operator<(const Membership &o) const
        {
            return slot != o.slot ? slot < o.slot : nameRank < o.nameRank;
        }
    };
    BigVector<Membership> memberships;
    {
        auto st = RawSqlStatement::prepare(db, QStringLiteral("SELECT user_id, group_id FROM user_groups"));
        if (!st)
            return st.error();
        for (;;) {
            auto row = st->step();
            if (!row)
                return row.error();
            if (!*row)
                break;
            const qint64 slot = a.slotOf(st->int64(0));
            const auto rank = nameRankOf.constFind(st->int64(1));
            if (slot >= 0 && rank != nameRankOf.constEnd())
                memberships.push_back({slot, *rank});
        }
    }
    std::sort(memberships.begin(), memberships.end());

    // Few distinct group sets exist compared to users: intern them, then rank the sets by the
    // text the Groups column shows ("a, b"), so sorting users compares one integer.
    std::map<std::vector<int>, int> setIds;
    std::vector<int> current;
    auto flush = [&](qint64 slot) {
        if (current.empty())
            return;
        const auto inserted = setIds.emplace(current, int(setIds.size()));
        a.m_groupsRank[size_t(slot)] = inserted.first->second + 1; // temporarily the set id + 1
        current.clear();
    };
    for (size_t i = 0; i < memberships.size(); ++i) {
        if (current.empty() || current.back() != memberships[i].nameRank)
            current.push_back(memberships[i].nameRank);
        if (i + 1 == memberships.size() || memberships[i + 1].slot != memberships[i].slot)
            flush(memberships[i].slot);
    }
    std::vector<std::pair<QByteArray, int>> joined; // (text, set id)
    joined.reserve(setIds.size());
    for (const auto &[ranks, id] : setIds) {
        QByteArray text;
        for (int r : ranks) {
            if (!text.isEmpty())
                text += ", ";
            text += groups[size_t(r)].first;
        }
        joined.emplace_back(std::move(text), id);
    }
    std::sort(joined.begin(), joined.end());
    std::vector<int> rankOfSet(joined.size());
    int rank = 0;
    for (size_t i = 0; i < joined.size(); ++i) {
        // Sets whose texts are equal (a group name containing ", ") compare equal, as in SQL.
        if (i == 0 || joined[i].first != joined[i - 1].first)
            ++rank;
        rankOfSet[size_t(joined[i].second)] = rank;
    }
    for (auto &r : a.m_groupsRank) {
        if (r > 0)
            r = rankOfSet[size_t(r - 1)];
    }
    return {};
}

} // namespace rk
