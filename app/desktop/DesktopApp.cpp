#include "DesktopApp.h"

#include "HostLink.h"

#include "AppSettings.h"
#include "MainWindow.h"
#include "UiLogging.h"
#include "connect/ConnectHostDialog.h"
#include "connection/HostAdminService.h"
#include "connection/HostConnection.h"
#include "host/HostClient.h"
#include "pages/ApprovalsPage.h"
#include "pages/InvitationsPage.h"
#include "pages/TasksPage.h"
#include "pages/UsersAdminPage.h"
#include "profiles/ProfileStore.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/SecretStore.h"
#include "services/PendingApprovalsWatch.h"
#include "services/StallProbe.h"
#include "signin/SignInDialog.h"
#include "tasks/ApprovalService.h"
#include "tray/TrayController.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QSysInfo>

#include <utility>

namespace rk {

DesktopApp::DesktopApp(const desktop::CommandLine &commandLine, QObject *parent)
    : QObject(parent),
      m_commandLine(commandLine),
      m_origin(QStringLiteral("desktop@") + QSysInfo::machineHostName()),
      m_settings(std::make_unique<AppSettings>(std::make_unique<QSettings>(QSettings::NativeFormat,
          QSettings::UserScope, QStringLiteral("riverkeeper"), QStringLiteral("riverkeeper"))))
{
    m_window = std::make_unique<MainWindow>(*m_settings);
    connect(m_window.get(), &MainWindow::signInRequested, this, &DesktopApp::signIn);
    connect(m_window.get(), &MainWindow::signOutRequested, this, &DesktopApp::signOut);

    m_client = std::make_unique<HostClient>();
    m_admin = std::make_unique<HostAdminService>(m_client.get());
    // Every request answered is audited in the mirror (who: the signed-in account); a change is
    // fetched back at once, so the pages show it without waiting for the periodic sync.
    connect(m_admin.get(), &HostAdminService::actionRecorded, this,
        [this](const QString &action, const QString &target, bool ok, const QString &detail) {
            if (m_link)
                m_link->recordAction(action, target, ok, detail);
        });
    connect(m_admin.get(), &HostAdminService::hostChanged, this, [this]() {
        if (m_link)
            m_link->syncNow();
    });
    m_keychain = std::make_unique<KeychainSecretStore>();
    m_sessionSecrets = std::make_unique<MemorySecretStore>();
    m_profiles = std::make_unique<ProfileStore>(ProfileStore::openDefaultSettings());
    connect(m_window.get(), &MainWindow::connectHostRequested, this, [this]() { connectHost(); });
    // File > Host Connections: the saved host profiles, each reopened with its keychain secret.
    publishProfiles();
    connect(m_profiles.get(), &ProfileStore::profilesChanged, this, &DesktopApp::publishProfiles);
    connect(m_window.get(), &MainWindow::hostProfileRequested, this, [this](const QString &id) {
        if (const std::optional<ConnectionProfile> profile = m_profiles->profile(id))
            resumeProfile(*profile);
    });
    // View > Check for New Tasks: a host profile's queue is polled at the new pace from now on.
    connect(m_settings.get(), &AppSettings::approvalPollSecondsChanged, this, [this](int seconds) {
        if (m_watch && m_link)
            m_watch->setInterval(seconds * 1000);
    });
    // Pages are built when first shown: each is wired to the session's services as it comes.
    connect(m_window.get(), &MainWindow::pageCreated, this, &DesktopApp::wirePage);
    connect(m_window.get(), &MainWindow::syncRequested, this, [this]() {
        if (!m_link)
            return;
        m_link->syncNow();
        if (m_watch)
            m_watch->refresh();
    });

    // A platform database alone cannot dispatch tasks: the service says why (no host client).
    m_approvals = std::make_unique<ApprovalService>(nullptr);
    // Decisions through the host are audited in the mirror, and the mirror re-read at once so the
    // pages show the task's new state without waiting for the next periodic sync.
    connect(m_approvals.get(), &ApprovalService::decisionFinished, this,
        [this](qint64 id, bool approve, ApprovalService::Outcome outcome, const QString &message) {
            if (m_link) {
                m_link->recordAction(approve ? QStringLiteral("task.approve") : QStringLiteral("task.reject"),
                    QString::number(id), outcome != ApprovalService::Outcome::Failed, message);
            }
        });
    connect(m_approvals.get(), &ApprovalService::allFinished, this, [this]() {
        if (m_link)
            m_link->syncNow();
    });
    m_tray = std::make_unique<TrayController>(nullptr, m_approvals.get(), m_settings->qsettings());
    connect(
        m_tray.get(), &TrayController::pendingCountChanged, m_window.get(), &MainWindow::setPendingApprovals);
    connect(m_tray.get(), &TrayController::openRequested, this, &DesktopApp::showWindow);
    connect(
        m_tray.get(), &TrayController::quitRequested, qApp, &QCoreApplication::quit, Qt::QueuedConnection);
    connect(m_tray.get(), &TrayController::trayUnavailable, m_window.get(), &MainWindow::showStatusMessage);
    connect(m_tray.get(), &TrayController::messageShown, m_window.get(),
        [this](const QString &, const QString &message) { m_window->showStatusMessage(message); });
    m_window->setCloseFilter([this](QCloseEvent *event) { return m_tray->handleWindowClose(event); });
    m_reconnect = new QTimer(this);
    m_reconnect->setInterval(kReconnectMs);
    connect(m_reconnect, &QTimer::timeout, this, &DesktopApp::retryResume);
    if (m_commandLine.stallProbeMs > 0) {
        m_stallProbe = new StallProbe(this);
        m_stallProbe->setThresholdMs(m_commandLine.stallProbeMs);
        m_stallProbe->start();
    }
}

DesktopApp::~DesktopApp()
{
    if (m_stallProbe)
        qCInfo(lcUi, "stall probe: %s", qPrintable(m_stallProbe->summary()));
    delete m_dialog.data();
    delete m_connectDialog.data();
    // The watch, the link (its sync and jobs) and the pages use the host client, which is declared
    // after them and so would go first: end them explicitly, in order.
    m_tray->setWatch(nullptr);
    m_watch.reset();
    m_approvals->setHostClient(nullptr);
    m_window.reset();
    m_session.reset();
    m_admin.reset();
    m_link.reset();
    m_settings->sync();
}

QString DesktopApp::defaultDatabasePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("kohakuriver.db"));
}

void DesktopApp::start()
{
    m_window->show();
    m_tray->show();
    // A database named on the command line wins; otherwise the last host profile reopens.
    if (m_commandLine.database.isEmpty() && resumeLastHost())
        return;
    signIn(initialRequest());
}

SignInRequest DesktopApp::initialRequest() const
{
    SignInRequest request;
    request.username = m_commandLine.username;
    if (!m_commandLine.database.isEmpty()) {
        request.path = QFileInfo(m_commandLine.database).absoluteFilePath();
        request.mode = m_commandLine.readOnly ? SignInRequest::Mode::OpenReadOnly : SignInRequest::Mode::Open;
        // A new file named on the command line: create it (read-only has nothing to open).
        if (!QFileInfo::exists(request.path) && !m_commandLine.readOnly)
            request.mode = SignInRequest::Mode::Create;
        return request;
    }
    // No path: the last used database, else the default one (decided by signIn()).
    request.mode = m_commandLine.readOnly ? SignInRequest::Mode::OpenReadOnly : SignInRequest::Mode::Open;
    return request;
}

void DesktopApp::signIn(SignInRequest request)
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return;
    }
    if (request.path.isEmpty()) {
        const QString last = m_settings->lastDatabase();
        if (!last.isEmpty() && QFileInfo::exists(last)) {
            request.path = last;
            if (request.mode == SignInRequest::Mode::Open && m_settings->lastReadOnly())
                request.mode = SignInRequest::Mode::OpenReadOnly;
        } else {
            // The embedded default: created with its first administrator on the first run.
            request.path = defaultDatabasePath();
            if (!QFileInfo::exists(request.path) && request.mode != SignInRequest::Mode::OpenReadOnly)
                request.mode = SignInRequest::Mode::Create;
        }
    }
    if (request.username.isEmpty())
        request.username = m_commandLine.username;
    qCInfo(lcUi) << "sign-in requested for" << request.path;

    auto *dialog = new SignInDialog(*m_settings, m_origin, m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setRequest(request);
    connect(dialog, &QDialog::accepted, this, [this, dialog]() { adopt(dialog->takeSession()); });
    m_dialog = dialog;
    dialog->open();
}

void DesktopApp::adopt(std::unique_ptr<Session> session)
{
    if (!session)
        return;
    m_window->setSession(nullptr);
    // A platform database signed in through the dialog replaces any host profile in use.
    if (m_link) {
        dropHost();
        m_profiles->setLastUsed(QString());
    }
    m_session = std::move(session);
    m_session->store->setWatchInterval(kWatchIntervalMs);
    m_window->setSession(m_session.get());
    m_window->showStatusMessage(tr("Signed in to %1.").arg(QFileInfo(m_session->store->path()).fileName()));
    watchApprovals();
}

void DesktopApp::watchApprovals()
{
    m_tray->setWatch(nullptr);
    m_watch.reset();
    if (!m_session)
        return;
    if (m_link) {
        // Over the host: /api/tasks/pending-approval, polled with backoff while unreachable.
        m_watch = std::make_unique<PendingApprovalsWatch>(m_client.get());
        m_watch->setInterval(m_settings->approvalPollSeconds() * 1000);
        m_tray->setWatch(m_watch.get());
        // The pages read the mirror, which syncs every minute: when the queue changes on the host
        // (a submission, another operator's decision), sync now, so that the Approvals page shows
        // what the badge counts within the same poll. The first load follows the connect's own sync.
        connect(m_watch.get(), &PendingApprovalsWatch::changed, this,
            [this, first = true](int, const QList<PendingTask> &) mutable {
                if (!std::exchange(first, false) && m_link)
                    m_link->syncNow();
            });
        m_watch->start();
        return;
    }
    // Its own read-only connection, checked cheaply (PRAGMA data_version) and re-read on change.
    auto watch = PendingApprovalsWatch::openDatabase(m_session->store->path());
    if (!watch) {
        m_window->showStatusMessage(tr("The approval queue is not watched: %1").arg(watch.error().message));
        return;
    }
    m_watch = std::move(watch).value();
    m_watch->setInterval(kWatchIntervalMs);
    m_tray->setWatch(m_watch.get());
    m_watch->start();
}

void DesktopApp::showWindow()
{
    m_window->show();
    m_window->setWindowState((m_window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    m_window->raise();
    m_window->activateWindow();
}

void DesktopApp::signOut()
{
    if (m_link) {
        // A host profile: revoke the app's own token on the host and forget the secret.
        HostLink *link = m_link.get();
        connect(link, &HostLink::signedOut, this, [this, link](const Status &status) {
            if (m_link.get() != link)
                return;
            const QString name = link->profile().name;
            m_tray->setWatch(nullptr);
            m_watch.reset();
            m_window->setSession(nullptr);
            m_session.reset();
            dropHost();
            m_profiles->setLastUsed(QString());
            m_window->showStatusMessage(status
                    ? tr("Signed out of %1.").arg(name)
                    : tr("Signed out of %1: %2").arg(name, status.error().message));
        });
        link->signOut();
        return;
    }
    if (!m_session)
        return;
    const QString name = QFileInfo(m_session->store->path()).fileName();
    m_tray->setWatch(nullptr);
    m_watch.reset();
    m_window->setSession(nullptr);
    m_session.reset();
    m_window->showStatusMessage(tr("Signed out of %1.").arg(name));
}

void DesktopApp::wirePage(Page *page)
{
    if (auto *approvals = qobject_cast<ApprovalsPage *>(page)) {
        wireApprovals(approvals);
    } else if (auto *tasks = qobject_cast<TasksPage *>(page)) {
        wireTasks(tasks);
    } else if (auto *users = qobject_cast<UsersAdminPage *>(page)) {
        users->setHostAdmin(hostAdmin());
    } else if (auto *invitations = qobject_cast<InvitationsPage *>(page)) {
        invitations->setHostAdmin(hostAdmin());
    }
}

void DesktopApp::wireApprovals(ApprovalsPage *page)
{
    page->setDecisionsAvailable(m_approvals->canDecide(), m_approvals->unavailableReason());
    connect(page, &ApprovalsPage::approveRequested, m_approvals.get(),
        [this](const QList<qint64> &ids) { m_approvals->approve(ids); });
    connect(page, &ApprovalsPage::rejectRequested, m_approvals.get(),
        [this](const QList<qint64> &ids, const QString &reason) { m_approvals->reject(ids, reason); });
    connect(m_approvals.get(), &ApprovalService::decisionFinished, page,
        [page](qint64 id, bool, ApprovalService::Outcome outcome, const QString &message) {
            page->decisionFinished(id, outcome == ApprovalService::Outcome::Done, message);
        });
}

void DesktopApp::wireTasks(TasksPage *page)
{
    if (!m_link) {
        page->setHostActionsAvailable(false,
            tr("Killing, pausing and resuming a task is the host's work: connect to the host (a "
               "\u201cHost\u201d or \u201cHost + database\u201d profile)."));
        page->setLogSource(nullptr);
        return;
    }
    page->setHostActionsAvailable(true);
    page->setLogSource(m_link->logSource());
    // One request per action; the answer goes back to the page and into the mirror's audit.
    auto run = [this, page](qint64 id, const QString &action, HostCall<HostMessage> *job) {
        QPointer<TasksPage> target(page);
        job->onFinished(this, [this, target, id, action](const Result<HostMessage> &result) {
            if (m_link)
                m_link->recordAction(action, QString::number(id), result.ok(),
                    result.ok() ? result->message : result.error().message);
            if (target)
                target->actionFinished(
                    id, result.ok(), result.ok() ? result->message : result.error().message);
            if (result.ok() && m_link)
                m_link->syncNow();
        });
    };
    connect(page, &TasksPage::killRequested, this,
        [this, run](qint64 id) { run(id, QStringLiteral("task.kill"), m_client->killTask(id)); });
    connect(page, &TasksPage::pauseRequested, this,
        [this, run](qint64 id) { run(id, QStringLiteral("task.pause"), m_client->pauseTask(id)); });
    connect(page, &TasksPage::resumeRequested, this,
        [this, run](qint64 id) { run(id, QStringLiteral("task.resume"), m_client->resumeTask(id)); });
}

HostAdminService *DesktopApp::hostAdmin() const
{
    // Host + database writes the platform database itself; a plain database has no host.
    return m_link && !m_link->profile().usesDatabase() ? m_admin.get() : nullptr;
}

// --- host profiles ------------------------------------------------------------------------------

void DesktopApp::connectHost(const ConnectionProfile *edit, const ConnectionFailure *failure)
{
    if (m_connectDialog) {
        m_connectDialog->raise();
        m_connectDialog->activateWindow();
        return;
    }
    auto *dialog
        = new ConnectHostDialog(*m_profiles, *m_keychain, *m_sessionSecrets, *m_client, m_window.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    if (edit)
        dialog->setProfile(*edit);
    if (failure)
        dialog->showFailure(*failure);
    connect(dialog, &QDialog::accepted, this, [this, dialog]() {
        SecretStore *secrets = dialog->secretStore() ? dialog->secretStore() : m_keychain.get();
        adoptHost(dialog->profile(), dialog->me(), *secrets);
        if (!dialog->warning().isEmpty())
            m_window->showStatusMessage(dialog->warning());
    });
    m_connectDialog = dialog;
    dialog->open();
}

HostConnection *DesktopApp::startResume(const ConnectionProfile &profile,
    std::function<void(const ConnectionProfile &, const HostUser &)> onConnected,
    std::function<void(const ConnectionProfile &, const ConnectionFailure &)> onFailed)
{
    auto *connection = new HostConnection(profile, *m_keychain, *m_client, this);
    connect(connection, &HostConnection::connected, this,
        [connection, onConnected = std::move(onConnected)](const HostUser &me) {
            connection->deleteLater();
            onConnected(connection->profile(), me);
        });
    connect(connection, &HostConnection::failed, this,
        [connection, onFailed = std::move(onFailed)](const ConnectionFailure &failure) {
            connection->deleteLater();
            onFailed(connection->profile(), failure);
        });
    connection->resume();
    return connection;
}

bool DesktopApp::resumeLastHost()
{
    const std::optional<ConnectionProfile> profile = m_profiles->profile(m_profiles->lastUsedId());
    if (!profile || !profile->usesHost())
        return false;
    resumeProfile(*profile);
    return true;
}

void DesktopApp::publishProfiles()
{
    QList<MainWindow::HostProfileEntry> entries;
    for (const ConnectionProfile &profile : m_profiles->profiles()) {
        if (profile.usesHost())
            entries.append({profile.id, profile.name, profile.baseUrl.toDisplayString()});
    }
    m_window->setHostProfiles(entries);
}

void DesktopApp::resumeProfile(const ConnectionProfile &profile)
{
    if (m_resuming && m_resuming->profile().id == profile.id) {
        m_window->showStatusMessage(tr("Still connecting to %1\u2026").arg(profile.name));
        return; // chosen again while its reopening is under way
    }
    // Another profile chosen meanwhile, or the current one's reconnect retry: the last choice
    // wins. They share the client (its address and credential), so the others stop here.
    for (QPointer<HostConnection> *pending : {&m_resuming, &m_retrying}) {
        if (*pending) {
            (*pending)->disconnect(this);
            (*pending)->deleteLater();
            *pending = nullptr;
        }
    }
    m_window->showStatusMessage(tr("Connecting to %1\u2026").arg(profile.name));
    m_client->setBaseUrl(profile.baseUrl);
    m_resuming = startResume(
        profile, [this](const ConnectionProfile &p, const HostUser &me) { adoptHost(p, me, *m_keychain); },
        [this](const ConnectionProfile &p, const ConnectionFailure &failure) {
            // Unreachable: open on the mirror's last data and keep trying (the sync backs off).
            if (failure.kind == ConnectionFailure::Kind::Network) {
                if (const std::optional<HostUser> me = HostLink::rememberedAccount(p)) {
                    adoptHost(p, *me, *m_keychain);
                    m_window->showStatusMessage(tr("%1 is unreachable (%2); showing the last synced data.")
                                                    .arg(p.name, failure.message()));
                    m_reconnect->start();
                    return;
                }
            }
            m_window->showStatusMessage(tr("Could not reconnect to %1: %2").arg(p.name, failure.message()));
            connectHost(&p, &failure);
        });
}

void DesktopApp::adoptHost(const ConnectionProfile &profile, const HostUser &me, SecretStore &secrets)
{
    m_tray->setWatch(nullptr);
    m_watch.reset();
    m_window->setSession(nullptr);
    m_session.reset();
    dropHost();
    m_link = std::make_unique<HostLink>(profile, *m_client, secrets);
    auto session = m_link->open(me, m_origin);
    if (!session) {
        m_window->showStatusMessage(tr("Could not open %1: %2").arg(profile.name, session.error().message));
        dropHost();
        return;
    }
    connect(m_link.get(), &HostLink::statusChanged, this, &DesktopApp::updateHostStatus);
    m_profiles->setLastUsed(profile.id);
    // Before the pages: the Approvals page asks the service whether it can decide when built.
    m_approvals->setHostClient(m_client.get());
    m_session = std::move(session).value();
    m_session->store->setWatchInterval(kWatchIntervalMs);
    m_window->setSession(m_session.get());
    m_window->showStatusMessage(tr("Connected to %1 as %2.").arg(profile.name, me.username));
    updateHostStatus();
    watchApprovals();
}

void DesktopApp::retryResume()
{
    if (!m_link || !m_link->profile().usesHost()) {
        m_reconnect->stop();
        return;
    }
    if (m_retrying)
        return; // the previous try has not ended yet
    m_retrying = startResume(
        m_link->profile(),
        [this](const ConnectionProfile &, const HostUser &) {
            m_reconnect->stop();
            if (!m_link)
                return;
            m_window->showStatusMessage(tr("%1 is reachable again.").arg(m_link->profile().name));
            m_link->syncNow();
            if (m_watch)
                m_watch->refresh();
        },
        [this](const ConnectionProfile &p, const ConnectionFailure &failure) {
            if (failure.kind == ConnectionFailure::Kind::Network)
                return; // still unreachable: the timer tries again
            // Reachable, but the credential no longer works: say so and ask for a new sign-in.
            m_reconnect->stop();
            connectHost(&p, &failure);
        });
}

void DesktopApp::dropHost()
{
    if (m_reconnect)
        m_reconnect->stop();
    m_approvals->setHostClient(nullptr);
    // The client is kept for the next profile: what is left of a change must not go there.
    m_admin->cancelAll();
    m_link.reset();
    m_window->setConnectionStatus(QString(), false);
}

void DesktopApp::updateHostStatus()
{
    if (!m_link)
        return;
    m_window->setConnectionStatus(tr("%1 \u00b7 %2").arg(m_link->profile().name, m_link->statusText()),
        m_link->isOffline(), m_link->statusToolTip());
}

} // namespace rk
