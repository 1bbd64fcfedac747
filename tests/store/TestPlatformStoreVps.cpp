// VPS assignments of users and whole groups, their provenance (rk_vps_ tables), the rk_ schema
// upgrade that adds those tables, and bulk invitation revocation.

#include "StoreTestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>

using namespace rk;
using namespace rktest;

namespace {

// Snowflakes above 2^53: a double would round them (7391245671234567891 -> ...892 or ...888).
constexpr qint64 kVpsA = 7391245671234567891LL;
constexpr qint64 kVpsB = 7391245671234567893LL;
constexpr qint64 kCommandTask = 7391245671234567895LL;

QJsonObject jsonOf(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QList<qint64> idsIn(const QJsonArray &array)
{
    QList<qint64> ids;
    for (const QJsonValue &v : array)
        ids << (v.isObject() ? v.toObject().value(QStringLiteral("id")).toInteger() : v.toInteger());
    return ids;
}

} // namespace

class TestPlatformStoreVps : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FreshStore m_fresh;
    int m_counter = 0;
    qint64 m_alice = 0, m_bob = 0, m_carol = 0, m_dave = 0;
    qint64 m_ml = 0, m_ops = 0;

    PlatformStore &store() { return *m_fresh.store; }
    const Actor &admin() const { return m_fresh.admin; }
    SqliteDatabase &db() { return store().database(); }
    Actor operatorActor() const { return actorFor(m_carol, QStringLiteral("carol"), Role::Operator); }

    qint64 addUser(const QString &name, const QString &role = QStringLiteral("user"))
    {
        auto id = store().createUser(
            admin(), NewUser {name, {}, role, true}, quickHash(QStringLiteral("password-") + name));
        return id ? id.value() : -1;
    }

    qint64 auditCount()
    {
        return scalarOf(db(), QStringLiteral("SELECT count(*) FROM rk_audit")).toLongLong();
    }

    AuditEntry lastAudit() { return store().listAudit(admin(), 1)->front(); }
    // The actions of the newest `n` audit rows.
    QStringList recentActions(int n)
    {
        QStringList actions;
        const auto audit = store().listAudit(admin(), n);
        for (const AuditEntry &e : audit.value())
            actions << e.action;
        return actions;
    }

    // user id -> (direct, via group ids), from the store's own reading.
    QMap<qint64, QPair<bool, QList<qint64>>> assignmentsOf(qint64 taskId)
    {
        QMap<qint64, QPair<bool, QList<qint64>>> map;
        auto listed = store().vpsAssignments(admin(), taskId);
        if (!listed) {
            qWarning("vpsAssignments: %s", qPrintable(listed.error().message));
            return map;
        }
        for (const VpsAssignment &a : listed->users)
            map.insert(a.userId, {a.direct, a.viaGroupIds});
        return map;
    }

    QList<qint64> assignedIds(qint64 taskId)
    {
        QList<qint64> ids;
        auto stmt = db().prepare(
            QStringLiteral("SELECT user_id FROM vps_assignments WHERE vps_task_id = ?1 ORDER BY user_id"));
        stmt->bind(1, taskId);
        while (stmt->step().value())
            ids << stmt->int64(0);
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<rk::StoreTable>();
    }

    void init()
    {
        m_fresh = makeFreshStore(m_dir, QStringLiteral("vps-%1.db").arg(++m_counter));
        QVERIFY(m_fresh.store);
        m_alice = addUser(QStringLiteral("alice"));
        m_bob = addUser(QStringLiteral("bob"));
        m_carol = addUser(QStringLiteral("carol"), QStringLiteral("operator"));
        m_dave = addUser(QStringLiteral("dave"));
        m_ml = store().createGroup(admin(), QStringLiteral("ml")).value();
        m_ops = store().createGroup(admin(), QStringLiteral("ops")).value();
        QVERIFY(store().addGroupMember(admin(), m_ml, m_alice).ok());
        QVERIFY(store().addGroupMember(admin(), m_ml, m_bob).ok());
        QVERIFY(store().addGroupMember(admin(), m_ops, m_bob).ok());
        QVERIFY(store().addGroupMember(admin(), m_ops, m_carol).ok());
        QVERIFY(insertHostTask(db(), kVpsA, m_alice, QStringLiteral("vps")));
        QVERIFY(insertHostTask(db(), kVpsB, m_bob, QStringLiteral("vps")));
        QVERIFY(insertHostTask(db(), kCommandTask, m_bob, QStringLiteral("command")));
        QVERIFY(execOk(db(),
            QStringLiteral("UPDATE tasks SET name = 'dev-box', status = 'running', "
                           "assigned_node = 'gpu-01' WHERE task_id = %1")
                .arg(kVpsA)));
    }

    void cleanup() { m_fresh = FreshStore(); }

    void listsVpsWithExactIds()
    {
        QVERIFY(store().tracksVpsGroups());
        auto list = store().listVps(actorFor(m_dave, QStringLiteral("dave"), Role::Viewer));
        QVERIFY2(list.ok(), list.ok() ? "" : qPrintable(list.error().message));
        QCOMPARE(list->size(), size_t(2)); // the command task is not a VPS
        QList<qint64> ids;
        for (const VpsRecord &v : list.value())
            ids << v.taskId;
        QVERIFY(ids.contains(kVpsA));
        QVERIFY(ids.contains(kVpsB));
        auto one = store().vps(admin(), kVpsA);
        QVERIFY(one.ok());
        QCOMPARE(one->taskId, kVpsA);
        QCOMPARE(one->name, QStringLiteral("dev-box"));
        QCOMPARE(one->owner, QStringLiteral("alice"));
        QCOMPARE(one->node, QStringLiteral("gpu-01"));
        QCOMPARE(store().vps(admin(), kCommandTask).error().code, Error::Code::NotFound);
        // Anonymous may not list; assignments need an operator, as on the host.
        QCOMPARE(store().listVps(actorFor(-1, QStringLiteral("x"), Role::Anony)).error().code,
            Error::Code::Refused);
        QCOMPARE(
            store().vpsAssignments(actorFor(m_dave, QStringLiteral("dave"), Role::User), kVpsA).error().code,
            Error::Code::Refused);
        QVERIFY(store().vpsAssignments(operatorActor(), kVpsA).ok());
    }

    void assignUsersDirectly()
    {
        QSignalSpy changed(&store(), &PlatformStore::changed);
        const qint64 before = auditCount();
        auto done = store().assignVpsUsers(operatorActor(), kVpsA, {m_dave, m_alice, m_dave});
        QVERIFY2(done.ok(), done.ok() ? "" : qPrintable(done.error().message));
        QCOMPARE(done->added, (QList<qint64> {m_alice, m_dave}));
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_alice, m_dave}));
        QVERIFY(changed.contains(QVariantList {QVariant::fromValue(StoreTable::VpsAssignments)}));
        // One audit row for the call, naming the exact task id as text.
        QCOMPARE(auditCount(), before + 1);
        const AuditEntry audit = lastAudit();
        QCOMPARE(audit.action, QStringLiteral("vps.assign"));
        QCOMPARE(audit.actor, QStringLiteral("carol"));
        QCOMPARE(audit.targetType, QStringLiteral("vps"));
        QCOMPARE(audit.target, QStringLiteral("dev-box (7391245671234567891)"));
        const QJsonObject after = jsonOf(audit.after);
        QCOMPARE(after.value(QStringLiteral("task_id")).toString(), QStringLiteral("7391245671234567891"));
        QCOMPARE(
            idsIn(after.value(QStringLiteral("users_added")).toArray()), (QList<qint64> {m_alice, m_dave}));

        // Again: nothing to do, nothing written.
        auto again = store().assignVpsUsers(operatorActor(), kVpsA, {m_alice});
        QVERIFY(again.ok());
        QCOMPARE(again->unchanged, (QList<qint64> {m_alice}));
        QCOMPARE(auditCount(), before + 1);

        const auto map = assignmentsOf(kVpsA);
        QCOMPARE(map.value(m_alice).first, true);
        QVERIFY(map.value(m_alice).second.isEmpty());
    }

    void assignRefusals()
    {
        const qint64 before = auditCount();
        // A missing user fails the whole call, as on the host.
        QCOMPARE(store().assignVpsUsers(admin(), kVpsA, {m_alice, 999}).error().code, Error::Code::NotFound);
        QVERIFY(assignedIds(kVpsA).isEmpty());
        QCOMPARE(
            store().assignVpsUsers(admin(), kCommandTask, {m_alice}).error().code, Error::Code::NotFound);
        QCOMPARE(store().assignVpsUsers(admin(), 42, {m_alice}).error().code, Error::Code::NotFound);
        QCOMPARE(store().assignVpsUsers(admin(), kVpsA, {}).error().code, Error::Code::Invalid);
        // ManageVps is operator+.
        const Actor user = actorFor(m_dave, QStringLiteral("dave"), Role::User);
        QCOMPARE(store().assignVpsUsers(user, kVpsA, {m_alice}).error().code, Error::Code::Refused);
        QCOMPARE(store().assignVpsGroup(user, kVpsA, m_ml).error().code, Error::Code::Refused);
        QCOMPARE(store().unassignVpsGroup(user, kVpsA, m_ml).error().code, Error::Code::Refused);
        QCOMPARE(store().unassignVpsUsers(user, kVpsA, {m_alice}).error().code, Error::Code::Refused);
        QCOMPARE(auditCount(), before);
    }

    void assignGroupGivesMembersRowsWithProvenance()
    {
        QVERIFY(store().assignVpsUsers(admin(), kVpsA, {m_alice}).ok());
        const qint64 before = auditCount();
        auto done = store().assignVpsGroup(operatorActor(), kVpsA, m_ml);
        QVERIFY2(done.ok(), done.ok() ? "" : qPrintable(done.error().message));
        QCOMPARE(done->added, (QList<qint64> {m_bob}));
        QCOMPARE(done->unchanged, (QList<qint64> {m_alice}));
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_alice, m_bob}));

        QCOMPARE(auditCount(), before + 1);
        const AuditEntry audit = lastAudit();
        QCOMPARE(audit.action, QStringLiteral("vps.assign_group"));
        const QJsonObject after = jsonOf(audit.after);
        QCOMPARE(after.value(QStringLiteral("group")).toString(), QStringLiteral("ml"));
        QCOMPARE(after.value(QStringLiteral("task_id")).toString(), QString::number(kVpsA));
        QCOMPARE(idsIn(after.value(QStringLiteral("users_added")).toArray()), (QList<qint64> {m_bob}));

        auto listed = store().vpsAssignments(admin(), kVpsA);
        QVERIFY(listed.ok());
        QCOMPARE(listed->groups.size(), size_t(1));
        QCOMPARE(listed->groups.front().groupName, QStringLiteral("ml"));
        QCOMPARE(listed->groups.front().members, 2);
        QCOMPARE(listed->groups.front().assignedBy, QStringLiteral("carol"));
        const auto map = assignmentsOf(kVpsA);
        QCOMPARE(map.value(m_alice), qMakePair(true, QList<qint64> {m_ml})); // both
        QCOMPARE(map.value(m_bob), qMakePair(false, QList<qint64> {m_ml})); // via group only
        for (const VpsAssignment &a : listed->users) {
            if (a.userId == m_bob)
                QCOMPARE(a.viaGroups, QStringList {QStringLiteral("ml")});
        }

        auto vps = store().vps(admin(), kVpsA);
        QCOMPARE(vps->assignees, 2);
        QCOMPARE(vps->viaGroup, 2); // alice's row came from ml too

        // Twice: a conflict, nothing written.
        QCOMPARE(store().assignVpsGroup(admin(), kVpsA, m_ml).error().code, Error::Code::Conflict);
        QCOMPARE(store().assignVpsGroup(admin(), kVpsA, 999).error().code, Error::Code::NotFound);
        QCOMPARE(auditCount(), before + 1);
    }

    void unassignGroupKeepsDirectlyAssignedUsers()
    {
        QVERIFY(store().assignVpsUsers(admin(), kVpsA, {m_alice}).ok());
        QVERIFY(store().assignVpsGroup(admin(), kVpsA, m_ml).ok());
        const qint64 before = auditCount();
        auto done = store().unassignVpsGroup(operatorActor(), kVpsA, m_ml);
        QVERIFY2(done.ok(), done.ok() ? "" : qPrintable(done.error().message));
        QCOMPARE(done->removed, (QList<qint64> {m_bob}));
        QCOMPARE(done->unchanged, (QList<qint64> {m_alice}));
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_alice}));
        QCOMPARE(assignmentsOf(kVpsA).value(m_alice), qMakePair(true, QList<qint64> {}));
        QVERIFY(store().vpsAssignments(admin(), kVpsA)->groups.empty());
        QCOMPARE(auditCount(), before + 1);
        const AuditEntry audit = lastAudit();
        QCOMPARE(audit.action, QStringLiteral("vps.unassign_group"));
        QCOMPARE(jsonOf(audit.before).value(QStringLiteral("group")).toString(), QStringLiteral("ml"));
        QCOMPARE(idsIn(jsonOf(audit.after).value(QStringLiteral("removed_user_ids")).toArray()),
            (QList<qint64> {m_bob}));
        QCOMPARE(idsIn(jsonOf(audit.after).value(QStringLiteral("kept_user_ids")).toArray()),
            (QList<qint64> {m_alice}));
        // No longer assigned: NotFound.
        QCOMPARE(store().unassignVpsGroup(admin(), kVpsA, m_ml).error().code, Error::Code::NotFound);
    }

    void aRowHeldByTwoGroupsStaysUntilBothGo()
    {
        QVERIFY(store().assignVpsGroup(admin(), kVpsA, m_ml).ok()); // alice, bob
        QVERIFY(store().assignVpsGroup(admin(), kVpsA, m_ops).ok()); // bob, carol
        QCOMPARE(assignmentsOf(kVpsA).value(m_bob).second, (QList<qint64> {m_ml, m_ops}));
        QCOMPARE(store().vps(admin(), kVpsA)->assignees, 3);
        auto first = store().unassignVpsGroup(admin(), kVpsA, m_ml);
        QCOMPARE(first->removed, (QList<qint64> {m_alice}));
        QCOMPARE(first->unchanged, (QList<qint64> {m_bob}));
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_bob, m_carol}));
        QCOMPARE(store().unassignVpsGroup(admin(), kVpsA, m_ops)->removed, (QList<qint64> {m_bob, m_carol}));
        QVERIFY(assignedIds(kVpsA).isEmpty());
    }

    void unassignUserRespectsGroupSources()
    {
        QVERIFY(store().assignVpsUsers(admin(), kVpsA, {m_alice, m_dave}).ok());
        QVERIFY(store().assignVpsGroup(admin(), kVpsA, m_ml).ok()); // alice (also direct), bob
        const qint64 before = auditCount();
        auto done = store().unassignVpsUsers(operatorActor(), kVpsA, {m_alice, m_bob, m_dave, m_carol});
        QVERIFY2(done.ok(), done.ok() ? "" : qPrintable(done.error().message));
        QCOMPARE(done->removed, (QList<qint64> {m_dave})); // direct only: gone
        QCOMPARE(done->keptViaGroup, (QList<qint64> {m_alice})); // direct part gone, ml holds it
        QCOMPARE(done->onlyViaGroup, (QList<qint64> {m_bob})); // nothing of bob's is direct
        QCOMPARE(done->unchanged, (QList<qint64> {m_carol})); // not assigned at all
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_alice, m_bob}));
        QCOMPARE(assignmentsOf(kVpsA).value(m_alice), qMakePair(false, QList<qint64> {m_ml}));
        QCOMPARE(auditCount(), before + 1);
        const AuditEntry audit = lastAudit();
        QCOMPARE(audit.action, QStringLiteral("vps.unassign"));
        QCOMPARE(idsIn(jsonOf(audit.before).value(QStringLiteral("users_removed")).toArray()),
            (QList<qint64> {m_dave}));

        // Only group-held rows selected: nothing changes, nothing is audited.
        auto none = store().unassignVpsUsers(admin(), kVpsA, {m_bob});
        QVERIFY(none.ok());
        QCOMPARE(none->onlyViaGroup, (QList<qint64> {m_bob}));
        QCOMPARE(auditCount(), before + 1);
        // Unassigning the group now removes alice as well (her direct part is gone).
        QCOMPARE(store().unassignVpsGroup(admin(), kVpsA, m_ml)->removed, (QList<qint64> {m_alice, m_bob}));
    }

    void directAssignmentOfAGroupMemberIsKeptSeparately()
    {
        QVERIFY(store().assignVpsGroup(admin(), kVpsA, m_ml).ok());
        auto made = store().assignVpsUsers(admin(), kVpsA, {m_bob});
        QCOMPARE(made->madeDirect, (QList<qint64> {m_bob}));
        QCOMPARE(assignmentsOf(kVpsA).value(m_bob), qMakePair(true, QList<qint64> {m_ml}));
        QCOMPARE(store().unassignVpsGroup(admin(), kVpsA, m_ml)->removed, (QList<qint64> {m_alice}));
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_bob}));
    }

    void rowsWrittenByTheHostCountAsDirect()
    {
        // The host's POST /api/vps/{id}/assign writes a bare row.
        QVERIFY(execOk(db(),
            QStringLiteral("INSERT INTO vps_assignments (vps_task_id, user_id, created_at) "
                           "VALUES (%1, %2, '2026-11-22 02:40:00.5')")
                .arg(kVpsA)
                .arg(m_alice)));
        QCOMPARE(assignmentsOf(kVpsA).value(m_alice), qMakePair(true, QList<qint64> {}));
        QCOMPARE(store().assignVpsUsers(admin(), kVpsA, {m_alice})->unchanged, (QList<qint64> {m_alice}));
        QVERIFY(store().assignVpsGroup(admin(), kVpsA, m_ml).ok());
        QCOMPARE(assignmentsOf(kVpsA).value(m_alice), qMakePair(true, QList<qint64> {m_ml}));
        // Unassigning the group keeps the host's own assignment.
        QCOMPARE(store().unassignVpsGroup(admin(), kVpsA, m_ml)->unchanged, (QList<qint64> {m_alice}));
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_alice}));
        // And the host unassigning a group-held row leaves no stale provenance behind.
        QVERIFY(store().assignVpsGroup(admin(), kVpsA, m_ml).ok());
        QVERIFY(execOk(db(),
            QStringLiteral("DELETE FROM vps_assignments WHERE vps_task_id = %1 AND user_id = %2")
                .arg(kVpsA)
                .arg(m_bob)));
        QVERIFY(store().assignVpsUsers(admin(), kVpsA, {m_bob}).ok());
        QCOMPARE(assignmentsOf(kVpsA).value(m_bob), qMakePair(true, QList<qint64> {}));
    }

    void deletingAUserClearsTheirProvenance()
    {
        QVERIFY(store().assignVpsGroup(admin(), kVpsA, m_ml).ok());
        QVERIFY(store().assignVpsUsers(admin(), kVpsB, {m_bob}).ok());
        auto impact = store().deletionImpact(admin(), m_bob);
        QCOMPARE(impact->vpsAssignments, 2);
        QVERIFY(store().deleteUser(admin(), m_bob).ok());
        QCOMPARE(scalarOf(db(),
                     QStringLiteral("SELECT count(*) FROM vps_assignments WHERE user_id = %1").arg(m_bob))
                     .toLongLong(),
            qint64(0));
        QCOMPARE(scalarOf(db(),
                     QStringLiteral("SELECT count(*) FROM rk_vps_assignment_sources WHERE user_id = %1")
                         .arg(m_bob))
                     .toLongLong(),
            qint64(0));
    }

    void readOnlyRefusesAndWritesNothing()
    {
        QVERIFY(store().assignVpsGroup(admin(), kVpsA, m_ml).ok());
        const QString path = m_fresh.path;
        m_fresh.store.reset();
        const QByteArray before = fileDigest(path);
        auto ro = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
        QVERIFY(ro.ok());
        PlatformStore &s = *ro.value();
        QCOMPARE(s.assignVpsUsers(admin(), kVpsA, {m_dave}).error().code, Error::Code::ReadOnly);
        QCOMPARE(s.assignVpsGroup(admin(), kVpsA, m_ops).error().code, Error::Code::ReadOnly);
        QCOMPARE(s.unassignVpsGroup(admin(), kVpsA, m_ml).error().code, Error::Code::ReadOnly);
        QCOMPARE(s.unassignVpsUsers(admin(), kVpsA, {m_bob}).error().code, Error::Code::ReadOnly);
        QCOMPARE(s.vpsAssignments(admin(), kVpsA)->users.size(), size_t(2));
        ro.value().reset();
        QCOMPARE(fileDigest(path), before);
    }

    // Needs the membership hooks wired into PlatformStoreGroups.cpp and PlatformStoreChecks.cpp
    // (addGroupMember/insertMembership, removeGroupMember/deleteMembership, deleteGroup).
    void membershipChangesFollowGroupAssignments()
    {
        QVERIFY(store().assignVpsUsers(admin(), kVpsA, {m_alice}).ok());
        QVERIFY(store().assignVpsGroup(admin(), kVpsA, m_ml).ok()); // alice (also direct), bob
        // dave joins ml: he gets the VPS, from the group.
        QVERIFY(store().addGroupMember(admin(), m_ml, m_dave).ok());
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_alice, m_bob, m_dave}));
        QCOMPARE(assignmentsOf(kVpsA).value(m_dave), qMakePair(false, QList<qint64> {m_ml}));
        QVERIFY(recentActions(2).contains(QStringLiteral("vps.group_join")));
        // bob leaves: his row came only from ml, so it goes; alice leaves: hers is also direct.
        QVERIFY(store().removeGroupMember(admin(), m_ml, m_bob).ok());
        QVERIFY(recentActions(2).contains(QStringLiteral("vps.group_leave")));
        QVERIFY(store().removeGroupMember(admin(), m_ml, m_alice).ok());
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_alice, m_dave}));
        QCOMPARE(assignmentsOf(kVpsA).value(m_alice), qMakePair(true, QList<qint64> {}));
        // The bulk path and the edit path too.
        QVERIFY(store().addUsersToGroup(admin(), m_ml, {m_bob, m_carol}).ok());
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_alice, m_bob, m_carol, m_dave}));
        UserEdit edit;
        edit.groupIds = QList<qint64> {m_ops};
        QVERIFY(store().editUser(admin(), m_carol, edit).ok()); // carol leaves ml, stays in ops
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_alice, m_bob, m_dave}));
        // Deleting the group unassigns it: only alice (direct) keeps the VPS.
        QVERIFY(store().deleteGroup(admin(), m_ml).ok());
        QCOMPARE(assignedIds(kVpsA), (QList<qint64> {m_alice}));
        QCOMPARE(scalarOf(db(), QStringLiteral("SELECT count(*) FROM rk_vps_group_assignments")).toLongLong(),
            qint64(0));
    }

    // --- the rk_ schema upgrade -------------------------------------------------------------------

    void upgradesAnOlderRiverkeeperSchemaOnReadWriteOpen()
    {
        const QString path = m_dir.filePath(QStringLiteral("v1-%1.db").arg(++m_counter));
        makeVersion1(path);
        // Read-only: works at version 1, writes nothing; VPS read without provenance.
        {
            const QByteArray before = fileDigest(path);
            auto ro = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
            QVERIFY2(ro.ok(), ro.ok() ? "" : qPrintable(ro.error().message));
            PlatformStore &s = *ro.value();
            QVERIFY(!s.tracksVpsGroups());
            const Actor root = actorFor(1, QStringLiteral("root"), Role::Admin);
            auto list = s.listVps(root);
            QVERIFY2(list.ok(), list.ok() ? "" : qPrintable(list.error().message));
            QCOMPARE(list->size(), size_t(1));
            QCOMPARE(list->front().taskId, kVpsA);
            QCOMPARE(list->front().assignees, 1);
            QCOMPARE(list->front().viaGroup, 0);
            auto assigned = s.vpsAssignments(root, kVpsA);
            QVERIFY2(assigned.ok(), assigned.ok() ? "" : qPrintable(assigned.error().message));
            QVERIFY(!assigned->tracksGroups);
            QCOMPARE(assigned->users.size(), size_t(1));
            QVERIFY(assigned->users.front().direct);
            QCOMPARE(s.setting(QString::fromLatin1(PlatformStore::kBaseUrlKey)),
                QStringLiteral("https://old.example.org"));
            QVERIFY(s.listAudit(root).ok());
            ro.value().reset();
            QCOMPARE(fileDigest(path), before);
            auto raw = openRaw(path, SqliteDatabase::OpenMode::ReadOnly);
            QCOMPARE(schema::riverkeeperVersion(*raw), 1);
        }
        // Read-write: upgraded to this version in place, keeping everything.
        {
            auto rw = PlatformStore::open(path, PlatformStore::Access::ReadWrite);
            QVERIFY2(rw.ok(), rw.ok() ? "" : qPrintable(rw.error().message));
            PlatformStore &s = *rw.value();
            QVERIFY(s.tracksVpsGroups());
            QCOMPARE(schema::riverkeeperVersion(s.database()), schema::kRiverkeeperVersion);
            QCOMPARE(s.setting(QString::fromLatin1(PlatformStore::kBaseUrlKey)),
                QStringLiteral("https://old.example.org"));
            const Actor root = actorFor(1, QStringLiteral("root"), Role::Admin);
            QCOMPARE(s.listAudit(root)->size(), size_t(1)); // the old row; an upgrade is not an admin action
            auto groupId = s.createGroup(root, QStringLiteral("team"));
            QVERIFY(groupId.ok());
            QVERIFY(s.addGroupMember(root, groupId.value(), 2).ok());
            auto done = s.assignVpsGroup(root, kVpsA, groupId.value());
            QVERIFY2(done.ok(), done.ok() ? "" : qPrintable(done.error().message));
            QCOMPARE(done->unchanged, (QList<qint64> {2})); // the host's row stays, now also via team
            auto assigned = s.vpsAssignments(root, kVpsA);
            QVERIFY(assigned->users.front().direct);
            QCOMPARE(assigned->users.front().viaGroups, QStringList {QStringLiteral("team")});
        }
        // Opening again changes nothing more.
        const QByteArray upgraded = fileDigest(path);
        QVERIFY(PlatformStore::open(path, PlatformStore::Access::ReadWrite).ok());
        QCOMPARE(fileDigest(path), upgraded);
    }

    // --- invitations: several at once --------------------------------------------------------------

    void revokeSeveralInvitationsAllOrNothing()
    {
        QList<qint64> ids;
        for (int i = 0; i < 3; ++i) {
            NewInvitation inv;
            inv.role = QStringLiteral("viewer");
            auto created = store().createInvitation(admin(), inv);
            QVERIFY(created.ok());
            ids << created->id;
        }
        const qint64 before = auditCount();
        // One id that does not exist: nothing is revoked.
        auto refused = store().revokeInvitations(admin(), {ids[0], ids[1], 999});
        QCOMPARE(refused.error().code, Error::Code::NotFound);
        QCOMPARE(store().listInvitations(admin())->size(), size_t(3));
        QCOMPARE(auditCount(), before);
        // Operators cannot revoke, as on the host; a read-only file refuses first.
        QCOMPARE(store().revokeInvitations(operatorActor(), {ids[0]}).error().code, Error::Code::Refused);

        auto revoked = store().revokeInvitations(admin(), {ids[1], ids[0], ids[1]});
        QVERIFY2(revoked.ok(), revoked.ok() ? "" : qPrintable(revoked.error().message));
        QCOMPARE(revoked.value(), 2);
        QCOMPARE(store().listInvitations(admin())->size(), size_t(1));
        QCOMPARE(auditCount(), before + 2);
        auto audit = store().listAudit(admin(), 2);
        QCOMPARE(audit->at(0).action, QStringLiteral("invitation.revoke"));
        QCOMPARE(audit->at(1).action, QStringLiteral("invitation.revoke"));
        QCOMPARE(
            jsonOf(audit->at(0).before).value(QStringLiteral("role")).toString(), QStringLiteral("viewer"));

        auto recent = store().revokedInvitations(admin(), 30);
        QVERIFY(recent.ok());
        QCOMPARE(recent->size(), size_t(2));
        QList<qint64> recentIds {recent->at(0).id, recent->at(1).id};
        std::sort(recentIds.begin(), recentIds.end());
        QCOMPARE(recentIds, (QList<qint64> {ids[0], ids[1]}));
        QCOMPARE(recent->front().revokedBy, QStringLiteral("root"));
        QCOMPARE(store().revokedInvitations(operatorActor(), 30).error().code, Error::Code::Refused);
    }

    void invitationLimits()
    {
        NewInvitation inv;
        inv.role = QStringLiteral("viewer");
        inv.maxUsage = PlatformStore::kMaxInvitationUses + 1;
        QCOMPARE(store().createInvitation(admin(), inv).error().code, Error::Code::Invalid);
        inv.maxUsage = PlatformStore::kMaxInvitationUses;
        inv.expiresHours = PlatformStore::kMaxInvitationHours;
        QVERIFY(store().createInvitation(admin(), inv).ok());
        // Operators: viewer invitations only.
        inv.maxUsage = 1;
        inv.role = QStringLiteral("user");
        QCOMPARE(store().createInvitation(operatorActor(), inv).error().code, Error::Code::Refused);
        inv.role = QStringLiteral("viewer");
        QVERIFY(store().createInvitation(operatorActor(), inv).ok());
    }

private:
    // A platform database as Riverkeeper version 1 left it: the host's tables, rk_meta, rk_audit
    // and rk_settings with schema_version 1, a setting, an audit row, a VPS and a host-made row.
    void makeVersion1(const QString &path)
    {
        QVERIFY(createHostDb(path));
        auto db = openRaw(path);
        QVERIFY(db);
        const QStringList v1 = {
            QStringLiteral(
                "CREATE TABLE IF NOT EXISTS rk_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS rk_audit (id INTEGER NOT NULL PRIMARY KEY, "
                           "at TEXT NOT NULL, actor_id INTEGER, actor TEXT NOT NULL, action TEXT NOT NULL, "
                           "target_type TEXT NOT NULL, target TEXT, before_json TEXT, after_json TEXT, "
                           "origin TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX IF NOT EXISTS rk_audit_at ON rk_audit (at)"),
            QStringLiteral("CREATE TABLE IF NOT EXISTS rk_settings (key TEXT NOT NULL PRIMARY KEY, "
                           "value TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT)"),
            QStringLiteral("INSERT INTO rk_meta (key, value) VALUES ('schema_version', '1')"),
            QStringLiteral("INSERT INTO rk_settings (key, value, updated_at, updated_by) VALUES "
                           "('general.base_url', 'https://old.example.org', '2026-01-01 00:00:00', 'root')"),
            QStringLiteral("INSERT INTO rk_audit (at, actor_id, actor, action, target_type, target, origin) "
                           "VALUES ('2026-01-01 00:00:00', 1, 'root', 'setting.set', 'setting', "
                           "'general.base_url', 'test')"),
        };
        for (const QString &sql : v1)
            QVERIFY(execOk(*db, sql));
        QCOMPARE(insertHostUser(*db, QStringLiteral("root"), QStringLiteral("admin")), qint64(1));
        QCOMPARE(insertHostUser(*db, QStringLiteral("bob"), QStringLiteral("user")), qint64(2));
        QVERIFY(insertHostTask(*db, kVpsA, 1, QStringLiteral("vps")));
        QVERIFY(execOk(*db,
            QStringLiteral("INSERT INTO vps_assignments (vps_task_id, user_id, created_at) "
                           "VALUES (%1, 2, '2026-11-22 02:40:00')")
                .arg(kVpsA)));
    }
};

RK_TEST_GUILESS_MAIN(TestPlatformStoreVps)
#include "TestPlatformStoreVps.moc"
