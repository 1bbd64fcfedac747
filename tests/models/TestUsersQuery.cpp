#include "RkTest.h"
#include "users/UserAggregates.h"
#include "users/UsersQuery.h"

using namespace rk;

class TestUsersQuery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void escapesLikeWildcards()
    {
        QCOMPARE(UsersQuery::likePattern(QStringLiteral("ab")), QStringLiteral("%ab%"));
        QCOMPARE(UsersQuery::likePattern(QStringLiteral("50%_x\\")), QStringLiteral("%50\\%\\_x\\\\%"));
        UsersQuery q;
        QCOMPARE(q.filterCondition(), QStringLiteral("1"));
        q.filterText = QStringLiteral("ab");
        QVERIFY(!q.filterCondition().contains(QLatin1String("ESCAPE")));
        q.filterText = QStringLiteral("a_b");
        QVERIFY(q.filterCondition().contains(QLatin1String("ESCAPE")));
    }

    void knowsWhenAFilterNarrowsAnother()
    {
        QVERIFY(UsersQuery::narrows(QStringLiteral("smith"), QStringLiteral("smi")));
        QVERIFY(UsersQuery::narrows(QStringLiteral("SMITH"), QStringLiteral("mit")));
        QVERIFY(UsersQuery::narrows(QStringLiteral("ab"), QStringLiteral("ab")));
        QVERIFY(!UsersQuery::narrows(QStringLiteral("sm"), QStringLiteral("smi")));
        QVERIFY(!UsersQuery::narrows(QStringLiteral("ab"), QStringLiteral("ba")));
        // LIKE folds ASCII only: "É" and "é" are different characters to it.
        QVERIFY(!UsersQuery::narrows(QStringLiteral("\u00c9lise"), QStringLiteral("\u00e9l")));
    }

    void ordersHostDatetimesLikeTheirText_data()
    {
        QTest::addColumn<QString>("earlier");
        QTest::addColumn<QString>("later");
        QTest::newRow("seconds") << QStringLiteral("2024-01-01 10:00:00")
                                 << QStringLiteral("2024-01-01 10:00:01");
        QTest::newRow("no fraction first")
            << QStringLiteral("2024-01-01 10:00:00") << QStringLiteral("2024-01-01 10:00:00.000001");
        QTest::newRow("fraction digits")
            << QStringLiteral("2024-01-01 10:00:00.5") << QStringLiteral("2024-01-01 10:00:00.500001");
        QTest::newRow("years") << QStringLiteral("1999-12-31 23:59:59.999999")
                               << QStringLiteral("2000-01-01 00:00:00");
    }
    void ordersHostDatetimesLikeTheirText()
    {
        QFETCH(QString, earlier);
        QFETCH(QString, later);
        const QByteArray a = earlier.toUtf8(), b = later.toUtf8();
        QVERIFY(a < b); // the text order SQL uses
        QVERIFY(UserAggregates::datetimeKey(a.constData(), int(a.size()))
            < UserAggregates::datetimeKey(b.constData(), int(b.size())));
        QVERIFY(UserAggregates::datetimeKey(a.constData(), int(a.size())) > UserAggregates::kNever);
    }
};

RK_TEST_GUILESS_MAIN(TestUsersQuery)
#include "TestUsersQuery.moc"
