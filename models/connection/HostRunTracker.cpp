#include "HostRunTracker.h"

namespace rk {

HostRunTracker::HostRunTracker(QObject *parent) : QObject(parent)
{
}

HostRunTracker::~HostRunTracker() = default;

bool HostRunTracker::isBusy() const
{
    for (const QPointer<HostAdminRun> &run : m_runs) {
        if (run && !run->isFinished())
            return true;
    }
    return false;
}

void HostRunTracker::track(HostAdminRun *run)
{
    m_runs.append(run);
    connect(run, &HostAdminRun::finished, this, [this, run]() {
        m_runs.removeAll(QPointer<HostAdminRun>(run));
        m_runs.removeAll(QPointer<HostAdminRun>());
        Q_EMIT busyChanged();
    });
    Q_EMIT busyChanged();
}

} // namespace rk
