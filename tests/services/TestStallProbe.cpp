#include "RkTest.h"
#include "services/StallProbe.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <time.h>

using namespace rk;

// The probe notices a busy event loop and stays quiet on an idle one.
namespace {
qint64 threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}
} // namespace

class TestStallProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void idleLoopHasNoLongStall()
    {
        StallProbe probe;
        probe.setThresholdMs(200); // generous: a loaded CI machine may be a few ms late
        probe.start();
        QTest::qWait(100);
        QVERIFY(probe.ticks() > 3);
        QCOMPARE(probe.stalls(), qint64(0));
    }

    void busyLoopIsAStall()
    {
        StallProbe probe;
        probe.setThresholdMs(40);
        QSignalSpy stalled(&probe, &StallProbe::stalled);
        probe.start();
        QTest::qWait(20);
        // Block the event loop with 120 ms of this thread's own work, as a slow query on the GUI
        // thread would: CPU time, not wall time, since a loaded machine may deschedule the thread.
        const qint64 start = threadCpuMs();
        while (threadCpuMs() - start < 120) { }
        QTRY_VERIFY(stalled.count() >= 1);
        QVERIFY(stalled.first().first().toLongLong() >= 100);
        QVERIFY(probe.worstLateMs() >= 100);
        // The thread did that work itself, and the probe says so.
        QVERIFY2(probe.worstBusyMs() >= 100, qPrintable(probe.summary()));
        QVERIFY(probe.summary().contains(QStringLiteral("stalls over 40 ms")));
        probe.stop();
        QVERIFY(!probe.isRunning());
    }

    void waitingIsNotBusy()
    {
        // A thread that is not running (descheduled, or here asleep) freezes the loop as much,
        // but uses no CPU: the probe tells the two apart.
        StallProbe probe;
        probe.setThresholdMs(40);
        probe.start();
        QTest::qWait(20);
        QThread::msleep(120);
        QTRY_VERIFY(probe.stalls() >= 1);
        QVERIFY(probe.worstLateMs() >= 100);
        QVERIFY2(probe.worstBusyMs() >= 0 && probe.worstBusyMs() < 50, qPrintable(probe.summary()));
    }
};

RK_TEST_GUILESS_MAIN(TestStallProbe)
#include "TestStallProbe.moc"
