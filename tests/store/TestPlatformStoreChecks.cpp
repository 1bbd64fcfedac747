// Dry-run checks and bulk user actions: every rule, the processing order, check == apply, one
// transaction (all or nothing) and one audit row per user.

#include "StoreTestSupport.h"

#include <QSignalSpy>

using namespace rk;
using namespace rktest;

class TestPlatformStoreChecks : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FreshStore m_fresh;
    int m_counter = 0;

    PlatformStore &store() { return *m_fresh.store; }
    const Actor &admin() const { return m_fresh.admin; }

    qint64 addUser(const QString &name, const QString &role = QStringLiteral("user"), bool active = true)
    {
        auto id = store().createUser(
            admin(), NewUser {name, QString(), role, active}, quickHash(QStringLiteral("password123")));
        if (!id) {
            qWarning("createUser failed: %s", qPrintable(id.error().message));
            return 0;
        }
        return id.value();
    }

    qint64 auditCount(const QString &action = {})
    {
        const QString sql = action.isEmpty()
            ? QStringLiteral("SELECT count(*) FROM rk_audit")
            : QStringLiteral("SELECT count(*) FROM rk_audit WHERE action = '%1'").arg(action);
        return scalarOf(store().database(), sql).toLongLong();
    }

    qint64 sessionsOf(qint64 userId)
    {
        return scalarOf(store().database(),
            QStringLiteral("SELECT count(*) FROM sessions WHERE user_id = %1").arg(userId))
            .toLongLong();
    }

    bool isActive(qint64 id) { return store().user(admin(), id)->active; }

    static UserChanges suspend() { return UserChanges {std::nullopt, std::nullopt, false}; }
    static UserChanges activate() { return UserChanges {std::nullopt, std::nullopt, true}; }
    static UserChanges role(const QString &r) { return UserChanges {std::nullopt, r, std::nullopt}; }

    // The same verdicts (order, state, reason) from a check and from the apply that followed.
    static void compareVerdicts(const BulkOutcome &check, const BulkOutcome &apply)
    {
        QCOMPARE(check.verdicts.size(), apply.verdicts.size());
        for (size_t i = 0; i < check.verdicts.size(); ++i) {
            QCOMPARE(check.verdicts[i].userId, apply.verdicts[i].userId);
            QCOMPARE(int(check.verdicts[i].state), int(apply.verdicts[i].state));
            QCOMPARE(check.verdicts[i].error.has_value(), apply.verdicts[i].error.has_value());
            if (check.verdicts[i].error)
                QCOMPARE(check.verdicts[i].error->message, apply.verdicts[i].error->message);
            QCOMPARE(check.verdicts[i].sessions, apply.verdicts[i].sessions);
        }
        QCOMPARE(check.sessionsEnded, apply.sessionsEnded);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<rk::StoreTable>();
    }

    void init()
    {
        m_fresh = makeFreshStore(m_dir, QStringLiteral("checks-%1.db").arg(++m_counter));
        QVERIFY(m_fresh.store);
    }

    void cleanup() { m_fresh = FreshStore(); }

    // --- single-user dry runs agree with the real thing ---------------------------------------

    void singleChecksMatchTheRealCalls()
    {
        const qint64 me = admin().userId;
        const qint64 bob = addUser(QStringLiteral("bob"));
        const qint64 before = auditCount();

        auto demote = store().checkUpdateUser(admin(), me, role(QStringLiteral("user")));
        QCOMPARE(demote.error().code, Error::Code::Refused);
        QCOMPARE(demote.error().message,
            store().updateUser(admin(), me, role(QStringLiteral("user"))).error().message);
        QCOMPARE(demote.error().message, QStringLiteral("Cannot demote yourself"));
        QCOMPARE(store().checkUpdateUser(admin(), me, suspend()).error().message,
            QStringLiteral("Cannot disable yourself"));
        QCOMPARE(
            store().checkDeleteUser(admin(), me).error().message, QStringLiteral("Cannot delete yourself"));
        QCOMPARE(store().deleteUser(admin(), me).error().message, QStringLiteral("Cannot delete yourself"));

        // The last admin, for an actor that is not that admin.
        const Actor cli = actorFor(777, QStringLiteral("cli"), Role::Admin);
        auto last = store().checkUpdateUser(cli, me, suspend());
        QCOMPARE(last.error().code, Error::Code::Refused);
        QVERIFY(last.error().message.contains(QStringLiteral("no active administrator")));
        QCOMPARE(last.error().message, store().updateUser(cli, me, suspend()).error().message);
        QCOMPARE(
            store().checkDeleteUser(cli, me).error().message, store().deleteUser(cli, me).error().message);

        // Missing, invalid, not allowed.
        QCOMPARE(store().checkUpdateUser(admin(), 999, suspend()).error().code, Error::Code::NotFound);
        QCOMPARE(store().checkDeleteUser(admin(), 999).error().code, Error::Code::NotFound);
        QCOMPARE(store().checkUpdateUser(admin(), bob, role(QStringLiteral("anony"))).error().code,
            Error::Code::Invalid);
        const Actor op = actorFor(bob, QStringLiteral("bob"), Role::Operator);
        QCOMPARE(store().checkUpdateUser(op, me, suspend()).error().code, Error::Code::Refused);
        QCOMPARE(store().checkDeleteUser(op, me).error().code, Error::Code::Refused);

        // Allowed ones are allowed, and a check writes nothing.
        QVERIFY(store().checkUpdateUser(admin(), bob, suspend()).ok());
        QVERIFY(store().checkDeleteUser(admin(), bob).ok());
        QVERIFY(
            store()
                .checkUpdateUser(admin(), me, UserChanges {QStringLiteral("Me"), std::nullopt, std::nullopt})
                .ok());
        QVERIFY(isActive(bob));
        QCOMPARE(auditCount(), before);
    }

    void checksOnAReadOnlyFileSayReadOnly()
    {
        const qint64 bob = addUser(QStringLiteral("bob"));
        const QString path = m_fresh.path;
        m_fresh.store.reset();
        auto ro = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
        QVERIFY(ro.ok());
        PlatformStore &s = *ro.value();
        QCOMPARE(s.checkUpdateUser(admin(), bob, suspend()).error().code, Error::Code::ReadOnly);
        QCOMPARE(s.checkDeleteUser(admin(), bob).error().code, Error::Code::ReadOnly);
        QCOMPARE(s.checkUpdateUsers(admin(), {bob}, suspend()).error().code, Error::Code::ReadOnly);
        QCOMPARE(s.updateUsers(admin(), {bob}, suspend()).error().code, Error::Code::ReadOnly);
        QCOMPARE(s.deleteUsers(admin(), {bob}).error().code, Error::Code::ReadOnly);
        QCOMPARE(s.addUsersToGroup(admin(), 1, {bob}).error().code, Error::Code::ReadOnly);
    }

    // A Host profile's mirror is read-only: its changes go through the host, but the same rules,
    // on its rows, tell beforehand what the change would be refused for.
    void predictionsWorkOnAReadOnlyCopy()
    {
        const qint64 bob = addUser(QStringLiteral("bob"));
        const qint64 carol = addUser(QStringLiteral("carol"), QStringLiteral("admin"));
        const QString path = m_fresh.path;
        m_fresh.store.reset();
        auto ro = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
        QVERIFY(ro.ok());
        PlatformStore &s = *ro.value();

        auto update = s.predictUpdateUsers(admin(), {bob, admin().userId}, suspend());
        QVERIFY2(update.ok(), qPrintable(update.ok() ? QString() : update.error().message));
        QCOMPARE(update->verdictOf(admin().userId)->state, BulkVerdict::State::Refused);
        QCOMPARE(
            update->verdictOf(admin().userId)->error->message, QStringLiteral("Cannot disable yourself"));
        QCOMPARE(update->verdictOf(bob)->state, BulkVerdict::State::Apply);
        QVERIFY(!update->applied);

        // The host's admin secret acts as no row of the table: the last active admin is kept.
        const Actor secret {0, QStringLiteral("_system"), Role::Admin, QStringLiteral("test")};
        auto admins = s.predictUpdateUsers(secret, {admin().userId, carol}, role(QStringLiteral("user")));
        QVERIFY(admins.ok());
        QCOMPARE(admins->verdictOf(admin().userId)->state, BulkVerdict::State::Apply);
        QCOMPARE(admins->verdictOf(carol)->state, BulkVerdict::State::Refused);
        QVERIFY(admins->verdictOf(carol)->error->message.contains(QStringLiteral("no active administrator")));

        auto removal = s.predictDeleteUsers(admin(), {bob, admin().userId, 999});
        QVERIFY(removal.ok());
        QCOMPARE(
            removal->verdictOf(admin().userId)->error->message, QStringLiteral("Cannot delete yourself"));
        QCOMPARE(removal->verdictOf(bob)->state, BulkVerdict::State::Apply);
        QCOMPARE(removal->verdictOf(999)->error->code, Error::Code::NotFound);

        // The role is still checked, and nothing was written.
        const Actor op {bob, QStringLiteral("bob"), Role::Operator, QStringLiteral("test")};
        QCOMPARE(s.predictUpdateUsers(op, {carol}, suspend()).error().code, Error::Code::Refused);
        QCOMPARE(s.predictDeleteUsers(op, {carol}).error().code, Error::Code::Refused);
        QVERIFY(s.user(admin(), bob)->active);
    }

    // --- bulk status changes ------------------------------------------------------------------

    void suspendingEveryAdminRefusesTheLastInOrder()
    {
        // root (the actor's own account is not among them here: a CLI acting as account 777)
        // plus two more admins: suspending all three must keep one.
        const qint64 root = admin().userId;
        const qint64 ann = addUser(QStringLiteral("ann"), QStringLiteral("admin"));
        const qint64 ben = addUser(QStringLiteral("ben"), QStringLiteral("admin"));
        const Actor cli = actorFor(777, QStringLiteral("cli"), Role::Admin);

        // Reversed, with a duplicate: processed in ascending id, once each.
        const QList<qint64> ids {ben, ann, root, ann};
        auto check = store().checkUpdateUsers(cli, ids, suspend());
        QVERIFY(check.ok());
        QCOMPARE(check->verdicts.size(), size_t(3));
        QCOMPARE(check->verdicts[0].userId, root);
        QCOMPARE(check->verdicts[1].userId, ann);
        QCOMPARE(check->verdicts[2].userId, ben);
        QCOMPARE(int(check->verdicts[0].state), int(BulkVerdict::State::Apply));
        QCOMPARE(int(check->verdicts[1].state), int(BulkVerdict::State::Apply));
        QCOMPARE(int(check->verdicts[2].state), int(BulkVerdict::State::Refused));
        QVERIFY(check->verdicts[2].error->message.contains(QStringLiteral("no active administrator")));
        QCOMPARE(check->verdicts[2].username, QStringLiteral("ben"));
        QVERIFY(!check->applied);
        QVERIFY(isActive(root)); // a check changes nothing

        const qint64 auditBefore = auditCount();
        auto applied = store().updateUsers(cli, ids, suspend());
        QVERIFY(applied.ok());
        QVERIFY(applied->applied);
        compareVerdicts(check.value(), applied.value());
        QVERIFY(!isActive(root));
        QVERIFY(!isActive(ann));
        QVERIFY(isActive(ben));
        QCOMPARE(auditCount() - auditBefore, qint64(2)); // one row per user changed
        QCOMPARE(auditCount(QStringLiteral("user.update")), qint64(2));
    }

    void theActorIsRefusedForThemselvesWhichKeepsAnAdmin()
    {
        const qint64 root = admin().userId;
        const qint64 ann = addUser(QStringLiteral("ann"), QStringLiteral("admin"));
        const qint64 ben = addUser(QStringLiteral("ben"), QStringLiteral("admin"));
        auto applied = store().updateUsers(admin(), {root, ann, ben}, suspend());
        QVERIFY(applied.ok());
        QCOMPARE(applied->count(BulkVerdict::State::Refused), 1);
        QCOMPARE(applied->verdictOf(root)->error->message, QStringLiteral("Cannot disable yourself"));
        QCOMPARE(applied->idsIn(BulkVerdict::State::Apply), (QList<qint64> {ann, ben}));
        QVERIFY(isActive(root));
        QVERIFY(!isActive(ann));
        QVERIFY(!isActive(ben));
    }

    void bulkRoleChangeAppliesTheSameRules()
    {
        const qint64 root = admin().userId;
        const qint64 ann = addUser(QStringLiteral("ann"), QStringLiteral("admin"));
        const qint64 bob = addUser(QStringLiteral("bob"), QStringLiteral("viewer"));
        const qint64 dan = addUser(QStringLiteral("dan"), QStringLiteral("operator"));
        // A suspended admin does not count as an active one.
        const qint64 old = addUser(QStringLiteral("old"), QStringLiteral("admin"), false);
        auto check
            = store().checkUpdateUsers(admin(), {root, ann, bob, dan, old}, role(QStringLiteral("operator")));
        QVERIFY(check.ok());
        QCOMPARE(int(check->verdictOf(root)->state), int(BulkVerdict::State::Refused));
        QCOMPARE(check->verdictOf(root)->error->message, QStringLiteral("Cannot demote yourself"));
        QCOMPARE(int(check->verdictOf(ann)->state), int(BulkVerdict::State::Apply)); // root stays admin
        QCOMPARE(int(check->verdictOf(bob)->state), int(BulkVerdict::State::Apply));
        QCOMPARE(int(check->verdictOf(dan)->state), int(BulkVerdict::State::Unchanged));
        QCOMPARE(int(check->verdictOf(old)->state), int(BulkVerdict::State::Apply));
        auto applied
            = store().updateUsers(admin(), {root, ann, bob, dan, old}, role(QStringLiteral("operator")));
        QVERIFY(applied.ok());
        compareVerdicts(check.value(), applied.value());
        QCOMPARE(store().user(admin(), ann)->role, QStringLiteral("operator"));
        QCOMPARE(store().user(admin(), bob)->role, QStringLiteral("operator"));
        QCOMPARE(store().user(admin(), root)->role, QStringLiteral("admin"));
        QCOMPARE(auditCount(QStringLiteral("user.update")), qint64(3)); // ann, bob, old: dan unchanged

        // Invalid changes refuse the whole set.
        QCOMPARE(store().updateUsers(admin(), {bob}, role(QStringLiteral("emperor"))).error().code,
            Error::Code::Invalid);
        // Missing users are refused one by one.
        auto withGhost = store().updateUsers(admin(), {bob, 4242}, role(QStringLiteral("user")));
        QVERIFY(withGhost.ok());
        QCOMPARE(withGhost->verdictOf(4242)->error->code, Error::Code::NotFound);
        QCOMPARE(store().user(admin(), bob)->role, QStringLiteral("user"));
    }

    void alreadySuspendedIsUnchanged()
    {
        const qint64 bob = addUser(QStringLiteral("bob"), QStringLiteral("user"), false);
        const qint64 before = auditCount();
        QSignalSpy changed(&store(), &PlatformStore::changed);
        auto out = store().updateUsers(admin(), {bob}, suspend());
        QVERIFY(out.ok());
        QCOMPARE(out->count(BulkVerdict::State::Unchanged), 1);
        QCOMPARE(auditCount(), before);
        QCOMPARE(changed.count(), 0); // nothing written, nothing announced
    }

    void endingSessionsInTheSameTransaction()
    {
        const qint64 root = admin().userId;
        const qint64 bob = addUser(QStringLiteral("bob"));
        const qint64 carol = addUser(QStringLiteral("carol"), QStringLiteral("user"), false);
        const qint64 ann = addUser(QStringLiteral("ann"), QStringLiteral("admin"));
        for (qint64 id : {root, bob, bob, carol, ann, ann})
            QVERIFY(insertHostSession(store().database(), id, hoursFromNow(5)) > 0);
        const Actor asAnn = actorFor(ann, QStringLiteral("ann"), Role::Admin);

        // ann suspends root, bob, carol (already suspended) and herself, ending sessions.
        auto check = store().checkUpdateUsers(asAnn, {root, bob, carol, ann}, suspend(), BulkOptions {true});
        QVERIFY(check.ok());
        QCOMPARE(check->verdictOf(root)->sessions, 1);
        QCOMPARE(check->verdictOf(bob)->sessions, 2);
        QCOMPARE(check->verdictOf(carol)->sessions, 1); // unchanged, but its sessions still end
        QCOMPARE(int(check->verdictOf(ann)->state), int(BulkVerdict::State::Refused));
        QCOMPARE(check->verdictOf(ann)->sessions, 0); // refused: kept
        QCOMPARE(check->sessionsEnded, 4);
        QCOMPARE(sessionsOf(bob), qint64(2)); // the check ended nothing

        auto applied = store().updateUsers(asAnn, {root, bob, carol, ann}, suspend(), BulkOptions {true});
        QVERIFY(applied.ok());
        compareVerdicts(check.value(), applied.value());
        QCOMPARE(applied->sessionsEnded, 4);
        QCOMPARE(sessionsOf(root), qint64(0));
        QCOMPARE(sessionsOf(bob), qint64(0));
        QCOMPARE(sessionsOf(carol), qint64(0));
        QCOMPARE(sessionsOf(ann), qint64(2));
        QCOMPARE(auditCount(QStringLiteral("session.revoke_user")), qint64(3));

        // The actor's own sessions are kept even when the action does not refuse them.
        auto self = store().updateUsers(asAnn, {ann}, activate(), BulkOptions {true});
        QVERIFY(self.ok());
        QCOMPARE(int(self->verdictOf(ann)->state), int(BulkVerdict::State::Unchanged));
        QCOMPARE(sessionsOf(ann), qint64(2));
    }

    void aFailureHalfWayRollsEverythingBack()
    {
        const qint64 bob = addUser(QStringLiteral("bob"));
        const qint64 carol = addUser(QStringLiteral("carol"));
        const qint64 dave = addUser(QStringLiteral("dave"));
        QVERIFY(insertHostSession(store().database(), bob, hoursFromNow(5)) > 0);
        // A trigger standing in for anything that fails mid-way (disk full, constraint...).
        QVERIFY(execOk(store().database(),
            QStringLiteral("CREATE TRIGGER rk_test_fail BEFORE UPDATE ON users WHEN new.username = 'carol' "
                           "BEGIN SELECT RAISE(ABORT, 'boom'); END")));
        const qint64 before = auditCount();
        QSignalSpy changed(&store(), &PlatformStore::changed);
        auto out = store().updateUsers(admin(), {bob, carol, dave}, suspend(), BulkOptions {true});
        QVERIFY(!out.ok());
        QVERIFY(isActive(bob)); // applied before carol failed, rolled back
        QVERIFY(isActive(dave));
        QCOMPARE(sessionsOf(bob), qint64(1));
        QCOMPARE(auditCount(), before);
        QCOMPARE(changed.count(), 0);
    }

    void aLockRefusesTheWholeSet()
    {
        const qint64 bob = addUser(QStringLiteral("bob"));
        const QString path = m_fresh.path;
        auto other = openRaw(path);
        QVERIFY(other);
        QVERIFY(execOk(*other, QStringLiteral("BEGIN IMMEDIATE")));
        auto reopened = PlatformStore::open(path, PlatformStore::Access::ReadWrite, 100);
        QVERIFY(reopened.ok());
        auto out = reopened.value()->updateUsers(admin(), {bob}, suspend());
        QVERIFY(!out.ok());
        QCOMPARE(out.error().code, Error::Code::Locked);
        QVERIFY(execOk(*other, QStringLiteral("ROLLBACK")));
        QVERIFY(isActive(bob));
    }

    void operatorsCannotRunBulkActions()
    {
        const qint64 bob = addUser(QStringLiteral("bob"));
        const Actor op = actorFor(bob, QStringLiteral("bob"), Role::Operator);
        QCOMPARE(store().checkUpdateUsers(op, {bob}, suspend()).error().code, Error::Code::Refused);
        auto out = store().updateUsers(op, {bob}, suspend());
        QCOMPARE(out.error().code, Error::Code::Refused);
        QVERIFY(out.error().message.contains(QStringLiteral("Administrator")));
        QCOMPARE(store().deleteUsers(op, {bob}).error().code, Error::Code::Refused);
        QCOMPARE(store().checkAddUsersToGroup(op, 1, {bob}).error().code, Error::Code::Refused);
    }

    // --- bulk delete --------------------------------------------------------------------------

    void bulkDeleteWithImpactAndRefusals()
    {
        const qint64 root = admin().userId;
        const qint64 bob = addUser(QStringLiteral("bob"));
        const qint64 carol = addUser(QStringLiteral("carol"));
        const qint64 ann = addUser(QStringLiteral("ann"), QStringLiteral("admin"));
        auto group = store().createGroup(admin(), QStringLiteral("ml"));
        QVERIFY(group.ok());
        QVERIFY(store().addGroupMember(admin(), group.value(), bob).ok());
        QVERIFY(insertHostSession(store().database(), bob, hoursFromNow(5)) > 0);
        QVERIFY(insertHostSession(store().database(), carol, hoursFromNow(5)) > 0);
        QVERIFY(insertHostToken(store().database(), carol, QStringLiteral("ci")) > 0);
        QVERIFY(insertHostTask(store().database(), 1, bob));

        auto check = store().checkDeleteUsers(admin(), {root, bob, carol, ann});
        QVERIFY(check.ok());
        QCOMPARE(check->verdictOf(root)->error->message, QStringLiteral("Cannot delete yourself"));
        QCOMPARE(check->count(BulkVerdict::State::Apply), 3);
        QCOMPARE(check->impact.sessions, 2);
        QCOMPARE(check->impact.tokens, 1);
        QCOMPARE(check->impact.groupMemberships, 1);
        QCOMPARE(check->impact.tasksKept, 1);
        QCOMPARE(check->verdictOf(bob)->impact.groupMemberships, 1);

        const qint64 before = auditCount();
        auto applied = store().deleteUsers(admin(), {root, bob, carol, ann});
        QVERIFY(applied.ok());
        compareVerdicts(check.value(), applied.value());
        QCOMPARE(applied->impact.sessions, 2);
        QCOMPARE(auditCount() - before, qint64(3));
        QCOMPARE(auditCount(QStringLiteral("user.delete")), qint64(3));
        QVERIFY(store().user(admin(), root).ok());
        for (qint64 gone : {bob, carol, ann})
            QCOMPARE(store().user(admin(), gone).error().code, Error::Code::NotFound);
        QCOMPARE(scalarOf(store().database(), QStringLiteral("SELECT count(*) FROM user_groups")).toInt(), 0);
        QCOMPARE(scalarOf(store().database(), QStringLiteral("SELECT count(*) FROM tokens")).toInt(), 0);
        QCOMPARE(scalarOf(store().database(), QStringLiteral("SELECT count(*) FROM tasks")).toInt(), 1);
    }

    void bulkDeleteKeepsTheLastAdmin()
    {
        const qint64 root = admin().userId;
        const qint64 ann = addUser(QStringLiteral("ann"), QStringLiteral("admin"));
        const Actor cli = actorFor(777, QStringLiteral("cli"), Role::Admin);
        auto applied = store().deleteUsers(cli, {ann, root});
        QVERIFY(applied.ok());
        QCOMPARE(int(applied->verdictOf(root)->state), int(BulkVerdict::State::Apply));
        QCOMPARE(int(applied->verdictOf(ann)->state), int(BulkVerdict::State::Refused));
        QVERIFY(applied->verdictOf(ann)->error->message.contains(QStringLiteral("no active administrator")));
        QVERIFY(store().user(cli, ann).ok());
        QVERIFY(!store().user(cli, root).ok());
    }

    // --- groups -------------------------------------------------------------------------------

    void addUsersToAGroup()
    {
        const qint64 bob = addUser(QStringLiteral("bob"));
        const qint64 carol = addUser(QStringLiteral("carol"));
        auto group = store().createGroup(admin(), QStringLiteral("ml"));
        QVERIFY(group.ok());
        QVERIFY(store().addGroupMember(admin(), group.value(), bob, QStringLiteral("operator")).ok());

        auto check = store().checkAddUsersToGroup(admin(), group.value(), {carol, bob, 999});
        QVERIFY(check.ok());
        QCOMPARE(int(check->verdictOf(bob)->state), int(BulkVerdict::State::Unchanged));
        QCOMPARE(int(check->verdictOf(carol)->state), int(BulkVerdict::State::Apply));
        QCOMPARE(check->verdictOf(999)->error->code, Error::Code::NotFound);

        const qint64 before = auditCount(QStringLiteral("group.add_member"));
        auto applied = store().addUsersToGroup(admin(), group.value(), {carol, bob, 999});
        QVERIFY(applied.ok());
        compareVerdicts(check.value(), applied.value());
        QCOMPARE(auditCount(QStringLiteral("group.add_member")) - before, qint64(1));
        auto members = store().groupMembers(admin(), group.value());
        QVERIFY(members.ok());
        QCOMPARE(members->size(), size_t(2));
        QCOMPARE(members->at(0).roleOverride, QStringLiteral("operator")); // bob's kept
        QVERIFY(members->at(1).roleOverride.isNull());
        QCOMPARE(store().user(admin(), carol)->groups, QStringList {QStringLiteral("ml")});

        // A missing group is an error for the whole set; a bad override too.
        QCOMPARE(store().addUsersToGroup(admin(), 555, {carol}).error().code, Error::Code::NotFound);
        QCOMPARE(store().checkAddUsersToGroup(admin(), 555, {carol}).error().code, Error::Code::NotFound);
        QCOMPARE(store().addUsersToGroup(admin(), group.value(), {carol}, QStringLiteral("god")).error().code,
            Error::Code::Invalid);
    }

    void createUserInGroupsIsOneTransaction()
    {
        auto ml = store().createGroup(admin(), QStringLiteral("ml"));
        auto ops = store().createGroup(admin(), QStringLiteral("ops"));
        QVERIFY(ml.ok() && ops.ok());
        const NewUser erin {QStringLiteral("erin"), QStringLiteral("Erin"), QStringLiteral("operator"), true};
        // A missing group: nothing is created.
        auto refused = store().createUserInGroups(
            admin(), erin, quickHash(QStringLiteral("pw12345678")), {ml.value(), 999});
        QCOMPARE(refused.error().code, Error::Code::NotFound);
        QCOMPARE(store().userByName(admin(), QStringLiteral("erin")).error().code, Error::Code::NotFound);

        auto id = store().createUserInGroups(
            admin(), erin, quickHash(QStringLiteral("pw12345678")), {ops.value(), ml.value()});
        QVERIFY(id.ok());
        auto user = store().user(admin(), id.value());
        QCOMPARE(user->groups, (QStringList {QStringLiteral("ml"), QStringLiteral("ops")}));
        QCOMPARE(user->role, QStringLiteral("operator"));
        QCOMPARE(store().groupIdsOf(admin(), id.value()).value(), (QList<qint64> {ml.value(), ops.value()}));
        QCOMPARE(auditCount(QStringLiteral("group.add_member")), qint64(2));

        // The username rule still applies.
        QCOMPARE(store()
                     .createUserInGroups(admin(), erin, quickHash(QStringLiteral("pw12345678")), {})
                     .error()
                     .code,
            Error::Code::Conflict);
    }

    void editUserChangesColumnsAndGroupsTogether()
    {
        const qint64 me = admin().userId;
        const qint64 bob = addUser(QStringLiteral("bob"));
        auto ml = store().createGroup(admin(), QStringLiteral("ml"));
        auto ops = store().createGroup(admin(), QStringLiteral("ops"));
        auto web = store().createGroup(admin(), QStringLiteral("web"));
        QVERIFY(store().addGroupMember(admin(), ml.value(), bob).ok());
        QVERIFY(store().addGroupMember(admin(), ops.value(), bob, QStringLiteral("viewer")).ok());

        UserEdit edit;
        edit.changes.displayName = QStringLiteral("Bob B.");
        edit.changes.role = QStringLiteral("operator");
        edit.groupIds = QList<qint64> {ops.value(), web.value()};
        QVERIFY(store().editUser(admin(), bob, edit).ok());
        auto user = store().user(admin(), bob);
        QCOMPARE(user->displayName, QStringLiteral("Bob B."));
        QCOMPARE(user->role, QStringLiteral("operator"));
        QCOMPARE(user->groups, (QStringList {QStringLiteral("ops"), QStringLiteral("web")}));
        auto opsMembers = store().groupMembers(admin(), ops.value());
        QCOMPARE(opsMembers->front().roleOverride, QStringLiteral("viewer")); // kept
        QCOMPARE(auditCount(QStringLiteral("group.remove_member")), qint64(1));

        // A refused column change leaves the groups alone too.
        UserEdit self;
        self.changes.role = QStringLiteral("viewer");
        self.groupIds = QList<qint64> {ml.value()};
        auto refused = store().editUser(admin(), me, self);
        QCOMPARE(refused.error().message, QStringLiteral("Cannot demote yourself"));
        QVERIFY(store().user(admin(), me)->groups.isEmpty());

        // A missing group: nothing changes.
        UserEdit ghost;
        ghost.changes.displayName = QStringLiteral("Ghost");
        ghost.groupIds = QList<qint64> {999};
        QCOMPARE(store().editUser(admin(), bob, ghost).error().code, Error::Code::NotFound);
        QCOMPARE(store().user(admin(), bob)->displayName, QStringLiteral("Bob B."));

        // Nothing to change: nothing written.
        const qint64 before = auditCount();
        UserEdit same;
        same.groupIds = QList<qint64> {web.value(), ops.value()};
        QVERIFY(store().editUser(admin(), bob, same).ok());
        QCOMPARE(auditCount(), before);
    }
};

RK_TEST_GUILESS_MAIN(TestPlatformStoreChecks)
#include "TestPlatformStoreChecks.moc"
