// Sessions and API tokens.

#include "StoreTestSupport.h"

#include <QRegularExpression>
#include <QSignalSpy>

using namespace rk;
using namespace rktest;

class TestPlatformStoreAccess : public QObject
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

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<rk::StoreTable>();
    }

    void init()
    {
        m_fresh = makeFreshStore(m_dir, QStringLiteral("access-%1.db").arg(++m_counter));
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

    void listSessions()
    {
        const qint64 live
            = insertHostSession(db(), m_bob, hoursFromNow(720), QStringLiteral("2026-01-01 00:00:00"));
        const qint64 old
            = insertHostSession(db(), m_bob, hoursFromNow(-1), QStringLiteral("2026-01-02 00:00:00"));
        insertHostSession(db(), m_carol, hoursFromNow(3), QStringLiteral("2026-01-03 00:00:00"));
        insertHostSession(db(), 4711, hoursFromNow(3), QStringLiteral("2026-01-04 00:00:00")); // orphan

        auto all = store().listSessions(admin());
        QVERIFY(all.ok());
        QCOMPARE(all->size(), size_t(4));
        QCOMPARE(all->front().userId, qint64(4711)); // newest first
        QVERIFY(all->front().username.isEmpty());

        auto bobs = store().listSessions(admin(), m_bob);
        QVERIFY(bobs.ok());
        QCOMPARE(bobs->size(), size_t(2));
        QCOMPARE(bobs->at(0).id, old);
        QVERIFY(bobs->at(0).expired);
        QCOMPARE(bobs->at(1).id, live);
        QVERIFY(!bobs->at(1).expired);
        QCOMPARE(bobs->at(1).username, QStringLiteral("bob"));

        const Actor op = actorFor(m_bob, QStringLiteral("bob"), Role::Operator);
        auto refused = store().listSessions(op);
        QCOMPARE(refused.error().code, Error::Code::Refused);
        QVERIFY(refused.error().message.contains(QStringLiteral("Administrator")));
    }

    void revokeSession()
    {
        const qint64 s1 = insertHostSession(db(), m_bob, hoursFromNow(5));
        const QString cookie
            = scalarOf(db(), QStringLiteral("SELECT session_id FROM sessions WHERE id = %1").arg(s1))
                  .toString();
        QSignalSpy changed(m_fresh.store.get(), &PlatformStore::changed);
        QVERIFY(store().revokeSession(admin(), s1).ok());
        QVERIFY(!changed.isEmpty());
        QCOMPARE(changed.first().at(0).value<StoreTable>(), StoreTable::Sessions);
        QCOMPARE(scalarOf(db(), QStringLiteral("SELECT count(*) FROM sessions")).toLongLong(), qint64(0));
        QCOMPARE(store().revokeSession(admin(), s1).error().code, Error::Code::NotFound);

        auto audit = store().listAudit(admin(), 1);
        QCOMPARE(audit->front().action, QStringLiteral("session.revoke"));
        QCOMPARE(audit->front().targetType, QStringLiteral("session"));
        QVERIFY(audit->front().target.contains(QStringLiteral("bob")));
        QVERIFY(!audit->front().before.isEmpty());
        QCOMPARE(scalarOf(db(),
                     QStringLiteral("SELECT count(*) FROM rk_audit WHERE instr(coalesce(target,'') || "
                                    "coalesce(before_json,'') || coalesce(after_json,''), '%1') > 0")
                         .arg(cookie))
                     .toLongLong(),
            qint64(0));
        QCOMPARE(
            store().revokeSession(actorFor(m_carol, QStringLiteral("carol"), Role::Viewer), 1).error().code,
            Error::Code::Refused);
    }

    void revokeSessionsOfAUser()
    {
        insertHostSession(db(), m_bob, hoursFromNow(5));
        insertHostSession(db(), m_bob, hoursFromNow(-5));
        insertHostSession(db(), m_carol, hoursFromNow(5));
        auto n = store().revokeSessionsOf(admin(), m_bob);
        QVERIFY(n.ok());
        QCOMPARE(n.value(), 2);
        QCOMPARE(scalarOf(db(), QStringLiteral("SELECT count(*) FROM sessions")).toLongLong(), qint64(1));
        QCOMPARE(store().listAudit(admin(), 1)->front().action, QStringLiteral("session.revoke_user"));

        // Nothing left: zero, no audit row.
        const qint64 audits = scalarOf(db(), QStringLiteral("SELECT count(*) FROM rk_audit")).toLongLong();
        QCOMPARE(store().revokeSessionsOf(admin(), m_bob).value(), 0);
        QCOMPARE(scalarOf(db(), QStringLiteral("SELECT count(*) FROM rk_audit")).toLongLong(), audits);
        // An unknown user without sessions is NotFound; a deleted user's leftovers can be removed.
        QCOMPARE(store().revokeSessionsOf(admin(), 9999).error().code, Error::Code::NotFound);
        insertHostSession(db(), 9999, hoursFromNow(5));
        QCOMPARE(store().revokeSessionsOf(admin(), 9999).value(), 1);
    }

    void revokeAllExceptMine()
    {
        insertHostSession(db(), admin().userId, hoursFromNow(5));
        insertHostSession(db(), admin().userId, hoursFromNow(6));
        insertHostSession(db(), m_bob, hoursFromNow(5));
        insertHostSession(db(), m_carol, hoursFromNow(5));
        insertHostSession(db(), -1, hoursFromNow(5));
        auto n = store().revokeAllSessionsExcept(admin(), admin().userId);
        QVERIFY(n.ok());
        QCOMPARE(n.value(), 3);
        QCOMPARE(scalarOf(db(),
                     QStringLiteral("SELECT count(*) FROM sessions WHERE user_id = %1").arg(admin().userId))
                     .toLongLong(),
            qint64(2));
        QCOMPARE(scalarOf(db(), QStringLiteral("SELECT count(*) FROM sessions")).toLongLong(), qint64(2));
        auto audit = store().listAudit(admin(), 1);
        QCOMPARE(audit->front().action, QStringLiteral("session.revoke_all_except"));
        QVERIFY(audit->front().before.contains(QStringLiteral("\"sessions_revoked\":3")));
    }

    void listTokensIncludingOrphans()
    {
        insertHostToken(db(), m_bob, QStringLiteral("bob-cli"));
        insertHostToken(db(), -1, QStringLiteral("anon"));
        insertHostToken(db(), 0, QStringLiteral("admin-token"));
        insertHostToken(db(), 31337, QStringLiteral("deleted-user"));
        auto all = store().listTokens(admin());
        QVERIFY(all.ok());
        QCOMPARE(all->size(), size_t(4));
        int orphans = 0;
        for (const TokenRecord &t : all.value()) {
            if (t.owner.isEmpty())
                ++orphans;
            else
                QCOMPARE(t.owner, QStringLiteral("bob"));
        }
        QCOMPARE(orphans, 3);
        auto bobs = store().listTokens(admin(), m_bob);
        QCOMPARE(bobs->size(), size_t(1));
        QCOMPARE(bobs->front().name, QStringLiteral("bob-cli"));
        QCOMPARE(store().listTokens(actorFor(m_bob, QStringLiteral("bob"), Role::Operator)).error().code,
            Error::Code::Refused);
    }

    void createAndRevokeToken()
    {
        auto created = store().createToken(admin(), m_bob, QStringLiteral("deploy"));
        QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().message));
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(created->plaintext).hasMatch());
        QCOMPARE(created->record.owner, QStringLiteral("bob"));
        QCOMPARE(created->record.userId, m_bob);
        QVERIFY(created->record.lastUsed.isNull());
        QCOMPARE(scalarOf(db(),
                     QStringLiteral("SELECT token_hash FROM tokens WHERE id = %1").arg(created->record.id))
                     .toString(),
            tokens::sha3_512Hex(created->plaintext));
        auto listed = store().listTokens(admin(), m_bob);
        QCOMPARE(listed->front().id, created->record.id);
        QCOMPARE(listed->front().createdAt, created->record.createdAt);

        QCOMPARE(store().createToken(admin(), 9999, QStringLiteral("x")).error().code, Error::Code::NotFound);
        QCOMPARE(store().createToken(admin(), m_bob, QString()).error().code, Error::Code::Invalid);
        QCOMPARE(store().createToken(admin(), m_bob, QString(101, QLatin1Char('n'))).error().code,
            Error::Code::Invalid);
        QVERIFY(store().createToken(admin(), m_bob, QString(100, QLatin1Char('n'))).ok());
        QCOMPARE(store()
                     .createToken(
                         actorFor(m_bob, QStringLiteral("bob"), Role::Operator), m_bob, QStringLiteral("x"))
                     .error()
                     .code,
            Error::Code::Refused);

        QVERIFY(store().revokeToken(admin(), created->record.id).ok());
        QCOMPARE(store().revokeToken(admin(), created->record.id).error().code, Error::Code::NotFound);
        auto audit = store().listAudit(admin(), 1);
        QCOMPARE(audit->front().action, QStringLiteral("token.revoke"));
        QVERIFY(audit->front().target.contains(QStringLiteral("deploy")));

        // Orphaned rows can be revoked too.
        const qint64 orphan = insertHostToken(db(), -1, QStringLiteral("anon"));
        QVERIFY(store().revokeToken(admin(), orphan).ok());
    }
};

RK_TEST_GUILESS_MAIN(TestPlatformStoreAccess)
#include "TestPlatformStoreAccess.moc"
