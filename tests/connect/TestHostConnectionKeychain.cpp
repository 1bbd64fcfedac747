// HostConnection with the real system keychain (QtKeychain over a GNOME Keyring Secret Service that
// run-with-keyring.sh starts for this test): the app's token goes to the keychain, survives a
// "restart", is removed at sign-out, and is in no file the app writes. With RK_REQUIRE_KEYCHAIN=1
// (set by CMake) a missing Secret Service fails instead of skipping.
#include "ConnectTestSupport.h"
#include "FakeHost.h"
#include "RkTest.h"
#include "connection/HostConnection.h"
#include "host/HostClient.h"
#include "profiles/ProfileStore.h"
#include "secrets/KeychainSecretStore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QUuid>

using namespace rk;
using namespace rk::test;
using namespace connecttest;
using namespace Qt::StringLiterals;

namespace {
const QString kService = u"riverkeeper-test-connect"_s;
}

class TestHostConnectionKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        KeychainSecretStore probe(kService, 5000);
        std::optional<Status> answer;
        QObject context;
        probe.write(u"probe"_s, u"probe"_s, &context, [&](const Status &s) { answer = s; });
        (void)QTest::qWaitFor([&] { return answer.has_value(); }, 10000);
        if (!answer || !answer->ok()) {
            const QString why = answer ? answer->error().message : u"no answer"_s;
            if (qEnvironmentVariableIntValue("RK_REQUIRE_KEYCHAIN") == 1)
                QFAIL(qPrintable(u"no usable Secret Service: %1"_s.arg(why)));
            QSKIP(qPrintable(u"no usable Secret Service: %1"_s.arg(why)));
        }
    }

    void tokenLivesInTheKeychainUntilSignOut()
    {
        FakeHost host;
        QVERIFY(host.start());
        ConnectionProfile profile;
        profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        profile.name = u"keychain lab "_s + profile.id; // the test's HOME persists between runs
        profile.baseUrl = host.baseUrl();

        KeychainSecretStore keychain(kService, 5000);
        HostClient client;
        HostConnection connection(profile, keychain, client);
        QSignalSpy connected(&connection, &HostConnection::connected);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.connectWithPassword(u"admin"_s, host.seed().adminPassword);
        QVERIFY2(connected.wait(10000),
            failed.isEmpty() ? "no answer"
                             : qPrintable(failed.first().first().value<ConnectionFailure>().message()));
        QString plaintext;
        const QList<FakeToken> tokens = host.tokens();
        for (const FakeToken &t : tokens) {
            if (t.name == HostConnection::appTokenName())
                plaintext = t.plaintext;
        }
        QVERIFY(!plaintext.isEmpty());
        ProfileStore profiles(ProfileStore::openDefaultSettings());
        const auto saved = profiles.save(connection.profile());
        QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().message));

        // A restart: new store and client objects find the token in the keychain.
        {
            KeychainSecretStore again(kService, 5000);
            const auto stored = readNow(again, profile.secretKey());
            QVERIFY(stored && stored->ok());
            QCOMPARE(stored->value(), plaintext);
            HostClient freshClient;
            HostConnection reopened(connection.profile(), again, freshClient);
            QSignalSpy reconnected(&reopened, &HostConnection::connected);
            reopened.resume();
            QVERIFY(reconnected.wait(10000));
            QCOMPARE(reopened.me().username, u"admin"_s);
        }

        // The token is in no file under the test's private HOME and config dir but the keyring's.
        for (const QString &base : {qEnvironmentVariable("XDG_CONFIG_HOME"), QDir::homePath()}) {
            if (base.isEmpty())
                continue;
            QDirIterator it(base, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                if (path.contains(QLatin1String("/keyrings/")))
                    continue;
                QFile file(path);
                if (file.size() > 16 * 1024 * 1024 || !file.open(QIODevice::ReadOnly))
                    continue;
                QVERIFY2(!file.readAll().contains(plaintext.toLatin1()), qPrintable(path));
            }
        }

        QSignalSpy signedOut(&connection, &HostConnection::signedOut);
        connection.signOut();
        QVERIFY(signedOut.wait(10000));
        QVERIFY(signedOut.first().first().value<Status>().ok());
        const auto gone = readNow(keychain, profile.secretKey());
        QVERIFY(gone && !gone->ok());
        QCOMPARE(gone->error().code, Error::Code::NotFound);
        profiles.remove(profile.id);
        const QList<FakeToken> left = host.tokens();
        for (const FakeToken &t : left)
            QVERIFY(t.name != HostConnection::appTokenName());
    }
};

RK_TEST_GUILESS_MAIN(TestHostConnectionKeychain)
#include "TestHostConnectionKeychain.moc"
