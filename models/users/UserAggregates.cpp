#include "UserAggregates.h"

#include <algorithm>

namespace rk {

qint64 UserAggregates::slotOf(qint64 userId) const
{
    if (m_dense)
        return userId >= 0 && userId < qint64(m_active.size()) ? userId : -1;
    const auto it = std::lower_bound(m_sparseIds.begin(), m_sparseIds.end(), userId);
    return it != m_sparseIds.end() && *it == userId ? qint64(it - m_sparseIds.begin()) : -1;
}

int UserAggregates::activeSessions(qint64 userId) const
{
    const qint64 slot = slotOf(userId);
    return slot < 0 ? 0 : m_active[size_t(slot)];
}

qint64 UserAggregates::lastSignInKey(qint64 userId) const
{
    const qint64 slot = slotOf(userId);
    return slot < 0 ? kNever : m_lastSignIn[size_t(slot)];
}

int UserAggregates::groupsRank(qint64 userId) const
{
    const qint64 slot = slotOf(userId);
    return slot < 0 ? 0 : m_groupsRank[size_t(slot)];
}

namespace {
bool digits(const char *s, int from, int count, int length, int *out)
{
    if (from + count > length)
        return false;
    int v = 0;
    for (int i = from; i < from + count; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return qint64(era) * 146097 + doe - 719468;
}
} // namespace

qint64 UserAggregates::datetimeKey(const char *s, int n)
{
    constexpr qint64 kMalformed = std::numeric_limits<qint64>::max();
    int y, mo, d, h, mi, sec;
    if (!s || n < 19 || !digits(s, 0, 4, n, &y) || s[4] != '-' || !digits(s, 5, 2, n, &mo) || s[7] != '-'
        || !digits(s, 8, 2, n, &d) || (s[10] != ' ' && s[10] != 'T') || !digits(s, 11, 2, n, &h)
        || s[13] != ':' || !digits(s, 14, 2, n, &mi) || s[16] != ':' || !digits(s, 17, 2, n, &sec))
        return kMalformed;
    int micros = 0;
    if (n > 19) {
        const int fracLen = n - 20;
        if (s[19] != '.' || fracLen < 1 || fracLen > 6 || !digits(s, 20, fracLen, n, &micros))
            return kMalformed;
        for (int i = fracLen; i < 6; ++i)
            micros *= 10;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return kMalformed;
    const qint64 secs = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    return secs * 1000000 + micros;
}

} // namespace rk
