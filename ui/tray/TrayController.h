#pragma once

#include "services/PendingApprovalsWatch.h"
#include "tasks/ApprovalService.h"
#include "tray/BadgePainter.h"

#include <QHash>
#include <QIcon>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QSystemTrayIcon>
#include <QTimer>

class QAction;
class QCloseEvent;
class QMenu;
class QSettings;

namespace rk {

// The system tray icon: the pending-approval count in a badge (grey with a "no connection" mark
// while offline or disconnected), a tooltip, and a menu with the newest pending tasks (Approve,
// Reject...), Open Riverkeeper, Pause notifications and Quit. New tasks raise one desktop
// notification per burst (arrivals within Options::coalesceMs are summed up), unless paused (the
// menu's toggle) or turned off (setNotificationsEnabled); both are remembered in the settings.
//
// It polls nothing: the counts come from a PendingApprovalsWatch (the core's one poll) and the
// decisions go to the ApprovalService. Neither is owned; either may be null (nothing to show, or
// nothing that can decide).
//
// Where the desktop has no tray, show() says so once (trayUnavailable(), remembered in the
// settings) and creates no icon; the menu, the count signals and the notification signals still
// work, so the window can show them. Everything runs on the GUI thread.
//
// What the main window wires:
// - pendingCountChanged(int) and titleWithCount() for the title and the navigation badge;
// - openRequested() to show and raise the window, quitRequested() to quit the application;
// - handleWindowClose() from MainWindow::closeEvent (hide instead of close while the tray is up);
// - trayUnavailable() and messageShown() (for example in the status bar).
class TrayController : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int coalesceMs = 2000; // arrivals within this window make one notification
        int maxMenuTasks = 5; // pending tasks listed in the menu
        int notificationMs = 10000; // how long a tray message stays up
    };

    // `settings` is not owned (nullptr: a default QSettings of the application, owned here).
    TrayController(PendingApprovalsWatch *watch, ApprovalService *service, QSettings *settings,
        QObject *parent = nullptr);
    TrayController(PendingApprovalsWatch *watch, ApprovalService *service, QSettings *settings,
        const Options &options, QObject *parent = nullptr);
    ~TrayController() override;

    // Switches to another watch (another connection); arrivals not yet notified are dropped.
    void setWatch(PendingApprovalsWatch *watch);
    PendingApprovalsWatch *watch() const { return m_watch; }
    void setApprovalService(ApprovalService *service);

    // Creates and shows the tray icon when QSystemTrayIcon::isSystemTrayAvailable(), and turns
    // QGuiApplication::quitOnLastWindowClosed off (restored on destruction): from then on the app
    // ends on quitRequested() only, which the owner must connect to QCoreApplication::quit().
    // Without a tray: emits trayUnavailable() the first time ever (until a tray is seen again).
    void show();
    bool hasTray() const { return m_tray != nullptr; }
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    // The tray's context menu; exists (and is kept up to date) with or without a tray.
    QMenu *menu() const { return m_menu; }
    // The badged icon for the current count and state, as set on the tray.
    QIcon icon() const { return m_icon; }
    QString toolTip() const { return m_toolTip; }
    int pendingCount() const { return m_count; }
    BadgePainter::State badgeState() const { return m_badgeState; }

    // The menu's "Pause notifications" toggle (remembered).
    bool notificationsPaused() const;
    void setNotificationsPaused(bool paused);
    // The preference that turns notifications off altogether (remembered; default on).
    bool notificationsEnabled() const;
    void setNotificationsEnabled(bool enabled);

    // For MainWindow::closeEvent: true when the window should hide instead of closing (a tray is
    // up and Quit was not chosen); the event is then ignored, and the first time ever a message
    // says that Riverkeeper keeps running in the tray. False: let the window close.
    bool handleWindowClose(QCloseEvent *event);
    // True once Quit was chosen.
    bool isQuitting() const { return m_quitting; }

    // "(3) Riverkeeper — lab" for 3 pending tasks; `title` itself for 0. Above 99: "(99+) ...".
    static QString titleWithCount(const QString &title, int count);

Q_SIGNALS:
    void pendingCountChanged(int count);
    void openRequested();
    void quitRequested();
    // The desktop has no system tray (said once; see show()).
    void trayUnavailable(const QString &message);
    // A summary of new tasks was shown (or would have been, without a tray).
    void notificationShown(const QString &title, const QString &message);
    // Any other message of the tray: the close notice, a decision that failed.
    void messageShown(const QString &title, const QString &message);

private:
    void build();
    void connectWatch();
    void updateFromWatch();
    void rebuildMenu();
    void updateTaskActions();
    void updatePauseAction();
    void approveTask(qint64 taskId);
    void rejectTask(qint64 taskId);
    void onArrived(const QList<qint64> &ids);
    void flushNotification();
    void onDecisionFinished(
        qint64 taskId, bool approve, ApprovalService::Outcome outcome, const QString &message);
    void showTrayMessage(const QString &title, const QString &message, QSystemTrayIcon::MessageIcon icon);
    QString taskLabel(const PendingTask &task) const;
    bool flag(const QString &key, bool fallback) const;
    void setFlag(const QString &key, bool value);

    Options m_options;
    QPointer<PendingApprovalsWatch> m_watch;
    QPointer<ApprovalService> m_service;
    QSettings *m_settings = nullptr;
    std::unique_ptr<QSettings> m_ownSettings;

    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    QAction *m_headerAction = nullptr;
    QAction *m_stateAction = nullptr;
    QAction *m_moreAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_quitAction = nullptr;
    QList<QMenu *> m_taskMenus;
    QHash<qint64, QList<QAction *>> m_decisionActions; // Approve and Reject... per task
    bool m_menuDirty = false;

    QIcon m_icon;
    QString m_toolTip;
    int m_count = -1; // -1: nothing painted yet
    BadgePainter::State m_badgeState = BadgePainter::State::Offline;
    QList<PendingTask> m_newest;

    QTimer m_coalesce;
    QList<qint64> m_burst;
    QSet<qint64> m_asked; // decisions this tray asked for (the service is shared)
    bool m_quitting = false;
    bool m_restoreQuitOnLastWindowClosed = true;
    QList<QMetaObject::Connection> m_watchConnections;
    QList<QMetaObject::Connection> m_serviceConnections;
};

} // namespace rk
