// Groups, memberships, invitations and settings.

#include "StoreTestSupport.h"

#include <QRegularExpression>

using namespace rk;
using namespace rktest;

class TestPlatformStoreGroups : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FreshStore m_fresh;
    int m_counter = 0;
    qint64 m_bob = 0;

    PlatformStore &store() { return *m_fresh.store; }
    const Actor &admin() const { return m_fresh.admin; }
    SqliteDatabase &db() { return store().database(); }

    qint64 insertInvitation(const QString &expiresAt, int maxUsage, int usageCount)
    {
        auto stmt = db().prepare(
            QStringLiteral("INSERT INTO invitations (token, role, group_id, max_usage, usage_count, "
                           "expires_at, created_by_id, created_at) VALUES (?1, 'user', NULL, ?2, ?3, ?4, "
                           "NULL, '2026-01-01 00:00:00')"));
        if (!stmt)
            return 0;
        stmt->bind(1, tokens::randomHex64()).bind(2, maxUsage).bind(3, usageCount).bind(4, expiresAt);
        if (!stmt->run())
            return 0;
        return db().lastInsertRowId();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<rk::StoreTable>();
    }

    void init()
    {
        m_fresh = makeFreshStore(m_dir, QStringLiteral("groups-%1.db").arg(++m_counter));
        QVERIFY(m_fresh.store);
        m_bob = store()
                    .createUser(admin(), NewUser {QStringLiteral("bob"), {}, QStringLiteral("user"), true},
                        quickHash(QStringLiteral("password123")))
                    .value();
    }

    void cleanup() { m_fresh = FreshStore(); }

    void groupLifecycle()
    {
        auto gpu
            = store().createGroup(admin(), QStringLiteral("gpu"), 1, QStringLiteral(R"({"max_vps": 2})"));
        QVERIFY2(gpu.ok(), gpu.ok() ? "" : qPrintable(gpu.error().message));
        auto dup = store().createGroup(admin(), QStringLiteral("gpu"));
        QCOMPARE(dup.error().code, Error::Code::Conflict);
        QVERIFY(dup.error().message.contains(QStringLiteral("gpu")));
        QCOMPARE(store().createGroup(admin(), QString()).error().code, Error::Code::Invalid);
        QCOMPARE(
            store().createGroup(admin(), QString(101, QLatin1Char('g'))).error().code, Error::Code::Invalid);
        QCOMPARE(store().createGroup(admin(), QStringLiteral("x"), 0, QStringLiteral("{nope")).error().code,
            Error::Code::Invalid);
        QCOMPARE(store().createGroup(admin(), QStringLiteral("x"), 0, QStringLiteral("[1,2]")).error().code,
            Error::Code::Invalid);
        auto cpu = store().createGroup(admin(), QStringLiteral("cpu"));
        QVERIFY(cpu.ok());
        QCOMPARE(
            scalarOf(db(), QStringLiteral("SELECT limits_json FROM groups WHERE id = %1").arg(cpu.value()))
                .toString(),
            QStringLiteral("{}"));

        auto list = store().listGroups(admin());
        QVERIFY(list.ok());
        QCOMPARE(list->size(), size_t(2));
        QCOMPARE(list->front().name, QStringLiteral("cpu"));
        QCOMPARE(list->back().tier, 1);
        QCOMPARE(list->back().limitsJson, QStringLiteral(R"({"max_vps": 2})"));

        // rename
        QCOMPARE(store().renameGroup(admin(), gpu.value(), QStringLiteral("cpu")).error().code,
            Error::Code::Conflict);
        QCOMPARE(store().renameGroup(admin(), 999, QStringLiteral("z")).error().code, Error::Code::NotFound);
        QVERIFY(store().renameGroup(admin(), gpu.value(), QStringLiteral("accelerators")).ok());
        QCOMPARE(store().listAudit(admin(), 1)->front().action, QStringLiteral("group.rename"));
        QCOMPARE(store().listAudit(admin(), 1)->front().before, QStringLiteral(R"({"name":"gpu"})"));

        // limits
        QVERIFY(store()
                    .setGroupLimits(
                        admin(), gpu.value(), QStringLiteral("{\n  \"gpu_cap\": 4,\n  \"max_tasks\": 10\n}"))
                    .ok());
        QCOMPARE(
            scalarOf(db(), QStringLiteral("SELECT limits_json FROM groups WHERE id = %1").arg(gpu.value()))
                .toString(),
            QStringLiteral(R"({"gpu_cap": 4, "max_tasks": 10})"));
        auto limitsAudit = store().listAudit(admin(), 1)->front();
        QCOMPARE(limitsAudit.action, QStringLiteral("group.limits"));
        QCOMPARE(limitsAudit.before, QStringLiteral(R"({"limits":{"max_vps":2}})"));
        QCOMPARE(limitsAudit.after, QStringLiteral(R"({"limits":{"gpu_cap":4,"max_tasks":10}})"));
        QCOMPARE(store().setGroupLimits(admin(), gpu.value(), QStringLiteral("\"text\"")).error().code,
            Error::Code::Invalid);
        QCOMPARE(store().setGroupLimits(admin(), gpu.value(), QString()).error().code, Error::Code::Invalid);
        QCOMPARE(
            store().setGroupLimits(admin(), 999, QStringLiteral("{}")).error().code, Error::Code::NotFound);

        QCOMPARE(store().listGroups(actorFor(m_bob, QStringLiteral("bob"), Role::Operator)).error().code,
            Error::Code::Refused);
    }

    void memberships()
    {
        const qint64 g = store().createGroup(admin(), QStringLiteral("team")).value();
        QVERIFY(store().addGroupMember(admin(), g, m_bob, QStringLiteral("operator")).ok());
        QVERIFY(store().addGroupMember(admin(), g, admin().userId).ok());
        auto dup = store().addGroupMember(admin(), g, m_bob);
        QCOMPARE(dup.error().code, Error::Code::Conflict);
        QCOMPARE(store().addGroupMember(admin(), g, 999).error().code, Error::Code::NotFound);
        QCOMPARE(store().addGroupMember(admin(), 999, m_bob).error().code, Error::Code::NotFound);
        QCOMPARE(store().addGroupMember(admin(), g, m_bob, QStringLiteral("wizard")).error().code,
            Error::Code::Invalid);

        auto members = store().groupMembers(admin(), g);
        QVERIFY(members.ok());
        QCOMPARE(members->size(), size_t(2));
        QCOMPARE(members->front().username, QStringLiteral("bob"));
        QCOMPARE(members->front().roleOverride, QStringLiteral("operator"));
        QVERIFY(members->back().roleOverride.isNull());
        QVERIFY(!members->front().addedAt.isEmpty());
        QCOMPARE(store().listGroups(admin())->front().memberCount, 2);
        QCOMPARE(store().groupMembers(admin(), 999).error().code, Error::Code::NotFound);

        QVERIFY(store().removeGroupMember(admin(), g, m_bob).ok());
        QCOMPARE(store().removeGroupMember(admin(), g, m_bob).error().code, Error::Code::NotFound);
        QCOMPARE(store().listAudit(admin(), 1)->front().action, QStringLiteral("group.remove_member"));
        QCOMPARE(store().groupMembers(admin(), g)->size(), size_t(1));
    }

    void deleteGroupCleansUp()
    {
        const qint64 g = store().createGroup(admin(), QStringLiteral("doomed")).value();
        const qint64 keep = store().createGroup(admin(), QStringLiteral("keep")).value();
        QVERIFY(store().addGroupMember(admin(), g, m_bob).ok());
        QVERIFY(store().addGroupMember(admin(), keep, m_bob).ok());
        auto inv = store().createInvitation(admin(), NewInvitation {QStringLiteral("user"), g, 1, 24});
        QVERIFY(inv.ok());
        QCOMPARE(inv->groupName, QStringLiteral("doomed"));

        QVERIFY(store().deleteGroup(admin(), g).ok());
        QCOMPARE(
            scalarOf(db(), QStringLiteral("SELECT count(*) FROM groups WHERE id = %1").arg(g)).toLongLong(),
            qint64(0));
        QCOMPARE(scalarOf(db(), QStringLiteral("SELECT count(*) FROM user_groups WHERE group_id = %1").arg(g))
                     .toLongLong(),
            qint64(0));
        QCOMPARE(scalarOf(db(), QStringLiteral("SELECT count(*) FROM user_groups")).toLongLong(), qint64(1));
        QCOMPARE(scalarOf(db(),
                     QStringLiteral("SELECT typeof(group_id) FROM invitations WHERE id = %1").arg(inv->id))
                     .toString(),
            QStringLiteral("null"));
        QCOMPARE(store().deleteGroup(admin(), g).error().code, Error::Code::NotFound);
        QCOMPARE(store().listAudit(admin(), 1)->front().action, QStringLiteral("group.delete"));
    }

    void invitationRules()
    {
        const Actor op = actorFor(m_bob, QStringLiteral("bob"), Role::Operator);
        const Actor viewer = actorFor(m_bob, QStringLiteral("bob"), Role::Viewer);

        auto opAdmin
            = store().createInvitation(op, NewInvitation {QStringLiteral("admin"), std::nullopt, 1, 72});
        QCOMPARE(opAdmin.error().code, Error::Code::Refused);
        QVERIFY2(
            opAdmin.error().message.contains(QStringLiteral("Operators can only create viewer invitations")),
            qPrintable(opAdmin.error().message));
        QCOMPARE(store()
                     .createInvitation(op, NewInvitation {QStringLiteral("user"), std::nullopt, 1, 72})
                     .error()
                     .code,
            Error::Code::Refused);
        auto opViewer
            = store().createInvitation(op, NewInvitation {QStringLiteral("viewer"), std::nullopt, 1, 72});
        QVERIFY2(opViewer.ok(), opViewer.ok() ? "" : qPrintable(opViewer.error().message));
        QCOMPARE(opViewer->createdBy, QStringLiteral("bob"));

        auto viewerTry
            = store().createInvitation(viewer, NewInvitation {QStringLiteral("viewer"), std::nullopt, 1, 72});
        QCOMPARE(viewerTry.error().code, Error::Code::Refused);
        QVERIFY(viewerTry.error().message.contains(QStringLiteral("Operator")));

        // Operators may create but not list or revoke, as on the host.
        QCOMPARE(store().listInvitations(op).error().code, Error::Code::Refused);
        QCOMPARE(store().revokeInvitation(op, opViewer->id).error().code, Error::Code::Refused);

        QCOMPARE(store()
                     .createInvitation(admin(), NewInvitation {QStringLiteral("god"), std::nullopt, 1, 72})
                     .error()
                     .code,
            Error::Code::Invalid);
        QCOMPARE(store()
                     .createInvitation(admin(), NewInvitation {QStringLiteral("user"), std::nullopt, 0, 72})
                     .error()
                     .code,
            Error::Code::Invalid);
        QCOMPARE(store()
                     .createInvitation(admin(), NewInvitation {QStringLiteral("user"), std::nullopt, 1, 0})
                     .error()
                     .code,
            Error::Code::Invalid);
        QCOMPARE(store()
                     .createInvitation(admin(), NewInvitation {QStringLiteral("user"), std::nullopt, 1, 721})
                     .error()
                     .code,
            Error::Code::Invalid);
        auto noGroup = store().createInvitation(admin(), NewInvitation {QStringLiteral("user"), 999, 1, 72});
        QCOMPARE(noGroup.error().code, Error::Code::NotFound);
        QVERIFY(noGroup.error().message.contains(QStringLiteral("Group not found")));
        QVERIFY(store()
                    .createInvitation(admin(), NewInvitation {QStringLiteral("admin"), std::nullopt, 5, 720})
                    .ok());
    }

    void invitationListAndStates()
    {
        const qint64 valid = insertInvitation(hoursFromNow(5), 2, 1);
        const qint64 expired = insertInvitation(hoursFromNow(-1), 2, 0);
        const qint64 usedUp = insertInvitation(hoursFromNow(5), 2, 2);
        const qint64 both = insertInvitation(hoursFromNow(-1), 1, 1);
        auto created
            = store().createInvitation(admin(), NewInvitation {QStringLiteral("user"), std::nullopt, 3, 48});
        QVERIFY(created.ok());
        QCOMPARE(created->state, InvitationRecord::State::Valid);
        QVERIFY(created->link.isEmpty()); // no base URL yet
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(created->token).hasMatch());
        QCOMPARE(created->usageCount, 0);
        QCOMPARE(created->maxUsage, 3);

        QVERIFY(store()
                    .setSetting(admin(), QString::fromLatin1(PlatformStore::kBaseUrlKey),
                        QStringLiteral("https://river.example.org//"))
                    .ok());
        auto list = store().listInvitations(admin());
        QVERIFY(list.ok());
        QCOMPARE(list->size(), size_t(5));
        QCOMPARE(list->front().id, created->id); // newest first
        for (const InvitationRecord &r : list.value()) {
            QCOMPARE(r.link, QStringLiteral("https://river.example.org/register?token=") + r.token);
            if (r.id == valid)
                QCOMPARE(r.state, InvitationRecord::State::Valid);
            else if (r.id == expired)
                QCOMPARE(r.state, InvitationRecord::State::Expired);
            else if (r.id == usedUp)
                QCOMPARE(r.state, InvitationRecord::State::UsedUp);
            else if (r.id == both)
                QCOMPARE(r.state, InvitationRecord::State::Expired); // expired wins
        }

        QVERIFY(store().revokeInvitation(admin(), both).ok());
        QCOMPARE(scalarOf(db(), QStringLiteral("SELECT count(*) FROM invitations WHERE id = %1").arg(both))
                     .toLongLong(),
            qint64(0));
        QCOMPARE(store().revokeInvitation(admin(), both).error().code, Error::Code::NotFound);
        QCOMPARE(store().listAudit(admin(), 1)->front().action, QStringLiteral("invitation.revoke"));
    }

    void settings()
    {
        const QString key = QString::fromLatin1(PlatformStore::kBaseUrlKey);
        QCOMPARE(store().setting(key, QStringLiteral("none")), QStringLiteral("none"));
        QVERIFY(store().registrationLink(QStringLiteral("abc")).isEmpty());
        const Actor op = actorFor(m_bob, QStringLiteral("bob"), Role::Operator);
        QCOMPARE(
            store().setSetting(op, key, QStringLiteral("https://x.org")).error().code, Error::Code::Refused);
        QCOMPARE(
            store().setSetting(admin(), key, QStringLiteral("not a url")).error().code, Error::Code::Invalid);
        QCOMPARE(store().setSetting(admin(), key, QStringLiteral("ftp://x.org")).error().code,
            Error::Code::Invalid);
        QVERIFY(store().setSetting(admin(), key, QStringLiteral("http://10.0.0.5:8000/")).ok());
        QCOMPARE(store().setting(key), QStringLiteral("http://10.0.0.5:8000/"));
        QCOMPARE(store().registrationLink(QStringLiteral("abc")),
            QStringLiteral("http://10.0.0.5:8000/register?token=abc"));
        QVERIFY(store().setSetting(admin(), key, QStringLiteral("https://river.example.org")).ok());
        auto audit = store().listAudit(admin(), 1)->front();
        QCOMPARE(audit.action, QStringLiteral("setting.set"));
        QCOMPARE(audit.target, key);
        QCOMPARE(audit.before, QStringLiteral("{\"value\":\"http://10.0.0.5:8000/\"}"));
        QCOMPARE(audit.after, QStringLiteral("{\"value\":\"https://river.example.org\"}"));

        auto row
            = db().prepare(QStringLiteral("SELECT updated_at, updated_by FROM rk_settings WHERE key = ?1"));
        QVERIFY(row.ok());
        row->bind(1, key);
        QVERIFY(row->step().value());
        QVERIFY(hosttime::parse(row->text(0)).has_value());
        QCOMPARE(row->text(1), QStringLiteral("root"));

        // Clearing the base URL turns links off again.
        QVERIFY(store().setSetting(admin(), key, QString()).ok());
        QVERIFY(store().registrationLink(QStringLiteral("abc")).isEmpty());
    }
};

RK_TEST_GUILESS_MAIN(TestPlatformStoreGroups)
#include "TestPlatformStoreGroups.moc"
