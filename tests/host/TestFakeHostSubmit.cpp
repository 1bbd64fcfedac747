// The fake host's POST /api/submit and POST /api/update over HTTP: status codes, answers and the
// tasks they leave, as kohakuriver-host.md section 1.2 describes them; and that HostClient reads
// the submitted tasks as it reads the host's.
#include "FakeHost.h"
#include "HostTestSupport.h"
#include "RawHttpReply.h"
#include "RkTest.h"

#include <QJsonArray>
#include <QJsonObject>

#include <memory>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kTwoTo53 = qint64(1) << 53;

QJsonObject trainingJob()
{
    return {{u"command"_s, u"python"_s}, {u"arguments"_s, QJsonArray {u"train.py"_s, u"--epochs=3"_s}},
        {u"env_vars"_s, QJsonObject {{u"SEED"_s, u"7"_s}}}, {u"required_cores"_s, 2}};
}

QJsonObject with(QJsonObject body, const QString &key, const QJsonValue &value)
{
    body.insert(key, value);
    return body;
}

} // namespace

class TestFakeHostSubmit : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeHost> m_host;
    QNetworkAccessManager m_nam;

    const FakeHost::Seed &seed() const { return m_host->seed(); }
    QUrl url(const QString &path) const { return m_host->baseUrl().resolved(QUrl(path)); }
    RawHttpReply submit(const QJsonObject &body, const QString &token)
    {
        return RawHttpReply::post(m_nam, url(u"/api/submit"_s), body, token);
    }
    RawHttpReply update(const QJsonObject &body)
    {
        return RawHttpReply::post(m_nam, url(u"/api/update"_s), body); // no credential: runner to host
    }
    // The ids of a 202 answer; empty when they are not strings of integers.
    static QList<qint64> taskIds(const RawHttpReply &reply)
    {
        QList<qint64> ids;
        const QJsonArray array = reply.object().value(u"task_ids"_s).toArray();
        for (const QJsonValue &v : array) {
            bool ok = false;
            const qint64 id = v.toString().toLongLong(&ok);
            if (!v.isString() || !ok)
                return {};
            ids.append(id);
        }
        return ids;
    }
    // The app's client, signed in with `token`.
    std::unique_ptr<HostClient> clientAs(const QString &token) const
    {
        auto client = std::make_unique<HostClient>();
        client->setBaseUrl(m_host->baseUrl());
        client->setAuth(HostAuth::bearer(token));
        return client;
    }
    // Submits trainingJob() as the user; 0 when that fails.
    qint64 submitAsUser()
    {
        const RawHttpReply reply = submit(trainingJob(), seed().userToken);
        const QList<qint64> ids = taskIds(reply);
        return reply.status == 202 && ids.size() == 1 ? ids.first() : 0;
    }

private Q_SLOTS:
    void init()
    {
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
    }
    void cleanup() { m_host.reset(); }

    void userSubmissionWaitsForApproval()
    {
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const RawHttpReply reply = submit(trainingJob(), seed().userToken);
        QVERIFY(reply.finished);
        QCOMPARE(reply.status, 202);
        const QJsonObject answer = reply.object();
        QCOMPARE(
            answer.value(u"message"_s).toString(), u"Task batch submitted successfully. 1 tasks created."_s);
        const QList<qint64> ids = taskIds(reply);
        QCOMPARE(ids.size(), 1);
        const qint64 id = ids.first();
        QVERIFY(id > kTwoTo53);
        QVERIFY((id >> 22) >= before); // a snowflake of the submission time
        QCOMPARE(answer.value(u"assigned_node"_s).toObject(),
            (QJsonObject {{u"hostname"_s, u"node-a"_s}, {u"url"_s, u"http://10.0.0.11:8001"_s}}));
        QCOMPARE(answer.value(u"runner_response"_s).toObject(),
            (QJsonObject {{u"status"_s, u"pending_approval"_s}}));

        // Waiting, not dispatched.
        const auto task = m_host->task(id);
        QVERIFY(task);
        QCOMPARE(task->status, u"pending_approval"_s);
        QCOMPARE(task->approvalStatus, u"pending"_s);
        QCOMPARE(task->ownerId, std::optional<qint64>(seed().userId));
        QVERIFY(!task->approvedById);
        QVERIFY(task->approvedAt.isNull());
        QCOMPARE(task->batchId, std::optional<qint64>(id));
        QCOMPARE(task->assignedNode, u"node-a"_s);
        QVERIFY(!task->stdoutText);

        // At the head of the approval queue, read by the app's client as the host's tasks are.
        const auto client = clientAs(seed().operatorToken);
        auto queue = await(client->pendingApprovals());
        RK_VERIFY_OK(queue);
        QCOMPARE(queue.value().size(), 3); // the seed's two and this one
        const HostTask &queued = queue.value().first();
        QCOMPARE(queued.taskId, id);
        QCOMPARE(queued.status, HostTaskStatus::PendingApproval);
        QCOMPARE(queued.approvalStatus, u"pending"_s);
        QCOMPARE(queued.ownerUsername, u"ulrich"_s);
        QCOMPARE(queued.command, u"python"_s);
        QCOMPARE(queued.arguments, (QStringList {u"train.py"_s, u"--epochs=3"_s}));
        QCOMPARE(queued.envVars.value(u"SEED"_s), u"7"_s);
        QCOMPARE(queued.requiredCores, 2);
        QCOMPARE(queued.batchId, std::optional<qint64>(id));
        QCOMPARE(queued.containerName, u"kohakuriver-base"_s);
        QCOMPARE(queued.dockerImageName, u"kohakuriver/kohakuriver-base:base"_s);
        QVERIFY(queued.submittedAt.has_value());

        // Each submission has its own, newer id.
        const qint64 next = submitAsUser();
        QVERIFY(next > id);
    }

    void operatorSubmissionIsSelfApproved()
    {
        const RawHttpReply reply = submit(trainingJob(), seed().operatorToken);
        QCOMPARE(reply.status, 202);
        QCOMPARE(
            reply.object().value(u"runner_response"_s), QJsonValue(true)); // dispatched in the background
        const QList<qint64> ids = taskIds(reply);
        QCOMPARE(ids.size(), 1);
        const auto task = m_host->task(ids.first());
        QVERIFY(task);
        QCOMPARE(task->status, u"assigning"_s);
        QCOMPARE(task->approvalStatus, u"approved"_s);
        QCOMPARE(task->approvedById, std::optional<qint64>(seed().operatorId));
        QVERIFY(!task->approvedAt.isEmpty());

        const auto client = clientAs(seed().adminToken);
        auto queue = await(client->pendingApprovals());
        RK_VERIFY_OK(queue);
        QCOMPARE(queue.value().size(), 2); // not in the queue
        auto status = await(client->task(ids.first()));
        RK_VERIFY_OK(status);
        QCOMPARE(status.value().status, HostTaskStatus::Assigning);
        QCOMPARE(status.value().approvedByUsername, u"olivia"_s);

        // Every field has its default: an empty body is a command task with no command, one core.
        const RawHttpReply bare = submit(QJsonObject(), seed().operatorToken);
        QCOMPARE(bare.status, 202);
        const auto empty = await(client->task(taskIds(bare).value(0)));
        RK_VERIFY_OK(empty);
        QCOMPARE(empty.value().taskType, u"command"_s);
        QCOMPARE(empty.value().command, u""_s);
        QVERIFY(!m_host->task(taskIds(bare).value(0))->command.isNull()); // sent as "", not null
        QCOMPARE(empty.value().requiredCores, 1);
        QCOMPARE(m_host->requests().last().path, u"/api/status/%1"_s.arg(taskIds(bare).value(0)));

        // The admin secret's mock admin (id 0) owns nothing and approves nothing.
        QNetworkRequest request(url(u"/api/submit"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("X-Admin-Token", seed().adminSecret.toLatin1());
        QNetworkReply *raw = m_nam.post(request, QByteArrayLiteral("{\"command\":\"true\"}"));
        QSignalSpy done(raw, &QNetworkReply::finished);
        QVERIFY(done.wait(5000));
        QCOMPARE(raw->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
        const QJsonArray secretIds
            = QJsonDocument::fromJson(raw->readAll()).object().value(u"task_ids"_s).toArray();
        raw->deleteLater();
        const auto unowned = m_host->task(secretIds.first().toString().toLongLong());
        QVERIFY(unowned);
        QVERIFY(!unowned->ownerId);
        QVERIFY(unowned->approvalStatus.isNull());
        QCOMPARE(unowned->status, u"assigning"_s);
    }

    void submitNeedsTheUserRole_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("detail");
        QTest::newRow("anonymous") << QString() << 401 << u"Not authenticated"_s;
        QTest::newRow("unknown token") << u"nope"_s << 401 << u"Not authenticated"_s;
        QTest::newRow("viewer") << u"viewer"_s << 403 << u"Insufficient permissions. Required role: user"_s;
        QTest::newRow("disabled user") << u"disabled"_s << 401 << u"Not authenticated"_s;
    }
    void submitNeedsTheUserRole()
    {
        QFETCH(QString, token);
        QFETCH(int, status);
        QFETCH(QString, detail);
        if (token == u"viewer"_s)
            token = seed().viewerToken;
        else if (token == u"disabled"_s)
            token = seed().disabledToken;
        const RawHttpReply reply = submit(trainingJob(), token);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.detail(), detail);
        // Nothing was created: the queue holds the seed's two.
        const auto client = clientAs(seed().adminToken);
        auto queue = await(client->pendingApprovals());
        RK_VERIFY_OK(queue);
        QCOMPARE(queue.value().size(), 2);
    }

    // What the host refuses before creating anything: 400 for a submission it cannot take, 503
    // when no online node fits (with the host's per-target reasons when targets were named).
    void refusedSubmissions_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("detail");
        QTest::newRow("task type") << 400 << with(trainingJob(), u"task_type"_s, u"batch"_s)
                                   << u"Invalid task type. Only 'command' and 'vps' are supported."_s;
        QTest::newRow("GPUs without targets")
            << 400 << with(trainingJob(), u"required_gpus"_s, QJsonArray {QJsonArray {0}})
            << u"No target node specified for GPU task is not allowed."_s;
        QTest::newRow("VPS on several targets")
            << 400
            << QJsonObject {{u"task_type"_s, u"vps"_s}, {u"command"_s, u"ssh-ed25519 AAAA"_s},
                   {u"targets"_s, QJsonArray {u"node-a"_s, u"node-a:1"_s}}}
            << u"VPS tasks cannot be submitted to multiple targets."_s;
        QTest::newRow("GPU lists and targets differ")
            << 400
            << with(with(trainingJob(), u"targets"_s, QJsonArray {u"node-a"_s}), u"required_gpus"_s,
                   QJsonArray {QJsonArray {0}, QJsonArray {}})
            << u"required_gpus length (2) must match targets length (1)."_s;
        QTest::newRow("VPS without a container")
            << 400 << QJsonObject {{u"task_type"_s, u"vps"_s}, {u"container_name"_s, u"NULL"_s}}
            << u"VPS tasks require a Docker container."_s;
        QTest::newRow("more cores than any node has free")
            << 503 << with(trainingJob(), u"required_cores"_s, 11)
            << u"No suitable node available for this task."_s;
        QTest::newRow("an offline target")
            << 503 << with(trainingJob(), u"targets"_s, QJsonArray {u"node-b"_s})
            << u"Failed to schedule task for any target. Failures: [{'target': 'node-b', 'reason': 'Node status is offline'}]"_s;
        QTest::newRow("an unknown target")
            << 503 << with(trainingJob(), u"targets"_s, QJsonArray {u"node-z"_s})
            << u"Failed to schedule task for any target. Failures: [{'target': 'node-z', 'reason': 'Node not registered'}]"_s;
        QTest::newRow("a GPU the node lacks")
            << 503
            << with(with(trainingJob(), u"targets"_s, QJsonArray {u"node-a"_s}), u"required_gpus"_s,
                   QJsonArray {QJsonArray {0, 3}})
            << u"Failed to schedule task for any target. Failures: [{'target': 'node-a', 'reason': 'Invalid GPU IDs: [3]'}]"_s;
        QTest::newRow("a NUMA node the node lacks")
            << 503 << with(trainingJob(), u"targets"_s, QJsonArray {u"node-a:5"_s})
            << u"Failed to schedule task for any target. Failures: [{'target': 'node-a:5', 'reason': 'Invalid NUMA ID (Valid: [0, 1])'}]"_s;
        QTest::newRow("more memory than is free")
            << 503
            << with(with(trainingJob(), u"targets"_s, QJsonArray {u"node-a"_s}), u"required_memory_bytes"_s,
                   qint64(30'000'000'000))
            << u"Failed to schedule task for any target. Failures: [{'target': 'node-a', 'reason': 'Insufficient available memory'}]"_s;
    }
    void refusedSubmissions()
    {
        QFETCH(int, status);
        QFETCH(QJsonObject, body);
        QFETCH(QString, detail);
        const RawHttpReply reply = submit(body, seed().userToken);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.detail(), detail);
        const auto client = clientAs(seed().adminToken);
        auto queue = await(client->pendingApprovals());
        RK_VERIFY_OK(queue);
        QCOMPARE(queue.value().size(), 2); // nothing new waits
    }

    void malformedBodiesAre422_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QJsonArray>("loc");
        const auto json
            = [](const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); };
        QTest::newRow("not JSON") << QByteArray("{\"command\": ") << u"json_invalid"_s
                                  << QJsonArray {u"body"_s, 12};
        QTest::newRow("an array") << QByteArray("[1]") << u"model_attributes_type"_s
                                  << QJsonArray {u"body"_s};
        QTest::newRow("cores as text") << json(with(trainingJob(), u"required_cores"_s, u"four"_s))
                                       << u"int_type"_s << QJsonArray {u"body"_s, u"required_cores"_s};
        QTest::newRow("negative cores")
            << json(with(trainingJob(), u"required_cores"_s, -1)) << u"greater_than_equal"_s
            << QJsonArray {u"body"_s, u"required_cores"_s};
        QTest::newRow("arguments not a list") << json(with(trainingJob(), u"arguments"_s, u"train.py"_s))
                                              << u"list_type"_s << QJsonArray {u"body"_s, u"arguments"_s};
        QTest::newRow("an argument not text")
            << json(with(trainingJob(), u"arguments"_s, QJsonArray {u"a"_s, 5})) << u"string_type"_s
            << QJsonArray {u"body"_s, u"arguments"_s, 1};
        QTest::newRow("env value not text")
            << json(with(trainingJob(), u"env_vars"_s, QJsonObject {{u"N"_s, 1}})) << u"string_type"_s
            << QJsonArray {u"body"_s, u"env_vars"_s, u"N"_s};
        QTest::newRow("targets not a list") << json(with(trainingJob(), u"targets"_s, u"node-a"_s))
                                            << u"list_type"_s << QJsonArray {u"body"_s, u"targets"_s};
        QTest::newRow("a GPU not an int")
            << json(with(trainingJob(), u"required_gpus"_s, QJsonArray {QJsonArray {0, u"x"_s}}))
            << u"int_type"_s << QJsonArray {u"body"_s, u"required_gpus"_s, 0, 1};
        QTest::newRow("privileged as text") << json(with(trainingJob(), u"privileged"_s, u"yes"_s))
                                            << u"bool_type"_s << QJsonArray {u"body"_s, u"privileged"_s};
        QTest::newRow("negative memory")
            << json(with(trainingJob(), u"required_memory_bytes"_s, -5)) << u"greater_than_equal"_s
            << QJsonArray {u"body"_s, u"required_memory_bytes"_s};
        QTest::newRow("command null") << json(with(trainingJob(), u"command"_s, QJsonValue()))
                                      << u"string_type"_s << QJsonArray {u"body"_s, u"command"_s};
    }
    void malformedBodiesAre422()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, type);
        QFETCH(QJsonArray, loc);
        const RawHttpReply reply = RawHttpReply::post(m_nam, url(u"/api/submit"_s), body, seed().userToken);
        QCOMPARE(reply.status, 422);
        const QJsonArray detail = reply.object().value(u"detail"_s).toArray();
        QCOMPARE(detail.size(), 1);
        QCOMPARE(detail.first().toObject().value(u"type"_s).toString(), type);
        QCOMPARE(detail.first().toObject().value(u"loc"_s).toArray(), loc);
        QVERIFY(!detail.first().toObject().value(u"msg"_s).toString().isEmpty());
    }

    // The role is checked before the body: a bad body from an anonymous caller or a viewer is a
    // 401 or a 403, not a 422.
    void authIsCheckedBeforeTheBody()
    {
        RawHttpReply reply = RawHttpReply::post(m_nam, url(u"/api/submit"_s), QByteArray("nonsense"));
        QCOMPARE(reply.status, 401);
        reply = RawHttpReply::post(m_nam, url(u"/api/submit"_s), QByteArray("nonsense"), seed().viewerToken);
        QCOMPARE(reply.status, 403);
        reply = RawHttpReply::post(m_nam, url(u"/api/submit"_s), QByteArray("nonsense"), seed().userToken);
        QCOMPARE(reply.status, 422);
    }

    // Several targets: one task each, the first one's id as the batch id of all.
    void targetsMakeABatch()
    {
        QJsonObject body = with(trainingJob(), u"targets"_s, QJsonArray {u"node-a"_s, u"node-a:1"_s});
        body.insert(u"required_gpus"_s, QJsonArray {QJsonArray {0}, QJsonArray {}});
        body.insert(u"required_memory_bytes"_s, 1024);
        body.insert(u"privileged"_s, true);
        body.insert(u"additional_mounts"_s, QJsonArray {u"/data:/data"_s});
        body.insert(u"registry_image"_s, u"pytorch/pytorch:2.4"_s);
        const RawHttpReply reply = submit(body, seed().userToken);
        QCOMPARE(reply.status, 202);
        QCOMPARE(reply.object().value(u"message"_s).toString(),
            u"Task batch submitted successfully. 2 tasks created."_s);
        const QList<qint64> ids = taskIds(reply);
        QCOMPARE(ids.size(), 2);
        QVERIFY(ids.at(1) > ids.at(0));
        const auto first = m_host->task(ids.at(0));
        const auto second = m_host->task(ids.at(1));
        QVERIFY(first && second);
        QCOMPARE(first->batchId, std::optional<qint64>(ids.at(0)));
        QCOMPARE(second->batchId, std::optional<qint64>(ids.at(0)));
        QCOMPARE(first->requiredGpus, QList<int> {0});
        QVERIFY(second->requiredGpus.isEmpty());
        QVERIFY(!first->targetNumaNodeId);
        QCOMPARE(second->targetNumaNodeId, std::optional<int>(1));
        QCOMPARE(first->requiredMemoryBytes, std::optional<qint64>(1024));
        QVERIFY(first->privileged);
        QCOMPARE(first->mountDirs, QStringList {u"/data:/data"_s});
        QVERIFY(first->containerName.isNull()); // a registry image instead of an environment
        QCOMPARE(first->dockerImageName, u"pytorch/pytorch:2.4"_s);

        const auto client = clientAs(seed().adminToken);
        auto read = await(client->task(ids.at(1)));
        RK_VERIFY_OK(read);
        QCOMPARE(read.value().batchId, std::optional<qint64>(ids.at(0)));
        QCOMPARE(read.value().targetNumaNodeId, std::optional<int>(1));
        QCOMPARE(read.value().requiredMemoryBytes, std::optional<qint64>(1024));
        QVERIFY(read.value().dockerPrivileged);
        QCOMPARE(read.value().dockerMountDirs, QStringList {u"/data:/data"_s});
        QVERIFY(read.value().containerName.isEmpty());
    }

    // Some targets fail: 202 with the failures, no node and no runner answer.
    void someTargetsFailing()
    {
        const RawHttpReply reply = submit(
            with(trainingJob(), u"targets"_s, QJsonArray {u"node-a"_s, u"node-b"_s}), seed().userToken);
        QCOMPARE(reply.status, 202);
        const QJsonObject answer = reply.object();
        QCOMPARE(answer.value(u"message"_s).toString(),
            u"Task batch submitted. 1 tasks created. Some targets failed."_s);
        QCOMPARE(taskIds(reply).size(), 1);
        QCOMPARE(answer.value(u"failed_targets"_s).toArray(),
            (QJsonArray {
                QJsonObject {{u"target"_s, u"node-b"_s}, {u"reason"_s, u"Node status is offline"_s}}}));
        QVERIFY(!answer.contains(u"assigned_node"_s));
        QVERIFY(!answer.contains(u"runner_response"_s));
    }

    void runnerUpdatesMoveTheTask()
    {
        const qint64 id = submitAsUser();
        QVERIFY(id > kTwoTo53);
        // task_id as a JSON number above 2^53, as a runner sends it; no credential.
        const QByteArray running = "{\"task_id\": " + QByteArray::number(id)
            + ", \"status\": \"running\", \"started_at\": \"2026-12-06T21:00:00.250000\"}";
        QVERIFY(!QJsonDocument::fromJson(running).isNull());
        RawHttpReply reply = RawHttpReply::post(m_nam, url(u"/api/update"_s), running);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.object(), (QJsonObject {{u"message"_s, u"Task status updated successfully."_s}}));
        QVERIFY(!m_host->requests().last().hasHeader("authorization"));
        QCOMPARE(m_host->task(id)->status, u"running"_s);
        QCOMPARE(m_host->task(id)->startedAt, u"2026-12-06T21:00:00.250000"_s);

        // A later started_at does not move the start; a final state sets completed_at.
        reply = update({{u"task_id"_s, QString::number(id)}, {u"status"_s, u"failed"_s}, {u"exit_code"_s, 3},
            {u"message"_s, u"Traceback: boom"_s}, {u"started_at"_s, u"2026-12-06T22:00:00"_s}});
        QCOMPARE(reply.status, 200);
        const auto task = m_host->task(id);
        QCOMPARE(task->status, u"failed"_s);
        QCOMPARE(task->exitCode, std::optional<int>(3));
        QCOMPARE(task->errorMessage, u"Traceback: boom"_s);
        QCOMPARE(task->startedAt, u"2026-12-06T21:00:00.250000"_s);
        QVERIFY(!task->completedAt.isEmpty());

        const auto client = clientAs(seed().userToken);
        auto read = await(client->task(id));
        RK_VERIFY_OK(read);
        QCOMPARE(read.value().status, HostTaskStatus::Failed);
        QCOMPARE(read.value().exitCode, std::optional<int>(3));
        QCOMPARE(read.value().errorMessage, u"Traceback: boom"_s);
        QVERIFY(read.value().completedAt.has_value());
    }

    void updateIgnoresUnknownAndFinishedTasks()
    {
        const QString refused = u"Task ID not recognized or invalid state transition."_s;
        RawHttpReply reply = update({{u"task_id"_s, 12345}, {u"status"_s, u"running"_s}});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.object().value(u"message"_s).toString(), refused);

        const qint64 done = seed().completedTaskId;
        reply = update({{u"task_id"_s, QString::number(done)}, {u"status"_s, u"running"_s}});
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.object().value(u"message"_s).toString(), refused);
        QCOMPARE(m_host->task(done)->status, u"completed"_s);
        // One final state to another is taken (a runner's late "killed_oom", for instance).
        reply = update({{u"task_id"_s, QString::number(done)}, {u"status"_s, u"killed_oom"_s}});
        QCOMPARE(reply.object().value(u"message"_s).toString(), u"Task status updated successfully."_s);
        QCOMPARE(m_host->task(done)->status, u"killed_oom"_s);
    }

    void updateValidatesItsBody_data()
    {
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("field");
        QTest::newRow("no task id") << QJsonObject {{u"status"_s, u"running"_s}} << u"missing"_s
                                    << u"task_id"_s;
        QTest::newRow("no status") << QJsonObject {{u"task_id"_s, 1}} << u"missing"_s << u"status"_s;
        QTest::newRow("task id as a word")
            << QJsonObject {{u"task_id"_s, u"one"_s}, {u"status"_s, u"running"_s}} << u"int_type"_s
            << u"task_id"_s;
        QTest::newRow("exit code as text")
            << QJsonObject {{u"task_id"_s, 1}, {u"status"_s, u"failed"_s}, {u"exit_code"_s, u"1"_s}}
            << u"int_type"_s << u"exit_code"_s;
        QTest::newRow("a start that is no time")
            << QJsonObject {{u"task_id"_s, 1}, {u"status"_s, u"running"_s}, {u"started_at"_s, u"soon"_s}}
            << u"datetime_parsing"_s << u"started_at"_s;
    }
    void updateValidatesItsBody()
    {
        QFETCH(QJsonObject, body);
        QFETCH(QString, type);
        QFETCH(QString, field);
        const RawHttpReply reply = update(body);
        QCOMPARE(reply.status, 422);
        const QJsonArray detail = reply.object().value(u"detail"_s).toArray();
        QCOMPARE(detail.size(), 1);
        QCOMPARE(detail.first().toObject().value(u"type"_s).toString(), type);
        QCOMPARE(detail.first().toObject().value(u"loc"_s).toArray(), (QJsonArray {u"body"_s, field}));
    }

    void outputWrittenByTheRunnerIsServed()
    {
        const qint64 id = submitAsUser();
        QVERIFY(id > 0);
        const QString stdoutPath = u"/api/tasks/%1/stdout"_s.arg(id);
        const auto client = clientAs(seed().userToken);
        auto none = await(client->taskStdout(id, 0));
        RK_VERIFY_OK(none);
        QCOMPARE(none.value(), QString()); // no file yet: ""

        QVERIFY(m_host->setTaskStdout(id, u"epoch 1 loss=0.91\nepoch 2 loss=0.55\n"_s));
        QVERIFY(m_host->setTaskStderr(id, u"warning: slow disk\n"_s));
        auto out = await(client->taskStdout(id, 1));
        RK_VERIFY_OK(out);
        QCOMPARE(out.value(), u"epoch 2 loss=0.55\n"_s);
        QCOMPARE(m_host->requests().last().path, stdoutPath);
        auto err = await(client->taskStderr(id, 0));
        RK_VERIFY_OK(err);
        QCOMPARE(err.value(), u"warning: slow disk\n"_s);

        QVERIFY(m_host->setTaskStdout(id, std::nullopt));
        auto gone = await(client->taskStdout(id, 0));
        RK_VERIFY_OK(gone);
        QCOMPARE(gone.value(), QString());
        QVERIFY(!m_host->setTaskStdout(42, u"x"_s)); // no such task
    }

    void otherMethodsAre405()
    {
        QNetworkRequest request(url(u"/api/submit"_s));
        QNetworkReply *reply = m_nam.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(5000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 405);
        reply->deleteLater();
    }
};

RK_TEST_GUILESS_MAIN(TestFakeHostSubmit)
#include "TestFakeHostSubmit.moc"
