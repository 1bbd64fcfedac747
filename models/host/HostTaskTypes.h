#pragma once

#include "host/HostTypes.h"

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

// Tasks and VPS as the host's REST API returns them (kohakuriver-host.md sections 1.2 and 1.3).
// Task ids are 64-bit snowflakes above 2^53: kept as qint64, never through a double.

namespace rk {

enum class HostTaskStatus {
    PendingApproval,
    Rejected,
    Pending,
    Assigning,
    Running,
    Paused,
    Completed,
    Failed,
    Killed,
    KilledOom,
    Lost,
    Stopped,
    Unknown, // a status this client does not know; the raw text is kept in statusText
};

namespace hoststatus {
HostTaskStatus fromString(QStringView text);
QString toString(HostTaskStatus status); // the host's spelling; empty for Unknown
} // namespace hoststatus

// TaskResponse: /api/tasks, /api/tasks/pending-approval, /api/status/{id}.
struct HostTask
{
    qint64 taskId = 0; // a snowflake above 2^53: never through a double
    QString taskType; // "command" | "vps"
    std::optional<qint64> batchId;
    QString name;
    std::optional<qint64> ownerId;
    QString ownerUsername;
    QString approvalStatus; // null | "pending" | "approved" | "rejected"
    std::optional<qint64> approvedById;
    QString approvedByUsername;
    HostTimestamp approvedAt;
    QString rejectionReason;
    QString command;
    QStringList arguments;
    QMap<QString, QString> envVars;
    int requiredCores = 0;
    QList<int> requiredGpus;
    std::optional<qint64> requiredMemoryBytes;
    std::optional<int> targetNumaNodeId;
    HostTaskStatus status = HostTaskStatus::Unknown;
    QString statusText; // the raw status, also for Unknown
    QString assignedNode;
    QString containerName;
    QString dockerImageName;
    bool dockerPrivileged = false;
    QStringList dockerMountDirs;
    std::optional<int> sshPort;
    QString vpsBackend;
    QString vmImage;
    QString vmDiskSize;
    QString vmIp;
    QString stdoutPath;
    QString stderrPath;
    std::optional<int> exitCode;
    QString errorMessage;
    HostTimestamp submittedAt;
    HostTimestamp startedAt;
    HostTimestamp completedAt;
};

// POST /api/approve/{id} and /api/reject/{id}
struct HostTaskDecision
{
    QString message;
    qint64 taskId = 0;
    std::optional<QString> reason; // reject only; null when none was given
};

// Options of GET /api/tasks and /api/tasks/pending-approval (the host's defaults).
struct HostTaskQuery
{
    QString status; // exact match; empty: all (ignored by pending-approval)
    int limit = 100;
    int offset = 0;
};

struct HostVpsAssignee
{
    qint64 id = 0;
    QString username;
    QString displayName;
};

// An item of GET /api/vps.
struct HostVps
{
    qint64 taskId = 0;
    QString name;
    std::optional<qint64> ownerId;
    QString ownerUsername;
    QList<HostVpsAssignee> assignees;
    int requiredCores = 0;
    QList<int> requiredGpus;
    std::optional<qint64> requiredMemoryBytes;
    HostTaskStatus status = HostTaskStatus::Unknown;
    QString statusText;
    QString assignedNode;
    std::optional<int> targetNumaNodeId;
    QString containerName;
    std::optional<int> sshPort;
    QString vpsBackend;
    QString vmImage;
    QString vmIp;
    std::optional<int> exitCode;
    QString errorMessage;
    HostTimestamp submittedAt;
    HostTimestamp startedAt;
    HostTimestamp completedAt;
};

struct HostVpsAssignment
{
    qint64 userId = 0;
    QString username;
    QString displayName;
    HostTimestamp assignedAt;
};

// GET /api/vps/{id}/assignments: the task id is a JSON *number* here.
struct HostVpsAssignments
{
    qint64 taskId = 0;
    QList<HostVpsAssignment> assignments;
};

// POST /api/vps/{id}/assign: the task id is a JSON *number* here.
struct HostVpsAssignResult
{
    QString message;
    qint64 taskId = 0;
    QList<qint64> assignedUsers;
};

} // namespace rk

Q_DECLARE_METATYPE(rk::HostTaskStatus)
