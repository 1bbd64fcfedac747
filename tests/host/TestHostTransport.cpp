// HostJob's transport against a misbehaving fake host: retries and backoff (GET only), timeouts,
// cancellation, dropped connections, server errors, malformed and oversized answers, TLS.
#include "FakeHost.h"
#include "HostTestSupport.h"
#include "RkTest.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QSslSocket>
#include <QTcpServer>

#include <memory>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// Short intervals so that timing is testable and the suite stays fast.
HostClientOptions fastOptions()
{
    HostClientOptions options;
    options.timeout = 2000ms;
    options.maxAttempts = 3;
    options.initialBackoff = 80ms;
    options.backoffMultiplier = 2.0;
    options.maxBackoff = 1000ms;
    return options;
}

FakeReply proxyPage(int status)
{
    return FakeReply::text(status, "<html><body>Bad Gateway</body></html>", "text/html");
}

} // namespace

class TestHostTransport : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<HostClient> m_client;

    FakeHttpServer &server() { return m_host->server(); }

private Q_SLOTS:
    void init()
    {
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
        m_client = std::make_unique<HostClient>();
        m_client->setBaseUrl(m_host->baseUrl());
        m_client->setAuth(HostAuth::bearer(m_host->seed().adminToken));
        m_client->setOptions(fastOptions());
    }
    void cleanup()
    {
        m_client.reset();
        m_host.reset();
    }

    void getIsRetriedWithExponentialBackoff()
    {
        server().enqueue(proxyPage(503), "GET", u"/api/nodes"_s);
        server().enqueue(proxyPage(502), "GET", u"/api/nodes"_s);
        auto *job = m_client->nodes();
        QSignalSpy retrying(job, &HostJob::retrying);
        auto out = await(job);
        RK_VERIFY_OK(out);
        QCOMPARE(out.attempts, 3);
        QCOMPARE(server().count("GET", u"/api/nodes"_s), 3);
        QCOMPARE(retrying.size(), 2);
        QCOMPARE(retrying.at(0).at(0).toInt(), 1);
        QCOMPARE(retrying.at(0).at(1).toInt(), 80);
        QCOMPARE(retrying.at(1).at(1).toInt(), 160);
        const auto &r = server().requests();
        const qint64 firstGap = r.at(1).receivedAtMs - r.at(0).receivedAtMs;
        const qint64 secondGap = r.at(2).receivedAtMs - r.at(1).receivedAtMs;
        QVERIFY2(firstGap >= 75, qPrintable(QString::number(firstGap)));
        QVERIFY2(secondGap >= 155, qPrintable(QString::number(secondGap)));
        QVERIFY2(secondGap < 1500, qPrintable(QString::number(secondGap)));
        // Every attempt carries the credential.
        for (const RecordedRequest &request : r)
            QCOMPARE(request.header("authorization"), "Bearer " + m_host->seed().adminToken.toLatin1());
    }

    void backoffIsCapped()
    {
        HostClientOptions options = fastOptions();
        options.maxAttempts = 4;
        options.initialBackoff = 40ms;
        options.backoffMultiplier = 10.0;
        options.maxBackoff = 100ms;
        m_client->setOptions(options);
        server().enqueue(proxyPage(504), "GET", {}, 3);
        auto *job = m_client->nodes();
        QSignalSpy retrying(job, &HostJob::retrying);
        RK_VERIFY_OK(await(job));
        QCOMPARE(retrying.size(), 3);
        QCOMPARE(retrying.at(0).at(1).toInt(), 40);
        QCOMPARE(retrying.at(1).at(1).toInt(), 100);
        QCOMPARE(retrying.at(2).at(1).toInt(), 100);
    }

    void retriesAreBounded()
    {
        server().enqueue(proxyPage(502), "GET", {}, 10);
        auto out = await(m_client->nodes());
        QVERIFY(!out.ok());
        QCOMPARE(out.attempts, 3);
        QCOMPARE(out.error->attempts, 3);
        QCOMPARE(out.error->httpStatus, 502);
        QCOMPARE(out.error->code(), Error::Code::Io);
        QCOMPARE(server().count("GET", {}), 3);
    }

    void mutationsAreNeverRetried_data()
    {
        QTest::addColumn<int>("fault");
        QTest::newRow("503") << 0;
        QTest::newRow("502") << 1;
        QTest::newRow("dropped mid-body") << 2;
        QTest::newRow("timeout") << 3;
    }
    void mutationsAreNeverRetried()
    {
        QFETCH(int, fault);
        HostClientOptions options = fastOptions();
        options.timeout = 200ms;
        m_client->setOptions(options);
        const FakeReply replies[]
            = {proxyPage(503), proxyPage(502), FakeReply::dropMidBody(), FakeReply::hang()};
        server().enqueue(replies[fault], "POST");
        server().enqueue(replies[fault], "PATCH");
        server().enqueue(replies[fault], "DELETE");
        const qint64 taskId = m_host->seed().pendingTaskId;
        auto approve = await(m_client->approveTask(taskId));
        HostUserChanges changes;
        changes.role = u"viewer"_s;
        auto patch = await(m_client->updateUser(m_host->seed().viewerId, changes));
        auto remove = await(m_client->deleteUser(m_host->seed().viewerId));
        QVERIFY(!approve.ok());
        QVERIFY(!patch.ok());
        QVERIFY(!remove.ok());
        QCOMPARE(approve.attempts, 1);
        QCOMPARE(patch.attempts, 1);
        QCOMPARE(remove.attempts, 1);
        QCOMPARE(server().count("POST", {}), 1);
        QCOMPARE(server().count("PATCH", {}), 1);
        QCOMPARE(server().count("DELETE", {}), 1);
        // Nothing changed on the host.
        QCOMPARE(m_host->task(taskId)->status, u"pending_approval"_s);
        QVERIFY(m_host->user(m_host->seed().viewerId).has_value());
    }

    void hostDetail503IsNotRetried()
    {
        server().enqueue(FakeReply::detail(503, u"No suitable node available for this task."_s), "GET");
        auto out = await(m_client->nodes());
        QVERIFY(!out.ok());
        QCOMPARE(out.attempts, 1);
        QVERIFY(out.message().contains(u"No suitable node available"_s));
    }

    void serverErrorIsNotRetried()
    {
        server().enqueue(FakeReply::serverError(), "GET", {}, 3);
        auto out = await(m_client->users());
        QVERIFY(!out.ok());
        QCOMPARE(out.attempts, 1);
        QCOMPARE(out.error->kind, HostError::Kind::Http);
        QCOMPARE(out.error->httpStatus, 500);
        QCOMPARE(out.error->code(), Error::Code::Internal);
        QVERIFY2(out.message().contains(u"HTTP 500"_s) && out.message().contains(u"GET /api/auth/users"_s),
            qPrintable(out.message()));
        QCOMPARE(out.failedSignals, 1);
        QCOMPARE(out.finishedSignals, 1);
    }

    void timeoutFailsAfterTheConfiguredTime()
    {
        HostClientOptions options = fastOptions();
        options.timeout = 250ms;
        options.maxAttempts = 1;
        m_client->setOptions(options);
        server().enqueue(FakeReply::hang(), "GET");
        QElapsedTimer clock;
        clock.start();
        auto out = await(m_client->me());
        const qint64 elapsed = clock.elapsed(); // the timeout timer is coarse: it may fire 5% early
        QVERIFY(!out.ok());
        QCOMPARE(out.error->kind, HostError::Kind::Timeout);
        QCOMPARE(out.error->code(), Error::Code::Io);
        QVERIFY2(out.message().contains(u"0.25 seconds"_s), qPrintable(out.message()));
        QVERIFY2(elapsed >= 230 && elapsed < 2000, qPrintable(QString::number(elapsed)));
    }

    void timeoutOfAGetIsRetried()
    {
        HostClientOptions options = fastOptions();
        options.timeout = 150ms;
        options.maxAttempts = 2;
        m_client->setOptions(options);
        server().enqueue(FakeReply::hang(), "GET");
        auto out = await(m_client->me());
        RK_VERIFY_OK(out);
        QCOMPARE(out.attempts, 2);
        QCOMPARE(server().count("GET", u"/api/auth/me"_s), 2);
    }

    void slowButInTimeSucceeds()
    {
        server().enqueue(FakeReply::json(200, QJsonArray()).withDelay(100), "GET");
        auto out = await(m_client->nodes());
        RK_VERIFY_OK(out);
        QCOMPARE(out.attempts, 1);
    }

    void cancelAbortsAHangingRequest()
    {
        server().enqueue(FakeReply::hang(), "GET");
        auto *job = m_client->me();
        job->setAutoDelete(false);
        QSignalSpy finished(job, &HostJob::finished);
        QSignalSpy failed(job, &HostJob::failed);
        QSignalSpy received(&server(), &FakeHttpServer::requestReceived);
        QVERIFY(received.wait(2000));
        job->cancel();
        QCOMPARE(finished.size(), 1); // at once
        QCOMPARE(failed.size(), 0); // a cancel is not a failure to report
        QCOMPARE(job->hostError()->kind, HostError::Kind::Cancelled);
        QCOMPARE(job->result().error().code, Error::Code::Cancelled);
        job->cancel(); // harmless
        QTest::qWait(100);
        QCOMPARE(finished.size(), 1);
        QTRY_COMPARE(server().openConnections(), 0); // the connection was closed
        delete job;
    }

    void cancelStopsAPendingRetry()
    {
        HostClientOptions options = fastOptions();
        options.initialBackoff = 300ms;
        m_client->setOptions(options);
        server().enqueue(proxyPage(503), "GET", {}, 5);
        auto *job = m_client->nodes();
        QPointer<HostJob> guard(job);
        QSignalSpy retrying(job, &HostJob::retrying);
        QSignalSpy finished(job, &HostJob::finished);
        QVERIFY(retrying.wait(2000));
        job->cancel();
        QCOMPARE(finished.size(), 1);
        QTest::qWait(400);
        QCOMPARE(server().count("GET", {}), 1);
        QVERIFY(guard.isNull()); // auto-deleted after finished()
    }

    void cancelBeforeSendingSendsNothing()
    {
        auto *job = m_client->nodes();
        QSignalSpy finished(job, &HostJob::finished);
        job->cancel();
        QCOMPARE(finished.size(), 1);
        QTest::qWait(50);
        QCOMPARE(server().requests().size(), 0);
    }

    void droppedConnectionMidBody()
    {
        HostClientOptions options = fastOptions();
        options.maxAttempts = 1;
        m_client->setOptions(options);
        server().enqueue(FakeReply::dropMidBody(), "GET");
        auto out = await(m_client->nodes());
        QVERIFY(!out.ok());
        QCOMPARE(out.error->kind, HostError::Kind::Network);
        QCOMPARE(out.error->networkError, QNetworkReply::RemoteHostClosedError);
        QVERIFY2(out.message().contains(u"closed the connection"_s), qPrintable(out.message()));

        // With retries, the next attempt gets the real answer.
        m_client->setOptions(fastOptions());
        server().enqueue(FakeReply::dropMidBody(), "GET");
        auto retried = await(m_client->nodes());
        RK_VERIFY_OK(retried);
        QCOMPARE(retried.attempts, 2);
        QCOMPARE(retried.value().size(), 2);
    }

    // Qt 6.4 may finish a reply without an error when the connection closes after a pause in the
    // middle of a Content-Length body; the job must still see a broken connection.
    void truncatedAnswerIsABrokenConnection()
    {
        HostClientOptions options = fastOptions();
        options.maxAttempts = 1;
        m_client->setOptions(options);
        for (int i = 0; i < 3; ++i) {
            server().enqueue(FakeReply::stallThenDrop(), "GET");
            auto out = await(m_client->nodes());
            QVERIFY(!out.ok());
            QCOMPARE(out.error->kind, HostError::Kind::Network);
            QCOMPARE(out.error->networkError, QNetworkReply::RemoteHostClosedError);
        }
        QCOMPARE(server().count("GET", {}), 3);
    }

    // The job sends a mutation once. (Qt 6.4's HTTP channel itself may re-send a request once when
    // the server closes without any answer; that is below HostJob and not counted as an attempt.)
    void closedWithoutAnswer()
    {
        server().enqueue(FakeReply::closeWithoutAnswer(), "POST", {}, 3);
        auto approve = await(m_client->approveTask(m_host->seed().pendingTaskId));
        QVERIFY(!approve.ok());
        QCOMPARE(approve.attempts, 1);
        QCOMPARE(approve.error->networkError, QNetworkReply::RemoteHostClosedError);
    }

    // Credentials must not follow a redirect to another origin.
    void crossOriginRedirectIsRefused()
    {
        FakeHttpServer elsewhere;
        QVERIFY(elsewhere.start());
        const QUrl target = elsewhere.baseUrl().resolved(QUrl(u"/api/nodes"_s));
        server().enqueue(
            FakeReply::text(307, QByteArray()).withHeader("location", target.toEncoded()), "GET");
        auto out = await(m_client->nodes());
        QVERIFY(!out.ok());
        QCOMPARE(out.error->code(), Error::Code::Refused);
        QCOMPARE(out.attempts, 1);
        QVERIFY(elsewhere.requests().isEmpty());
    }

    void sameOriginRedirectIsFollowedWithTheCredential()
    {
        const QUrl same = m_host->baseUrl().resolved(QUrl(u"/api/nodes"_s));
        server().enqueue(FakeReply::text(307, QByteArray()).withHeader("location", same.toEncoded()), "GET",
            u"/api/vps"_s);
        auto followed = await(m_client->vpsList());
        QVERIFY(!followed.ok()); // /api/nodes answered instead: not a VPS list
        QCOMPARE(server().requests().last().path, u"/api/nodes"_s);
        QCOMPARE(server().requests().last().header("authorization"),
            "Bearer " + m_host->seed().adminToken.toLatin1());
    }

    void redirectLoopIsCut()
    {
        const QUrl self = m_host->baseUrl().resolved(QUrl(u"/api/nodes"_s));
        server().enqueue(
            FakeReply::text(307, QByteArray()).withHeader("location", self.toEncoded()), "GET", {}, 20);
        auto out = await(m_client->nodes());
        QVERIFY(!out.ok());
        QCOMPARE(out.error->code(), Error::Code::Refused);
        QCOMPARE(out.attempts, 1);
        QCOMPARE(server().count("GET", u"/api/nodes"_s), HostJob::kMaxRedirects + 1);
    }

    void seeOtherTurnsAPostIntoAGet()
    {
        // 303 asks for a GET of the new place; 307 repeats the POST there, body and all.
        const QUrl status = m_host->baseUrl().resolved(QUrl(u"/api/auth/status"_s));
        server().enqueue(
            FakeReply::text(303, QByteArray()).withHeader("location", status.toEncoded()), "POST");
        auto out = await(m_client->approveTask(7));
        QVERIFY(!out.ok()); // /api/auth/status is no approval answer
        QCOMPARE(server().requests().last().method, QByteArray("GET"));
        QCOMPARE(server().requests().last().path, u"/api/auth/status"_s);
        QCOMPARE(server().requests().last().header("authorization"),
            "Bearer " + m_host->seed().adminToken.toLatin1());
    }

    void connectionRefused()
    {
        // A port nobody listens on (taken and released).
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        QUrl url(u"http://127.0.0.1"_s);
        url.setPort(port);
        m_client->setBaseUrl(url);
        auto *job = m_client->nodes();
        QSignalSpy retrying(job, &HostJob::retrying);
        auto out = await(job);
        QVERIFY(!out.ok());
        QCOMPARE(out.error->networkError, QNetworkReply::ConnectionRefusedError);
        QCOMPARE(out.attempts, 3);
        QCOMPARE(retrying.size(), 2);
        QVERIFY2(out.message().contains(u"refused the connection"_s), qPrintable(out.message()));
    }

    void malformedJson()
    {
        server().enqueue(FakeReply::malformedJson(), "GET");
        auto out = await(m_client->me());
        QVERIFY(!out.ok());
        QCOMPARE(out.error->kind, HostError::Kind::Protocol);
        QCOMPARE(out.error->code(), Error::Code::Corrupt);
        QCOMPARE(out.attempts, 1);
        QVERIFY2(out.message().contains(u"not valid JSON"_s) && out.message().contains(u"GET /api/auth/me"_s),
            qPrintable(out.message()));
    }

    void wrongTypesAreProtocolErrorsNamingTheField()
    {
        server().enqueue(FakeReply::json(200,
            QJsonArray {QJsonObject {
                {u"id"_s, 1}, {u"username"_s, u"a"_s}, {u"role"_s, u"admin"_s}, {u"is_active"_s, 1}}}));
        auto out = await(m_client->users());
        QVERIFY(!out.ok());
        QCOMPARE(out.error->kind, HostError::Kind::Protocol);
        QVERIFY2(out.message().contains(u"[0].is_active"_s), qPrintable(out.message()));
    }

    void oversizedAnswers_data()
    {
        QTest::addColumn<bool>("announced");
        QTest::newRow("Content-Length") << true;
        QTest::newRow("streamed until close") << false;
    }
    void oversizedAnswers()
    {
        QFETCH(bool, announced);
        HostClientOptions options = fastOptions();
        options.maxResponseBytes = 64 * 1024;
        m_client->setOptions(options);
        server().enqueue(FakeReply::oversized(1024 * 1024, announced), "GET");
        auto out = await(m_client->nodes());
        QVERIFY(!out.ok());
        QCOMPARE(out.error->kind, HostError::Kind::Oversized);
        QCOMPARE(out.attempts, 1); // not transient
        QVERIFY2(out.message().contains(u"oversized"_s), qPrintable(out.message()));

        // Just under the cap is fine.
        server().enqueue(FakeReply::oversized(64 * 1024, announced), "GET");
        auto fits = await(m_client->nodes());
        RK_VERIFY_OK(fits);
        QCOMPARE(fits.value().size(), 0);
    }

    void noBaseUrlFailsAsynchronously()
    {
        HostClient client;
        auto *job = client.nodes();
        QSignalSpy failed(job, &HostJob::failed);
        QCOMPARE(failed.size(), 0); // not before the caller could connect
        auto out = await(job);
        QVERIFY(!out.ok());
        QCOMPARE(out.error->kind, HostError::Kind::Usage);
        QCOMPARE(out.failedSignals, 1);
        QCOMPARE(out.attempts, 0);
    }

    void signalsComeFromTheEventLoop()
    {
        auto *job = m_client->nodes();
        QSignalSpy finished(job, &HostJob::finished);
        QCOMPARE(finished.size(), 0);
        QVERIFY(server().requests().isEmpty()); // nothing sent before returning to the loop
        QPointer<HostJob> guard(job);
        bool sawValue = false;
        static_cast<HostCall<QList<HostNode>> *>(job)->onFinished(this,
            [&](const Result<QList<HostNode>> &result) { sawValue = result.ok() && result->size() == 2; });
        QVERIFY(finished.wait(2000));
        QVERIFY(sawValue);
        QTRY_VERIFY(guard.isNull()); // auto-deleted
    }

    void destroyingTheClientAbortsItsJobs()
    {
        server().enqueue(FakeReply::hang(), "GET");
        auto *job = m_client->me();
        QPointer<HostJob> guard(job);
        QSignalSpy received(&server(), &FakeHttpServer::requestReceived);
        QVERIFY(received.wait(2000));
        m_client.reset();
        QVERIFY(guard.isNull());
        QTRY_COMPARE(server().openConnections(), 0);
    }

    void untrustedCertificateIsReportedWithItsDetails()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        FakeHost tlsHost;
        QVERIFY(tlsHost.startTls());
        m_client->setBaseUrl(tlsHost.baseUrl());
        QCOMPARE(m_client->baseUrl().scheme(), u"https"_s);
        auto out = await(m_client->nodes());
        QVERIFY(!out.ok());
        QCOMPARE(out.error->kind, HostError::Kind::Tls);
        QCOMPARE(out.error->code(), Error::Code::Refused);
        QCOMPARE(out.attempts, 1); // never retried
        QVERIFY(out.error->certificate.has_value());
        const HostCertificateInfo &cert = *out.error->certificate;
        QCOMPARE(cert.sha256, FakeHost::certificateSha256());
        QCOMPARE(cert.subject, u"Riverkeeper Fake Host"_s);
        QVERIFY(!cert.errors.isEmpty());
        QVERIFY(cert.notAfter.isValid());
        QVERIFY2(out.message().contains(cert.sha256), qPrintable(out.message()));
        QCOMPARE(tlsHost.requests().size(), 0); // nothing was sent over the untrusted connection

        // Trusting another certificate changes nothing.
        m_client->trustCertificate(u"00:11:22"_s);
        QCOMPARE(await(m_client->nodes()).error->kind, HostError::Kind::Tls);

        // Trusting exactly this one (by its fingerprint, any case, colons optional) lets it through.
        m_client->trustCertificate(cert.sha256.toLower().remove(QLatin1Char(':')));
        auto trusted = await(m_client->nodes());
        RK_VERIFY_OK(trusted);
        QCOMPARE(trusted.value().size(), 2);
        QCOMPARE(tlsHost.requests().size(), 1);
        QCOMPARE(tlsHost.requests().first().header("authorization"),
            "Bearer " + m_host->seed().adminToken.toLatin1());

        // Forgotten, it is refused again, although Qt reuses the connection it opened.
        m_client->setTrustedCertificates({});
        auto forgotten = await(m_client->nodes());
        QVERIFY(!forgotten.ok());
        QCOMPARE(forgotten.error->kind, HostError::Kind::Tls);
        QCOMPARE(forgotten.error->certificate->sha256, cert.sha256);
        QVERIFY(!forgotten.error->certificate->isChange());
    }

    void changedCertificateNamesTheTrustedAndThePresentedOne()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        FakeHost tlsHost;
        QVERIFY(tlsHost.startTls(FakeHost::Certificate::Renewed));
        m_client->setBaseUrl(tlsHost.baseUrl());
        m_client->setTrustedCertificates({FakeHost::certificateSha256()});
        auto out = await(m_client->nodes());
        QVERIFY(!out.ok());
        QCOMPARE(out.error->kind, HostError::Kind::Tls);
        QCOMPARE(out.attempts, 1);
        const HostCertificateInfo &cert = *out.error->certificate;
        QCOMPARE(cert.sha256, FakeHost::certificateSha256(FakeHost::Certificate::Renewed));
        QCOMPARE(cert.trustedBefore, QStringList {FakeHost::certificateSha256()});
        QVERIFY2(out.message().contains(FakeHost::certificateSha256()), qPrintable(out.message()));
        QVERIFY2(out.message().contains(cert.sha256), qPrintable(out.message()));
        QCOMPARE(tlsHost.requests().size(), 0);
    }
};

RK_TEST_GUILESS_MAIN(TestHostTransport)
#include "TestHostTransport.moc"
