#pragma once

#include <functional>

namespace rk {

// When Poller's next check runs: the seam that lets tests drive time instead of sleeping. The
// default implementation (Poller's own) is a single-shot QTimer; a test double records the delay
// and fires when the test says so.
class PollScheduler
{
public:
    virtual ~PollScheduler() = default;
    // Calls `fire` once, after `delayMs`, on the thread of the poller; replaces a pending call.
    virtual void schedule(int delayMs, std::function<void()> fire) = 0;
    // Drops the pending call, if any.
    virtual void cancel() = 0;
};

} // namespace rk
