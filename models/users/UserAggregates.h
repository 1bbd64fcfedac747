#pragma once

#include "BigAllocator.h"

#include <QString>

#include <array>

#include <cstdint>
#include <limits>
#include <vector>

namespace rk {

// Per-user values derived from other tables, kept only so that the Users table can be *sorted* by
// them: active sessions, last sign-in and group membership. Displayed values never come from here
// (the loader reads those per page from SQL). Built by UserAggregatesBuilder on the loader thread,
// then shared read-only (with the scan threads too).
//
// Compact on purpose: 16 bytes per user id (a million users: 16 MB), no strings.
class UserAggregates
{
public:
    static constexpr qint64 kNever = std::numeric_limits<qint64>::min(); // no session at all

    // Values for a user id the aggregates do not know (a user added after the build): no
    // sessions, no groups.
    int activeSessions(qint64 userId) const;
    // The newest session's created_at as an order-preserving number (naive microseconds), or
    // kNever. Orders exactly like the host's datetime text for well-formed values.
    qint64 lastSignInKey(qint64 userId) const;
    // 0 for no groups; otherwise the rank of the user's joined group names ("a, b") among all
    // distinct joined strings, compared bytewise like SQLite's BINARY collation.
    int groupsRank(qint64 userId) const;

    // What the build read from (row counts, newest rows, group names; see
    // UserAggregatesBuilder::fingerprintOf). An unchanged fingerprint means unchanged aggregates
    // even when data_version moved: the host writes tokens.last_used on every API request.
    using Fingerprint = std::array<qint64, 9>;
    const Fingerprint &fingerprint() const { return m_fingerprint; }
    qint64 builtAtMsecs() const { return m_builtAtMsecs; }

    // Parses `YYYY-MM-DD HH:MM:SS[.ffffff]` (either separator) into naive microseconds since
    // 1970 (no time zone: only the order matters). Malformed text sorts after every valid time.
    static qint64 datetimeKey(const char *text, int length);

private:
    friend class UserAggregatesBuilder;
    qint64 slotOf(qint64 userId) const;

    // Dense: the slot is the user id itself (ids are rowids handed out as max+1). Sparse (ids
    // spread far beyond the row count): m_sparseIds is sorted and the slot is the position.
    bool m_dense = true;
    BigVector<qint64> m_sparseIds;
    BigVector<std::int32_t> m_active;
    BigVector<qint64> m_lastSignIn;
    BigVector<std::int32_t> m_groupsRank;
    Fingerprint m_fingerprint {};
    qint64 m_builtAtMsecs = 0;
};

} // namespace rk
