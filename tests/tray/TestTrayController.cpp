// TrayController offscreen (no tray there): the menu from the watch, decisions through the service
// to the fake host, one notification per burst of arrivals, pause, the no-tray notice. The part
// that needs a real tray skips without one, unless RK_REQUIRE_TRAY=1.
#include "FakeHost.h"
#include "RkTest.h"
#include "TrayTestSupport.h"
#include "host/HostClient.h"
#include "services/PendingApprovalsWatch.h"
#include "services/Poller.h"
#include "tasks/ApprovalService.h"
#include "tray/BadgeIconEngine.h"
#include "tray/BadgePainter.h"
#include "tray/RejectReasonDialog.h"
#include "tray/TrayController.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QMenu>
#include <QPainter>
#include <QSettings>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;

namespace {

bool trayRequired()
{
    return qEnvironmentVariableIntValue("RK_REQUIRE_TRAY") == 1;
}

// Every action of `menu` and its submenus, separators left out.
QList<QAction *> allActions(QMenu *menu)
{
    QList<QAction *> out;
    const QList<QAction *> actions = menu->actions();
    for (QAction *a : actions) {
        if (a->isSeparator())
            continue;
        out.append(a);
        if (a->menu())
            out.append(allActions(a->menu()));
    }
    return out;
}

} // namespace

class TestTrayController : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<HostClient> m_client;
    std::shared_ptr<ManualScheduler::State> m_due;
    std::unique_ptr<PendingApprovalsWatch> m_watch;
    std::unique_ptr<ApprovalService> m_service;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;

    const FakeHost::Seed &seed() const { return m_host->seed(); }

    std::unique_ptr<TrayController> makeTray(ApprovalService *service = nullptr)
    {
        TrayController::Options options;
        options.coalesceMs = 100;
        return std::make_unique<TrayController>(
            m_watch.get(), service ? service : m_service.get(), m_settings.get(), options);
    }

    // One scheduled poll, run to its end.
    bool tick()
    {
        QSignalSpy finished(m_watch->poller(), &Poller::checkFinished);
        if (!m_due->fireNow())
            return false;
        return finished.count() > 0 || finished.wait(5000);
    }

    bool loadFirst()
    {
        m_watch->start();
        QSignalSpy loaded(m_watch.get(), &PendingApprovalsWatch::loaded);
        return m_watch->loadCount() > 0 || loaded.wait(5000);
    }

    QMenu *menu(TrayController &tray) const { return tray.menu(); }

    template<typename T> T *find(TrayController &tray, const QString &name) const
    {
        return tray.menu()->findChild<T *>(name);
    }

    int posts(const QString &path) const
    {
        int n = 0;
        for (const RecordedRequest &r : m_host->requests()) {
            if (r.method == "POST" && r.path == path)
                ++n;
        }
        return n;
    }

private Q_SLOTS:
    void init()
    {
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
        m_client = std::make_unique<HostClient>();
        m_client->setBaseUrl(m_host->baseUrl());
        m_client->setAuth(HostAuth::bearer(seed().operatorToken));
        HostClientOptions options;
        options.maxAttempts = 1;
        m_client->setOptions(options);
        m_due = std::make_shared<ManualScheduler::State>();
        m_watch = std::make_unique<PendingApprovalsWatch>(
            m_client.get(), std::make_unique<ManualScheduler>(m_due));
        m_service = std::make_unique<ApprovalService>(m_client.get());
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<QSettings>(m_dir->filePath(u"settings.ini"_s), QSettings::IniFormat);
    }
    void cleanup()
    {
        m_settings.reset();
        m_dir.reset();
        m_service.reset();
        m_watch.reset();
        m_client.reset();
        m_host.reset();
    }

    void menuListsTheNewestPendingTasks()
    {
        QList<FakeTask> added;
        for (int i = 1; i <= 5; ++i) {
            added.append(pendingFakeTask(seed().userId, i, u"job-%1"_s.arg(i)));
            m_host->addTask(added.last());
        }
        auto tray = makeTray();
        QVERIFY(loadFirst());
        QCOMPARE(tray->pendingCount(), 7);

        // The five newest (the ones just added), newest first; the seed's two are left out.
        QStringList order;
        for (QAction *a : menu(*tray)->actions()) {
            if (a->menu())
                order.append(a->menu()->objectName());
        }
        QStringList expected;
        for (int i = 5; i >= 1; --i)
            expected.append(u"trayTask_%1"_s.arg(added.at(i - 1).taskId));
        QCOMPARE(order, expected);
        QVERIFY(!find<QMenu>(*tray, u"trayTask_%1"_s.arg(seed().pendingTaskId)));
        QMenu *newest = find<QMenu>(*tray, expected.first());
        QVERIFY(newest->title().contains(u"job-5"_s));
        QVERIFY(newest->title().contains(u"ulrich"_s));
        QVERIFY(find<QAction>(*tray, u"trayApprove_%1"_s.arg(added.last().taskId)));
        QVERIFY(find<QAction>(*tray, u"trayReject_%1"_s.arg(added.last().taskId)));
        QVERIFY(find<QAction>(*tray, u"trayTaskInfo_%1"_s.arg(added.last().taskId))
                    ->text()
                    .contains(u"python train.py --lr=0.1"_s));

        QAction *header = find<QAction>(*tray, u"trayPendingHeader"_s);
        QVERIFY(header && header->text().contains(u"7"_s));
        QAction *more = find<QAction>(*tray, u"trayMoreTasks"_s);
        QVERIFY(more && menu(*tray)->actions().contains(more));
        QVERIFY(more->text().contains(u"2"_s));
        QSignalSpy open(tray.get(), &TrayController::openRequested);
        more->trigger();
        find<QAction>(*tray, u"trayOpen"_s)->trigger();
        QCOMPARE(open.count(), 2);
        QVERIFY(find<QAction>(*tray, u"trayPauseNotifications"_s)->isCheckable());
        QSignalSpy quit(tray.get(), &TrayController::quitRequested);
        find<QAction>(*tray, u"trayQuit"_s)->trigger();
        QCOMPARE(quit.count(), 1);
        QVERIFY(tray->isQuitting());

        // objectNames on every action, for tests and accessibility tooling alike.
        for (QAction *a : allActions(menu(*tray)))
            QVERIFY2(!a->objectName().isEmpty(), qPrintable(a->text()));
    }

    void countIconAndTooltipFollowTheWatch()
    {
        auto tray = makeTray();
        QSignalSpy counts(tray.get(), &TrayController::pendingCountChanged);
        const qint64 before = tray->icon().cacheKey();
        QCOMPARE(tray->badgeState(), BadgePainter::State::Offline); // nothing known yet
        QVERIFY(loadFirst());
        QCOMPARE(counts.count(), 1);
        QCOMPARE(counts.last().at(0).toInt(), 2);
        QCOMPARE(tray->badgeState(), BadgePainter::State::Online);
        QVERIFY(tray->icon().cacheKey() != before);
        QCOMPARE(
            tray->icon().pixmap(QSize(32, 32)).toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied),
            BadgePainter::badgeImage(32, 1.0, 2, BadgePainter::State::Online));
        QVERIFY2(tray->toolTip().contains(u"2"_s), qPrintable(tray->toolTip()));
        QVERIFY(tray->toolTip().contains(u"waiting for approval"_s));

        m_host->addTask(pendingFakeTask(seed().userId, 1, u"one-more"_s));
        QVERIFY(tick());
        QCOMPARE(counts.last().at(0).toInt(), 3);
        QCOMPARE(
            tray->icon().pixmap(QSize(32, 32)).toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied),
            BadgePainter::badgeImage(32, 1.0, 3, BadgePainter::State::Online));

        // Unreachable: the last count, greyed, and the tooltip says why.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        QUrl dead;
        dead.setScheme(u"http"_s);
        dead.setHost(u"127.0.0.1"_s);
        dead.setPort(probe.serverPort());
        probe.close();
        m_client->setBaseUrl(dead);
        QVERIFY(tick());
        QCOMPARE(tray->badgeState(), BadgePainter::State::Offline);
        QCOMPARE(tray->pendingCount(), 3);
        QCOMPARE(counts.count(), 2); // the count did not change
        QCOMPARE(
            tray->icon().pixmap(QSize(32, 32)).toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied),
            BadgePainter::badgeImage(32, 1.0, 3, BadgePainter::State::Offline));
        QVERIFY2(tray->toolTip().contains(u"offline"_s), qPrintable(tray->toolTip()));
        QVERIFY(menu(*tray)->actions().contains(find<QAction>(*tray, u"trayConnectionState"_s)));
    }

    // Painted for the ratio asked for, not scaled from a 1x or 2x pixmap.
    void iconIsPaintedAtEveryRatio()
    {
        const QIcon icon = BadgeIconEngine::icon(7, BadgePainter::State::Online);
        for (const qreal dpr : {1.0, 1.25, 1.5, 2.0, 3.0}) {
            const QPixmap pixmap = icon.pixmap(QSize(22, 22), dpr);
            const int device = qRound(22 * dpr);
            QCOMPARE(pixmap.size(), QSize(device, device));
            QCOMPARE(pixmap.devicePixelRatio(), dpr);
            QCOMPARE(pixmap.toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied),
                BadgePainter::badgeImage(22, dpr, 7, BadgePainter::State::Online));
        }
        // Through paint(), as the X11 tray draws it.
        QImage canvas(44, 44, QImage::Format_ARGB32_Premultiplied);
        canvas.setDevicePixelRatio(2.0);
        canvas.fill(Qt::transparent);
        {
            QPainter p(&canvas);
            icon.paint(&p, QRect(0, 0, 22, 22));
        }
        QImage expected = BadgePainter::badgeImage(22, 2.0, 7, BadgePainter::State::Online);
        QCOMPARE(canvas, expected);
    }

    void titleWithCount()
    {
        QCOMPARE(TrayController::titleWithCount(u"Riverkeeper \u2014 lab"_s, 0), u"Riverkeeper \u2014 lab"_s);
        QCOMPARE(
            TrayController::titleWithCount(u"Riverkeeper \u2014 lab"_s, 3), u"(3) Riverkeeper \u2014 lab"_s);
        QCOMPARE(TrayController::titleWithCount(u"Riverkeeper"_s, 150), u"(99+) Riverkeeper"_s);
    }

    void approveFromTheMenuReachesTheHost()
    {
        auto tray = makeTray();
        QVERIFY(loadFirst());
        const qint64 id = seed().pendingTaskId;
        QAction *approve = find<QAction>(*tray, u"trayApprove_%1"_s.arg(id));
        QVERIFY(approve);
        QVERIFY(approve->isEnabled());
        approve->trigger();
        QVERIFY(!approve->isEnabled()); // under way: not twice
        QTRY_COMPARE_WITH_TIMEOUT(m_host->task(id)->status, u"assigning"_s, 5000);
        QCOMPARE(posts(u"/api/approve/%1"_s.arg(id)), 1);
        // The service's end refreshes the watch: the task leaves the menu.
        QTRY_VERIFY_WITH_TIMEOUT(!find<QMenu>(*tray, u"trayTask_%1"_s.arg(id)), 5000);
        QCOMPARE(tray->pendingCount(), 1);
    }

    void rejectFromTheMenuAsksForAReason()
    {
        auto tray = makeTray();
        QVERIFY(loadFirst());
        const qint64 id = seed().pendingVpsId;
        (void)RejectReasonDialog::takeAskedCount();

        // Cancelled: nothing is sent.
        RejectReasonDialog::setNextCancel();
        find<QAction>(*tray, u"trayReject_%1"_s.arg(id))->trigger();
        QCOMPARE(RejectReasonDialog::takeAskedCount(), 1);
        QVERIFY(!m_service->isBusy(id));

        const QString reason = u"Please ask for fewer GPUs & retry"_s;
        RejectReasonDialog::setNextAnswer(reason);
        find<QAction>(*tray, u"trayReject_%1"_s.arg(id))->trigger();
        QCOMPARE(RejectReasonDialog::takeAskedCount(), 1);
        QVERIFY(m_service->isBusy(id));
        QTRY_COMPARE_WITH_TIMEOUT(m_host->task(id)->status, u"rejected"_s, 5000);
        QCOMPARE(m_host->task(id)->rejectionReason, reason);
        QCOMPARE(posts(u"/api/reject/%1"_s.arg(id)), 1);
        // The refresh after it takes the task off the menu.
        QTRY_VERIFY_WITH_TIMEOUT(!find<QMenu>(*tray, u"trayTask_%1"_s.arg(id)), 5000);
    }

    void aDecisionSomeoneElseMadeIsReported()
    {
        auto tray = makeTray();
        QVERIFY(loadFirst());
        const qint64 id = seed().pendingTaskId;
        // Another operator approves first; the menu still offers it.
        HostClient other;
        other.setBaseUrl(m_host->baseUrl());
        other.setAuth(HostAuth::bearer(seed().adminToken));
        QVERIFY(QSignalSpy(other.approveTask(id), &HostJob::finished).wait(5000));

        QSignalSpy messages(tray.get(), &TrayController::messageShown);
        find<QAction>(*tray, u"trayApprove_%1"_s.arg(id))->trigger();
        QVERIFY(messages.wait(5000));
        QVERIFY2(messages.first().at(1).toString().contains(QString::number(id)),
            qPrintable(messages.first().at(1).toString()));
        QVERIFY(messages.first().at(0).toString().contains(u"already"_s));
    }

    void withoutAHostTheDecisionsAreDisabled()
    {
        ApprovalService none(nullptr);
        auto tray = makeTray(&none);
        QVERIFY(loadFirst());
        QAction *approve = find<QAction>(*tray, u"trayApprove_%1"_s.arg(seed().pendingTaskId));
        QVERIFY(approve);
        QVERIFY(!approve->isEnabled());
        QCOMPARE(approve->toolTip(), none.unavailableReason());
    }

    void aBurstOfArrivalsIsOneNotification()
    {
        auto tray = makeTray();
        QVERIFY(loadFirst());
        QSignalSpy notes(tray.get(), &TrayController::notificationShown);
        QSignalSpy arrived(m_watch.get(), &PendingApprovalsWatch::arrived);
        for (int i = 1; i <= 3; ++i) {
            m_host->addTask(pendingFakeTask(seed().userId, i, u"burst-%1"_s.arg(i)));
            QVERIFY(tick());
        }
        QCOMPARE(arrived.count(), 3); // three separate arrivals...
        QVERIFY(notes.wait(5000)); // ...one notification
        QCOMPARE(notes.count(), 1);
        QVERIFY2(notes.first().at(1).toString().contains(u"3 new task"_s),
            qPrintable(notes.first().at(1).toString()));
        QVERIFY(!notes.wait(300));
        QCOMPARE(notes.count(), 1);

        // A single arrival names the task.
        m_host->addTask(pendingFakeTask(seed().userId, 9, u"lonely"_s));
        QVERIFY(tick());
        QVERIFY(notes.wait(5000));
        QVERIFY(notes.last().at(1).toString().contains(u"lonely"_s));
    }

    void pausedOrTurnedOffGivesNone()
    {
        auto tray = makeTray();
        QVERIFY(loadFirst());
        QSignalSpy notes(tray.get(), &TrayController::notificationShown);
        QAction *pause = find<QAction>(*tray, u"trayPauseNotifications"_s);
        QVERIFY(!pause->isChecked());
        pause->trigger();
        QVERIFY(tray->notificationsPaused());
        m_host->addTask(pendingFakeTask(seed().userId, 1, u"quiet"_s));
        QVERIFY(tick());
        QCOMPARE(tray->pendingCount(), 3); // the count still moves
        QVERIFY(!notes.wait(400));

        // Remembered.
        m_settings->sync();
        {
            auto again = makeTray();
            QVERIFY(again->notificationsPaused());
            QVERIFY(find<QAction>(*again, u"trayPauseNotifications"_s)->isChecked());
        }

        // Resumed, but turned off in the preferences: still none.
        pause->trigger();
        QVERIFY(!tray->notificationsPaused());
        tray->setNotificationsEnabled(false);
        QVERIFY(!pause->isEnabled());
        m_host->addTask(pendingFakeTask(seed().userId, 2, u"quiet-too"_s));
        QVERIFY(tick());
        QVERIFY(!notes.wait(400));

        tray->setNotificationsEnabled(true);
        QVERIFY(pause->isEnabled());
        m_host->addTask(pendingFakeTask(seed().userId, 3, u"loud"_s));
        QVERIFY(tick());
        QVERIFY(notes.wait(5000));
        QCOMPARE(notes.count(), 1);
    }

    void withoutATraySaysSoOnce()
    {
        if (QSystemTrayIcon::isSystemTrayAvailable())
            QSKIP("this desktop has a tray");
        auto tray = makeTray();
        QSignalSpy unavailable(tray.get(), &TrayController::trayUnavailable);
        tray->show();
        QCOMPARE(unavailable.count(), 1);
        QVERIFY(!unavailable.first().at(0).toString().isEmpty());
        QVERIFY(!tray->hasTray());
        tray->show();
        QCOMPARE(unavailable.count(), 1);
        {
            auto later = makeTray(); // the next start of the app
            QSignalSpy again(later.get(), &TrayController::trayUnavailable);
            later->show();
            QCOMPARE(again.count(), 0);
        }
        // Without a tray, closing the window closes it.
        QCloseEvent close;
        QVERIFY(!tray->handleWindowClose(&close));
        QVERIFY(close.isAccepted());
        // The menu and the count work all the same (the window can show them).
        QVERIFY(loadFirst());
        QCOMPARE(tray->pendingCount(), 2);
    }

    void withATrayClosingHidesAndSaysSoOnce()
    {
        if (!QSystemTrayIcon::isSystemTrayAvailable()) {
            if (trayRequired())
                QFAIL("RK_REQUIRE_TRAY=1 but the desktop has no system tray (start trayer under Xvfb)");
            QSKIP("no system tray here (offscreen, or X without a tray host)");
        }
        auto tray = makeTray();
        QSignalSpy unavailable(tray.get(), &TrayController::trayUnavailable);
        tray->show();
        QCOMPARE(unavailable.count(), 0);
        QVERIFY(tray->hasTray());
        QTRY_VERIFY(tray->trayIcon()->isVisible());
        QVERIFY(
            !QGuiApplication::quitOnLastWindowClosed()); // hidden in the tray, a dialog closing must not quit
        QVERIFY(loadFirst());
        QCOMPARE(tray->trayIcon()->icon().cacheKey(), tray->icon().cacheKey());
        QCOMPARE(tray->trayIcon()->toolTip(), tray->toolTip());
        QCOMPARE(tray->trayIcon()->contextMenu(), tray->menu());

        QSignalSpy messages(tray.get(), &TrayController::messageShown);
        QCloseEvent first;
        QVERIFY(tray->handleWindowClose(&first));
        QVERIFY(!first.isAccepted());
        QCOMPARE(messages.count(), 1);
        QCloseEvent second;
        QVERIFY(tray->handleWindowClose(&second));
        QCOMPARE(messages.count(), 1); // said once

        find<QAction>(*tray, u"trayQuit"_s)->trigger();
        QCloseEvent last;
        QVERIFY(!tray->handleWindowClose(&last)); // quitting: let it close
    }
};

RK_TEST_WIDGETS_MAIN(TestTrayController)
#include "TestTrayController.moc"
