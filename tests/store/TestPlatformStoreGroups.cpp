// Groups, memberships, invitations and settings.

#include "StoreTestSupport.h"

#include <QRegularExpression>
#include <QSignalSpy>

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

    qint64 auditCount()
    {
        return scalarOf(db(), QStringLiteral("SELECT count(*) FROM rk_audit")).toLongLong();
    }
    QString limitsOf(qint64 groupId)
    {
        return scalarOf(db(), QStringLiteral("SELECT limits_json FROM groups WHERE id = %1").arg(groupId))
            .toString();
    }
    QString overrideOf(qint64 groupId, qint64 userId)
    {
        return scalarOf(db(),
            QStringLiteral("SELECT coalesce(role_override, '<null>') FROM user_groups WHERE group_id = %1 "
                           "AND user_id = %2")
                .arg(groupId)
                .arg(userId))
            .toString();
    }
    qint64 addUser(const QString &name)
    {
        return store()
            .createUser(admin(), NewUser {name, {}, QStringLiteral("user"), true},
                quickHash(QStringLiteral("pw-12345678")))
            .value();
    }
    // Reopens the current file read-only (the read-write store is closed first).
    std::unique_ptr<PlatformStore> reopenReadOnly()
    {
        m_fresh.store.reset();
        auto ro = PlatformStore::open(m_fresh.path, PlatformStore::Access::ReadOnly);
        return ro ? std::move(ro).value() : nullptr;
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

    // --- one group, updateGroup(), quota checks -----------------------------------------------

    void groupAndGroupByName()
    {
        const qint64 g
            = store()
                  .createGroup(admin(), QStringLiteral("gpu-users"), 2, QStringLiteral(R"({"max_vps": 1})"))
                  .value();
        QVERIFY(store().addGroupMember(admin(), g, m_bob).ok());
        auto one = store().group(admin(), g);
        QVERIFY(one.ok());
        QCOMPARE(one->name, QStringLiteral("gpu-users"));
        QCOMPARE(one->tier, 2);
        QCOMPARE(one->memberCount, 1);
        QCOMPARE(one->limitsJson, QStringLiteral(R"({"max_vps": 1})"));
        QVERIFY(!one->createdAt.isEmpty());
        QCOMPARE(store().groupByName(admin(), QStringLiteral("gpu-users"))->id, g);
        // Names compare as the host's unique index does: exactly.
        QCOMPARE(
            store().groupByName(admin(), QStringLiteral("GPU-users")).error().code, Error::Code::NotFound);
        QCOMPARE(store().group(admin(), 999).error().code, Error::Code::NotFound);
        const Actor op = actorFor(m_bob, QStringLiteral("bob"), Role::Operator);
        QCOMPARE(store().group(op, g).error().code, Error::Code::Refused);
        QCOMPARE(store().groupByName(op, QStringLiteral("gpu-users")).error().code, Error::Code::Refused);
    }

    void quotaKeysAreChecked()
    {
        QCOMPARE(store().createGroup(admin(), QStringLiteral("neg"), -1).error().code, Error::Code::Invalid);
        for (const char *bad : {R"({"max_tasks": -1})", R"({"max_vps": 1.5})", R"({"gpu_cap": "4"})",
                 R"({"gpu_cap": true})", R"({"max_tasks": 2147483648})", R"({"max_vps": [1]})"}) {
            auto r = store().createGroup(admin(), QStringLiteral("bad"), 0, QString::fromLatin1(bad));
            QVERIFY2(!r.ok() && r.error().code == Error::Code::Invalid, bad);
        }
        // null means "no limit"; unknown keys may hold anything.
        auto ok = store().createGroup(admin(), QStringLiteral("ok"), 0,
            QStringLiteral(R"({"max_tasks": null, "gpu_cap": 0, "note": "-1", "max_tasks_soft": -5})"));
        QVERIFY2(ok.ok(), ok.ok() ? "" : qPrintable(ok.error().message));
        QCOMPARE(limitsOf(ok.value()),
            QStringLiteral(R"({"gpu_cap": 0, "max_tasks": null, "max_tasks_soft": -5, "note": "-1"})"));
        QCOMPARE(
            store().setGroupLimits(admin(), ok.value(), QStringLiteral(R"({"max_vps": -2})")).error().code,
            Error::Code::Invalid);
    }

    void updateGroupChangesEverythingInOneTransaction()
    {
        const qint64 g
            = store()
                  .createGroup(admin(), QStringLiteral("gpu"), 0,
                      QStringLiteral(R"({"max_tasks": 4, "policy": {"burst": [1, 2]}, "zeta": "\u00e9"})"))
                  .value();
        const qint64 other = store().createGroup(admin(), QStringLiteral("taken")).value();
        Q_UNUSED(other);
        const qint64 before = auditCount();
        QSignalSpy changed(m_fresh.store.get(), &PlatformStore::changed);

        GroupChanges all;
        all.name = QStringLiteral("accelerators");
        all.tier = 3;
        all.limitsJson = QStringLiteral(
            R"({"gpu_cap": 8, "max_tasks": 4, "policy": {"burst": [1, 2]}, "zeta": "\u00e9"})");
        QVERIFY(store().updateGroup(admin(), g, all).ok());
        auto rec = store().group(admin(), g).value();
        QCOMPARE(rec.name, QStringLiteral("accelerators"));
        QCOMPARE(rec.tier, 3);
        // Unknown keys kept; written as the host writes JSON (sorted keys here, ", " and ": ", ASCII).
        QCOMPARE(limitsOf(g),
            QStringLiteral(
                R"({"gpu_cap": 8, "max_tasks": 4, "policy": {"burst": [1, 2]}, "zeta": "\u00e9"})"));
        QCOMPARE(auditCount(), before + 3);
        auto audit = store().listAudit(admin(), 3).value();
        QCOMPARE(audit.at(0).action, QStringLiteral("group.limits"));
        QCOMPARE(audit.at(1).action, QStringLiteral("group.tier"));
        QCOMPARE(audit.at(1).before, QStringLiteral(R"({"tier":0})"));
        QCOMPARE(audit.at(1).after, QStringLiteral(R"({"tier":3})"));
        QCOMPARE(audit.at(1).target, QStringLiteral("accelerators"));
        QCOMPARE(audit.at(2).action, QStringLiteral("group.rename"));
        QVERIFY(!changed.isEmpty());

        // Nothing different: nothing written, no signal.
        changed.clear();
        QVERIFY(store().updateGroup(admin(), g, all).ok());
        QCOMPARE(auditCount(), before + 3);
        QVERIFY(changed.isEmpty());

        // All or nothing: a taken name fails the whole change (the tier stays).
        GroupChanges clash;
        clash.tier = 7;
        clash.name = QStringLiteral("taken");
        QCOMPARE(store().updateGroup(admin(), g, clash).error().code, Error::Code::Conflict);
        QCOMPARE(store().group(admin(), g)->tier, 3);
        QCOMPARE(auditCount(), before + 3);

        GroupChanges bad;
        bad.tier = -1;
        QCOMPARE(store().updateGroup(admin(), g, bad).error().code, Error::Code::Invalid);
        bad = {};
        bad.limitsJson = QStringLiteral("[]");
        QCOMPARE(store().updateGroup(admin(), g, bad).error().code, Error::Code::Invalid);
        bad = {};
        bad.name = QString(101, QLatin1Char('n'));
        QCOMPARE(store().updateGroup(admin(), g, bad).error().code, Error::Code::Invalid);
        QCOMPARE(store().updateGroup(admin(), 999, all).error().code, Error::Code::NotFound);
        const Actor op = actorFor(m_bob, QStringLiteral("bob"), Role::Operator);
        QCOMPARE(store().updateGroup(op, g, all).error().code, Error::Code::Refused);
        QCOMPARE(auditCount(), before + 3);
    }

    // --- role overrides and bulk removal ---------------------------------------------------------

    void roleOverridesAreStoredAndAudited()
    {
        const qint64 g = store().createGroup(admin(), QStringLiteral("team")).value();
        const qint64 carol = addUser(QStringLiteral("carol"));
        const qint64 dave = addUser(QStringLiteral("dave"));
        for (qint64 id : {m_bob, carol, dave})
            QVERIFY(store().addGroupMember(admin(), g, id).ok());
        const qint64 before = auditCount();

        QVERIFY(store().setMemberRoleOverride(admin(), g, m_bob, QStringLiteral("operator")).ok());
        QCOMPARE(overrideOf(g, m_bob), QStringLiteral("operator"));
        auto row = store().listAudit(admin(), 1)->front();
        QCOMPARE(row.action, QStringLiteral("group.role_override"));
        QCOMPARE(row.target, QStringLiteral("team"));
        QCOMPARE(
            row.before, QStringLiteral(R"({"role_override":null,"user_id":%1,"username":"bob"})").arg(m_bob));
        QCOMPARE(row.after,
            QStringLiteral(R"({"role_override":"operator","user_id":%1,"username":"bob"})").arg(m_bob));

        // Several at once; bob already has it: one row for carol only, duplicates once.
        auto n
            = store().setMemberRoleOverrides(admin(), g, {carol, m_bob, carol}, QStringLiteral("operator"));
        QVERIFY(n.ok());
        QCOMPARE(n.value(), 1);
        QCOMPARE(auditCount(), before + 2);

        // Clearing stores NULL.
        QCOMPARE(store().setMemberRoleOverrides(admin(), g, {m_bob, carol}, QString()).value(), 2);
        QCOMPARE(overrideOf(g, m_bob), QStringLiteral("<null>"));
        QCOMPARE(overrideOf(g, carol), QStringLiteral("<null>"));

        // All or nothing: root is not a member, so dave keeps no override either.
        auto partly
            = store().setMemberRoleOverrides(admin(), g, {dave, admin().userId}, QStringLiteral("admin"));
        QCOMPARE(partly.error().code, Error::Code::NotFound);
        QVERIFY2(partly.error().message.contains(QStringLiteral("1 of the 2")),
            qPrintable(partly.error().message));
        QCOMPARE(overrideOf(g, dave), QStringLiteral("<null>"));
        auto one = store().setMemberRoleOverride(admin(), g, admin().userId, QStringLiteral("admin"));
        QVERIFY2(one.error().message.contains(QStringLiteral("\u201croot\u201d")),
            qPrintable(one.error().message));

        QCOMPARE(store().setMemberRoleOverride(admin(), g, dave, QStringLiteral("anony")).error().code,
            Error::Code::Invalid);
        QCOMPARE(store().setMemberRoleOverrides(admin(), g, {}, QStringLiteral("user")).error().code,
            Error::Code::Invalid);
        QCOMPARE(store().setMemberRoleOverride(admin(), 999, dave, QStringLiteral("user")).error().code,
            Error::Code::NotFound);
        const Actor op = actorFor(m_bob, QStringLiteral("bob"), Role::Operator);
        QCOMPARE(store().setMemberRoleOverride(op, g, dave, QStringLiteral("user")).error().code,
            Error::Code::Refused);
        QCOMPARE(auditCount(), before + 4);

        auto ro = reopenReadOnly();
        QVERIFY(ro);
        const QByteArray digest = fileDigest(m_fresh.path);
        QCOMPARE(ro->setMemberRoleOverride(admin(), g, dave, QStringLiteral("user")).error().code,
            Error::Code::ReadOnly);
        ro.reset();
        QCOMPARE(fileDigest(m_fresh.path), digest);
    }

    void removeSeveralMembersAllOrNothing()
    {
        const qint64 g = store().createGroup(admin(), QStringLiteral("team")).value();
        const qint64 carol = addUser(QStringLiteral("carol"));
        const qint64 dave = addUser(QStringLiteral("dave"));
        for (qint64 id : {m_bob, carol, dave})
            QVERIFY(store().addGroupMember(admin(), g, id).ok());
        QVERIFY(store().setMemberRoleOverride(admin(), g, carol, QStringLiteral("viewer")).ok());
        const qint64 before = auditCount();
        QSignalSpy changed(m_fresh.store.get(), &PlatformStore::changed);

        // One id is not a member: nothing is removed.
        auto refused = store().removeGroupMembers(admin(), g, {m_bob, admin().userId});
        QCOMPARE(refused.error().code, Error::Code::NotFound);
        QCOMPARE(store().group(admin(), g)->memberCount, 3);
        QCOMPARE(auditCount(), before);
        QVERIFY(changed.isEmpty());

        auto removed = store().removeGroupMembers(admin(), g, {carol, m_bob, carol});
        QVERIFY(removed.ok());
        QCOMPARE(removed.value(), 2);
        QCOMPARE(store().group(admin(), g)->memberCount, 1);
        QCOMPARE(auditCount(), before + 2);
        auto audit = store().listAudit(admin(), 2).value();
        QCOMPARE(audit.at(0).action, QStringLiteral("group.remove_member"));
        QCOMPARE(audit.at(0).before,
            QStringLiteral(R"({"role_override":"viewer","user_id":%1,"username":"carol"})").arg(carol));
        QCOMPARE(audit.at(1).before,
            QStringLiteral(R"({"role_override":null,"user_id":%1,"username":"bob"})").arg(m_bob));
        const bool membershipsChanged
            = std::any_of(changed.cbegin(), changed.cend(), [](const QList<QVariant> &args) {
                  return args.at(0).value<StoreTable>() == StoreTable::Memberships;
              });
        QVERIFY(membershipsChanged);

        QCOMPARE(store().removeGroupMembers(admin(), g, {}).error().code, Error::Code::Invalid);
        QCOMPARE(store().removeGroupMembers(admin(), 999, {dave}).error().code, Error::Code::NotFound);
        const Actor op = actorFor(m_bob, QStringLiteral("bob"), Role::Operator);
        QCOMPARE(store().removeGroupMembers(op, g, {dave}).error().code, Error::Code::Refused);

        // A member whose account was deleted behind the store's back can still be removed.
        QVERIFY(execOk(db(), QStringLiteral("DELETE FROM users WHERE id = %1").arg(dave)));
        QCOMPARE(store().removeGroupMembers(admin(), g, {dave}).value(), 1);
        QCOMPARE(store().listAudit(admin(), 1)->front().before,
            QStringLiteral(R"({"role_override":null,"user_id":%1,"username":""})").arg(dave));

        const qint64 g2 = store().createGroup(admin(), QStringLiteral("second")).value();
        QVERIFY(store().addGroupMember(admin(), g2, m_bob).ok());
        auto ro = reopenReadOnly();
        QVERIFY(ro);
        QCOMPARE(ro->removeGroupMembers(admin(), g2, {m_bob}).error().code, Error::Code::ReadOnly);
    }

    // Removing members in bulk takes the VPS rows they had only through the group with them
    // (the membership hook of PlatformStoreVps.cpp), in the same transaction.
    void removingMembersEndsTheirGroupVps()
    {
        constexpr qint64 kVps = 7300000000000000001;
        QVERIFY(insertHostTask(db(), kVps, admin().userId, QStringLiteral("vps")));
        const qint64 g = store().createGroup(admin(), QStringLiteral("vps-users")).value();
        const qint64 carol = addUser(QStringLiteral("carol"));
        QVERIFY(store().addGroupMember(admin(), g, m_bob).ok());
        QVERIFY(store().addGroupMember(admin(), g, carol).ok());
        auto assigned = store().assignVpsGroup(admin(), kVps, g);
        QVERIFY2(assigned.ok(), assigned.ok() ? "" : qPrintable(assigned.error().message));
        QVERIFY(store().assignVpsUsers(admin(), kVps, {carol}).ok()); // carol also directly
        const auto rows = [this]() {
            return scalarOf(db(),
                QStringLiteral("SELECT group_concat(user_id) FROM (SELECT user_id FROM "
                               "vps_assignments WHERE vps_task_id = %1 ORDER BY user_id)")
                    .arg(kVps))
                .toString();
        };
        QCOMPARE(rows(), QStringLiteral("%1,%2").arg(m_bob).arg(carol));
        QCOMPARE(store().removeGroupMembers(admin(), g, {m_bob, carol}).value(), 2);
        QCOMPARE(rows(), QString::number(carol)); // bob's came only from the group
    }
};

RK_TEST_GUILESS_MAIN(TestPlatformStoreGroups)
#include "TestPlatformStoreGroups.moc"
