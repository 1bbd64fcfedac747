#include "HostTime.h"

#include <QTimeZone>

#include <chrono>

namespace rk::hosttime {

Instant Instant::now()
{
    const auto since = std::chrono::system_clock::now().time_since_epoch();
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(since).count();
    return Instant {us / 1'000'000, static_cast<int>(us % 1'000'000)};
}

Instant Instant::fromDateTime(const QDateTime &dt)
{
    const qint64 ms = dt.toMSecsSinceEpoch();
    qint64 secs = ms / 1000;
    qint64 rest = ms % 1000;
    if (rest < 0) {
        rest += 1000;
        --secs;
    }
    return Instant {secs, static_cast<int>(rest * 1000)};
}

QDateTime Instant::toDateTime() const
{
    return QDateTime::fromMSecsSinceEpoch(secsSinceEpoch * 1000 + micros / 1000);
}

QString toDbText(const Instant &instant)
{
    const QDateTime local = QDateTime::fromSecsSinceEpoch(instant.secsSinceEpoch);
    QString text = local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    if (instant.micros != 0)
        text += QLatin1Char('.') + QStringLiteral("%1").arg(instant.micros, 6, 10, QLatin1Char('0'));
    return text;
}

QString nowDbText()
{
    return toDbText(Instant::now());
}

namespace {
bool digits(QStringView s, qsizetype from, qsizetype count, int *out)
{
    if (from + count > s.size())
        return false;
    int value = 0;
    for (qsizetype i = from; i < from + count; ++i) {
        const QChar c = s.at(i);
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
        value = value * 10 + (c.unicode() - '0');
    }
    *out = value;
    return true;
}
} // namespace

std::optional<Instant> parse(QStringView text)
{
    // YYYY-MM-DD?HH:MM:SS[.f{1,6}]
    int y, mo, d, h, mi, s;
    if (text.size() < 19 || !digits(text, 0, 4, &y) || text.at(4) != QLatin1Char('-')
        || !digits(text, 5, 2, &mo) || text.at(7) != QLatin1Char('-') || !digits(text, 8, 2, &d)
        || (text.at(10) != QLatin1Char(' ') && text.at(10) != QLatin1Char('T')) || !digits(text, 11, 2, &h)
        || text.at(13) != QLatin1Char(':') || !digits(text, 14, 2, &mi) || text.at(16) != QLatin1Char(':')
        || !digits(text, 17, 2, &s))
        return std::nullopt;
    int micros = 0;
    if (text.size() > 19) {
        if (text.at(19) != QLatin1Char('.'))
            return std::nullopt;
        const qsizetype fracLen = text.size() - 20;
        if (fracLen < 1 || fracLen > 6 || !digits(text, 20, fracLen, &micros))
            return std::nullopt;
        for (qsizetype i = fracLen; i < 6; ++i)
            micros *= 10;
    }
    const QDate date(y, mo, d);
    const QTime time(h, mi, s);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    const QDateTime local(date, time, Qt::LocalTime);
    if (!local.isValid())
        return std::nullopt;
    return Instant {local.toSecsSinceEpoch(), micros};
}

QDateTime toDateTime(QStringView text)
{
    const auto instant = parse(text);
    return instant ? instant->toDateTime() : QDateTime();
}

} // namespace rk::hosttime
