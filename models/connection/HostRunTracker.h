#pragma once

#include "connection/HostAdminRun.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace rk {

// The HostAdminRuns a page's actions have started and that have not finished yet, so the page
// can lock its actions meanwhile. A run leaves the list when it finishes (or is deleted).
// Everything runs on the thread of the runs.
class HostRunTracker : public QObject
{
    Q_OBJECT

public:
    explicit HostRunTracker(QObject *parent = nullptr);
    ~HostRunTracker() override;

    // Follows `run` until its finished(); emits busyChanged() now and when it ends.
    void track(HostAdminRun *run);
    // Whether a tracked run has not finished yet.
    bool isBusy() const;

Q_SIGNALS:
    void busyChanged();

private:
    QList<QPointer<HostAdminRun>> m_runs;
};

} // namespace rk
