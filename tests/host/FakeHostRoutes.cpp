// The fake host's routes, as kohakuriver-host.md section 1 describes them.
#include "FakeHost.h"

#include "FakeHostJson.h"
#include "FakeHostRouter.h"

#include <QJsonArray>

#include <algorithm>

namespace rk::test {

using namespace fakejson;

namespace {

const QString kRoles = QStringLiteral("['anony', 'viewer', 'user', 'operator', 'admin']");

bool isRole(const QString &role)
{
    static const QStringList roles = {QStringLiteral("anony"), QStringLiteral("viewer"),
        QStringLiteral("user"), QStringLiteral("operator"), QStringLiteral("admin")};
    return roles.contains(role);
}

QString tail(const QString &text, qint64 lines)
{
    if (lines <= 0)
        return text;
    QStringList all = text.split(QLatin1Char('\n'));
    const bool trailingNewline = text.endsWith(QLatin1Char('\n'));
    if (trailingNewline)
        all.removeLast();
    if (all.size() > lines)
        all = all.mid(all.size() - lines);
    return all.join(QLatin1Char('\n')) + (trailingNewline ? QStringLiteral("\n") : QString());
}

} // namespace

std::optional<FakeReply> FakeHost::routeAuth(const RecordedRequest &request, const Caller &caller)
{
    FakeHostRouter r(request);
    const auto authOff
        = [] { return FakeReply::detail(503, QStringLiteral("Authentication is not enabled")); };

    if (r.on("GET", {"api", "auth", "status"})) {
        return FakeReply::json(200,
            QJsonObject {{QStringLiteral("auth_enabled"), m_authEnabled},
                {QStringLiteral("session_expire_hours"), m_authEnabled ? QJsonValue(720) : QJsonValue()}});
    }
    if (r.on("POST", {"api", "auth", "login"})) {
        if (!m_authEnabled)
            return authOff();
        QJsonObject body;
        if (auto bad = bodyObject(request, &body))
            return bad;
        QList<QJsonObject> issues;
        if (auto i = checkString(body, QStringLiteral("username"), 1, 50))
            issues.append(*i);
        if (auto i = checkString(body, QStringLiteral("password"), 1, 0))
            issues.append(*i);
        if (!issues.isEmpty())
            return validationError(issues);
        const QString username = body.value(QStringLiteral("username")).toString();
        const QString password = body.value(QStringLiteral("password")).toString();
        const auto found = std::find_if(m_users.cbegin(), m_users.cend(),
            [&](const FakeUser &u) { return u.username == username && u.password == password; });
        if (found == m_users.cend())
            return FakeReply::detail(401, QStringLiteral("Invalid username or password"));
        if (!found->active)
            return FakeReply::detail(403, QStringLiteral("Account is disabled"));
        const QString session = sessionFor(found->id);
        QJsonObject user = userJson(*found);
        return FakeReply::json(200,
            QJsonObject {{QStringLiteral("message"), QStringLiteral("Login successful")},
                {QStringLiteral("user"), user}})
            .withHeader("set-cookie",
                "kohakuriver_session=" + session.toLatin1()
                    + "; HttpOnly; Max-Age=2592000; Path=/; SameSite=lax");
    }
    if (r.on("POST", {"api", "auth", "logout"})) {
        m_sessions.remove(request.cookie(QStringLiteral("kohakuriver_session")));
        return message(200, QStringLiteral("Logged out successfully"))
            .withHeader("set-cookie",
                "kohakuriver_session=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; "
                "SameSite=lax");
    }
    if (r.on("GET", {"api", "auth", "me"})) {
        if (!m_authEnabled)
            return authOff();
        return FakeReply::json(200, callerJson(caller)); // anonymous for a bad credential: never 401
    }
    if (r.on("GET", {"api", "auth", "tokens"})) {
        if (!m_authEnabled)
            return authOff();
        QJsonArray list;
        for (const FakeToken &t : std::as_const(m_tokens)) {
            if (t.userId == caller.id)
                list.append(QJsonObject {{QStringLiteral("id"), t.id}, {QStringLiteral("name"), t.name},
                    {QStringLiteral("last_used"), nullable(t.lastUsed)},
                    {QStringLiteral("created_at"), t.createdAt}});
        }
        return FakeReply::json(200, list);
    }
    if (r.on("POST", {"api", "auth", "tokens", "create"})) {
        if (!m_authEnabled)
            return authOff();
        QJsonObject body;
        if (auto bad = bodyObject(request, &body))
            return bad;
        if (auto i = checkString(body, QStringLiteral("name"), 1, 100))
            return validationError({*i});
        const QString plaintext = addToken(caller.id, body.value(QStringLiteral("name")).toString());
        const FakeToken &t = m_tokens.first();
        return FakeReply::json(200,
            QJsonObject {{QStringLiteral("id"), t.id}, {QStringLiteral("name"), t.name},
                {QStringLiteral("token"), plaintext}, {QStringLiteral("created_at"), t.createdAt}});
    }
    if (r.on("DELETE", {"api", "auth", "tokens", "*"})) {
        if (!m_authEnabled)
            return authOff();
        qint64 id = 0;
        if (auto bad = pathInt(r.param(0), QStringLiteral("token_id"), &id))
            return bad;
        for (qsizetype i = 0; i < m_tokens.size(); ++i) {
            if (m_tokens.at(i).id == id && m_tokens.at(i).userId == caller.id) {
                const QString name = m_tokens.takeAt(i).name;
                return message(200, QStringLiteral("Token '%1' revoked").arg(name));
            }
        }
        return FakeReply::detail(404, QStringLiteral("Token not found"));
    }
    return r.notMatched();
}

std::optional<FakeReply> FakeHost::routeAdmin(const RecordedRequest &request, const Caller &caller)
{
    FakeHostRouter r(request);
    const bool isAdmin = caller.role == QLatin1String("admin");
    if (r.on("GET", {"api", "auth", "invitations"})) {
        if (!isAdmin)
            return FakeReply::detail(403, QStringLiteral("Admin access required"));
        QJsonArray list;
        for (const FakeInvitation &i : std::as_const(m_invitations))
            list.append(invitationJson(i));
        return FakeReply::json(200, list);
    }
    if (r.on("POST", {"api", "auth", "invitations"})) {
        if (rank(caller.role) < rank(QStringLiteral("operator")))
            return FakeReply::detail(403, QStringLiteral("Operator access required"));
        QJsonObject body;
        if (auto bad = bodyObject(request, &body))
            return bad;
        qint64 maxUsage = 1;
        qint64 expiresHours = 72;
        QList<QJsonObject> issues;
        if (auto i
            = checkInt(body, QStringLiteral("max_usage"), 1, std::numeric_limits<int>::max(), &maxUsage))
            issues.append(*i);
        if (auto i = checkInt(body, QStringLiteral("expires_hours"), 1, 720, &expiresHours))
            issues.append(*i);
        if (!issues.isEmpty())
            return validationError(issues);
        const QString role = body.value(QStringLiteral("role")).toString(QStringLiteral("user"));
        if (!isAdmin && role != QLatin1String("viewer"))
            return FakeReply::detail(403, QStringLiteral("Operators can only create viewer invitations"));
        if (!isRole(role))
            return FakeReply::detail(400, QStringLiteral("Invalid role. Must be one of: ") + kRoles);
        const QJsonValue group = body.value(QStringLiteral("group_id"));
        const bool hasGroup = !group.isUndefined() && !group.isNull();
        if (hasGroup && !m_groupIds.contains(group.toInteger(-1)))
            return FakeReply::detail(400, QStringLiteral("Group not found"));
        FakeInvitation invitation;
        if (hasGroup)
            invitation.groupId = group.toInteger();
        invitation.id = m_nextInvitationId++;
        invitation.token = randomHex(++m_randomCounter);
        invitation.role = role;
        invitation.maxUsage = static_cast<int>(maxUsage);
        invitation.expiresAt = QDateTime::currentDateTime().addSecs(expiresHours * 3600);
        if (caller.id > 0) // X-Admin-Token (id 0) leaves created_by_id null
            invitation.createdById = caller.id;
        invitation.createdAt = now();
        m_invitations.prepend(invitation);
        return FakeReply::json(200, invitationJson(invitation));
    }
    if (r.on("DELETE", {"api", "auth", "invitations", "*"})) {
        if (!isAdmin)
            return FakeReply::detail(403, QStringLiteral("Admin access required"));
        qint64 id = 0;
        if (auto bad = pathInt(r.param(0), QStringLiteral("invitation_id"), &id))
            return bad;
        for (qsizetype i = 0; i < m_invitations.size(); ++i) {
            if (m_invitations.at(i).id == id) {
                m_invitations.removeAt(i);
                return message(200, QStringLiteral("Invitation %1 revoked").arg(id));
            }
        }
        return FakeReply::detail(404, QStringLiteral("Invitation not found"));
    }
    if (r.on("GET", {"api", "auth", "users"})) {
        if (auto denied = requireRole(caller, QStringLiteral("operator")))
            return denied;
        QJsonArray list;
        for (const FakeUser &u : std::as_const(m_users))
            list.append(userJson(u));
        return FakeReply::json(200, list);
    }
    if (r.on("PATCH", {"api", "auth", "users", "*"})) {
        if (auto denied = requireRole(caller, QStringLiteral("admin")))
            return denied;
        qint64 id = 0;
        if (auto bad = pathInt(r.param(0), QStringLiteral("user_id"), &id))
            return bad;
        QJsonObject body;
        if (auto bad = bodyObject(request, &body))
            return bad;
        const QJsonValue active = body.value(QStringLiteral("is_active"));
        if (!active.isUndefined() && !active.isNull() && !active.isBool())
            return validationError({issue(QStringLiteral("bool_type"),
                QJsonArray {QStringLiteral("body"), QStringLiteral("is_active")},
                QStringLiteral("Input should be a valid boolean"), active)});
        FakeUser *target = findUser(id);
        if (!target)
            return FakeReply::detail(404, QStringLiteral("User not found"));
        const QJsonValue role = body.value(QStringLiteral("role"));
        if (role.isString()) {
            if (!isRole(role.toString()))
                return FakeReply::detail(400, QStringLiteral("Invalid role. Must be one of: ") + kRoles);
            if (id == caller.id && role.toString() != QLatin1String("admin"))
                return FakeReply::detail(400, QStringLiteral("Cannot demote yourself"));
        }
        if (active.isBool() && !active.toBool() && id == caller.id)
            return FakeReply::detail(400, QStringLiteral("Cannot disable yourself"));
        const QJsonValue displayName = body.value(QStringLiteral("display_name"));
        if (displayName.isString())
            target->displayName = displayName.toString();
        if (role.isString())
            target->role = role.toString();
        if (active.isBool())
            target->active = active.toBool();
        return FakeReply::json(200, userJson(*target));
    }
    if (r.on("DELETE", {"api", "auth", "users", "*"})) {
        if (auto denied = requireRole(caller, QStringLiteral("admin")))
            return denied;
        qint64 id = 0;
        if (auto bad = pathInt(r.param(0), QStringLiteral("user_id"), &id))
            return bad;
        if (id == caller.id)
            return FakeReply::detail(400, QStringLiteral("Cannot delete yourself"));
        for (qsizetype i = 0; i < m_users.size(); ++i) {
            if (m_users.at(i).id == id) {
                const QString name = m_users.takeAt(i).username; // no cascade, as on the host
                return message(200, QStringLiteral("User '%1' deleted").arg(name));
            }
        }
        return FakeReply::detail(404, QStringLiteral("User not found"));
    }
    return r.notMatched();
}

std::optional<FakeReply> FakeHost::routeTasks(const RecordedRequest &request, const Caller &caller)
{
    FakeHostRouter r(request);
    const auto list = [&](bool pendingOnly) -> FakeReply {
        qint64 limit = 100;
        qint64 offset = 0;
        if (auto bad = queryInt(request, QStringLiteral("limit"), &limit))
            return *bad;
        if (auto bad = queryInt(request, QStringLiteral("offset"), &offset))
            return *bad;
        const QString status = request.query(QStringLiteral("status"));
        QJsonArray out;
        qint64 skipped = 0;
        for (const FakeTask &t : std::as_const(m_tasks)) {
            if (pendingOnly
                    ? t.status != QLatin1String("pending_approval")
                    : (t.taskType != QLatin1String("command") || (!status.isEmpty() && t.status != status)))
                continue;
            if (skipped++ < offset)
                continue;
            if (out.size() >= limit)
                break;
            out.append(taskJson(t));
        }
        return FakeReply::json(200, out);
    };
    // The task a path names, with the checks the host's task routes share.
    const auto target = [&](const QString &segment, FakeTask **task) -> std::optional<FakeReply> {
        qint64 id = 0;
        if (auto bad = pathInt(segment, QStringLiteral("task_id"), &id))
            return bad;
        *task = findTask(id);
        if (!*task)
            return FakeReply::detail(404, QStringLiteral("Task not found."));
        return std::nullopt;
    };
    const auto ownOnly = [&](const FakeTask &task) -> std::optional<FakeReply> {
        if (caller.role == QLatin1String("user") && task.ownerId != caller.id)
            return FakeReply::detail(403, QStringLiteral("Access denied to this task"));
        return std::nullopt;
    };

    if (r.on("GET", {"api", "tasks"})) {
        if (auto denied = requireRole(caller, QStringLiteral("viewer")))
            return denied;
        return list(false);
    }
    if (r.on("GET", {"api", "tasks", "pending-approval"})) {
        if (auto denied = requireRole(caller, QStringLiteral("operator")))
            return denied;
        return list(true);
    }
    if (r.on("GET", {"api", "status", "*"})) {
        if (caller.anonymous())
            return FakeReply::detail(403, QStringLiteral("Anonymous users cannot view task details"));
        FakeTask *task = nullptr;
        if (auto bad = target(r.param(0), &task))
            return bad;
        if (auto denied = ownOnly(*task))
            return denied;
        return FakeReply::json(200, taskJson(*task));
    }
    const bool approve = r.on("POST", {"api", "approve", "*"});
    if (approve || r.on("POST", {"api", "reject", "*"})) {
        if (auto denied = requireRole(caller, QStringLiteral("operator")))
            return denied;
        FakeTask *task = nullptr;
        if (auto bad = target(r.param(0), &task))
            return bad;
        if (task->status != QLatin1String("pending_approval"))
            return FakeReply::detail(
                409, QStringLiteral("Task is not pending approval (status: %1)").arg(task->status));
        task->approvedById = caller.id;
        task->approvedAt = now();
        const QString id = QString::number(task->taskId);
        if (approve) {
            task->approvalStatus = QStringLiteral("approved");
            task->status = QStringLiteral("assigning");
            return FakeReply::json(200,
                QJsonObject {{QStringLiteral("message"), QStringLiteral("Task approved and dispatched")},
                    {QStringLiteral("task_id"), id}});
        }
        const QString reason = request.hasQuery(QStringLiteral("reason"))
            ? request.query(QStringLiteral("reason"))
            : QString();
        task->approvalStatus = QStringLiteral("rejected");
        task->status = QStringLiteral("rejected");
        task->rejectionReason = reason;
        return FakeReply::json(200,
            QJsonObject {{QStringLiteral("message"), QStringLiteral("Task rejected")},
                {QStringLiteral("task_id"), id}, {QStringLiteral("reason"), nullable(reason)}});
    }
    if (r.on("POST", {"api", "kill", "*"})) {
        if (auto denied = requireRole(caller, QStringLiteral("user")))
            return denied;
        FakeTask *task = nullptr;
        if (auto bad = target(r.param(0), &task))
            return bad;
        if (auto denied = ownOnly(*task))
            return denied;
        static const QStringList killable = {QStringLiteral("pending"), QStringLiteral("assigning"),
            QStringLiteral("running"), QStringLiteral("paused")};
        if (!killable.contains(task->status))
            return FakeReply::detail(
                409, QStringLiteral("Task cannot be killed (state: %1)").arg(task->status));
        task->status = QStringLiteral("killed");
        return message(
            202, QStringLiteral("Kill requested for task %1. Task marked as killed.").arg(task->taskId));
    }
    if (r.on("POST", {"api", "command", "*", "*"})) {
        if (auto denied = requireRole(caller, QStringLiteral("user")))
            return denied;
        FakeTask *task = nullptr;
        if (auto bad = target(r.param(0), &task))
            return bad;
        if (auto denied = ownOnly(*task))
            return denied;
        const QString command = r.param(1);
        if (command == QLatin1String("pause") && task->status == QLatin1String("running")) {
            task->status = QStringLiteral("paused");
            return message(200, QStringLiteral("Pause for task %1: paused").arg(task->taskId));
        }
        if (command == QLatin1String("resume") && task->status == QLatin1String("paused")) {
            task->status = QStringLiteral("running");
            return message(200, QStringLiteral("Resume for task %1: resumed").arg(task->taskId));
        }
        return FakeReply::detail(
            400, QStringLiteral("Invalid command or task state: %1 (state: %2)").arg(command, task->status));
    }
    const bool stdoutLog = r.on("GET", {"api", "tasks", "*", "stdout"});
    if (stdoutLog || r.on("GET", {"api", "tasks", "*", "stderr"})) {
        if (auto denied = requireRole(caller, QStringLiteral("user")))
            return denied;
        FakeTask *task = nullptr;
        if (auto bad = target(r.param(0), &task))
            return bad;
        if (auto denied = ownOnly(*task))
            return denied;
        if (task->taskType == QLatin1String("vps"))
            return FakeReply::detail(400, QStringLiteral("VPS tasks do not have stdout/stderr logs"));
        qint64 lines = 0;
        if (auto bad = queryInt(request, QStringLiteral("lines"), &lines))
            return bad;
        const std::optional<QString> &file = stdoutLog ? task->stdoutText : task->stderrText;
        return FakeReply::text(200, tail(file.value_or(QString()), lines).toUtf8());
    }
    return r.notMatched();
}

std::optional<FakeReply> FakeHost::routeVps(const RecordedRequest &request, const Caller &caller)
{
    FakeHostRouter r(request);
    const auto vps = [&](const QString &segment, FakeTask **task) -> std::optional<FakeReply> {
        qint64 id = 0;
        if (auto bad = pathInt(segment, QStringLiteral("task_id"), &id))
            return bad;
        *task = findTask(id);
        if (!*task || (*task)->taskType != QLatin1String("vps"))
            return FakeReply::detail(404, QStringLiteral("VPS not found."));
        return std::nullopt;
    };

    if (r.on("GET", {"api", "vps"})) {
        if (auto denied = requireRole(caller, QStringLiteral("viewer")))
            return denied;
        QJsonArray out;
        for (const FakeTask &t : std::as_const(m_tasks)) {
            if (t.taskType == QLatin1String("vps"))
                out.append(vpsJson(t));
        }
        return FakeReply::json(200, out);
    }
    if (r.on("GET", {"api", "vps", "*", "assignments"})) {
        if (auto denied = requireRole(caller, QStringLiteral("operator")))
            return denied;
        FakeTask *task = nullptr;
        if (auto bad = vps(r.param(0), &task))
            return bad;
        QJsonArray items;
        for (const auto &[userId, createdAt] : m_assignments.value(task->taskId)) {
            const auto u = user(userId);
            items.append(QJsonObject {{QStringLiteral("user_id"), userId},
                {QStringLiteral("username"), u ? QJsonValue(u->username) : QJsonValue()},
                {QStringLiteral("display_name"), u ? nullable(u->displayName) : QJsonValue()},
                {QStringLiteral("assigned_at"), createdAt}});
        }
        // task_id is a JSON number here, above 2^53.
        return FakeReply::json(200,
            QJsonObject {{QStringLiteral("task_id"), QJsonValue(task->taskId)},
                {QStringLiteral("assignments"), items}});
    }
    if (r.on("POST", {"api", "vps", "*", "assign"})) {
        if (auto denied = requireRole(caller, QStringLiteral("operator")))
            return denied;
        const QJsonValue body = request.json();
        bool valid = body.isArray();
        QList<qint64> ids;
        const QJsonArray array = body.toArray();
        for (const QJsonValue &v : array) {
            valid = valid && v.isDouble() && v.toDouble() == static_cast<double>(v.toInteger());
            ids.append(v.toInteger());
        }
        if (!valid)
            return validationError({issue(QStringLiteral("list_type"), QJsonArray {QStringLiteral("body")},
                QStringLiteral("Input should be a valid list"), body.isUndefined() ? QJsonValue() : body)});
        FakeTask *task = nullptr;
        if (auto bad = vps(r.param(0), &task))
            return bad;
        for (const qint64 id : std::as_const(ids)) {
            if (!user(id))
                return FakeReply::detail(404, QStringLiteral("User %1 not found.").arg(id));
        }
        auto &assigned = m_assignments[task->taskId];
        for (const qint64 id : std::as_const(ids)) {
            const bool already = std::any_of(
                assigned.cbegin(), assigned.cend(), [id](const auto &a) { return a.first == id; });
            if (!already)
                assigned.append({id, now()});
        }
        QJsonArray users;
        for (const qint64 id : std::as_const(ids))
            users.append(QJsonValue(id));
        return FakeReply::json(200,
            QJsonObject {
                {QStringLiteral("message"),
                    QStringLiteral("VPS %1 assigned to %2 user(s).").arg(task->taskId).arg(ids.size())},
                {QStringLiteral("task_id"), QJsonValue(task->taskId)},
                {QStringLiteral("assigned_users"), users}});
    }
    if (r.on("DELETE", {"api", "vps", "*", "assign", "*"})) {
        if (auto denied = requireRole(caller, QStringLiteral("operator")))
            return denied;
        FakeTask *task = nullptr;
        if (auto bad = vps(r.param(0), &task))
            return bad;
        qint64 userId = 0;
        if (auto bad = pathInt(r.param(1), QStringLiteral("user_id"), &userId))
            return bad;
        auto &assigned = m_assignments[task->taskId];
        for (qsizetype i = 0; i < assigned.size(); ++i) {
            if (assigned.at(i).first == userId) {
                assigned.removeAt(i);
                return message(
                    200, QStringLiteral("User %1 unassigned from VPS %2.").arg(userId).arg(task->taskId));
            }
        }
        return FakeReply::detail(
            404, QStringLiteral("User %1 is not assigned to VPS %2.").arg(userId).arg(task->taskId));
    }
    const bool stop = r.on("POST", {"api", "vps", "stop", "*"});
    if (stop || r.on("POST", {"api", "vps", "restart", "*"})) {
        if (auto denied = requireRole(caller, QStringLiteral("operator")))
            return denied;
        FakeTask *task = nullptr;
        if (auto bad = vps(r.param(0), &task))
            return bad;
        if (stop) {
            static const QStringList stoppable = {QStringLiteral("pending"), QStringLiteral("assigning"),
                QStringLiteral("running"), QStringLiteral("paused")};
            if (!stoppable.contains(task->status))
                return FakeReply::detail(
                    409, QStringLiteral("VPS cannot be stopped (state: %1)").arg(task->status));
            task->status = QStringLiteral("stopped");
            return message(
                202, QStringLiteral("VPS %1 stop requested. VPS marked as stopped.").arg(task->taskId));
        }
        static const QStringList restartable
            = {QStringLiteral("running"), QStringLiteral("paused"), QStringLiteral("failed")};
        if (!restartable.contains(task->status))
            return FakeReply::detail(
                409, QStringLiteral("VPS cannot be restarted (state: %1)").arg(task->status));
        task->status = QStringLiteral("assigning");
        return message(202, QStringLiteral("VPS %1 restart requested.").arg(task->taskId));
    }
    return r.notMatched();
}

std::optional<FakeReply> FakeHost::routeCluster(const RecordedRequest &request)
{
    FakeHostRouter r(request);
    if (r.on("GET", {"api", "nodes"})) {
        QJsonArray out;
        for (const QJsonObject &node : std::as_const(m_nodes))
            out.append(node);
        return FakeReply::json(200, out);
    }
    if (r.on("GET", {"api", "health"}))
        return FakeReply::json(200, m_health);
    return r.notMatched();
}

} // namespace rk::test
