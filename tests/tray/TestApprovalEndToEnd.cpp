// Issue 5's "done when", end to end over HTTP on loopback against the fake host, with the app's own
// pieces and real timers: a `user` submits a command task (POST /api/submit); the approvals watch
// of an operator's connection counts it within one poll interval and the tray badge and menu show
// it; the tray menu's Approve reaches the host with that task's id (Reject... with its reason, for
// another); the "runner" (this test) runs the task and writes its output; the output is fetched
// into the host profile's mirror and read from that mirror file again once the host is gone.
// Offscreen: the tray's menu and badge exist without a system tray.
#include "FakeHost.h"
#include "RawHttpReply.h"
#include "RkTest.h"
#include "host/HostClient.h"
#include "mirror/HostMirror.h"
#include "services/PendingApprovalsWatch.h"
#include "services/Poller.h"
#include "tasks/ApprovalService.h"
#include "tasks/TaskLogSource.h"
#include "tray/BadgePainter.h"
#include "tray/RejectReasonDialog.h"
#include "tray/TrayController.h"

#include <QAction>
#include <QApplication>
#include <QJsonArray>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <memory>
#include <optional>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;

namespace {

// The watch's poll interval here (the app's default is 15 s). A new task must be counted within
// one interval plus the poll's own request on loopback.
constexpr int kPollMs = 1000;
constexpr int kPollRequestMs = 1000;

HostClientOptions oneAttempt()
{
    HostClientOptions options;
    options.maxAttempts = 1;
    options.timeout = std::chrono::milliseconds(5000);
    return options;
}

} // namespace

class TestApprovalEndToEnd : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QNetworkAccessManager m_nam; // the user's and the runner's HTTP, outside the app
    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<HostClient> m_client; // the operator's connection, as the app holds it
    std::unique_ptr<PendingApprovalsWatch> m_watch;
    std::unique_ptr<ApprovalService> m_service;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<TrayController> m_tray;
    int m_run = 0;

    const FakeHost::Seed &seed() const { return m_host->seed(); }
    QUrl url(const QString &path) const { return m_host->baseUrl().resolved(QUrl(path)); }
    template<typename T> T *inMenu(const QString &name) const { return m_tray->menu()->findChild<T *>(name); }

    // The user submits `command` with `arguments` through the host's API; the new task's id, or 0.
    qint64 submitAsUser(const QString &command, const QStringList &arguments)
    {
        const RawHttpReply reply = RawHttpReply::post(m_nam, url(u"/api/submit"_s),
            QJsonObject {{u"command"_s, command}, {u"arguments"_s, QJsonArray::fromStringList(arguments)},
                {u"required_cores"_s, 2}},
            seed().userToken);
        const QJsonArray ids = reply.object().value(u"task_ids"_s).toArray();
        if (reply.status != 202 || ids.size() != 1)
            return 0;
        return ids.first().toString().toLongLong();
    }

    // The runner's report to the host (no credential), with `task_id` as the JSON number it is.
    int reportToHost(qint64 taskId, const QByteArray &fields)
    {
        const QByteArray body = "{\"task_id\": " + QByteArray::number(taskId) + ", " + fields + "}";
        return RawHttpReply::post(m_nam, url(u"/api/update"_s), body).status;
    }

    // Submits as the user and waits until the operator's watch has counted the task: at most one
    // poll interval and that poll's request, and never more than the one poll that started after
    // the submission. Check QTest::currentTestFailed() after it.
    void submitAndAwaitTheCount(const QString &command, const QStringList &arguments, qint64 *id)
    {
        const int before = m_watch->count();
        *id = submitAsUser(command, arguments);
        QVERIFY2(*id > 0, "the host did not accept the user's submission");
        QSignalSpy polls(m_watch->poller(), &Poller::checkStarted);
        QTRY_VERIFY_WITH_TIMEOUT(m_watch->knownIds().contains(*id), kPollMs + kPollRequestMs);
        QVERIFY2(polls.count() <= 1, "it took more than one poll");
        QCOMPARE(m_watch->count(), before + 1);
    }

    // One fetch of a task's whole stdout through `source`.
    static std::optional<Result<TaskLog>> fetchStdout(TaskLogSource &source, qint64 taskId)
    {
        std::optional<Result<TaskLog>> out;
        QObject context;
        source.fetch(
            taskId, TaskLogStream::Stdout, 0, &context, [&out](const Result<TaskLog> &r) { out = r; });
        (void)QTest::qWaitFor([&out] { return out.has_value(); }, 10000); // nullopt: no answer in time
        return out;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
        m_client = std::make_unique<HostClient>();
        m_client->setBaseUrl(m_host->baseUrl());
        m_client->setAuth(HostAuth::bearer(seed().operatorToken));
        m_client->setOptions(oneAttempt());
        m_watch = std::make_unique<PendingApprovalsWatch>(m_client.get()); // real timers
        m_watch->setInterval(kPollMs);
        m_service = std::make_unique<ApprovalService>(m_client.get());
        m_settings = std::make_unique<QSettings>(
            m_dir.filePath(u"settings-%1.ini"_s.arg(++m_run)), QSettings::IniFormat);
        TrayController::Options options;
        options.coalesceMs = 100;
        m_tray = std::make_unique<TrayController>(m_watch.get(), m_service.get(), m_settings.get(), options);
        QSignalSpy loaded(m_watch.get(), &PendingApprovalsWatch::loaded);
        m_watch->start();
        QVERIFY(loaded.wait(5000));
        QCOMPARE(m_tray->pendingCount(), 2); // the seed's two
    }
    void cleanup()
    {
        m_tray.reset();
        m_service.reset();
        m_watch.reset();
        m_client.reset();
        m_host.reset();
        m_settings.reset();
    }

    void submissionIsApprovedFromTheTrayAndItsOutputReadOffline()
    {
        // 1. The user's submission reaches the badge within one poll interval.
        qint64 id = 0;
        submitAndAwaitTheCount(u"python"_s, {u"train.py"_s, u"--epochs=2"_s}, &id);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(id > (qint64(1) << 53));
        QCOMPARE(m_host->task(id)->status, u"pending_approval"_s);
        QTRY_COMPARE(m_tray->pendingCount(), 3);
        QCOMPARE(m_tray->badgeState(), BadgePainter::State::Online);
        QCOMPARE(m_tray->icon()
                     .pixmap(QSize(32, 32))
                     .toImage()
                     .convertToFormat(QImage::Format_ARGB32_Premultiplied),
            BadgePainter::badgeImage(32, 1.0, 3, BadgePainter::State::Online));
        QVERIFY2(m_tray->toolTip().contains(u"3"_s), qPrintable(m_tray->toolTip()));

        // 2. The tray menu lists it, newest first, and Approve goes to the host with its id.
        QMenu *entry = inMenu<QMenu>(u"trayTask_%1"_s.arg(id));
        QVERIFY(entry);
        QVERIFY2(entry->title().contains(u"python train.py --epochs=2"_s), qPrintable(entry->title()));
        QVERIFY(entry->title().contains(u"ulrich"_s));
        QMenu *newest = nullptr;
        for (QAction *a : m_tray->menu()->actions()) {
            if (!newest && a->menu())
                newest = a->menu();
        }
        QCOMPARE(newest, entry);
        QAction *approve = inMenu<QAction>(u"trayApprove_%1"_s.arg(id));
        QVERIFY(approve && approve->isEnabled());
        approve->trigger();
        const QString approvePath = u"/api/approve/%1"_s.arg(id);
        QTRY_COMPARE_WITH_TIMEOUT(m_host->server().count("POST", approvePath), 1, 5000);
        int approvals = 0;
        for (const RecordedRequest &r : m_host->requests()) {
            if (r.method == "POST" && r.path.startsWith(u"/api/approve/"_s)) {
                ++approvals;
                QCOMPARE(r.header("authorization"), "Bearer " + seed().operatorToken.toLatin1());
            }
        }
        QCOMPARE(approvals, 1); // that task and no other
        QCOMPARE(m_host->task(id)->status, u"assigning"_s);
        QCOMPARE(m_host->task(id)->approvedById, std::optional<qint64>(seed().operatorId));
        // The decision refreshes the watch: the task leaves the badge and the menu.
        QTRY_COMPARE_WITH_TIMEOUT(m_tray->pendingCount(), 2, 5000);
        QTRY_VERIFY(!inMenu<QMenu>(u"trayTask_%1"_s.arg(id)));

        // 3. The runner starts it, writes its output and reports the end.
        QCOMPARE(reportToHost(id, R"("status": "running", "started_at": "2026-12-06T21:00:00")"), 200);
        QCOMPARE(m_host->task(id)->status, u"running"_s);
        const QString output = u"epoch 1 loss=0.91\nepoch 2 loss=0.55\nsaved model.pt\n"_s;
        QVERIFY(m_host->setTaskStdout(id, output));
        QCOMPARE(reportToHost(id, R"("status": "completed", "exit_code": 0)"), 200);
        QCOMPARE(m_host->task(id)->status, u"completed"_s);

        // 4. The operator reads the output; it is kept in the profile's mirror file.
        const QString mirrorPath = m_dir.filePath(u"mirror-%1.db"_s.arg(m_run));
        {
            auto mirror = HostMirror::open(mirrorPath);
            QVERIFY(mirror);
            HostTaskLogSource online(m_client.get(), mirror.value().get());
            const auto log = fetchStdout(online, id);
            QVERIFY(log);
            QVERIFY2(log->ok(), qPrintable(log->ok() ? QString() : log->error().message));
            QCOMPARE(log->value().text, output);
            QVERIFY(!log->value().fromCache);
            QCOMPARE(m_host->server().count("GET", u"/api/tasks/%1/stdout"_s.arg(id)), 1);
        }

        // 5. The host goes away; later a new mirror and log source on the same file (the app
        // started again, offline) still give that output.
        m_watch->stop();
        const QUrl deadHost = m_host->baseUrl();
        m_host.reset();
        HostClient offlineClient;
        offlineClient.setBaseUrl(deadHost);
        offlineClient.setAuth(HostAuth::bearer(u"operator-token-from-the-keychain"_s));
        offlineClient.setOptions(oneAttempt());
        auto mirror = HostMirror::open(mirrorPath);
        QVERIFY(mirror);
        HostTaskLogSource offline(&offlineClient, mirror.value().get());
        const auto log = fetchStdout(offline, id);
        QVERIFY(log);
        QVERIFY2(log->ok(), qPrintable(log->ok() ? QString() : log->error().message));
        QVERIFY(log->value().fromCache);
        QCOMPARE(log->value().text, output);
        QVERIFY(!log->value().offlineReason.isEmpty());
        MirrorTaskLogSource cacheOnly(mirror.value().get());
        const auto cached = fetchStdout(cacheOnly, id);
        QVERIFY(cached && cached->ok());
        QCOMPARE(cached->value().text, output);
    }

    void submissionIsRejectedFromTheTrayWithItsReason()
    {
        qint64 id = 0;
        submitAndAwaitTheCount(u"rm"_s, {u"-rf"_s, u"/scratch"_s}, &id);
        if (QTest::currentTestFailed())
            return;
        QTRY_COMPARE(m_tray->pendingCount(), 3);
        QVERIFY(inMenu<QMenu>(u"trayTask_%1"_s.arg(id)));

        // Reject... asks for the reason (answered here in advance), then goes to the host.
        (void)RejectReasonDialog::takeAskedCount();
        const QString reason = u"Please use your own scratch folder & ask first"_s;
        RejectReasonDialog::setNextAnswer(reason);
        QAction *reject = inMenu<QAction>(u"trayReject_%1"_s.arg(id));
        QVERIFY(reject && reject->isEnabled());
        reject->trigger();
        QCOMPARE(RejectReasonDialog::takeAskedCount(), 1);
        const QString rejectPath = u"/api/reject/%1"_s.arg(id);
        QTRY_COMPARE_WITH_TIMEOUT(m_host->server().count("POST", rejectPath), 1, 5000);
        const RecordedRequest *sent = nullptr;
        for (const RecordedRequest &r : m_host->requests()) {
            if (r.method == "POST" && r.path == rejectPath)
                sent = &r;
        }
        QVERIFY(sent);
        QCOMPARE(sent->query(u"reason"_s), reason);
        QVERIFY2(sent->rawQuery.startsWith("reason=") && !sent->rawQuery.contains(' ')
                && sent->rawQuery.contains("%26"),
            sent->rawQuery.constData());
        QCOMPARE(m_host->server().count("POST", u"/api/approve/%1"_s.arg(id)), 0);
        QCOMPARE(m_host->task(id)->status, u"rejected"_s);
        QCOMPARE(m_host->task(id)->rejectionReason, reason);
        QTRY_COMPARE_WITH_TIMEOUT(m_tray->pendingCount(), 2, 5000);
        QTRY_VERIFY(!inMenu<QMenu>(u"trayTask_%1"_s.arg(id)));

        // The user sees why.
        HostClient user;
        user.setBaseUrl(m_host->baseUrl());
        user.setAuth(HostAuth::bearer(seed().userToken));
        HostCall<HostTask> *job = user.task(id);
        std::optional<Result<HostTask>> status;
        job->onFinished(this, [&status](const Result<HostTask> &r) { status = r; });
        QTRY_VERIFY_WITH_TIMEOUT(status.has_value(), 5000);
        QVERIFY(status->ok());
        QCOMPARE(status->value().status, HostTaskStatus::Rejected);
        QCOMPARE(status->value().rejectionReason, reason);
    }
};

RK_TEST_WIDGETS_MAIN(TestApprovalEndToEnd)
#include "TestApprovalEndToEnd.moc"
