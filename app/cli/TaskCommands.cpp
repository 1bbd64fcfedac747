#include "TaskCommands.h"

#include "CliContext.h"
#include "CliHostSession.h"
#include "core/Role.h"
#include "store/SqliteDatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <vector>

namespace rk::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::cli", text);
}

// A task as both sources give it: TaskResponse from the host, a `tasks` row from the database.
struct TaskRow
{
    qint64 taskId = 0;
    QString taskType;
    QString name;
    std::optional<qint64> ownerId;
    QString owner; // username; empty when unknown
    QString status;
    QString approvalStatus;
    QString node;
    QString command;
    QStringList arguments;
    int cores = 0;
    QList<int> gpus;
    std::optional<qint64> memoryBytes;
    std::optional<int> exitCode;
    QString rejectionReason;
    QString submittedAt; // the database's text format
    QString startedAt;
    QString completedAt;
};

TaskRow fromHost(const HostTask &t)
{
    TaskRow row;
    row.taskId = t.taskId;
    row.taskType = t.taskType;
    row.name = t.name;
    row.ownerId = t.ownerId;
    row.owner = t.ownerUsername;
    row.status = t.statusText;
    row.approvalStatus = t.approvalStatus;
    row.node = t.assignedNode;
    row.command = t.command;
    row.arguments = t.arguments;
    row.cores = t.requiredCores;
    row.gpus = t.requiredGpus;
    row.memoryBytes = t.requiredMemoryBytes;
    row.exitCode = t.exitCode;
    row.rejectionReason = t.rejectionReason;
    row.submittedAt = CliContext::timeText(t.submittedAt);
    row.startedAt = CliContext::timeText(t.startedAt);
    row.completedAt = CliContext::timeText(t.completedAt);
    return row;
}

QJsonArray jsonArrayOf(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).array();
}

// The columns readTasks() expects, in this order.
const char *const kTaskColumns
    = "t.task_id, t.task_type, t.name, t.owner_id, u.username, t.status, t.approval_status, t.assigned_node, "
      "t.command, t.arguments, t.required_cores, t.required_gpus, t.required_memory_bytes, t.exit_code, "
      "t.rejection_reason, t.submitted_at, t.started_at, t.completed_at";

Result<std::vector<TaskRow>> readTasks(SqlStatement &stmt)
{
    std::vector<TaskRow> rows;
    while (true) {
        auto more = stmt.step();
        if (!more)
            return more.error();
        if (!*more)
            break;
        TaskRow row;
        row.taskId = stmt.int64(0); // exact: a snowflake above 2^53
        row.taskType = stmt.text(1);
        row.name = stmt.text(2);
        if (!stmt.isNull(3))
            row.ownerId = stmt.int64(3);
        row.owner = stmt.text(4);
        row.status = stmt.text(5);
        row.approvalStatus = stmt.text(6);
        row.node = stmt.text(7);
        row.command = stmt.text(8);
        const QJsonArray arguments = jsonArrayOf(stmt.text(9));
        for (const QJsonValue &a : arguments)
            row.arguments << a.toString();
        row.cores = static_cast<int>(stmt.int64(10));
        const QJsonArray gpus = jsonArrayOf(stmt.text(11));
        for (const QJsonValue &g : gpus)
            row.gpus << g.toInt();
        if (!stmt.isNull(12))
            row.memoryBytes = stmt.int64(12);
        if (!stmt.isNull(13))
            row.exitCode = static_cast<int>(stmt.int64(13));
        row.rejectionReason = stmt.text(14);
        row.submittedAt = stmt.text(15);
        row.startedAt = stmt.text(16);
        row.completedAt = stmt.text(17);
        rows.push_back(std::move(row));
    }
    return rows;
}

QJsonObject taskJson(const TaskRow &t)
{
    QJsonArray gpus;
    for (const int g : t.gpus)
        gpus.append(g);
    return QJsonObject {
        // A string, as the host sends it: a double would lose the snowflake's last digits.
        {QStringLiteral("task_id"), QString::number(t.taskId)},
        {QStringLiteral("task_type"), t.taskType},
        {QStringLiteral("name"), CliContext::jsonText(t.name)},
        {QStringLiteral("owner_id"), t.ownerId ? QJsonValue(*t.ownerId) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("owner_username"), CliContext::jsonText(t.owner.isEmpty() ? QString() : t.owner)},
        {QStringLiteral("status"), t.status},
        {QStringLiteral("approval_status"), CliContext::jsonText(t.approvalStatus)},
        {QStringLiteral("assigned_node"), CliContext::jsonText(t.node)},
        {QStringLiteral("command"), t.command},
        {QStringLiteral("arguments"), QJsonArray::fromStringList(t.arguments)},
        {QStringLiteral("required_cores"), t.cores},
        {QStringLiteral("required_gpus"), gpus},
        {QStringLiteral("required_memory_bytes"),
            t.memoryBytes ? QJsonValue(*t.memoryBytes) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("exit_code"), t.exitCode ? QJsonValue(*t.exitCode) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("rejection_reason"), CliContext::jsonText(t.rejectionReason)},
        {QStringLiteral("submitted_at"), CliContext::jsonText(t.submittedAt)},
        {QStringLiteral("started_at"), CliContext::jsonText(t.startedAt)},
        {QStringLiteral("completed_at"), CliContext::jsonText(t.completedAt)},
    };
}

QString commandCell(const TaskRow &t)
{
    QString text = (QStringList {t.command} + t.arguments).join(QLatin1Char(' ')).simplified();
    if (text.size() > 60)
        text = text.left(57) + QStringLiteral("...");
    return CliContext::orDash(text);
}

QString gpusCell(const QList<int> &gpus)
{
    QStringList parts;
    for (const int g : gpus)
        parts << QString::number(g);
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QLatin1Char(','));
}

int printTasks(CliContext &ctx, const std::vector<TaskRow> &tasks)
{
    if (ctx.json()) {
        QJsonArray array;
        for (const TaskRow &t : tasks)
            array.append(taskJson(t));
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const TaskRow &t : tasks) {
        rows << QStringList {QString::number(t.taskId), t.status, CliContext::orDash(t.owner),
            CliContext::orDash(t.name), CliContext::orDash(t.node), CliContext::shortTime(t.submittedAt),
            commandCell(t)};
    }
    ctx.printTable(
        {tr("ID"), tr("STATUS"), tr("OWNER"), tr("NAME"), tr("NODE"), tr("SUBMITTED"), tr("COMMAND")}, rows);
    return ExitOk;
}

int printApprovals(CliContext &ctx, const std::vector<TaskRow> &tasks)
{
    if (ctx.json()) {
        QJsonArray array;
        for (const TaskRow &t : tasks)
            array.append(taskJson(t));
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const TaskRow &t : tasks) {
        rows << QStringList {QString::number(t.taskId), CliContext::shortTime(t.submittedAt),
            CliContext::orDash(t.owner), t.taskType, QString::number(t.cores), gpusCell(t.gpus),
            commandCell(t)};
    }
    ctx.printTable(
        {tr("ID"), tr("SUBMITTED"), tr("REQUESTER"), tr("TYPE"), tr("CORES"), tr("GPUS"), tr("COMMAND")},
        rows);
    return ExitOk;
}

// The store's wording for a role the actor lacks, for the reads done here with SQL.
Status require(const Actor &actor, Permission permission)
{
    if (roles::allows(actor.role, permission))
        return {};
    return Error::make(Error::Code::Refused,
        tr("You need the %1 role to %2 (you are signed in as %3).")
            .arg(roles::displayName(roles::minimumFor(permission)), roles::describe(permission),
                roles::displayName(actor.role)));
}

// --status, --limit and --offset of "tasks list", with the host's defaults.
std::optional<HostTaskQuery> taskQuery(CliContext &ctx, int *exitStatus)
{
    HostTaskQuery query;
    if (ctx.has(QStringLiteral("status"))) {
        query.status = ctx.value(QStringLiteral("status"));
        if (hoststatus::fromString(query.status) == HostTaskStatus::Unknown) {
            QStringList known;
            for (int s = 0; s < int(HostTaskStatus::Unknown); ++s)
                known << hoststatus::toString(HostTaskStatus(s));
            *exitStatus = ctx.usageError(tr("Unknown task status \"%1\": use one of %2.")
                                             .arg(query.status, known.join(QStringLiteral(", "))));
            return std::nullopt;
        }
    }
    const auto number = [&](const char *option, int minimum, int *out) {
        const QString name = QString::fromLatin1(option);
        if (!ctx.has(name))
            return true;
        bool ok = false;
        const int value = ctx.value(name).toInt(&ok);
        if (!ok || value < minimum) {
            *exitStatus = ctx.usageError(tr("--%1 needs a whole number of at least %2, not \"%3\".")
                                             .arg(name)
                                             .arg(minimum)
                                             .arg(ctx.value(name)));
            return false;
        }
        *out = value;
        return true;
    };
    if (!number("limit", 1, &query.limit) || !number("offset", 0, &query.offset))
        return std::nullopt;
    return query;
}

QJsonValue optionalNumber(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QString percentCell(const std::optional<double> &value)
{
    return value ? QString::number(*value, 'f', 1) : QStringLiteral("-");
}

} // namespace

// --- approvals --------------------------------------------------------------------------------

int TaskCommands::approvalsList(CliContext &ctx)
{
    // The host pages the queue (100 by default, no total): read until a short page.
    constexpr int kPage = 100;
    constexpr int kMaxPages = 100;
    std::vector<TaskRow> tasks;
    for (int page = 0; page < kMaxPages; ++page) {
        auto batch = ctx.host()->await(ctx.host()->client().pendingApprovals(kPage, page * kPage));
        if (!batch)
            return ctx.fail(batch.error());
        for (const HostTask &t : *batch)
            tasks.push_back(fromHost(t));
        if (batch->size() < kPage)
            break;
    }
    return printApprovals(ctx, tasks);
}

int TaskCommands::approvalsListDb(CliContext &ctx)
{
    if (const Status allowed = require(ctx.actor(), Permission::ApproveTasks); !allowed)
        return ctx.fail(allowed.error());
    // As /api/tasks/pending-approval: command and VPS tasks, newest first.
    auto stmt = ctx.store().database().prepare(QStringLiteral("SELECT %1 FROM tasks t LEFT JOIN users u ON "
                                                              "u.id = t.owner_id WHERE t.status = "
                                                              "'pending_approval' ORDER BY t.submitted_at "
                                                              "DESC, t.task_id DESC")
                                                   .arg(QLatin1String(kTaskColumns)));
    if (!stmt)
        return ctx.fail(stmt.error());
    auto tasks = readTasks(stmt.value());
    if (!tasks)
        return ctx.fail(tasks.error());
    return printApprovals(ctx, *tasks);
}

int TaskCommands::approvalsApprove(CliContext &ctx)
{
    int status = ExitOk;
    const auto id = ctx.taskId(ctx.argument(0), &status);
    if (!id)
        return status;
    auto decision = ctx.host()->await(ctx.host()->client().approveTask(*id));
    if (!decision)
        return ctx.fail(decision.error());
    ctx.print(tr("Approved task %1: %2").arg(QString::number(*id), decision->message));
    return ExitOk;
}

int TaskCommands::approvalsReject(CliContext &ctx)
{
    int status = ExitOk;
    const auto id = ctx.taskId(ctx.argument(0), &status);
    if (!id)
        return status;
    const QString reason = ctx.value(QStringLiteral("reason"));
    auto decision = ctx.host()->await(ctx.host()->client().rejectTask(*id, reason));
    if (!decision)
        return ctx.fail(decision.error());
    if (reason.isEmpty())
        ctx.print(tr("Rejected task %1.").arg(QString::number(*id)));
    else
        ctx.print(tr("Rejected task %1: %2").arg(QString::number(*id), reason));
    return ExitOk;
}

// --- tasks ------------------------------------------------------------------------------------

int TaskCommands::tasksList(CliContext &ctx)
{
    int status = ExitOk;
    const auto query = taskQuery(ctx, &status);
    if (!query)
        return status;
    auto tasks = ctx.host()->await(ctx.host()->client().tasks(*query));
    if (!tasks)
        return ctx.fail(tasks.error());
    std::vector<TaskRow> rows;
    for (const HostTask &t : *tasks)
        rows.push_back(fromHost(t));
    return printTasks(ctx, rows);
}

int TaskCommands::tasksListDb(CliContext &ctx)
{
    int status = ExitOk;
    const auto query = taskQuery(ctx, &status);
    if (!query)
        return status;
    if (const Status allowed = require(ctx.actor(), Permission::ViewTasks); !allowed)
        return ctx.fail(allowed.error());
    // As GET /api/tasks: command tasks only, an exact status, newest first, limit and offset.
    const QString filter = query->status.isEmpty() ? QString() : QStringLiteral(" AND t.status = ?3");
    auto stmt = ctx.store().database().prepare(QStringLiteral("SELECT %1 FROM tasks t LEFT JOIN users u ON "
                                                              "u.id = t.owner_id WHERE t.task_type = "
                                                              "'command'%2 ORDER BY t.submitted_at DESC, "
                                                              "t.task_id DESC LIMIT ?1 OFFSET ?2")
                                                   .arg(QLatin1String(kTaskColumns), filter));
    if (!stmt)
        return ctx.fail(stmt.error());
    stmt->bind(1, query->limit).bind(2, query->offset);
    if (!query->status.isEmpty())
        stmt->bind(3, query->status);
    auto tasks = readTasks(stmt.value());
    if (!tasks)
        return ctx.fail(tasks.error());
    return printTasks(ctx, *tasks);
}

int TaskCommands::tasksOutput(CliContext &ctx)
{
    int status = ExitOk;
    const auto id = ctx.taskId(ctx.argument(0), &status);
    if (!id)
        return status;
    int lines = 0; // the whole file
    if (ctx.has(QStringLiteral("lines"))) {
        bool ok = false;
        lines = ctx.value(QStringLiteral("lines")).toInt(&ok);
        if (!ok || lines < 1)
            return ctx.usageError(tr("--lines needs a number of lines (1 or more), not \"%1\".")
                                      .arg(ctx.value(QStringLiteral("lines"))));
    }
    const bool stderrStream = ctx.has(QStringLiteral("stderr"));
    HostClient &client = ctx.host()->client();
    auto text
        = ctx.host()->await(stderrStream ? client.taskStderr(*id, lines) : client.taskStdout(*id, lines));
    if (!text)
        return ctx.fail(text.error());
    if (text->isEmpty()) {
        // The host answers "" for a missing log file as for an empty one.
        ctx.warn(tr("The host has no %1 for task %2 (the log is empty or does not exist).")
                     .arg(stderrStream ? tr("standard error") : tr("standard output"), QString::number(*id)));
        return ExitOk;
    }
    QString out = *text;
    if (out.endsWith(QLatin1Char('\n')))
        out.chop(1);
    ctx.print(out);
    return ExitOk;
}

// --- VPS and nodes ------------------------------------------------------------------------------

int TaskCommands::vpsList(CliContext &ctx)
{
    auto list = ctx.host()->await(ctx.host()->client().vpsList());
    if (!list)
        return ctx.fail(list.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const HostVps &v : *list) {
            QJsonArray assignees;
            for (const HostVpsAssignee &a : v.assignees)
                assignees.append(a.username);
            array.append(QJsonObject {
                {QStringLiteral("task_id"), QString::number(v.taskId)},
                {QStringLiteral("name"), CliContext::jsonText(v.name)},
                {QStringLiteral("owner_id"),
                    v.ownerId ? QJsonValue(*v.ownerId) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("owner_username"), CliContext::jsonText(v.ownerUsername)},
                {QStringLiteral("status"), v.statusText},
                {QStringLiteral("assigned_node"), CliContext::jsonText(v.assignedNode)},
                {QStringLiteral("vps_backend"), CliContext::jsonText(v.vpsBackend)},
                {QStringLiteral("ssh_port"),
                    v.sshPort ? QJsonValue(*v.sshPort) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("assignees"), assignees},
                {QStringLiteral("submitted_at"), CliContext::jsonText(CliContext::timeText(v.submittedAt))},
            });
        }
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const HostVps &v : *list) {
        QStringList assignees;
        for (const HostVpsAssignee &a : v.assignees)
            assignees << a.username;
        rows << QStringList {QString::number(v.taskId), CliContext::orDash(v.name),
            CliContext::orDash(v.ownerUsername), v.statusText, CliContext::orDash(v.assignedNode),
            CliContext::orDash(v.vpsBackend), v.sshPort ? QString::number(*v.sshPort) : QStringLiteral("-"),
            CliContext::shortTime(CliContext::timeText(v.submittedAt)),
            CliContext::orDash(assignees.join(QLatin1Char(',')))};
    }
    ctx.printTable({tr("ID"), tr("NAME"), tr("OWNER"), tr("STATUS"), tr("NODE"), tr("BACKEND"), tr("SSH"),
                       tr("SUBMITTED"), tr("ASSIGNED TO")},
        rows);
    return ExitOk;
}

int TaskCommands::vpsListDb(CliContext &ctx)
{
    auto list = ctx.store().listVps(ctx.actor());
    if (!list)
        return ctx.fail(list.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const VpsRecord &v : *list) {
            array.append(QJsonObject {
                {QStringLiteral("task_id"), QString::number(v.taskId)},
                {QStringLiteral("name"), CliContext::jsonText(v.name)},
                {QStringLiteral("owner_id"),
                    v.ownerId ? QJsonValue(*v.ownerId) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("owner_username"),
                    CliContext::jsonText(v.owner.isEmpty() ? QString() : v.owner)},
                {QStringLiteral("status"), v.status},
                {QStringLiteral("assigned_node"),
                    CliContext::jsonText(v.node.isEmpty() ? QString() : v.node)},
                {QStringLiteral("vps_backend"), CliContext::jsonText(v.backend)},
                {QStringLiteral("assignee_count"), v.assignees},
                {QStringLiteral("submitted_at"), CliContext::jsonText(v.submittedAt)},
            });
        }
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const VpsRecord &v : *list) {
        rows << QStringList {QString::number(v.taskId), CliContext::orDash(v.name),
            CliContext::orDash(v.owner), v.status, CliContext::orDash(v.node), CliContext::orDash(v.backend),
            CliContext::shortTime(v.submittedAt), QString::number(v.assignees)};
    }
    ctx.printTable({tr("ID"), tr("NAME"), tr("OWNER"), tr("STATUS"), tr("NODE"), tr("BACKEND"),
                       tr("SUBMITTED"), tr("ASSIGNED USERS")},
        rows);
    return ExitOk;
}

int TaskCommands::nodesList(CliContext &ctx)
{
    auto nodes = ctx.host()->await(ctx.host()->client().nodes());
    if (!nodes)
        return ctx.fail(nodes.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const HostNode &n : *nodes) {
            array.append(QJsonObject {
                {QStringLiteral("hostname"), n.hostname},
                {QStringLiteral("url"), n.url},
                {QStringLiteral("status"), n.status},
                {QStringLiteral("total_cores"), n.totalCores},
                // null when the host says "N/A" (an offline node)
                {QStringLiteral("cores_in_use"),
                    n.coresInUse ? QJsonValue(*n.coresInUse) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("available_cores"), n.availableCores},
                {QStringLiteral("cpu_percent"), optionalNumber(n.cpuPercent)},
                {QStringLiteral("memory_percent"), optionalNumber(n.memoryPercent)},
                {QStringLiteral("memory_used_bytes"),
                    n.memoryUsedBytes ? QJsonValue(*n.memoryUsedBytes) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("memory_total_bytes"),
                    n.memoryTotalBytes ? QJsonValue(*n.memoryTotalBytes) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("gpu_count"), static_cast<int>(n.gpuInfo.size())},
                {QStringLiteral("vm_capable"), n.vmCapable},
                {QStringLiteral("last_heartbeat"),
                    CliContext::jsonText(CliContext::timeText(n.lastHeartbeat))},
                {QStringLiteral("runner_version"), CliContext::jsonText(n.runnerVersion)},
            });
        }
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const HostNode &n : *nodes) {
        const QString cores = n.coresInUse ? QStringLiteral("%1/%2").arg(*n.coresInUse).arg(n.totalCores)
                                           : QStringLiteral("-/%1").arg(n.totalCores);
        rows << QStringList {n.hostname, n.status, cores, percentCell(n.cpuPercent),
            percentCell(n.memoryPercent), QString::number(n.gpuInfo.size()),
            CliContext::shortTime(CliContext::timeText(n.lastHeartbeat)),
            CliContext::orDash(n.runnerVersion)};
    }
    ctx.printTable({tr("HOSTNAME"), tr("STATUS"), tr("CORES USED"), tr("CPU %"), tr("MEMORY %"), tr("GPUS"),
                       tr("LAST HEARTBEAT"), tr("RUNNER")},
        rows);
    return ExitOk;
}

} // namespace rk::cli
