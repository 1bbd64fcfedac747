// riverkeeper-cli over the host's REST API (--host, --profile), run in-process against the fake
// host, and the approvals/tasks commands over a platform database alone.
#include "CliApplication.h"
#include "CliTestSupport.h"
#include "FakeHost.h"
#include "RkTest.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"
#include "store/PlatformStore.h"
#include "store/SampleData.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTimer>

using namespace rk;
using namespace rk::test;
using namespace clitest;
using namespace Qt::StringLiterals;

namespace {

struct CliRun
{
    int status = -1;
    QString out;
    QString err;
};

struct Services
{
    ProfileStore *profiles = nullptr;
    SecretStore *secrets = nullptr;
};

CliRun runCli(const QStringList &args, const QByteArray &input = {},
    const QProcessEnvironment &env = QProcessEnvironment(), const Services &services = {})
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
    app.setProfileStore(services.profiles);
    app.setSecretStore(services.secrets);
    CliRun run;
    run.status = app.run(QStringList {QStringLiteral("riverkeeper-cli")} + args);
    run.out = QString::fromUtf8(out.data());
    run.err = QString::fromUtf8(err.data());
    return run;
}

QProcessEnvironment withToken(const QString &token)
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("RIVERKEEPER_TOKEN"), token);
    return env;
}

QJsonArray jsonArray(const QString &text)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        qWarning("not a JSON array: %s", qPrintable(text));
    return doc.array();
}

// A keychain that cannot be reached, as on a headless machine without a Secret Service.
class UnavailableSecretStore : public SecretStore
{
public:
    using SecretStore::SecretStore;
    int reads = 0;
    void read(const QString &, QObject *context, ReadDone done) override
    {
        ++reads;
        QTimer::singleShot(0, context, [done = std::move(done)] {
            done(Error::make(Error::Code::Io,
                u"No system keychain is available (no D-Bus session). Install and unlock GNOME Keyring or KWallet."_s));
        });
    }
    void write(const QString &, const QString &, QObject *context, Done done) override
    {
        QTimer::singleShot(
            0, context, [done = std::move(done)] { done(Error::make(Error::Code::Io, u"no"_s)); });
    }
    void remove(const QString &, QObject *context, Done done) override
    {
        QTimer::singleShot(0, context, [done = std::move(done)] { done(Status()); });
    }
    QString description() const override { return u"the system keychain"_s; }
    bool isPersistent() const override { return true; }
};

// One error line, "riverkeeper-cli: ...", and nothing on stdout.
#define VERIFY_ONE_ERROR_LINE(run)                                                                           \
    do {                                                                                                     \
        QVERIFY2((run).err.startsWith(QLatin1String("riverkeeper-cli: ")), qPrintable((run).err));           \
        QCOMPARE((run).err.count(QLatin1Char('\n')), 1);                                                     \
        QVERIFY2((run).out.isEmpty(), qPrintable((run).out));                                                \
    } while (false)

constexpr qint64 kTwoTo53 = qint64(1) << 53;

} // namespace

class TestCliHost : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeHost> m_host;
    QTemporaryDir m_dir;

    const FakeHost::Seed &seed() const { return m_host->seed(); }
    QString url() const { return m_host->baseUrl().toString(); }
    QStringList host(const QStringList &args) const { return QStringList {u"--host"_s, url()} + args; }
    CliRun asAdmin(const QStringList &args) { return runCli(host(args), {}, withToken(seed().adminToken)); }
    const QList<RecordedRequest> &requests() const { return m_host->requests(); }
    int count(const QByteArray &method, const QString &path) const
    {
        return m_host->server().count(method, path);
    }

private Q_SLOTS:
    void init()
    {
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
    }
    void cleanup() { m_host.reset(); }

    // --- signing in -----------------------------------------------------------------------------

    void tokenSignInListsUsers()
    {
        const CliRun run = asAdmin({u"users"_s, u"list"_s});
        QCOMPARE(run.status, 0);
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err)); // loopback: no plain-HTTP warning
        for (const char *name : {"admin", "olivia", "ulrich", "vera", "dora"})
            QVERIFY2(run.out.contains(QLatin1String(name)), name);
        QVERIFY(run.out.contains(u"Olivia Operator"_s));
        QVERIFY(run.out.contains(u"suspended"_s)); // dora
        QVERIFY(!run.out.contains(seed().adminToken));

        // /me first, then the list, both with the token.
        QCOMPARE(requests().size(), 2);
        QCOMPARE(requests().at(0).path, u"/api/auth/me"_s);
        QCOMPARE(requests().at(1).path, u"/api/auth/users"_s);
        for (const RecordedRequest &r : requests())
            QCOMPARE(r.header("authorization"), "Bearer " + seed().adminToken.toLatin1());

        const CliRun json = asAdmin({u"users"_s, u"list"_s, u"--json"_s});
        QCOMPARE(json.status, 0);
        const QJsonArray users = jsonArray(json.out);
        QCOMPARE(users.size(), 5);
        QJsonObject ulrich;
        for (const QJsonValue &u : users) {
            if (u[u"username"_s].toString() == u"ulrich"_s)
                ulrich = u.toObject();
        }
        QCOMPARE(ulrich.value(u"id"_s).toInteger(), seed().userId);
        QVERIFY(ulrich.value(u"display_name"_s).isNull());
        QCOMPARE(ulrich.value(u"role"_s).toString(), u"user"_s);
        QCOMPARE(ulrich.value(u"is_active"_s).toBool(), true);
        QCOMPARE(ulrich.value(u"created_at"_s).toString(), u"2026-11-21 10:00:00.000001"_s);
    }

    void badTokenIsNotValidOnThisHost_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("unknown") << QString(64, QLatin1Char('0'));
        QTest::newRow("disabled user") << QString(); // filled in below: the seed is per test
    }
    void badTokenIsNotValidOnThisHost()
    {
        QFETCH(QString, token);
        if (token.isEmpty())
            token = seed().disabledToken;
        const CliRun run = runCli(host({u"users"_s, u"list"_s}), {}, withToken(token));
        QCOMPARE(run.status, 1);
        VERIFY_ONE_ERROR_LINE(run);
        QVERIFY2(run.err.contains(u"not valid on this host"_s), qPrintable(run.err));
        QVERIFY(!run.err.contains(token));
        // The anonymous /me answer stops it: no listing is asked for.
        QCOMPARE(requests().size(), 1);
        QCOMPARE(requests().at(0).path, u"/api/auth/me"_s);
    }

    void missingTokenIsAUsageError()
    {
        const CliRun run = runCli(host({u"users"_s, u"list"_s}));
        QCOMPARE(run.status, 2);
        VERIFY_ONE_ERROR_LINE(run);
        QVERIFY(run.err.contains(u"RIVERKEEPER_TOKEN"_s));
        QVERIFY(requests().isEmpty());
    }

    void passwordOnStdinLogsInAndOutAtExit()
    {
        const CliRun run = runCli(
            host({u"--user"_s, u"admin"_s, u"users"_s, u"list"_s}), seed().adminPassword.toUtf8() + "\n");
        QCOMPARE(run.status, 0);
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
        QVERIFY(run.out.contains(u"olivia"_s));
        QVERIFY(!run.out.contains(seed().adminPassword));

        QCOMPARE(requests().size(), 4);
        const RecordedRequest &login = requests().at(0);
        QCOMPARE(login.method, QByteArray("POST"));
        QCOMPARE(login.path, u"/api/auth/login"_s);
        QCOMPARE(login.json()[u"username"_s].toString(), u"admin"_s);
        QCOMPARE(login.json()[u"password"_s].toString(), seed().adminPassword);
        QCOMPARE(requests().at(1).path, u"/api/auth/me"_s);
        QCOMPARE(requests().at(2).path, u"/api/auth/users"_s);
        const RecordedRequest &logout = requests().at(3);
        QCOMPARE(logout.method, QByteArray("POST"));
        QCOMPARE(logout.path, u"/api/auth/logout"_s);
        // Every request after the login carries its session, and the session is gone afterwards.
        const QString session = requests().at(1).cookie(u"kohakuriver_session"_s);
        QCOMPARE(session.size(), 64);
        QCOMPARE(requests().at(2).cookie(u"kohakuriver_session"_s), session);
        QCOMPARE(logout.cookie(u"kohakuriver_session"_s), session);
        QVERIFY(!requests().at(1).hasHeader("authorization"));
        QCOMPARE(m_host->sessionCount(), 0);
    }

    void passwordSignInLogsOutEvenWhenTheCommandFails()
    {
        // A viewer may not list users (403), and vera's session must still end.
        QProcessEnvironment env;
        env.insert(u"RIVERKEEPER_PASSWORD"_s, u"vera-password"_s);
        const CliRun run = runCli(host({u"--user"_s, u"vera"_s, u"users"_s, u"list"_s}), {}, env);
        QCOMPARE(run.status, 1);
        VERIFY_ONE_ERROR_LINE(run);
        QVERIFY2(run.err.contains(u"Permission denied by the host"_s), qPrintable(run.err));
        QCOMPARE(count("POST", u"/api/auth/login"_s), 1);
        QCOMPARE(count("POST", u"/api/auth/logout"_s), 1);
        QCOMPARE(requests().last().path, u"/api/auth/logout"_s);
        QCOMPARE(m_host->sessionCount(), 0);
    }

    void wrongPasswordFailsWithoutASession()
    {
        const CliRun run
            = runCli(host({u"--user"_s, u"admin"_s, u"users"_s, u"list"_s}), QByteArrayLiteral("nope\n"));
        QCOMPARE(run.status, 1);
        VERIFY_ONE_ERROR_LINE(run);
        QVERIFY2(run.err.contains(u"Invalid username or password"_s), qPrintable(run.err));
        QVERIFY(!run.err.contains(u"nope"_s));
        QCOMPARE(requests().size(), 1);
        QCOMPARE(m_host->sessionCount(), 0);
    }

    // --- approvals --------------------------------------------------------------------------------

    void approvalsListShowsExactIds()
    {
        const CliRun run = asAdmin({u"approvals"_s, u"list"_s, u"--json"_s});
        QCOMPARE(run.status, 0);
        const QJsonArray tasks = jsonArray(run.out);
        QStringList ids;
        for (const QJsonValue &t : tasks) {
            QVERIFY(t[u"task_id"_s].isString());
            ids << t[u"task_id"_s].toString();
            QCOMPARE(t[u"status"_s].toString(), u"pending_approval"_s);
        }
        QVERIFY(seed().pendingTaskId > kTwoTo53);
        QVERIFY2(ids.contains(QString::number(seed().pendingTaskId)), qPrintable(ids.join(u' ')));
        QVERIFY(ids.contains(QString::number(seed().pendingVpsId)));
        QCOMPARE(requests().last().path, u"/api/tasks/pending-approval"_s);

        const CliRun table = asAdmin({u"approvals"_s, u"list"_s});
        QCOMPARE(table.status, 0);
        QVERIFY(table.out.contains(QString::number(seed().pendingTaskId)));
        QVERIFY(table.out.contains(u"python train.py --epochs=3"_s));
    }

    void approveReachesTheHostWithTheExactId()
    {
        const qint64 id = seed().pendingTaskId;
        const CliRun run = asAdmin({u"approvals"_s, u"approve"_s, QString::number(id)});
        QCOMPARE(run.status, 0);
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
        QVERIFY(run.out.contains(QString::number(id)));
        QCOMPARE(requests().last().method, QByteArray("POST"));
        QCOMPARE(requests().last().path, u"/api/approve/%1"_s.arg(id));
        QCOMPARE(m_host->task(id)->approvalStatus, u"approved"_s);

        // Approving twice: the host's 409, through HostErrors.
        const CliRun again = asAdmin({u"approvals"_s, u"approve"_s, QString::number(id)});
        QCOMPARE(again.status, 1);
        VERIFY_ONE_ERROR_LINE(again);
        QVERIFY2(again.err.contains(u"not pending approval"_s), qPrintable(again.err));
    }

    void rejectSendsTheReason()
    {
        const qint64 id = seed().pendingVpsId;
        QVERIFY(id > kTwoTo53);
        const QString reason = u"Too many GPUs & no budget: 100% booked"_s;
        const CliRun run = asAdmin({u"approvals"_s, u"reject"_s, QString::number(id), u"--reason"_s, reason});
        QCOMPARE(run.status, 0);
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
        const RecordedRequest &reject = requests().last();
        QCOMPARE(reject.method, QByteArray("POST"));
        QCOMPARE(reject.path, u"/api/reject/%1"_s.arg(id));
        QCOMPARE(reject.query(u"reason"_s), reason);
        QCOMPARE(m_host->task(id)->status, u"rejected"_s);
        QCOMPARE(m_host->task(id)->rejectionReason, reason);

        const CliRun plain = asAdmin({u"approvals"_s, u"reject"_s, QString::number(seed().pendingTaskId)});
        QCOMPARE(plain.status, 0);
        QVERIFY(!requests().last().hasQuery(u"reason"_s));
    }

    void aBadTaskIdIsAUsageError()
    {
        const CliRun run = asAdmin({u"approvals"_s, u"approve"_s, u"12ab"_s});
        QCOMPARE(run.status, 2);
        VERIFY_ONE_ERROR_LINE(run);
        QCOMPARE(count("POST", QString()), 0);
    }

    // --- tasks --------------------------------------------------------------------------------

    void tasksOutputStderrLines()
    {
        FakeTask noisy;
        noisy.taskId = FakeHost::snowflake(1795000000123LL, 9);
        noisy.ownerId = seed().adminId;
        noisy.status = u"failed"_s;
        noisy.submittedAt = u"2026-11-22T03:00:00"_s;
        noisy.stdoutText = u"out\n"_s;
        noisy.stderrText = u"e1\ne2\ne3\ne4\ne5\ne6\ne7\ne8\n"_s;
        m_host->addTask(noisy);

        const CliRun run = asAdmin(
            {u"tasks"_s, u"output"_s, QString::number(noisy.taskId), u"--stderr"_s, u"--lines"_s, u"5"_s});
        QCOMPARE(run.status, 0);
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
        QCOMPARE(run.out, u"e4\ne5\ne6\ne7\ne8\n"_s);
        const RecordedRequest &get = requests().last();
        QCOMPARE(get.path, u"/api/tasks/%1/stderr"_s.arg(noisy.taskId));
        QCOMPARE(get.query(u"lines"_s), u"5"_s);

        const CliRun whole = asAdmin({u"tasks"_s, u"output"_s, QString::number(seed().runningTaskId)});
        QCOMPARE(whole.status, 0);
        QCOMPARE(whole.out, u"line 1\nline 2\nline 3\nline 4\nline 5\n"_s);
        QCOMPARE(requests().last().path, u"/api/tasks/%1/stdout"_s.arg(seed().runningTaskId));
        QVERIFY(!requests().last().hasQuery(u"lines"_s));
    }

    void tasksListPassesTheFilters()
    {
        const CliRun run = asAdmin({u"tasks"_s, u"list"_s, u"--status"_s, u"running"_s, u"--limit"_s, u"20"_s,
            u"--offset"_s, u"0"_s, u"--json"_s});
        QCOMPARE(run.status, 0);
        const RecordedRequest &get = requests().last();
        QCOMPARE(get.path, u"/api/tasks"_s);
        QCOMPARE(get.query(u"status"_s), u"running"_s);
        QCOMPARE(get.query(u"limit"_s), u"20"_s);
        QCOMPARE(get.query(u"offset"_s), u"0"_s);
        const QJsonArray tasks = jsonArray(run.out);
        QCOMPARE(tasks.size(), 1);
        QCOMPARE(tasks.at(0)[u"task_id"_s].toString(), QString::number(seed().runningTaskId));
        QCOMPARE(tasks.at(0)[u"assigned_node"_s].toString(), u"node-a"_s);

        const CliRun bad = asAdmin({u"tasks"_s, u"list"_s, u"--status"_s, u"sleeping"_s});
        QCOMPARE(bad.status, 2);
        VERIFY_ONE_ERROR_LINE(bad);
    }

    void vpsAndNodes()
    {
        const CliRun vps = asAdmin({u"vps"_s, u"list"_s, u"--json"_s});
        QCOMPARE(vps.status, 0);
        QStringList ids;
        for (const QJsonValue &v : jsonArray(vps.out))
            ids << v[u"task_id"_s].toString();
        QVERIFY(ids.contains(QString::number(seed().vpsId)));
        QCOMPARE(requests().last().path, u"/api/vps"_s);

        const CliRun nodes = asAdmin({u"nodes"_s, u"list"_s});
        QCOMPARE(nodes.status, 0);
        QCOMPARE(requests().last().path, u"/api/nodes"_s);
        QVERIFY(nodes.out.startsWith(u"HOSTNAME"_s));
    }

    // --- users, tokens, invitations -------------------------------------------------------------

    void usersSetAndDeleteResolveTheName()
    {
        const CliRun set = asAdmin({u"users"_s, u"set"_s, u"ulrich"_s, u"--role"_s, u"operator"_s});
        QCOMPARE(set.status, 0);
        const RecordedRequest &patch = requests().last();
        QCOMPARE(patch.method, QByteArray("PATCH"));
        QCOMPARE(patch.path, u"/api/auth/users/%1"_s.arg(seed().userId));
        QCOMPARE(patch.json().toObject(), QJsonObject({{u"role"_s, u"operator"_s}}));
        QCOMPARE(m_host->user(seed().userId)->role, u"operator"_s);

        const CliRun del = asAdmin({u"users"_s, u"delete"_s, u"dora"_s});
        QCOMPARE(del.status, 0);
        QCOMPARE(requests().last().method, QByteArray("DELETE"));
        QCOMPARE(requests().last().path, u"/api/auth/users/%1"_s.arg(seed().disabledId));
        QVERIFY(!m_host->user(seed().disabledId));

        const CliRun nobody = asAdmin({u"users"_s, u"delete"_s, u"nobody"_s});
        QCOMPARE(nobody.status, 1);
        VERIFY_ONE_ERROR_LINE(nobody);
        QVERIFY(nobody.err.contains(u"nobody"_s));
    }

    void ownTokens()
    {
        const CliRun created = asAdmin({u"tokens"_s, u"create"_s, u"--name"_s, u"ci"_s, u"--json"_s});
        QCOMPARE(created.status, 0);
        const QJsonObject token = QJsonDocument::fromJson(created.out.toUtf8()).object();
        QCOMPARE(token.value(u"token"_s).toString().size(), 64);
        QCOMPARE(token.value(u"owner"_s).toString(), u"admin"_s);
        QCOMPARE(requests().last().path, u"/api/auth/tokens/create"_s);

        const CliRun list = asAdmin({u"tokens"_s, u"list"_s});
        QCOMPARE(list.status, 0);
        QVERIFY(list.out.contains(u"admin-cli"_s));
        QVERIFY(list.out.contains(u"ci"_s));
        QVERIFY(!list.out.contains(u"operator-cli"_s)); // own tokens only
        QVERIFY(!list.out.contains(token.value(u"token"_s).toString()));

        const QString id = QString::number(token.value(u"id"_s).toInteger());
        const CliRun revoked = asAdmin({u"tokens"_s, u"revoke"_s, id});
        QCOMPARE(revoked.status, 0);
        QCOMPARE(requests().last().path, u"/api/auth/tokens/"_s + id);
    }

    void operatorsCreateOnlyViewerInvitations()
    {
        const QProcessEnvironment op = withToken(seed().operatorToken);
        const CliRun user = runCli(host({u"invitations"_s, u"create"_s, u"--role"_s, u"user"_s}), {}, op);
        QCOMPARE(user.status, 1);
        VERIFY_ONE_ERROR_LINE(user);
        QVERIFY2(user.err.contains(u"viewer"_s), qPrintable(user.err));
        QCOMPARE(count("POST", u"/api/auth/invitations"_s), 0);

        const CliRun viewer = runCli(
            host({u"invitations"_s, u"create"_s, u"--role"_s, u"viewer"_s, u"--uses"_s, u"3"_s}), {}, op);
        QCOMPARE(viewer.status, 0);
        QCOMPARE(requests().last().json()[u"role"_s].toString(), u"viewer"_s);
        QCOMPARE(requests().last().json()[u"max_usage"_s].toInt(), 3);

        // Listing is admin-only on the host: the operator gets its 403 sentence.
        const CliRun list = runCli(host({u"invitations"_s, u"list"_s}), {}, op);
        QCOMPARE(list.status, 1);
        QVERIFY2(list.err.contains(u"Admin access required"_s), qPrintable(list.err));

        const CliRun admin = asAdmin({u"invitations"_s, u"list"_s, u"--json"_s});
        QCOMPARE(admin.status, 0);
        const QJsonArray invitations = jsonArray(admin.out);
        QVERIFY(!invitations.isEmpty());
        const QString id = QString::number(invitations.at(0)[u"id"_s].toInteger());
        const CliRun revoke = asAdmin({u"invitations"_s, u"revoke"_s, id});
        QCOMPARE(revoke.status, 0);
        QCOMPARE(requests().last().method, QByteArray("DELETE"));
        QCOMPARE(requests().last().path, u"/api/auth/invitations/"_s + id);
    }

    // --- what the API lacks -----------------------------------------------------------------------

    void commandsTheApiLacksExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("names");
        QTest::newRow("sessions") << QStringList {u"sessions"_s, u"list"_s} << u"sessions list"_s;
        QTest::newRow("groups") << QStringList {u"groups"_s, u"list"_s} << u"groups list"_s;
        QTest::newRow("create user") << QStringList {u"users"_s, u"create"_s, u"bob"_s, u"--role"_s,
            u"user"_s} << u"users create"_s;
        QTest::newRow("reset password")
            << QStringList {u"users"_s, u"reset-password"_s, u"ulrich"_s} << u"users reset-password"_s;
        QTest::newRow("others' tokens")
            << QStringList {u"tokens"_s, u"list"_s, u"--of"_s, u"ulrich"_s} << u"tokens list --of"_s;
        QTest::newRow("token for another") << QStringList {u"tokens"_s, u"create"_s, u"--for"_s, u"ulrich"_s,
            u"--name"_s, u"x"_s} << u"tokens create --for"_s;
        QTest::newRow("settings") << QStringList {u"settings"_s, u"get"_s, u"general.base_url"_s}
                                  << u"settings get"_s;
        QTest::newRow("audit") << QStringList {u"audit"_s, u"list"_s} << u"audit list"_s;
    }
    void commandsTheApiLacksExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, names);
        const CliRun run = asAdmin(args);
        QCOMPARE(run.status, 2);
        VERIFY_ONE_ERROR_LINE(run);
        QVERIFY2(run.err.contains(names), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"needs the platform database (--db FILE)"_s), qPrintable(run.err));
        QVERIFY(requests().isEmpty()); // refused before connecting
    }

    // --- the platform database alone ------------------------------------------------------------

    void approvalsOverTheDatabase()
    {
        const QString path = m_dir.filePath(u"sample.db"_s);
        {
            auto store = PlatformStore::create(path);
            QVERIFY(store);
            auto root = (*store)->createFirstAdmin(
                u"root"_s, QString(), *Passwords::hash(kRootPassword, 4), u"test"_s);
            QVERIFY(root);
            SampleDataOptions options;
            options.bcryptCost = 4;
            QVERIFY(SampleData::populate(**store, *root, options));
        }
        QStringList expected;
        {
            auto store = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
            QVERIFY(store);
            auto stmt = (*store)->database().prepare(
                u"SELECT task_id FROM tasks WHERE status = 'pending_approval' ORDER BY task_id"_s);
            QVERIFY(stmt);
            while (*stmt->step())
                expected << QString::number(stmt->int64(0));
        }
        QCOMPARE(expected.size(), SampleDataCounts::kPendingApprovalTasks);

        const QByteArray password = kRootPassword.toUtf8() + "\n";
        const QStringList db {u"--db"_s, path, u"--user"_s, u"root"_s};
        const CliRun list = runCli(db + QStringList {u"approvals"_s, u"list"_s, u"--json"_s}, password);
        QCOMPARE(list.status, 0);
        QVERIFY2(list.err.isEmpty(), qPrintable(list.err));
        QStringList ids;
        for (const QJsonValue &t : jsonArray(list.out)) {
            ids << t[u"task_id"_s].toString();
            QCOMPARE(t[u"status"_s].toString(), u"pending_approval"_s);
            QVERIFY(!t[u"owner_username"_s].toString().isEmpty());
        }
        std::sort(ids.begin(), ids.end(),
            [](const QString &a, const QString &b) { return a.toLongLong() < b.toLongLong(); });
        QCOMPARE(ids, expected);
        QVERIFY(expected.first().toLongLong() > kTwoTo53);

        const CliRun table = runCli(db + QStringList {u"approvals"_s, u"list"_s}, password);
        QCOMPARE(table.status, 0);
        QCOMPARE(table.out.count(u'\n'), SampleDataCounts::kPendingApprovalTasks + 1);

        const CliRun tasks = runCli(
            db + QStringList {u"tasks"_s, u"list"_s, u"--status"_s, u"running"_s, u"--json"_s}, password);
        QCOMPARE(tasks.status, 0);
        for (const QJsonValue &t : jsonArray(tasks.out)) {
            QCOMPARE(t[u"status"_s].toString(), u"running"_s);
            QCOMPARE(t[u"task_type"_s].toString(), u"command"_s);
        }

        // Approving dispatches the task: the database alone cannot.
        const CliRun approve
            = runCli(db + QStringList {u"approvals"_s, u"approve"_s, expected.first()}, password);
        QCOMPARE(approve.status, 2);
        VERIFY_ONE_ERROR_LINE(approve);
        QVERIFY2(approve.err.contains(u"dispatch"_s), qPrintable(approve.err));
        QVERIFY(approve.err.contains(u"--host"_s));
        const CliRun reject
            = runCli(db + QStringList {u"approvals"_s, u"reject"_s, expected.first()}, password);
        QCOMPARE(reject.status, 2);
        auto store = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
        QCOMPARE((*store)
                     ->database()
                     .scalar(u"SELECT status FROM tasks WHERE task_id = %1"_s.arg(expected.first()))
                     ->toString(),
            u"pending_approval"_s);
    }

    void aViewerCannotListApprovalsOverTheDatabase()
    {
        const QString path = m_dir.filePath(u"fixture.db"_s);
        QVERIFY(makeFixtureStore(path));
        const CliRun run = runCli({u"--db"_s, path, u"--user"_s, u"vera"_s, u"approvals"_s, u"list"_s},
            kUserPassword.toUtf8() + "\n");
        QCOMPARE(run.status, 1);
        VERIFY_ONE_ERROR_LINE(run);
        QVERIFY2(run.err.contains(u"approve tasks"_s), qPrintable(run.err));
    }

    void databaseInvitationsRevokeAndTokensForSomeone()
    {
        const QString path = m_dir.filePath(u"revoke.db"_s);
        QVERIFY(makeFixtureStore(path));
        const QByteArray password = kRootPassword.toUtf8() + "\n";
        const QStringList db {u"--db"_s, path, u"--user"_s, u"root"_s};
        const CliRun created
            = runCli(db + QStringList {u"invitations"_s, u"create"_s, u"--role"_s, u"viewer"_s, u"--json"_s},
                password);
        QCOMPARE(created.status, 0);
        const QString id
            = QString::number(QJsonDocument::fromJson(created.out.toUtf8()).object()[u"id"_s].toInteger());
        const CliRun revoked = runCli(db + QStringList {u"invitations"_s, u"revoke"_s, id}, password);
        QCOMPARE(revoked.status, 0);
        QVERIFY(revoked.out.contains(id));
        auto store = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
        QCOMPARE((*store)->database().scalar(u"SELECT COUNT(*) FROM invitations"_s)->toInt(), 0);
        const CliRun again = runCli(db + QStringList {u"invitations"_s, u"revoke"_s, id}, password);
        QCOMPARE(again.status, 1);
        VERIFY_ONE_ERROR_LINE(again);

        // With --db a token is always made for a named user.
        const CliRun token
            = runCli(db + QStringList {u"tokens"_s, u"create"_s, u"--name"_s, u"ci"_s}, password);
        QCOMPARE(token.status, 2);
        VERIFY_ONE_ERROR_LINE(token);
        QVERIFY(token.err.contains(u"--for NAME"_s));
    }

    // --- connections ------------------------------------------------------------------------------

    void aHostThatIsDownGivesAClearError()
    {
        const QString down = url();
        m_host.reset(); // nothing listens on that port any more
        const CliRun run = runCli({u"--host"_s, down, u"users"_s, u"list"_s}, {}, withToken(u"abc"_s));
        QCOMPARE(run.status, 1);
        VERIFY_ONE_ERROR_LINE(run);
        QVERIFY2(run.err.contains(u"refused the connection"_s), qPrintable(run.err));
        QVERIFY(!run.err.contains(u"abc"_s));
    }

    void plainHttpToAnotherMachineWarns()
    {
        const CliRun run
            = runCli({u"--host"_s, u"http://riverkeeper-test.invalid:8000"_s, u"nodes"_s, u"list"_s}, {},
                withToken(u"abc"_s));
        QCOMPARE(run.status, 1);
        const QStringList lines = run.err.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines.at(0).startsWith(u"riverkeeper-cli: warning: "_s), qPrintable(run.err));
        QVERIFY(lines.at(0).contains(u"plain HTTP"_s));
        QVERIFY(lines.at(1).startsWith(u"riverkeeper-cli: "_s));
    }

    void connectionUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("db and host") << QStringList {
            u"--db"_s, u"x.db"_s, u"--host"_s, u"http://127.0.0.1:1"_s, u"users"_s, u"list"_s};
        QTest::newRow("host and profile") << QStringList {
            u"--host"_s, u"http://127.0.0.1:1"_s, u"--profile"_s, u"p"_s, u"users"_s, u"list"_s};
        QTest::newRow("read-only host")
            << QStringList {u"--host"_s, u"http://127.0.0.1:1"_s, u"--read-only"_s, u"users"_s, u"list"_s};
        QTest::newRow("not a url") << QStringList {u"--host"_s, u"ftp://127.0.0.1"_s, u"users"_s, u"list"_s};
        QTest::newRow("init over host")
            << QStringList {u"--host"_s, u"http://127.0.0.1:1"_s, u"init"_s, u"--admin"_s, u"a"_s};
        QTest::newRow("output over db")
            << QStringList {u"--db"_s, u"x.db"_s, u"tasks"_s, u"output"_s, u"1"_s};
    }
    void connectionUsageErrors()
    {
        QFETCH(QStringList, args);
        const CliRun run = runCli(args, {}, withToken(u"abc"_s));
        QCOMPARE(run.status, 2);
        VERIFY_ONE_ERROR_LINE(run);
    }

    void savedProfileUsesItsKeychainSecret()
    {
        auto settings = std::make_unique<QSettings>(m_dir.filePath(u"profiles.conf"_s), QSettings::IniFormat);
        ProfileStore profiles(std::move(settings));
        ConnectionProfile profile;
        profile.name = u"lab"_s;
        profile.kind = ConnectionProfile::Kind::Host;
        profile.baseUrl = m_host->baseUrl();
        profile.auth = ConnectionProfile::Auth::ApiToken;
        auto saved = profiles.save(profile);
        QVERIFY(saved);

        MemorySecretStore secrets;
        bool written = false;
        secrets.write(
            saved->secretKey(), seed().operatorToken, &secrets, [&](const Status &s) { written = s.ok(); });
        QTRY_VERIFY(written);

        const CliRun run = runCli(
            {u"--profile"_s, u"lab"_s, u"approvals"_s, u"list"_s}, {}, {}, Services {&profiles, &secrets});
        QCOMPARE(run.status, 0);
        QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
        QVERIFY(run.out.contains(QString::number(seed().pendingTaskId)));
        QCOMPARE(requests().first().header("authorization"), "Bearer " + seed().operatorToken.toLatin1());

        const CliRun unknown = runCli(
            {u"--profile"_s, u"nowhere"_s, u"users"_s, u"list"_s}, {}, {}, Services {&profiles, &secrets});
        QCOMPARE(unknown.status, 1);
        VERIFY_ONE_ERROR_LINE(unknown);

        // No secret stored for it.
        MemorySecretStore empty;
        const CliRun missing
            = runCli({u"--profile"_s, u"lab"_s, u"users"_s, u"list"_s}, {}, {}, Services {&profiles, &empty});
        QCOMPARE(missing.status, 1);
        VERIFY_ONE_ERROR_LINE(missing);
        QVERIFY2(missing.err.contains(u"no secret"_s), qPrintable(missing.err));

        // A keychain that cannot be reached: a clear error, and nothing is sent.
        m_host->server().clearRequests();
        UnavailableSecretStore unavailable;
        const CliRun locked = runCli(
            {u"--profile"_s, u"lab"_s, u"users"_s, u"list"_s}, {}, {}, Services {&profiles, &unavailable});
        QCOMPARE(locked.status, 1);
        VERIFY_ONE_ERROR_LINE(locked);
        QVERIFY2(locked.err.contains(u"Cannot read the secret of the connection \"lab\""_s),
            qPrintable(locked.err));
        QVERIFY(locked.err.contains(u"No system keychain is available"_s));
        QCOMPARE(unavailable.reads, 1);
        QVERIFY(requests().isEmpty());

        // A command the API lacks is refused before the keychain is even asked.
        const CliRun sessions = runCli(
            {u"--profile"_s, u"lab"_s, u"sessions"_s, u"list"_s}, {}, {}, Services {&profiles, &unavailable});
        QCOMPARE(sessions.status, 2);
        QCOMPARE(unavailable.reads, 1);
    }

    void savedProfileUsesItsTrustedCertificate()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        FakeHost tlsHost;
        QVERIFY(tlsHost.startTls(FakeHost::Certificate::Renewed));
        ProfileStore profiles(
            std::make_unique<QSettings>(m_dir.filePath(u"tls-profiles.conf"_s), QSettings::IniFormat));
        MemorySecretStore secrets;
        const auto save = [&](const QString &name, const QStringList &trusted) {
            ConnectionProfile profile;
            profile.name = name;
            profile.baseUrl = tlsHost.baseUrl();
            profile.auth = ConnectionProfile::Auth::ApiToken;
            profile.trustedCertificates = trusted;
            auto saved = profiles.save(profile);
            bool written = false;
            secrets.write(saved->secretKey(), tlsHost.seed().adminToken, &secrets,
                [&written](const Status &s) { written = s.ok(); });
            QTRY_VERIFY(written);
        };
        const QString renewed = FakeHost::certificateSha256(FakeHost::Certificate::Renewed);
        const QString standard = FakeHost::certificateSha256();
        save(u"trusted"_s, {renewed});
        save(u"untrusted"_s, {});
        save(u"changed"_s, {standard});
        const Services services {&profiles, &secrets};

        const CliRun trusted
            = runCli({u"--profile"_s, u"trusted"_s, u"nodes"_s, u"list"_s}, {}, {}, services);
        QCOMPARE(trusted.status, 0);
        QVERIFY2(trusted.err.isEmpty(), qPrintable(trusted.err));
        QCOMPARE(tlsHost.requests().size(), 2); // /me, /nodes

        const CliRun untrusted
            = runCli({u"--profile"_s, u"untrusted"_s, u"nodes"_s, u"list"_s}, {}, {}, services);
        QCOMPARE(untrusted.status, 1);
        VERIFY_ONE_ERROR_LINE(untrusted);
        QVERIFY2(untrusted.err.contains(renewed), qPrintable(untrusted.err));

        const CliRun changed
            = runCli({u"--profile"_s, u"changed"_s, u"nodes"_s, u"list"_s}, {}, {}, services);
        QCOMPARE(changed.status, 1);
        VERIFY_ONE_ERROR_LINE(changed);
        QVERIFY2(changed.err.contains(u"has changed"_s), qPrintable(changed.err));
        QVERIFY(changed.err.contains(standard));
        QVERIFY(changed.err.contains(renewed));
        QCOMPARE(tlsHost.requests().size(), 2); // nothing reached the host for the two refused
    }

    void hostAndDatabaseProfileUsesTheDatabaseForWhatTheApiLacks()
    {
        const QString path = m_dir.filePath(u"both.db"_s);
        QVERIFY(makeFixtureStore(path));
        auto settings = std::make_unique<QSettings>(m_dir.filePath(u"both.conf"_s), QSettings::IniFormat);
        ProfileStore profiles(std::move(settings));
        ConnectionProfile profile;
        profile.name = u"both"_s;
        profile.kind = ConnectionProfile::Kind::HostAndDatabase;
        profile.baseUrl = m_host->baseUrl();
        profile.auth = ConnectionProfile::Auth::ApiToken;
        profile.databasePath = path;
        auto saved = profiles.save(profile);
        QVERIFY(saved);
        MemorySecretStore secrets;
        bool written = false;
        secrets.write(
            saved->secretKey(), seed().adminToken, &secrets, [&](const Status &s) { written = s.ok(); });
        QTRY_VERIFY(written);
        const Services services {&profiles, &secrets};

        // The audit log is not in the API: the profile's database answers, signed in as root.
        const CliRun audit
            = runCli({u"--profile"_s, u"both"_s, u"--user"_s, u"root"_s, u"audit"_s, u"list"_s, u"--json"_s},
                kRootPassword.toUtf8() + "\n", {}, services);
        QCOMPARE(audit.status, 0);
        QVERIFY2(audit.err.isEmpty(), qPrintable(audit.err));
        QVERIFY(audit.out.contains(u"otto"_s)); // the fixture's users were created through the store
        QVERIFY(requests().isEmpty());

        // The approval queue goes to the host.
        const CliRun approvals
            = runCli({u"--profile"_s, u"both"_s, u"approvals"_s, u"list"_s}, {}, {}, services);
        QCOMPARE(approvals.status, 0);
        QVERIFY(approvals.out.contains(QString::number(seed().pendingTaskId)));
        QCOMPARE(requests().last().path, u"/api/tasks/pending-approval"_s);
    }

    void helpDescribesTheHost()
    {
        const CliRun help = runCli({u"--help"_s});
        QCOMPARE(help.status, 0);
        QVERIFY(help.out.contains(u"--host URL"_s));
        QVERIFY(help.out.contains(u"RIVERKEEPER_TOKEN"_s));
        QVERIFY(help.out.contains(u"--profile NAME"_s));
        QVERIFY(help.out.contains(u"approvals reject ID [--reason TEXT]"_s));
        QVERIFY(help.out.contains(u"tasks output ID [--stderr] [--lines N]"_s));

        const CliRun approve = runCli({u"approvals"_s, u"approve"_s, u"--help"_s});
        QCOMPARE(approve.status, 0);
        QVERIFY(approve.out.contains(u"(--host URL [--user NAME] | --profile NAME)"_s));
        QVERIFY(!approve.out.contains(u"--db FILE"_s));
    }
};

RK_TEST_GUILESS_MAIN(TestCliHost)
#include "TestCliHost.moc"
