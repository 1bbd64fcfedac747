#include "StallProbe.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPerf, "riverkeeper.perf")

namespace rk {

StallProbe::StallProbe(QObject *parent) : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &StallProbe::tick);
}

void StallProbe::start()
{
    m_ticks = 0;
    m_worstLateMs = 0;
    m_stalls = 0;
    m_clock.start();
    m_last = 0;
    m_timer.start(m_tickMs);
}

void StallProbe::stop()
{
    m_timer.stop();
}

void StallProbe::tick()
{
    const qint64 now = m_clock.elapsed();
    const qint64 late = now - m_last - m_tickMs;
    m_last = now;
    ++m_ticks;
    if (late > m_worstLateMs)
        m_worstLateMs = late;
    if (late > m_thresholdMs) {
        ++m_stalls;
        qCInfo(lcPerf, "event loop stalled for %lld ms (%lld ms into the run)", late, now);
        Q_EMIT stalled(late);
    }
}

QString StallProbe::summary() const
{
    return QStringLiteral("ticks %1, worst %2 ms late, %3 stalls over %4 ms")
        .arg(m_ticks)
        .arg(m_worstLateMs)
        .arg(m_stalls)
        .arg(m_thresholdMs);
}

} // namespace rk
