// PendingApprovalsWatch in both modes: against the fake host with a manual poll scheduler (no real
// waiting between polls), and over a real platform database file written by another connection.
#include "FakeHost.h"
#include "RkTest.h"
#include "TrayTestSupport.h"
#include "host/HostClient.h"
#include "services/PendingApprovalsWatch.h"
#include "services/Poller.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;
using State = PendingApprovalsWatch::State;

class TestPendingApprovalsWatch : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<HostClient> m_client;
    std::shared_ptr<ManualScheduler::State> m_due;

    const FakeHost::Seed &seed() const { return m_host->seed(); }

    std::unique_ptr<PendingApprovalsWatch> hostWatch()
    {
        auto watch = std::make_unique<PendingApprovalsWatch>(
            m_client.get(), std::make_unique<ManualScheduler>(m_due));
        watch->setInterval(1000);
        watch->setMaxInterval(60000);
        return watch;
    }

    int pendingRequests() const { return m_host->server().count("GET", u"/api/tasks/pending-approval"_s); }

    // One scheduled poll, run to its end.
    static bool tick(ManualScheduler::State &due, PendingApprovalsWatch &watch)
    {
        QSignalSpy finished(watch.poller(), &Poller::checkFinished);
        if (!due.fireNow())
            return false;
        return finished.count() > 0 || finished.wait(10000);
    }

    static QUrl deadUrl()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost))
            return {};
        const quint16 port = probe.serverPort();
        probe.close();
        QUrl url;
        url.setScheme(u"http"_s);
        url.setHost(u"127.0.0.1"_s);
        url.setPort(port);
        return url;
    }

private Q_SLOTS:
    void init()
    {
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
        m_client = std::make_unique<HostClient>();
        m_client->setBaseUrl(m_host->baseUrl());
        m_client->setAuth(HostAuth::bearer(seed().operatorToken));
        HostClientOptions options;
        options.maxAttempts = 1; // a failed poll is the poller's business (its backoff)
        m_client->setOptions(options);
        m_due = std::make_shared<ManualScheduler::State>();
    }
    void cleanup()
    {
        m_client.reset();
        m_host.reset();
    }

    // --- host mode -------------------------------------------------------------------------------

    void hostCountAndNewest()
    {
        auto watch = hostWatch();
        QCOMPARE(watch->state(), State::Disconnected);
        QSignalSpy changed(watch.get(), &PendingApprovalsWatch::changed);
        QSignalSpy arrived(watch.get(), &PendingApprovalsWatch::arrived);
        QSignalSpy states(watch.get(), &PendingApprovalsWatch::stateChanged);
        watch->start();
        QVERIFY(QSignalSpy(watch.get(), &PendingApprovalsWatch::loaded).wait(5000));
        QCOMPARE(watch->count(), 2);
        QCOMPARE(watch->state(), State::Online);
        QCOMPARE(states.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toInt(), 2);
        QCOMPARE(arrived.count(), 0); // the first load only establishes what is known

        const QList<PendingTask> newest = watch->newest();
        QCOMPARE(newest.size(), 2);
        QCOMPARE(newest.at(0).id, seed().pendingVpsId); // newest first
        QCOMPARE(newest.at(1).id, seed().pendingTaskId);
        QCOMPARE(newest.at(1).name, u"train-model"_s);
        QCOMPARE(newest.at(1).submitter, u"ulrich"_s);
        QCOMPARE(newest.at(1).summary, u"python train.py --epochs=3"_s);
        QCOMPARE(newest.at(1).type, u"command"_s);
        QVERIFY(newest.at(1).submitted.isValid());
        QCOMPARE(newest.at(0).type, u"vps"_s);
        QVERIFY(watch->knownIds().contains(seed().pendingTaskId));
        QVERIFY(m_due->pending());
        QCOMPARE(m_due->delays.last(), 1000);
    }

    void hostArrivalsOnlyForNewIds()
    {
        auto watch = hostWatch();
        watch->setNewestLimit(3);
        watch->start();
        QTRY_COMPARE_WITH_TIMEOUT(watch->loadCount(), 1, 5000);
        QSignalSpy changed(watch.get(), &PendingApprovalsWatch::changed);
        QSignalSpy arrived(watch.get(), &PendingApprovalsWatch::arrived);

        const FakeTask a = pendingFakeTask(seed().userId, 1, u"first"_s);
        const FakeTask b = pendingFakeTask(seed().userId, 2, u"second"_s);
        m_host->addTask(a);
        m_host->addTask(b);
        QVERIFY(tick(*m_due, *watch));
        QCOMPARE(watch->count(), 4);
        QCOMPARE(arrived.count(), 1);
        const auto ids = arrived.first().at(0).value<QList<qint64>>();
        QCOMPARE(ids.size(), 2);
        QVERIFY(ids.contains(a.taskId));
        QVERIFY(ids.contains(b.taskId));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(watch->newest().size(), 3);
        QCOMPARE(watch->newest().first().id, b.taskId);

        // Nothing new: no arrival, no change.
        QVERIFY(tick(*m_due, *watch));
        QCOMPARE(watch->loadCount(), 3);
        QCOMPARE(arrived.count(), 1);
        QCOMPARE(changed.count(), 1);

        // A task leaving is a change, not an arrival.
        auto out = m_client->approveTask(a.taskId);
        QVERIFY(QSignalSpy(out, &HostJob::finished).wait(5000));
        QVERIFY(tick(*m_due, *watch));
        QCOMPARE(watch->count(), 3);
        QCOMPARE(arrived.count(), 1);
        QCOMPARE(changed.count(), 2);
    }

    void hostOfflineKeepsTheCountAndBacksOff()
    {
        auto watch = hostWatch();
        watch->start();
        QTRY_COMPARE_WITH_TIMEOUT(watch->loadCount(), 1, 5000);
        QSignalSpy states(watch.get(), &PendingApprovalsWatch::stateChanged);
        QSignalSpy changed(watch.get(), &PendingApprovalsWatch::changed);

        const QUrl dead = deadUrl();
        QVERIFY(dead.isValid());
        m_client->setBaseUrl(dead);
        QVERIFY(tick(*m_due, *watch));
        QCOMPARE(watch->state(), State::Offline);
        QVERIFY(!watch->lastError().isEmpty());
        QCOMPARE(watch->count(), 2); // the last known count stays
        QCOMPARE(changed.count(), 0);
        QCOMPARE(watch->poller()->consecutiveFailures(), 1);
        QCOMPARE(m_due->delays.last(), 2000);
        QVERIFY(tick(*m_due, *watch));
        QCOMPARE(m_due->delays.last(), 4000);
        QCOMPARE(states.count(), 1); // Offline once, not once per failure

        m_client->setBaseUrl(m_host->baseUrl());
        QVERIFY(tick(*m_due, *watch));
        QCOMPARE(watch->state(), State::Online);
        QVERIFY(watch->lastError().isEmpty());
        QCOMPARE(m_due->delays.last(), 1000);
        QCOMPARE(states.count(), 2);
    }

    void hostRefusalIsDisconnected()
    {
        m_client->setAuth(HostAuth::bearer(seed().viewerToken)); // below operator: 403
        auto watch = hostWatch();
        QSignalSpy states(watch.get(), &PendingApprovalsWatch::stateChanged);
        watch->start();
        QTRY_VERIFY_WITH_TIMEOUT(!watch->poller()->isChecking(), 5000);
        QCOMPARE(watch->state(), State::Disconnected);
        QVERIFY(!watch->lastError().isEmpty());
        QVERIFY(!watch->hasLoaded());
        QCOMPARE(watch->poller()->consecutiveFailures(), 1);
    }

    void hostWithoutClientIsDisconnected()
    {
        PendingApprovalsWatch watch(nullptr, std::make_unique<ManualScheduler>(m_due));
        watch.start();
        QCOMPARE(watch.state(), State::Disconnected);
        QVERIFY(!watch.lastError().isEmpty());
        QCOMPARE(watch.count(), 0);
    }

    void hostClientGoneMidPollEndsThePoll()
    {
        auto watch = hostWatch();
        watch->start();
        QVERIFY(watch->poller()->isChecking());
        m_client.reset(); // deletes the request without a finished()
        QVERIFY(!watch->poller()->isChecking());
        QCOMPARE(watch->state(), State::Disconnected);
        QVERIFY(m_due->pending()); // polling goes on (and finds no client)
        QVERIFY(tick(*m_due, *watch));
        QCOMPARE(watch->state(), State::Disconnected);
        QCOMPARE(watch->poller()->consecutiveFailures(), 2);
    }

    void hostPollsNeverOverlap()
    {
        auto watch = hostWatch();
        watch->start();
        watch->refresh();
        watch->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(watch->loadCount(), 1, 5000);
        QCOMPARE(pendingRequests(), 1);
        QVERIFY(!watch->poller()->isChecking());
    }

    void hostPagesThroughALongQueue()
    {
        for (int i = 0; i < 150; ++i)
            m_host->addTask(pendingFakeTask(seed().userId, 100 + i, u"bulk-%1"_s.arg(i)));
        auto watch = hostWatch();
        watch->start();
        QTRY_COMPARE_WITH_TIMEOUT(watch->loadCount(), 1, 10000);
        QCOMPARE(watch->count(), 152);
        QCOMPARE(pendingRequests(), 2);
        QCOMPARE(m_host->requests().last().query(u"offset"_s), u"100"_s);
        QCOMPARE(watch->newest().size(), PendingApprovalsWatch::kDefaultNewestLimit);
    }

    void stopCancelsAndDisconnects()
    {
        auto watch = hostWatch();
        watch->start();
        QTRY_COMPARE_WITH_TIMEOUT(watch->loadCount(), 1, 5000);
        watch->stop();
        QCOMPARE(watch->state(), State::Disconnected);
        QVERIFY(!m_due->pending());
        QCOMPARE(watch->count(), 2);
    }

    // --- database mode ---------------------------------------------------------------------------

    void databaseUnreadableIsOffline()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"platform.db"_s);
        const qint64 admin = makePlatformDatabase(path);
        QVERIFY(admin > 0);
        QVERIFY(insertTaskRow(path, FakeHost::snowflake(1'800'000'000'000, 1), u"pending_approval"_s,
            u"etl"_s, admin, u"2027-01-15 08:00:00"_s));
        auto opened = PendingApprovalsWatch::openDatabase(path, std::make_unique<ManualScheduler>(m_due));
        QVERIFY(opened);
        PendingApprovalsWatch &watch = *opened.value();
        watch.setInterval(1000);
        watch.start();
        QCOMPARE(watch.count(), 1);
        {
            // Something breaks the file's tables behind the app's back.
            auto db = SqliteDatabase::open(path, SqliteDatabase::OpenMode::ReadWrite);
            QVERIFY(db);
            QVERIFY(db.value()->exec(u"DROP TABLE tasks"_s));
        }
        QVERIFY(tick(*m_due, watch));
        QCOMPARE(watch.state(), State::Offline);
        QVERIFY(!watch.lastError().isEmpty());
        QCOMPARE(watch.count(), 1); // the last known count
        QCOMPARE(m_due->delays.last(), 2000); // backing off
        // Still unreadable on the next tick, though nothing committed since: it tries again.
        QVERIFY(tick(*m_due, watch));
        QCOMPARE(watch.poller()->consecutiveFailures(), 2);
    }

    void databaseRefusesAMissingFile()
    {
        QTemporaryDir dir;
        QVERIFY(!PendingApprovalsWatch::openDatabase(dir.filePath(u"missing.db"_s)));
    }

    void databaseNoticesWritesAndReadsOnlyThen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"platform.db"_s);
        const qint64 admin = makePlatformDatabase(path);
        QVERIFY(admin > 0);
        const qint64 first = FakeHost::snowflake(1'800'000'000'000, 1);
        const qint64 second = FakeHost::snowflake(1'800'000'060'000, 2);
        QVERIFY(first > (qint64(1) << 53));
        QVERIFY(insertTaskRow(path, first, u"pending_approval"_s, u"etl"_s, admin, u"2027-01-15 08:00:00"_s));
        QVERIFY(insertTaskRow(path, FakeHost::snowflake(1'700'000'000'000, 3), u"running"_s, u"old"_s, admin,
            u"2027-01-14 08:00:00"_s));

        auto opened = PendingApprovalsWatch::openDatabase(path, std::make_unique<ManualScheduler>(m_due));
        QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
        PendingApprovalsWatch &watch = *opened.value();
        QCOMPARE(watch.mode(), PendingApprovalsWatch::Mode::Database);
        QSignalSpy arrived(&watch, &PendingApprovalsWatch::arrived);
        QSignalSpy changed(&watch, &PendingApprovalsWatch::changed);
        watch.start(); // reads at once, on this thread
        QCOMPARE(watch.loadCount(), 1);
        QCOMPARE(watch.state(), State::Online);
        QCOMPARE(watch.count(), 1);
        QCOMPARE(watch.newest().first().id, first);
        QCOMPARE(watch.newest().first().submitter, u"root"_s);
        QCOMPARE(watch.newest().first().name, u"etl"_s);
        QCOMPARE(watch.newest().first().summary, u"python run.py"_s);
        QCOMPARE(changed.count(), 1);

        // Nothing committed since: the tick does not read the table again.
        QVERIFY(tick(*m_due, watch));
        QVERIFY(tick(*m_due, watch));
        QCOMPARE(watch.loadCount(), 1);
        QCOMPARE(changed.count(), 1);

        // The host adds a task: noticed on the next tick, and it is an arrival.
        QVERIFY(
            insertTaskRow(path, second, u"pending_approval"_s, u"sweep"_s, admin, u"2027-01-15 08:01:00"_s));
        QVERIFY(tick(*m_due, watch));
        QCOMPARE(watch.loadCount(), 2);
        QCOMPARE(watch.count(), 2);
        QCOMPARE(watch.newest().first().id, second);
        QCOMPARE(arrived.count(), 1);
        QCOMPARE(arrived.first().at(0).value<QList<qint64>>(), QList<qint64>({second}));

        // Approved elsewhere: it leaves, no arrival.
        QVERIFY(updateTaskStatus(path, second, u"assigning"_s));
        QVERIFY(tick(*m_due, watch));
        QCOMPARE(watch.loadCount(), 3);
        QCOMPARE(watch.count(), 1);
        QCOMPARE(arrived.count(), 1);

        // refresh() reads even without a change.
        watch.refresh();
        QCOMPARE(watch.loadCount(), 4);
        QCOMPARE(changed.count(), 3);
    }
};

RK_TEST_GUILESS_MAIN(TestPendingApprovalsWatch)
#include "TestPendingApprovalsWatch.moc"
