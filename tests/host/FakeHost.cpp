#include "FakeHost.h"

#include "FakeHostJson.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QSslCertificate>
#include <QSslKey>

#include <algorithm>

namespace rk::test {

using namespace fakejson;

FakeHost::FakeHost(QObject *parent) : QObject(parent)
{
    m_server.setHandler([this](const RecordedRequest &request) { return route(request); });
}

FakeHost::~FakeHost() = default;

namespace {

QString dataFile(FakeHost::Certificate certificate, const char *what)
{
    const QString stem = certificate == FakeHost::Certificate::Renewed ? QStringLiteral("fakehost-renewed")
                                                                       : QStringLiteral("fakehost");
    return QStringLiteral(RK_FAKE_HOST_DATA_DIR "/") + stem + QLatin1Char('-') + QLatin1String(what)
        + QStringLiteral(".pem");
}

} // namespace

QString FakeHost::certificateFile(Certificate certificate)
{
    return dataFile(certificate, "cert");
}

QString FakeHost::certificateSha256(Certificate which)
{
    QFile file(certificateFile(which));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QSslCertificate certificate(&file, QSsl::Pem);
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

bool FakeHost::start(quint16 port, const QHostAddress &address)
{
    seedStandard();
    return m_server.start(port, address);
}

bool FakeHost::startTls(Certificate which, quint16 port, const QHostAddress &address)
{
    QFile certFile(certificateFile(which));
    QFile keyFile(dataFile(which, "key"));
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return false;
    const QSslCertificate certificate(&certFile, QSsl::Pem);
    const QSslKey key(&keyFile, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (certificate.isNull() || key.isNull())
        return false;
    m_server.setTls(certificate, key);
    return start(port, address);
}

qint64 FakeHost::snowflake(qint64 msSinceEpoch, int sequence)
{
    return (msSinceEpoch << 22) | (qint64(1) << 12) | (sequence & 0xfff);
}

QString FakeHost::now() const
{
    return apiTime(QDateTime::currentDateTime());
}

int FakeHost::rank(const QString &role)
{
    static const QStringList hierarchy = {QStringLiteral("anony"), QStringLiteral("viewer"),
        QStringLiteral("user"), QStringLiteral("operator"), QStringLiteral("admin")};
    return static_cast<int>(hierarchy.indexOf(role)); // unknown: -1, below anony
}

qint64 FakeHost::addUser(FakeUser user)
{
    if (user.id == 0) {
        qint64 next = 1;
        for (const FakeUser &u : std::as_const(m_users))
            next = std::max(next, u.id + 1);
        user.id = next;
    }
    if (user.createdAt.isEmpty())
        user.createdAt = now();
    m_users.prepend(user); // newest first, as the host lists them
    return user.id;
}

QString FakeHost::addToken(qint64 userId, const QString &name)
{
    FakeToken token;
    token.id = m_nextTokenId++;
    token.userId = userId;
    token.name = name;
    token.plaintext = randomHex(++m_randomCounter);
    token.createdAt = now();
    m_tokens.prepend(token);
    return token.plaintext;
}

void FakeHost::addTask(const FakeTask &task)
{
    m_tasks.append(task);
    std::stable_sort(m_tasks.begin(), m_tasks.end(),
        [](const FakeTask &a, const FakeTask &b) { return a.submittedAt > b.submittedAt; });
}

bool FakeHost::setTaskStdout(qint64 taskId, std::optional<QString> text)
{
    return setTaskLog(taskId, &FakeTask::stdoutText, std::move(text));
}

bool FakeHost::setTaskStderr(qint64 taskId, std::optional<QString> text)
{
    return setTaskLog(taskId, &FakeTask::stderrText, std::move(text));
}

bool FakeHost::setTaskLog(qint64 taskId, std::optional<QString> FakeTask::*file, std::optional<QString> text)
{
    FakeTask *task = findTask(taskId);
    if (!task)
        return false;
    task->*file = std::move(text);
    return true;
}

QString FakeHost::sessionFor(qint64 userId)
{
    const QString id = randomHex(++m_randomCounter);
    m_sessions.insert(id, userId);
    return id;
}

std::optional<FakeUser> FakeHost::user(qint64 id) const
{
    for (const FakeUser &u : m_users) {
        if (u.id == id)
            return u;
    }
    return std::nullopt;
}

std::optional<FakeTask> FakeHost::task(qint64 taskId) const
{
    for (const FakeTask &t : m_tasks) {
        if (t.taskId == taskId)
            return t;
    }
    return std::nullopt;
}

FakeTask *FakeHost::findTask(qint64 taskId)
{
    for (FakeTask &t : m_tasks) {
        if (t.taskId == taskId)
            return &t;
    }
    return nullptr;
}

FakeUser *FakeHost::findUser(qint64 userId)
{
    for (FakeUser &u : m_users) {
        if (u.id == userId)
            return &u;
    }
    return nullptr;
}

QList<qint64> FakeHost::assignees(qint64 vpsId) const
{
    QList<qint64> ids;
    for (const auto &[userId, createdAt] : m_assignments.value(vpsId))
        ids.append(userId);
    return ids;
}

void FakeHost::seedStandard()
{
    m_users.clear();
    m_tokens.clear();
    m_tasks.clear();
    m_invitations.clear();
    m_sessions.clear();
    m_assignments.clear();
    m_nodes.clear();
    m_adminSecret = m_seed.adminSecret;

    // Timestamps with and without microseconds, as Python's isoformat() writes them.
    addUser({1, QStringLiteral("admin"), QStringLiteral("Administrator"), m_seed.adminPassword,
        QStringLiteral("admin"), true, QStringLiteral("2026-11-20T09:00:00")});
    addUser(
        {2, QStringLiteral("olivia"), QStringLiteral("Olivia Operator"), QStringLiteral("olivia-password"),
            QStringLiteral("operator"), true, QStringLiteral("2026-11-20T09:05:12.250000")});
    addUser({3, QStringLiteral("ulrich"), QString(), QStringLiteral("ulrich-password"),
        QStringLiteral("user"), true, QStringLiteral("2026-11-21T10:00:00.000001")});
    addUser({4, QStringLiteral("vera"), QStringLiteral("Vera Viewer"), QStringLiteral("vera-password"),
        QStringLiteral("viewer"), true, QStringLiteral("2026-11-21T11:30:00")});
    addUser({5, QStringLiteral("dora"), QStringLiteral("Dora Disabled"), QStringLiteral("dora-password"),
        QStringLiteral("user"), false, QStringLiteral("2026-11-21T12:00:00.5")});
    m_seed.adminToken = addToken(1, QStringLiteral("admin-cli"));
    m_seed.operatorToken = addToken(2, QStringLiteral("operator-cli"));
    m_seed.userToken = addToken(3, QStringLiteral("user-cli"));
    m_seed.viewerToken = addToken(4, QStringLiteral("viewer-cli"));
    m_seed.disabledToken = addToken(5, QStringLiteral("disabled-cli"));

    const qint64 base = QDateTime(QDate(2026, 11, 22), QTime(2, 0), Qt::UTC).toMSecsSinceEpoch();
    m_seed.pendingTaskId = snowflake(base + 5000, 1);
    m_seed.runningTaskId = snowflake(base + 4000, 2);
    m_seed.pausedTaskId = snowflake(base + 3000, 3);
    m_seed.completedTaskId = snowflake(base + 2000, 4);
    m_seed.vpsId = snowflake(base + 1000, 5);
    m_seed.pendingVpsId = snowflake(base + 6000, 6);

    FakeTask pending;
    pending.taskId = m_seed.pendingTaskId;
    pending.name = QStringLiteral("train-model");
    pending.ownerId = 3;
    pending.approvalStatus = QStringLiteral("pending");
    pending.command = QStringLiteral("python");
    pending.arguments = {QStringLiteral("train.py"), QStringLiteral("--epochs=3")};
    pending.envVars = {{QStringLiteral("SEED"), QStringLiteral("42")}};
    pending.requiredCores = 4;
    pending.requiredGpus = {0, 1};
    pending.status = QStringLiteral("pending_approval");
    pending.submittedAt = QStringLiteral("2026-11-22T02:00:05.123456");
    addTask(pending);

    FakeTask running;
    running.taskId = m_seed.runningTaskId;
    running.name = QStringLiteral("render");
    running.ownerId = 3;
    running.command = QStringLiteral("blender");
    running.status = QStringLiteral("running");
    running.assignedNode = QStringLiteral("node-a");
    running.submittedAt = QStringLiteral("2026-11-22T02:00:04");
    running.startedAt = QStringLiteral("2026-11-22T02:00:04.900000");
    running.stdoutText = QStringLiteral("line 1\nline 2\nline 3\nline 4\nline 5\n");
    running.stderrText = QStringLiteral("warning: low disk\n");
    addTask(running);

    FakeTask paused;
    paused.taskId = m_seed.pausedTaskId;
    paused.name = QStringLiteral("sleepy");
    paused.ownerId = 2;
    paused.command = QStringLiteral("sleep");
    paused.arguments = {QStringLiteral("600")};
    paused.status = QStringLiteral("paused");
    paused.assignedNode = QStringLiteral("node-a");
    paused.submittedAt = QStringLiteral("2026-11-22T02:00:03.000042");
    paused.startedAt = QStringLiteral("2026-11-22T02:00:03.5");
    addTask(paused);

    FakeTask completed;
    completed.taskId = m_seed.completedTaskId;
    completed.name = QStringLiteral("done");
    completed.ownerId = 1;
    completed.status = QStringLiteral("completed");
    completed.assignedNode = QStringLiteral("node-a");
    completed.exitCode = 0;
    completed.submittedAt = QStringLiteral("2026-11-22T02:00:02");
    completed.startedAt = QStringLiteral("2026-11-22T02:00:02.1");
    completed.completedAt = QStringLiteral("2026-11-22T02:01:00");
    addTask(completed);

    FakeTask vps;
    vps.taskId = m_seed.vpsId;
    vps.taskType = QStringLiteral("vps");
    vps.name = QStringLiteral("dev-box");
    vps.ownerId = 2;
    vps.command = QStringLiteral("vps");
    vps.requiredCores = 2;
    vps.status = QStringLiteral("running");
    vps.assignedNode = QStringLiteral("node-a");
    vps.sshPort = 2222;
    vps.submittedAt = QStringLiteral("2026-11-22T02:00:01.999999");
    vps.startedAt = QStringLiteral("2026-11-22T02:00:02");
    addTask(vps);
    m_assignments[m_seed.vpsId].append({3, QStringLiteral("2026-11-22T02:10:00.000100")});

    FakeTask pendingVps = vps;
    pendingVps.taskId = m_seed.pendingVpsId;
    pendingVps.name = QStringLiteral("gpu-box");
    pendingVps.ownerId = 3;
    pendingVps.approvalStatus = QStringLiteral("pending");
    pendingVps.status = QStringLiteral("pending_approval");
    pendingVps.assignedNode.clear();
    pendingVps.sshPort.reset();
    pendingVps.startedAt.clear();
    pendingVps.submittedAt = QStringLiteral("2026-11-22T02:00:06");
    addTask(pendingVps);

    FakeInvitation invitation;
    invitation.id = m_nextInvitationId++;
    invitation.token = randomHex(++m_randomCounter);
    invitation.role = QStringLiteral("viewer");
    invitation.maxUsage = 2;
    invitation.usageCount = 2; // used up: is_valid false
    invitation.expiresAt = QDateTime::currentDateTime().addDays(2);
    invitation.createdById = 1;
    invitation.createdAt = QStringLiteral("2026-11-21T08:00:00");
    m_invitations.prepend(invitation);
    m_seed.invitationId = invitation.id;

    m_nodes = standardNodes();
    m_health = standardHealth();
}

FakeHost::Caller FakeHost::resolve(const RecordedRequest &request)
{
    Caller caller;
    if (!m_authEnabled) {
        caller.id = 0;
        caller.username = QStringLiteral("_system");
        caller.displayName = QStringLiteral("System (Auth Disabled)");
        caller.role = QStringLiteral("admin");
        return caller;
    }
    const auto fromUser = [](const FakeUser &u) {
        Caller c;
        c.id = u.id;
        c.username = u.username;
        c.displayName = u.displayName;
        c.role = u.role;
        c.active = u.active;
        c.createdAt = u.createdAt;
        return c;
    };
    // 1. X-Admin-Token, exact match, only when a secret is configured.
    if (!m_adminSecret.isEmpty() && request.header("x-admin-token") == m_adminSecret.toUtf8()) {
        caller.id = 0;
        caller.username = QStringLiteral("_system");
        caller.displayName = QStringLiteral("System (Auth Disabled)");
        caller.role = QStringLiteral("admin");
        return caller;
    }
    // 2. The session cookie; an unknown session or a disabled user is not accepted.
    const QString session = request.cookie(QStringLiteral("kohakuriver_session"));
    if (!session.isEmpty() && m_sessions.contains(session)) {
        if (const auto u = user(m_sessions.value(session)); u && u->active)
            return fromUser(*u);
    }
    // 3. "Authorization: Bearer <token>" (the prefix exactly); last_used is written on every use.
    const QByteArray authorization = request.header("authorization");
    if (authorization.startsWith("Bearer ")) {
        const QString presented = QString::fromUtf8(authorization.mid(7));
        for (FakeToken &token : m_tokens) {
            if (token.plaintext == presented) {
                token.lastUsed = now();
                if (const auto u = user(token.userId); u && u->active)
                    return fromUser(*u);
            }
        }
    }
    // 4. Anything else, including a bad credential, is the anonymous pseudo-user.
    return caller;
}

std::optional<FakeReply> FakeHost::requireRole(const Caller &caller, const QString &role) const
{
    if (caller.anonymous())
        return FakeReply::detail(401, QStringLiteral("Not authenticated"))
            .withHeader("www-authenticate", "Bearer");
    if (rank(caller.role) < rank(role))
        return FakeReply::detail(
            403, QStringLiteral("Insufficient permissions. Required role: %1").arg(role));
    return std::nullopt;
}

FakeReply FakeHost::route(const RecordedRequest &request)
{
    const Caller caller = resolve(request);
    if (auto reply = routeAuth(request, caller))
        return *reply;
    if (auto reply = routeAdmin(request, caller))
        return *reply;
    if (auto reply = routeTasks(request, caller))
        return *reply;
    if (auto reply = routeVps(request, caller))
        return *reply;
    if (auto reply = routeCluster(request))
        return *reply;
    if (auto reply = routeSubmission(request, caller))
        return *reply;
    return FakeReply::detail(404, QStringLiteral("Not Found"));
}

// ---------------------------------------------------------------------------------------------

QJsonObject FakeHost::userJson(const FakeUser &user) const
{
    return {{QStringLiteral("id"), user.id}, {QStringLiteral("username"), user.username},
        {QStringLiteral("display_name"), nullable(user.displayName)}, {QStringLiteral("role"), user.role},
        {QStringLiteral("is_active"), user.active}, {QStringLiteral("created_at"), nullable(user.createdAt)}};
}

QJsonObject FakeHost::callerJson(const Caller &caller) const
{
    return {{QStringLiteral("id"), caller.id}, {QStringLiteral("username"), caller.username},
        {QStringLiteral("display_name"), nullable(caller.displayName)}, {QStringLiteral("role"), caller.role},
        {QStringLiteral("is_active"), caller.active},
        {QStringLiteral("created_at"), nullable(caller.createdAt)}};
}

QJsonObject FakeHost::invitationJson(const FakeInvitation &invitation) const
{
    const bool expired = invitation.expiresAt <= QDateTime::currentDateTime();
    const int remaining = std::max(0, invitation.maxUsage - invitation.usageCount);
    return {{QStringLiteral("id"), invitation.id}, {QStringLiteral("token"), invitation.token},
        {QStringLiteral("role"), invitation.role},
        {QStringLiteral("group_id"), invitation.groupId ? QJsonValue(*invitation.groupId) : QJsonValue()},
        {QStringLiteral("max_usage"), invitation.maxUsage},
        {QStringLiteral("usage_count"), invitation.usageCount}, {QStringLiteral("remaining_uses"), remaining},
        {QStringLiteral("expires_at"), apiTime(invitation.expiresAt)},
        {QStringLiteral("is_valid"), !expired && remaining > 0},
        {QStringLiteral("created_by_id"),
            invitation.createdById ? QJsonValue(*invitation.createdById) : QJsonValue()},
        {QStringLiteral("created_at"), invitation.createdAt}};
}

QJsonObject FakeHost::taskJson(const FakeTask &task) const
{
    const auto owner = task.ownerId ? user(*task.ownerId) : std::nullopt;
    const auto approver = task.approvedById ? user(*task.approvedById) : std::nullopt;
    QJsonObject env;
    for (auto it = task.envVars.cbegin(); it != task.envVars.cend(); ++it)
        env.insert(it.key(), it.value());
    const QString logDir = QStringLiteral("/mnt/cluster-share/logs/") + QString::number(task.taskId);
    return {
        {QStringLiteral("task_id"), QString::number(task.taskId)}, // a string: above 2^53
        {QStringLiteral("task_type"), task.taskType},
        {QStringLiteral("batch_id"),
            task.batchId ? QJsonValue(QString::number(*task.batchId)) : QJsonValue()},
        {QStringLiteral("name"), nullable(task.name)},
        {QStringLiteral("owner_id"), task.ownerId ? QJsonValue(*task.ownerId) : QJsonValue()},
        {QStringLiteral("owner_username"), owner ? QJsonValue(owner->username) : QJsonValue()},
        {QStringLiteral("approval_status"), nullable(task.approvalStatus)},
        {QStringLiteral("approved_by_id"), task.approvedById ? QJsonValue(*task.approvedById) : QJsonValue()},
        {QStringLiteral("approved_by_username"), approver ? QJsonValue(approver->username) : QJsonValue()},
        {QStringLiteral("approved_at"), nullable(task.approvedAt)},
        {QStringLiteral("rejection_reason"), nullable(task.rejectionReason)},
        {QStringLiteral("command"), task.command},
        {QStringLiteral("arguments"), QJsonArray::fromStringList(task.arguments)},
        {QStringLiteral("env_vars"), env},
        {QStringLiteral("required_cores"), task.requiredCores},
        {QStringLiteral("required_gpus"), intArray(task.requiredGpus)},
        {QStringLiteral("required_memory_bytes"),
            task.requiredMemoryBytes ? QJsonValue(*task.requiredMemoryBytes) : QJsonValue()},
        {QStringLiteral("target_numa_node_id"),
            task.targetNumaNodeId ? QJsonValue(*task.targetNumaNodeId) : QJsonValue()},
        {QStringLiteral("status"), task.status},
        {QStringLiteral("assigned_node"), nullable(task.assignedNode)},
        {QStringLiteral("container_name"), nullable(task.containerName)},
        {QStringLiteral("docker_image_name"), nullable(task.dockerImageName)},
        {QStringLiteral("docker_privileged"), task.privileged},
        {QStringLiteral("docker_mount_dirs"), QJsonArray::fromStringList(task.mountDirs)},
        {QStringLiteral("ssh_port"), task.sshPort ? QJsonValue(*task.sshPort) : QJsonValue()},
        {QStringLiteral("vps_backend"), task.vpsBackend},
        {QStringLiteral("vm_image"), QJsonValue()},
        {QStringLiteral("vm_disk_size"), QJsonValue()},
        {QStringLiteral("vm_ip"), QJsonValue()},
        {QStringLiteral("stdout_path"), QString(logDir + QStringLiteral("/stdout.log"))},
        {QStringLiteral("stderr_path"), QString(logDir + QStringLiteral("/stderr.log"))},
        {QStringLiteral("exit_code"), task.exitCode ? QJsonValue(*task.exitCode) : QJsonValue()},
        {QStringLiteral("error_message"), nullable(task.errorMessage)},
        {QStringLiteral("submitted_at"), task.submittedAt},
        {QStringLiteral("started_at"), nullable(task.startedAt)},
        {QStringLiteral("completed_at"), nullable(task.completedAt)},
    };
}

QJsonObject FakeHost::vpsJson(const FakeTask &task) const
{
    const auto owner = task.ownerId ? user(*task.ownerId) : std::nullopt;
    QJsonArray assigned;
    for (const auto &[userId, createdAt] : m_assignments.value(task.taskId)) {
        if (const auto u = user(userId)) {
            assigned.append(
                QJsonObject {{QStringLiteral("id"), u->id}, {QStringLiteral("username"), u->username},
                    {QStringLiteral("display_name"), nullable(u->displayName)}});
        }
    }
    return {
        {QStringLiteral("task_id"), QString::number(task.taskId)},
        {QStringLiteral("name"), nullable(task.name)},
        {QStringLiteral("owner_id"), task.ownerId ? QJsonValue(*task.ownerId) : QJsonValue()},
        {QStringLiteral("owner_username"), owner ? QJsonValue(owner->username) : QJsonValue()},
        {QStringLiteral("assignees"), assigned},
        {QStringLiteral("required_cores"), task.requiredCores},
        {QStringLiteral("required_gpus"), intArray(task.requiredGpus)},
        {QStringLiteral("required_memory_bytes"), QJsonValue()},
        {QStringLiteral("status"), task.status},
        {QStringLiteral("assigned_node"), nullable(task.assignedNode)},
        {QStringLiteral("target_numa_node_id"), QJsonValue()},
        {QStringLiteral("container_name"), nullable(task.containerName)},
        {QStringLiteral("ssh_port"), task.sshPort ? QJsonValue(*task.sshPort) : QJsonValue()},
        {QStringLiteral("vps_backend"), task.vpsBackend},
        {QStringLiteral("vm_image"), QJsonValue()},
        {QStringLiteral("vm_ip"), QJsonValue()},
        {QStringLiteral("exit_code"), task.exitCode ? QJsonValue(*task.exitCode) : QJsonValue()},
        {QStringLiteral("error_message"), nullable(task.errorMessage)},
        {QStringLiteral("submitted_at"), task.submittedAt},
        {QStringLiteral("started_at"), nullable(task.startedAt)},
        {QStringLiteral("completed_at"), nullable(task.completedAt)},
    };
}

} // namespace rk::test
