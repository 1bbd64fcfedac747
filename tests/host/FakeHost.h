#pragma once

#include "FakeHttpServer.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

// A fake KohakuRiver host on loopback that speaks the REST contract of kohakuriver-host.md,
// quirks included:
// - /api/auth/me answers a bad or missing credential with 200 and the anonymous pseudo-user;
// - require_role routes answer anonymous callers 401 and low roles 403; invitation routes 403;
// - task ids are snowflakes above 2^53, strings in TaskResponse and JSON numbers in the VPS
//   assignment answers;
// - 422 answers carry a `detail` list of {type, loc, msg, input};
// - `cores_in_use` is "N/A" for an offline node; NUMA keys are strings;
// - timestamps with and without microseconds; kill/stop/restart answer 202;
// - POST /api/submit answers 202: a `user` submission waits in pending_approval, an operator's or
//   admin's is self-approved and "assigning" (there is no runner: nothing runs until a test
//   reports progress through POST /api/update, as a runner would, and writes the output with
//   setTaskStdout()).
// Faults (hang, drop, 500, malformed JSON, oversized) are scripted through server().enqueue().
//
// Usage from any test (link rk_fake_host):
//     rk::test::FakeHost host;
//     QVERIFY(host.start());
//     client.setBaseUrl(host.baseUrl());
//     client.setAuth(rk::HostAuth::bearer(host.seed().adminToken));
//     host.server().enqueue(rk::test::FakeReply::hang(), "GET", u"/api/nodes"_s);
//     ... host.requests().last().header("authorization") ...

namespace rk::test {

struct FakeUser
{
    qint64 id = 0;
    QString username;
    QString displayName; // null QString: JSON null
    QString password;
    QString role = QStringLiteral("user");
    bool active = true;
    QString createdAt; // the host's API text ("2026-11-22T02:24:37.123456")
};

struct FakeToken
{
    qint64 id = 0;
    qint64 userId = 0;
    QString name;
    QString plaintext;
    QString lastUsed; // null: never
    QString createdAt;
};

struct FakeInvitation
{
    qint64 id = 0;
    QString token;
    QString role;
    std::optional<qint64> groupId;
    int maxUsage = 1;
    int usageCount = 0;
    QDateTime expiresAt;
    std::optional<qint64> createdById;
    QString createdAt;
};

struct FakeTask
{
    qint64 taskId = 0;
    QString taskType = QStringLiteral("command");
    std::optional<qint64> batchId; // the first task of a submission; nullopt: JSON null
    QString name;
    std::optional<qint64> ownerId;
    QString approvalStatus; // null
    std::optional<qint64> approvedById;
    QString approvedAt;
    QString rejectionReason;
    QString command = QStringLiteral("echo");
    QStringList arguments;
    QMap<QString, QString> envVars;
    int requiredCores = 1;
    QList<int> requiredGpus;
    std::optional<qint64> requiredMemoryBytes;
    std::optional<int> targetNumaNodeId;
    QString status = QStringLiteral("pending");
    QString assignedNode;
    QString containerName = QStringLiteral("kohakuriver-base"); // null: no container ("NULL")
    QString dockerImageName = QStringLiteral("kohakuriver/kohakuriver-base:base");
    bool privileged = false;
    QStringList mountDirs;
    std::optional<int> sshPort;
    QString vpsBackend = QStringLiteral("docker");
    std::optional<int> exitCode;
    QString errorMessage; // null
    QString submittedAt;
    QString startedAt;
    QString completedAt;
    std::optional<QString> stdoutText; // nullopt: the log file does not exist
    std::optional<QString> stderrText;
};

class FakeHost : public QObject
{
    Q_OBJECT
public:
    // What the standard data set holds, for tests to refer to.
    struct Seed
    {
        QString adminSecret = QStringLiteral("fake-admin-secret");
        QString adminPassword = QStringLiteral("admin-password");
        qint64 adminId = 1, operatorId = 2, userId = 3, viewerId = 4, disabledId = 5;
        QString adminToken, operatorToken, userToken, viewerToken, disabledToken;
        qint64 pendingTaskId = 0; // command, pending_approval, owned by the user
        qint64 runningTaskId = 0; // command, running, with a 5-line stdout and a stderr
        qint64 pausedTaskId = 0;
        qint64 completedTaskId = 0; // no log files
        qint64 vpsId = 0; // running VPS owned by the operator, assigned to the user
        qint64 pendingVpsId = 0; // VPS waiting for approval
        qint64 invitationId = 0;
    };

    // The self-signed test certificates in tests/host/data. Both name "Riverkeeper Fake Host"
    // (SAN 127.0.0.1 and localhost) with different keys: Renewed is what the host presents after
    // its certificate was replaced.
    enum class Certificate { Standard, Renewed };

    explicit FakeHost(QObject *parent = nullptr);
    ~FakeHost() override;

    // Seeds the standard data and listens on `address` (loopback unless a caller says otherwise),
    // plain HTTP, or TLS with a test certificate.
    bool start(quint16 port = 0, const QHostAddress &address = QHostAddress::LocalHost); // 0: any free port
    bool startTls(Certificate certificate = Certificate::Standard, quint16 port = 0,
        const QHostAddress &address = QHostAddress::LocalHost);
    QUrl baseUrl() const { return m_server.baseUrl(); }
    const Seed &seed() const { return m_seed; }
    FakeHttpServer &server() { return m_server; }
    const QList<RecordedRequest> &requests() const { return m_server.requests(); }

    // A test certificate: its file and SHA-256 fingerprint (colon-separated upper-case hex).
    static QString certificateFile(Certificate certificate = Certificate::Standard);
    static QString certificateSha256(Certificate certificate = Certificate::Standard);

    // Host configuration.
    void setAuthEnabled(bool enabled) { m_authEnabled = enabled; }
    void setAdminSecret(const QString &secret) { m_adminSecret = secret; }

    // State, for arranging and asserting.
    qint64 addUser(FakeUser user); // id 0: the next free one
    QString addToken(qint64 userId, const QString &name); // returns the plaintext
    void addTask(const FakeTask &task);
    // What the task's log files hold, as a runner writes them (nullopt: no file, which the host
    // answers with ""). False for an unknown task.
    bool setTaskStdout(qint64 taskId, std::optional<QString> text);
    bool setTaskStderr(qint64 taskId, std::optional<QString> text);
    void addNode(const QJsonObject &node) { m_nodes.append(node); }
    // A row of the host's groups table (the API has no group routes; invitations check group_id).
    void addGroup(qint64 id) { m_groupIds.insert(id); }
    void setHealth(const QJsonObject &health) { m_health = health; }
    QString sessionFor(qint64 userId); // a valid kohakuriver_session value
    std::optional<FakeUser> user(qint64 id) const;
    std::optional<FakeTask> task(qint64 taskId) const;
    QList<FakeToken> tokens() const { return m_tokens; }
    QList<FakeInvitation> invitations() const { return m_invitations; }
    QList<qint64> assignees(qint64 vpsId) const;
    int sessionCount() const { return static_cast<int>(m_sessions.size()); }

    // A snowflake as the host makes them: ms since 1970 << 22 | instance << 12 | sequence.
    static qint64 snowflake(qint64 msSinceEpoch, int sequence);

private:
    struct Caller
    {
        qint64 id = -1;
        QString username = QStringLiteral("_anonymous");
        QString displayName = QStringLiteral("Anonymous");
        QString role = QStringLiteral("anony");
        bool active = true;
        QString createdAt;
        bool anonymous() const { return id == -1; }
    };

    void seedStandard();
    FakeReply route(const RecordedRequest &request);
    Caller resolve(const RecordedRequest &request);
    std::optional<FakeReply> requireRole(const Caller &caller, const QString &role) const;
    static int rank(const QString &role);
    QString now() const;

    // Route groups (FakeHostRoutes.cpp).
    std::optional<FakeReply> routeAuth(const RecordedRequest &request, const Caller &caller);
    std::optional<FakeReply> routeAdmin(const RecordedRequest &request, const Caller &caller);
    std::optional<FakeReply> routeTasks(const RecordedRequest &request, const Caller &caller);
    std::optional<FakeReply> routeVps(const RecordedRequest &request, const Caller &caller);
    std::optional<FakeReply> routeCluster(const RecordedRequest &request);
    // POST /api/submit and POST /api/update (FakeHostSubmit.cpp).
    std::optional<FakeReply> routeSubmission(const RecordedRequest &request, const Caller &caller);
    FakeReply submit(const RecordedRequest &request, const Caller &caller);
    FakeReply update(const RecordedRequest &request);
    const QJsonObject *findNode(const QString &hostname) const;
    // Why a task with these needs cannot go to `node` now (the host's wording); empty when it can.
    QString misfit(const QJsonObject &node, std::optional<int> numa, const QList<int> &gpus, qint64 cores,
        std::optional<qint64> memoryBytes) const;
    qint64 nextTaskId();

    QJsonObject userJson(const FakeUser &user) const;
    QJsonObject callerJson(const Caller &caller) const;
    QJsonObject invitationJson(const FakeInvitation &invitation) const;
    QJsonObject taskJson(const FakeTask &task) const;
    QJsonObject vpsJson(const FakeTask &task) const;
    FakeTask *findTask(qint64 taskId);
    bool setTaskLog(qint64 taskId, std::optional<QString> FakeTask::*file, std::optional<QString> text);
    FakeUser *findUser(qint64 userId);

    FakeHttpServer m_server;
    Seed m_seed;
    bool m_authEnabled = true;
    QString m_adminSecret;
    QList<FakeUser> m_users;
    QList<FakeToken> m_tokens;
    QList<FakeInvitation> m_invitations;
    QList<FakeTask> m_tasks; // newest first
    QHash<QString, qint64> m_sessions; // cookie -> user id
    QMap<qint64, QList<std::pair<qint64, QString>>> m_assignments; // vps -> (user, created_at)
    QList<QJsonObject> m_nodes;
    QSet<qint64> m_groupIds;
    QJsonObject m_health;
    qint64 m_nextTokenId = 1;
    qint64 m_nextInvitationId = 1;
    int m_randomCounter = 0;
    qint64 m_lastTaskId = 0; // the newest snowflake handed out by nextTaskId()
};

} // namespace rk::test
