#include "RkTest.h"
#include "core/HostTime.h"

using namespace rk;

class TestHostTime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesBothSeparatorsAndFractions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("micros");
        QTest::newRow("db, micros") << QStringLiteral("2026-11-22 02:24:37.123456") << 123456;
        QTest::newRow("db, none") << QStringLiteral("2026-11-22 02:24:37") << 0;
        QTest::newRow("api T") << QStringLiteral("2026-11-22T02:22:00") << 0;
        QTest::newRow("api T ms") << QStringLiteral("2026-11-22T02:22:00.5") << 500000;
    }
    void parsesBothSeparatorsAndFractions()
    {
        QFETCH(QString, text);
        QFETCH(int, micros);
        const auto instant = hosttime::parse(text);
        QVERIFY(instant.has_value());
        QCOMPARE(instant->micros, micros);
        const QDateTime local = instant->toDateTime();
        QCOMPARE(local.date(), QDate(2026, 11, 22));
        QCOMPARE(local.time().hour(), 2);
    }
    void rejectsMalformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("date only") << QStringLiteral("2026-11-22");
        QTest::newRow("bad month") << QStringLiteral("2026-13-22 02:24:37");
        QTest::newRow("7 digit fraction") << QStringLiteral("2026-11-22 02:24:37.1234567");
        QTest::newRow("trailing") << QStringLiteral("2026-11-22 02:24:37Z");
        QTest::newRow("letters") << QStringLiteral("2026-1a-22 02:24:37");
    }
    void rejectsMalformed()
    {
        QFETCH(QString, text);
        QVERIFY(!hosttime::parse(text).has_value());
    }
    void formatsLikePython()
    {
        const QDateTime local(QDate(2026, 11, 22), QTime(2, 24, 37), Qt::LocalTime);
        hosttime::Instant at {local.toSecsSinceEpoch(), 0};
        QCOMPARE(hosttime::toDbText(at), QStringLiteral("2026-11-22 02:24:37"));
        at.micros = 1200;
        QCOMPARE(hosttime::toDbText(at), QStringLiteral("2026-11-22 02:24:37.001200"));
    }
    void roundTrips()
    {
        const auto now = hosttime::Instant::now();
        const QString text = hosttime::toDbText(now);
        const auto back = hosttime::parse(text);
        QVERIFY(back.has_value());
        QCOMPARE(*back, now);
        // Text order is time order, which is what SQL comparisons rely on.
        QVERIFY(hosttime::toDbText(now.addSecs(1)) > text);
    }
};

RK_TEST_GUILESS_MAIN(TestHostTime)
#include "TestHostTime.moc"
