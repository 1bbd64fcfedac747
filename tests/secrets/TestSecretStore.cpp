// The in-memory secret store, and the keychain store where no keychain can answer (no D-Bus
// session: DBUS_SESSION_BUS_ADDRESS points nowhere, set by CMake): it must fail clearly and in
// time, never hang.
#include "SecretStoreTestSupport.h"
#include "secrets/KeychainSecretStore.h"

#include <QElapsedTimer>

using namespace rk;
using namespace secrettest;

class TestSecretStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void memoryRoundTrip()
    {
        MemorySecretStore store;
        QVERIFY(!store.isPersistent());
        const auto missing = readNow(store, QStringLiteral("profile/a/token"));
        QVERIFY(missing.has_value());
        QVERIFY(!missing->ok());
        QCOMPARE(missing->error().code, Error::Code::NotFound);

        QVERIFY(writeNow(store, QStringLiteral("profile/a/token"), QStringLiteral("s3cret"))->ok());
        const auto read = readNow(store, QStringLiteral("profile/a/token"));
        QVERIFY(read && read->ok());
        QCOMPARE(read->value(), QStringLiteral("s3cret"));
        QCOMPARE(store.count(), 1);

        QVERIFY(removeNow(store, QStringLiteral("profile/a/token"))->ok());
        QVERIFY(!store.contains(QStringLiteral("profile/a/token")));
        QVERIFY(removeNow(store, QStringLiteral("profile/a/token"))->ok()); // already gone: fine
    }

    void memoryAnswersLaterAndNotToADeadContext()
    {
        MemorySecretStore store;
        bool called = false;
        {
            QObject context;
            store.write(
                QStringLiteral("k"), QStringLiteral("v"), &context, [&](const Status &) { called = true; });
            QVERIFY(!called); // asynchronous, like the keychain
        } // the context goes before the answer
        QTest::qWait(20);
        QVERIFY(!called);
    }

    void keychainWithoutServiceFailsClearly()
    {
        // CMake runs this test with DBUS_SESSION_BUS_ADDRESS pointing nowhere and no DISPLAY.
        KeychainSecretStore store(QStringLiteral("riverkeeper-test"), 3000);
        QElapsedTimer timer;
        timer.start();
        const auto written
            = writeNow(store, QStringLiteral("profile/x/token"), QStringLiteral("value"), 10000);
        QVERIFY2(written.has_value(), "the keychain store must answer (an error or a timeout), not hang");
        QVERIFY(!written->ok());
        QCOMPARE(written->error().code, Error::Code::Io);
        QVERIFY(!written->error().message.isEmpty());
        QVERIFY(!written->error().message.contains(QLatin1String("value")));
        QVERIFY(timer.elapsed() < 8000);
    }
};

RK_TEST_GUILESS_MAIN(TestSecretStore)
#include "TestSecretStore.moc"
