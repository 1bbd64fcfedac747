#include "CliApplication.h"
#include "CliTestSupport.h"
#include "RkTest.h"
#include "core/Secrets.h"
#include "store/PlatformStore.h"
#include "store/SampleData.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace rk;
using namespace clitest;

namespace {

struct CliRun
{
    int status = -1;
    QString out;
    QString err;
};

// Runs the command layer in-process with the given standard input and environment.
CliRun runCli(const QStringList &args, const QByteArray &input = {},
    const QProcessEnvironment &env = QProcessEnvironment())
{
    QBuffer in;
    in.setData(input);
    in.open(QIODevice::ReadOnly);
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    QBuffer err;
    err.open(QIODevice::WriteOnly);
    cli::CliIo io;
    io.in = &in;
    io.out = &out;
    io.err = &err;
    cli::CliApplication app(io, env, QStringLiteral("testhost"));
    CliRun run;
    run.status = app.run(QStringList {QStringLiteral("riverkeeper-cli")} + args);
    run.out = QString::fromUtf8(out.data());
    run.err = QString::fromUtf8(err.data());
    return run;
}

QByteArray line(const QString &text)
{
    return text.toUtf8() + '\n';
}

QJsonArray jsonArray(const QString &text)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        qWarning("not a JSON array: %s", qPrintable(text));
    return doc.array();
}

QStringList sortedKeys(const QJsonObject &o)
{
    QStringList keys = o.keys();
    keys.sort();
    return keys;
}

QStringList keysOf(std::initializer_list<const char *> names)
{
    QStringList keys;
    for (const char *n : names)
        keys << QString::fromLatin1(n);
    keys.sort();
    return keys;
}

// One error line, "riverkeeper-cli: ...", and nothing on stdout.
#define VERIFY_ONE_ERROR_LINE(run)                                                                           \
    do {                                                                                                     \
        QVERIFY2((run).err.startsWith(QLatin1String("riverkeeper-cli: ")), qPrintable((run).err));           \
        QVERIFY((run).err.endsWith(QLatin1Char('\n')));                                                      \
        QCOMPARE((run).err.count(QLatin1Char('\n')), 1);                                                     \
        QVERIFY2((run).out.isEmpty(), qPrintable((run).out));                                                \
    } while (false)

} // namespace

class TestCliApplication : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_fixture = m_dir.filePath(QStringLiteral("fixture.db"));
        QVERIFY(makeFixtureStore(m_fixture));
    }

    void init()
    {
        m_db = m_dir.filePath(QStringLiteral("case-%1.db").arg(++m_case));
        QVERIFY(QFile::copy(m_fixture, m_db));
        QFile::setPermissions(m_db, QFile::ReadOwner | QFile::WriteOwner);
    }

    // --- init ---------------------------------------------------------------------------------

    void initCreatesTheStoreAndItsFirstAdmin()
    {
        const QString path = m_dir.filePath(QStringLiteral("new.db"));
        const CliRun run = runCli(
            {QStringLiteral("--db"), path, QStringLiteral("init"), QStringLiteral("--admin"),
                QStringLiteral("boss"), QStringLiteral("--display-name"), QStringLiteral("The Boss")},
            line(QStringLiteral("boss-password-1")));
        QCOMPARE(run.status, 0);
        QVERIFY(run.err.isEmpty());
        QVERIFY(run.out.contains(QLatin1String("boss")));
        QVERIFY(!run.out.contains(QLatin1String("boss-password-1")));

        auto store = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
        QVERIFY(store);
        auto boss = (*store)->authenticate(
            QStringLiteral("boss"), QStringLiteral("boss-password-1"), QStringLiteral("t"));
        QVERIFY(boss);
        QCOMPARE(boss->role, Role::Admin);
        auto users = (*store)->listUsers(*boss);
        QVERIFY(users);
        QCOMPARE(users->size(), size_t(1));
        QCOMPARE(users->front().displayName, QStringLiteral("The Boss"));
        // bcrypt at the host's cost.
        QVERIFY((*store)
                    ->database()
                    .scalar(QStringLiteral("SELECT password_hash FROM users"))
                    ->toString()
                    .startsWith(QLatin1String("$2b$12$")));
    }

    void initRefusesAnExistingFile()
    {
        const QByteArray before = readAll(m_db);
        const CliRun run = runCli({QStringLiteral("--db"), m_db, QStringLiteral("init"),
                                      QStringLiteral("--admin"), QStringLiteral("boss")},
            line(QStringLiteral("boss-password-1")));
        QCOMPARE(run.status, 1);
        VERIFY_ONE_ERROR_LINE(run);
        QVERIFY(run.err.contains(QLatin1String("already exists")));
        QCOMPARE(readAll(m_db), before);
    }

    void initChecksThePasswordPolicyAndLeavesNoFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("weak.db"));
        const CliRun weak = runCli({QStringLiteral("--db"), path, QStringLiteral("init"),
                                       QStringLiteral("--admin"), QStringLiteral("boss")},
            line(QStringLiteral("short")));
        QCOMPARE(weak.status, 1);
        VERIFY_ONE_ERROR_LINE(weak);
        QVERIFY(!QFile::exists(path));

        const CliRun none = runCli({QStringLiteral("--db"), path, QStringLiteral("init"),
            QStringLiteral("--admin"), QStringLiteral("boss")});
        QCOMPARE(none.status, 2);
        VERIFY_ONE_ERROR_LINE(none);
        QVERIFY(none.err.contains(QLatin1String("RIVERKEEPER_PASSWORD")));
        QVERIFY(!QFile::exists(path));
    }

    void initWithSampleData()
    {
        const QString path = m_dir.filePath(QStringLiteral("sample.db"));
        QProcessEnvironment env;
        env.insert(QStringLiteral("RIVERKEEPER_PASSWORD"), QStringLiteral("boss-password-1"));
        const CliRun run
            = runCli({QStringLiteral("--db"), path, QStringLiteral("init"), QStringLiteral("--admin"),
                         QStringLiteral("boss"), QStringLiteral("--sample-data")},
                {}, env);
        QCOMPARE(run.status, 0);
        QVERIFY(run.err.isEmpty());
        QVERIFY(run.out.contains(QLatin1String("sample-password")));

        auto store = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
        QVERIFY(store);
        auto count
            = [&](const char *sql) { return (*store)->database().scalar(QString::fromLatin1(sql))->toInt(); };
        QCOMPARE(count("SELECT COUNT(*) FROM users"), SampleDataCounts::kUsers + 1);
        QVERIFY(count("SELECT COUNT(*) FROM users") >= 35);
        QVERIFY(count("SELECT COUNT(*) FROM tasks WHERE status = 'pending_approval'") > 0);
        QCOMPARE(count("SELECT COUNT(*) FROM nodes"), SampleDataCounts::kNodes);
        QCOMPARE(count("SELECT COUNT(*) FROM groups"), SampleDataCounts::kGroups);
        QCOMPARE(count("SELECT COUNT(*) FROM invitations"), SampleDataCounts::kInvitations);

        // The sample users sign in with the documented password.
        const QString op
            = (*store)
                  ->database()
                  .scalar(QStringLiteral(
                      "SELECT username FROM users WHERE role = 'operator' AND is_active = 1 LIMIT 1"))
                  ->toString();
        const CliRun list
            = runCli({QStringLiteral("--db"), path, QStringLiteral("--user"), op, QStringLiteral("users"),
                         QStringLiteral("list"), QStringLiteral("--json")},
                line(QStringLiteral("sample-password")));
        QCOMPARE(list.status, 0);
        QCOMPARE(jsonArray(list.out).size(), SampleDataCounts::kUsers + 1);
    }

    // --- sign-in ------------------------------------------------------------------------------

    void wrongPasswordFails()
    {
        const CliRun run
            = runCli(asRoot({QStringLiteral("users"), QStringLiteral("list")}), line(QStringLiteral("nope")));
        QCOMPARE(run.status, 1);
        QCOMPARE(run.err, QStringLiteral("riverkeeper-cli: Invalid username or password\n"));
        QVERIFY(run.out.isEmpty());
        const CliRun unknown
            = runCli({QStringLiteral("--db"), m_db, QStringLiteral("--user"), QStringLiteral("ghost"),
                         QStringLiteral("users"), QStringLiteral("list")},
                line(kRootPassword));
        QCOMPARE(unknown.status, 1);
        QCOMPARE(unknown.err, QStringLiteral("riverkeeper-cli: Invalid username or password\n"));
    }

    void missingPasswordIsAUsageError()
    {
        const CliRun run = runCli(asRoot({QStringLiteral("users"), QStringLiteral("list")}));
        QCOMPARE(run.status, 2);
        VERIFY_ONE_ERROR_LINE(run);
        QVERIFY(run.err.contains(QLatin1String("RIVERKEEPER_PASSWORD")));
        const CliRun empty = runCli(asRoot({QStringLiteral("users"), QStringLiteral("list")}), "\n");
        QCOMPARE(empty.status, 2);
    }

    void passwordFromTheEnvironment()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("RIVERKEEPER_PASSWORD"), kRootPassword);
        const CliRun run = runCli(asRoot({QStringLiteral("users"), QStringLiteral("list")}), {}, env);
        QCOMPARE(run.status, 0);
        QVERIFY(run.err.isEmpty());
    }

    void signsInAsTheCliOrigin()
    {
        QCOMPARE(runCli(asRoot({QStringLiteral("groups"), QStringLiteral("create"), QStringLiteral("g1")}),
                     line(kRootPassword))
                     .status,
            0);
        auto store = openRw();
        QCOMPARE(store->database()
                     .scalar(QStringLiteral("SELECT origin FROM rk_audit WHERE action = 'group.create'"))
                     ->toString(),
            QStringLiteral("cli@testhost"));
    }

    // --- usage --------------------------------------------------------------------------------

    void usageErrorsExitWithTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        const QString db = QStringLiteral("--db=x.db");
        const QString user = QStringLiteral("--user=root");
        QTest::newRow("nothing") << QStringList();
        QTest::newRow("unknown command") << QStringList {db, user, QStringLiteral("frobnicate")};
        QTest::newRow("group without action") << QStringList {db, user, QStringLiteral("users")};
        QTest::newRow("unknown action")
            << QStringList {db, user, QStringLiteral("users"), QStringLiteral("explode")};
        QTest::newRow("no --db") << QStringList {user, QStringLiteral("users"), QStringLiteral("list")};
        QTest::newRow("no --user") << QStringList {db, QStringLiteral("users"), QStringLiteral("list")};
        QTest::newRow("unknown option") << QStringList {
            db, user, QStringLiteral("users"), QStringLiteral("list"), QStringLiteral("--fancy")};
        QTest::newRow("foreign option") << QStringList {db, user, QStringLiteral("users"),
            QStringLiteral("list"), QStringLiteral("--role"), QStringLiteral("x")};
        QTest::newRow("missing argument")
            << QStringList {db, user, QStringLiteral("users"), QStringLiteral("delete")};
        QTest::newRow("extra argument") << QStringList {db, user, QStringLiteral("users"),
            QStringLiteral("delete"), QStringLiteral("a"), QStringLiteral("b")};
        QTest::newRow("missing required option") << QStringList {
            db, user, QStringLiteral("users"), QStringLiteral("create"), QStringLiteral("bob")};
        QTest::newRow("option without value") << QStringList {db, user, QStringLiteral("users"),
            QStringLiteral("create"), QStringLiteral("bob"), QStringLiteral("--role")};
        QTest::newRow("flag with value") << QStringList {
            db, user, QStringLiteral("users"), QStringLiteral("list"), QStringLiteral("--json=yes")};
        QTest::newRow("twice") << QStringList {
            db, user, user, QStringLiteral("users"), QStringLiteral("list")};
        QTest::newRow("bad busy timeout") << QStringList {db, user, QStringLiteral("--busy-timeout"),
            QStringLiteral("soon"), QStringLiteral("users"), QStringLiteral("list")};
        QTest::newRow("init with --user")
            << QStringList {db, user, QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("a")};
        QTest::newRow("init without --admin") << QStringList {db, QStringLiteral("init")};
    }

    void usageErrorsExitWithTwo()
    {
        QFETCH(QStringList, args);
        const CliRun run = runCli(args, line(kRootPassword));
        QCOMPARE(run.status, 2);
        VERIFY_ONE_ERROR_LINE(run);
    }

    void usageErrorsInsideCommandsExitWithTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("unknown role") << QStringList {QStringLiteral("users"), QStringLiteral("create"),
            QStringLiteral("bob"), QStringLiteral("--role"), QStringLiteral("wizard")};
        QTest::newRow("active maybe") << QStringList {QStringLiteral("users"), QStringLiteral("set"),
            QStringLiteral("uma"), QStringLiteral("--active"), QStringLiteral("maybe")};
        QTest::newRow("nothing to set")
            << QStringList {QStringLiteral("users"), QStringLiteral("set"), QStringLiteral("uma")};
        QTest::newRow("revoke what") << QStringList {QStringLiteral("sessions"), QStringLiteral("revoke")};
        QTest::newRow("revoke two ways")
            << QStringList {QStringLiteral("sessions"), QStringLiteral("revoke"), QStringLiteral("--of"),
                   QStringLiteral("uma"), QStringLiteral("--all-except"), QStringLiteral("root")};
        QTest::newRow("token id") << QStringList {
            QStringLiteral("tokens"), QStringLiteral("revoke"), QStringLiteral("seven")};
        QTest::newRow("limits") << QStringList {QStringLiteral("groups"), QStringLiteral("create"),
            QStringLiteral("g"), QStringLiteral("--limits"), QStringLiteral("[1]")};
        QTest::newRow("uses") << QStringList {QStringLiteral("invitations"), QStringLiteral("create"),
            QStringLiteral("--role"), QStringLiteral("viewer"), QStringLiteral("--uses"),
            QStringLiteral("many")};
        QTest::newRow("limit") << QStringList {
            QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--limit"), QStringLiteral("-3")};
    }

    void usageErrorsInsideCommandsExitWithTwo()
    {
        QFETCH(QStringList, args);
        const CliRun run = runCli(asRoot(args), line(kRootPassword));
        QCOMPARE(run.status, 2);
        VERIFY_ONE_ERROR_LINE(run);
    }

    void helpAndVersion()
    {
        const CliRun help = runCli({QStringLiteral("--help")});
        QCOMPARE(help.status, 0);
        QVERIFY(help.err.isEmpty());
        QVERIFY(help.out.contains(QLatin1String("Usage: riverkeeper-cli")));
        QVERIFY(help.out.contains(QLatin1String("invitations create --role ROLE")));
        QVERIFY(help.out.contains(QLatin1String("sample-password")));
        QVERIFY(
            help.out.contains(QLatin1String("sessions revoke (--id ID | --of NAME | --all-except NAME)")));

        const CliRun create
            = runCli({QStringLiteral("users"), QStringLiteral("create"), QStringLiteral("--help")});
        QCOMPARE(create.status, 0);
        QVERIFY(create.out.contains(QLatin1String("users create NAME --role ROLE [--display-name X]")));
        QVERIFY(create.out.contains(QLatin1String("RIVERKEEPER_NEW_PASSWORD")));

        const CliRun group = runCli({QStringLiteral("help"), QStringLiteral("tokens")});
        QCOMPARE(group.status, 0);
        QVERIFY(group.out.contains(QLatin1String("revoke")));

        const CliRun version = runCli({QStringLiteral("--version")});
        QCOMPARE(version.status, 0);
        QCOMPARE(version.out, QStringLiteral("riverkeeper-cli %1\n").arg(cli::CliApplication::version()));
    }

    // --- users --------------------------------------------------------------------------------

    void usersListHumanAndJson()
    {
        const CliRun human
            = runCli(asRoot({QStringLiteral("users"), QStringLiteral("list")}), line(kRootPassword));
        QCOMPARE(human.status, 0);
        const QStringList lines = human.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5);
        QVERIFY(lines.at(0).startsWith(QLatin1String("ID  USERNAME")));
        // Aligned: the ROLE column starts at the same offset on every line.
        const qsizetype roleColumn = lines.at(0).indexOf(QLatin1String("ROLE"));
        for (const QString &l : lines.mid(1))
            QVERIFY2(QRegularExpression(QStringLiteral("^(viewer|user|operator|admin) "))
                         .match(l.mid(roleColumn))
                         .hasMatch(),
                qPrintable(l));

        const CliRun json
            = runCli(asRoot({QStringLiteral("users"), QStringLiteral("list"), QStringLiteral("--json")}),
                line(kRootPassword));
        QCOMPARE(json.status, 0);
        const QJsonArray users = jsonArray(json.out);
        QCOMPARE(users.size(), 4);
        for (const QJsonValue &u : users) {
            QCOMPARE(sortedKeys(u.toObject()),
                keysOf({"id", "username", "display_name", "role", "is_active", "created_at",
                    "active_sessions", "last_sign_in", "groups"}));
            QVERIFY(!u.toObject().contains(QStringLiteral("password_hash")));
        }
        QVERIFY(!json.out.contains(QLatin1String("$2b$")));
    }

    void usersCreateSetsAPasswordFromTheSecondLine()
    {
        const CliRun run
            = runCli(asRoot({QStringLiteral("users"), QStringLiteral("create"), QStringLiteral("nina"),
                         QStringLiteral("--role"), QStringLiteral("operator"),
                         QStringLiteral("--display-name"), QStringLiteral("Nina N.")}),
                line(kRootPassword) + line(QStringLiteral("nina-password-1")));
        QCOMPARE(run.status, 0);
        QVERIFY(run.err.isEmpty());
        QVERIFY(run.out.contains(QLatin1String("nina")));
        assertNoSecrets(run, {kRootPassword, QStringLiteral("nina-password-1")});

        auto store = openRw();
        auto nina = store->authenticate(
            QStringLiteral("nina"), QStringLiteral("nina-password-1"), QStringLiteral("t"));
        QVERIFY(nina);
        QCOMPARE(nina->role, Role::Operator);
        QCOMPARE(store->database()
                     .scalar(QStringLiteral("SELECT display_name FROM users WHERE username = 'nina'"))
                     ->toString(),
            QStringLiteral("Nina N."));

        // Without a second line: a usage error, nothing created.
        const CliRun missing
            = runCli(asRoot({QStringLiteral("users"), QStringLiteral("create"), QStringLiteral("nora"),
                         QStringLiteral("--role"), QStringLiteral("viewer")}),
                line(kRootPassword));
        QCOMPARE(missing.status, 2);
        VERIFY_ONE_ERROR_LINE(missing);
        QVERIFY(missing.err.contains(QLatin1String("RIVERKEEPER_NEW_PASSWORD")));
    }

    void aViewerCannotCreateUsers()
    {
        const CliRun run
            = runCli({QStringLiteral("--db"), m_db, QStringLiteral("--user"), QStringLiteral("vera"),
                         QStringLiteral("users"), QStringLiteral("create"), QStringLiteral("mallory"),
                         QStringLiteral("--role"), QStringLiteral("admin")},
                line(kUserPassword) + line(QStringLiteral("mallory-password")));
        QCOMPARE(run.status, 1);
        VERIFY_ONE_ERROR_LINE(run);

        // Exactly the store's own refusal.
        auto store = openRw();
        const Actor vera = *store->authenticate(QStringLiteral("vera"), kUserPassword, QStringLiteral("t"));
        NewUser user;
        user.username = QStringLiteral("mallory");
        user.role = QStringLiteral("admin");
        auto refused = store->createUser(vera, user, *Passwords::hash(QStringLiteral("x-password"), 4));
        QVERIFY(!refused);
        QCOMPARE(run.err, QStringLiteral("riverkeeper-cli: %1\n").arg(refused.error().message));
        QCOMPARE(store->database()
                     .scalar(QStringLiteral("SELECT COUNT(*) FROM users WHERE username = 'mallory'"))
                     ->toInt(),
            0);
    }

    void usersSetChangesRoleStatusAndName()
    {
        const CliRun run
            = runCli(asRoot({QStringLiteral("users"), QStringLiteral("set"), QStringLiteral("uma"),
                         QStringLiteral("--role"), QStringLiteral("operator"), QStringLiteral("--active"),
                         QStringLiteral("no"), QStringLiteral("--display-name"), QStringLiteral("Uma U.")}),
                line(kRootPassword));
        QCOMPARE(run.status, 0);
        QVERIFY(run.err.isEmpty());
        auto store = openRw();
        auto stmt = store->database().prepare(
            QStringLiteral("SELECT role, is_active, display_name FROM users WHERE username = 'uma'"));
        QVERIFY(stmt && *stmt->step());
        QCOMPARE(stmt->text(0), QStringLiteral("operator"));
        QCOMPARE(stmt->int64(1), 0);
        QCOMPARE(stmt->text(2), QStringLiteral("Uma U."));

        // The store's safety rules come through as errors.
        const CliRun self
            = runCli(asRoot({QStringLiteral("users"), QStringLiteral("set"), QStringLiteral("root"),
                         QStringLiteral("--active"), QStringLiteral("no")}),
                line(kRootPassword));
        QCOMPARE(self.status, 1);
        VERIFY_ONE_ERROR_LINE(self);
    }

    void resetPasswordFromTheEnvironment()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("RIVERKEEPER_PASSWORD"), kRootPassword);
        env.insert(QStringLiteral("RIVERKEEPER_NEW_PASSWORD"), QStringLiteral("fresh-password-9"));
        const CliRun run = runCli(
            asRoot({QStringLiteral("users"), QStringLiteral("reset-password"), QStringLiteral("uma")}), {},
            env);
        QCOMPARE(run.status, 0);
        assertNoSecrets(run, {kRootPassword, QStringLiteral("fresh-password-9")});
        auto store = openRw();
        QVERIFY(store->authenticate(
            QStringLiteral("uma"), QStringLiteral("fresh-password-9"), QStringLiteral("t")));
        QVERIFY(!store->authenticate(QStringLiteral("uma"), kUserPassword, QStringLiteral("t")));

        const CliRun weak = runCli(
            asRoot({QStringLiteral("users"), QStringLiteral("reset-password"), QStringLiteral("uma")}),
            line(kRootPassword) + line(QStringLiteral("short")));
        QCOMPARE(weak.status, 1);
        VERIFY_ONE_ERROR_LINE(weak);
    }

    void usersDelete()
    {
        const CliRun run
            = runCli(asRoot({QStringLiteral("users"), QStringLiteral("delete"), QStringLiteral("uma")}),
                line(kRootPassword));
        QCOMPARE(run.status, 0);
        QVERIFY(run.out.contains(QLatin1String("uma")));
        auto store = openRw();
        QCOMPARE(store->database()
                     .scalar(QStringLiteral("SELECT COUNT(*) FROM users WHERE username = 'uma'"))
                     ->toInt(),
            0);

        const CliRun again
            = runCli(asRoot({QStringLiteral("users"), QStringLiteral("delete"), QStringLiteral("uma")}),
                line(kRootPassword));
        QCOMPARE(again.status, 1);
        VERIFY_ONE_ERROR_LINE(again);
    }

    // --- sessions -----------------------------------------------------------------------------

    void sessionsListAndRevoke()
    {
        {
            auto store = openRw();
            QVERIFY(store->database().exec(QStringLiteral(
                "INSERT INTO sessions (session_id, user_id, expires_at, created_at) VALUES "
                "('aaaa000000000000000000000000000000000000000000000000000000000001', (SELECT id FROM users "
                "WHERE username='uma'), '2999-01-01 00:00:00', '2026-01-01 10:00:00.123456'),"
                "('aaaa000000000000000000000000000000000000000000000000000000000002', (SELECT id FROM users "
                "WHERE username='uma'), '2001-01-01 00:00:00', '2000-12-01 10:00:00'),"
                "('aaaa000000000000000000000000000000000000000000000000000000000003', (SELECT id FROM users "
                "WHERE username='otto'), '2999-01-01 00:00:00', '2026-01-02 10:00:00'),"
                "('aaaa000000000000000000000000000000000000000000000000000000000004', (SELECT id FROM users "
                "WHERE username='root'), '2999-01-01 00:00:00', '2026-01-03 10:00:00')")));
        }
        const CliRun json
            = runCli(asRoot({QStringLiteral("sessions"), QStringLiteral("list"), QStringLiteral("--json"),
                         QStringLiteral("--of"), QStringLiteral("uma")}),
                line(kRootPassword));
        QCOMPARE(json.status, 0);
        const QJsonArray sessions = jsonArray(json.out);
        QCOMPARE(sessions.size(), 2);
        for (const QJsonValue &s : sessions)
            QCOMPARE(sortedKeys(s.toObject()),
                keysOf({"id", "user_id", "username", "created_at", "expires_at", "expired"}));
        QVERIFY(!json.out.contains(QLatin1String("aaaa0000"))); // never the cookie value

        const CliRun human
            = runCli(asRoot({QStringLiteral("sessions"), QStringLiteral("list")}), line(kRootPassword));
        QCOMPARE(human.status, 0);
        QCOMPARE(human.out.count(QLatin1Char('\n')), 5);
        QVERIFY(human.out.contains(QLatin1String("expired")));

        const qint64 firstId = sessions.at(0).toObject().value(QStringLiteral("id")).toInteger();
        const CliRun one = runCli(asRoot({QStringLiteral("sessions"), QStringLiteral("revoke"),
                                      QStringLiteral("--id"), QString::number(firstId)}),
            line(kRootPassword));
        QCOMPARE(one.status, 0);
        QCOMPARE(sessionCount(), 3);

        const CliRun of = runCli(asRoot({QStringLiteral("sessions"), QStringLiteral("revoke"),
                                     QStringLiteral("--of"), QStringLiteral("uma")}),
            line(kRootPassword));
        QCOMPARE(of.status, 0);
        QCOMPARE(sessionCount(), 2);

        const CliRun allBut = runCli(asRoot({QStringLiteral("sessions"), QStringLiteral("revoke"),
                                         QStringLiteral("--all-except"), QStringLiteral("root")}),
            line(kRootPassword));
        QCOMPARE(allBut.status, 0);
        QCOMPARE(sessionCount(), 1);
    }

    // --- tokens -------------------------------------------------------------------------------

    void tokensCreatePrintsTheTokenOnce()
    {
        const CliRun run
            = runCli(asRoot({QStringLiteral("tokens"), QStringLiteral("create"), QStringLiteral("--for"),
                         QStringLiteral("uma"), QStringLiteral("--name"), QStringLiteral("ci")}),
                line(kRootPassword));
        QCOMPARE(run.status, 0);
        QVERIFY(run.err.isEmpty());
        const QStringList lines = run.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        const QString token = lines.last();
        QVERIFY2(
            QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(token).hasMatch(), qPrintable(token));
        auto store = openRw();
        QCOMPARE(tokenRows(*store, tokens::sha3_512Hex(token)), 1);
        QCOMPARE(
            store->database()
                .scalar(QStringLiteral("SELECT COUNT(*) FROM tokens WHERE token_hash LIKE '%%1%'").arg(token))
                ->toInt(),
            0);

        const CliRun json
            = runCli(asRoot({QStringLiteral("tokens"), QStringLiteral("create"), QStringLiteral("--for"),
                         QStringLiteral("otto"), QStringLiteral("--name"), QStringLiteral("laptop"),
                         QStringLiteral("--json")}),
                line(kRootPassword));
        QCOMPARE(json.status, 0);
        const QJsonObject created = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(sortedKeys(created),
            keysOf({"id", "user_id", "owner", "name", "created_at", "last_used", "token"}));
        QCOMPARE(created.value(QStringLiteral("owner")).toString(), QStringLiteral("otto"));
        QCOMPARE(
            tokenRows(*store, tokens::sha3_512Hex(created.value(QStringLiteral("token")).toString())), 1);

        const CliRun list
            = runCli(asRoot({QStringLiteral("tokens"), QStringLiteral("list"), QStringLiteral("--json")}),
                line(kRootPassword));
        QCOMPARE(list.status, 0);
        const QJsonArray all = jsonArray(list.out);
        QCOMPARE(all.size(), 2);
        for (const QJsonValue &t : all)
            QCOMPARE(sortedKeys(t.toObject()),
                keysOf({"id", "user_id", "owner", "name", "created_at", "last_used"}));
        QVERIFY(!list.out.contains(token));
        QVERIFY(!list.out.contains(tokens::sha3_512Hex(token)));

        const CliRun of = runCli(asRoot({QStringLiteral("tokens"), QStringLiteral("list"),
                                     QStringLiteral("--of"), QStringLiteral("uma")}),
            line(kRootPassword));
        QCOMPARE(of.status, 0);
        QCOMPARE(of.out.count(QLatin1Char('\n')), 2);
        QVERIFY(of.out.contains(QLatin1String("never")));

        const QString id = QString::number(created.value(QStringLiteral("id")).toInteger());
        const CliRun revoke
            = runCli(asRoot({QStringLiteral("tokens"), QStringLiteral("revoke"), id}), line(kRootPassword));
        QCOMPARE(revoke.status, 0);
        QCOMPARE(
            tokenRows(*store, tokens::sha3_512Hex(created.value(QStringLiteral("token")).toString())), 0);
        const CliRun again
            = runCli(asRoot({QStringLiteral("tokens"), QStringLiteral("revoke"), id}), line(kRootPassword));
        QCOMPARE(again.status, 1);
        VERIFY_ONE_ERROR_LINE(again);
    }

    // --- groups -------------------------------------------------------------------------------

    void groupsLifecycle()
    {
        QCOMPARE(
            runCli(asRoot({QStringLiteral("groups"), QStringLiteral("create"), QStringLiteral("ml-research"),
                       QStringLiteral("--tier"), QStringLiteral("2"), QStringLiteral("--limits"),
                       QStringLiteral("{\"max_tasks\": 50, \"gpu_cap\": 8}")}),
                line(kRootPassword))
                .status,
            0);
        QCOMPARE(runCli(asRoot({QStringLiteral("groups"), QStringLiteral("add-member"),
                            QStringLiteral("ml-research"), QStringLiteral("uma")}),
                     line(kRootPassword))
                     .status,
            0);
        QCOMPARE(runCli(asRoot({QStringLiteral("groups"), QStringLiteral("add-member"),
                            QStringLiteral("ml-research"), QStringLiteral("otto")}),
                     line(kRootPassword))
                     .status,
            0);
        const CliRun json
            = runCli(asRoot({QStringLiteral("groups"), QStringLiteral("list"), QStringLiteral("--json")}),
                line(kRootPassword));
        QCOMPARE(json.status, 0);
        const QJsonArray groups = jsonArray(json.out);
        QCOMPARE(groups.size(), 1);
        const QJsonObject g = groups.at(0).toObject();
        QCOMPARE(
            sortedKeys(g), keysOf({"id", "name", "tier", "limits", "member_count", "members", "created_at"}));
        QCOMPARE(g.value(QStringLiteral("tier")).toInt(), 2);
        QCOMPARE(g.value(QStringLiteral("limits")).toObject().value(QStringLiteral("gpu_cap")).toInt(), 8);
        QCOMPARE(g.value(QStringLiteral("member_count")).toInt(), 2);
        QCOMPARE(g.value(QStringLiteral("members")).toArray().size(), 2);

        QCOMPARE(runCli(asRoot({QStringLiteral("groups"), QStringLiteral("remove-member"),
                            QStringLiteral("ml-research"), QStringLiteral("uma")}),
                     line(kRootPassword))
                     .status,
            0);
        const CliRun human
            = runCli(asRoot({QStringLiteral("groups"), QStringLiteral("list")}), line(kRootPassword));
        QCOMPARE(human.status, 0);
        QVERIFY(human.out.contains(QLatin1String("otto")));
        QVERIFY(!human.out.contains(QLatin1String("uma")));

        const CliRun unknown = runCli(asRoot({QStringLiteral("groups"), QStringLiteral("add-member"),
                                          QStringLiteral("nope"), QStringLiteral("uma")}),
            line(kRootPassword));
        QCOMPARE(unknown.status, 1);
        VERIFY_ONE_ERROR_LINE(unknown);
        const CliRun duplicate = runCli(
            asRoot({QStringLiteral("groups"), QStringLiteral("create"), QStringLiteral("ml-research")}),
            line(kRootPassword));
        QCOMPARE(duplicate.status, 1);
        VERIFY_ONE_ERROR_LINE(duplicate);
    }

    // --- invitations and settings -------------------------------------------------------------

    void invitationsWithAndWithoutABaseUrl()
    {
        const CliRun plain
            = runCli(asRoot({QStringLiteral("invitations"), QStringLiteral("create"),
                         QStringLiteral("--role"), QStringLiteral("viewer"), QStringLiteral("--uses"),
                         QStringLiteral("3"), QStringLiteral("--expires-hours"), QStringLiteral("24")}),
                line(kRootPassword));
        QCOMPARE(plain.status, 0);
        QCOMPARE(plain.out.count(QLatin1Char('\n')), 2); // a sentence and the token, no link
        const QString token = plain.out.split(QLatin1Char('\n')).at(1);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(token).hasMatch());

        QCOMPARE(runCli(asRoot({QStringLiteral("settings"), QStringLiteral("set"),
                            QStringLiteral("general.base_url"), QStringLiteral("https://river.example")}),
                     line(kRootPassword))
                     .status,
            0);
        const CliRun get = runCli(
            asRoot({QStringLiteral("settings"), QStringLiteral("get"), QStringLiteral("general.base_url")}),
            line(kRootPassword));
        QCOMPARE(get.status, 0);
        QCOMPARE(get.out, QStringLiteral("https://river.example\n"));

        QCOMPARE(
            runCli(asRoot({QStringLiteral("groups"), QStringLiteral("create"), QStringLiteral("students")}),
                line(kRootPassword))
                .status,
            0);
        const CliRun linked = runCli(
            asRoot({QStringLiteral("invitations"), QStringLiteral("create"), QStringLiteral("--role"),
                QStringLiteral("user"), QStringLiteral("--group"), QStringLiteral("students")}),
            line(kRootPassword));
        QCOMPARE(linked.status, 0);
        const QStringList lines = linked.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines.at(2), QStringLiteral("https://river.example/register?token=") + lines.at(1));

        const CliRun list = runCli(
            asRoot({QStringLiteral("invitations"), QStringLiteral("list"), QStringLiteral("--json")}),
            line(kRootPassword));
        QCOMPARE(list.status, 0);
        const QJsonArray invitations = jsonArray(list.out);
        QCOMPARE(invitations.size(), 2);
        for (const QJsonValue &v : invitations) {
            QCOMPARE(sortedKeys(v.toObject()),
                keysOf({"id", "token", "role", "group_id", "group_name", "max_usage", "usage_count",
                    "remaining_uses", "expires_at", "is_valid", "state", "created_by_id", "created_by",
                    "created_at", "link"}));
            QVERIFY(v.toObject().value(QStringLiteral("is_valid")).toBool());
        }
        QVERIFY(list.out.contains(token));

        // Operators may only invite viewers: the store says so.
        const CliRun op
            = runCli({QStringLiteral("--db"), m_db, QStringLiteral("--user"), QStringLiteral("otto"),
                         QStringLiteral("invitations"), QStringLiteral("create"), QStringLiteral("--role"),
                         QStringLiteral("admin")},
                line(kUserPassword));
        QCOMPARE(op.status, 1);
        VERIFY_ONE_ERROR_LINE(op);
    }

    // --- audit and read-only ------------------------------------------------------------------

    void auditShowsTheActionsAndNoSecrets()
    {
        QList<CliRun> runs;
        runs << runCli(asRoot({QStringLiteral("users"), QStringLiteral("create"), QStringLiteral("nina"),
                           QStringLiteral("--role"), QStringLiteral("user")}),
            line(kRootPassword) + line(QStringLiteral("nina-password-1")));
        runs << runCli(asRoot({QStringLiteral("users"), QStringLiteral("set"), QStringLiteral("nina"),
                           QStringLiteral("--role"), QStringLiteral("viewer")}),
            line(kRootPassword));
        runs << runCli(asRoot({QStringLiteral("tokens"), QStringLiteral("create"), QStringLiteral("--for"),
                           QStringLiteral("nina"), QStringLiteral("--name"), QStringLiteral("ci")}),
            line(kRootPassword));
        for (const CliRun &r : std::as_const(runs))
            QCOMPARE(r.status, 0);
        const QString token = runs.last().out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).last();

        const CliRun audit
            = runCli(asRoot({QStringLiteral("audit"), QStringLiteral("list"), QStringLiteral("--json"),
                         QStringLiteral("--limit"), QStringLiteral("3")}),
                line(kRootPassword));
        QCOMPARE(audit.status, 0);
        const QJsonArray entries = jsonArray(audit.out);
        QCOMPARE(entries.size(), 3);
        QStringList actions;
        for (const QJsonValue &e : entries) {
            const QJsonObject o = e.toObject();
            QCOMPARE(sortedKeys(o),
                keysOf({"id", "at", "actor_id", "actor", "action", "target_type", "target", "before", "after",
                    "origin"}));
            QCOMPARE(o.value(QStringLiteral("actor")).toString(), QStringLiteral("root"));
            QCOMPARE(o.value(QStringLiteral("origin")).toString(), QStringLiteral("cli@testhost"));
            actions << o.value(QStringLiteral("action")).toString();
        }
        QCOMPARE(actions,
            (QStringList {QStringLiteral("token.create"), QStringLiteral("user.update"),
                QStringLiteral("user.create")}));

        const CliRun human
            = runCli(asRoot({QStringLiteral("audit"), QStringLiteral("list")}), line(kRootPassword));
        QCOMPARE(human.status, 0);
        QVERIFY(human.out.contains(QLatin1String("user.create")));

        runs << audit << human;
        for (const CliRun &r : std::as_const(runs)) {
            assertNoSecrets(r, {kRootPassword, QStringLiteral("nina-password-1")});
            if (&r != &runs.at(2))
                QVERIFY(!r.out.contains(token));
        }
        auto store = openRw();
        const QString everything
            = store->database()
                  .scalar(QStringLiteral(
                      "SELECT group_concat(coalesce(actor,'') || coalesce(target,'') || "
                      "coalesce(before_json,'') || coalesce(after_json,''), '|') FROM rk_audit"))
                  ->toString();
        QVERIFY(!everything.isEmpty());
        for (const QString &secret :
            {kRootPassword, QStringLiteral("nina-password-1"), token, tokens::sha3_512Hex(token)})
            QVERIFY2(!everything.contains(secret), qPrintable(secret));
    }

    void readOnlyListsButDoesNotChange()
    {
        const CliRun list
            = runCli(asRoot({QStringLiteral("--read-only"), QStringLiteral("users"), QStringLiteral("list")}),
                line(kRootPassword));
        QCOMPARE(list.status, 0);
        const CliRun change = runCli(asRoot({QStringLiteral("--read-only"), QStringLiteral("groups"),
                                         QStringLiteral("create"), QStringLiteral("g")}),
            line(kRootPassword));
        QCOMPARE(change.status, 1);
        VERIFY_ONE_ERROR_LINE(change);
        const Actor root {1, QStringLiteral("root"), Role::Admin, QStringLiteral("t")};
        auto ro = PlatformStore::open(m_db, PlatformStore::Access::ReadOnly);
        QVERIFY(ro);
        const auto expected = (*ro)->createGroup(root, QStringLiteral("g"));
        QVERIFY(!expected);
        QCOMPARE(expected.error().code, Error::Code::ReadOnly);
        QCOMPARE(change.err, QStringLiteral("riverkeeper-cli: %1\n").arg(expected.error().message));
    }

    void aMissingDatabaseFails()
    {
        const CliRun run = runCli(
            {QStringLiteral("--db"), m_dir.filePath(QStringLiteral("absent.db")), QStringLiteral("--user"),
                QStringLiteral("root"), QStringLiteral("users"), QStringLiteral("list")},
            line(kRootPassword));
        QCOMPARE(run.status, 1);
        VERIFY_ONE_ERROR_LINE(run);
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("absent.db"))));
    }

private:
    QStringList asRoot(const QStringList &args) const
    {
        return QStringList {QStringLiteral("--db"), m_db, QStringLiteral("--user"), QStringLiteral("root")}
        + args;
    }

    std::unique_ptr<PlatformStore> openRw() const
    {
        auto store = PlatformStore::open(m_db, PlatformStore::Access::ReadWrite);
        if (!store)
            qFatal("open failed: %s", qPrintable(store.error().message));
        return std::move(store).value();
    }

    int sessionCount() const
    {
        return openRw()->database().scalar(QStringLiteral("SELECT COUNT(*) FROM sessions"))->toInt();
    }

    static int tokenRows(PlatformStore &store, const QString &hash)
    {
        auto stmt
            = store.database().prepare(QStringLiteral("SELECT COUNT(*) FROM tokens WHERE token_hash = ?1"));
        stmt->bind(1, hash);
        return *stmt->step() ? int(stmt->int64(0)) : -1;
    }

    static QByteArray readAll(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    static void assertNoSecrets(const CliRun &run, const QStringList &secrets)
    {
        for (const QString &secret : secrets) {
            QVERIFY2(!run.out.contains(secret), qPrintable(secret));
            QVERIFY2(!run.err.contains(secret), qPrintable(secret));
        }
    }

    QTemporaryDir m_dir;
    QString m_fixture;
    QString m_db;
    int m_case = 0;
};

RK_TEST_GUILESS_MAIN(TestCliApplication)
#include "TestCliApplication.moc"
