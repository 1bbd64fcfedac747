// The fake host's POST /api/submit (a user submitting a task) and POST /api/update (a runner
// reporting on one), as kohakuriver-host.md section 1.2 describes them and the host's
// task_submission.py and task_scheduler.py do them.
#include "FakeHost.h"

#include "FakeHostJson.h"
#include "FakeHostRouter.h"

#include <QJsonArray>

#include <algorithm>
#include <limits>

namespace rk::test {

using namespace fakejson;

namespace {

const QStringList kFinalStates
    = {QStringLiteral("completed"), QStringLiteral("failed"), QStringLiteral("killed"),
        QStringLiteral("killed_oom"), QStringLiteral("lost"), QStringLiteral("stopped")};

QJsonArray bodyLoc(const QString &key)
{
    return QJsonArray {QStringLiteral("body"), key};
}

QJsonArray bodyLoc(const QString &key, const QJsonValue &item)
{
    return QJsonArray {QStringLiteral("body"), key, item};
}

bool isInteger(const QJsonValue &v)
{
    return v.isDouble() && v.toDouble() == static_cast<double>(v.toInteger());
}

// pydantic's checks of TaskSubmission's and TaskStatusUpdate's fields. Each appends what is wrong
// with one field to `issues`; a field that is absent (or null, where `nullable`) is left alone.
class FieldChecker
{
public:
    FieldChecker(const QJsonObject &body, QList<QJsonObject> *issues) : m_body(body), m_issues(issues) { }

    bool skip(const QString &key, bool nullable) const
    {
        const QJsonValue v = m_body.value(key);
        return v.isUndefined() || (nullable && v.isNull());
    }
    void required(const QString &key)
    {
        if (m_body.value(key).isUndefined())
            add(QStringLiteral("missing"), bodyLoc(key), QStringLiteral("Field required"), m_body);
    }
    QString string(const QString &key, bool nullable)
    {
        if (skip(key, nullable))
            return {};
        const QJsonValue v = m_body.value(key);
        if (!v.isString()) {
            add(QStringLiteral("string_type"), bodyLoc(key), QStringLiteral("Input should be a valid string"),
                v);
            return {};
        }
        return v.toString();
    }
    std::optional<bool> boolean(const QString &key)
    {
        if (skip(key, true))
            return std::nullopt;
        const QJsonValue v = m_body.value(key);
        if (!v.isBool()) {
            add(QStringLiteral("bool_type"), bodyLoc(key), QStringLiteral("Input should be a valid boolean"),
                v);
            return std::nullopt;
        }
        return v.toBool();
    }
    // An int with a lower bound (pydantic's `ge`).
    std::optional<qint64> integer(const QString &key, bool nullable, qint64 minimum)
    {
        if (skip(key, nullable))
            return std::nullopt;
        qint64 value = 0;
        if (auto i = checkInt(m_body, key, minimum, std::numeric_limits<qint64>::max(), &value)) {
            m_issues->append(*i);
            return std::nullopt;
        }
        return value;
    }
    std::optional<QStringList> stringList(const QString &key, bool nullable)
    {
        if (skip(key, nullable))
            return std::nullopt;
        const QJsonValue v = m_body.value(key);
        if (!v.isArray()) {
            add(QStringLiteral("list_type"), bodyLoc(key), QStringLiteral("Input should be a valid list"), v);
            return std::nullopt;
        }
        QStringList out;
        const QJsonArray items = v.toArray();
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (!items.at(i).isString())
                add(QStringLiteral("string_type"), bodyLoc(key, int(i)),
                    QStringLiteral("Input should be a valid string"), items.at(i));
            out.append(items.at(i).toString());
        }
        return out;
    }
    QMap<QString, QString> stringMap(const QString &key)
    {
        if (skip(key, false))
            return {};
        const QJsonValue v = m_body.value(key);
        if (!v.isObject()) {
            add(QStringLiteral("dict_type"), bodyLoc(key),
                QStringLiteral("Input should be a valid dictionary"), v);
            return {};
        }
        QMap<QString, QString> out;
        const QJsonObject map = v.toObject();
        for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
            if (!it.value().isString())
                add(QStringLiteral("string_type"), bodyLoc(key, it.key()),
                    QStringLiteral("Input should be a valid string"), it.value());
            out.insert(it.key(), it.value().toString());
        }
        return out;
    }
    // list[list[int]] | None: one list of GPU indices per target.
    std::optional<QList<QList<int>>> intLists(const QString &key)
    {
        if (skip(key, true))
            return std::nullopt;
        const QJsonValue v = m_body.value(key);
        const QString listMessage = QStringLiteral("Input should be a valid list");
        if (!v.isArray()) {
            add(QStringLiteral("list_type"), bodyLoc(key), listMessage, v);
            return std::nullopt;
        }
        QList<QList<int>> out;
        const QJsonArray outer = v.toArray();
        for (qsizetype i = 0; i < outer.size(); ++i) {
            QList<int> inner;
            if (!outer.at(i).isArray()) {
                add(QStringLiteral("list_type"), bodyLoc(key, int(i)), listMessage, outer.at(i));
            } else {
                const QJsonArray items = outer.at(i).toArray();
                for (qsizetype j = 0; j < items.size(); ++j) {
                    if (!isInteger(items.at(j)))
                        add(QStringLiteral("int_type"),
                            QJsonArray {QStringLiteral("body"), key, int(i), int(j)},
                            QStringLiteral("Input should be a valid integer"), items.at(j));
                    inner.append(int(items.at(j).toInteger()));
                }
            }
            out.append(inner);
        }
        return out;
    }
    // A datetime | None as pydantic reads one: ISO 8601 text or seconds since 1970.
    QString dateTime(const QString &key)
    {
        if (skip(key, true))
            return {};
        const QJsonValue v = m_body.value(key);
        QDateTime at;
        if (v.isString())
            at = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
        else if (v.isDouble())
            at = QDateTime::fromMSecsSinceEpoch(qint64(v.toDouble() * 1000));
        if (!at.isValid()) {
            add(QStringLiteral("datetime_parsing"), bodyLoc(key),
                QStringLiteral("Input should be a valid datetime"), v);
            return {};
        }
        return apiTime(at);
    }

private:
    void add(const QString &type, const QJsonArray &loc, const QString &msg, const QJsonValue &input)
    {
        m_issues->append(issue(type, loc, msg, input));
    }

    const QJsonObject &m_body;
    QList<QJsonObject> *m_issues;
};

// Python's repr() of a str, for the host's "Failures: [...]" text.
QString pyRepr(const QString &text)
{
    const QChar quote = text.contains(QLatin1Char('\'')) && !text.contains(QLatin1Char('"'))
        ? QLatin1Char('"')
        : QLatin1Char('\'');
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    if (quote == QLatin1Char('\''))
        escaped.replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return quote + escaped + quote;
}

QString pyIntList(const QList<int> &values)
{
    QStringList parts;
    for (const int v : values)
        parts.append(QString::number(v));
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

} // namespace

std::optional<FakeReply> FakeHost::routeSubmission(const RecordedRequest &request, const Caller &caller)
{
    FakeHostRouter r(request);
    if (r.on("POST", {"api", "submit"}))
        return submit(request, caller);
    if (r.on("POST", {"api", "update"}))
        return update(request);
    return r.notMatched();
}

qint64 FakeHost::nextTaskId()
{
    // A snowflake of now, as the host makes them, kept increasing within a millisecond.
    m_lastTaskId = std::max(snowflake(QDateTime::currentMSecsSinceEpoch(), 0), m_lastTaskId + 1);
    return m_lastTaskId;
}

const QJsonObject *FakeHost::findNode(const QString &hostname) const
{
    for (const QJsonObject &node : m_nodes) {
        if (node.value(QStringLiteral("hostname")).toString() == hostname)
            return &node;
    }
    return nullptr;
}

QString FakeHost::misfit(const QJsonObject &node, std::optional<int> numa, const QList<int> &gpus,
    qint64 cores, std::optional<qint64> memoryBytes) const
{
    const QString hostname = node.value(QStringLiteral("hostname")).toString();
    if (numa) {
        const QJsonValue topology = node.value(QStringLiteral("numa_topology"));
        if (!topology.isObject())
            return QStringLiteral("Node has no NUMA topology");
        QList<int> ids;
        const QStringList keys = topology.toObject().keys();
        for (const QString &key : keys)
            ids.append(key.toInt());
        std::sort(ids.begin(), ids.end());
        if (!ids.contains(*numa))
            return QStringLiteral("Invalid NUMA ID (Valid: %1)").arg(pyIntList(ids));
    }
    // The node's GPUs less those of its running and assigning tasks (the host's own count).
    const QJsonArray gpuInfo = node.value(QStringLiteral("gpu_info")).toArray();
    if (!gpuInfo.isEmpty() && !gpus.isEmpty()) {
        QList<int> invalid;
        for (const int g : gpus) {
            if (g < 0 || g >= gpuInfo.size())
                invalid.append(g);
        }
        if (!invalid.isEmpty())
            return QStringLiteral("Invalid GPU IDs: %1").arg(pyIntList(invalid));
        QList<int> used;
        for (const FakeTask &t : m_tasks) {
            if (t.assignedNode == hostname
                && (t.status == QLatin1String("running") || t.status == QLatin1String("assigning")))
                used.append(t.requiredGpus);
        }
        for (qsizetype i = 0; i < gpuInfo.size(); ++i) {
            const int id = gpuInfo.at(i).toObject().value(QStringLiteral("gpu_id")).toInt(int(i));
            if (gpus.contains(id) && used.contains(id))
                return QStringLiteral("Requested GPUs not available");
        }
    }
    // Cores and memory as the node's snapshot in /api/nodes states them.
    if (cores > 0 && node.value(QStringLiteral("available_cores")).toInteger() < cores)
        return QStringLiteral("Insufficient available cores");
    if (memoryBytes && *memoryBytes > 0) {
        const qint64 total = node.value(QStringLiteral("memory_total_bytes")).toInteger();
        const qint64 used = node.value(QStringLiteral("memory_used_bytes")).toInteger();
        if (std::max<qint64>(0, total - used) < *memoryBytes)
            return QStringLiteral("Insufficient available memory");
    }
    return {};
}

FakeReply FakeHost::submit(const RecordedRequest &request, const Caller &caller)
{
    if (auto denied = requireRole(caller, QStringLiteral("user")))
        return *denied;
    QJsonObject body;
    if (auto bad = bodyObject(request, &body))
        return *bad;

    // TaskSubmission, field by field.
    QList<QJsonObject> issues;
    FieldChecker check(body, &issues);
    const bool typeGiven = !check.skip(QStringLiteral("task_type"), false);
    QString taskType = check.string(QStringLiteral("task_type"), false);
    if (!typeGiven)
        taskType = QStringLiteral("command");
    QString command = check.string(QStringLiteral("command"), false);
    if (command.isNull())
        command = QStringLiteral(""); // the default: "", not null
    QStringList arguments = check.stringList(QStringLiteral("arguments"), false).value_or(QStringList());
    QMap<QString, QString> envVars = check.stringMap(QStringLiteral("env_vars"));
    const qint64 cores = check.integer(QStringLiteral("required_cores"), false, 0).value_or(1);
    const auto gpuLists = check.intLists(QStringLiteral("required_gpus"));
    const auto memoryBytes = check.integer(QStringLiteral("required_memory_bytes"), true, 0);
    const auto targetList = check.stringList(QStringLiteral("targets"), true);
    const QString containerName = check.string(QStringLiteral("container_name"), true);
    const QString registryImage = check.string(QStringLiteral("registry_image"), true);
    const auto privileged = check.boolean(QStringLiteral("privileged"));
    const auto mounts = check.stringList(QStringLiteral("additional_mounts"), true);
    const QString reservation = check.string(QStringLiteral("ip_reservation_token"), true);
    if (!issues.isEmpty())
        return validationError(issues);

    const bool vps = taskType == QLatin1String("vps");
    if (taskType != QLatin1String("command") && !vps)
        return FakeReply::detail(
            400, QStringLiteral("Invalid task type. Only 'command' and 'vps' are supported."));
    if (vps) {
        arguments.clear();
        envVars.clear();
    }
    // The container: a registry image wins, "NULL" is none, otherwise the default environment.
    QString container;
    QString image;
    if (!registryImage.isEmpty()) {
        image = registryImage;
    } else if (containerName == QLatin1String("NULL")) {
        if (vps)
            return FakeReply::detail(400, QStringLiteral("VPS tasks require a Docker container."));
    } else {
        container = containerName.isEmpty() ? QStringLiteral("kohakuriver-base") : containerName;
        image = QStringLiteral("kohakuriver/%1:base").arg(container);
    }

    // The targets: given, or the online node with the most free cores.
    QStringList targets = targetList.value_or(QStringList());
    const bool anyGpus = gpuLists && !gpuLists->isEmpty();
    if (targets.isEmpty()) {
        if (anyGpus)
            return FakeReply::detail(
                400, QStringLiteral("No target node specified for GPU task is not allowed."));
        const QJsonObject *best = nullptr;
        for (const QJsonObject &node : std::as_const(m_nodes)) {
            const qint64 free = node.value(QStringLiteral("available_cores")).toInteger();
            if (node.value(QStringLiteral("status")).toString() != QLatin1String("online") || free < cores)
                continue;
            if (!best || free > best->value(QStringLiteral("available_cores")).toInteger())
                best = &node;
        }
        if (!best)
            return FakeReply::detail(503, QStringLiteral("No suitable node available for this task."));
        targets = {best->value(QStringLiteral("hostname")).toString()};
    }
    const QList<QList<int>> gpus = anyGpus ? *gpuLists : QList<QList<int>>(targets.size());
    if (gpus.size() != targets.size())
        return FakeReply::detail(400,
            QStringLiteral("required_gpus length (%1) must match targets length (%2).")
                .arg(gpus.size())
                .arg(targets.size()));
    if (targets.size() > 1 && vps)
        return FakeReply::detail(400, QStringLiteral("VPS tasks cannot be submitted to multiple targets."));

    // One task per target; a target that does not fit is reported, not fatal.
    const bool needsApproval = caller.role == QLatin1String("user");
    QJsonArray taskIds;
    QJsonArray failed;
    QStringList failedRepr;
    std::optional<qint64> batchId;
    QJsonObject lastNode;
    QJsonValue runnerResponse;
    for (qsizetype i = 0; i < targets.size(); ++i) {
        const QString &target = targets.at(i);
        const QStringList parts = target.split(QLatin1Char(':'));
        std::optional<int> numa;
        QString reason;
        if (parts.size() > 1) {
            bool ok = false;
            numa = parts.at(1).toInt(&ok);
            if (!ok || *numa < 0)
                reason = QStringLiteral("Invalid target format");
        }
        const QJsonObject *node = reason.isEmpty() ? findNode(parts.first()) : nullptr;
        if (reason.isEmpty() && !node)
            reason = QStringLiteral("Node not registered");
        const QString status = node ? node->value(QStringLiteral("status")).toString() : QString();
        if (reason.isEmpty() && status != QLatin1String("online"))
            reason = QStringLiteral("Node status is %1").arg(status);
        if (reason.isEmpty())
            reason = misfit(*node, numa, gpus.at(i), cores, memoryBytes);
        if (reason.isEmpty() && !reservation.isEmpty())
            reason = QStringLiteral("IP reservation requires overlay network to be enabled");
        if (!reason.isEmpty()) {
            failed.append(
                QJsonObject {{QStringLiteral("target"), target}, {QStringLiteral("reason"), reason}});
            failedRepr.append(
                QStringLiteral("{'target': %1, 'reason': %2}").arg(pyRepr(target), pyRepr(reason)));
            continue;
        }

        FakeTask task;
        task.taskId = nextTaskId();
        task.taskType = taskType;
        task.batchId = batchId.value_or(task.taskId);
        batchId = task.batchId;
        if (caller.id > 0)
            task.ownerId = caller.id; // the X-Admin-Token's mock admin (id 0) owns nothing
        if (needsApproval) {
            task.approvalStatus = QStringLiteral("pending");
            task.status = QStringLiteral("pending_approval");
        } else {
            // Operators and admins approve their own submissions.
            if (task.ownerId) {
                task.approvalStatus = QStringLiteral("approved");
                task.approvedById = task.ownerId;
                task.approvedAt = now();
            }
            task.status = QStringLiteral("assigning");
        }
        task.command = command;
        task.arguments = arguments;
        task.envVars = envVars;
        task.requiredCores = int(cores);
        task.requiredGpus = gpus.at(i);
        task.requiredMemoryBytes = memoryBytes;
        task.targetNumaNodeId = numa;
        task.assignedNode = parts.first();
        task.containerName = container;
        task.dockerImageName = image;
        task.privileged = privileged.value_or(false);
        task.mountDirs = mounts.value_or(QStringList());
        if (vps) {
            // The first SSH port from 2222 that no active VPS holds.
            int port = 2222;
            static const QStringList active = {QStringLiteral("pending"), QStringLiteral("assigning"),
                QStringLiteral("running"), QStringLiteral("paused")};
            while (std::any_of(m_tasks.cbegin(), m_tasks.cend(), [port](const FakeTask &t) {
                return t.taskType == QLatin1String("vps") && t.sshPort == port && active.contains(t.status);
            }))
                ++port;
            task.sshPort = port;
        }
        task.submittedAt = now();
        addTask(task);

        taskIds.append(QString::number(task.taskId));
        lastNode = *node;
        // A task waiting for approval is not dispatched. A command task is dispatched in the
        // background (the host answers `true`); a VPS waits for its runner, which the fake does
        // not have: it stays "assigning" and the runner's answer is left out.
        if (needsApproval)
            runnerResponse = QJsonObject {{QStringLiteral("status"), QStringLiteral("pending_approval")}};
        else
            runnerResponse = vps ? QJsonValue() : QJsonValue(true);
    }

    if (taskIds.isEmpty())
        return FakeReply::detail(503,
            QStringLiteral("Failed to schedule task for any target. Failures: [%1]")
                .arg(failedRepr.join(QStringLiteral(", "))));
    if (!failed.isEmpty()) {
        return FakeReply::json(202,
            QJsonObject {{QStringLiteral("message"),
                             QStringLiteral("Task batch submitted. %1 tasks created. Some targets failed.")
                                 .arg(taskIds.size())},
                {QStringLiteral("task_ids"), taskIds}, {QStringLiteral("failed_targets"), failed}});
    }
    QJsonObject answer {
        {QStringLiteral("message"),
            QStringLiteral("Task batch submitted successfully. %1 tasks created.").arg(taskIds.size())},
        {QStringLiteral("task_ids"), taskIds},
        {QStringLiteral("assigned_node"),
            QJsonObject {{QStringLiteral("hostname"), lastNode.value(QStringLiteral("hostname"))},
                {QStringLiteral("url"), lastNode.value(QStringLiteral("url"))}}},
    };
    if (!runnerResponse.isNull())
        answer.insert(QStringLiteral("runner_response"), runnerResponse);
    return FakeReply::json(202, answer);
}

FakeReply FakeHost::update(const RecordedRequest &request)
{
    QJsonObject body;
    if (auto bad = bodyObject(request, &body))
        return *bad;
    // TaskStatusUpdate. task_id is a JSON number above 2^53: read as an integer, never a double.
    QList<QJsonObject> issues;
    FieldChecker check(body, &issues);
    check.required(QStringLiteral("task_id"));
    check.required(QStringLiteral("status"));
    qint64 taskId = 0;
    const QJsonValue idValue = body.value(QStringLiteral("task_id"));
    bool idOk = false;
    if (idValue.isString())
        taskId = idValue.toString().toLongLong(&idOk); // pydantic's lax mode takes "123" too
    else if (isInteger(idValue)) {
        taskId = idValue.toInteger();
        idOk = true;
    }
    if (!idOk && !idValue.isUndefined())
        issues.append(issue(QStringLiteral("int_type"), bodyLoc(QStringLiteral("task_id")),
            QStringLiteral("Input should be a valid integer"), idValue));
    const QString status = check.string(QStringLiteral("status"), false);
    const auto exitCode = check.integer(QStringLiteral("exit_code"), true, std::numeric_limits<int>::min());
    const QString message = check.string(QStringLiteral("message"), true);
    const QString startedAt = check.dateTime(QStringLiteral("started_at"));
    const QString completedAt = check.dateTime(QStringLiteral("completed_at"));
    const auto sshPort = check.integer(QStringLiteral("ssh_port"), true, std::numeric_limits<int>::min());
    if (!issues.isEmpty())
        return validationError(issues);

    const QString refused = QStringLiteral("Task ID not recognized or invalid state transition.");
    FakeTask *task = findTask(taskId);
    if (!task)
        return fakejson::message(200, refused);
    // A task in a final state stays there, except a VPS found running again after it was lost.
    const bool recovering = task->taskType == QLatin1String("vps") && task->status == QLatin1String("lost")
        && status == QLatin1String("running");
    if (kFinalStates.contains(task->status) && !kFinalStates.contains(status) && !recovering)
        return fakejson::message(200, refused);

    task->status = status;
    task->exitCode = exitCode ? std::optional<int>(int(*exitCode)) : std::nullopt;
    task->errorMessage = message;
    if (!startedAt.isNull() && task->startedAt.isEmpty())
        task->startedAt = startedAt;
    if (recovering)
        task->completedAt.clear();
    else if (!completedAt.isNull())
        task->completedAt = completedAt;
    else if (kFinalStates.contains(status) && task->completedAt.isEmpty())
        task->completedAt = now();
    if (sshPort)
        task->sshPort = int(*sshPort);
    return fakejson::message(200, QStringLiteral("Task status updated successfully."));
}

} // namespace rk::test
