// What the store writes into a host database is byte-for-byte what the host writes, and it leaves
// the host's pragmas and tables alone.

#include "StoreTestSupport.h"

#include <QJsonDocument>
#include <QRegularExpression>

using namespace rk;
using namespace rktest;

class TestPlatformStoreCompat : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    QStringList m_hostSqlBefore;
    qint64 m_adminId = 0;

    QStringList hostSql(SqliteDatabase &db)
    {
        QStringList out;
        auto stmt = db.prepare(
            QStringLiteral("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master "
                           "WHERE tbl_name NOT LIKE 'rk\\_%' ESCAPE '\\' ORDER BY type, name"));
        if (!stmt)
            return out;
        while (stmt->step().value())
            out << stmt->text(0);
        return out;
    }

    static bool matches(const QString &pattern, const QString &text)
    {
        return QRegularExpression(QRegularExpression::anchoredPattern(pattern)).match(text).hasMatch();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("kohakuriver.db"));
        QVERIFY(createHostDb(m_path));
        auto db = openRaw(m_path);
        QVERIFY(db);
        m_adminId = insertHostUser(*db, QStringLiteral("admin"), QStringLiteral("admin"));
        QVERIFY(m_adminId > 0);
        const qint64 bob = insertHostUser(*db, QStringLiteral("bob"), QStringLiteral("user"), true,
            kHostExampleHash, QStringLiteral("2026-11-22 03:00:00.250000"));
        QVERIFY(bob > 0);
        QVERIFY(insertHostSession(*db, m_adminId, hoursFromNow(720)) > 0);
        QVERIFY(insertHostSession(*db, bob, QStringLiteral("2020-01-01 00:00:00")) > 0);
        QVERIFY(insertHostToken(*db, bob, QStringLiteral("cli")) > 0);
        QVERIFY(insertHostToken(*db, -1, QStringLiteral("anonymous")) > 0);
        QVERIFY(insertHostTask(*db, 7483920175239233536LL, bob));
        QCOMPARE(scalarOf(*db, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("delete"));
        m_hostSqlBefore = hostSql(*db);
        QVERIFY(!m_hostSqlBefore.isEmpty());
    }

    void authenticatesTheHostsExampleUser()
    {
        auto store = PlatformStore::open(m_path, PlatformStore::Access::ReadWrite);
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        auto actor = store.value()->authenticate(
            QStringLiteral("admin"), QStringLiteral("adminpass123"), QStringLiteral("desktop@test"));
        QVERIFY2(actor.ok(), actor.ok() ? "" : qPrintable(actor.error().message));
        QCOMPARE(actor->userId, m_adminId);
        QCOMPARE(actor->role, Role::Admin);
        QCOMPARE(actor->origin, QStringLiteral("desktop@test"));

        auto users = store.value()->listUsers(actor.value());
        QVERIFY(users.ok());
        QCOMPARE(users->size(), size_t(2));
        QCOMPARE(users->front().username, QStringLiteral("bob")); // newest first, as the host lists
        QCOMPARE(users->front().activeSessions, 0); // expired in 2020
        QCOMPARE(users->front().lastSignIn, QStringLiteral("2026-11-22 02:24:37.123456"));
        QCOMPARE(users->back().activeSessions, 1);

        auto tokenList = store.value()->listTokens(actor.value());
        QVERIFY(tokenList.ok());
        QCOMPARE(tokenList->size(), size_t(2));
        bool sawOrphan = false;
        for (const TokenRecord &t : tokenList.value()) {
            if (t.userId == -1) {
                sawOrphan = true;
                QVERIFY(t.owner.isEmpty());
            }
            QVERIFY(t.lastUsed.isNull());
        }
        QVERIFY(sawOrphan);
    }

    void writesInTheHostsFormats()
    {
        auto opened = PlatformStore::open(m_path, PlatformStore::Access::ReadWrite);
        QVERIFY(opened.ok());
        PlatformStore &store = *opened.value();
        const Actor admin = actorFor(m_adminId, QStringLiteral("admin"), Role::Admin);

        // A user with a host-cost hash, as production does.
        auto hash = Passwords::hash(QStringLiteral("carolpass123"));
        QVERIFY(hash.ok());
        auto carol = store.createUser(admin,
            NewUser {QStringLiteral("carol"), QString(), QStringLiteral("operator"), true}, hash.value());
        QVERIFY2(carol.ok(), carol.ok() ? "" : qPrintable(carol.error().message));
        QVERIFY(store.updateUser(admin, carol.value(), UserChanges {std::nullopt, std::nullopt, false}).ok());
        auto token = store.createToken(admin, carol.value(), QStringLiteral("ci"));
        QVERIFY(token.ok());
        auto group = store.createGroup(
            admin, QStringLiteral("gpu"), 2, QStringLiteral("{ \"max_tasks\" : 4,\n \"gpu_cap\": 2 }"));
        QVERIFY(group.ok());
        QVERIFY(store.addGroupMember(admin, group.value(), carol.value()).ok());
        auto invitation
            = store.createInvitation(admin, NewInvitation {QStringLiteral("viewer"), group.value(), 3, 24});
        QVERIFY(invitation.ok());

        SqliteDatabase &db = store.database();
        const QString dt = QStringLiteral(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?)");

        // users
        auto row
            = db.prepare(QStringLiteral("SELECT password_hash, typeof(is_active), is_active, created_at, "
                                        "typeof(created_at), display_name, role FROM users WHERE id = ?1"));
        QVERIFY(row.ok());
        row->bind(1, carol.value());
        QVERIFY(row->step().value());
        QVERIFY(matches(QStringLiteral(R"(\$2b\$12\$[./A-Za-z0-9]{53})"), row->text(0)));
        QVERIFY(Passwords::verify(QStringLiteral("carolpass123"), row->text(0)));
        QCOMPARE(row->text(1), QStringLiteral("integer"));
        QCOMPARE(row->int64(2), qint64(0));
        QVERIFY2(matches(dt, row->text(3)), qPrintable(row->text(3)));
        QCOMPARE(row->text(4), QStringLiteral("text"));
        QCOMPARE(row->text(5), QStringLiteral("carol")); // display name defaults to the username
        QCOMPARE(row->text(6), QStringLiteral("operator"));

        // tokens
        auto tok
            = db.prepare(QStringLiteral("SELECT token_hash, typeof(last_used), created_at, typeof(user_id) "
                                        "FROM tokens WHERE id = ?1"));
        QVERIFY(tok.ok());
        tok->bind(1, token->record.id);
        QVERIFY(tok->step().value());
        QVERIFY(matches(QStringLiteral("[0-9a-f]{128}"), tok->text(0)));
        QCOMPARE(tok->text(0), tokens::sha3_512Hex(token->plaintext));
        QVERIFY(matches(QStringLiteral("[0-9a-f]{64}"), token->plaintext));
        QCOMPARE(tok->text(1), QStringLiteral("null"));
        QVERIFY(matches(dt, tok->text(2)));
        QCOMPARE(tok->text(3), QStringLiteral("integer"));

        // groups
        auto grp = db.prepare(
            QStringLiteral("SELECT typeof(tier), tier, typeof(limits_json), limits_json, created_at "
                           "FROM groups WHERE id = ?1"));
        QVERIFY(grp.ok());
        grp->bind(1, group.value());
        QVERIFY(grp->step().value());
        QCOMPARE(grp->text(0), QStringLiteral("integer"));
        QCOMPARE(grp->int64(1), qint64(2));
        QCOMPARE(grp->text(2), QStringLiteral("text"));
        QCOMPARE(grp->text(3), QStringLiteral(R"({"gpu_cap": 2, "max_tasks": 4})")); // json.dumps
        QVERIFY(matches(dt, grp->text(4)));

        // user_groups
        auto ug = db.prepare(
            QStringLiteral("SELECT typeof(role_override), created_at, typeof(user_id) FROM user_groups"));
        QVERIFY(ug.ok());
        QVERIFY(ug->step().value());
        QCOMPARE(ug->text(0), QStringLiteral("null"));
        QVERIFY(matches(dt, ug->text(1)));
        QCOMPARE(ug->text(2), QStringLiteral("integer"));

        // invitations
        auto inv
            = db.prepare(QStringLiteral("SELECT token, typeof(max_usage), usage_count, typeof(usage_count), "
                                        "expires_at, created_at, created_by_id, typeof(group_id) "
                                        "FROM invitations WHERE id = ?1"));
        QVERIFY(inv.ok());
        inv->bind(1, invitation->id);
        QVERIFY(inv->step().value());
        QVERIFY(matches(QStringLiteral("[0-9a-f]{64}"), inv->text(0)));
        QCOMPARE(inv->text(1), QStringLiteral("integer"));
        QCOMPARE(inv->int64(2), qint64(0));
        QCOMPARE(inv->text(3), QStringLiteral("integer"));
        QVERIFY(matches(dt, inv->text(4)));
        QVERIFY(matches(dt, inv->text(5)));
        QCOMPARE(inv->int64(6), m_adminId);
        QCOMPARE(inv->text(7), QStringLiteral("integer"));
        const auto created = hosttime::parse(inv->text(5));
        const auto expires = hosttime::parse(inv->text(4));
        QVERIFY(created && expires);
        QCOMPARE(expires->secsSinceEpoch - created->secsSinceEpoch, qint64(24 * 3600));
        QCOMPARE(expires->micros, created->micros);
    }

    void leavesTheHostsPragmasAndTablesAlone()
    {
        auto db = openRaw(m_path);
        QVERIFY(db);
        QCOMPARE(scalarOf(*db, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("delete"));
        QCOMPARE(scalarOf(*db, QStringLiteral("PRAGMA user_version")).toLongLong(), qint64(0));
        QCOMPARE(hostSql(*db), m_hostSqlBefore);
        // The rk_ tables were added beside the host's, with our version in rk_meta.
        QCOMPARE(scalarOf(*db, QStringLiteral("SELECT value FROM rk_meta WHERE key = 'schema_version'"))
                     .toString(),
            QString::number(schema::kRiverkeeperVersion));
        QVERIFY(!QFile::exists(m_path + QStringLiteral("-wal")));
        QVERIFY(!QFile::exists(m_path + QStringLiteral("-journal")));
    }

    void readOnlyCopyWithoutRkTablesStillReads()
    {
        const QString copy = m_dir.filePath(QStringLiteral("review.db"));
        QVERIFY(createHostDb(copy));
        {
            auto db = openRaw(copy);
            QVERIFY(insertHostUser(*db, QStringLiteral("admin"), QStringLiteral("admin")) > 0);
        }
        const QByteArray before = fileDigest(copy);
        auto store = PlatformStore::open(copy, PlatformStore::Access::ReadOnly);
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        QVERIFY(store.value()->isReadOnly());
        const Actor admin = actorFor(1, QStringLiteral("admin"), Role::Admin);
        QCOMPARE(store.value()->setting(
                     QString::fromLatin1(PlatformStore::kBaseUrlKey), QStringLiteral("fallback")),
            QStringLiteral("fallback"));
        QVERIFY(store.value()->registrationLink(QStringLiteral("abc")).isEmpty());
        auto audit = store.value()->listAudit(admin);
        QVERIFY(audit.ok());
        QVERIFY(audit->empty());
        QVERIFY(store.value()->listUsers(admin).ok());
        QVERIFY(store.value()
                    ->authenticate(QStringLiteral("admin"), QStringLiteral("adminpass123"), QString())
                    .ok());
        QVERIFY(store.value()->checkPasswordPolicy(QStringLiteral("longenough")).ok());
        store.value().reset();
        QCOMPARE(fileDigest(copy), before);
    }
};

RK_TEST_GUILESS_MAIN(TestPlatformStoreCompat)
#include "TestPlatformStoreCompat.moc"
