#include "RkTest.h"

#include <QCoreApplication>
#include <QTranslator>

// The embedded English plural forms: "%n task(s)" reads "1 task" and "3 tasks" once the app's
// base translator is installed (as app/desktop/main.cpp does).
class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void englishPluralsAreEmbeddedAndUsed()
    {
        QTranslator plurals;
        QVERIFY(plurals.load(QStringLiteral("riverkeeper_en"), QStringLiteral(":/i18n")));
        const char *source = "%n task(s) waiting for approval";
        // Without the translator Qt keeps the "(s)".
        QCOMPARE(QCoreApplication::translate("rk::TrayController", source, nullptr, 3),
            QStringLiteral("3 task(s) waiting for approval"));
        QVERIFY(QCoreApplication::installTranslator(&plurals));
        QCOMPARE(QCoreApplication::translate("rk::TrayController", source, nullptr, 1),
            QStringLiteral("1 task waiting for approval"));
        QCOMPARE(QCoreApplication::translate("rk::TrayController", source, nullptr, 3),
            QStringLiteral("3 tasks waiting for approval"));
        QCOMPARE(QCoreApplication::translate("rk::MainWindow", source, nullptr, 2),
            QStringLiteral("2 tasks waiting for approval"));
        QCoreApplication::removeTranslator(&plurals);
    }
};

RK_TEST_WIDGETS_MAIN(TestTranslations)
#include "TestTranslations.moc"
