#pragma once

#include "PollScheduler.h"

#include <QObject>

#include <functional>
#include <memory>

namespace rk {

// Runs an asynchronous check again and again: the approval-queue poll of a host profile, the
// cheap change check of a platform database. Lives in the core so that the tray, the window and
// the command line share one poll instead of each running their own.
//
// - Never overlapping: a check runs until it reports back; the next is scheduled from then.
// - Backoff: after n consecutive failures the delay is interval × 2^n, at most maxInterval();
//   the first success goes back to the plain interval.
// - pollNow() checks at once, or, while a check runs, leaves it at that one (coalesced).
// - pause()/resume() for the user, start()/stop() for the owner; checks run on schedule only
//   when started and not paused. pollNow() works in any state.
//
// The check is called on the poller's thread and must call its completion exactly once, on the
// same thread (a check on a worker thread posts back first); a second call, or one made after
// the poller's destruction, is ignored. A check that may hang needs its own timeout: the poller
// waits for it. Timers run on the poller's thread.
class Poller : public QObject
{
    Q_OBJECT

public:
    using Completion = std::function<void(bool ok)>;
    using Check = std::function<void(Completion done)>;

    static constexpr int kDefaultIntervalMs = 15000;
    static constexpr int kDefaultMaxIntervalMs = 5 * 60 * 1000;

    // With a QTimer-based scheduler.
    explicit Poller(Check check, QObject *parent = nullptr);
    // With `scheduler` (tests pass a manual one); nullptr: the QTimer-based one.
    Poller(Check check, std::unique_ptr<PollScheduler> scheduler, QObject *parent = nullptr);
    ~Poller() override;

    // The delay between the end of one successful check and the start of the next (at least
    // 1 ms). A pending wait is restarted with the new delay.
    void setInterval(int ms);
    int interval() const { return m_intervalMs; }
    // The most the backoff waits (at least the interval).
    void setMaxInterval(int ms);
    int maxInterval() const { return qMax(m_maxIntervalMs, m_intervalMs); }

    bool isStarted() const { return m_started; }
    bool isPaused() const { return m_paused; }
    bool isChecking() const { return m_checking; }
    // Checks that failed in a row since the last success.
    int consecutiveFailures() const { return m_failures; }
    // The delay the next scheduled check waits for (with the backoff applied).
    int currentDelay() const;

public Q_SLOTS:
    // Starts polling with a check at once (unless one runs). Ends with checkFinished().
    void start();
    // Stops polling; a running check may still finish (reported, not followed by another).
    void stop();
    // A check now, or none if one runs already (its result is the answer). Ends with
    // checkFinished().
    void pollNow();
    // Stops scheduling checks until resume(); a running check may still finish.
    void pause();
    // Resumes polling with a check at once.
    void resume();

Q_SIGNALS:
    void checkStarted();
    void checkFinished(bool ok);
    // The next check is due in `ms` (emitted whenever one is scheduled).
    void nextCheckScheduled(int ms);
    void pausedChanged(bool paused);

private:
    bool isActive() const { return m_started && !m_paused; }
    void runCheck();
    void finishCheck(quint64 token, bool ok);
    void scheduleNext();

    Check m_check;
    std::unique_ptr<PollScheduler> m_scheduler;
    int m_intervalMs = kDefaultIntervalMs;
    int m_maxIntervalMs = kDefaultMaxIntervalMs;
    bool m_started = false;
    bool m_paused = false;
    bool m_checking = false;
    bool m_scheduled = false;
    int m_failures = 0;
    quint64 m_token = 0; // identifies the running check; its completion must carry it
    // Shared with every completion handed out: false once the poller is gone.
    std::shared_ptr<bool> m_alive;
};

} // namespace rk
