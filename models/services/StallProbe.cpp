#include "StallProbe.h"

#include <QLoggingCategory>

#ifdef Q_OS_UNIX
#include <time.h>
#endif

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
    m_lastCpuUs = threadCpuMicros();
    m_worstBusyMs = m_lastCpuUs < 0 ? -1 : 0;
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
    const qint64 cpuUs = threadCpuMicros();
    const qint64 busyMs = cpuUs < 0 ? -1 : (cpuUs - m_lastCpuUs) / 1000;
    m_lastCpuUs = cpuUs;
    ++m_ticks;
    if (late > m_worstLateMs)
        m_worstLateMs = late;
    if (busyMs > m_worstBusyMs)
        m_worstBusyMs = busyMs;
    if (late > m_thresholdMs) {
        ++m_stalls;
        qCInfo(lcPerf,
            "event loop stalled for %lld ms (%lld ms into the run; %lld ms of it this thread's work)", late,
            now, busyMs);
        Q_EMIT stalled(late);
    }
}

qint64 StallProbe::threadCpuMicros()
{
#ifdef Q_OS_UNIX
    timespec ts {};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
        return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
#endif
    return -1;
}

QString StallProbe::summary() const
{
    return QStringLiteral("ticks %1, worst %2 ms late (%3 ms busy), %4 stalls over %5 ms")
        .arg(m_ticks)
        .arg(m_worstLateMs)
        .arg(m_worstBusyMs)
        .arg(m_stalls)
        .arg(m_thresholdMs);
}

} // namespace rk
