// HostMirror's dataset writes: what the host's REST API returned, into the host's own tables.
#include "HostMirror.h"

#include "MirrorLogging.h"
#include "core/PyJson.h"
#include "store/SqliteDatabase.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace rk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::HostMirror", text);
}

// NOT NULL text columns get '' where the API sent null (a null QString would bind NULL).
QString notNull(const QString &text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

SqlStatement &bindOptional(SqlStatement &stmt, int index, const std::optional<qint64> &value)
{
    return value ? stmt.bind(index, *value) : stmt.bindNull(index);
}

SqlStatement &bindOptional(SqlStatement &stmt, int index, const std::optional<int> &value)
{
    return value ? stmt.bind(index, *value) : stmt.bindNull(index);
}

SqlStatement &bindOptional(SqlStatement &stmt, int index, const std::optional<double> &value)
{
    return value ? stmt.bind(index, *value) : stmt.bindNull(index);
}

SqlStatement &bindTime(SqlStatement &stmt, int index, const HostTimestamp &value)
{
    return value ? stmt.bind(index, hosttime::toDbText(*value)) : stmt.bindNull(index);
}

// NOT NULL DATETIME columns: '' when the host sent none (the models read '' as "no time").
QString timeText(const HostTimestamp &value)
{
    return value ? hosttime::toDbText(*value) : QStringLiteral("");
}

QString intListJson(const QList<int> &values)
{
    QJsonArray array;
    for (int v : values)
        array.append(v);
    return pyjson::dumps(array);
}

QString stringListJson(const QStringList &values)
{
    return pyjson::dumps(QJsonArray::fromStringList(values));
}

QString objectListJson(const QList<QJsonObject> &values)
{
    QJsonArray array;
    for (const QJsonObject &o : values)
        array.append(o);
    return pyjson::dumps(array);
}

QString statusText(HostTaskStatus status, const QString &raw)
{
    return raw.isEmpty() ? hoststatus::toString(status) : raw;
}

Error hostileAnswer(const QString &what)
{
    return Error::make(
        Error::Code::Corrupt, tr("The host sent %1; the mirror keeps its previous data.").arg(what));
}

Status runAll(SqliteDatabase &db, std::initializer_list<const char *> statements)
{
    for (const char *sql : statements) {
        if (auto st = db.exec(QString::fromLatin1(sql)); !st)
            return st;
    }
    return {};
}

Result<QSet<qint64>> idSet(SqliteDatabase &db, const QString &sql)
{
    auto stmt = db.prepare(sql);
    if (!stmt)
        return stmt.error();
    QSet<qint64> ids;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        ids.insert(stmt->int64(0));
    }
    return ids;
}

Status deleteTask(SqliteDatabase &db, qint64 taskId)
{
    auto stmt = db.prepare(QStringLiteral("DELETE FROM tasks WHERE task_id = ?1"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, taskId);
    return stmt->run();
}

} // namespace

// --- users and invitations --------------------------------------------------------------------

Status HostMirror::storeUsers(const QList<HostUser> &users)
{
    for (const HostUser &u : users) {
        if (u.username.isEmpty())
            return hostileAnswer(tr("a user without a username"));
    }
    return m_db->writeTransaction([&]() -> Status {
        if (auto st = m_db->exec(QStringLiteral("DELETE FROM users")); !st)
            return st;
        // password_hash is NOT NULL in the host's schema; the API never sends it, and the mirror
        // must not hold one anyway.
        auto stmt = m_db->prepare(
            QStringLiteral("INSERT INTO users (id, username, display_name, password_hash, "
                           "is_active, role, created_at) VALUES (?1, ?2, ?3, '', ?4, ?5, ?6)"));
        if (!stmt)
            return stmt.error();
        for (const HostUser &u : users) {
            stmt->reset();
            stmt->bind(1, u.id)
                .bind(2, u.username)
                .bind(3, u.displayName)
                .bind(4, u.active)
                .bind(5, notNull(u.role))
                .bind(6, timeText(u.createdAt));
            if (auto st = stmt->run(); !st)
                return st;
        }
        return markSynced(MirrorDataset::Users);
    });
}

Status HostMirror::storeInvitations(const QList<HostInvitation> &invitations)
{
    return m_db->writeTransaction([&]() -> Status {
        if (auto st = m_db->exec(QStringLiteral("DELETE FROM invitations")); !st)
            return st;
        auto stmt
            = m_db->prepare(QStringLiteral("INSERT INTO invitations (id, token, role, group_id, max_usage, "
                                           "usage_count, expires_at, created_by_id, created_at) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
        if (!stmt)
            return stmt.error();
        QSet<QString> prefixes;
        for (const HostInvitation &i : invitations) {
            // Never the whole token: only enough to recognise it. invitations.token is UNIQUE, so
            // two tokens that share a prefix (1 in 4 billion) are told apart by their id.
            QString prefix = i.token.left(kInvitationTokenPrefix);
            if (prefixes.contains(prefix))
                prefix += QStringLiteral("#") + QString::number(i.id);
            prefixes.insert(prefix);
            stmt->reset();
            stmt->bind(1, i.id).bind(2, prefix).bind(3, notNull(i.role));
            bindOptional(stmt.value(), 4, i.groupId);
            stmt->bind(5, i.maxUsage).bind(6, i.usageCount).bind(7, timeText(i.expiresAt));
            bindOptional(stmt.value(), 8, i.createdById);
            stmt->bind(9, timeText(i.createdAt));
            if (auto st = stmt->run(); !st)
                return st;
        }
        return markSynced(MirrorDataset::Invitations);
    });
}

// --- tasks ------------------------------------------------------------------------------------

Status HostMirror::upsertTask(const HostTask &t)
{
    if (t.taskId <= 0)
        return hostileAnswer(tr("a task without a valid id"));
    if (t.taskType.isEmpty() || statusText(t.status, t.statusText).isEmpty())
        return hostileAnswer(tr("a task without a type or status"));
    // registry_image and assignment_suspicion_count are not in TaskResponse: a new row gets the
    // host's defaults, an existing one keeps what it has.
    auto stmt = m_db->prepare(QStringLiteral(
        "INSERT INTO tasks (task_id, task_type, batch_id, command, arguments, env_vars, required_cores, "
        "required_gpus, required_memory_bytes, target_numa_node_id, name, owner_id, approval_status, "
        "approved_by_id, approved_at, rejection_reason, status, assigned_node, assignment_suspicion_count, "
        "container_name, docker_image_name, docker_privileged, docker_mount_dirs, ssh_port, vps_backend, "
        "vm_image, vm_disk_size, vm_ip, stdout_path, stderr_path, exit_code, error_message, submitted_at, "
        "started_at, completed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
        "?15, ?16, ?17, ?18, 0, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, "
        "?34) ON CONFLICT (task_id) DO UPDATE SET task_type = excluded.task_type, batch_id = "
        "excluded.batch_id, "
        "command = excluded.command, arguments = excluded.arguments, env_vars = excluded.env_vars, "
        "required_cores = excluded.required_cores, required_gpus = excluded.required_gpus, "
        "required_memory_bytes = excluded.required_memory_bytes, "
        "target_numa_node_id = excluded.target_numa_node_id, name = excluded.name, "
        "owner_id = excluded.owner_id, approval_status = excluded.approval_status, "
        "approved_by_id = excluded.approved_by_id, approved_at = excluded.approved_at, "
        "rejection_reason = excluded.rejection_reason, status = excluded.status, "
        "assigned_node = excluded.assigned_node, container_name = excluded.container_name, "
        "docker_image_name = excluded.docker_image_name, docker_privileged = excluded.docker_privileged, "
        "docker_mount_dirs = excluded.docker_mount_dirs, ssh_port = excluded.ssh_port, "
        "vps_backend = excluded.vps_backend, vm_image = excluded.vm_image, "
        "vm_disk_size = excluded.vm_disk_size, vm_ip = excluded.vm_ip, stdout_path = excluded.stdout_path, "
        "stderr_path = excluded.stderr_path, exit_code = excluded.exit_code, "
        "error_message = excluded.error_message, submitted_at = excluded.submitted_at, "
        "started_at = excluded.started_at, completed_at = excluded.completed_at"));
    if (!stmt)
        return stmt.error();
    QJsonObject env;
    for (auto it = t.envVars.cbegin(); it != t.envVars.cend(); ++it)
        env.insert(it.key(), it.value());
    stmt->bind(1, t.taskId).bind(2, t.taskType);
    bindOptional(stmt.value(), 3, t.batchId);
    stmt->bind(4, notNull(t.command))
        .bind(5, stringListJson(t.arguments))
        .bind(6, pyjson::dumps(env))
        .bind(7, t.requiredCores)
        .bind(8, intListJson(t.requiredGpus));
    bindOptional(stmt.value(), 9, t.requiredMemoryBytes);
    bindOptional(stmt.value(), 10, t.targetNumaNodeId);
    stmt->bind(11, t.name);
    bindOptional(stmt.value(), 12, t.ownerId);
    stmt->bind(13, t.approvalStatus);
    bindOptional(stmt.value(), 14, t.approvedById);
    bindTime(stmt.value(), 15, t.approvedAt);
    stmt->bind(16, t.rejectionReason)
        .bind(17, statusText(t.status, t.statusText))
        .bind(18, t.assignedNode)
        .bind(19, t.containerName)
        .bind(20, t.dockerImageName)
        .bind(21, t.dockerPrivileged)
        .bind(22, stringListJson(t.dockerMountDirs));
    bindOptional(stmt.value(), 23, t.sshPort);
    stmt->bind(24, t.vpsBackend.isEmpty() ? QStringLiteral("docker") : t.vpsBackend)
        .bind(25, t.vmImage)
        .bind(26, t.vmDiskSize)
        .bind(27, t.vmIp)
        .bind(28, notNull(t.stdoutPath))
        .bind(29, notNull(t.stderrPath));
    bindOptional(stmt.value(), 30, t.exitCode);
    stmt->bind(31, t.errorMessage).bind(32, timeText(t.submittedAt));
    bindTime(stmt.value(), 33, t.startedAt);
    bindTime(stmt.value(), 34, t.completedAt);
    return stmt->run();
}

QList<HostMirror::KnownUser> HostMirror::knownUsers(const HostTask &task)
{
    return {{task.ownerId, task.ownerUsername, {}}, {task.approvedById, task.approvedByUsername, {}}};
}

Status HostMirror::addKnownUsers(const QList<KnownUser> &users)
{
    if (lastSynced(MirrorDataset::Users))
        return {}; // the real list is there (a user missing from it was deleted on the host)
    // OR IGNORE: an id or username already present (a placeholder from another row) stays.
    auto stmt = m_db->prepare(QStringLiteral("INSERT OR IGNORE INTO users (id, username, display_name, "
                                             "password_hash, is_active, role, created_at) "
                                             "VALUES (?1, ?2, ?3, '', 1, '', '')"));
    if (!stmt)
        return stmt.error();
    for (const KnownUser &u : users) {
        // Ids below 1 are the host's pseudo-users (the mock admin 0, anonymous -1).
        if (!u.id || *u.id < 1 || u.username.isEmpty())
            continue;
        stmt->reset();
        stmt->bind(1, *u.id).bind(2, u.username).bind(3, u.displayName);
        if (auto st = stmt->run(); !st)
            return st;
    }
    return {};
}

Status HostMirror::storeTasks(const QList<HostTask> &tasks)
{
    return m_db->writeTransaction([&]() -> Status {
        for (const HostTask &t : tasks) {
            if (auto st = upsertTask(t); !st)
                return st;
            if (auto st = addKnownUsers(knownUsers(t)); !st)
                return st;
        }
        return markSynced(MirrorDataset::Tasks);
    });
}

Status HostMirror::storePendingApprovals(
    const QList<HostTask> &pending, bool complete, const QList<HostTask> &resolved)
{
    return m_db->writeTransaction([&]() -> Status {
        QSet<qint64> known;
        for (const QList<HostTask> *list : {&pending, &resolved}) {
            for (const HostTask &t : *list) {
                if (auto st = upsertTask(t); !st)
                    return st;
                if (auto st = addKnownUsers(knownUsers(t)); !st)
                    return st;
                known.insert(t.taskId);
            }
        }
        if (complete) {
            auto stale
                = idSet(*m_db, QStringLiteral("SELECT task_id FROM tasks WHERE status = 'pending_approval'"));
            if (!stale)
                return stale.error();
            int removed = 0;
            for (qint64 id : std::as_const(*stale)) {
                if (known.contains(id))
                    continue;
                if (auto st = deleteTask(*m_db, id); !st)
                    return st;
                ++removed;
            }
            if (removed > 0)
                qCInfo(lcMirror) << removed << "tasks left the approval queue with an unknown new state";
        }
        return markSynced(MirrorDataset::PendingApprovals);
    });
}

Result<QList<qint64>> HostMirror::pendingApprovalIds()
{
    auto ids = idSet(*m_db, QStringLiteral("SELECT task_id FROM tasks WHERE status = 'pending_approval'"));
    if (!ids)
        return ids.error();
    QList<qint64> out(ids->begin(), ids->end());
    std::sort(out.begin(), out.end());
    return out;
}

// --- VPS --------------------------------------------------------------------------------------

Status HostMirror::storeVps(
    const QList<HostVps> &vpsList, const QHash<qint64, HostVpsAssignments> &assignments)
{
    for (auto it = assignments.cbegin(); it != assignments.cend(); ++it) {
        if (it->taskId != it.key())
            return hostileAnswer(tr("the assignments of another VPS"));
    }
    QSet<qint64> ids;
    for (const HostVps &v : vpsList) {
        if (v.taskId <= 0)
            return hostileAnswer(tr("a VPS without a valid id"));
        if (ids.contains(v.taskId))
            return hostileAnswer(tr("the same VPS twice"));
        if (statusText(v.status, v.statusText).isEmpty())
            return hostileAnswer(tr("a VPS without a status"));
        ids.insert(v.taskId);
    }
    return m_db->writeTransaction([&]() -> Status {
        auto existing = idSet(*m_db, QStringLiteral("SELECT task_id FROM tasks WHERE task_type = 'vps'"));
        if (!existing)
            return existing.error();
        for (qint64 id : std::as_const(*existing)) {
            if (!ids.contains(id)) {
                if (auto st = deleteTask(*m_db, id); !st)
                    return st;
            }
        }
        // The VPS list lacks the command, arguments, paths...: a new row gets the host's defaults
        // for them, an existing one (from the approval queue) keeps them.
        auto stmt = m_db->prepare(QStringLiteral(
            "INSERT INTO tasks (task_id, task_type, command, arguments, env_vars, required_cores, "
            "required_gpus, "
            "required_memory_bytes, target_numa_node_id, name, owner_id, status, assigned_node, "
            "assignment_suspicion_count, container_name, docker_privileged, ssh_port, vps_backend, vm_image, "
            "vm_ip, stdout_path, stderr_path, exit_code, error_message, submitted_at, started_at, "
            "completed_at) "
            "VALUES (?1, 'vps', '', '[]', '{}', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, 0, ?11, ?12, ?13, "
            "?14, "
            "'', '', ?15, ?16, ?17, ?18, ?19) ON CONFLICT (task_id) DO UPDATE SET task_type = 'vps', "
            "required_cores = excluded.required_cores, required_gpus = excluded.required_gpus, "
            "required_memory_bytes = excluded.required_memory_bytes, "
            "target_numa_node_id = excluded.target_numa_node_id, name = excluded.name, "
            "owner_id = excluded.owner_id, status = excluded.status, assigned_node = excluded.assigned_node, "
            "container_name = excluded.container_name, ssh_port = excluded.ssh_port, "
            "vps_backend = excluded.vps_backend, vm_image = excluded.vm_image, vm_ip = excluded.vm_ip, "
            "exit_code = excluded.exit_code, error_message = excluded.error_message, "
            "submitted_at = excluded.submitted_at, started_at = excluded.started_at, "
            "completed_at = excluded.completed_at"));
        if (!stmt)
            return stmt.error();
        for (const HostVps &v : vpsList) {
            stmt->reset();
            stmt->bind(1, v.taskId).bind(2, v.requiredCores).bind(3, intListJson(v.requiredGpus));
            bindOptional(stmt.value(), 4, v.requiredMemoryBytes);
            bindOptional(stmt.value(), 5, v.targetNumaNodeId);
            stmt->bind(6, v.name);
            bindOptional(stmt.value(), 7, v.ownerId);
            stmt->bind(8, statusText(v.status, v.statusText))
                .bind(9, v.assignedNode)
                .bind(10, v.containerName);
            bindOptional(stmt.value(), 11, v.sshPort);
            stmt->bind(12, v.vpsBackend.isEmpty() ? QStringLiteral("docker") : v.vpsBackend)
                .bind(13, v.vmImage)
                .bind(14, v.vmIp);
            bindOptional(stmt.value(), 15, v.exitCode);
            stmt->bind(16, v.errorMessage).bind(17, timeText(v.submittedAt));
            bindTime(stmt.value(), 18, v.startedAt);
            bindTime(stmt.value(), 19, v.completedAt);
            if (auto st = stmt->run(); !st)
                return st;
            QList<KnownUser> people = {{v.ownerId, v.ownerUsername, {}}};
            for (const HostVpsAssignee &a : v.assignees)
                people.append({a.id, a.username, a.displayName});
            if (auto st = addKnownUsers(people); !st)
                return st;
        }

        // Assignments: from GET /api/vps/{id}/assignments (with their times) where the caller
        // fetched them, otherwise from the list's assignees, which have no times: a pair that was
        // already mirrored keeps its time and a new one gets the sync time.
        QHash<QPair<qint64, qint64>, QString> since;
        {
            auto old = m_db->prepare(
                QStringLiteral("SELECT vps_task_id, user_id, created_at FROM vps_assignments"));
            if (!old)
                return old.error();
            for (;;) {
                auto row = old->step();
                if (!row)
                    return row.error();
                if (!*row)
                    break;
                since.insert({old->int64(0), old->int64(1)}, old->text(2));
            }
        }
        if (auto st = m_db->exec(QStringLiteral("DELETE FROM vps_assignments")); !st)
            return st;
        auto assign = m_db->prepare(QStringLiteral(
            "INSERT INTO vps_assignments (vps_task_id, user_id, created_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (vps_task_id, user_id) DO NOTHING"));
        if (!assign)
            return assign.error();
        const QString now = nowText();
        for (const HostVps &v : vpsList) {
            const auto exact = assignments.constFind(v.taskId);
            if (exact != assignments.cend()) {
                QList<KnownUser> people;
                for (const HostVpsAssignment &a : exact->assignments) {
                    assign->reset();
                    assign->bind(1, v.taskId)
                        .bind(2, a.userId)
                        .bind(3,
                            a.assignedAt ? hosttime::toDbText(*a.assignedAt)
                                         : since.value({v.taskId, a.userId}, now));
                    if (auto st = assign->run(); !st)
                        return st;
                    people.append({a.userId, a.username, a.displayName});
                }
                if (auto st = addKnownUsers(people); !st)
                    return st;
                continue;
            }
            for (const HostVpsAssignee &a : v.assignees) {
                assign->reset();
                assign->bind(1, v.taskId).bind(2, a.id).bind(3, since.value({v.taskId, a.id}, now));
                if (auto st = assign->run(); !st)
                    return st;
            }
        }
        return markSynced(MirrorDataset::Vps);
    });
}

// --- nodes ------------------------------------------------------------------------------------

Status HostMirror::storeNodes(const QList<HostNode> &nodes)
{
    for (const HostNode &n : nodes) {
        if (n.hostname.isEmpty())
            return hostileAnswer(tr("a node without a hostname"));
    }
    return m_db->writeTransaction([&]() -> Status {
        if (auto st = runAll(*m_db, {"DELETE FROM nodes", "DELETE FROM rk_mirror_node_usage"}); !st)
            return st;
        auto node = m_db->prepare(QStringLiteral(
            "INSERT INTO nodes (hostname, url, total_cores, memory_total_bytes, status, last_heartbeat, "
            "cpu_percent, memory_percent, memory_used_bytes, current_avg_temp, current_max_temp, "
            "numa_topology, "
            "gpu_info, vm_capable, vfio_gpus, runner_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
            "?10, "
            "?11, ?12, ?13, ?14, ?15, ?16)"));
        if (!node)
            return node.error();
        auto usage = m_db->prepare(QStringLiteral("INSERT INTO rk_mirror_node_usage (hostname, cores_in_use, "
                                                  "available_cores) VALUES (?1, ?2, ?3)"));
        if (!usage)
            return usage.error();
        for (const HostNode &n : nodes) {
            QString numa;
            if (n.hasNumaTopology) {
                QJsonObject topology;
                for (auto it = n.numaTopology.cbegin(); it != n.numaTopology.cend(); ++it) {
                    QJsonArray cores;
                    for (int c : it.value())
                        cores.append(c);
                    topology.insert(QString::number(it.key()), cores);
                }
                numa = pyjson::dumps(topology);
            }
            node->reset();
            node->bind(1, n.hostname).bind(2, notNull(n.url)).bind(3, n.totalCores);
            bindOptional(node.value(), 4, n.memoryTotalBytes);
            node->bind(5, notNull(n.status)).bind(6, timeText(n.lastHeartbeat));
            bindOptional(node.value(), 7, n.cpuPercent);
            bindOptional(node.value(), 8, n.memoryPercent);
            bindOptional(node.value(), 9, n.memoryUsedBytes);
            bindOptional(node.value(), 10, n.currentAvgTemp);
            bindOptional(node.value(), 11, n.currentMaxTemp);
            node->bind(12, numa)
                .bind(13, objectListJson(n.gpuInfo))
                .bind(14, n.vmCapable)
                .bind(15, objectListJson(n.vfioGpus))
                .bind(16, n.runnerVersion);
            if (auto st = node->run(); !st)
                return st;
            usage->reset();
            usage->bind(1, n.hostname);
            bindOptional(usage.value(), 2, n.coresInUse);
            usage->bind(3, n.availableCores);
            if (auto st = usage->run(); !st)
                return st;
        }
        return markSynced(MirrorDataset::Nodes);
    });
}

std::optional<int> HostMirror::coresInUse(const QString &hostname)
{
    auto stmt
        = m_db->prepare(QStringLiteral("SELECT cores_in_use FROM rk_mirror_node_usage WHERE hostname = ?1"));
    if (!stmt)
        return std::nullopt;
    stmt->bind(1, hostname);
    auto row = stmt->step();
    if (!row || !*row || stmt->isNull(0))
        return std::nullopt;
    return static_cast<int>(stmt->int64(0));
}

// --- clearing ---------------------------------------------------------------------------------

Status HostMirror::clearDataset(MirrorDataset dataset)
{
    return m_db->writeTransaction([&]() -> Status {
        Status st;
        switch (dataset) {
        case MirrorDataset::Users: st = runAll(*m_db, {"DELETE FROM users"}); break;
        case MirrorDataset::Invitations: st = runAll(*m_db, {"DELETE FROM invitations"}); break;
        // The queue's rows are tasks that the task pages and the VPS list also bring (a viewer
        // sees pending command tasks in GET /api/tasks): only the queue's sync time goes.
        case MirrorDataset::PendingApprovals: break;
        case MirrorDataset::Tasks: st = runAll(*m_db, {"DELETE FROM tasks WHERE task_type != 'vps'"}); break;
        case MirrorDataset::Vps:
            st = runAll(*m_db, {"DELETE FROM tasks WHERE task_type = 'vps'", "DELETE FROM vps_assignments"});
            break;
        case MirrorDataset::Nodes:
            st = runAll(*m_db, {"DELETE FROM nodes", "DELETE FROM rk_mirror_node_usage"});
            break;
        }
        if (!st)
            return st;
        auto stmt = m_db->prepare(QStringLiteral("DELETE FROM rk_mirror_meta WHERE key = ?1"));
        if (!stmt)
            return stmt.error();
        stmt->bind(1, QStringLiteral("synced_at.") + mirrordataset::key(dataset));
        return stmt->run();
    });
}

Status HostMirror::clearAll()
{
    return m_db->writeTransaction([&]() -> Status {
        if (auto st = runAll(*m_db,
                {"DELETE FROM users", "DELETE FROM invitations", "DELETE FROM tasks",
                    "DELETE FROM vps_assignments", "DELETE FROM nodes", "DELETE FROM rk_mirror_node_usage",
                    "DELETE FROM rk_task_logs", "DELETE FROM rk_mirror_meta WHERE key LIKE 'synced_at.%'"});
            !st)
            return st;
        return {};
    });
}

} // namespace rk
