#include "HostParsers.h"

#include "host/HostJson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

#include <array>
#include <limits>

using namespace Qt::StringLiterals;

namespace rk {

namespace {
constexpr std::array<const char *, 12> kTaskStatuses = {"pending_approval", "rejected", "pending",
    "assigning", "running", "paused", "completed", "failed", "killed", "killed_oom", "lost", "stopped"};
} // namespace

HostTaskStatus hoststatus::fromString(QStringView text)
{
    for (size_t i = 0; i < kTaskStatuses.size(); ++i) {
        if (text == QLatin1StringView(kTaskStatuses[i]))
            return static_cast<HostTaskStatus>(i);
    }
    return HostTaskStatus::Unknown;
}

QString hoststatus::toString(HostTaskStatus status)
{
    const auto index = static_cast<size_t>(status);
    return index < kTaskStatuses.size() ? QString::fromLatin1(kTaskStatuses[index]) : QString();
}

namespace hostparse {

using hostjson::FieldReader;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::HostJson", text);
}

// A whole body parsed as JSON, then handed to an item parser with an empty path.
template<typename T, typename Parser> Result<T> body(const QByteArray &bytes, Parser parse)
{
    Result<QJsonValue> value = hostjson::parseValue(bytes);
    if (!value.ok())
        return value.error();
    return parse(*value, QString());
}

template<typename T, typename ItemParser>
Result<QList<T>> listBody(const QByteArray &bytes, ItemParser parseItem)
{
    Result<QJsonValue> value = hostjson::parseValue(bytes);
    if (!value.ok())
        return value.error();
    return hostjson::list<T>(*value, QString(), parseItem);
}

QMap<QString, QString> stringMap(FieldReader &r, QLatin1StringView key)
{
    QMap<QString, QString> out;
    if (!r.ok() || !r.has(key))
        return out;
    const QJsonValue v = r.value(key);
    if (!v.isObject()) {
        r.fail(key, tr("expected an object, got %1").arg(hostjson::describe(v)));
        return out;
    }
    const QJsonObject object = v.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.value().isString()) {
            r.fail(hostjson::invalid(hostjson::child(r.pathOf(key), it.key()),
                tr("expected text, got %1").arg(hostjson::describe(it.value()))));
            return {};
        }
        out.insert(it.key(), it.value().toString());
    }
    return out;
}

// numa_topology: {"0": [0, 1, 2], "1": [...]} or null. The keys are node numbers as strings.
QMap<int, QList<int>> numaTopology(FieldReader &r, QLatin1StringView key, bool *present)
{
    QMap<int, QList<int>> out;
    *present = false;
    if (!r.ok() || !r.has(key))
        return out;
    const QJsonValue v = r.value(key);
    if (!v.isObject()) {
        r.fail(key, tr("expected an object, got %1").arg(hostjson::describe(v)));
        return out;
    }
    const QJsonObject object = v.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString entryPath = hostjson::child(r.pathOf(key), it.key());
        Result<qint64> numaNode = hostjson::toId(QJsonValue(it.key()), entryPath);
        if (!numaNode.ok() || *numaNode < 0 || *numaNode > std::numeric_limits<int>::max()) {
            r.fail(hostjson::invalid(entryPath, tr("expected a NUMA node number as the key")));
            return {};
        }
        Result<QList<int>> cores = hostjson::list<int>(
            it.value(), entryPath, [](const QJsonValue &item, const QString &path) -> Result<int> {
                Result<qint64> n = hostjson::toInteger(item, path, 0, std::numeric_limits<int>::max());
                if (!n.ok())
                    return n.error();
                return static_cast<int>(*n);
            });
        if (!cores.ok()) {
            r.fail(cores.error());
            return {};
        }
        out.insert(static_cast<int>(*numaNode), *cores);
    }
    *present = true;
    return out;
}

HostTaskStatus status(FieldReader &r, QString *text)
{
    *text = r.string("status"_L1);
    return hoststatus::fromString(*text);
}

} // namespace

Result<HostUser> user(const QJsonValue &value, const QString &path)
{
    FieldReader r(value, path);
    HostUser u;
    u.id = r.id("id"_L1);
    u.username = r.string("username"_L1);
    u.displayName = r.optString("display_name"_L1);
    u.role = r.string("role"_L1);
    u.active = r.boolean("is_active"_L1);
    u.createdAt = r.optTimestamp("created_at"_L1);
    if (!r.ok())
        return r.error();
    return u;
}

Result<HostToken> token(const QJsonValue &value, const QString &path)
{
    FieldReader r(value, path);
    HostToken t;
    t.id = r.id("id"_L1);
    t.name = r.string("name"_L1);
    t.lastUsed = r.optTimestamp("last_used"_L1);
    t.createdAt = r.timestamp("created_at"_L1);
    if (!r.ok())
        return r.error();
    return t;
}

Result<HostInvitation> invitation(const QJsonValue &value, const QString &path)
{
    FieldReader r(value, path);
    HostInvitation i;
    i.id = r.id("id"_L1);
    i.token = r.string("token"_L1);
    i.role = r.string("role"_L1);
    i.groupId = r.optId("group_id"_L1);
    i.maxUsage = r.int32("max_usage"_L1);
    i.usageCount = r.int32("usage_count"_L1);
    i.remainingUses = r.int32("remaining_uses"_L1);
    i.expiresAt = r.timestamp("expires_at"_L1);
    i.valid = r.boolean("is_valid"_L1);
    i.createdById = r.optId("created_by_id"_L1);
    i.createdAt = r.timestamp("created_at"_L1);
    if (!r.ok())
        return r.error();
    return i;
}

Result<HostTask> task(const QJsonValue &value, const QString &path)
{
    FieldReader r(value, path);
    HostTask t;
    t.taskId = r.id("task_id"_L1);
    t.taskType = r.string("task_type"_L1);
    t.batchId = r.optId("batch_id"_L1);
    t.name = r.optString("name"_L1);
    t.ownerId = r.optId("owner_id"_L1);
    t.ownerUsername = r.optString("owner_username"_L1);
    t.approvalStatus = r.optString("approval_status"_L1);
    t.approvedById = r.optId("approved_by_id"_L1);
    t.approvedByUsername = r.optString("approved_by_username"_L1);
    t.approvedAt = r.optTimestamp("approved_at"_L1);
    t.rejectionReason = r.optString("rejection_reason"_L1);
    t.command = r.optString("command"_L1);
    t.arguments = r.stringList("arguments"_L1);
    t.envVars = stringMap(r, "env_vars"_L1);
    t.requiredCores = r.optInt32("required_cores"_L1).value_or(0);
    t.requiredGpus = r.intList("required_gpus"_L1);
    t.requiredMemoryBytes = r.optInteger("required_memory_bytes"_L1, 0);
    t.targetNumaNodeId = r.optInt32("target_numa_node_id"_L1);
    t.status = status(r, &t.statusText);
    t.assignedNode = r.optString("assigned_node"_L1);
    t.containerName = r.optString("container_name"_L1);
    t.dockerImageName = r.optString("docker_image_name"_L1);
    t.dockerPrivileged = r.optBoolean("docker_privileged"_L1).value_or(false);
    t.dockerMountDirs = r.stringList("docker_mount_dirs"_L1);
    t.sshPort = r.optInt32("ssh_port"_L1);
    t.vpsBackend = r.optString("vps_backend"_L1);
    t.vmImage = r.optString("vm_image"_L1);
    t.vmDiskSize = r.optString("vm_disk_size"_L1);
    t.vmIp = r.optString("vm_ip"_L1);
    t.stdoutPath = r.optString("stdout_path"_L1);
    t.stderrPath = r.optString("stderr_path"_L1);
    t.exitCode = r.optInt32("exit_code"_L1);
    t.errorMessage = r.optString("error_message"_L1);
    t.submittedAt = r.optTimestamp("submitted_at"_L1);
    t.startedAt = r.optTimestamp("started_at"_L1);
    t.completedAt = r.optTimestamp("completed_at"_L1);
    if (!r.ok())
        return r.error();
    return t;
}

Result<HostVps> vps(const QJsonValue &value, const QString &path)
{
    FieldReader r(value, path);
    HostVps v;
    v.taskId = r.id("task_id"_L1);
    v.name = r.optString("name"_L1);
    v.ownerId = r.optId("owner_id"_L1);
    v.ownerUsername = r.optString("owner_username"_L1);
    const QJsonArray assignees = r.optArray("assignees"_L1);
    for (qsizetype i = 0; r.ok() && i < assignees.size(); ++i) {
        FieldReader a(assignees.at(i), hostjson::child(r.pathOf("assignees"_L1), i));
        HostVpsAssignee assignee;
        assignee.id = a.id("id"_L1);
        assignee.username = a.string("username"_L1);
        assignee.displayName = a.optString("display_name"_L1);
        if (!a.ok())
            return a.error();
        v.assignees.append(assignee);
    }
    v.requiredCores = r.optInt32("required_cores"_L1).value_or(0);
    v.requiredGpus = r.intList("required_gpus"_L1);
    v.requiredMemoryBytes = r.optInteger("required_memory_bytes"_L1, 0);
    v.status = status(r, &v.statusText);
    v.assignedNode = r.optString("assigned_node"_L1);
    v.targetNumaNodeId = r.optInt32("target_numa_node_id"_L1);
    v.containerName = r.optString("container_name"_L1);
    v.sshPort = r.optInt32("ssh_port"_L1);
    v.vpsBackend = r.optString("vps_backend"_L1);
    v.vmImage = r.optString("vm_image"_L1);
    v.vmIp = r.optString("vm_ip"_L1);
    v.exitCode = r.optInt32("exit_code"_L1);
    v.errorMessage = r.optString("error_message"_L1);
    v.submittedAt = r.optTimestamp("submitted_at"_L1);
    v.startedAt = r.optTimestamp("started_at"_L1);
    v.completedAt = r.optTimestamp("completed_at"_L1);
    if (!r.ok())
        return r.error();
    return v;
}

Result<HostNode> node(const QJsonValue &value, const QString &path)
{
    FieldReader r(value, path);
    HostNode n;
    n.hostname = r.string("hostname"_L1);
    n.url = r.optString("url"_L1);
    n.totalCores = r.int32("total_cores"_L1);
    // An int, or the string "N/A" while the node is offline.
    if (r.ok() && r.has("cores_in_use"_L1)) {
        const QJsonValue inUse = r.value("cores_in_use"_L1);
        if (!(inUse.isString() && inUse.toString() == QLatin1String("N/A")))
            n.coresInUse = r.int32("cores_in_use"_L1);
    }
    n.availableCores = r.optInt32("available_cores"_L1).value_or(0);
    n.status = r.string("status"_L1);
    n.lastHeartbeat = r.optTimestamp("last_heartbeat"_L1);
    n.numaTopology = numaTopology(r, "numa_topology"_L1, &n.hasNumaTopology);
    n.gpuInfo = r.objectList("gpu_info"_L1);
    n.cpuPercent = r.optNumber("cpu_percent"_L1);
    n.memoryPercent = r.optNumber("memory_percent"_L1);
    n.memoryUsedBytes = r.optInteger("memory_used_bytes"_L1, 0);
    n.memoryTotalBytes = r.optInteger("memory_total_bytes"_L1, 0);
    n.currentAvgTemp = r.optNumber("current_avg_temp"_L1);
    n.currentMaxTemp = r.optNumber("current_max_temp"_L1);
    n.vmCapable = r.optBoolean("vm_capable"_L1).value_or(false);
    n.vfioGpus = r.objectList("vfio_gpus"_L1);
    n.runnerVersion = r.optString("runner_version"_L1);
    if (!r.ok())
        return r.error();
    return n;
}

Result<HostNodeHealth> nodeHealth(const QJsonValue &value, const QString &path)
{
    FieldReader r(value, path);
    HostNodeHealth h;
    h.hostname = r.string("hostname"_L1);
    h.status = r.optString("status"_L1);
    h.lastHeartbeat = r.optTimestamp("last_heartbeat"_L1);
    h.cpuPercent = r.optNumber("cpu_percent"_L1);
    h.memoryPercent = r.optNumber("memory_percent"_L1);
    h.memoryUsedBytes = r.optInteger("memory_used_bytes"_L1, 0);
    h.memoryTotalBytes = r.optInteger("memory_total_bytes"_L1, 0);
    h.totalCores = r.optInt32("total_cores"_L1);
    h.currentAvgTemp = r.optNumber("current_avg_temp"_L1);
    h.currentMaxTemp = r.optNumber("current_max_temp"_L1);
    if (!r.ok())
        return r.error();
    return h;
}

Result<HostHealthAggregate> healthAggregate(const QJsonValue &value, const QString &path)
{
    FieldReader r(value, path);
    HostHealthAggregate a;
    a.totalNodes = r.int32("totalNodes"_L1);
    a.onlineNodes = r.int32("onlineNodes"_L1);
    a.totalCores = r.integer("totalCores"_L1, 0);
    a.totalMemBytes = r.integer("totalMemBytes"_L1, 0);
    a.usedMemBytes = r.integer("usedMemBytes"_L1, 0);
    a.avgCpuPercent = r.number("avgCpuPercent"_L1);
    a.avgMemPercent = r.number("avgMemPercent"_L1);
    a.maxAvgCpuTemp = r.number("maxAvgCpuTemp"_L1);
    a.maxMaxCpuTemp = r.number("maxMaxCpuTemp"_L1);
    a.lastUpdated = r.optTimestamp("lastUpdated"_L1);
    if (!r.ok())
        return r.error();
    return a;
}

// ---------------------------------------------------------------------------------------------

Result<HostAuthStatus> authStatusBody(const QByteArray &bytes)
{
    return body<HostAuthStatus>(
        bytes, [](const QJsonValue &value, const QString &path) -> Result<HostAuthStatus> {
            FieldReader r(value, path);
            HostAuthStatus s;
            s.authEnabled = r.boolean("auth_enabled"_L1);
            s.sessionExpireHours = r.optInt32("session_expire_hours"_L1);
            if (!r.ok())
                return r.error();
            return s;
        });
}

Result<HostUser> userBody(const QByteArray &bytes)
{
    return body<HostUser>(bytes, &user);
}

Result<QList<HostUser>> usersBody(const QByteArray &bytes)
{
    return listBody<HostUser>(bytes, &user);
}

Result<HostLogin> loginBody(const QByteArray &bytes)
{
    return body<HostLogin>(bytes, [](const QJsonValue &value, const QString &path) -> Result<HostLogin> {
        FieldReader r(value, path);
        HostLogin login;
        login.message = r.optString("message"_L1);
        if (!r.ok())
            return r.error();
        Result<HostUser> u = user(r.value("user"_L1), r.pathOf("user"_L1));
        if (!u.ok())
            return u.error();
        login.user = *u;
        return login;
    });
}

Result<HostMessage> messageBody(const QByteArray &bytes)
{
    return body<HostMessage>(bytes, [](const QJsonValue &value, const QString &path) -> Result<HostMessage> {
        FieldReader r(value, path);
        HostMessage m {r.string("message"_L1)};
        if (!r.ok())
            return r.error();
        return m;
    });
}

Result<QList<HostToken>> tokensBody(const QByteArray &bytes)
{
    return listBody<HostToken>(bytes, &token);
}

Result<HostCreatedToken> createdTokenBody(const QByteArray &bytes)
{
    return body<HostCreatedToken>(
        bytes, [](const QJsonValue &value, const QString &path) -> Result<HostCreatedToken> {
            FieldReader r(value, path);
            HostCreatedToken t;
            t.id = r.id("id"_L1);
            t.name = r.string("name"_L1);
            t.token = r.string("token"_L1);
            t.createdAt = r.timestamp("created_at"_L1);
            if (r.ok() && t.token.isEmpty())
                r.fail("token"_L1, tr("the token is empty"));
            if (!r.ok())
                return r.error();
            return t;
        });
}

Result<HostInvitation> invitationBody(const QByteArray &bytes)
{
    return body<HostInvitation>(bytes, &invitation);
}

Result<QList<HostInvitation>> invitationsBody(const QByteArray &bytes)
{
    return listBody<HostInvitation>(bytes, &invitation);
}

Result<HostTask> taskBody(const QByteArray &bytes)
{
    return body<HostTask>(bytes, &task);
}

Result<QList<HostTask>> tasksBody(const QByteArray &bytes)
{
    return listBody<HostTask>(bytes, &task);
}

Result<HostTaskDecision> taskDecisionBody(const QByteArray &bytes)
{
    return body<HostTaskDecision>(
        bytes, [](const QJsonValue &value, const QString &path) -> Result<HostTaskDecision> {
            FieldReader r(value, path);
            HostTaskDecision d;
            d.message = r.string("message"_L1);
            d.taskId = r.id("task_id"_L1);
            if (r.has("reason"_L1))
                d.reason = r.string("reason"_L1);
            if (!r.ok())
                return r.error();
            return d;
        });
}

Result<QList<HostVps>> vpsListBody(const QByteArray &bytes)
{
    return listBody<HostVps>(bytes, &vps);
}

Result<HostVpsAssignments> vpsAssignmentsBody(const QByteArray &bytes)
{
    return body<HostVpsAssignments>(
        bytes, [](const QJsonValue &value, const QString &path) -> Result<HostVpsAssignments> {
            FieldReader r(value, path);
            HostVpsAssignments out;
            out.taskId = r.id("task_id"_L1);
            const QJsonArray items = r.optArray("assignments"_L1);
            for (qsizetype i = 0; r.ok() && i < items.size(); ++i) {
                FieldReader a(items.at(i), hostjson::child(r.pathOf("assignments"_L1), i));
                HostVpsAssignment assignment;
                assignment.userId = a.id("user_id"_L1);
                assignment.username = a.optString("username"_L1);
                assignment.displayName = a.optString("display_name"_L1);
                assignment.assignedAt = a.optTimestamp("assigned_at"_L1);
                if (!a.ok())
                    return a.error();
                out.assignments.append(assignment);
            }
            if (!r.ok())
                return r.error();
            return out;
        });
}

Result<HostVpsAssignResult> vpsAssignResultBody(const QByteArray &bytes)
{
    return body<HostVpsAssignResult>(
        bytes, [](const QJsonValue &value, const QString &path) -> Result<HostVpsAssignResult> {
            FieldReader r(value, path);
            HostVpsAssignResult out;
            out.message = r.string("message"_L1);
            out.taskId = r.id("task_id"_L1);
            out.assignedUsers = r.idList("assigned_users"_L1);
            if (!r.ok())
                return r.error();
            return out;
        });
}

Result<QList<HostNode>> nodesBody(const QByteArray &bytes)
{
    return listBody<HostNode>(bytes, &node);
}

Result<HostHealth> healthBody(const QByteArray &bytes)
{
    return body<HostHealth>(bytes, [](const QJsonValue &value, const QString &path) -> Result<HostHealth> {
        FieldReader r(value, path);
        if (!r.ok())
            return r.error();
        HostHealth health;
        const QJsonArray samples = r.optArray("nodes"_L1);
        for (qsizetype i = 0; r.ok() && i < samples.size(); ++i) {
            Result<QList<HostNodeHealth>> sample = hostjson::list<HostNodeHealth>(
                samples.at(i), hostjson::child(r.pathOf("nodes"_L1), i), &nodeHealth);
            if (!sample.ok())
                return sample.error();
            health.nodes.append(*sample);
        }
        const QJsonArray aggregates = r.optArray("aggregate"_L1);
        if (!r.ok())
            return r.error();
        Result<QList<HostHealthAggregate>> parsed
            = hostjson::list<HostHealthAggregate>(aggregates, r.pathOf("aggregate"_L1), &healthAggregate);
        if (!parsed.ok())
            return parsed.error();
        health.aggregate = *parsed;
        return health;
    });
}

Result<QString> textBody(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

} // namespace hostparse
} // namespace rk
