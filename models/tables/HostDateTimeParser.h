#pragma once

#include <QDateTime>
#include <QStringView>
#include <QTimeZone>

namespace rk {

// Turns the host's naive local datetime text into a QDateTime in the system time zone, the same
// instant hosttime::toDateTime() gives, but without Qt::LocalTime's mktime() per value (glibc
// re-reads the zone file on each call when TZ is unset: ~5 us a value, milliseconds a page).
// Anything unusual falls back to hosttime::toDateTime(). Cheap to copy; one per worker thread.
//
// Generic counterpart of the localDateTime() helper in users/UsersLoader.cpp (which could later
// use this class).
class HostDateTimeParser
{
public:
    HostDateTimeParser();
    // Invalid when `text` is null or malformed.
    QDateTime parse(QStringView text) const;

private:
    QTimeZone m_zone;
};

} // namespace rk
