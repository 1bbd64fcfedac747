// HostAdminService against the fake host: each change reaches the host with the right method, path
// and body, one request per user or invitation and one after the other; the host's refusals (400
// detail, 403, 404, 422) come back per item in one clear sentence; the host's state changes;
// cancelling stops the rest; every answered request is reported for the audit, never a token.
#include "FakeHost.h"
#include "RkTest.h"
#include "connection/HostAdminService.h"
#include "host/HostClient.h"

#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>

#include <memory>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;
using State = HostAdminRun::Item::State;

class TestHostAdminService : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<HostClient> m_client;
    std::unique_ptr<HostAdminService> m_service;

    struct Ended
    {
        QList<HostAdminRun::Item> items;
        std::optional<HostInvitation> created;
        QList<std::pair<int, int>> progress;
        int itemSignals = 0;
        int finishedSignals = 0;
        bool deleted = false;
    };

    const FakeHost::Seed &seed() const { return m_host->seed(); }
    void as(const QString &token) { m_client->setAuth(HostAuth::bearer(token)); }
    QList<RecordedRequest> requestsTo(const QByteArray &method) const
    {
        QList<RecordedRequest> out;
        for (const RecordedRequest &r : m_host->requests()) {
            if (r.method == method)
                out << r;
        }
        return out;
    }

    // Waits for the run to end and copies what it left (it deletes itself afterwards).
    static Ended await(HostAdminRun *run)
    {
        Ended out;
        QPointer<HostAdminRun> guard(run);
        QObject::connect(run, &HostAdminRun::progress, run, [&out](int done, int total) {
            out.progress.append({done, total});
        });
        QObject::connect(run, &HostAdminRun::itemFinished, run, [&out](int) { ++out.itemSignals; });
        QObject::connect(run, &HostAdminRun::finished, run, [&out, run]() {
            ++out.finishedSignals;
            out.items = run->items();
            out.created = run->createdInvitation();
        });
        if (!QTest::qWaitFor([&]() { return out.finishedSignals > 0; }, 10000))
            return out;
        out.deleted = QTest::qWaitFor([&]() { return guard.isNull(); }, 5000);
        return out;
    }

    static HostAdminService::UserTarget user(qint64 id, const QString &name) { return {id, name}; }

private Q_SLOTS:
    void init()
    {
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
        m_client = std::make_unique<HostClient>();
        m_client->setBaseUrl(m_host->baseUrl());
        as(seed().adminToken);
        m_service = std::make_unique<HostAdminService>(m_client.get());
    }
    void cleanup()
    {
        m_service.reset();
        m_client.reset();
        m_host.reset();
    }

    void suspendSendsOnePatchPerUserInOrder()
    {
        QSignalSpy audit(m_service.get(), &HostAdminService::actionRecorded);
        QSignalSpy changed(m_service.get(), &HostAdminService::hostChanged);
        QSignalSpy busy(m_service.get(), &HostAdminService::busyChanged);
        HostUserChanges suspend;
        suspend.active = false;
        HostAdminRun *run = m_service->updateUsers(
            {user(seed().userId, u"ulrich"_s), user(seed().viewerId, u"vera"_s)}, suspend);
        QCOMPARE(run->action(), u"user.suspend"_s);
        QVERIFY(m_service->isBusy());
        // Nothing is sent before the caller returns to the event loop.
        QCOMPARE(requestsTo("PATCH").size(), 0);
        const Ended ended = await(run);
        QCOMPARE(ended.finishedSignals, 1);
        QVERIFY(ended.deleted);
        QCOMPARE(ended.itemSignals, 2);
        QCOMPARE(ended.progress, (QList<std::pair<int, int>> {{0, 2}, {1, 2}, {2, 2}}));

        const QList<RecordedRequest> patches = requestsTo("PATCH");
        QCOMPARE(patches.size(), 2);
        QCOMPARE(patches.at(0).path, u"/api/auth/users/3"_s);
        QCOMPARE(patches.at(1).path, u"/api/auth/users/4"_s);
        QCOMPARE(patches.at(0).body, QByteArray(R"({"is_active":false})"));
        QCOMPARE(patches.at(0).header("authorization"), "Bearer " + seed().adminToken.toLatin1());

        QCOMPARE(ended.items.at(0).state, State::Done);
        QCOMPARE(ended.items.at(0).message, u"\u201culrich\u201d suspended."_s);
        QCOMPARE(ended.items.at(1).state, State::Done);
        QVERIFY(!m_host->user(seed().userId)->active);
        QVERIFY(!m_host->user(seed().viewerId)->active);

        QCOMPARE(audit.size(), 2);
        QCOMPARE(audit.at(0).at(0).toString(), u"user.suspend"_s);
        QCOMPARE(audit.at(0).at(1).toString(), u"user 3 (ulrich)"_s);
        QVERIFY(audit.at(0).at(2).toBool());
        QCOMPARE(audit.at(0).at(3).toString(), u"suspended"_s);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(busy.size(), 2);
        QVERIFY(!m_service->isBusy());
    }

    void roleAndDisplayNameGoInOneBody()
    {
        HostUserChanges edit;
        edit.displayName = u"Ulrich U."_s;
        edit.role = u"operator"_s;
        HostAdminRun *run = m_service->updateUsers({user(seed().userId, u"ulrich"_s)}, edit);
        QCOMPARE(run->action(), u"user.update"_s);
        const Ended ended = await(run);
        QCOMPARE(ended.items.at(0).state, State::Done);
        QCOMPARE(requestsTo("PATCH").last().json().toObject(),
            QJsonObject({{u"display_name"_s, u"Ulrich U."_s}, {u"role"_s, u"operator"_s}}));
        QCOMPARE(m_host->user(seed().userId)->role, u"operator"_s);
        QCOMPARE(m_host->user(seed().userId)->displayName, u"Ulrich U."_s);
        QCOMPARE(ended.items.at(0).message,
            u"\u201culrich\u201d updated: display name \u201cUlrich U.\u201d, role Operator."_s);
    }

    void theHostsRefusalsArriveUserByUser()
    {
        QSignalSpy audit(m_service.get(), &HostAdminService::actionRecorded);
        HostUserChanges demote;
        demote.role = u"viewer"_s;
        // Yourself (400), a user that is gone (404), and one the host accepts: the refusals do not
        // stop the others.
        const Ended ended = await(m_service->updateUsers(
            {user(seed().adminId, u"admin"_s), user(99, u"ghost"_s), user(seed().userId, u"ulrich"_s)},
            demote));
        QCOMPARE(ended.items.size(), 3);
        const HostAdminRun::Item &self = ended.items.at(0);
        QCOMPARE(self.state, State::Failed);
        QCOMPARE(self.httpStatus, 400);
        QCOMPARE(self.code, std::optional<Error::Code>(Error::Code::Invalid));
        QCOMPARE(self.hostDetail, u"Cannot demote yourself"_s);
        QCOMPARE(self.message, u"The host refused the request: Cannot demote yourself"_s);
        const HostAdminRun::Item &ghost = ended.items.at(1);
        QCOMPARE(ghost.state, State::Failed);
        QCOMPARE(ghost.httpStatus, 404);
        QCOMPARE(ghost.code, std::optional<Error::Code>(Error::Code::NotFound));
        QCOMPARE(ghost.message, u"Not found on the host: User not found"_s);
        QCOMPARE(ended.items.at(2).state, State::Done);
        QCOMPARE(m_host->user(seed().userId)->role, u"viewer"_s);
        QCOMPARE(m_host->user(seed().adminId)->role, u"admin"_s);

        QCOMPARE(audit.size(), 3);
        QVERIFY(!audit.at(0).at(2).toBool());
        QCOMPARE(audit.at(0).at(3).toString(), self.message);
        QCOMPARE(audit.at(1).at(1).toString(), u"user 99 (ghost)"_s);
    }

    void anInvalidFieldIsOneSentence()
    {
        HostUserChanges odd;
        odd.role = u"superuser"_s;
        const Ended ended = await(m_service->updateUsers({user(seed().userId, u"ulrich"_s)}, odd));
        QCOMPARE(ended.items.at(0).state, State::Failed);
        QCOMPARE(ended.items.at(0).httpStatus, 400);
        QVERIFY2(ended.items.at(0).message.startsWith(u"The host refused the request: Invalid role"_s),
            qPrintable(ended.items.at(0).message));
    }

    void anOperatorIsRefusedByTheHost()
    {
        as(seed().operatorToken);
        QSignalSpy changed(m_service.get(), &HostAdminService::hostChanged);
        HostUserChanges suspend;
        suspend.active = false;
        const Ended update = await(m_service->updateUsers({user(seed().viewerId, u"vera"_s)}, suspend));
        QCOMPARE(update.items.at(0).state, State::Failed);
        QCOMPARE(update.items.at(0).httpStatus, 403);
        QCOMPARE(update.items.at(0).code, std::optional<Error::Code>(Error::Code::Refused));
        QCOMPARE(update.items.at(0).message,
            u"Permission denied by the host: Insufficient permissions. Required role: admin"_s);
        const Ended removal = await(m_service->deleteUsers({user(seed().viewerId, u"vera"_s)}));
        QCOMPARE(removal.items.at(0).httpStatus, 403);
        QVERIFY(m_host->user(seed().viewerId)->active);
        QCOMPARE(changed.size(), 0); // nothing changed on the host: no sync needed
    }

    void deleteUsers()
    {
        QSignalSpy audit(m_service.get(), &HostAdminService::actionRecorded);
        const Ended ended = await(
            m_service->deleteUsers({user(seed().viewerId, u"vera"_s), user(seed().adminId, u"admin"_s)}));
        const QList<RecordedRequest> deletes = requestsTo("DELETE");
        QCOMPARE(deletes.size(), 2);
        QCOMPARE(deletes.at(0).path, u"/api/auth/users/4"_s);
        QCOMPARE(deletes.at(1).path, u"/api/auth/users/1"_s);
        QCOMPARE(ended.items.at(0).state, State::Done);
        QCOMPARE(ended.items.at(0).message, u"\u201cvera\u201d deleted."_s);
        QVERIFY(!m_host->user(seed().viewerId));
        QCOMPARE(ended.items.at(1).state, State::Failed);
        QCOMPARE(ended.items.at(1).hostDetail, u"Cannot delete yourself"_s);
        QVERIFY(m_host->user(seed().adminId));
        QCOMPARE(audit.at(0).at(0).toString(), u"user.delete"_s);
    }

    void createInvitationGivesTheLinkOnce()
    {
        QSignalSpy audit(m_service.get(), &HostAdminService::actionRecorded);
        HostNewInvitation request;
        request.role = u"viewer"_s;
        request.maxUsage = 5;
        request.expiresHours = 24;
        const Ended ended = await(m_service->createInvitation(request));
        QCOMPARE(ended.items.size(), 1);
        QCOMPARE(ended.items.at(0).state, State::Done);
        QVERIFY(ended.created.has_value());
        const HostInvitation &created = *ended.created;
        QCOMPARE(ended.items.at(0).id, created.id);
        QCOMPARE(created.token.size(), 64);
        const RecordedRequest post = requestsTo("POST").last();
        QCOMPARE(post.path, u"/api/auth/invitations"_s);
        QCOMPARE(post.json().toObject(),
            QJsonObject({{u"role"_s, u"viewer"_s}, {u"group_id"_s, QJsonValue()}, {u"max_usage"_s, 5},
                {u"expires_hours"_s, 24}}));
        QCOMPARE(m_host->invitations().size(), 2);

        QCOMPARE(m_service->registrationLink(created.token),
            m_host->baseUrl().toString() + u"/register?token="_s + created.token);
        QCOMPARE(
            HostAdminService::registrationLink(QUrl(u"https://me:pw@river.example.org:8000/"_s), u"ab"_s),
            u"https://river.example.org:8000/register?token=ab"_s);
        const InvitationRecord record = HostAdminService::invitationRecord(created);
        QCOMPARE(record.state, InvitationRecord::State::Valid);
        QCOMPARE(record.maxUsage, 5);
        QVERIFY(!record.expiresAt.isEmpty());

        // The audit names the invitation and what it grants, never its token.
        QCOMPARE(audit.size(), 1);
        QCOMPARE(audit.at(0).at(0).toString(), u"invitation.create"_s);
        QCOMPARE(audit.at(0).at(1).toString(), u"invitation %1"_s.arg(created.id));
        const QString detail = audit.at(0).at(3).toString();
        QCOMPARE(detail, u"role Viewer, uses 5, expires in 24 hours"_s);
        QVERIFY(!ended.items.at(0).message.contains(created.token.left(8)));
    }

    void createInvitationRefusals()
    {
        HostNewInvitation invalid;
        invalid.maxUsage = 0;
        invalid.expiresHours = 1000;
        const Ended fields = await(m_service->createInvitation(invalid));
        QCOMPARE(fields.items.at(0).httpStatus, 422);
        QCOMPARE(fields.items.at(0).code, std::optional<Error::Code>(Error::Code::Invalid));
        QCOMPARE(fields.items.at(0).message,
            u"The host rejected the request's fields: max_usage: Input should be greater than or equal to 1; "
            "expires_hours: Input should be less than or equal to 720"_s);
        QVERIFY(!fields.created);

        HostNewInvitation grouped;
        grouped.groupId = 42;
        const Ended group = await(m_service->createInvitation(grouped));
        QCOMPARE(group.items.at(0).message, u"The host refused the request: Group not found"_s);
        m_host->addGroup(42);
        QCOMPARE(await(m_service->createInvitation(grouped)).created->groupId, std::optional<qint64>(42));

        as(seed().operatorToken);
        HostNewInvitation admin;
        admin.role = u"admin"_s;
        const Ended forOperator = await(m_service->createInvitation(admin));
        QCOMPARE(forOperator.items.at(0).httpStatus, 403);
        QCOMPARE(forOperator.items.at(0).message,
            u"Permission denied by the host: Operators can only create viewer invitations"_s);
        HostNewInvitation viewer;
        viewer.role = u"viewer"_s;
        QCOMPARE(await(m_service->createInvitation(viewer)).items.at(0).state, State::Done);
    }

    void revokeInvitations()
    {
        QSignalSpy changed(m_service.get(), &HostAdminService::hostChanged);
        const Ended ended = await(m_service->revokeInvitations({seed().invitationId, 999}));
        const QList<RecordedRequest> deletes = requestsTo("DELETE");
        QCOMPARE(deletes.size(), 2);
        QCOMPARE(deletes.at(0).path, u"/api/auth/invitations/%1"_s.arg(seed().invitationId));
        QCOMPARE(ended.items.at(0).state, State::Done);
        QCOMPARE(ended.items.at(0).message, u"Invitation %1 revoked."_s.arg(seed().invitationId));
        QCOMPARE(ended.items.at(1).state, State::Failed);
        QCOMPARE(ended.items.at(1).message, u"Not found on the host: Invitation not found"_s);
        QVERIFY(m_host->invitations().isEmpty());
        QCOMPARE(changed.size(), 1);

        as(seed().operatorToken);
        const Ended forOperator = await(m_service->revokeInvitations({1}));
        QCOMPARE(forOperator.items.at(0).httpStatus, 403);
        QCOMPARE(forOperator.items.at(0).message, u"Permission denied by the host: Admin access required"_s);
    }

    void cancelStopsTheRest()
    {
        // The first PATCH never gets an answer: the run waits on it until cancelled.
        m_host->server().enqueue(FakeReply::hang(), "PATCH", u"/api/auth/users/3"_s);
        HostUserChanges suspend;
        suspend.active = false;
        HostAdminRun *run = m_service->updateUsers(
            {user(seed().userId, u"ulrich"_s), user(seed().viewerId, u"vera"_s), user(2, u"olivia"_s)},
            suspend);
        QPointer<HostAdminRun> guard(run);
        QSignalSpy finished(run, &HostAdminRun::finished);
        QSignalSpy items(run, &HostAdminRun::itemFinished);
        QTRY_COMPARE(m_host->server().count("PATCH", u"/api/auth/users/3"_s), 1);
        QCOMPARE(run->items().at(0).state, State::Sending);
        QList<State> states;
        connect(run, &HostAdminRun::finished, this, [&states, run]() {
            for (const HostAdminRun::Item &item : run->items())
                states << item.state;
        });
        run->cancel();
        QCOMPARE(finished.size(), 1); // at once
        QCOMPARE(items.size(), 3);
        QCOMPARE(states, (QList<State> {State::Unknown, State::NotSent, State::NotSent}));
        QTRY_VERIFY(guard.isNull());
        // Nothing after the cancel reaches the host.
        QCOMPARE(requestsTo("PATCH").size(), 1);
        QVERIFY(m_host->user(seed().viewerId)->active);
        QVERIFY(!m_service->isBusy());
    }

    void cancelAllStopsEveryRun()
    {
        // Two runs under way at once, each waiting on a request the host never answers.
        m_host->server().enqueue(FakeReply::hang(), "PATCH", u"/api/auth/users/3"_s);
        m_host->server().enqueue(FakeReply::hang(), "DELETE", u"/api/auth/invitations/1"_s);
        HostUserChanges suspend;
        suspend.active = false;
        HostAdminRun *users = m_service->updateUsers({user(seed().userId, u"ulrich"_s)}, suspend);
        HostAdminRun *invitations = m_service->revokeInvitations({1, 2});
        QSignalSpy usersEnded(users, &HostAdminRun::finished);
        QSignalSpy invitationsEnded(invitations, &HostAdminRun::finished);
        QList<State> revokeStates;
        connect(invitations, &HostAdminRun::finished, this, [&revokeStates, invitations]() {
            for (const HostAdminRun::Item &item : invitations->items())
                revokeStates << item.state;
        });
        QTRY_COMPARE(m_host->server().count("PATCH", u"/api/auth/users/3"_s), 1);
        QTRY_COMPARE(m_host->server().count("DELETE", u"/api/auth/invitations/1"_s), 1);
        QVERIFY(m_service->isBusy());
        m_service->cancelAll();
        QCOMPARE(usersEnded.size(), 1);
        QCOMPARE(invitationsEnded.size(), 1);
        QCOMPARE(revokeStates, (QList<State> {State::Unknown, State::NotSent}));
        QVERIFY(!m_service->isBusy());
        QCOMPARE(m_host->server().count("DELETE", u"/api/auth/invitations/2"_s), 0);
    }

    void withoutAHostEveryItemSaysWhy()
    {
        HostAdminService offline(nullptr);
        QSignalSpy changed(&offline, &HostAdminService::hostChanged);
        const Ended ended = await(offline.deleteUsers({user(3, u"ulrich"_s), user(4, u"vera"_s)}));
        QCOMPARE(ended.items.size(), 2);
        for (const HostAdminRun::Item &item : ended.items) {
            QCOMPARE(item.state, State::Failed);
            QVERIFY2(item.message.startsWith(u"Not connected to a host"_s), qPrintable(item.message));
        }
        QCOMPARE(changed.size(), 0);
        QCOMPARE(offline.registrationLink(u"abc"_s), QString());
    }

    void anUnreachableHostFailsEachItem()
    {
        HostClientOptions options;
        options.timeout = std::chrono::milliseconds(500);
        m_client->setOptions(options);
        m_host->server().enqueue(FakeReply::closeWithoutAnswer(), "DELETE", {}, 4);
        const Ended ended = await(m_service->revokeInvitations({1}));
        QCOMPARE(ended.items.at(0).state, State::Failed);
        QCOMPARE(ended.items.at(0).code, std::optional<Error::Code>(Error::Code::Io));
        QVERIFY2(!ended.items.at(0).message.isEmpty(), "no message");
        QCOMPARE(m_host->invitations().size(), 1);
    }
};

RK_TEST_GUILESS_MAIN(TestHostAdminService)
#include "TestHostAdminService.moc"
