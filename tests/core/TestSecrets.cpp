#include "RkTest.h"
#include "core/Secrets.h"

#include <QRegularExpression>

using namespace rk;

class TestSecrets : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verifiesTheHostsExampleHash()
    {
        // From a live host database: the password is "adminpass123".
        const QString stored = QStringLiteral("$2b$12$bXLfPXixMQaibIzw/28FCueTN3p1yEpBPI9G4Les6SB6eN5k/Y99e");
        QVERIFY(Passwords::isBcrypt(stored));
        QVERIFY(Passwords::verify(QStringLiteral("adminpass123"), stored));
        QVERIFY(!Passwords::verify(QStringLiteral("adminpass124"), stored));
        QVERIFY(!Passwords::verify(QString(), stored));
    }
    void hashesInTheHostsFormat()
    {
        const auto hash = Passwords::hash(QStringLiteral("correct horse ✓"));
        QVERIFY(hash.ok());
        const QString text = hash->text();
        QCOMPARE(text.size(), 60);
        QVERIFY(text.startsWith(QLatin1String("$2b$12$")));
        QVERIFY(Passwords::verify(QStringLiteral("correct horse ✓"), text));
        QVERIFY(!Passwords::verify(QStringLiteral("correct horse"), text));
        // A fresh salt every time.
        QVERIFY(Passwords::hash(QStringLiteral("correct horse ✓"), 4)->text() != text);
    }
    void rejectsWhatIsNotBcrypt()
    {
        QVERIFY(!Passwords::isBcrypt(QStringLiteral("plain")));
        QVERIFY(!Passwords::verify(QStringLiteral("x"), QStringLiteral("x")));
        QVERIFY(!Passwords::verify(QStringLiteral("x"), QString()));
    }
    void randomTokensAre64LowercaseHex()
    {
        const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
        const QString a = tokens::randomHex64();
        const QString b = tokens::randomHex64();
        QVERIFY(hex64.match(a).hasMatch());
        QVERIFY(hex64.match(b).hasMatch());
        QVERIFY(a != b);
    }
    void sha3MatchesPythonHashlib()
    {
        // hashlib.sha3_512(b"").hexdigest() and hashlib.sha3_512(b"abc").hexdigest()
        QCOMPARE(tokens::sha3_512Hex(QString()),
            QStringLiteral("a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a6"
                           "15b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26"));
        QCOMPARE(tokens::sha3_512Hex(QStringLiteral("abc")),
            QStringLiteral("b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
                           "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0"));
    }
};

RK_TEST_GUILESS_MAIN(TestSecrets)
#include "TestSecrets.moc"
