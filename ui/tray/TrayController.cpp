#include "TrayController.h"

#include "tray/BadgeIconEngine.h"
#include "tray/RejectReasonDialog.h"

#include <QAction>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QLocale>
#include <QMenu>
#include <QSettings>

namespace rk {

namespace {

const QString kPausedKey = QStringLiteral("tray/notificationsPaused");
const QString kEnabledKey = QStringLiteral("tray/notificationsEnabled");
const QString kCloseNoticeKey = QStringLiteral("tray/closeNoticeShown");
const QString kUnavailableNoticeKey = QStringLiteral("tray/unavailableNoticeShown");

// Menu entries stay readable in a narrow tray menu.
constexpr int kMaxLabelLength = 60;

QString elided(const QString &text)
{
    if (text.size() <= kMaxLabelLength)
        return text;
    return text.left(kMaxLabelLength - 1) + QChar(0x2026);
}

QString idName(const char *prefix, qint64 id)
{
    return QLatin1String(prefix) + QString::number(id);
}

} // namespace

TrayController::TrayController(
    PendingApprovalsWatch *watch, ApprovalService *service, QSettings *settings, QObject *parent)
    : TrayController(watch, service, settings, Options {}, parent)
{
}

TrayController::TrayController(PendingApprovalsWatch *watch, ApprovalService *service, QSettings *settings,
    const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_settings(settings)
{
    if (!m_settings) {
        m_ownSettings = std::make_unique<QSettings>();
        m_settings = m_ownSettings.get();
    }
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(qMax(0, m_options.coalesceMs));
    connect(&m_coalesce, &QTimer::timeout, this, &TrayController::flushNotification);
    build();
    setApprovalService(service);
    setWatch(watch);
}

TrayController::~TrayController()
{
    if (m_tray)
        QGuiApplication::setQuitOnLastWindowClosed(m_restoreQuitOnLastWindowClosed);
    delete m_tray; // first: it borrows the menu
    m_tray = nullptr;
    delete m_menu; // not a QObject child: a QMenu needs no widget parent, the tray only borrows it
}

void TrayController::build()
{
    m_menu = new QMenu();
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    m_menu->setToolTipsVisible(true);
    connect(m_menu, &QMenu::aboutToShow, this, [this]() {
        if (m_menuDirty)
            rebuildMenu();
    });

    // The fixed entries belong to the menu and stay across rebuilds.
    m_headerAction = new QAction(m_menu);
    m_headerAction->setObjectName(QStringLiteral("trayPendingHeader"));
    m_headerAction->setEnabled(false);
    m_stateAction = new QAction(m_menu);
    m_stateAction->setObjectName(QStringLiteral("trayConnectionState"));
    m_stateAction->setEnabled(false);
    m_moreAction = new QAction(m_menu);
    m_moreAction->setObjectName(QStringLiteral("trayMoreTasks"));
    connect(m_moreAction, &QAction::triggered, this, &TrayController::openRequested);

    m_openAction = new QAction(tr("&Open Riverkeeper"), m_menu);
    m_openAction->setObjectName(QStringLiteral("trayOpen"));
    connect(m_openAction, &QAction::triggered, this, &TrayController::openRequested);

    m_pauseAction = new QAction(tr("&Pause Notifications"), m_menu);
    m_pauseAction->setObjectName(QStringLiteral("trayPauseNotifications"));
    m_pauseAction->setCheckable(true);
    m_pauseAction->setChecked(notificationsPaused());
    updatePauseAction();
    connect(m_pauseAction, &QAction::toggled, this, &TrayController::setNotificationsPaused);

    m_quitAction = new QAction(tr("&Quit"), m_menu);
    m_quitAction->setObjectName(QStringLiteral("trayQuit"));
    connect(m_quitAction, &QAction::triggered, this, [this]() {
        m_quitting = true;
        Q_EMIT quitRequested();
    });

    m_icon = BadgeIconEngine::icon(0, m_badgeState);
}

void TrayController::show()
{
    if (m_tray)
        return;
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!flag(kUnavailableNoticeKey, false)) {
            setFlag(kUnavailableNoticeKey, true);
            Q_EMIT trayUnavailable(
                tr("This desktop has no system tray, so Riverkeeper shows the tasks waiting "
                   "for approval in its window only, and quits when the window is closed."));
        }
        return;
    }
    // A tray seen again: should it go missing later, say so again.
    setFlag(kUnavailableNoticeKey, false);
    m_tray = new QSystemTrayIcon(m_icon, this);
    m_tray->setObjectName(QStringLiteral("trayIcon"));
    m_tray->setToolTip(m_toolTip);
    m_tray->setContextMenu(m_menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            Q_EMIT openRequested();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayController::openRequested);
    m_tray->show();
    // With the window hidden in the tray, closing any dialog would otherwise end the app: from now
    // on only Quit (quitRequested()) does.
    m_restoreQuitOnLastWindowClosed = QGuiApplication::quitOnLastWindowClosed();
    QGuiApplication::setQuitOnLastWindowClosed(false);
}

void TrayController::setWatch(PendingApprovalsWatch *watch)
{
    for (const auto &c : std::as_const(m_watchConnections))
        disconnect(c);
    m_watchConnections.clear();
    m_coalesce.stop();
    m_burst.clear();
    m_watch = watch;
    if (m_watch) {
        m_watchConnections = {
            connect(m_watch, &PendingApprovalsWatch::changed, this, &TrayController::updateFromWatch),
            connect(m_watch, &PendingApprovalsWatch::stateChanged, this, &TrayController::updateFromWatch),
            connect(m_watch, &PendingApprovalsWatch::arrived, this, &TrayController::onArrived),
            connect(m_watch, &QObject::destroyed, this, &TrayController::updateFromWatch),
        };
    }
    updateFromWatch();
}

void TrayController::setApprovalService(ApprovalService *service)
{
    for (const auto &c : std::as_const(m_serviceConnections))
        disconnect(c);
    m_serviceConnections.clear();
    m_asked.clear();
    m_service = service;
    if (m_service) {
        m_serviceConnections = {
            connect(m_service, &ApprovalService::decisionFinished, this, &TrayController::onDecisionFinished),
            connect(m_service, &ApprovalService::allFinished, this,
                [this]() {
                    if (m_watch)
                        m_watch->refresh(); // the decided tasks leave the list at once
                }),
        };
    }
    updateTaskActions();
}

void TrayController::updateFromWatch()
{
    const bool online = m_watch && m_watch->state() == PendingApprovalsWatch::State::Online;
    const int count = m_watch ? m_watch->count() : 0;
    const BadgePainter::State state = online ? BadgePainter::State::Online : BadgePainter::State::Offline;
    const bool countChanged = count != m_count;
    if (countChanged || state != m_badgeState) {
        m_icon = BadgeIconEngine::icon(count, state);
        if (m_tray)
            m_tray->setIcon(m_icon);
    }
    m_count = count;
    m_badgeState = state;

    if (!m_watch
        || (m_watch->state() == PendingApprovalsWatch::State::Disconnected && !m_watch->hasLoaded())) {
        m_toolTip = tr("Riverkeeper is not connected to a host or platform database.");
        m_stateAction->setText(tr("Not connected"));
        m_stateAction->setToolTip(QString());
    } else if (!online) {
        const QString why = m_watch->lastError().isEmpty() ? tr("no connection") : m_watch->lastError();
        m_toolTip = tr("Riverkeeper is offline: %1").arg(why) + QLatin1Char('\n')
            + tr("%n task(s) waiting for approval at the last check", nullptr, count);
        m_stateAction->setText(tr("Offline: last known count"));
        m_stateAction->setToolTip(why);
    } else {
        m_toolTip = count == 0 ? tr("No tasks waiting for approval")
                               : tr("%n task(s) waiting for approval", nullptr, count);
    }
    if (m_tray)
        m_tray->setToolTip(m_toolTip);

    m_newest = m_watch ? m_watch->newest() : QList<PendingTask>();
    rebuildMenu();
    if (countChanged)
        Q_EMIT pendingCountChanged(count);
}

void TrayController::rebuildMenu()
{
    if (m_menu->isVisible()) {
        // Not under the user's pointer: the next aboutToShow() rebuilds.
        m_menuDirty = true;
        return;
    }
    m_menuDirty = false;
    // The fixed entries are kept (the menu owns them); separators are made anew.
    const QList<QAction *> entries = m_menu->actions();
    for (QAction *entry : entries) {
        m_menu->removeAction(entry);
        if (entry->isSeparator())
            delete entry;
    }
    for (QMenu *old : std::as_const(m_taskMenus)) {
        // Gone for findChild() at once; deleted from the event loop, since one of its actions may
        // be what is running now (a reason dialog's event loop).
        old->setObjectName(QString());
        const QList<QAction *> actions = old->findChildren<QAction *>();
        for (QAction *action : actions)
            action->setObjectName(QString());
        old->menuAction()->setObjectName(QString());
        old->deleteLater();
    }
    m_taskMenus.clear();
    m_decisionActions.clear();

    const bool online = m_badgeState == BadgePainter::State::Online;
    m_headerAction->setText(m_count > 0 ? tr("%n task(s) waiting for approval", nullptr, m_count)
                                        : tr("No tasks waiting for approval"));
    m_menu->addAction(m_headerAction);
    if (!online)
        m_menu->addAction(m_stateAction);

    const int shown = int(qMin<qsizetype>(m_newest.size(), qMax(0, m_options.maxMenuTasks)));
    for (int i = 0; i < shown; ++i) {
        const PendingTask &task = m_newest.at(i);
        auto *sub = new QMenu(elided(taskLabel(task)), m_menu);
        sub->setObjectName(idName("trayTask_", task.id));
        sub->setToolTipsVisible(true);
        sub->menuAction()->setObjectName(idName("trayTaskMenu_", task.id));

        QStringList details;
        if (!task.summary.isEmpty())
            details.append(elided(task.summary));
        if (task.submitted.isValid())
            details.append(tr("Submitted %1").arg(QLocale().toString(task.submitted, QLocale::ShortFormat)));
        details.append(tr("ID %1").arg(task.id));
        QAction *info = sub->addAction(details.join(QStringLiteral(" \u00b7 ")));
        info->setObjectName(idName("trayTaskInfo_", task.id));
        info->setEnabled(false);
        sub->addSeparator();

        const qint64 id = task.id;
        QAction *approve = sub->addAction(tr("&Approve"));
        approve->setObjectName(idName("trayApprove_", id));
        connect(approve, &QAction::triggered, this, [this, id]() { approveTask(id); });
        QAction *reject = sub->addAction(tr("&Reject\u2026"));
        reject->setObjectName(idName("trayReject_", id));
        connect(reject, &QAction::triggered, this, [this, id]() { rejectTask(id); });
        m_decisionActions.insert(id, {approve, reject});

        m_menu->addMenu(sub);
        m_taskMenus.append(sub);
    }
    const int more = m_count - shown;
    if (more > 0 && shown > 0) {
        m_moreAction->setText(tr("%n more in Riverkeeper\u2026", nullptr, more));
        m_menu->addAction(m_moreAction);
    }
    m_menu->addSeparator();
    m_menu->addAction(m_openAction);
    m_menu->addAction(m_pauseAction);
    m_menu->addSeparator();
    m_menu->addAction(m_quitAction);
    updateTaskActions();
}

void TrayController::updateTaskActions()
{
    const bool canDecide = m_service && m_service->canDecide();
    const QString why = !m_service ? tr("Approving and rejecting is not available here.")
                                   : (canDecide ? QString() : m_service->unavailableReason());
    for (auto it = m_decisionActions.cbegin(); it != m_decisionActions.cend(); ++it) {
        const bool busy = m_service && m_service->isBusy(it.key());
        for (QAction *action : it.value()) {
            action->setEnabled(canDecide && !busy);
            action->setToolTip(why);
        }
    }
}

QString TrayController::taskLabel(const PendingTask &task) const
{
    const QString what = !task.name.isEmpty() ? task.name
        : !task.summary.isEmpty()             ? task.summary
                                              : tr("Task %1").arg(task.id);
    return task.submitter.isEmpty() ? what : tr("%1 (%2)").arg(what, task.submitter);
}

void TrayController::approveTask(qint64 taskId)
{
    if (!m_service || m_service->isBusy(taskId))
        return;
    m_asked.insert(taskId);
    m_service->approve({taskId});
    updateTaskActions();
}

void TrayController::rejectTask(qint64 taskId)
{
    if (!m_service || m_service->isBusy(taskId))
        return;
    QString label = tr("task %1").arg(taskId);
    for (const PendingTask &task : std::as_const(m_newest)) {
        if (task.id == taskId)
            label = taskLabel(task);
    }
    const std::optional<QString> reason = RejectReasonDialog::ask(nullptr, label);
    if (!reason || !m_service)
        return;
    m_asked.insert(taskId);
    m_service->reject({taskId}, *reason);
    updateTaskActions();
}

void TrayController::onDecisionFinished(
    qint64 taskId, bool approve, ApprovalService::Outcome outcome, const QString &message)
{
    if (!m_asked.remove(taskId))
        return; // asked for elsewhere (the approval page): reported there
    updateTaskActions();
    if (outcome == ApprovalService::Outcome::Done)
        return; // the task leaving the menu says enough
    const QString title = outcome == ApprovalService::Outcome::AlreadyDecided
        ? tr("Task already decided")
        : (approve ? tr("Approval failed") : tr("Rejection failed"));
    showTrayMessage(title, message,
        outcome == ApprovalService::Outcome::Failed ? QSystemTrayIcon::Warning
                                                    : QSystemTrayIcon::Information);
}

void TrayController::onArrived(const QList<qint64> &ids)
{
    if (!notificationsEnabled() || notificationsPaused())
        return;
    for (const qint64 id : ids) {
        if (!m_burst.contains(id))
            m_burst.append(id);
    }
    // The window opens with the first arrival and is not extended: a steady trickle still gets a
    // notification every coalesceMs, not never.
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void TrayController::flushNotification()
{
    const QList<qint64> burst = std::exchange(m_burst, {});
    if (burst.isEmpty() || !notificationsEnabled() || notificationsPaused())
        return;
    const int n = int(burst.size());
    QString text = tr("%n new task(s) waiting for approval", nullptr, n);
    if (n == 1) {
        for (const PendingTask &task : std::as_const(m_newest)) {
            if (task.id == burst.first())
                text += QLatin1Char('\n') + taskLabel(task);
        }
    }
    const QString title = tr("Riverkeeper");
    Q_EMIT notificationShown(title, text);
    if (m_tray)
        m_tray->showMessage(title, text, m_icon, m_options.notificationMs);
}

void TrayController::showTrayMessage(
    const QString &title, const QString &message, QSystemTrayIcon::MessageIcon icon)
{
    Q_EMIT messageShown(title, message);
    if (m_tray)
        m_tray->showMessage(title, message, icon, m_options.notificationMs);
}

bool TrayController::notificationsPaused() const
{
    return flag(kPausedKey, false);
}

void TrayController::setNotificationsPaused(bool paused)
{
    if (paused != notificationsPaused())
        setFlag(kPausedKey, paused);
    if (paused) {
        m_coalesce.stop();
        m_burst.clear();
    }
    if (m_pauseAction->isChecked() != paused)
        m_pauseAction->setChecked(paused);
}

bool TrayController::notificationsEnabled() const
{
    return flag(kEnabledKey, true);
}

void TrayController::setNotificationsEnabled(bool enabled)
{
    setFlag(kEnabledKey, enabled);
    updatePauseAction();
    if (!enabled) {
        m_coalesce.stop();
        m_burst.clear();
    }
}

void TrayController::updatePauseAction()
{
    const bool enabled = notificationsEnabled();
    m_pauseAction->setEnabled(enabled);
    m_pauseAction->setToolTip(enabled ? QString() : tr("Notifications are turned off in the preferences."));
}

bool TrayController::handleWindowClose(QCloseEvent *event)
{
    if (m_quitting || !m_tray || !m_tray->isVisible())
        return false;
    if (event)
        event->ignore();
    if (!flag(kCloseNoticeKey, false)) {
        setFlag(kCloseNoticeKey, true);
        showTrayMessage(tr("Riverkeeper is still running"),
            tr("Riverkeeper keeps running in the system tray and tells you when tasks wait for approval. "
               "Choose Quit in its menu to leave."),
            QSystemTrayIcon::Information);
    }
    return true;
}

QString TrayController::titleWithCount(const QString &title, int count)
{
    if (count <= 0)
        return title;
    return tr("(%1) %2").arg(BadgePainter::badgeText(count), title);
}

bool TrayController::flag(const QString &key, bool fallback) const
{
    return m_settings->value(key, fallback).toBool();
}

void TrayController::setFlag(const QString &key, bool value)
{
    m_settings->setValue(key, value);
}

} // namespace rk
