#include "RkTest.h"
#include "core/PyJson.h"

#include <QJsonDocument>

using namespace rk;

class TestPyJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesPythonJsonDumps_data()
    {
        // Expected strings are what CPython 3.11 `json.dumps(json.loads(input))` prints.
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty object") << QByteArray("{}") << QStringLiteral("{}");
        QTest::newRow("limits") << QByteArray("{\"gpu_cap\":2,\"max_tasks\":10,\"max_vps\":1}")
                                << QStringLiteral("{\"gpu_cap\": 2, \"max_tasks\": 10, \"max_vps\": 1}");
        QTest::newRow("list") << QByteArray("[\"-c\",\"echo hi\"]")
                              << QStringLiteral("[\"-c\", \"echo hi\"]");
        QTest::newRow("nested") << QByteArray("{\"0\":[0,1],\"1\":[2,3]}")
                                << QStringLiteral("{\"0\": [0, 1], \"1\": [2, 3]}");
        QTest::newRow("non-ascii") << QByteArray("[\"caf\xc3\xa9\"]") << QStringLiteral("[\"caf\\u00e9\"]");
        QTest::newRow("escapes") << QByteArray("[\"a\\\"b\\\\c\\nd\\u0001\"]")
                                 << QStringLiteral("[\"a\\\"b\\\\c\\nd\\u0001\"]");
        QTest::newRow("float") << QByteArray("[2.5, 0.1, 1e-05, -3.75, 123456.789]")
                               << QStringLiteral("[2.5, 0.1, 1e-05, -3.75, 123456.789]");
        QTest::newRow("literals") << QByteArray("[true, false, null]")
                                  << QStringLiteral("[true, false, null]");
        QTest::newRow("big int") << QByteArray("[7523094288207667809]")
                                 << QStringLiteral("[7523094288207667809]");
    }
    void matchesPythonJsonDumps()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(input, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonValue value = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
        QCOMPARE(pyjson::dumps(value), expected);
    }
};

RK_TEST_GUILESS_MAIN(TestPyJson)
#include "TestPyJson.moc"
