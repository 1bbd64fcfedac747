#include "UiTestSupport.h"

#include "AppSettings.h"
#include "MainWindow.h"
#include "pages/ApprovalsPage.h"
#include "pages/Page.h"
#include "pages/SessionsPage.h"
#include "pages/UsersAdminPage.h"

#include <QAction>
#include <QCloseEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>

using namespace rk;

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static Session sessionFor(const QString &path, PlatformStore::Access access)
    {
        Session s;
        auto opened = PlatformStore::open(path, access);
        s.store = std::move(opened).value();
        s.actor = Actor {1, QStringLiteral("root"), Role::Admin, QStringLiteral("test@host")};
        return s;
    }

private Q_SLOTS:
    void signedOutShowsTheWelcomeView()
    {
        auto settings = uitest::makeSettings(m_dir);
        MainWindow window(*settings);
        window.show();
        QCOMPARE(window.windowTitle(), QStringLiteral("Riverkeeper"));
        auto *central = qobject_cast<QStackedWidget *>(window.centralWidget());
        QCOMPARE(central->currentWidget()->objectName(), QStringLiteral("signedOutView"));
        QVERIFY(!window.findChild<QAction *>(QStringLiteral("signOutAction"))->isEnabled());
        QCOMPARE(window.findChild<QLabel *>(QStringLiteral("accountLabel"))->text(),
            QStringLiteral("Not signed in"));

        QSignalSpy requests(&window, &MainWindow::signInRequested);
        window.findChild<QAction *>(QStringLiteral("signInAction"))->trigger();
        QCOMPARE(requests.count(), 1);
        // The saved host connections are one click away: the File menu's list drops down.
        auto *saved = window.findChild<QPushButton *>(QStringLiteral("savedConnectionsButton"));
        QVERIFY(saved && saved->isVisible());
        QCOMPARE(saved->menu(), window.findChild<QMenu *>(QStringLiteral("connectionsMenu")));
    }

    void sessionShowsPagesTitleAndStatus()
    {
        const QString path = m_dir.filePath(QStringLiteral("shell.db"));
        QVERIFY(uitest::makePlatform(path).store);
        auto settings = uitest::makeSettings(m_dir);
        MainWindow window(*settings);
        Session session = sessionFor(path, PlatformStore::Access::ReadWrite);
        window.setSession(&session);
        window.show();
        QCOMPARE(window.windowTitle(), QStringLiteral("Riverkeeper \u2014 shell.db"));
        auto *nav = window.findChild<QListWidget *>(QStringLiteral("navigationList"));
        const QStringList titles {QStringLiteral("Users"), QStringLiteral("Groups"),
            QStringLiteral("API Tokens"), QStringLiteral("Sessions"), QStringLiteral("Invitations"),
            QStringLiteral("VPS"), QStringLiteral("Approvals"), QStringLiteral("Tasks"),
            QStringLiteral("Nodes")};
        QCOMPARE(nav->count(), titles.size());
        for (int i = 0; i < titles.size(); ++i)
            QCOMPARE(nav->item(i)->text(), titles.at(i));
        QVERIFY(qobject_cast<UsersAdminPage *>(window.currentPage()));
        // Only the page shown is built; the others when first shown.
        QCOMPARE(window.pageCount(), titles.size());
        QCOMPARE(window.pages().size(), 1);
        QVERIFY(!window.page<SessionsPage>());
        QSignalSpy created(&window, &MainWindow::pageCreated);
        // Ctrl+N switches pages, and each page's menu follows.
        window.findChild<QAction *>(QStringLiteral("showPage4Action"))->trigger();
        QVERIFY(qobject_cast<SessionsPage *>(window.currentPage()));
        QCOMPARE(nav->currentRow(), 3);
        QCOMPARE(created.count(), 1);
        QCOMPARE(created.first().first().value<Page *>(), window.currentPage());
        QCOMPARE(window.pages().size(), 2);
        bool sessionsMenu = false;
        for (QAction *menu : window.menuBar()->actions())
            sessionsMenu = sessionsMenu || (menu->text() == QStringLiteral("Sessions") && menu->isVisible());
        QVERIFY(sessionsMenu);
        window.findChild<QAction *>(QStringLiteral("showPage1Action"))->trigger();
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("accountLabel"))
                    ->text()
                    .contains(QStringLiteral("root")));
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("readOnlyBadge"))->isHidden());
        // The page's menu is in the menu bar while the page is shown.
        bool found = false;
        for (QAction *menu : window.menuBar()->actions())
            found = found || (menu->text() == QStringLiteral("Users") && menu->isVisible());
        QVERIFY(found);

        // The pending count shows in the title and on the Approvals entry (built or not), and
        // goes with 0.
        QVERIFY(!window.page<ApprovalsPage>());
        window.setPendingApprovals(3);
        QCOMPARE(window.windowTitle(), QStringLiteral("(3) Riverkeeper \u2014 shell.db"));
        QCOMPARE(nav->item(6)->text(), QStringLiteral("Approvals (3)"));
        window.setPendingApprovals(120);
        QCOMPARE(nav->item(6)->text(), QStringLiteral("Approvals (99+)"));
        window.setPendingApprovals(0);
        QCOMPARE(window.windowTitle(), QStringLiteral("Riverkeeper \u2014 shell.db"));
        QCOMPARE(nav->item(6)->text(), QStringLiteral("Approvals"));
        window.showPage(6);
        QVERIFY(window.page<ApprovalsPage>());
        QCOMPARE(window.currentPage()->title(), QStringLiteral("Approvals"));

        QSignalSpy signOut(&window, &MainWindow::signOutRequested);
        window.findChild<QAction *>(QStringLiteral("signOutAction"))->trigger();
        QCOMPARE(signOut.count(), 1);
        window.setSession(nullptr);
        QCOMPARE(nav->count(), 0);
        QVERIFY(window.pages().isEmpty());
    }

    void readOnlySessionIsMarked()
    {
        const QString path = m_dir.filePath(QStringLiteral("review.db"));
        QVERIFY(uitest::makePlatform(path).store);
        auto settings = uitest::makeSettings(m_dir);
        MainWindow window(*settings);
        Session session = sessionFor(path, PlatformStore::Access::ReadOnly);
        window.setSession(&session);
        window.show();
        QCOMPARE(window.windowTitle(), QStringLiteral("Riverkeeper \u2014 review.db (read-only)"));
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("readOnlyBadge"))->isVisible());
        // A platform database is read as it is: nothing to sync.
        QVERIFY(!window.findChild<QAction *>(QStringLiteral("syncNowAction"))->isEnabled());
        window.setSession(nullptr);
    }

    void savedHostConnectionsAreListed()
    {
        auto settings = uitest::makeSettings(m_dir);
        MainWindow window(*settings);
        auto *menu = window.findChild<QMenu *>(QStringLiteral("connectionsMenu"));
        QVERIFY(menu);
        QCOMPARE(menu->actions().size(), 1);
        QVERIFY(!menu->actions().first()->isEnabled()); // "No saved connections"
        window.setHostProfiles(
            {{QStringLiteral("p1"), QStringLiteral("lab"), QStringLiteral("http://127.0.0.1:8000")},
                {QStringLiteral("p2"), QStringLiteral("prod"), QStringLiteral("https://river.example.org")}});
        QCOMPARE(menu->actions().size(), 2);
        QAction *prod = window.findChild<QAction *>(QStringLiteral("hostProfileAction2"));
        QVERIFY(prod->text().contains(QStringLiteral("prod")));
        QVERIFY(prod->text().contains(QStringLiteral("https://river.example.org")));
        QSignalSpy requested(&window, &MainWindow::hostProfileRequested);
        prod->trigger();
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().first().toString(), QStringLiteral("p2"));
        window.setHostProfiles({});
        QCOMPARE(menu->actions().size(), 1);
        QVERIFY(!menu->actions().first()->isEnabled());
    }

    void approvalPollIntervalIsAChoiceThatIsKept()
    {
        auto settings = uitest::makeSettings(m_dir);
        QCOMPARE(settings->approvalPollSeconds(), 15);
        MainWindow window(*settings);
        QVERIFY(window.findChild<QAction *>(QStringLiteral("approvalPoll15Action"))->isChecked());
        QSignalSpy changed(settings.get(), &AppSettings::approvalPollSecondsChanged);
        window.findChild<QAction *>(QStringLiteral("approvalPoll60Action"))->trigger();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().first().toInt(), 60);
        QCOMPARE(settings->approvalPollSeconds(), 60);
        QVERIFY(!window.findChild<QAction *>(QStringLiteral("approvalPoll15Action"))->isChecked());
        // Kept for the next run; a value that is no choice (edited by hand) reads as the default.
        settings->sync();
        auto again = uitest::makeSettings(m_dir);
        QCOMPARE(again->approvalPollSeconds(), 60);
        again->qsettings()->setValue(QStringLiteral("approvals/pollSeconds"), 1);
        QCOMPARE(again->approvalPollSeconds(), 15);
        settings->setApprovalPollSeconds(15);
    }

    void hostSessionSyncsOnRequestAndHasNoReadOnlyBadge()
    {
        // A host profile's pages read its mirror (opened read-only); changes go through the API.
        const QString path = m_dir.filePath(QStringLiteral("mirror.db"));
        QVERIFY(uitest::makePlatform(path).store);
        auto settings = uitest::makeSettings(m_dir);
        MainWindow window(*settings);
        Session session = sessionFor(path, PlatformStore::Access::ReadOnly);
        session.hostName = QStringLiteral("lab");
        session.hostLocation = QStringLiteral("http://127.0.0.1:8000");
        window.setSession(&session);
        window.show();
        QCOMPARE(window.windowTitle(), QStringLiteral("Riverkeeper — lab (host)"));
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("readOnlyBadge"))->isHidden());
        QAction *sync = window.findChild<QAction *>(QStringLiteral("syncNowAction"));
        QVERIFY(sync->isEnabled());
        QSignalSpy requested(&window, &MainWindow::syncRequested);
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(requested.count(), 1);
        window.setSession(nullptr);
        QVERIFY(!sync->isEnabled());
    }

    void recentFilesMenu()
    {
        auto settings = uitest::makeSettings(m_dir);
        settings->clearRecentFiles();
        MainWindow window(*settings);
        settings->addRecentFile(m_dir.filePath(QStringLiteral("a.db")));
        settings->addRecentFile(m_dir.filePath(QStringLiteral("b.db")));
        auto *recent = window.findChild<QMenu *>(QStringLiteral("recentMenu"));
        QVERIFY(recent->actions().first()->text().contains(QStringLiteral("b.db")));
        QSignalSpy requests(&window, &MainWindow::signInRequested);
        recent->actions().first()->trigger();
        QCOMPARE(requests.count(), 1);
        const auto request = requests.first().first().value<SignInRequest>();
        QCOMPARE(request.path, m_dir.filePath(QStringLiteral("b.db")));
    }

    // With a tray the close filter keeps the app running: the window hides instead of closing.
    void closeFilterHidesTheWindow()
    {
        auto settings = uitest::makeSettings(m_dir);
        MainWindow window(*settings);
        int asked = 0;
        window.setCloseFilter([&asked](QCloseEvent *event) {
            ++asked;
            event->ignore();
            return true;
        });
        window.show();
        QVERIFY(window.isVisible());
        window.close();
        QCOMPARE(asked, 1);
        QVERIFY(!window.isVisible());
        // File > Quit closes for real, filter or not (Qt 6's quit() gives up if a window refuses).
        window.show();
        window.findChild<QAction *>(QStringLiteral("quitAction"))->trigger();
        QTRY_VERIFY(!window.isVisible());
        QCOMPARE(asked, 1);
    }

    void geometryIsRemembered()
    {
        auto settings = uitest::makeSettings(m_dir);
        {
            MainWindow window(*settings);
            window.resize(900, 640);
            window.show();
            window.close();
        }
        MainWindow again(*settings);
        QCOMPARE(again.size(), QSize(900, 640));
    }
};

RK_TEST_WIDGETS_MAIN(TestMainWindow)
#include "TestMainWindow.moc"
