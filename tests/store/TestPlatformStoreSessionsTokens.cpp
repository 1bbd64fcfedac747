// Sessions and API tokens in bulk: counting what a revocation would remove, and revoking a
// selection or all of a user's tokens in one transaction, all or nothing, audited per row.

#include "StoreTestSupport.h"

#include <QSignalSpy>

using namespace rk;
using namespace rktest;

class TestPlatformStoreSessionsTokens : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FreshStore m_fresh;
    int m_counter = 0;
    qint64 m_bob = 0;
    qint64 m_carol = 0;

    PlatformStore &store() { return *m_fresh.store; }
    const Actor &admin() const { return m_fresh.admin; }
    SqliteDatabase &db() { return store().database(); }

    qint64 count(const QString &sql) { return scalarOf(db(), sql).toLongLong(); }
    qint64 sessions() { return count(QStringLiteral("SELECT count(*) FROM sessions")); }
    qint64 tokenRows() { return count(QStringLiteral("SELECT count(*) FROM tokens")); }
    qint64 audits() { return count(QStringLiteral("SELECT count(*) FROM rk_audit")); }
    qint64 audits(const QString &action)
    {
        return count(QStringLiteral("SELECT count(*) FROM rk_audit WHERE action = '%1'").arg(action));
    }

    using Scope = PlatformStore::RevocationScope;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<rk::StoreTable>();
    }

    void init()
    {
        m_fresh = makeFreshStore(m_dir, QStringLiteral("bulk-access-%1.db").arg(++m_counter));
        QVERIFY(m_fresh.store);
        const PasswordHash h = quickHash(QStringLiteral("password123"));
        m_bob = store()
                    .createUser(admin(), NewUser {QStringLiteral("bob"), {}, QStringLiteral("user"), true}, h)
                    .value();
        m_carol = store()
                      .createUser(
                          admin(), NewUser {QStringLiteral("carol"), {}, QStringLiteral("viewer"), true}, h)
                      .value();
    }

    void cleanup() { m_fresh = FreshStore(); }

    // --- counting ---------------------------------------------------------------------------

    void countSessionsByScope()
    {
        const qint64 own1 = insertHostSession(db(), admin().userId, hoursFromNow(5));
        insertHostSession(db(), admin().userId, hoursFromNow(6));
        const qint64 b1 = insertHostSession(db(), m_bob, hoursFromNow(5));
        const qint64 b2 = insertHostSession(db(), m_bob, hoursFromNow(-5)); // expired: still a row
        const qint64 c1 = insertHostSession(db(), m_carol, hoursFromNow(5));
        insertHostSession(db(), 4711, hoursFromNow(5)); // a deleted user's leftover

        auto rows = store().countSessions(admin(), Scope::rows({b1, b2, c1, b1, 99999}));
        QVERIFY(rows.ok());
        QCOMPARE(rows->records, 3);
        QCOMPARE(rows->users, 2);
        QCOMPARE(rows->missing, 1); // 99999; b1 twice counts once
        QCOMPARE(rows->kept, 0);

        auto bobs = store().countSessions(admin(), Scope::ofUser(m_bob));
        QCOMPARE(bobs->records, 2);
        QCOMPARE(bobs->users, 1);
        auto nobody = store().countSessions(admin(), Scope::ofUser(12345));
        QCOMPARE(nobody->records, 0);
        QCOMPARE(nobody->users, 0);

        auto others = store().countSessions(admin(), Scope::allExcept(admin().userId));
        QCOMPARE(others->records, 4);
        QCOMPARE(others->users, 3); // bob, carol, the deleted user 4711
        QCOMPARE(others->kept, 2);

        // The same numbers as the revocation then removes.
        QCOMPARE(store().revokeAllSessionsExcept(admin(), admin().userId).value(), 4);
        QCOMPARE(sessions(), qint64(2));
        QVERIFY(store().countSessions(admin(), Scope::rows({own1})).ok());

        const Actor op = actorFor(m_carol, QStringLiteral("carol"), Role::Operator);
        QCOMPARE(store().countSessions(op, Scope::allExcept(m_carol)).error().code, Error::Code::Refused);
    }

    void countTokensByScope()
    {
        const qint64 t1 = insertHostToken(db(), m_bob, QStringLiteral("ci"));
        const qint64 t2 = insertHostToken(db(), m_bob, QStringLiteral("laptop"));
        const qint64 t3 = insertHostToken(db(), -1, QStringLiteral("anonymous"));
        auto rows = store().countTokens(admin(), Scope::rows({t1, t2, t3}));
        QCOMPARE(rows->records, 3);
        QCOMPARE(rows->users, 2);
        QCOMPARE(rows->missing, 0);
        QCOMPARE(store().countTokens(admin(), Scope::ofUser(m_bob))->records, 2);
        QCOMPARE(store().countTokens(admin(), Scope::ofUser(-1))->records, 1);
        QCOMPARE(store()
                     .countTokens(actorFor(m_bob, QStringLiteral("bob"), Role::User), Scope::ofUser(m_bob))
                     .error()
                     .code,
            Error::Code::Refused);
    }

    // --- sessions ---------------------------------------------------------------------------

    void revokeSeveralSessionsInOneTransaction()
    {
        const qint64 b1 = insertHostSession(db(), m_bob, hoursFromNow(5));
        const qint64 b2 = insertHostSession(db(), m_bob, hoursFromNow(6));
        const qint64 c1 = insertHostSession(db(), m_carol, hoursFromNow(5));
        const qint64 keep = insertHostSession(db(), m_carol, hoursFromNow(7));
        const QString cookie
            = scalarOf(db(), QStringLiteral("SELECT session_id FROM sessions WHERE id = %1").arg(b1))
                  .toString();
        const qint64 auditsBefore = audits();
        QSignalSpy changed(m_fresh.store.get(), &PlatformStore::changed);

        auto n = store().revokeSessions(admin(), {c1, b2, b1, b2});
        QVERIFY2(n.ok(), n.ok() ? "" : qPrintable(n.error().message));
        QCOMPARE(n.value(), 3);
        QCOMPARE(sessions(), qint64(1));
        QCOMPARE(count(QStringLiteral("SELECT id FROM sessions")), keep);
        // One audit row per session, as a single revoke writes it; never the cookie.
        QCOMPARE(audits() - auditsBefore, qint64(3));
        QCOMPARE(audits(QStringLiteral("session.revoke")), qint64(3));
        auto audit = store().listAudit(admin(), 3);
        QStringList targets;
        for (const AuditEntry &e : audit.value())
            targets << e.target;
        QVERIFY(targets.contains(QStringLiteral("session %1 of bob").arg(b1)));
        QVERIFY(targets.contains(QStringLiteral("session %1 of carol").arg(c1)));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM rk_audit WHERE instr(coalesce(target,'') || "
                                      "coalesce(before_json,'') || coalesce(after_json,''), '%1') > 0")
                           .arg(cookie)),
            qint64(0));
        // Committed once: each table signalled once.
        QCOMPARE(changed.count(), 3); // Sessions, Users, Audit
        QCOMPARE(changed.at(0).at(0).value<StoreTable>(), StoreTable::Sessions);

        // Nothing named: nothing written.
        QCOMPARE(store().revokeSessions(admin(), {}).value(), 0);
        QCOMPARE(audits() - auditsBefore, qint64(3));
    }

    void revokeSessionsIsAllOrNothing()
    {
        const qint64 b1 = insertHostSession(db(), m_bob, hoursFromNow(5));
        const qint64 c1 = insertHostSession(db(), m_carol, hoursFromNow(5));
        const qint64 auditsBefore = audits();
        QSignalSpy changed(m_fresh.store.get(), &PlatformStore::changed);

        // One of them ended meanwhile: nothing is revoked, and the error says how many are gone.
        auto n = store().revokeSessions(admin(), {b1, 4242, c1});
        QVERIFY(!n.ok());
        QCOMPARE(n.error().code, Error::Code::NotFound);
        QVERIFY2(n.error().message.contains(QStringLiteral("One of the 3 sessions")),
            qPrintable(n.error().message));
        QCOMPARE(sessions(), qint64(2));
        QCOMPARE(audits(), auditsBefore);
        QCOMPARE(changed.count(), 0);

        // A failure half-way (the second audit row cannot be written) rolls back the first delete.
        QVERIFY(execOk(db(),
            QStringLiteral(
                "CREATE TRIGGER rk_test_fail BEFORE INSERT ON rk_audit WHEN NEW.target LIKE '%carol%' "
                "BEGIN SELECT RAISE(ABORT, 'audit refused'); END")));
        n = store().revokeSessions(admin(), {b1, c1});
        QVERIFY(!n.ok());
        QCOMPARE(sessions(), qint64(2));
        QCOMPARE(audits(), auditsBefore);
        QVERIFY(!db().inTransaction());
        QVERIFY(execOk(db(), QStringLiteral("DROP TRIGGER rk_test_fail")));
        QCOMPARE(store().revokeSessions(admin(), {b1, c1}).value(), 2);
    }

    void revokeSessionsRefusals()
    {
        const qint64 b1 = insertHostSession(db(), m_bob, hoursFromNow(5));
        const qint64 auditsBefore = audits();
        // By role: operators and below manage no sessions.
        for (const Role role : {Role::Operator, Role::User, Role::Viewer}) {
            auto n = store().revokeSessions(actorFor(m_carol, QStringLiteral("carol"), role), {b1});
            QCOMPARE(n.error().code, Error::Code::Refused);
        }
        // A locked file: Locked, nothing changed.
        auto other = openRaw(m_fresh.path);
        QVERIFY(other);
        QVERIFY(execOk(*other, QStringLiteral("BEGIN IMMEDIATE")));
        auto reopened = PlatformStore::open(m_fresh.path, PlatformStore::Access::ReadWrite, 100);
        QVERIFY(reopened.ok());
        auto locked = reopened.value()->revokeSessions(admin(), {b1});
        QCOMPARE(locked.error().code, Error::Code::Locked);
        QVERIFY(execOk(*other, QStringLiteral("ROLLBACK")));
        // A read-only file.
        auto ro = PlatformStore::open(m_fresh.path, PlatformStore::Access::ReadOnly);
        QVERIFY(ro.ok());
        QCOMPARE(ro.value()->revokeSessions(admin(), {b1}).error().code, Error::Code::ReadOnly);
        QCOMPARE(ro.value()->revokeTokens(admin(), {1}).error().code, Error::Code::ReadOnly);
        QCOMPARE(ro.value()->revokeTokensOf(admin(), m_bob).error().code, Error::Code::ReadOnly);
        // Counting is reading: allowed on a read-only copy.
        QCOMPARE(ro.value()->countSessions(admin(), Scope::ofUser(m_bob))->records, 1);
        QCOMPARE(sessions(), qint64(1));
        QCOMPARE(audits(), auditsBefore);
    }

    void revokeSessionsOfDeletedUsers()
    {
        // The host enforces no foreign keys: a deleted user's sessions are revocable by row.
        const qint64 orphan = insertHostSession(db(), 31337, hoursFromNow(5));
        QCOMPARE(store().revokeSessions(admin(), {orphan}).value(), 1);
        QCOMPARE(store().listAudit(admin(), 1)->front().target, QStringLiteral("session %1").arg(orphan));
    }

    // --- tokens -----------------------------------------------------------------------------

    void revokeSeveralTokensInOneTransaction()
    {
        QString plain;
        const qint64 t1 = insertHostToken(db(), m_bob, QStringLiteral("ci"), &plain);
        const qint64 t2 = insertHostToken(db(), m_carol, QStringLiteral("laptop"));
        const qint64 t3 = insertHostToken(db(), 0, QStringLiteral("admin-secret"));
        const qint64 keep = insertHostToken(db(), m_bob, QStringLiteral("keep"));
        const qint64 auditsBefore = audits();
        QSignalSpy changed(m_fresh.store.get(), &PlatformStore::changed);

        auto n = store().revokeTokens(admin(), {t1, t2, t3});
        QVERIFY2(n.ok(), n.ok() ? "" : qPrintable(n.error().message));
        QCOMPARE(n.value(), 3);
        QCOMPARE(tokenRows(), qint64(1));
        QCOMPARE(count(QStringLiteral("SELECT id FROM tokens")), keep);
        QCOMPARE(audits(QStringLiteral("token.revoke")), qint64(3));
        QCOMPARE(audits() - auditsBefore, qint64(3));
        QCOMPARE(changed.count(), 2); // Tokens, Audit
        // The audit names the tokens; neither the plaintext nor its hash is anywhere in it.
        auto audit = store().listAudit(admin(), 3);
        QStringList targets;
        for (const AuditEntry &e : audit.value()) {
            targets << e.target;
            QVERIFY(e.before.contains(QStringLiteral("\"name\"")));
            QVERIFY(!e.before.contains(plain));
            QVERIFY(!e.before.contains(tokens::sha3_512Hex(plain)));
        }
        QVERIFY(targets.contains(QStringLiteral("ci (of bob)")));
        QVERIFY(targets.contains(QStringLiteral("laptop (of carol)")));
        QVERIFY(targets.contains(QStringLiteral("admin-secret")));
    }

    void revokeTokensIsAllOrNothing()
    {
        const qint64 t1 = insertHostToken(db(), m_bob, QStringLiteral("ci"));
        const qint64 t2 = insertHostToken(db(), m_carol, QStringLiteral("boom"));
        const qint64 auditsBefore = audits();
        auto n = store().revokeTokens(admin(), {t1, t2, 777, 778});
        QCOMPARE(n.error().code, Error::Code::NotFound);
        QVERIFY2(
            n.error().message.contains(QStringLiteral("2 of the 4 tokens")), qPrintable(n.error().message));
        QCOMPARE(tokenRows(), qint64(2));

        QVERIFY(execOk(db(),
            QStringLiteral(
                "CREATE TRIGGER rk_test_fail BEFORE INSERT ON rk_audit WHEN NEW.target LIKE 'boom%' "
                "BEGIN SELECT RAISE(ABORT, 'audit refused'); END")));
        n = store().revokeTokens(admin(), {t1, t2}); // t1 first (ascending ids), then t2 fails
        QVERIFY(!n.ok());
        QCOMPARE(tokenRows(), qint64(2));
        QCOMPARE(audits(), auditsBefore);

        QCOMPARE(
            store().revokeTokens(actorFor(m_bob, QStringLiteral("bob"), Role::Operator), {t1}).error().code,
            Error::Code::Refused);
        QCOMPARE(tokenRows(), qint64(2));
    }

    void revokeAllTokensOfAUser()
    {
        insertHostToken(db(), m_bob, QStringLiteral("ci"));
        insertHostToken(db(), m_bob, QStringLiteral("laptop"));
        insertHostToken(db(), m_bob, QStringLiteral("notebook"));
        const qint64 carols = insertHostToken(db(), m_carol, QStringLiteral("carol-cli"));
        const qint64 auditsBefore = audits();

        auto n = store().revokeTokensOf(admin(), m_bob);
        QVERIFY(n.ok());
        QCOMPARE(n.value(), 3);
        QCOMPARE(tokenRows(), qint64(1));
        QCOMPARE(count(QStringLiteral("SELECT id FROM tokens")), carols);
        QCOMPARE(audits() - auditsBefore, qint64(3));
        QCOMPARE(audits(QStringLiteral("token.revoke")), qint64(3));

        // None left: zero and no audit row.
        QCOMPARE(store().revokeTokensOf(admin(), m_bob).value(), 0);
        QCOMPARE(audits() - auditsBefore, qint64(3));
        // The host's pseudo-users and deleted users: their tokens go too; an unknown user
        // without tokens is NotFound.
        insertHostToken(db(), -1, QStringLiteral("anon-1"));
        insertHostToken(db(), -1, QStringLiteral("anon-2"));
        QCOMPARE(store().revokeTokensOf(admin(), -1).value(), 2);
        QCOMPARE(store().revokeTokensOf(admin(), 9999).error().code, Error::Code::NotFound);
        QCOMPARE(store()
                     .revokeTokensOf(actorFor(m_carol, QStringLiteral("carol"), Role::Operator), m_carol)
                     .error()
                     .code,
            Error::Code::Refused);
        QCOMPARE(tokenRows(), qint64(1));
    }
};

RK_TEST_GUILESS_MAIN(TestPlatformStoreSessionsTokens)
#include "TestPlatformStoreSessionsTokens.moc"
