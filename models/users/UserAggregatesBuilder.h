#pragma once

#include "BigAllocator.h"
#include "UserAggregates.h"
#include "core/Result.h"

#include <QByteArray>

#include <functional>
#include <memory>
#include <vector>

class QThreadPool;

namespace rk {

class SqliteDatabase;

// Builds UserAggregates in short steps on the loader's connection, so the loader can serve a page
// or start a new query between two steps (each step reads 128k session ids: ~30 ms). Reads
// only; an interrupted step (Error::Code::Cancelled) can simply be run again.
class UserAggregatesBuilder
{
public:
    // Starts a new build, dropping any partial one.
    Status start(SqliteDatabase &db);
    // The fingerprint a build would record now (~20 ms for 2M sessions: counts walk small indexes).
    static Result<UserAggregates::Fingerprint> fingerprintOf(SqliteDatabase &db);
    bool isRunning() const { return m_building != nullptr; }
    // One bounded step; true when the build is complete and take() has the result.
    Result<bool> step(SqliteDatabase &db);
    // Finishes the build now, scanning the sessions with every connection in parallel (the first
    // on the calling thread, the others on `pool`). Cancelled: the build is dropped.
    Status runToEnd(const std::vector<SqliteDatabase *> &connections, QThreadPool *pool,
        const std::function<bool()> &cancelled);
    std::shared_ptr<const UserAggregates> take();
    void abandon();

private:
    struct SessionHit
    {
        qint64 slot;
        qint64 created; // UserAggregates::datetimeKey
        bool active;
    };
    // Sessions with from <= id < to: applied at once, or into `buffer` when given.
    Status scanSessions(SqliteDatabase &db, qint64 from, qint64 to, const std::function<bool()> &cancelled,
        BigVector<SessionHit> *buffer);
    void apply(const SessionHit &hit);
    Status stepGroups(SqliteDatabase &db);

    enum class Phase { Sessions, Groups, Done };
    std::unique_ptr<UserAggregates> m_building;
    Phase m_phase = Phase::Sessions;
    QByteArray m_now; // "now" in the host's text format, for expires_at > now
    qint64 m_nextSessionId = 0; // resumable cursor over sessions.id
    qint64 m_lastSessionId = -1;
};

} // namespace rk
