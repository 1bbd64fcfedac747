#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace rk {

// Measures how long the event loop of the thread it lives on goes without running: a timer that
// should fire every tickMs() and notes by how much each tick came late. A late tick means the
// thread was busy (a slow query, a long layout) for that long, which on the GUI thread is a
// frozen window. Diagnostics for `riverkeeper --stall-probe` and for benchmarks; costs one
// timer wake-up per tick while running.
//
// Every stall longer than threshold() is logged (category riverkeeper.perf) and emitted as
// stalled(); the summary (ticks, worst gap, stalls) stays readable until the next start().
// A tick can also come late because the machine gave the thread no CPU (other processes, other
// threads on few cores), so the probe also notes the thread's own CPU time between two ticks:
// worstBusyMs() is the freeze this thread's work caused, worstLateMs() what the user saw.
// Lives on and must be used from one thread.
class StallProbe : public QObject
{
    Q_OBJECT

public:
    explicit StallProbe(QObject *parent = nullptr);

    void setTickMs(int ms) { m_tickMs = qMax(1, ms); }
    int tickMs() const { return m_tickMs; }
    // A gap beyond the tick that counts as a stall; 16 ms (one frame at 60 Hz) by default.
    void setThresholdMs(int ms) { m_thresholdMs = qMax(1, ms); }
    int thresholdMs() const { return m_thresholdMs; }

    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }

    qint64 ticks() const { return m_ticks; }
    // The longest time past its due time that a tick came, in ms.
    qint64 worstLateMs() const { return m_worstLateMs; }
    // The most CPU time the thread used between two ticks, in ms: work that kept the event loop
    // from running (-1 where the platform cannot tell a thread's CPU time).
    qint64 worstBusyMs() const { return m_worstBusyMs; }
    qint64 stalls() const { return m_stalls; }
    // "ticks 1200, worst 12 ms late (9 ms busy), 0 stalls over 16 ms"
    QString summary() const;

Q_SIGNALS:
    // The event loop did not run for about `lateMs` more than it should have.
    void stalled(qint64 lateMs);

private:
    void tick();
    // This thread's CPU time in µs (-1: unknown).
    static qint64 threadCpuMicros();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    int m_tickMs = 5;
    int m_thresholdMs = 16;
    qint64 m_ticks = 0;
    qint64 m_worstLateMs = 0;
    qint64 m_lastCpuUs = 0;
    qint64 m_worstBusyMs = 0;
    qint64 m_stalls = 0;
};

} // namespace rk
