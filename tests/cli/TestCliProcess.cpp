#include "CliTestSupport.h"
#include "RkTest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace clitest;

namespace {

struct ProcessRun
{
    int status = -1;
    QByteArray out;
    QByteArray err;
};

// Runs the real riverkeeper-cli with `input` on its standard input.
ProcessRun runProcess(const QStringList &args, const QByteArray &input = {},
    const QProcessEnvironment &extra = QProcessEnvironment())
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("RIVERKEEPER_PASSWORD"));
    env.remove(QStringLiteral("RIVERKEEPER_NEW_PASSWORD"));
    for (const QString &key : extra.keys())
        env.insert(key, extra.value(key));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(RK_CLI_PATH), args);
    ProcessRun run;
    if (!process.waitForStarted(10000))
        return run;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000))
        return run;
    run.status = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

class TestCliProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::exists(QStringLiteral(RK_CLI_PATH)));
        m_db = m_dir.filePath(QStringLiteral("fixture.db"));
        QVERIFY(makeFixtureStore(m_db));
    }

    void version()
    {
        const ProcessRun run = runProcess({QStringLiteral("--version")});
        QCOMPARE(run.status, 0);
        QVERIFY(QRegularExpression(QStringLiteral("^riverkeeper-cli \\d+\\.\\d+\\.\\d+\\n$"))
                    .match(QString::fromUtf8(run.out))
                    .hasMatch());
        QCOMPARE(run.err, QByteArray());
    }

    void listsUsersAsJsonWithAQuietStderr()
    {
        const ProcessRun run
            = runProcess({QStringLiteral("--db"), m_db, QStringLiteral("--user"), QStringLiteral("root"),
                             QStringLiteral("users"), QStringLiteral("list"), QStringLiteral("--json")},
                kRootPassword.toUtf8() + '\n');
        QCOMPARE(run.status, 0);
        QCOMPARE(run.err, QByteArray()); // no Qt or store debug noise
        const QJsonDocument doc = QJsonDocument::fromJson(run.out);
        QVERIFY(doc.isArray());
        QCOMPARE(doc.array().size(), 4);
        QVERIFY(!run.out.contains(kRootPassword.toUtf8()));
    }

    void errorsAreOneLineWithTheDocumentedStatus()
    {
        const ProcessRun wrong
            = runProcess({QStringLiteral("--db"), m_db, QStringLiteral("--user"), QStringLiteral("root"),
                             QStringLiteral("users"), QStringLiteral("list")},
                "not-the-password\n");
        QCOMPARE(wrong.status, 1);
        QCOMPARE(wrong.err, QByteArray("riverkeeper-cli: Invalid username or password\n"));
        QCOMPARE(wrong.out, QByteArray());

        const ProcessRun usage
            = runProcess({QStringLiteral("--db"), m_db, QStringLiteral("users"), QStringLiteral("list")});
        QCOMPARE(usage.status, 2);
        QVERIFY(usage.err.startsWith("riverkeeper-cli: "));
        QCOMPARE(usage.err.count('\n'), 1);

        const ProcessRun noInput = runProcess({QStringLiteral("--db"), m_db, QStringLiteral("--user"),
            QStringLiteral("root"), QStringLiteral("users"), QStringLiteral("list")});
        QCOMPARE(noInput.status, 2);
        QCOMPARE(noInput.err.count('\n'), 1);
    }

    void initAndTokensEndToEnd()
    {
        const QString path = m_dir.filePath(QStringLiteral("e2e.db"));
        QProcessEnvironment env;
        env.insert(QStringLiteral("RIVERKEEPER_PASSWORD"), QStringLiteral("boss-password-1"));
        const ProcessRun init = runProcess({QStringLiteral("--db"), path, QStringLiteral("init"),
                                               QStringLiteral("--admin"), QStringLiteral("boss")},
            {}, env);
        QCOMPARE(init.status, 0);
        QCOMPARE(init.err, QByteArray());

        const ProcessRun token
            = runProcess({QStringLiteral("--db"), path, QStringLiteral("--user"), QStringLiteral("boss"),
                             QStringLiteral("tokens"), QStringLiteral("create"), QStringLiteral("--for"),
                             QStringLiteral("boss"), QStringLiteral("--name"), QStringLiteral("ci"),
                             QStringLiteral("--json")},
                "boss-password-1\n");
        QCOMPARE(token.status, 0);
        QCOMPARE(token.err, QByteArray());
        const QString plaintext
            = QJsonDocument::fromJson(token.out).object().value(QStringLiteral("token")).toString();
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(plaintext).hasMatch());

        auto store = rk::PlatformStore::open(path, rk::PlatformStore::Access::ReadOnly);
        QVERIFY(store);
        auto stmt = (*store)->database().prepare(
            QStringLiteral("SELECT COUNT(*) FROM tokens WHERE token_hash = ?1"));
        QVERIFY(stmt);
        stmt->bind(1, rk::tokens::sha3_512Hex(plaintext));
        QVERIFY(*stmt->step());
        QCOMPARE(stmt->int64(0), qint64(1));
    }

private:
    QTemporaryDir m_dir;
    QString m_db;
};

RK_TEST_GUILESS_MAIN(TestCliProcess)
#include "TestCliProcess.moc"
