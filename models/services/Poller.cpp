#include "Poller.h"

#include "ServicesLogging.h"

#include <QTimer>

namespace rk {

namespace {

// A single-shot QTimer owned by the poller (a child, so it follows the poller to its thread).
class TimerScheduler final : public PollScheduler
{
public:
    explicit TimerScheduler(QObject *owner) : m_timer(new QTimer(owner))
    {
        m_timer->setSingleShot(true);
        QObject::connect(m_timer, &QTimer::timeout, m_timer, [this]() {
            // Moved out first: `fire` may schedule again, replacing m_fire.
            auto fire = std::move(m_fire);
            m_fire = nullptr;
            if (fire)
                fire();
        });
    }

    void schedule(int delayMs, std::function<void()> fire) override
    {
        m_fire = std::move(fire);
        // Long waits may be coarse; short ones (a fast change check) should not drift.
        m_timer->setTimerType(delayMs >= 60000 ? Qt::CoarseTimer : Qt::PreciseTimer);
        m_timer->start(delayMs);
    }

    void cancel() override
    {
        m_timer->stop();
        m_fire = nullptr;
    }

private:
    QTimer *m_timer; // deleted with the poller
    std::function<void()> m_fire;
};

} // namespace

Poller::Poller(Check check, QObject *parent) : Poller(std::move(check), nullptr, parent)
{
}

Poller::Poller(Check check, std::unique_ptr<PollScheduler> scheduler, QObject *parent)
    : QObject(parent),
      m_check(std::move(check)),
      m_scheduler(scheduler ? std::move(scheduler) : std::make_unique<TimerScheduler>(this)),
      m_alive(std::make_shared<bool>(true))
{
}

Poller::~Poller()
{
    *m_alive = false;
    m_scheduler->cancel();
}

int Poller::currentDelay() const
{
    const qint64 cap = maxInterval();
    qint64 delay = m_intervalMs;
    for (int i = 0; i < m_failures && delay < cap; ++i)
        delay *= 2;
    return int(qMin(delay, cap));
}

void Poller::setInterval(int ms)
{
    m_intervalMs = qMax(1, ms);
    if (m_scheduled)
        scheduleNext();
}

void Poller::setMaxInterval(int ms)
{
    m_maxIntervalMs = qMax(1, ms);
    if (m_scheduled)
        scheduleNext();
}

void Poller::start()
{
    if (m_started)
        return;
    m_started = true;
    if (isActive() && !m_checking)
        runCheck();
}

void Poller::stop()
{
    m_started = false;
    m_scheduled = false;
    m_scheduler->cancel();
}

void Poller::pollNow()
{
    if (m_checking)
        return; // coalesced: the running check answers this request too
    runCheck();
}

void Poller::pause()
{
    if (m_paused)
        return;
    m_paused = true;
    m_scheduled = false;
    m_scheduler->cancel();
    Q_EMIT pausedChanged(true);
}

void Poller::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    Q_EMIT pausedChanged(false);
    // A running check schedules the next one when it finishes.
    if (isActive() && !m_checking)
        runCheck();
}

void Poller::runCheck()
{
    m_scheduled = false;
    m_scheduler->cancel();
    m_checking = true;
    const quint64 token = ++m_token;
    Q_EMIT checkStarted();
    if (!m_check) {
        finishCheck(token, false);
        return;
    }
    std::weak_ptr<bool> alive = m_alive;
    m_check([this, alive, token](bool ok) {
        const auto living = alive.lock();
        if (!living || !*living)
            return; // the poller is gone
        finishCheck(token, ok);
    });
}

void Poller::finishCheck(quint64 token, bool ok)
{
    if (!m_checking || token != m_token) {
        qCDebug(lcServices) << "poller: ignored a completion of a check that already finished";
        return;
    }
    m_checking = false;
    if (ok) {
        if (m_failures > 0)
            qCDebug(lcServices) << "poller: check succeeded after" << m_failures << "failure(s)";
        m_failures = 0;
    } else {
        ++m_failures;
        qCDebug(lcServices) << "poller: check failed" << m_failures << "time(s) in a row";
    }
    // Scheduled before the signal, so a slot that calls pollNow() or stop() wins.
    if (isActive())
        scheduleNext();
    Q_EMIT checkFinished(ok);
}

void Poller::scheduleNext()
{
    const int delay = currentDelay();
    m_scheduled = true;
    m_scheduler->schedule(delay, [this]() {
        m_scheduled = false;
        if (isActive() && !m_checking)
            runCheck();
    });
    Q_EMIT nextCheckScheduled(delay);
}

} // namespace rk
