#include "RkTest.h"
#include "widgets/PasswordStrength.h"

using namespace rk::passwordstrength;

class TestPasswordStrength : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void levels()
    {
        QCOMPARE(estimate(QString()).level, Level::Empty);
        QCOMPARE(estimate(QStringLiteral("password")).level, Level::VeryWeak);
        QCOMPARE(estimate(QStringLiteral("aaaaaaaaaaaaaaaaaaaa")).level, Level::VeryWeak);
        QVERIFY(estimate(QStringLiteral("correct-Horse-battery-7")).level >= Level::Good);
        // Containing the username caps the estimate.
        QVERIFY(estimate(QStringLiteral("alice-Secret-2026!"), QStringLiteral("alice")).level <= Level::Weak);
        QVERIFY(estimate(QStringLiteral("alice-Secret-2026!")).level >= Level::Good);
    }

    void generated()
    {
        QSet<QString> seen;
        for (int i = 0; i < 50; ++i) {
            const QString pw = generate();
            QCOMPARE(pw.size(), 20);
            QVERIFY(std::any_of(pw.begin(), pw.end(), [](QChar c) { return c.isLower(); }));
            QVERIFY(std::any_of(pw.begin(), pw.end(), [](QChar c) { return c.isUpper(); }));
            QVERIFY(std::any_of(pw.begin(), pw.end(), [](QChar c) { return c.isDigit(); }));
            for (QChar lookAlike :
                {QLatin1Char('0'), QLatin1Char('O'), QLatin1Char('1'), QLatin1Char('l'), QLatin1Char('I')})
                QVERIFY(!pw.contains(lookAlike));
            QCOMPARE(estimate(pw).level, Level::Strong);
            seen.insert(pw);
        }
        QCOMPARE(seen.size(), 50);
    }
};

RK_TEST_GUILESS_MAIN(TestPasswordStrength)
#include "TestPasswordStrength.moc"
