// The main window while nothing is signed in, with the Connect to Host dialog open over it as
// DesktopApp opens it (window-modal, centred on the window): the signed-out view's entries stay
// in sight beside the dialog instead of hiding behind it, and one of them is Connect to Host.
#include "AppSettings.h"
#include "MainWindow.h"
#include "SignedOutView.h"
#include "connect/ConnectHostDialog.h"
#include "host/HostClient.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"

#include <QApplication>
#include <QFile>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace rk;
using namespace Qt::StringLiterals;

class TestSignedOutWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void connectDialogLeavesTheSignedOutEntriesInSight()
    {
        AppSettings settings(
            std::make_unique<QSettings>(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat));
        MainWindow window(settings);
        // The default size on a 1366 x 768 laptop screen (92 % of it), at its top left.
        window.setGeometry(QRect(QPoint(0, 0), QSize(1256, 706)));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY2(window.screen()->availableGeometry().width() >= 1256,
            "the screen is too small for the window: see main() below");
        auto *central = qobject_cast<QStackedWidget *>(window.centralWidget());
        QCOMPARE(central->currentWidget()->objectName(), u"signedOutView"_s);

        auto *connectButton = window.findChild<QPushButton *>(u"connectHostButton"_s);
        QVERIFY(connectButton);
        QSignalSpy requested(&window, &MainWindow::connectHostRequested);
        connectButton->click();
        QCOMPARE(requested.size(), 1);

        ProfileStore profiles(std::make_unique<QSettings>(m_dir.filePath(u"p.ini"_s), QSettings::IniFormat));
        MemorySecretStore secrets;
        MemorySecretStore session;
        HostClient client;
        ConnectHostDialog dialog(profiles, secrets, session, client, &window);
        dialog.setWindowModality(Qt::WindowModal);
        dialog.open();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QRect covered = dialog.frameGeometry();
        QVERIFY2(window.frameGeometry().contains(covered.center()), "the dialog is not over the window");

        for (const char *name :
            {"signedOutTitle", "connectHostButton", "signInButton", "openButton", "createButton"}) {
            auto *widget = window.findChild<QWidget *>(QLatin1String(name));
            QVERIFY2(widget && widget->isVisible(), name);
            const QRect onScreen(widget->mapToGlobal(QPoint(0, 0)), widget->size());
            QVERIFY2(!covered.intersects(onScreen),
                qPrintable(u"%1 at %2,%3 %4x%5 is behind the dialog at %6,%7 %8x%9"_s.arg(QLatin1String(name))
                               .arg(onScreen.x())
                               .arg(onScreen.y())
                               .arg(onScreen.width())
                               .arg(onScreen.height())
                               .arg(covered.x())
                               .arg(covered.y())
                               .arg(covered.width())
                               .arg(covered.height())));
        }
        dialog.reject();
    }
};

int main(int argc, char **argv)
{
    // The offscreen platform has one 800 x 800 screen unless told otherwise, too small for the
    // window and for placing a dialog over it as on a real screen: give it a laptop's.
    QTemporaryDir config;
    if (qgetenv("QT_QPA_PLATFORM") == "offscreen") {
        QFile file(config.filePath(u"screens.json"_s));
        if (!file.open(QIODevice::WriteOnly))
            return 1;
        file.write(R"({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768,
                       "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})");
        file.close();
        qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + file.fileName().toLocal8Bit());
    }
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    TestSignedOutWindow tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}

#include "TestSignedOutWindow.moc"
