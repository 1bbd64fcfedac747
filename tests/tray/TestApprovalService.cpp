// ApprovalService against the fake host: one request per task with the exact snowflake id, the
// reason in the query, 404/409 as AlreadyDecided, failures with a message, no host at all.
#include "FakeHost.h"
#include "RkTest.h"
#include "connection/Capabilities.h"
#include "host/HostClient.h"
#include "tasks/ApprovalService.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>

#include <memory>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;
using Outcome = ApprovalService::Outcome;

namespace {

constexpr qint64 kTwoTo53 = qint64(1) << 53;

struct Decision
{
    qint64 id = 0;
    bool approve = false;
    Outcome outcome = Outcome::Failed;
    QString message;
};

// Collects every decisionFinished() until allFinished().
class Recorder : public QObject
{
public:
    explicit Recorder(ApprovalService *service)
    {
        connect(service, &ApprovalService::decisionFinished, this,
            [this](qint64 id, bool approve, Outcome outcome, const QString &message) {
                decisions.append({id, approve, outcome, message});
            });
        connect(service, &ApprovalService::allFinished, this, [this]() { ++allFinished; });
    }
    const Decision *find(qint64 id) const
    {
        for (const Decision &d : decisions) {
            if (d.id == id)
                return &d;
        }
        return nullptr;
    }
    QList<Decision> decisions;
    int allFinished = 0;
};

} // namespace

class TestApprovalService : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<HostClient> m_client;

    const FakeHost::Seed &seed() const { return m_host->seed(); }

    qint64 addPending(int seq, const QString &name)
    {
        FakeTask task;
        task.taskId = FakeHost::snowflake(
            QDateTime(QDate(2026, 11, 23), QTime(9, 0), Qt::UTC).toMSecsSinceEpoch(), seq);
        task.name = name;
        task.ownerId = seed().userId;
        task.approvalStatus = u"pending"_s;
        task.status = u"pending_approval"_s;
        task.submittedAt = u"2026-11-23T09:00:%1"_s.arg(seq, 2, 10, QLatin1Char('0'));
        m_host->addTask(task);
        return task.taskId;
    }

    int requestsTo(const QString &path) const
    {
        int n = 0;
        for (const RecordedRequest &r : m_host->requests()) {
            if (r.method == "POST" && r.path == path)
                ++n;
        }
        return n;
    }

private Q_SLOTS:
    void init()
    {
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
        m_client = std::make_unique<HostClient>();
        m_client->setBaseUrl(m_host->baseUrl());
        m_client->setAuth(HostAuth::bearer(seed().operatorToken));
    }
    void cleanup()
    {
        m_client.reset();
        m_host.reset();
    }

    void approveSendsOneRequestPerTaskWithTheExactId()
    {
        const qint64 a = seed().pendingTaskId;
        const qint64 b = addPending(7, u"second"_s);
        QVERIFY(a > kTwoTo53);
        QVERIFY(b > kTwoTo53);
        // Neighbouring snowflakes a double could not tell apart.
        QCOMPARE(double(b), double(b + 1));

        ApprovalService service(m_client.get());
        QVERIFY(service.canDecide());
        QVERIFY(service.unavailableReason().isEmpty());
        Recorder rec(&service);
        QSignalSpy all(&service, &ApprovalService::allFinished);
        service.approve({a, b, a}); // the repeated id is asked once
        QVERIFY(service.isBusy(a));
        QCOMPARE(rec.decisions.size(), 0); // never from inside approve()
        QVERIFY(all.wait(5000));
        QCOMPARE(rec.allFinished, 1);
        QCOMPARE(rec.decisions.size(), 2);
        for (const qint64 id : {a, b}) {
            const Decision *d = rec.find(id);
            QVERIFY(d);
            QVERIFY(d->approve);
            QCOMPARE(d->outcome, Outcome::Done);
            QVERIFY(d->message.contains(QString::number(id)));
            QCOMPARE(requestsTo(u"/api/approve/%1"_s.arg(id)), 1);
            QCOMPARE(m_host->task(id)->status, u"assigning"_s);
            QCOMPARE(m_host->task(id)->approvedById, std::optional<qint64>(seed().operatorId));
        }
        QVERIFY(!service.isBusy());
    }

    void rejectPutsTheReasonInTheQuery()
    {
        const qint64 id = seed().pendingVpsId;
        const QString reason = u"Too many GPUs & a host mount: please resubmit (ü 50%)"_s;
        ApprovalService service(m_client.get());
        Recorder rec(&service);
        QSignalSpy all(&service, &ApprovalService::allFinished);
        service.reject({id}, reason);
        QVERIFY(all.wait(5000));
        QCOMPARE(rec.decisions.size(), 1);
        QCOMPARE(rec.decisions.first().outcome, Outcome::Done);
        QVERIFY(!rec.decisions.first().approve);

        const RecordedRequest &last = m_host->requests().last();
        QCOMPARE(last.method, QByteArray("POST"));
        QCOMPARE(last.path, u"/api/reject/%1"_s.arg(id));
        QVERIFY(last.rawQuery.startsWith("reason="));
        QCOMPARE(last.query(u"reason"_s), reason);
        QVERIFY(last.body.isEmpty());
        QCOMPARE(m_host->task(id)->status, u"rejected"_s);
        QCOMPARE(m_host->task(id)->rejectionReason, reason);
    }

    void rejectWithoutReasonSendsNone()
    {
        ApprovalService service(m_client.get());
        QSignalSpy all(&service, &ApprovalService::allFinished);
        service.reject({seed().pendingTaskId});
        QVERIFY(all.wait(5000));
        QVERIFY(!m_host->requests().last().hasQuery(u"reason"_s));
        QCOMPARE(m_host->task(seed().pendingTaskId)->status, u"rejected"_s);
    }

    // Another operator was faster (409), or the task is gone (404): not a failure.
    void notPendingAnyMoreIsAlreadyDecided()
    {
        const qint64 running = seed().runningTaskId;
        const qint64 missing = FakeHost::snowflake(1'800'000'000'000, 99);
        ApprovalService service(m_client.get());
        Recorder rec(&service);
        QSignalSpy all(&service, &ApprovalService::allFinished);
        service.approve({running});
        service.reject({missing}, u"nope"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rec.decisions.size(), 2, 5000);
        QTRY_COMPARE(all.count(), 1); // one end for both calls: nothing was left in between
        const Decision *conflict = rec.find(running);
        QVERIFY(conflict);
        QCOMPARE(conflict->outcome, Outcome::AlreadyDecided);
        QVERIFY2(conflict->message.contains(QString::number(running)), qPrintable(conflict->message));
        QVERIFY2(
            conflict->message.contains(u"running"_s), qPrintable(conflict->message)); // the host's detail
        const Decision *gone = rec.find(missing);
        QVERIFY(gone);
        QCOMPARE(gone->outcome, Outcome::AlreadyDecided);
        QCOMPARE(m_host->task(running)->status, u"running"_s);
    }

    void refusedIsAFailure()
    {
        m_client->setAuth(HostAuth::bearer(seed().userToken)); // role user: 403
        ApprovalService service(m_client.get());
        Recorder rec(&service);
        QSignalSpy all(&service, &ApprovalService::allFinished);
        service.approve({seed().pendingTaskId});
        QVERIFY(all.wait(5000));
        QCOMPARE(rec.decisions.size(), 1);
        QCOMPARE(rec.decisions.first().outcome, Outcome::Failed);
        QVERIFY(!rec.decisions.first().message.isEmpty());
        QCOMPARE(m_host->task(seed().pendingTaskId)->status, u"pending_approval"_s);
    }

    void hostDownFailsWithAMessage()
    {
        // A port nobody listens on: connection refused.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        QUrl url;
        url.setScheme(u"http"_s);
        url.setHost(u"127.0.0.1"_s);
        url.setPort(port);
        m_client->setBaseUrl(url);

        ApprovalService service(m_client.get());
        Recorder rec(&service);
        QSignalSpy all(&service, &ApprovalService::allFinished);
        const qint64 id = seed().pendingTaskId;
        service.approve({id});
        QVERIFY(all.wait(10000));
        QCOMPARE(rec.decisions.size(), 1);
        const Decision &d = rec.decisions.first();
        QCOMPARE(d.outcome, Outcome::Failed);
        QVERIFY2(d.message.contains(QString::number(id)), qPrintable(d.message));
        QVERIFY2(d.message.size() > QString::number(id).size() + 30, qPrintable(d.message));
    }

    void withoutAHostEveryDecisionFailsWithTheReason()
    {
        ApprovalService service(nullptr);
        QVERIFY(!service.canDecide());
        const QString reason = Capabilities::database().reason(Feature::ApproveTasks);
        QVERIFY(!reason.isEmpty());
        QCOMPARE(service.unavailableReason(), reason);
        QVERIFY(reason.contains(u"dispatch"_s));

        Recorder rec(&service);
        QSignalSpy all(&service, &ApprovalService::allFinished);
        service.approve({seed().pendingTaskId});
        service.reject({seed().pendingVpsId}, u"x"_s);
        QVERIFY(all.wait(5000));
        QCOMPARE(rec.decisions.size(), 2);
        for (const Decision &d : std::as_const(rec.decisions)) {
            QCOMPARE(d.outcome, Outcome::Failed);
            QCOMPARE(d.message, reason);
        }
        QCOMPARE(m_host->requests().size(), 0);
    }

    void atMostTwoInFlight()
    {
        QList<qint64> ids;
        for (int i = 0; i < 6; ++i)
            ids.append(addPending(10 + i, u"batch-%1"_s.arg(i)));
        // Slow answers, so requests would pile up if the service did not wait.
        for (const qint64 id : std::as_const(ids))
            m_host->server().enqueue(FakeReply::json(200,
                                         QJsonObject {{u"message"_s, u"Task approved and dispatched"_s},
                                             {u"task_id"_s, QString::number(id)}})
                                         .withDelay(50),
                "POST", u"/api/approve/%1"_s.arg(id));

        ApprovalService service(m_client.get());
        int maxInFlight = 0;
        connect(&m_host->server(), &FakeHttpServer::requestReceived, &service,
            [&]() { maxInFlight = qMax(maxInFlight, service.inFlight()); });
        Recorder rec(&service);
        QSignalSpy all(&service, &ApprovalService::allFinished);
        service.approve(ids);
        QVERIFY(all.wait(10000));
        QCOMPARE(rec.decisions.size(), ids.size());
        QCOMPARE(maxInFlight, ApprovalService::kMaxInFlight);
        QCOMPARE(m_host->requests().size(), ids.size());
    }

    void clientGoneMidRequestFails()
    {
        // The host never answers, so the request is surely under way when the client goes (an
        // instant answer on loopback could end it before the test looks).
        m_host->server().enqueue(FakeReply::hang(), "POST", u"/api/approve/%1"_s.arg(seed().pendingTaskId));
        ApprovalService service(m_client.get());
        Recorder rec(&service);
        QSignalSpy all(&service, &ApprovalService::allFinished);
        service.approve({seed().pendingTaskId});
        QTRY_COMPARE(service.inFlight(), 1);
        m_client.reset(); // its jobs go with it, without a finished()
        QCOMPARE(rec.decisions.size(), 1);
        QCOMPARE(rec.decisions.first().outcome, Outcome::Failed);
        QVERIFY(!rec.decisions.first().message.isEmpty());
        QVERIFY(all.wait(1000));
        QVERIFY(!service.canDecide());
    }

    void emptyRequestStillEnds()
    {
        ApprovalService service(m_client.get());
        QSignalSpy all(&service, &ApprovalService::allFinished);
        service.approve({});
        QVERIFY(all.wait(1000));
        QCOMPARE(all.count(), 1);
    }
};

RK_TEST_GUILESS_MAIN(TestApprovalService)
#include "TestApprovalService.moc"
