#include "RkTest.h"
#include "services/Poller.h"

#include <QSignalSpy>

using namespace rk;

namespace {

// A scheduler the test drives: it records what the poller asked for and fires on request.
class ManualScheduler final : public PollScheduler
{
public:
    struct State
    {
        bool pending = false;
        int delay = -1;
        std::function<void()> fire;
        QList<int> delays; // every schedule() so far
        int cancels = 0;
    };

    explicit ManualScheduler(std::shared_ptr<State> state) : m_state(std::move(state)) { }

    void schedule(int delayMs, std::function<void()> fire) override
    {
        m_state->pending = true;
        m_state->delay = delayMs;
        m_state->fire = std::move(fire);
        m_state->delays.append(delayMs);
    }

    void cancel() override
    {
        m_state->pending = false;
        m_state->fire = nullptr;
        ++m_state->cancels;
    }

private:
    std::shared_ptr<State> m_state;
};

// A check that waits for the test to complete it.
struct FakeCheck
{
    int calls = 0;
    QList<Poller::Completion> waiting;
    bool completeAtOnce = false;
    bool resultAtOnce = true;

    Poller::Check check()
    {
        return [this](Poller::Completion done) {
            ++calls;
            if (completeAtOnce)
                done(resultAtOnce);
            else
                waiting.append(std::move(done));
        };
    }

    void complete(bool ok)
    {
        QVERIFY(!waiting.isEmpty());
        waiting.takeFirst()(ok);
    }
};

} // namespace

class TestPoller : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<ManualScheduler::State> m_clock;
    FakeCheck m_check;
    std::unique_ptr<Poller> m_poller;

    // The moment the scheduled wait is over.
    void fire()
    {
        QVERIFY(m_clock->pending);
        m_clock->pending = false;
        auto fire = std::move(m_clock->fire);
        fire();
    }

private Q_SLOTS:
    void init()
    {
        m_clock = std::make_shared<ManualScheduler::State>();
        m_check = FakeCheck {};
        m_poller = std::make_unique<Poller>(m_check.check(), std::make_unique<ManualScheduler>(m_clock));
        m_poller->setInterval(1000);
        m_poller->setMaxInterval(8000);
    }

    void cleanup() { m_poller.reset(); }

    void checksAtStartThenEveryInterval()
    {
        QSignalSpy started(m_poller.get(), &Poller::checkStarted);
        QSignalSpy finished(m_poller.get(), &Poller::checkFinished);
        QSignalSpy scheduled(m_poller.get(), &Poller::nextCheckScheduled);
        QCOMPARE(m_check.calls, 0); // nothing before start()
        m_poller->start();
        QCOMPARE(m_check.calls, 1);
        QCOMPARE(started.count(), 1);
        QVERIFY(m_poller->isChecking());
        QVERIFY(!m_clock->pending); // the next wait starts when this check ends

        m_check.complete(true);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QVERIFY(m_clock->pending);
        QCOMPARE(m_clock->delay, 1000);
        QCOMPARE(scheduled.count(), 1);
        QCOMPARE(scheduled.at(0).at(0).toInt(), 1000);

        fire();
        QCOMPARE(m_check.calls, 2);
        m_check.complete(true);
        fire();
        QCOMPARE(m_check.calls, 3);
        QCOMPARE(m_clock->delays, (QList<int> {1000, 1000}));
        // start() again is a no-op.
        m_poller->start();
        QCOMPARE(m_check.calls, 3);
    }

    void neverOverlaps()
    {
        m_poller->start();
        QCOMPARE(m_check.calls, 1);
        // A long check: no timer runs meanwhile, and asking again does not start a second one.
        m_poller->pollNow();
        m_poller->pollNow();
        m_poller->resume(); // not paused: nothing
        QCOMPARE(m_check.calls, 1);
        QVERIFY(!m_clock->pending);
        // A late timer callback (already queued when the check began) is harmless too.
        m_check.complete(true);
        auto stale = m_clock->fire;
        m_poller->pollNow(); // starts a check, cancelling the wait
        QCOMPARE(m_check.calls, 2);
        QVERIFY(!m_clock->pending);
        stale();
        QCOMPARE(m_check.calls, 2);
        QCOMPARE(m_check.waiting.size(), 1);
        m_check.complete(true);
        QVERIFY(m_clock->pending);
    }

    void backsOffWhileFailingAndResetsOnSuccess()
    {
        QSignalSpy scheduled(m_poller.get(), &Poller::nextCheckScheduled);
        m_poller->start();
        QList<int> delays;
        for (int i = 0; i < 5; ++i) {
            m_check.complete(false);
            QCOMPARE(m_poller->consecutiveFailures(), i + 1);
            delays.append(m_clock->delay);
            fire();
        }
        // interval × 2^n, capped.
        QCOMPARE(delays, (QList<int> {2000, 4000, 8000, 8000, 8000}));
        QCOMPARE(m_poller->currentDelay(), 8000);
        m_check.complete(true);
        QCOMPARE(m_poller->consecutiveFailures(), 0);
        QCOMPARE(m_clock->delay, 1000);
        QCOMPARE(scheduled.last().at(0).toInt(), 1000);

        // A cap below the interval never shortens the interval.
        m_poller->setMaxInterval(10);
        QCOMPARE(m_poller->maxInterval(), 1000);
        QCOMPARE(m_clock->delay, 1000);
        // A huge failure streak does not overflow.
        m_poller->setMaxInterval(std::numeric_limits<int>::max());
        fire();
        for (int i = 0; i < 80; ++i) {
            m_check.complete(false);
            QVERIFY(m_clock->delay >= 1000);
            fire();
        }
        QCOMPARE(m_clock->delay, std::numeric_limits<int>::max());
    }

    void pollNowCoalescesAndRestartsTheWait()
    {
        QSignalSpy started(m_poller.get(), &Poller::checkStarted);
        m_poller->start();
        m_check.complete(true);
        QVERIFY(m_clock->pending);
        m_poller->pollNow(); // while waiting: at once, and the wait is dropped
        QCOMPARE(m_check.calls, 2);
        QVERIFY(!m_clock->pending);
        m_poller->pollNow(); // while checking: coalesced
        QCOMPARE(m_check.calls, 2);
        QCOMPARE(started.count(), 2);
        m_check.complete(true);
        QVERIFY(m_clock->pending);
        QCOMPARE(m_clock->delay, 1000);

        // pollNow also works when not polling, and schedules nothing afterwards.
        m_poller->stop();
        QVERIFY(!m_clock->pending);
        m_poller->pollNow();
        QCOMPARE(m_check.calls, 3);
        m_check.complete(true);
        QVERIFY(!m_clock->pending);
    }

    void pauseAndResume()
    {
        QSignalSpy paused(m_poller.get(), &Poller::pausedChanged);
        QSignalSpy finished(m_poller.get(), &Poller::checkFinished);
        m_poller->start();
        m_check.complete(true);
        QVERIFY(m_clock->pending);

        m_poller->pause();
        QVERIFY(m_poller->isPaused());
        QCOMPARE(paused.count(), 1);
        QVERIFY(!m_clock->pending); // the wait is dropped
        m_poller->pause();
        QCOMPARE(paused.count(), 1);

        m_poller->resume(); // checks at once
        QCOMPARE(paused.count(), 2);
        QCOMPARE(m_check.calls, 2);

        // Paused while a check runs: it still reports, but nothing is scheduled.
        m_poller->pause();
        m_check.complete(false);
        QCOMPARE(finished.count(), 2);
        QVERIFY(!m_clock->pending);
        QCOMPARE(m_poller->consecutiveFailures(), 1);

        // Resumed while a check runs: the check's end schedules the next.
        m_poller->resume();
        QCOMPARE(m_check.calls, 3);
        m_poller->pause();
        m_poller->resume();
        QCOMPARE(m_check.calls, 3); // still running: no second check
        m_check.complete(true);
        QVERIFY(m_clock->pending);
        QCOMPARE(m_clock->delay, 1000);
    }

    void stopAndStart()
    {
        m_poller->start();
        m_poller->stop(); // while checking
        QVERIFY(!m_poller->isStarted());
        m_poller->start(); // the check still runs: no overlap
        QCOMPARE(m_check.calls, 1);
        m_check.complete(true);
        QVERIFY(m_clock->pending); // started again, so it goes on
        m_poller->stop();
        QVERIFY(!m_clock->pending);
    }

    void intervalChangesApplyToTheWait()
    {
        m_poller->start();
        m_check.complete(true);
        QCOMPARE(m_clock->delay, 1000);
        m_poller->setInterval(250);
        QVERIFY(m_clock->pending);
        QCOMPARE(m_clock->delay, 250);
        m_poller->setInterval(0); // at least 1 ms
        QCOMPARE(m_poller->interval(), 1);
    }

    void synchronousChecks()
    {
        m_check.completeAtOnce = true;
        QStringList events;
        connect(m_poller.get(), &Poller::checkStarted, this, [&] { events << QStringLiteral("started"); });
        connect(m_poller.get(), &Poller::checkFinished, this,
            [&](bool ok) { events << (ok ? QStringLiteral("ok") : QStringLiteral("failed")); });
        m_poller->start();
        QCOMPARE(events, (QStringList {QStringLiteral("started"), QStringLiteral("ok")}));
        QVERIFY(!m_poller->isChecking());
        QCOMPARE(m_clock->delay, 1000);
        m_check.resultAtOnce = false;
        fire();
        QCOMPARE(m_clock->delay, 2000);
        QCOMPARE(m_check.calls, 2);
    }

    void ignoresExtraAndLateCompletions()
    {
        QSignalSpy finished(m_poller.get(), &Poller::checkFinished);
        Poller::Completion kept;
        auto poller = std::make_unique<Poller>(
            [&](Poller::Completion done) { kept = done; }, std::make_unique<ManualScheduler>(m_clock));
        QSignalSpy finishedHere(poller.get(), &Poller::checkFinished);
        poller->start();
        kept(false);
        kept(true); // a second answer: ignored
        QCOMPARE(finishedHere.count(), 1);
        QCOMPARE(poller->consecutiveFailures(), 1);
        fire();
        poller.reset();
        kept(true); // after the poller is gone: nothing happens
        QCOMPARE(finished.count(), 0);

        // A poller without a check fails every time rather than hanging.
        Poller empty(Poller::Check {}, std::make_unique<ManualScheduler>(m_clock));
        QSignalSpy emptyFinished(&empty, &Poller::checkFinished);
        empty.pollNow();
        QCOMPARE(emptyFinished.count(), 1);
        QCOMPARE(emptyFinished.at(0).at(0).toBool(), false);
    }

    void aSlotMayPollAgain()
    {
        // Reacting to checkFinished with pollNow() (say, a second page of results) starts it at once.
        int again = 1;
        connect(m_poller.get(), &Poller::checkFinished, this, [&](bool) {
            if (again-- > 0)
                m_poller->pollNow();
        });
        m_poller->start();
        m_check.complete(true);
        QCOMPARE(m_check.calls, 2);
        QVERIFY(!m_clock->pending);
        m_check.complete(true);
        QVERIFY(m_clock->pending);
    }

    void defaultTimerRuns()
    {
        // The QTimer-based scheduler, with a short interval: no sleeping, the event loop runs.
        int calls = 0;
        Poller poller([&](Poller::Completion done) {
            ++calls;
            done(true);
        });
        poller.setInterval(5);
        QSignalSpy scheduled(&poller, &Poller::nextCheckScheduled);
        poller.start();
        QCOMPARE(calls, 1);
        QTRY_VERIFY(calls >= 3);
        QCOMPARE(scheduled.at(0).at(0).toInt(), 5);
        poller.stop();
        const int stoppedAt = calls;
        QTest::qWait(30);
        QCOMPARE(calls, stoppedAt);
    }
};

RK_TEST_GUILESS_MAIN(TestPoller)
#include "TestPoller.moc"
