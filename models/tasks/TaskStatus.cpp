#include "TaskStatus.h"

namespace rk {

const QString TaskStatus::kPendingApproval = QStringLiteral("pending_approval");

QStringList TaskStatus::all()
{
    return {kPendingApproval, QStringLiteral("pending"), QStringLiteral("assigning"),
        QStringLiteral("running"), QStringLiteral("paused"), QStringLiteral("completed"),
        QStringLiteral("failed"), QStringLiteral("killed"), QStringLiteral("killed_oom"),
        QStringLiteral("lost"), QStringLiteral("stopped"), QStringLiteral("rejected")};
}

QString TaskStatus::label(const QString &status)
{
    if (status == kPendingApproval)
        return tr("Pending approval");
    if (status == QLatin1String("pending"))
        return tr("Pending");
    if (status == QLatin1String("assigning"))
        return tr("Assigning");
    if (status == QLatin1String("running"))
        return tr("Running");
    if (status == QLatin1String("paused"))
        return tr("Paused");
    if (status == QLatin1String("completed"))
        return tr("Completed");
    if (status == QLatin1String("failed"))
        return tr("Failed");
    if (status == QLatin1String("killed"))
        return tr("Killed");
    if (status == QLatin1String("killed_oom"))
        return tr("Killed (out of memory)");
    if (status == QLatin1String("lost"))
        return tr("Lost");
    if (status == QLatin1String("stopped"))
        return tr("Stopped");
    if (status == QLatin1String("rejected"))
        return tr("Rejected");
    return status;
}

bool TaskStatus::isFinal(const QString &status)
{
    static const QStringList finals = {QStringLiteral("completed"), QStringLiteral("failed"),
        QStringLiteral("killed"), QStringLiteral("killed_oom"), QStringLiteral("lost"),
        QStringLiteral("stopped"), QStringLiteral("rejected")};
    return finals.contains(status);
}

QString TaskStatus::typeLabel(const QString &taskType)
{
    if (taskType == QLatin1String("command"))
        return tr("Command");
    if (taskType == QLatin1String("vps"))
        return tr("VPS");
    return taskType;
}

} // namespace rk
