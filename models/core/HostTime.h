#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace rk::hosttime {

// The host stores DATETIME columns as naive *local* time text, the way Python's
// `str(datetime)` writes it: `YYYY-MM-DD HH:MM:SS.ffffff`, with the fraction left out entirely
// when the microseconds are zero. The REST API sends the same with a `T` separator.

// A point in time with microsecond precision (QDateTime only keeps milliseconds).
struct Instant
{
    qint64 secsSinceEpoch = 0;
    int micros = 0; // 0..999999

    static Instant now();
    static Instant fromDateTime(const QDateTime &dt); // keeps the milliseconds
    QDateTime toDateTime() const; // local time, milliseconds
    Instant addSecs(qint64 secs) const { return {secsSinceEpoch + secs, micros}; }
    friend bool operator==(const Instant &, const Instant &) = default;
};

// Formats as the host's database does (space separator).
QString toDbText(const Instant &instant);
// "Now" in the database's text format: what the host would write at this moment.
QString nowDbText();
// Parses either separator, with or without a fraction of 1..6 digits; nullopt when malformed.
std::optional<Instant> parse(QStringView text);
// Convenience for display code: an invalid QDateTime when malformed.
QDateTime toDateTime(QStringView text);

} // namespace rk::hosttime
