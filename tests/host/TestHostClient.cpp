// Every endpoint of HostClient against the fake host: paths, methods, bodies, auth headers and the
// contract's quirks.
#include "FakeHost.h"
#include "HostTestSupport.h"
#include "RkTest.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <memory>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;

class TestHostClient : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<HostClient> m_client;

    const FakeHost::Seed &seed() const { return m_host->seed(); }
    const RecordedRequest &last() const { return m_host->requests().last(); }
    void as(const QString &token) { m_client->setAuth(HostAuth::bearer(token)); }

private Q_SLOTS:
    void init()
    {
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
        m_client = std::make_unique<HostClient>();
        m_client->setBaseUrl(m_host->baseUrl());
        as(seed().adminToken);
    }
    void cleanup()
    {
        m_client.reset();
        m_host.reset();
    }

    // --- auth ------------------------------------------------------------------------------------

    void authStatus()
    {
        auto out = await(m_client->authStatus());
        RK_VERIFY_OK(out);
        QVERIFY(out.value().authEnabled);
        QCOMPARE(out.value().sessionExpireHours, std::optional<int>(720));
        QCOMPARE(last().method, QByteArray("GET"));
        QCOMPARE(last().path, u"/api/auth/status"_s);
    }

    void meWithBearerToken()
    {
        auto out = await(m_client->me());
        RK_VERIFY_OK(out);
        QCOMPARE(out.value().id, seed().adminId);
        QCOMPARE(out.value().username, u"admin"_s);
        QCOMPARE(out.value().roleLevel(), Role::Admin);
        QVERIFY(!out.value().isAnonymous());
        QCOMPARE(last().header("authorization"), "Bearer " + seed().adminToken.toLatin1());
        QVERIFY(!last().hasHeader("x-admin-token"));
        QVERIFY(!last().hasHeader("cookie"));
        QVERIFY(last().header("accept").contains("application/json"));
    }

    // The host answers a bad credential with 200 and the anonymous pseudo-user, never 401.
    void meDetectsAnonymousForABadToken_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("unknown token") << 0;
        QTest::newRow("no credential") << 1;
        QTest::newRow("disabled user's token") << 2;
        QTest::newRow("wrong admin secret") << 3;
    }
    void meDetectsAnonymousForABadToken()
    {
        QFETCH(int, mode);
        switch (mode) {
        case 0: as(u"0123456789abcdef"_s); break;
        case 1: m_client->setAuth(HostAuth::none()); break;
        case 2: as(seed().disabledToken); break;
        case 3: m_client->setAuth(HostAuth::adminSecret(u"wrong"_s)); break;
        }
        auto out = await(m_client->me());
        RK_VERIFY_OK(out);
        QCOMPARE(out.httpStatus, 200);
        QVERIFY(out.value().isAnonymous());
        QCOMPARE(out.value().id, qint64(-1));
        QCOMPARE(out.value().role, u"anony"_s);
    }

    void adminSecretHeader()
    {
        m_client->setAuth(HostAuth::adminSecret(seed().adminSecret));
        auto out = await(m_client->me());
        RK_VERIFY_OK(out);
        QCOMPARE(out.value().id, qint64(0));
        QCOMPARE(out.value().role, u"admin"_s);
        QCOMPARE(last().header("x-admin-token"), seed().adminSecret.toLatin1());
        QVERIFY(!last().hasHeader("authorization"));
    }

    void authDisabledHostAnswers503()
    {
        m_host->setAuthEnabled(false);
        auto out = await(m_client->me());
        QVERIFY(!out.ok());
        QCOMPARE(out.error->httpStatus, 503);
        QCOMPARE(out.attempts, 1); // the host's own 503 (with a detail) is not retried
        QVERIFY2(out.message().contains(u"Authentication is not enabled"_s), qPrintable(out.message()));
        auto status = await(m_client->authStatus());
        RK_VERIFY_OK(status);
        QVERIFY(!status.value().authEnabled);
        QVERIFY(!status.value().sessionExpireHours.has_value());
    }

    // The CLI's one-invocation sign-in: login (cookie), create a token with it, logout.
    void loginCreateTokenLogout()
    {
        m_client->setAuth(HostAuth::none());
        QSignalSpy authChanged(m_client.get(), &HostClient::authChanged);
        auto *loginJob = m_client->login(u"admin"_s, seed().adminPassword);
        HostAuth seenInSlot;
        loginJob->onFinished(this, [&](const Result<HostLogin> &) { seenInSlot = m_client->auth(); });
        auto login = await(loginJob);
        RK_VERIFY_OK(login);
        QCOMPARE(login.value().user.username, u"admin"_s);
        QCOMPARE(login.value().message, u"Login successful"_s);
        QCOMPARE(login.value().sessionId.size(), 64);
        QCOMPARE(last().path, u"/api/auth/login"_s);
        QCOMPARE(last().method, QByteArray("POST"));
        QCOMPARE(last().header("content-type"), QByteArray("application/json"));
        QCOMPARE(last().json().toObject().value(u"username"_s).toString(), u"admin"_s);
        QCOMPARE(last().json().toObject().value(u"password"_s).toString(), seed().adminPassword);
        // The session is in place before the caller's slot runs.
        QCOMPARE(seenInSlot.mode, HostAuth::Mode::Session);
        QCOMPARE(m_client->auth(), HostAuth::session(login.value().sessionId));
        QCOMPARE(authChanged.size(), 1);
        QCOMPARE(m_host->sessionCount(), 1);

        auto created = await(m_client->createToken(u"riverkeeper@desk"_s));
        RK_VERIFY_OK(created);
        QCOMPARE(last().cookie(u"kohakuriver_session"_s), login.value().sessionId);
        QVERIFY(!last().hasHeader("authorization"));
        QCOMPARE(last().json().toObject(), QJsonObject({{u"name"_s, u"riverkeeper@desk"_s}}));
        QCOMPARE(created.value().name, u"riverkeeper@desk"_s);
        QCOMPARE(created.value().token.size(), 64);
        QCOMPARE(m_host->tokens().first().userId, seed().adminId);

        auto logout = await(m_client->logout());
        RK_VERIFY_OK(logout);
        QCOMPARE(last().path, u"/api/auth/logout"_s);
        QCOMPARE(last().cookie(u"kohakuriver_session"_s), login.value().sessionId);
        QCOMPARE(m_host->sessionCount(), 0);
        QVERIFY(m_client->auth().isNone());

        // The new token works on its own.
        as(created.value().token);
        auto me = await(m_client->me());
        RK_VERIFY_OK(me);
        QCOMPARE(me.value().username, u"admin"_s);
    }

    void loginFailures()
    {
        m_client->setAuth(HostAuth::none());
        auto wrong = await(m_client->login(u"admin"_s, u"nope"_s));
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error->httpStatus, 401);
        QCOMPARE(wrong.error->code(), Error::Code::Refused);
        QVERIFY2(wrong.message().contains(u"Invalid username or password"_s), qPrintable(wrong.message()));
        QVERIFY(m_client->auth().isNone());

        auto disabled = await(m_client->login(u"dora"_s, u"dora-password"_s));
        QCOMPARE(disabled.error->httpStatus, 403);
        QVERIFY(disabled.message().contains(u"Account is disabled"_s));

        auto empty = await(m_client->login(QString(), u"x"_s));
        QCOMPARE(empty.error->httpStatus, 422);
        QCOMPARE(empty.error->code(), Error::Code::Invalid);
        QVERIFY2(empty.message().contains(u"username: String should have at least 1 character"_s),
            qPrintable(empty.message()));
        QCOMPARE(m_host->requests().size(), 3); // POSTs are sent once each
    }

    // Cookies never go into the shared QNetworkAccessManager: another client on it stays anonymous.
    void sessionDoesNotLeakThroughASharedManager()
    {
        QNetworkAccessManager nam;
        HostClient first(&nam);
        HostClient second(&nam);
        first.setBaseUrl(m_host->baseUrl());
        second.setBaseUrl(m_host->baseUrl());
        RK_VERIFY_OK(await(first.login(u"olivia"_s, u"olivia-password"_s)));
        auto me = await(second.me());
        RK_VERIFY_OK(me);
        QVERIFY(me.value().isAnonymous());
        QVERIFY(!last().hasHeader("cookie"));
        QCOMPARE(first.networkAccessManager(), &nam);
    }

    // --- own tokens --------------------------------------------------------------------------------

    void tokensListAndRevoke()
    {
        as(seed().operatorToken);
        auto list = await(m_client->tokens());
        RK_VERIFY_OK(list);
        QCOMPARE(list.value().size(), 1);
        QCOMPARE(list.value().first().name, u"operator-cli"_s);
        QVERIFY(list.value().first().lastUsed.has_value()); // the host wrote last_used for this request

        // Another user's token: 404, as if it did not exist.
        const qint64 adminTokenId = m_host->tokens().last().id;
        auto foreign = await(m_client->revokeToken(adminTokenId));
        QCOMPARE(foreign.error->code(), Error::Code::NotFound);
        QVERIFY(foreign.message().contains(u"Token not found"_s));

        auto revoked = await(m_client->revokeToken(list.value().first().id));
        RK_VERIFY_OK(revoked);
        QCOMPARE(last().method, QByteArray("DELETE"));
        QCOMPARE(last().path, u"/api/auth/tokens/%1"_s.arg(list.value().first().id));
        QCOMPARE(revoked.value().message, u"Token 'operator-cli' revoked"_s);
    }

    // --- users ---------------------------------------------------------------------------------

    void usersListNeedsOperator()
    {
        auto list = await(m_client->users());
        RK_VERIFY_OK(list);
        QCOMPARE(list.value().size(), 5);
        QCOMPARE(list.value().first().username, u"dora"_s); // newest first
        QVERIFY(!list.value().first().active);

        m_client->setAuth(HostAuth::none());
        auto anonymous = await(m_client->users());
        QCOMPARE(anonymous.error->httpStatus, 401);
        QCOMPARE(anonymous.error->code(), Error::Code::Refused);
        as(seed().viewerToken);
        auto viewer = await(m_client->users());
        QCOMPARE(viewer.error->httpStatus, 403);
        QVERIFY(viewer.message().contains(u"Required role: operator"_s));
    }

    void updateUserSendsOnlyTheChangedFields()
    {
        HostUserChanges changes;
        changes.role = u"operator"_s;
        auto out = await(m_client->updateUser(seed().userId, changes));
        RK_VERIFY_OK(out);
        QCOMPARE(last().method, QByteArray("PATCH"));
        QCOMPARE(last().path, u"/api/auth/users/3"_s);
        QCOMPARE(last().body, QByteArray(R"({"role":"operator"})"));
        QCOMPARE(out.value().role, u"operator"_s);
        QCOMPARE(m_host->user(seed().userId)->role, u"operator"_s);

        HostUserChanges disable;
        disable.active = false;
        disable.displayName = u"Ulrich U."_s;
        auto disabled = await(m_client->updateUser(seed().userId, disable));
        RK_VERIFY_OK(disabled);
        QCOMPARE(last().json().toObject(),
            QJsonObject({{u"is_active"_s, false}, {u"display_name"_s, u"Ulrich U."_s}}));
        QVERIFY(!disabled.value().active);
        QCOMPARE(disabled.value().displayName, u"Ulrich U."_s);
    }

    void updateUserRefusals()
    {
        HostUserChanges demote;
        demote.role = u"viewer"_s;
        auto self = await(m_client->updateUser(seed().adminId, demote));
        QCOMPARE(self.error->httpStatus, 400);
        QCOMPARE(self.error->code(), Error::Code::Invalid);
        QVERIFY(self.message().contains(u"Cannot demote yourself"_s));

        auto missing = await(m_client->updateUser(99, demote));
        QCOMPARE(missing.error->code(), Error::Code::NotFound);
        QVERIFY(missing.message().contains(u"User not found"_s));

        as(seed().operatorToken);
        auto operatorPatch = await(m_client->updateUser(seed().viewerId, demote));
        QCOMPARE(operatorPatch.error->httpStatus, 403);
        QCOMPARE(operatorPatch.error->code(), Error::Code::Refused);
    }

    void deleteUser()
    {
        auto out = await(m_client->deleteUser(seed().viewerId));
        RK_VERIFY_OK(out);
        QCOMPARE(last().method, QByteArray("DELETE"));
        QCOMPARE(last().path, u"/api/auth/users/4"_s);
        QCOMPARE(out.value().message, u"User 'vera' deleted"_s);
        QVERIFY(!m_host->user(seed().viewerId));
        auto self = await(m_client->deleteUser(seed().adminId));
        QVERIFY(self.message().contains(u"Cannot delete yourself"_s));
    }

    // --- invitations -------------------------------------------------------------------------------

    void invitationsListIsAdminOnly()
    {
        auto list = await(m_client->invitations());
        RK_VERIFY_OK(list);
        QCOMPARE(list.value().size(), 1);
        QVERIFY(!list.value().first().valid); // used up
        QCOMPARE(list.value().first().remainingUses, 0);
        as(seed().operatorToken);
        auto forOperator = await(m_client->invitations());
        QCOMPARE(forOperator.error->httpStatus, 403);
        QVERIFY(forOperator.message().contains(u"Admin access required"_s));
    }

    void createAndRevokeInvitation()
    {
        HostNewInvitation request;
        request.role = u"viewer"_s;
        request.maxUsage = 5;
        request.expiresHours = 24;
        auto created = await(m_client->createInvitation(request));
        RK_VERIFY_OK(created);
        QCOMPARE(last().method, QByteArray("POST"));
        QCOMPARE(last().path, u"/api/auth/invitations"_s);
        const QJsonObject body = last().json().toObject();
        QCOMPARE(body.value(u"role"_s).toString(), u"viewer"_s);
        QVERIFY(body.value(u"group_id"_s).isNull());
        QCOMPARE(body.value(u"max_usage"_s).toInt(), 5);
        QCOMPARE(body.value(u"expires_hours"_s).toInt(), 24);
        QCOMPARE(created.value().token.size(), 64);
        QVERIFY(created.value().valid);
        QCOMPARE(created.value().createdById, std::optional<qint64>(seed().adminId));
        QVERIFY(created.value().expiresAt.has_value());

        auto revoked = await(m_client->revokeInvitation(created.value().id));
        RK_VERIFY_OK(revoked);
        QCOMPARE(last().method, QByteArray("DELETE"));
        QCOMPARE(revoked.value().message, u"Invitation %1 revoked"_s.arg(created.value().id));
    }

    void invitationGroupIsCheckedByTheHost()
    {
        HostNewInvitation request;
        request.role = u"user"_s;
        request.groupId = 7;
        auto unknown = await(m_client->createInvitation(request));
        QCOMPARE(unknown.error->httpStatus, 400);
        QCOMPARE(unknown.error->detail, u"Group not found"_s);
        QCOMPARE(last().json().toObject().value(u"group_id"_s).toInteger(), 7);

        m_host->addGroup(7);
        auto known = await(m_client->createInvitation(request));
        RK_VERIFY_OK(known);
        QCOMPARE(known.value().groupId, std::optional<qint64>(7));
    }

    void revokeInvitationRefusals()
    {
        auto missing = await(m_client->revokeInvitation(999));
        QCOMPARE(missing.error->httpStatus, 404);
        QCOMPARE(missing.error->code(), Error::Code::NotFound);
        QVERIFY(missing.message().contains(u"Invitation not found"_s));

        as(seed().operatorToken);
        auto forOperator = await(m_client->revokeInvitation(seed().invitationId));
        QCOMPARE(forOperator.error->httpStatus, 403);
        QCOMPARE(forOperator.error->code(), Error::Code::Refused);
        QVERIFY(forOperator.message().contains(u"Admin access required"_s));
        QCOMPARE(m_host->invitations().size(), 1);
    }

    void invitationValidationArrivesAsOneSentence()
    {
        HostNewInvitation request;
        request.maxUsage = 0;
        request.expiresHours = 1000;
        auto out = await(m_client->createInvitation(request));
        QCOMPARE(out.error->httpStatus, 422);
        QCOMPARE(out.error->code(), Error::Code::Invalid);
        QCOMPARE(out.error->detail,
            u"max_usage: Input should be greater than or equal to 1; expires_hours: Input "
            "should be less than or equal to 720"_s);
        QVERIFY(out.message().contains(out.error->detail));

        as(seed().operatorToken);
        HostNewInvitation admin;
        admin.role = u"admin"_s;
        auto operatorAdmin = await(m_client->createInvitation(admin));
        QVERIFY(operatorAdmin.message().contains(u"Operators can only create viewer invitations"_s));
    }

    // --- tasks -------------------------------------------------------------------------------------

    void tasksListWithQueryAndSnowflakes()
    {
        HostTaskQuery query;
        query.status = u"running"_s;
        query.limit = 20;
        query.offset = 0;
        auto running = await(m_client->tasks(query));
        RK_VERIFY_OK(running);
        QCOMPARE(last().path, u"/api/tasks"_s);
        QCOMPARE(last().query(u"status"_s), u"running"_s);
        QCOMPARE(last().query(u"limit"_s), u"20"_s);
        QCOMPARE(last().query(u"offset"_s), u"0"_s);
        QCOMPARE(running.value().size(), 1);
        QCOMPARE(running.value().first().taskId, seed().runningTaskId);
        QVERIFY(seed().runningTaskId > (qint64(1) << 53));

        auto all = await(m_client->tasks());
        RK_VERIFY_OK(all);
        QVERIFY(!last().hasQuery(u"status"_s));
        QCOMPARE(all.value().size(), 4); // command tasks only
        QCOMPARE(all.value().first().taskId, seed().pendingTaskId); // newest first
        const HostTask &pending = all.value().first();
        QCOMPARE(pending.status, HostTaskStatus::PendingApproval);
        QCOMPARE(pending.ownerUsername, u"ulrich"_s);
        QCOMPARE(pending.requiredGpus, QList<int>({0, 1}));
        QCOMPARE(pending.submittedAt->micros, 123456);

        HostTaskQuery page;
        page.limit = 2;
        page.offset = 2;
        auto second = await(m_client->tasks(page));
        RK_VERIFY_OK(second);
        QCOMPARE(second.value().size(), 2);
        QCOMPARE(second.value().first().taskId, seed().pausedTaskId);
    }

    void pendingApprovalsIncludeVps()
    {
        auto out = await(m_client->pendingApprovals(50, 0));
        RK_VERIFY_OK(out);
        QCOMPARE(last().path, u"/api/tasks/pending-approval"_s);
        QCOMPARE(last().query(u"limit"_s), u"50"_s);
        QCOMPARE(out.value().size(), 2);
        QCOMPARE(out.value().at(0).taskId, seed().pendingVpsId);
        QCOMPARE(out.value().at(0).taskType, u"vps"_s);
        QCOMPARE(out.value().at(1).taskId, seed().pendingTaskId);
        as(seed().userToken);
        QCOMPARE(await(m_client->pendingApprovals()).error->httpStatus, 403);
    }

    void taskDetail()
    {
        auto out = await(m_client->task(seed().runningTaskId));
        RK_VERIFY_OK(out);
        QCOMPARE(last().path, u"/api/status/%1"_s.arg(seed().runningTaskId));
        QCOMPARE(out.value().assignedNode, u"node-a"_s);
        auto missing = await(m_client->task(42));
        QCOMPARE(missing.error->code(), Error::Code::NotFound);
        QVERIFY(missing.message().contains(u"Task not found."_s));
    }

    void approveAndReject()
    {
        auto approved = await(m_client->approveTask(seed().pendingTaskId));
        RK_VERIFY_OK(approved);
        QCOMPARE(last().method, QByteArray("POST"));
        QCOMPARE(last().path, u"/api/approve/%1"_s.arg(seed().pendingTaskId));
        QCOMPARE(approved.value().taskId, seed().pendingTaskId);
        QCOMPARE(approved.value().message, u"Task approved and dispatched"_s);
        QCOMPARE(m_host->task(seed().pendingTaskId)->status, u"assigning"_s);

        auto again = await(m_client->approveTask(seed().pendingTaskId));
        QCOMPARE(again.error->code(), Error::Code::Conflict);
        QVERIFY(again.message().contains(u"status: assigning"_s));

        // A reason with characters that a query string mangles ('+' is a space to the host).
        const QString reason = u"too big: 8 GPUs + 100% of node-a & more #1 é"_s;
        auto rejected = await(m_client->rejectTask(seed().pendingVpsId, reason));
        RK_VERIFY_OK(rejected);
        QCOMPARE(last().query(u"reason"_s), reason);
        QVERIFY(last().body.isEmpty());
        QCOMPARE(rejected.value().reason, std::optional<QString>(reason));
        QCOMPARE(m_host->task(seed().pendingVpsId)->rejectionReason, reason);
        QCOMPARE(m_host->task(seed().pendingVpsId)->status, u"rejected"_s);
    }

    void rejectWithoutReason()
    {
        auto rejected = await(m_client->rejectTask(seed().pendingTaskId));
        RK_VERIFY_OK(rejected);
        QVERIFY(!last().hasQuery(u"reason"_s));
        QVERIFY(!rejected.value().reason.has_value());
    }

    void killPauseResume()
    {
        auto killed = await(m_client->killTask(seed().runningTaskId));
        RK_VERIFY_OK(killed);
        QCOMPARE(killed.httpStatus, 202);
        QCOMPARE(last().path, u"/api/kill/%1"_s.arg(seed().runningTaskId));
        QVERIFY(killed.value().message.contains(u"Task marked as killed"_s));
        auto twice = await(m_client->killTask(seed().runningTaskId));
        QCOMPARE(twice.error->code(), Error::Code::Conflict);

        auto resumed = await(m_client->resumeTask(seed().pausedTaskId));
        RK_VERIFY_OK(resumed);
        QCOMPARE(last().path, u"/api/command/%1/resume"_s.arg(seed().pausedTaskId));
        QCOMPARE(m_host->task(seed().pausedTaskId)->status, u"running"_s);
        auto paused = await(m_client->pauseTask(seed().pausedTaskId));
        RK_VERIFY_OK(paused);
        QCOMPARE(last().path, u"/api/command/%1/pause"_s.arg(seed().pausedTaskId));
        auto pausedTwice = await(m_client->pauseTask(seed().pausedTaskId));
        QCOMPARE(pausedTwice.error->httpStatus, 400);
        QVERIFY(pausedTwice.message().contains(u"Invalid command or task state"_s));
    }

    void taskLogs()
    {
        auto tail = await(m_client->taskStdout(seed().runningTaskId, 2));
        RK_VERIFY_OK(tail);
        QCOMPARE(last().path, u"/api/tasks/%1/stdout"_s.arg(seed().runningTaskId));
        QCOMPARE(last().query(u"lines"_s), u"2"_s);
        QCOMPARE(tail.value(), u"line 4\nline 5\n"_s);
        auto whole = await(m_client->taskStdout(seed().runningTaskId, 0));
        RK_VERIFY_OK(whole);
        QVERIFY(!last().hasQuery(u"lines"_s));
        QCOMPARE(whole.value().count(QLatin1Char('\n')), 5);
        auto err = await(m_client->taskStderr(seed().runningTaskId));
        RK_VERIFY_OK(err);
        QCOMPARE(last().path, u"/api/tasks/%1/stderr"_s.arg(seed().runningTaskId));
        QCOMPARE(err.value(), u"warning: low disk\n"_s);
        auto missingFile = await(m_client->taskStdout(seed().completedTaskId));
        RK_VERIFY_OK(missingFile);
        QCOMPARE(missingFile.value(), QString());
        as(seed().viewerToken);
        QCOMPARE(await(m_client->taskStdout(seed().runningTaskId)).error->httpStatus, 403);
    }

    // --- VPS ---------------------------------------------------------------------------------------

    void vpsListWithAssignees()
    {
        auto out = await(m_client->vpsList());
        RK_VERIFY_OK(out);
        QCOMPARE(last().path, u"/api/vps"_s);
        QCOMPARE(out.value().size(), 2);
        const HostVps &running = out.value().at(1);
        QCOMPARE(running.taskId, seed().vpsId);
        QCOMPARE(running.status, HostTaskStatus::Running);
        QCOMPARE(running.sshPort, std::optional<int>(2222));
        QCOMPARE(running.assignees.size(), 1);
        QCOMPARE(running.assignees.first().id, seed().userId);
        QCOMPARE(running.assignees.first().username, u"ulrich"_s);
    }

    // The fake speaks the quirk (a bare JSON number above 2^53), and the client keeps it exact.
    void vpsAssignmentsCarryTheIdAsANumber()
    {
        QNetworkAccessManager nam;
        QNetworkRequest request(m_client->endpointUrl(u"/api/vps/%1/assignments"_s.arg(seed().vpsId)));
        request.setRawHeader("Authorization", "Bearer " + seed().adminToken.toLatin1());
        QNetworkReply *reply = nam.get(request);
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(5000));
        const QByteArray raw = reply->readAll();
        reply->deleteLater();
        QVERIFY2(
            raw.contains(QByteArray("\"task_id\":" + QByteArray::number(seed().vpsId))), raw.constData());

        auto out = await(m_client->vpsAssignments(seed().vpsId));
        RK_VERIFY_OK(out);
        QCOMPARE(out.value().taskId, seed().vpsId);
    }

    void vpsAssignUnassign()
    {
        auto before = await(m_client->vpsAssignments(seed().vpsId));
        RK_VERIFY_OK(before);
        QCOMPARE(last().path, u"/api/vps/%1/assignments"_s.arg(seed().vpsId));
        QCOMPARE(before.value().taskId, seed().vpsId);
        QCOMPARE(before.value().assignments.size(), 1);
        QCOMPARE(before.value().assignments.first().assignedAt->micros, 100);

        auto assigned = await(m_client->assignVps(seed().vpsId, {seed().userId, seed().viewerId}));
        RK_VERIFY_OK(assigned);
        QCOMPARE(last().method, QByteArray("POST"));
        QCOMPARE(last().path, u"/api/vps/%1/assign"_s.arg(seed().vpsId));
        QCOMPARE(last().body, QByteArray("[3,4]")); // a bare JSON array
        QCOMPARE(last().header("content-type"), QByteArray("application/json"));
        QCOMPARE(assigned.value().taskId, seed().vpsId);
        QCOMPARE(assigned.value().assignedUsers, QList<qint64>({3, 4}));
        QCOMPARE(m_host->assignees(seed().vpsId), QList<qint64>({3, 4})); // the duplicate was ignored

        auto unknown = await(m_client->assignVps(seed().vpsId, {99}));
        QCOMPARE(unknown.error->code(), Error::Code::NotFound);
        QVERIFY(unknown.message().contains(u"User 99 not found."_s));

        auto removed = await(m_client->unassignVps(seed().vpsId, seed().userId));
        RK_VERIFY_OK(removed);
        QCOMPARE(last().method, QByteArray("DELETE"));
        QCOMPARE(last().path, u"/api/vps/%1/assign/3"_s.arg(seed().vpsId));
        QCOMPARE(m_host->assignees(seed().vpsId), QList<qint64>({4}));
        auto notAssigned = await(m_client->unassignVps(seed().vpsId, seed().userId));
        QCOMPARE(notAssigned.error->code(), Error::Code::NotFound);
    }

    void vpsStopRestart()
    {
        auto stopped = await(m_client->stopVps(seed().vpsId));
        RK_VERIFY_OK(stopped);
        QCOMPARE(stopped.httpStatus, 202);
        QCOMPARE(last().path, u"/api/vps/stop/%1"_s.arg(seed().vpsId));
        auto restart = await(m_client->restartVps(seed().vpsId));
        QCOMPARE(restart.error->code(), Error::Code::Conflict); // stopped VPS cannot restart
        auto missing = await(m_client->stopVps(seed().runningTaskId));
        QVERIFY(missing.message().contains(u"VPS not found."_s));
    }

    // --- cluster -----------------------------------------------------------------------------------

    void nodesAndHealthNeedNoAuth()
    {
        m_client->setAuth(HostAuth::none());
        auto nodes = await(m_client->nodes());
        RK_VERIFY_OK(nodes);
        QCOMPARE(nodes.value().size(), 2);
        QCOMPARE(nodes.value().at(0).coresInUse, std::optional<int>(6));
        QCOMPARE(nodes.value().at(0).numaTopology.value(1).size(), 8);
        QCOMPARE(nodes.value().at(0).gpuInfo.first().value(u"name"_s).toString(), u"RTX 4090"_s);
        QVERIFY(!nodes.value().at(1).coresInUse.has_value()); // "N/A"
        QVERIFY(!nodes.value().at(1).isOnline());

        auto health = await(m_client->health());
        RK_VERIFY_OK(health);
        QCOMPARE(health.value().aggregate.size(), 2);
        QCOMPARE(health.value().nodes.size(), 2);
        QCOMPARE(health.value().aggregate.last().avgCpuPercent, 42.5);
        QCOMPARE(health.value().aggregate.last().lastUpdated->micros, 123456);
        QCOMPARE(health.value().aggregate.first().lastUpdated->micros, 0);
    }

    void unknownRouteIsExplained()
    {
        // A host without an endpoint answers FastAPI's {"detail": "Not Found"}.
        m_host->server().enqueue(FakeReply::detail(404, u"Not Found"_s));
        auto out = await(m_client->nodes());
        QCOMPARE(out.error->code(), Error::Code::NotFound);
        QVERIFY2(out.message().contains(u"GET /api/nodes"_s), qPrintable(out.message()));
    }
};

RK_TEST_GUILESS_MAIN(TestHostClient)
#include "TestHostClient.moc"
