#include "HostDateTimeParser.h"

#include "core/HostTime.h"

namespace rk {

namespace {
// `count` ASCII digits at `from`, or -1.
int number(QStringView s, qsizetype from, qsizetype count)
{
    int v = 0;
    for (qsizetype i = from; i < from + count; ++i) {
        const char16_t c = s[i].unicode();
        if (c < u'0' || c > u'9')
            return -1;
        v = v * 10 + int(c - u'0');
    }
    return v;
}
} // namespace

HostDateTimeParser::HostDateTimeParser() : m_zone(QTimeZone::systemTimeZone())
{
}

QDateTime HostDateTimeParser::parse(QStringView text) const
{
    if (text.isNull())
        return {};
    // The common case exactly: "YYYY-MM-DD HH:MM:SS" with an optional ".f" of 1..6 digits.
    const qsizetype n = text.size();
    if (m_zone.isValid() && (n == 19 || (n >= 21 && n <= 26 && text[19] == u'.')) && text[4] == u'-'
        && text[7] == u'-' && text[10] == u' ' && text[13] == u':' && text[16] == u':') {
        const int y = number(text, 0, 4);
        const int mo = number(text, 5, 2);
        const int d = number(text, 8, 2);
        const int h = number(text, 11, 2);
        const int mi = number(text, 14, 2);
        const int sec = number(text, 17, 2);
        int ms = 0;
        if (n > 19) {
            // Milliseconds: QDateTime keeps no more.
            const qsizetype digits = qMin<qsizetype>(3, n - 20);
            ms = number(text, 20, digits);
            for (qsizetype i = digits; i < 3; ++i)
                ms *= 10;
            if (number(text, 20, n - 20) < 0)
                ms = -1;
        }
        if (y > 0 && mo >= 0 && d >= 0 && h >= 0 && mi >= 0 && sec >= 0 && ms >= 0) {
            const QDate date(y, mo, d);
            const QTime time(h, mi, sec, ms);
            if (date.isValid() && time.isValid()) {
                QDateTime dt(date, time, m_zone);
                if (dt.isValid())
                    return dt;
            }
        }
    }
    return hosttime::toDateTime(text);
}

} // namespace rk
