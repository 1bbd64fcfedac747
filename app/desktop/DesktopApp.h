#pragma once

#include "CommandLine.h"
#include "Session.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>

namespace rk {

class AppSettings;
class ApprovalService;
class ApprovalsPage;
class ConnectHostDialog;
class HostAdminService;
class HostClient;
class HostConnection;
class HostLink;
class KeychainSecretStore;
class MemorySecretStore;
class ProfileStore;
class SecretStore;
struct ConnectionProfile;
struct ConnectionFailure;
struct HostUser;
class MainWindow;
class Page;
class PendingApprovalsWatch;
class SignInDialog;
class StallProbe;
class TasksPage;
class TrayController;

// The composition root of the desktop app: builds the settings and the main window once, runs
// the sign-in dialog when asked (at start, File > Open/New, Sign In) and owns the resulting
// session, which it lends to the window. The session's store polls for the host's writes.
class DesktopApp : public QObject
{
    Q_OBJECT

public:
    static constexpr int kWatchIntervalMs = 2000;
    static constexpr int kReconnectMs = 30000;

    explicit DesktopApp(const desktop::CommandLine &commandLine, QObject *parent = nullptr);
    ~DesktopApp() override;

    // Shows the main window and the sign-in dialog for the database of the command line, the
    // last used one, or the default one (created, with the first-admin setup, on first run).
    void start();

    // <AppDataLocation>/kohakuriver.db: the embedded default platform database.
    static QString defaultDatabasePath();

private:
    SignInRequest initialRequest() const;
    void signIn(SignInRequest request);
    void adopt(std::unique_ptr<Session> session);
    void signOut();
    // The approval queue of the session: the core's watch of pending tasks feeds the tray, the
    // title and the navigation; the Approvals page asks the ApprovalService to decide.
    void watchApprovals();
    // A page just built (MainWindow::pageCreated) to the session's services: the Approvals page
    // to the ApprovalService, the Tasks page to the host, the Users and Invitations pages of a
    // Host profile to the host's API (HostAdminService; other profiles write the database).
    void wirePage(Page *page);
    void wireApprovals(ApprovalsPage *page);
    // Kill, pause and resume through the host, and task output from it.
    void wireTasks(TasksPage *page);
    HostAdminService *hostAdmin() const;
    void showWindow();

    // --- host profiles (HostLink) ---------------------------------------------------------------
    // File > Connect to Host... (or `edit`: that profile, e.g. after its token stopped working or
    // its certificate changed: `failure` says why, and shows a certificate to trust again).
    void connectHost(const ConnectionProfile *edit = nullptr, const ConnectionFailure *failure = nullptr);
    // Reopens the last used host profile: its secret from the keychain, checked with /me; with
    // the host unreachable, offline on the mirror's last data. False: the last one was no host.
    bool resumeLastHost();
    // Opens `profile` with its keychain secret, checked with /me; unreachable, offline on its
    // mirror; a credential or certificate the host refuses opens the Connect dialog with why.
    void resumeProfile(const ConnectionProfile &profile);
    // The saved host profiles to the window's File > Host Connections menu.
    void publishProfiles();
    void adoptHost(const ConnectionProfile &profile, const HostUser &me, SecretStore &secrets);
    void dropHost();
    // Offline start: the client has no credential (the resume failed), so the mirror's syncs
    // cannot work yet; resume again now and then until the host answers.
    void retryResume();
    // HostConnection::resume() for `profile` with the keychain's secret; exactly one of the two
    // callbacks runs, then the connection goes.
    HostConnection *startResume(const ConnectionProfile &profile,
        std::function<void(const ConnectionProfile &, const HostUser &)> onConnected,
        std::function<void(const ConnectionProfile &, const ConnectionFailure &)> onFailed);
    void updateHostStatus();

    desktop::CommandLine m_commandLine;
    QString m_origin;
    std::unique_ptr<AppSettings> m_settings;
    // Declared before the window, so the window (and its pages) go first.
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;
    // The watch of the current session (null when signed out) and the tray, made once.
    std::unique_ptr<PendingApprovalsWatch> m_watch;
    std::unique_ptr<ApprovalService> m_approvals;
    std::unique_ptr<TrayController> m_tray;
    // Host profiles: one REST client for the app, the keychain, the session-only store (no
    // keychain), the saved profiles and the host profile in use.
    std::unique_ptr<HostClient> m_client;
    // User and invitation changes of a Host profile; declared after the client it uses, so it goes
    // first. Its answered requests are audited in the mirror, and a change syncs the mirror.
    std::unique_ptr<HostAdminService> m_admin;
    std::unique_ptr<KeychainSecretStore> m_keychain;
    std::unique_ptr<MemorySecretStore> m_sessionSecrets;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<HostLink> m_link;
    QPointer<ConnectHostDialog> m_connectDialog;
    QTimer *m_reconnect = nullptr; // retryResume(), every kReconnectMs while offline
    QPointer<HostConnection> m_retrying; // the retry under way (a hung host takes ~45 s to fail)
    QPointer<HostConnection> m_resuming; // a saved profile being reopened (resumeProfile())
    StallProbe *m_stallProbe = nullptr; // --stall-probe: child of this
    QPointer<SignInDialog> m_dialog;
};

} // namespace rk
