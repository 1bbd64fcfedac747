#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace rk {

// The host's task states (`tasks.status`) and task types (`tasks.task_type`) as the words a
// person reads. Models keep the raw value in their roles; this is only for DisplayRole.
class TaskStatus
{
    Q_DECLARE_TR_FUNCTIONS(TaskStatus)

public:
    static const QString kPendingApproval; // "pending_approval"

    // Every status the host writes, in the order a filter menu lists them.
    static QStringList all();
    // "Pending approval", "Running", ...; an unknown value is shown as stored.
    static QString label(const QString &status);
    // True for states a task never leaves (completed, failed, killed, killed_oom, lost, stopped,
    // rejected).
    static bool isFinal(const QString &status);
    // "Command", "VPS"; an unknown value is shown as stored.
    static QString typeLabel(const QString &taskType);
};

} // namespace rk
