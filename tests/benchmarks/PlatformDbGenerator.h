#pragma once

#include "core/Result.h"

#include <QString>

namespace rk::bench {

// Builds a synthetic platform database with the host's exact DDL and rows in the host's text
// formats, fast enough for benchmark-sized files (a million users in seconds). Shared by the
// rk-gen-platform-db program and the benchmark's smoke test.
class PlatformDbGenerator
{
public:
    struct Options
    {
        qint64 users = 1000;
        qint64 sessions = 2000;
        qint64 tokens = 0; // API tokens, of random users, about a third never used
        qint64 invitations = 0; // of every status: valid, used up, expired
        int groups = 50;
        quint64 seed = 20240601;
    };

    struct Stats
    {
        qint64 users = 0;
        qint64 sessions = 0;
        qint64 activeSessions = 0;
        qint64 memberships = 0;
        qint64 tokens = 0;
        qint64 invitations = 0;
        qint64 elapsedMs = 0;
    };

    // `path` must not exist yet. Runs on the calling thread.
    static Result<Stats> generate(const QString &path, const Options &options);
};

} // namespace rk::bench
