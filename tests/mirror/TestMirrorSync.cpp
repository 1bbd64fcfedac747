// MirrorSync against the fake host: what one sync writes (and the existing table models show),
// offline and credential failures, a bad answer for one dataset, a second sync, coalescing,
// cancelling, role gating, and that no secret of the host reaches the mirror file.
#include "FakeHost.h"
#include "HostTestSupport.h"
#include "RkTest.h"
#include "mirror/HostMirror.h"
#include "mirror/MirrorSync.h"
#include "store/SqliteDatabase.h"
#include "tables/InvitationsTableModel.h"
#include "tables/VpsTableModel.h"
#include "tasks/ApprovalQueueModel.h"
#include "tasks/TasksTableModel.h"
#include "users/UsersTableModel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <algorithm>
#include <memory>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;
using State = MirrorSync::State;

class TestMirrorSync : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<HostClient> m_client;
    std::unique_ptr<HostMirror> m_mirror;
    std::unique_ptr<MirrorSync> m_sync;

    const FakeHost::Seed &seed() const { return m_host->seed(); }
    void as(const QString &token) { m_client->setAuth(HostAuth::bearer(token)); }

    // Runs one sync to its end and returns its status.
    Status runSync()
    {
        QSignalSpy finished(m_sync.get(), &MirrorSync::finished);
        m_sync->sync();
        if (!finished.wait(15000))
            return Error::make(Error::Code::Internal, u"the sync did not finish"_s);
        if (finished.size() != 1)
            return Error::make(Error::Code::Internal, u"finished() more than once"_s);
        return m_sync->lastStatus();
    }

    QVariant scalar(const QString &sql)
    {
        auto db = SqliteDatabase::open(m_path, SqliteDatabase::OpenMode::ReadOnly);
        if (!db)
            return {};
        auto v = (*db)->scalar(sql);
        return v ? *v : QVariant();
    }
    qint64 count(const QString &table) { return scalar(u"SELECT count(*) FROM "_s + table).toLongLong(); }
    int requests(const QByteArray &method, const QString &path)
    {
        return m_host->server().count(method, path);
    }

    static void watchModel(QAbstractItemModel *model)
    {
        new QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest, model);
    }
    static bool settled(const LazySqlTableModel &model)
    {
        return !model.isLoading() && model.isOrderingComplete();
    }
    static QList<qint64> ids(const LazySqlTableModel &model)
    {
        QList<qint64> out;
        for (int r = 0; r < model.rowCount(); ++r)
            out.append(model.idAt(r));
        std::sort(out.begin(), out.end());
        return out;
    }
    static QList<qint64> sorted(QList<qint64> list)
    {
        std::sort(list.begin(), list.end());
        return list;
    }
    void addNewbie()
    {
        FakeUser u;
        u.username = u"newbie"_s;
        u.password = u"newbie-password"_s;
        m_host->addUser(u);
    }
    QList<qint64> mirroredPending()
    {
        auto pending = m_mirror->pendingApprovalIds();
        return pending ? *pending : QList<qint64> {-1};
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()) + u".db"_s);
        QFile::remove(m_path);
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
        m_client = std::make_unique<HostClient>();
        m_client->setBaseUrl(m_host->baseUrl());
        HostClientOptions options;
        options.maxAttempts = 1; // a host that is down is reported at once
        options.timeout = std::chrono::milliseconds(3000);
        m_client->setOptions(options);
        as(seed().adminToken);
        auto mirror = HostMirror::open(m_path);
        QVERIFY(mirror.ok());
        m_mirror = std::move(mirror).value();
        m_sync = std::make_unique<MirrorSync>(m_client.get(), m_mirror.get());
    }
    void cleanup()
    {
        m_sync.reset();
        m_client.reset();
        m_mirror.reset();
        m_host.reset();
    }

    void aSyncFillsEveryTable()
    {
        QCOMPARE(m_sync->state(), State::Idle);
        QSignalSpy states(m_sync.get(), &MirrorSync::stateChanged);
        QSignalSpy progress(m_sync.get(), &MirrorSync::progress);
        QSignalSpy updated(m_sync.get(), &MirrorSync::datasetUpdated);
        const Status st = runSync();
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().message));
        QCOMPARE(m_sync->state(), State::Online);
        QCOMPARE(states.size(), 2);
        QCOMPARE(states.at(0).at(0).value<State>(), State::Syncing);
        QCOMPARE(states.at(1).at(0).value<State>(), State::Online);

        QCOMPARE(count(u"users"_s), 5);
        QCOMPARE(count(u"invitations"_s), 1);
        QCOMPARE(scalar(u"SELECT count(*) FROM tasks WHERE task_type = 'command'"_s).toInt(), 4);
        QCOMPARE(scalar(u"SELECT count(*) FROM tasks WHERE task_type = 'vps'"_s).toInt(), 2);
        QCOMPARE(count(u"vps_assignments"_s), 1);
        // From GET /api/vps/{id}/assignments (a JSON-number task id there), with its time.
        QCOMPARE(requests("GET", u"/api/vps/%1/assignments"_s.arg(seed().vpsId)), 1);
        QCOMPARE(scalar(u"SELECT vps_task_id || ':' || user_id || ':' || created_at FROM vps_assignments"_s)
                     .toString(),
            u"%1:3:2026-11-22 02:10:00.000100"_s.arg(seed().vpsId));
        QCOMPARE(count(u"nodes"_s), 2);
        QCOMPARE(mirroredPending(), sorted({seed().pendingTaskId, seed().pendingVpsId}));
        QCOMPARE(scalar(u"SELECT status FROM tasks WHERE task_id = %1"_s.arg(seed().pausedTaskId)).toString(),
            u"paused"_s);
        QCOMPARE(
            scalar(u"SELECT started_at FROM tasks WHERE task_id = %1"_s.arg(seed().runningTaskId)).toString(),
            u"2026-11-22 02:00:04.900000"_s);
        QCOMPARE(scalar(u"SELECT username FROM users WHERE id = 2"_s).toString(), u"olivia"_s);
        QCOMPARE(m_mirror->coresInUse(u"node-a"_s), std::optional<int>(6));
        for (MirrorDataset dataset : mirrordataset::all())
            QVERIFY2(m_mirror->lastSynced(dataset).has_value(), qPrintable(mirrordataset::key(dataset)));
        QCOMPARE(updated.size(), 6);
        const auto account = m_mirror->account();
        QVERIFY(account);
        QCOMPARE(account->username, u"admin"_s);
        QCOMPARE(account->role, u"admin"_s);
        QCOMPARE(account->baseUrl, m_host->baseUrl().toString());

        // Progress: me + six datasets, counting up to the total.
        QVERIFY(progress.size() >= 7);
        int lastDone = -1;
        for (const QList<QVariant> &p : std::as_const(progress)) {
            QVERIFY(p.at(0).toInt() >= lastDone);
            lastDone = p.at(0).toInt();
        }
        QCOMPARE(progress.last().at(0).toInt(), 7);
        QCOMPARE(progress.last().at(1).toInt(), 7);
        QVERIFY(m_sync->statusText().startsWith(u"Online, synced "_s));
    }

    void theExistingModelsShowTheMirror()
    {
        QVERIFY(runSync().ok());

        ApprovalQueueModel queue(m_path);
        watchModel(&queue);
        QTRY_VERIFY(settled(queue));
        QCOMPARE(ids(queue), sorted({seed().pendingTaskId, seed().pendingVpsId}));
        const int row = queue.rowOf(seed().pendingTaskId);
        QVERIFY(row >= 0);
        QTRY_VERIFY(queue.data(queue.index(row, 0), LazySqlTableModel::LoadedRole).toBool());
        QCOMPARE(queue.data(queue.index(row, ApprovalQueueModel::Submitter)).toString(), u"ulrich"_s);
        QCOMPARE(queue.data(queue.index(row, 0), ApprovalQueueModel::TaskIdTextRole).toString(),
            QString::number(seed().pendingTaskId));
        QCOMPARE(queue.data(queue.index(row, 0), ApprovalQueueModel::CoresRole).toInt(), 4);
        QCOMPARE(queue.data(queue.index(row, 0), ApprovalQueueModel::ArgumentsRole).toStringList(),
            (QStringList {u"train.py"_s, u"--epochs=3"_s}));

        TasksTableModel tasks(m_path);
        watchModel(&tasks);
        QTRY_VERIFY(settled(tasks));
        QCOMPARE(tasks.rowCount(), 6);

        VpsTableModel vps(m_path, false);
        watchModel(&vps);
        QTRY_VERIFY(settled(vps));
        QCOMPARE(ids(vps), sorted({seed().vpsId, seed().pendingVpsId}));
        const int vpsRow = vps.rowOf(seed().vpsId);
        QTRY_VERIFY(vps.data(vps.index(vpsRow, 0), LazySqlTableModel::LoadedRole).toBool());
        QCOMPARE(
            vps.data(vps.index(vpsRow, VpsTableModel::Assignees), LazySqlTableModel::RawValueRole).toInt(),
            1);
        QCOMPARE(vps.data(vps.index(vpsRow, VpsTableModel::Owner)).toString(), u"olivia"_s);

        InvitationsTableModel invitations(m_path);
        watchModel(&invitations);
        QTRY_VERIFY(settled(invitations));
        QCOMPARE(invitations.rowCount(), 1);

        // The users model checks the schema (sessions, tokens, groups, user_groups must exist).
        UsersTableModel users(m_path);
        watchModel(&users);
        QSignalSpy errors(&users, &UsersTableModel::errorOccurred);
        QTRY_VERIFY(!users.isLoading() && users.rowCount() == 5);
        QCOMPARE(errors.size(), 0);
    }

    void snowflakeIdsSurviveExactly()
    {
        QVERIFY(runSync().ok());
        const qint64 limit = qint64(1) << 53;
        for (qint64 id : {seed().pendingTaskId, seed().runningTaskId, seed().vpsId, seed().pendingVpsId}) {
            QVERIFY(id > limit);
            QCOMPARE(scalar(u"SELECT count(*) FROM tasks WHERE task_id = %1"_s.arg(id)).toInt(), 1);
        }
        QCOMPARE(scalar(u"SELECT vps_task_id FROM vps_assignments"_s).toLongLong(), seed().vpsId);
        QCOMPARE(scalar(u"SELECT count(*) FROM tasks WHERE typeof(task_id) != 'integer'"_s).toInt(), 0);
        // Neighbouring snowflakes differ only in the low bits a double would lose.
        FakeTask near;
        near.taskId = seed().runningTaskId + 1;
        near.ownerId = 1;
        near.status = u"running"_s;
        near.submittedAt = u"2026-11-22T02:00:04"_s;
        m_host->addTask(near);
        QVERIFY(runSync().ok());
        QCOMPARE(scalar(u"SELECT count(*) FROM tasks WHERE task_id IN (%1, %2)"_s.arg(seed().runningTaskId)
                            .arg(near.taskId))
                     .toInt(),
            2);
    }

    void anUnreachableHostIsOfflineAndKeepsTheData()
    {
        const auto fixed = [] {
            return hosttime::Instant {QDateTime(QDate(2026, 12, 1), QTime(14, 5)).toSecsSinceEpoch(), 0};
        };
        m_mirror->setClock(fixed);
        QVERIFY(runSync().ok());
        const auto syncedAt = m_mirror->lastSynced();
        QCOMPARE(syncedAt, std::optional<hosttime::Instant>(fixed()));

        m_host.reset(); // connection refused from now on
        const Status st = runSync();
        QVERIFY(!st.ok());
        QCOMPARE(m_sync->state(), State::Offline);
        QCOMPARE(m_mirror->lastSynced(), syncedAt);
        QCOMPARE(count(u"users"_s), 5);
        QCOMPARE(count(u"tasks"_s), 6);
        QVERIFY(m_sync->statusText().startsWith(u"Offline, last synced 2026-12-01 14:05"_s));
        QCOMPARE(MirrorSync::formatStatus(State::Offline, syncedAt, fixed().addSecs(600)),
            u"Offline, last synced 14:05"_s);
        QCOMPARE(MirrorSync::formatStatus(State::Offline, std::nullopt), u"Offline, never synced"_s);
    }

    void aHostThatHangsIsOffline()
    {
        QVERIFY(runSync().ok());
        HostClientOptions options = m_client->options();
        options.timeout = std::chrono::milliseconds(300);
        m_client->setOptions(options);
        addNewbie();
        // The account check passes, users are written, then the task list never answers.
        m_host->server().enqueue(FakeReply::hang(), "GET", u"/api/tasks"_s);
        const Status st = runSync();
        QVERIFY(!st.ok());
        QCOMPARE(m_sync->state(), State::Offline);
        QCOMPARE(count(u"users"_s), 6);
        QCOMPARE(count(u"tasks"_s), 6);
    }

    // One bad answer keeps that dataset's rows; every other dataset is still updated.
    void aBadAnswerForOneDatasetKeepsItsRows_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("table");
        QTest::addColumn<int>("kind");
        const QList<std::pair<QString, QString>> datasets
            = {{u"/api/auth/users"_s, u"users"_s}, {u"/api/auth/invitations"_s, u"invitations"_s},
                {u"/api/tasks"_s, u"tasks WHERE task_type = 'command'"_s},
                {u"/api/vps"_s, u"tasks WHERE task_type = 'vps'"_s}, {u"/api/nodes"_s, u"nodes"_s}};
        for (const auto &[path, table] : datasets) {
            QTest::addRow("malformed %s", qPrintable(path)) << path << table << 0;
            QTest::addRow("500 %s", qPrintable(path)) << path << table << 1;
            QTest::addRow("wrong types %s", qPrintable(path)) << path << table << 2;
        }
        QTest::addRow("duplicate users") << u"/api/auth/users"_s << u"users"_s << 3;
    }
    void aBadAnswerForOneDatasetKeepsItsRows()
    {
        QFETCH(QString, path);
        QFETCH(QString, table);
        QFETCH(int, kind);
        QVERIFY(runSync().ok());
        const qint64 before = count(table);
        const QString ids
            = scalar(u"SELECT group_concat(x) FROM (SELECT rowid AS x FROM "_s + table + u" ORDER BY 1)"_s)
                  .toString();

        // Something new in every dataset, so a dataset that is updated shows it.
        addNewbie();
        FakeTask task;
        task.taskId = FakeHost::snowflake(
            QDateTime(QDate(2026, 11, 23), QTime(1, 0), Qt::UTC).toMSecsSinceEpoch(), 9);
        task.ownerId = 3;
        task.status = u"running"_s;
        task.submittedAt = u"2026-11-23T01:00:00"_s;
        m_host->addTask(task);
        FakeTask box = task;
        box.taskId += 1;
        box.taskType = u"vps"_s;
        m_host->addTask(box);
        m_host->addNode(QJsonObject {{u"hostname"_s, u"node-c"_s}, {u"url"_s, u"http://10.0.0.13:8001"_s},
            {u"total_cores"_s, 4}, {u"cores_in_use"_s, 0}, {u"available_cores"_s, 4},
            {u"status"_s, u"online"_s}, {u"last_heartbeat"_s, u"2026-11-22T02:24:37"_s},
            {u"numa_topology"_s, QJsonValue()}, {u"gpu_info"_s, QJsonArray()}, {u"vm_capable"_s, false},
            {u"vfio_gpus"_s, QJsonArray()}});
        HostNewInvitation invitation;
        invitation.role = u"viewer"_s;
        RK_VERIFY_OK(await(m_client->createInvitation(invitation)));

        FakeReply bad;
        switch (kind) {
        case 0: bad = FakeReply::malformedJson(); break;
        case 1: bad = FakeReply::serverError(); break;
        case 2: bad = FakeReply::json(200, QJsonArray {QJsonObject {{u"id"_s, u"not a number"_s}}}); break;
        case 3: {
            const QJsonObject u1 {{u"id"_s, 1}, {u"username"_s, u"admin"_s},
                {u"display_name"_s, QJsonValue()}, {u"role"_s, u"admin"_s}, {u"is_active"_s, true},
                {u"created_at"_s, u"2026-11-20T09:00:00"_s}};
            QJsonObject u2 = u1;
            u2.insert(u"username"_s, u"impostor"_s);
            bad = FakeReply::json(200, QJsonArray {u1, u2});
            break;
        }
        }
        m_host->server().enqueue(bad, "GET", path);
        const Status st = runSync();
        QVERIFY(!st.ok());
        QCOMPARE(m_sync->state(), State::Online); // the host answered
        QCOMPARE(count(table), before);
        QCOMPARE(scalar(u"SELECT group_concat(x) FROM (SELECT rowid AS x FROM "_s + table + u" ORDER BY 1)"_s)
                     .toString(),
            ids);
        // The others were updated.
        if (path != u"/api/auth/users"_s)
            QCOMPARE(count(u"users"_s), 6);
        if (path != u"/api/auth/invitations"_s)
            QCOMPARE(count(u"invitations"_s), 2);
        if (path != u"/api/tasks"_s)
            QCOMPARE(scalar(u"SELECT count(*) FROM tasks WHERE task_type = 'command'"_s).toInt(), 5);
        if (path != u"/api/vps"_s)
            QCOMPARE(scalar(u"SELECT count(*) FROM tasks WHERE task_type = 'vps'"_s).toInt(), 3);
        if (path != u"/api/nodes"_s)
            QCOMPARE(count(u"nodes"_s), 3);
    }

    void anAnonymousAnswerIsAuthFailed()
    {
        as(u"0000000000000000000000000000000000000000000000000000000000000000"_s);
        Status st = runSync();
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, Error::Code::Refused);
        QCOMPARE(m_sync->state(), State::AuthFailed);
        QCOMPARE(count(u"users"_s), 0);
        QCOMPARE(m_mirror->lastSynced(), std::nullopt);
        QCOMPARE(m_host->requests().size(), 1); // only /api/auth/me
        QVERIFY(m_sync->statusText().startsWith(u"Signed out"_s));

        // A disabled account answers as anonymous too; what was mirrored before stays.
        as(seed().adminToken);
        QVERIFY(runSync().ok());
        as(seed().disabledToken);
        st = runSync();
        QCOMPARE(m_sync->state(), State::AuthFailed);
        QCOMPARE(count(u"users"_s), 5);
    }

    void a401DuringTheSyncIsAuthFailed()
    {
        m_host->server().enqueue(FakeReply::detail(401, u"Not authenticated"_s), "GET", u"/api/vps"_s);
        QVERIFY(!runSync().ok());
        QCOMPARE(m_sync->state(), State::AuthFailed);
        QCOMPARE(requests("GET", u"/api/nodes"_s), 0); // stopped there
        QCOMPARE(count(u"users"_s), 5); // written before
    }

    void aSecondSyncUpdates()
    {
        QVERIFY(runSync().ok());
        ApprovalQueueModel queue(m_path);
        watchModel(&queue);
        QTRY_VERIFY(settled(queue));
        QCOMPARE(queue.rowCount(), 2);

        // Approved elsewhere (another admin's console).
        RK_VERIFY_OK(await(m_client->approveTask(seed().pendingTaskId)));
        addNewbie();
        QSignalSpy updated(m_sync.get(), &MirrorSync::datasetUpdated);
        connect(m_sync.get(), &MirrorSync::datasetUpdated, &queue, &LazySqlTableModel::refresh);
        QVERIFY(runSync().ok());
        QCOMPARE(mirroredPending(), QList<qint64> {seed().pendingVpsId});
        QCOMPARE(
            scalar(
                u"SELECT status || ',' || approval_status || ',' || approved_by_id FROM tasks WHERE task_id = %1"_s
                    .arg(seed().pendingTaskId))
                .toString(),
            u"assigning,approved,1"_s);
        QCOMPARE(count(u"users"_s), 6);
        QTRY_VERIFY(settled(queue) && queue.rowCount() == 1);
        QCOMPARE(queue.idAt(0), seed().pendingVpsId);
    }

    // A task that left the queue and is not on the fetched task pages is fetched by id.
    void aTaskThatLeftTheQueueIsFetchedById()
    {
        MirrorSync::Options options;
        options.taskPages = 1;
        options.taskPageSize = 1;
        m_sync->setOptions(options);
        QVERIFY(runSync().ok());
        FakeTask newer;
        newer.taskId = FakeHost::snowflake(
            QDateTime(QDate(2026, 11, 23), QTime(1, 0), Qt::UTC).toMSecsSinceEpoch(), 7);
        newer.ownerId = 1;
        newer.status = u"running"_s;
        newer.submittedAt = u"2026-11-23T01:00:00"_s;
        m_host->addTask(newer); // now the only task on the one page fetched
        RK_VERIFY_OK(await(m_client->rejectTask(seed().pendingTaskId, u"too big"_s)));
        m_host->server().clearRequests();
        QVERIFY(runSync().ok());
        QCOMPARE(requests("GET", u"/api/status/%1"_s.arg(seed().pendingTaskId)), 1);
        QCOMPARE(mirroredPending(), QList<qint64> {seed().pendingVpsId});
        QCOMPARE(scalar(u"SELECT status || ':' || rejection_reason FROM tasks WHERE task_id = %1"_s.arg(
                            seed().pendingTaskId))
                     .toString(),
            u"rejected:too big"_s);
    }

    // When even that fails, the task is not shown as still waiting for approval.
    void aTaskThatLeftTheQueueAndCannotBeFetchedIsRemoved()
    {
        MirrorSync::Options options;
        options.taskPages = 1;
        options.taskPageSize = 1;
        m_sync->setOptions(options);
        QVERIFY(runSync().ok());
        FakeTask newer;
        newer.taskId = FakeHost::snowflake(
            QDateTime(QDate(2026, 11, 23), QTime(1, 0), Qt::UTC).toMSecsSinceEpoch(), 7);
        newer.ownerId = 1;
        newer.status = u"running"_s;
        newer.submittedAt = u"2026-11-23T01:00:00"_s;
        m_host->addTask(newer);
        RK_VERIFY_OK(await(m_client->approveTask(seed().pendingTaskId)));
        m_host->server().enqueue(
            FakeReply::serverError(), "GET", u"/api/status/%1"_s.arg(seed().pendingTaskId));
        QVERIFY(runSync().ok());
        QCOMPARE(mirroredPending(), QList<qint64> {seed().pendingVpsId});
        QCOMPARE(
            scalar(u"SELECT count(*) FROM tasks WHERE task_id = %1"_s.arg(seed().pendingTaskId)).toInt(), 0);
    }

    void syncsNeverOverlap()
    {
        QSignalSpy finished(m_sync.get(), &MirrorSync::finished);
        m_sync->sync();
        QVERIFY(m_sync->isSyncing());
        m_sync->sync(); // coalesced into one more after this one
        m_sync->sync();
        QTRY_COMPARE(finished.size(), 2);
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QVERIFY(!m_sync->isSyncing());
        QCOMPARE(finished.size(), 2);
        QCOMPARE(requests("GET", u"/api/auth/me"_s), 2);
        // The second sync began only after the first had asked for its last dataset.
        const QList<RecordedRequest> &all = m_host->requests();
        QList<qsizetype> me, nodes;
        for (qsizetype i = 0; i < all.size(); ++i) {
            if (all.at(i).path == u"/api/auth/me"_s)
                me.append(i);
            if (all.at(i).path == u"/api/nodes"_s)
                nodes.append(i);
        }
        QCOMPARE(me.size(), 2);
        QCOMPARE(nodes.size(), 2);
        QVERIFY(me.at(1) > nodes.at(0));
    }

    // A bad approval queue keeps the mirrored queue as it was (nothing is concluded from it).
    void aBadApprovalQueueKeepsTheMirroredQueue()
    {
        MirrorSync::Options options;
        options.taskPages = 1;
        options.taskPageSize = 1;
        m_sync->setOptions(options);
        QVERIFY(runSync().ok());
        const auto queueSyncedAt = m_mirror->lastSynced(MirrorDataset::PendingApprovals);
        FakeTask newer;
        newer.taskId = FakeHost::snowflake(
            QDateTime(QDate(2026, 11, 23), QTime(1, 0), Qt::UTC).toMSecsSinceEpoch(), 7);
        newer.ownerId = 1;
        newer.status = u"running"_s;
        newer.submittedAt = u"2026-11-23T01:00:00"_s;
        m_host->addTask(newer);
        RK_VERIFY_OK(await(m_client->rejectTask(seed().pendingTaskId)));
        m_host->server().enqueue(FakeReply::malformedJson(), "GET", u"/api/tasks/pending-approval"_s);
        const Status st = runSync();
        QVERIFY(!st.ok());
        QVERIFY(st.error().message.contains(u"pending approvals"_s));
        QCOMPARE(mirroredPending(), sorted({seed().pendingTaskId, seed().pendingVpsId}));
        QCOMPARE(m_mirror->lastSynced(MirrorDataset::PendingApprovals), queueSyncedAt);
        QCOMPARE(scalar(u"SELECT count(*) FROM tasks WHERE task_id = %1"_s.arg(newer.taskId)).toInt(), 1);
        QCOMPARE(requests("GET", u"/api/status/%1"_s.arg(seed().pendingTaskId)), 0);
        // The next good sync brings the queue up to date.
        QVERIFY(runSync().ok());
        QCOMPARE(mirroredPending(), QList<qint64> {seed().pendingVpsId});
    }

    void cancelAbortsTheJobsInFlight()
    {
        m_host->server().enqueue(FakeReply::hang(), "GET", u"/api/auth/users"_s);
        QSignalSpy finished(m_sync.get(), &MirrorSync::finished);
        m_sync->sync();
        QTRY_COMPARE(requests("GET", u"/api/auth/users"_s), 1);
        m_sync->cancel();
        QCOMPARE(finished.size(), 1);
        QVERIFY(!m_sync->isSyncing());
        QCOMPARE(m_sync->lastStatus().error().code, Error::Code::Cancelled);
        QCOMPARE(m_sync->state(), State::Idle); // as before the sync
        QCOMPARE(count(u"users"_s), 0);
        QCOMPARE(requests("GET", u"/api/tasks"_s), 0);
        m_sync->cancel(); // no-op when idle
        QCOMPARE(finished.size(), 1);
        QVERIFY(runSync().ok());
        QCOMPARE(count(u"users"_s), 5);
    }

    void theRoleDecidesWhatIsFetched()
    {
        QVERIFY(runSync().ok());
        QCOMPARE(count(u"users"_s), 5);
        m_host->server().clearRequests();
        as(seed().viewerToken);
        QVERIFY(runSync().ok());
        QCOMPARE(requests("GET", u"/api/auth/users"_s), 0);
        QCOMPARE(requests("GET", u"/api/auth/invitations"_s), 0);
        QCOMPARE(requests("GET", u"/api/tasks/pending-approval"_s), 0);
        QCOMPARE(requests("GET", u"/api/tasks"_s), 1);
        QCOMPARE(requests("GET", u"/api/vps"_s), 1);
        QCOMPARE(requests("GET", u"/api/nodes"_s), 1);
        QCOMPARE(requests("GET", u"/api/vps/%1/assignments"_s.arg(seed().vpsId)), 0); // operator+
        QCOMPARE(count(u"vps_assignments"_s), 1); // from the list's assignees
        // What a viewer may not read is not kept readable offline either: of the users, only
        // placeholders for the owners and assignees the task and VPS lists name.
        QCOMPARE(scalar(u"SELECT count(*) FROM users WHERE role != '' OR created_at != ''"_s).toInt(), 0);
        QCOMPARE(
            scalar(u"SELECT group_concat(id || ':' || username) FROM (SELECT * FROM users ORDER BY id)"_s)
                .toString(),
            u"1:admin,2:olivia,3:ulrich"_s);
        QCOMPARE(count(u"invitations"_s), 0);
        QCOMPARE(m_mirror->lastSynced(MirrorDataset::Users), std::nullopt);
        QCOMPARE(m_mirror->account()->role, u"viewer"_s);
        TasksTableModel tasks(m_path);
        watchModel(&tasks);
        QTRY_VERIFY(settled(tasks));
        const int row = tasks.rowOf(seed().pausedTaskId);
        QVERIFY(row >= 0);
        QTRY_VERIFY(tasks.data(tasks.index(row, 0), LazySqlTableModel::LoadedRole).toBool());
        QCOMPARE(tasks.data(tasks.index(row, TasksTableModel::Owner)).toString(), u"olivia"_s);

        m_host->server().clearRequests();
        as(seed().operatorToken);
        QVERIFY(runSync().ok());
        QCOMPARE(requests("GET", u"/api/auth/users"_s), 1);
        QCOMPARE(requests("GET", u"/api/auth/invitations"_s), 0); // admin only
        QCOMPARE(requests("GET", u"/api/tasks/pending-approval"_s), 1);
        QCOMPARE(count(u"users"_s), 5); // the real list replaced the placeholders
        QCOMPARE(scalar(u"SELECT count(*) FROM users WHERE role = ''"_s).toInt(), 0);
    }

    void taskLogsAreFetchedIntoTheMirror()
    {
        QSignalSpy fetched(m_sync.get(), &MirrorSync::taskLogFetched);
        m_sync->fetchTaskLog(seed().runningTaskId, TaskLogStream::Stdout, 2);
        m_sync->fetchTaskLog(seed().runningTaskId, TaskLogStream::Stderr, 0);
        QTRY_COMPARE(fetched.size(), 2);
        for (const QList<QVariant> &f : std::as_const(fetched))
            QVERIFY(f.at(2).value<Status>().ok());
        const auto out = m_mirror->taskLog(seed().runningTaskId, TaskLogStream::Stdout);
        QVERIFY(out);
        QCOMPARE(out->text, u"line 4\nline 5\n"_s);
        QCOMPARE(out->lines, 2);
        QCOMPARE(
            m_mirror->taskLog(seed().runningTaskId, TaskLogStream::Stderr)->text, u"warning: low disk\n"_s);

        // A viewer may not read logs (403): the stored tail stays.
        as(seed().viewerToken);
        m_sync->fetchTaskLog(seed().runningTaskId, TaskLogStream::Stdout, 100);
        QTRY_COMPARE(fetched.size(), 3);
        QVERIFY(!fetched.last().at(2).value<Status>().ok());
        QCOMPARE(m_mirror->taskLog(seed().runningTaskId, TaskLogStream::Stdout)->text, u"line 4\nline 5\n"_s);
    }

    void actionsThroughTheHostAreAudited()
    {
        QVERIFY(runSync().ok()); // the mirror knows the account: admin
        HostCall<HostTaskDecision> *approve = m_client->approveTask(seed().pendingTaskId);
        m_sync->auditAction(approve, u"approve"_s, u"task %1"_s.arg(seed().pendingTaskId));
        RK_VERIFY_OK(await(approve));
        HostCall<HostMessage> *kill = m_client->killTask(seed().completedTaskId); // 409: already done
        m_sync->auditAction(kill, u"kill"_s, u"task %1"_s.arg(seed().completedTaskId));
        QVERIFY(!await(kill).ok());
        const auto entries = m_mirror->auditEntries();
        QVERIFY(entries.ok());
        QCOMPARE(entries->size(), 2);
        const MirrorAuditEntry &killed = entries->at(0);
        const MirrorAuditEntry &approved = entries->at(1);
        QCOMPARE(approved.actor, u"admin"_s);
        QCOMPARE(approved.action, u"approve"_s);
        QCOMPARE(approved.target, u"task %1"_s.arg(seed().pendingTaskId));
        QVERIFY(approved.ok);
        QVERIFY(hosttime::parse(approved.at).has_value());
        QCOMPARE(killed.action, u"kill"_s);
        QVERIFY(!killed.ok);
        QVERIFY(killed.detail.contains(u"409"_s) || killed.detail.contains(u"cannot be killed"_s));
    }

    // A profile edited to reach another host (or account) does not mix its data with the old.
    void anotherHostOrAccountEmptiesTheMirrorFirst()
    {
        QVERIFY(runSync().ok());
        HostTask stray;
        stray.taskId = (qint64(1) << 60) + 1;
        stray.taskType = u"command"_s;
        stray.statusText = u"running"_s;
        QVERIFY(m_mirror->storeTasks({stray}).ok());
        QVERIFY(m_mirror->storeTaskLog(stray.taskId, TaskLogStream::Stdout, u"old host"_s, 10).ok());
        QVERIFY(runSync().ok()); // same host and account: the stray row stays (tasks are upserted)
        QCOMPARE(scalar(u"SELECT count(*) FROM tasks WHERE task_id = %1"_s.arg(stray.taskId)).toInt(), 1);

        MirrorAccount other = *m_mirror->account();
        other.baseUrl = u"http://old-cluster.example:8000"_s;
        QVERIFY(m_mirror->storeAccount(other).ok());
        QVERIFY(runSync().ok());
        QCOMPARE(scalar(u"SELECT count(*) FROM tasks WHERE task_id = %1"_s.arg(stray.taskId)).toInt(), 0);
        QCOMPARE(m_mirror->taskLog(stray.taskId, TaskLogStream::Stdout), std::nullopt);
        QCOMPARE(count(u"tasks"_s), 6);
        QCOMPARE(m_mirror->account()->baseUrl, m_host->baseUrl().toString());

        QVERIFY(m_mirror->storeTasks({stray}).ok());
        as(seed().operatorToken); // another account on the same host
        QVERIFY(runSync().ok());
        QCOMPARE(scalar(u"SELECT count(*) FROM tasks WHERE task_id = %1"_s.arg(stray.taskId)).toInt(), 0);
        QCOMPARE(m_mirror->account()->username, u"olivia"_s);
    }

    void aHostWithoutAuthIsSyncedAsAdmin()
    {
        m_host->setAuthEnabled(false);
        m_client->setAuth(HostAuth::none());
        QVERIFY(runSync().ok());
        QCOMPARE(m_sync->state(), State::Online);
        QCOMPARE(count(u"users"_s), 5);
        QCOMPARE(m_mirror->account()->username, u"_system"_s);
    }

    void periodicSyncs()
    {
        QSignalSpy finished(m_sync.get(), &MirrorSync::finished);
        m_sync->setInterval(20);
        QTRY_VERIFY_WITH_TIMEOUT(finished.size() >= 3, 15000);
        m_sync->setInterval(0);
        if (m_sync->isSyncing())
            QVERIFY(finished.wait());
        const qsizetype done = finished.size();
        QCoreApplication::processEvents();
        QVERIFY(!m_sync->isSyncing());
        QCOMPARE(finished.size(), done);
        for (const QList<QVariant> &f : std::as_const(finished))
            QVERIFY(f.at(0).value<Status>().ok());
    }

    // The raw bytes of the mirror file hold none of the host's secrets, whichever way the
    // client signed in, while the data itself is there in plain text.
    void noSecretReachesTheMirrorFile()
    {
        QVERIFY(runSync().ok());
        m_client->setAuth(HostAuth::adminSecret(seed().adminSecret));
        QVERIFY(runSync().ok());
        const QString session = m_host->sessionFor(seed().adminId);
        m_client->setAuth(HostAuth::session(session));
        QVERIFY(runSync().ok());
        as(seed().adminToken);
        // Logs and the audit are in the same file.
        auto log = await(m_client->taskStdout(seed().runningTaskId, 100));
        RK_VERIFY_OK(log);
        QVERIFY(m_mirror->storeTaskLog(seed().runningTaskId, TaskLogStream::Stdout, log.value(), 100).ok());
        QVERIFY(m_mirror->recordAction(u"admin"_s, u"approve"_s, u"task %1"_s.arg(seed().pendingTaskId), true)
                    .ok());
        QCOMPARE(m_mirror->account()->username, u"admin"_s);
        m_sync.reset();
        m_mirror.reset(); // closed: everything is in the main file
        QVERIFY(!QFile::exists(m_path + u"-journal"_s));

        QFile file(m_path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        // Positive controls: the bytes are readable text, the data is there.
        QVERIFY(bytes.contains("olivia"));
        QVERIFY(bytes.contains("line 5"));
        QVERIFY(!m_host->invitations().isEmpty());
        const QString invitationToken = m_host->invitations().first().token;
        QVERIFY(bytes.contains(invitationToken.left(HostMirror::kInvitationTokenPrefix).toLatin1()));

        QStringList secrets = {seed().adminSecret, session};
        for (const FakeToken &t : m_host->tokens())
            secrets << t.plaintext;
        for (qint64 id = 1; id <= 5; ++id) {
            const auto u = m_host->user(id);
            QVERIFY(u);
            secrets << u->password;
        }
        for (const FakeInvitation &i : m_host->invitations()) {
            QCOMPARE(i.token.size(), 64);
            secrets << i.token << i.token.left(HostMirror::kInvitationTokenPrefix + 8);
        }
        QVERIFY(secrets.size() >= 13);
        for (const QString &secret : std::as_const(secrets)) {
            QVERIFY(!secret.isEmpty());
            QVERIFY2(
                !bytes.contains(secret.toUtf8()), qPrintable(u"found in the mirror: "_s + secret.left(6)));
            const QByteArray utf16(reinterpret_cast<const char *>(secret.utf16()), secret.size() * 2);
            QVERIFY(!bytes.contains(utf16));
        }
    }
};

RK_TEST_GUILESS_MAIN(TestMirrorSync)
#include "TestMirrorSync.moc"
