#include "RkTest.h"
#include "services/StallProbe.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace rk;

// The probe notices a busy event loop and stays quiet on an idle one.
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
        // Block the event loop for 120 ms, as a slow query on the GUI thread would.
        QElapsedTimer busy;
        busy.start();
        while (busy.elapsed() < 120) { }
        QTRY_VERIFY(stalled.count() >= 1);
        QVERIFY(stalled.first().first().toLongLong() >= 100);
        QVERIFY(probe.worstLateMs() >= 100);
        QVERIFY(probe.summary().contains(QStringLiteral("stalls over 40 ms")));
        probe.stop();
        QVERIFY(!probe.isRunning());
    }
};

RK_TEST_GUILESS_MAIN(TestStallProbe)
#include "TestStallProbe.moc"
