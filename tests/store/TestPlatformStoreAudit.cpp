// The audit log (complete, ordered, never a secret), all-or-nothing transactions, and noticing
// another program's writes.

#include "StoreTestSupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>

#include <algorithm>

using namespace rk;
using namespace rktest;

class TestPlatformStoreAudit : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FreshStore m_fresh;
    int m_counter = 0;

    PlatformStore &store() { return *m_fresh.store; }
    const Actor &admin() const { return m_fresh.admin; }
    SqliteDatabase &db() { return store().database(); }

    // Every text in rk_audit, concatenated, for grepping.
    QString wholeAuditTable()
    {
        return scalarOf(db(),
            QStringLiteral("SELECT group_concat(coalesce(at,'') || '|' || coalesce(actor,'') || '|' || "
                           "action || '|' || target_type || '|' || coalesce(target,'') || '|' || "
                           "coalesce(before_json,'') || '|' || coalesce(after_json,'') || '|' || origin, "
                           "char(10)) FROM rk_audit"))
            .toString();
    }

    qint64 count(const QString &sql) { return scalarOf(db(), sql).toLongLong(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<rk::StoreTable>();
    }

    void init()
    {
        m_fresh = makeFreshStore(m_dir, QStringLiteral("audit-%1.db").arg(++m_counter));
        QVERIFY(m_fresh.store);
    }

    void cleanup() { m_fresh = FreshStore(); }

    void everyActionIsAuditedWithoutSecrets()
    {
        const PasswordHash userHash = quickHash(QStringLiteral("password123"));
        const PasswordHash resetHash = quickHash(QStringLiteral("password456"));
        auto bob = store().createUser(admin(),
            NewUser {QStringLiteral("bob"), QStringLiteral("Bob"), QStringLiteral("user"), true}, userHash);
        QVERIFY(bob.ok());
        QVERIFY(store()
                    .updateUser(
                        admin(), bob.value(), UserChanges {std::nullopt, QStringLiteral("operator"), false})
                    .ok());
        QVERIFY(store().resetPassword(admin(), bob.value(), resetHash).ok());
        const qint64 s1 = insertHostSession(db(), bob.value(), hoursFromNow(3));
        insertHostSession(db(), bob.value(), hoursFromNow(3));
        insertHostSession(db(), 555, hoursFromNow(3));
        const QString cookies
            = scalarOf(db(), QStringLiteral("SELECT group_concat(session_id, ' ') FROM sessions")).toString();
        QVERIFY(store().revokeSession(admin(), s1).ok());
        QCOMPARE(store().revokeSessionsOf(admin(), bob.value()).value(), 1);
        QCOMPARE(store().revokeAllSessionsExcept(admin(), admin().userId).value(), 1);
        auto token = store().createToken(admin(), bob.value(), QStringLiteral("ci"));
        QVERIFY(token.ok());
        QVERIFY(store().revokeToken(admin(), token->record.id).ok());
        auto group = store().createGroup(admin(), QStringLiteral("g1"));
        QVERIFY(store().renameGroup(admin(), group.value(), QStringLiteral("g2")).ok());
        QVERIFY(store().setGroupLimits(admin(), group.value(), QStringLiteral(R"({"max_tasks":1})")).ok());
        QVERIFY(store().addGroupMember(admin(), group.value(), bob.value()).ok());
        QVERIFY(store().removeGroupMember(admin(), group.value(), bob.value()).ok());
        auto inv = store().createInvitation(
            admin(), NewInvitation {QStringLiteral("viewer"), group.value(), 1, 24});
        QVERIFY(inv.ok());
        QVERIFY(store().revokeInvitation(admin(), inv->id).ok());
        QVERIFY(store().deleteGroup(admin(), group.value()).ok());
        QVERIFY(store()
                    .setSetting(admin(), QStringLiteral("general.base_url"), QStringLiteral("https://a.b"))
                    .ok());
        QVERIFY(store().deleteUser(admin(), bob.value()).ok());

        const QStringList expected = {
            QStringLiteral("store.first_admin"),
            QStringLiteral("user.create"),
            QStringLiteral("user.update"),
            QStringLiteral("user.reset_password"),
            QStringLiteral("session.revoke"),
            QStringLiteral("session.revoke_user"),
            QStringLiteral("session.revoke_all_except"),
            QStringLiteral("token.create"),
            QStringLiteral("token.revoke"),
            QStringLiteral("group.create"),
            QStringLiteral("group.rename"),
            QStringLiteral("group.limits"),
            QStringLiteral("group.add_member"),
            QStringLiteral("group.remove_member"),
            QStringLiteral("invitation.create"),
            QStringLiteral("invitation.revoke"),
            QStringLiteral("group.delete"),
            QStringLiteral("setting.set"),
            QStringLiteral("user.delete"),
        };
        auto audit = store().listAudit(admin());
        QVERIFY(audit.ok());
        QStringList actions;
        for (auto it = audit->rbegin(); it != audit->rend(); ++it) // oldest first for the comparison
            actions << it->action;
        QCOMPARE(actions, expected);

        // Newest first, limit honoured; every entry well-formed.
        QCOMPARE(audit->front().action, QStringLiteral("user.delete"));
        QCOMPARE(store().listAudit(admin(), 3)->size(), size_t(3));
        const QRegularExpression dt(QStringLiteral(R"(^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$)"));
        for (const AuditEntry &e : audit.value()) {
            QVERIFY2(dt.match(e.at).hasMatch(), qPrintable(e.at));
            QCOMPARE(e.origin, QStringLiteral("test@host"));
            QCOMPARE(e.actor, QStringLiteral("root"));
            QCOMPARE(e.actorId, admin().userId);
            QVERIFY(!e.targetType.isEmpty());
            QVERIFY2(!e.before.isEmpty() || !e.after.isEmpty(), qPrintable(e.action));
            for (const QString &json : {e.before, e.after}) {
                if (json.isNull())
                    continue;
                QJsonParseError err {};
                const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &err);
                QVERIFY2(err.error == QJsonParseError::NoError && doc.isObject(), qPrintable(json));
                QCOMPARE(json, QString::fromUtf8(doc.toJson(QJsonDocument::Compact)));
            }
        }
        auto update = std::find_if(audit->begin(), audit->end(),
            [](const AuditEntry &e) { return e.action == QLatin1String("user.update"); });
        QCOMPARE(update->before, QStringLiteral(R"({"is_active":true,"role":"user"})"));
        QCOMPARE(update->after, QStringLiteral(R"({"is_active":false,"role":"operator"})"));

        // No secret anywhere in the table.
        const QString all = wholeAuditTable();
        QVERIFY(!all.isEmpty());
        QVERIFY(!all.contains(token->plaintext));
        QVERIFY(!all.contains(tokens::sha3_512Hex(token->plaintext)));
        QVERIFY(!all.contains(userHash.text()));
        QVERIFY(!all.contains(resetHash.text()));
        QVERIFY(!all.contains(QStringLiteral("$2b$")));
        QVERIFY(!all.contains(inv->token));
        for (const QString &cookie : cookies.split(QLatin1Char(' ')))
            QVERIFY(!all.contains(cookie));
        QVERIFY(!all.contains(QStringLiteral("password123")));
        QVERIFY(!all.contains(QStringLiteral("password456")));
    }

    void auditNeedsAdmin()
    {
        auto refused = store().listAudit(actorFor(9, QStringLiteral("op"), Role::Operator));
        QCOMPARE(refused.error().code, Error::Code::Refused);
        QVERIFY(refused.error().message.contains(QStringLiteral("audit")));
    }

    void changedIsEmittedAfterTheCommit()
    {
        QList<bool> inTransaction;
        connect(m_fresh.store.get(), &PlatformStore::changed, this,
            [&](StoreTable) { inTransaction << db().inTransaction(); });
        QVERIFY(store().createGroup(admin(), QStringLiteral("g")).ok());
        QVERIFY(!inTransaction.isEmpty());
        for (bool open : inTransaction)
            QVERIFY(!open);
        // A failing write emits nothing.
        inTransaction.clear();
        QVERIFY(!store().createGroup(admin(), QStringLiteral("g")).ok());
        QVERIFY(inTransaction.isEmpty());
    }

    void failingDeleteLeavesNothingHalfDone()
    {
        auto bob
            = store().createUser(admin(), NewUser {QStringLiteral("bob"), {}, QStringLiteral("user"), true},
                quickHash(QStringLiteral("password123")));
        QVERIFY(bob.ok());
        insertHostSession(db(), bob.value(), hoursFromNow(3));
        insertHostToken(db(), bob.value(), QStringLiteral("t"));
        auto group = store().createGroup(admin(), QStringLiteral("g"));
        QVERIFY(store().addGroupMember(admin(), group.value(), bob.value()).ok());
        // Sessions are deleted first, then tokens: make the token delete fail mid-transaction.
        QVERIFY(execOk(db(),
            QStringLiteral("CREATE TRIGGER no_token_delete BEFORE DELETE ON tokens "
                           "BEGIN SELECT RAISE(ABORT, 'tokens are frozen'); END")));
        const qint64 audits = count(QStringLiteral("SELECT count(*) FROM rk_audit"));

        auto deleted = store().deleteUser(admin(), bob.value());
        QVERIFY(!deleted.ok());
        QVERIFY2(
            deleted.error().message.contains(QStringLiteral("frozen")), qPrintable(deleted.error().message));
        QVERIFY(!db().inTransaction());
        QCOMPARE(
            count(QStringLiteral("SELECT count(*) FROM users WHERE id = %1").arg(bob.value())), qint64(1));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM sessions WHERE user_id = %1").arg(bob.value())),
            qint64(1));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM tokens WHERE user_id = %1").arg(bob.value())),
            qint64(1));
        QCOMPARE(
            count(QStringLiteral("SELECT count(*) FROM user_groups WHERE user_id = %1").arg(bob.value())),
            qint64(1));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM rk_audit")), audits);

        QVERIFY(execOk(db(), QStringLiteral("DROP TRIGGER no_token_delete")));
        QVERIFY(store().deleteUser(admin(), bob.value()).ok());
    }

    void failingAuditInsertRollsBackTheChange()
    {
        // The audit row is part of the transaction: if it cannot be written, the change is undone.
        QVERIFY(execOk(db(),
            QStringLiteral("CREATE TRIGGER no_audit BEFORE INSERT ON rk_audit "
                           "BEGIN SELECT RAISE(ABORT, 'audit is full'); END")));
        auto g = store().createGroup(admin(), QStringLiteral("unaudited"));
        QVERIFY(!g.ok());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM groups")), qint64(0));
        QVERIFY(execOk(db(), QStringLiteral("DROP TRIGGER no_audit")));
    }

    void lockedWriteChangesNothing()
    {
        const QString path = store().path();
        m_fresh.store.reset();
        auto opened = PlatformStore::open(path, PlatformStore::Access::ReadWrite, 200);
        QVERIFY(opened.ok());
        m_fresh.store = std::move(opened).value();
        auto other = openRaw(path);
        QVERIFY(execOk(*other, QStringLiteral("BEGIN IMMEDIATE")));
        const QByteArray before = fileDigest(path);
        auto g = store().createGroup(admin(), QStringLiteral("g"));
        QCOMPARE(g.error().code, Error::Code::Locked);
        QCOMPARE(fileDigest(path), before);
        QVERIFY(execOk(*other, QStringLiteral("ROLLBACK")));
        QVERIFY(store().createGroup(admin(), QStringLiteral("g")).ok());
    }

    void externalChangeIsNoticed()
    {
        QSignalSpy spy(m_fresh.store.get(), &PlatformStore::externalChange);
        QVERIFY(!store().checkForExternalChange());

        // Our own writes do not count.
        QVERIFY(store().createGroup(admin(), QStringLiteral("mine")).ok());
        QVERIFY(!store().checkForExternalChange());
        QCOMPARE(spy.count(), 0);

        // The host (another connection) writes.
        auto host = openRaw(store().path());
        QVERIFY(host);
        QVERIFY(insertHostSession(*host, admin().userId, hoursFromNow(1)) > 0);
        QVERIFY(store().checkForExternalChange());
        QCOMPARE(spy.count(), 1);
        QVERIFY(!store().checkForExternalChange());
        QCOMPARE(spy.count(), 1);

        // And by polling.
        store().setWatchInterval(20);
        QVERIFY(insertHostToken(*host, admin().userId, QStringLiteral("from-host")) > 0);
        QTRY_COMPARE(spy.count(), 2);
        store().setWatchInterval(0);
        QVERIFY(insertHostToken(*host, admin().userId, QStringLiteral("unnoticed")) > 0);
        QTest::qWait(100); // the timer is stopped: nothing may arrive
        QCOMPARE(spy.count(), 2);
    }
};

RK_TEST_GUILESS_MAIN(TestPlatformStoreAudit)
#include "TestPlatformStoreAudit.moc"
