// The real system keychain: QtKeychain over libsecret to a GNOME Keyring Secret Service that
// run-with-keyring.sh starts, unlocked, in a private D-Bus session for this test alone. With
// RK_REQUIRE_KEYCHAIN=1 (set by CMake) a missing Secret Service fails the test instead of
// skipping it, so CI cannot pass without exercising the keychain.
#include "SecretStoreTestSupport.h"
#include "secrets/KeychainSecretStore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSettings>
#include <QUuid>

using namespace rk;
using namespace secrettest;

class TestKeychainSecretStore : public QObject
{
    Q_OBJECT

    QString m_key;

private Q_SLOTS:
    void initTestCase()
    {
        m_key = QStringLiteral("profile/%1/token").arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
        KeychainSecretStore probe(QStringLiteral("riverkeeper-test"), 5000);
        const auto answer = writeNow(probe, QStringLiteral("probe"), QStringLiteral("probe"));
        if (!answer || !answer->ok()) {
            const QString why = answer ? answer->error().message : QStringLiteral("no answer");
            if (qEnvironmentVariableIntValue("RK_REQUIRE_KEYCHAIN") == 1)
                QFAIL(qPrintable(QStringLiteral("no usable Secret Service: %1").arg(why)));
            QSKIP(qPrintable(QStringLiteral("no usable Secret Service: %1").arg(why)));
        }
        QVERIFY(removeNow(probe, QStringLiteral("probe"))->ok());
    }

    void writeReadOverwriteRemove()
    {
        KeychainSecretStore store(QStringLiteral("riverkeeper-test"), 5000);
        QVERIFY(store.isPersistent());
        const QString secret
            = QStringLiteral("f00dfeedcafe%1").arg(QUuid::createUuid().toString(QUuid::Id128));

        const auto missing = readNow(store, m_key);
        QVERIFY(missing && !missing->ok());
        QCOMPARE(missing->error().code, Error::Code::NotFound);

        const auto written = writeNow(store, m_key, secret);
        QVERIFY2(written && written->ok(), written ? qPrintable(written->error().message) : "no answer");
        auto read = readNow(store, m_key);
        QVERIFY(read && read->ok());
        QCOMPARE(read->value(), secret);

        // A second store object (a restart) finds it: the keychain, not this process, holds it.
        KeychainSecretStore again(QStringLiteral("riverkeeper-test"), 5000);
        read = readNow(again, m_key);
        QVERIFY(read && read->ok());
        QCOMPARE(read->value(), secret);

        QVERIFY(writeNow(store, m_key, secret + QStringLiteral("2"))->ok());
        read = readNow(store, m_key);
        QCOMPARE(read->value(), secret + QStringLiteral("2"));

        // Secrets never land in settings or our data folders: search every file of the test's
        // private config and data dirs except the keyring's own (encrypted) files.
        QSettings settings;
        settings.sync();
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
                QVERIFY2(!file.readAll().contains(secret.toUtf8()), qPrintable(path));
            }
        }

        QVERIFY(removeNow(store, m_key)->ok());
        const auto gone = readNow(store, m_key);
        QVERIFY(gone && !gone->ok());
        QCOMPARE(gone->error().code, Error::Code::NotFound);
        QVERIFY(removeNow(store, m_key)->ok()); // removing a missing entry is fine
    }

    void separateServicesDoNotMix()
    {
        KeychainSecretStore a(QStringLiteral("riverkeeper-test-a"), 5000);
        KeychainSecretStore b(QStringLiteral("riverkeeper-test-b"), 5000);
        QVERIFY(writeNow(a, m_key, QStringLiteral("alpha"))->ok());
        const auto fromB = readNow(b, m_key);
        QVERIFY(fromB && !fromB->ok());
        QCOMPARE(fromB->error().code, Error::Code::NotFound);
        QVERIFY(removeNow(a, m_key)->ok());
    }
};

RK_TEST_GUILESS_MAIN(TestKeychainSecretStore)
#include "TestKeychainSecretStore.moc"
