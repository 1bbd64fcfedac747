#include "MainWindow.h"

#include "AppSettings.h"
#include "IconFactory.h"
#include "SignedOutView.h"
#include "pages/ApprovalsPage.h"
#include "pages/GroupsPage.h"
#include "pages/InvitationsPage.h"
#include "pages/NodesPage.h"
#include "pages/SessionsPage.h"
#include "pages/TasksPage.h"
#include "pages/TokensPage.h"
#include "pages/UsersAdminPage.h"
#include "pages/VpsPage.h"
#include "signin/DatabaseFileDialogs.h"
#include "tray/TrayController.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>

namespace rk {

namespace {
constexpr int kStatusMessageMs = 6000;
constexpr int kNavigationWidth = 190;

// "&1 name   — where": the first nine numbered for the keyboard, where (a folder, an address)
// to tell entries of the same name apart.
QString numberedEntry(int n, const QString &name, const QString &where)
{
    return (n < 10 ? QStringLiteral("&%1  ").arg(n) : QString()) + name + QStringLiteral("   \u2014 ")
        + where;
}
} // namespace

MainWindow::MainWindow(AppSettings &settings, QWidget *parent)
    : QMainWindow(parent),
      m_settings(settings),
      m_navigation(new QListWidget(this)),
      m_stack(new QStackedWidget(this)),
      m_workspace(new QWidget(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(icons::appIcon());

    m_navigation->setObjectName(QStringLiteral("navigationList"));
    m_navigation->setFixedWidth(kNavigationWidth);
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setIconSize(QSize(20, 20));
    m_navigation->setUniformItemSizes(true);
    m_navigation->setAccessibleName(tr("Pages"));
    QPalette navPalette = m_navigation->palette();
    navPalette.setColor(QPalette::Base, navPalette.color(QPalette::Window).darker(104));
    m_navigation->setPalette(navPalette);
    m_navigation->setStyleSheet(QStringLiteral(
        "QListWidget#navigationList { padding: 8px 6px; }"
        "QListWidget#navigationList::item { padding: 7px 8px; border-radius: 5px; margin: 1px 0px; color: "
        "palette(text); }"
        "QListWidget#navigationList::item:selected { background: #d6e4f5; color: #12355b; }"
        "QListWidget#navigationList::item:hover:!selected { background: rgba(0, 0, 0, 0.05); }"));
    m_stack->setObjectName(QStringLiteral("pageStack"));

    auto *divider = new QFrame(m_workspace);
    divider->setFrameShape(QFrame::VLine);
    divider->setFrameShadow(QFrame::Plain);
    divider->setStyleSheet(QStringLiteral("color: palette(mid);"));
    auto *workspaceLayout = new QHBoxLayout(m_workspace);
    workspaceLayout->setContentsMargins(0, 0, 0, 0);
    workspaceLayout->setSpacing(0);
    workspaceLayout->addWidget(m_navigation);
    workspaceLayout->addWidget(divider);
    workspaceLayout->addWidget(m_stack, 1);

    createActions();
    m_signedOut = new SignedOutView(m_connectHostAction, m_signInAction, m_openAction, m_newAction, this);
    auto *central = new QStackedWidget(this);
    central->setObjectName(QStringLiteral("centralStack"));
    central->addWidget(m_signedOut);
    central->addWidget(m_workspace);
    setCentralWidget(central);

    createMenus();
    m_signedOut->setConnectionsMenu(m_connectionsMenu);
    createStatusBar();
    connect(m_navigation, &QListWidget::currentRowChanged, this, &MainWindow::onPageChanged);
    connect(&m_settings, &AppSettings::recentFilesChanged, this, &MainWindow::rebuildRecentMenu);

    if (!restoreGeometry(m_settings.windowGeometry())) {
        const QRect screen = QApplication::primaryScreen()
            ? QApplication::primaryScreen()->availableGeometry()
            : QRect(0, 0, 1400, 900);
        resize(QSize(1280, 800).boundedTo(screen.size() * 0.92));
    }
    restoreState(m_settings.windowState());
    setSession(nullptr);
}

MainWindow::~MainWindow()
{
    // Pages hold references into the session: they go before anything else.
    setSession(nullptr);
}

// --- actions and menus --------------------------------------------------------------------------

void MainWindow::createActions()
{
    auto make = [this](const QString &text, const char *name, const QKeySequence &shortcut = {}) {
        auto *action = new QAction(text, this);
        action->setObjectName(QString::fromLatin1(name));
        action->setShortcut(shortcut);
        addAction(action);
        return action;
    };
    m_signInAction = make(tr("&Sign In\u2026"), "signInAction", QKeySequence(Qt::CTRL | Qt::Key_L));
    m_signInAction->setToolTip(tr("Sign in to the last used platform database"));
    m_openAction = make(tr("&Open Platform Database\u2026"), "openDatabaseAction", QKeySequence::Open);
    m_openAction->setToolTip(tr("Open the host's kohakuriver.db (or a copy) and sign in"));
    m_openReadOnlyAction = make(
        tr("Open &Read-Only\u2026"), "openReadOnlyAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_openReadOnlyAction->setToolTip(tr("Open a copy or backup for review; nothing can be changed"));
    m_newAction = make(tr("&New Platform Database\u2026"), "newDatabaseAction",
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_newAction->setToolTip(tr("Create a new platform database and its first administrator"));
    m_connectHostAction = make(
        tr("Connect to &Host\u2026"), "connectHostAction", QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
    m_connectHostAction->setToolTip(
        tr("Connect to a KohakuRiver host's REST API (a host profile); its data stays readable offline"));
    m_syncAction = make(tr("S&ync Now"), "syncNowAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_syncAction->setToolTip(tr("Fetch the host's users, invitations, tasks, VPS and nodes now; the "
                                "pages show them as soon as they arrive"));
    m_signOutAction = make(tr("&Close and Sign Out"), "signOutAction", QKeySequence::Close);
    m_quitAction = make(tr("&Quit"), "quitAction", QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);

    m_showNavigationAction
        = make(tr("Show &Navigation"), "showNavigationAction", QKeySequence(Qt::CTRL | Qt::Key_B));
    m_showNavigationAction->setCheckable(true);
    m_showNavigationAction->setChecked(true);
    m_fullScreenAction = make(tr("&Full Screen"), "fullScreenAction", QKeySequence::FullScreen);
    m_fullScreenAction->setCheckable(true);
    m_aboutAction = make(tr("&About Riverkeeper"), "aboutAction", QKeySequence::HelpContents);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    m_aboutQtAction = make(tr("About &Qt"), "aboutQtAction");
    m_aboutQtAction->setMenuRole(QAction::AboutQtRole);

    connect(m_signInAction, &QAction::triggered, this, [this]() { Q_EMIT signInRequested({}); });
    connect(m_openAction, &QAction::triggered, this, [this]() { requestOpen(false); });
    connect(m_openReadOnlyAction, &QAction::triggered, this, [this]() { requestOpen(true); });
    connect(m_newAction, &QAction::triggered, this, &MainWindow::requestCreate);
    connect(m_signOutAction, &QAction::triggered, this, &MainWindow::signOutRequested);
    connect(m_connectHostAction, &QAction::triggered, this, &MainWindow::connectHostRequested);
    connect(m_syncAction, &QAction::triggered, this, &MainWindow::syncRequested);
    // Quit ends the app, also when the tray would keep it running after a close: Qt 6's quit()
    // first closes the windows and gives up if one refuses, so the close filter is skipped then.
    connect(m_quitAction, &QAction::triggered, this, [this]() {
        m_quitting = true;
        close();
        QCoreApplication::quit();
    });
    connect(m_showNavigationAction, &QAction::toggled, m_navigation, &QWidget::setVisible);
    connect(m_fullScreenAction, &QAction::toggled, this, [this](bool on) {
        setWindowState(on ? windowState() | Qt::WindowFullScreen : windowState() & ~Qt::WindowFullScreen);
    });
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->setToolTipsVisible(true);
    file->addAction(m_signInAction);
    file->addSeparator();
    file->addAction(m_openAction);
    file->addAction(m_openReadOnlyAction);
    file->addAction(m_newAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    m_recentMenu->setToolTipsVisible(true);
    file->addSeparator();
    file->addAction(m_connectHostAction);
    m_connectionsMenu = file->addMenu(tr("Host Co&nnections"));
    m_connectionsMenu->setObjectName(QStringLiteral("connectionsMenu"));
    m_connectionsMenu->setToolTipsVisible(true);
    setHostProfiles({});
    file->addAction(m_syncAction);
    file->addSeparator();
    file->addAction(m_signOutAction);
    file->addSeparator();
    file->addAction(m_quitAction);
    rebuildRecentMenu();

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->setObjectName(QStringLiteral("viewMenu"));
    m_pagesSeparator = m_viewMenu->addSeparator();
    // The approval queue of a host profile is polled; how often is the admin's choice.
    QMenu *poll = m_viewMenu->addMenu(tr("Check for &New Tasks"));
    poll->setObjectName(QStringLiteral("approvalPollMenu"));
    poll->setToolTipsVisible(true);
    auto *pollGroup = new QActionGroup(poll);
    for (const int seconds : AppSettings::approvalPollChoices()) {
        QAction *every = poll->addAction(seconds < 60 ? tr("Every %1 Seconds").arg(seconds)
                : seconds == 60                       ? tr("Every Minute")
                                                      : tr("Every %1 Minutes").arg(seconds / 60));
        every->setObjectName(QStringLiteral("approvalPoll%1Action").arg(seconds));
        every->setCheckable(true);
        every->setChecked(seconds == m_settings.approvalPollSeconds());
        every->setToolTip(
            tr("How often the host is asked for tasks waiting for approval (the badge, the "
               "title and the Approvals page). A platform database is checked every 2 seconds."));
        pollGroup->addAction(every);
        connect(every, &QAction::triggered, this,
            [this, seconds]() { m_settings.setApprovalPollSeconds(seconds); });
    }
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_showNavigationAction);
    m_viewMenu->addAction(m_fullScreenAction);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("helpMenu"));
    help->addAction(m_aboutAction);
    help->addAction(m_aboutQtAction);
    m_helpMenuAction = help->menuAction();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = m_settings.recentFiles();
    int n = 0;
    for (const QString &path : files) {
        ++n;
        const QString name = QFileInfo(path).fileName();
        QAction *action = m_recentMenu->addAction(
            numberedEntry(n, name, QDir::toNativeSeparators(QFileInfo(path).absolutePath())));
        action->setToolTip(QFileInfo::exists(path)
                ? QDir::toNativeSeparators(path)
                : tr("%1 (not found)").arg(QDir::toNativeSeparators(path)));
        connect(action, &QAction::triggered, this, [this, path]() {
            Q_EMIT signInRequested({path, SignInRequest::Mode::Open, {}});
        });
    }
    if (files.isEmpty()) {
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
    } else {
        m_recentMenu->addSeparator();
        QAction *clear = m_recentMenu->addAction(tr("&Clear Recent Files"));
        clear->setObjectName(QStringLiteral("clearRecentAction"));
        connect(clear, &QAction::triggered, &m_settings, &AppSettings::clearRecentFiles);
    }
}

void MainWindow::setHostProfiles(const QList<HostProfileEntry> &profiles)
{
    m_connectionsMenu->clear();
    int n = 0;
    for (const HostProfileEntry &profile : profiles) {
        ++n;
        QAction *action = m_connectionsMenu->addAction(numberedEntry(n, profile.name, profile.address));
        action->setObjectName(QStringLiteral("hostProfileAction%1").arg(n));
        action->setToolTip(
            tr("Connect to %1 with the credential saved in the system keychain").arg(profile.name));
        connect(action, &QAction::triggered, this,
            [this, id = profile.id]() { Q_EMIT hostProfileRequested(id); });
    }
    if (profiles.isEmpty())
        m_connectionsMenu->addAction(tr("No saved connections"))->setEnabled(false);
}

void MainWindow::createStatusBar()
{
    m_fileLabel = new QLabel(this);
    m_fileLabel->setObjectName(QStringLiteral("connectionLabel"));
    m_fileLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_readOnlyBadge = new QLabel(tr("read-only"), this);
    m_readOnlyBadge->setObjectName(QStringLiteral("readOnlyBadge"));
    m_readOnlyBadge->setToolTip(
        tr("Opened read-only: nothing can be changed. Reopen it read-write to make changes."));
    m_readOnlyBadge->setStyleSheet(QStringLiteral(
        "QLabel { color: #6b4a00; background: #fff3cd; border: 1px solid #f0d08a; border-radius: 3px; "
        "padding: 0px 6px; }"));
    m_hostLabel = new QLabel(this);
    m_hostLabel->setObjectName(QStringLiteral("hostStatusLabel"));
    m_hostLabel->setContentsMargins(6, 0, 6, 0);
    m_hostLabel->hide();
    m_accountLabel = new QLabel(this);
    m_accountLabel->setObjectName(QStringLiteral("accountLabel"));
    m_fileLabel->setContentsMargins(6, 0, 10, 0);
    m_accountLabel->setContentsMargins(10, 0, 6, 0);
    statusBar()->addPermanentWidget(m_hostLabel);
    statusBar()->addPermanentWidget(m_readOnlyBadge);
    statusBar()->addPermanentWidget(m_fileLabel);
    statusBar()->addPermanentWidget(m_accountLabel);
    statusBar()->setSizeGripEnabled(true);
}

// --- session and pages --------------------------------------------------------------------------

void MainWindow::setSession(Session *session)
{
    // Tear down the old pages first: they refer to the old store.
    m_navigation->blockSignals(true);
    m_navigation->clear();
    m_navigation->blockSignals(false);
    for (QAction *action : std::as_const(m_pageSwitchActions))
        delete action;
    m_pageSwitchActions.clear();
    for (const Entry &entry : std::as_const(m_entries)) {
        delete entry.menu;
        delete entry.page;
    }
    m_entries.clear();
    m_session = session;
    m_pendingApprovals = -1;

    auto *central = static_cast<QStackedWidget *>(centralWidget());
    if (session) {
        const QColor ink = palette().color(QPalette::WindowText);
        addEntry<UsersAdminPage>(icons::usersIcon(ink));
        addEntry<GroupsPage>(icons::groupsIcon(ink));
        addEntry<TokensPage>(icons::tokensIcon(ink));
        addEntry<SessionsPage>(icons::sessionsIcon(ink));
        addEntry<InvitationsPage>(icons::invitationsIcon(ink));
        addEntry<VpsPage>(icons::vpsIcon(ink));
        addEntry<ApprovalsPage>(icons::approvalsIcon(ink));
        addEntry<TasksPage>(icons::tasksIcon(ink));
        addEntry<NodesPage>(icons::nodesIcon(ink));
        for (int i = 0; i < m_entries.size(); ++i) {
            const Entry &entry = m_entries.at(i);
            auto *item = new QListWidgetItem(entry.icon, entry.title, m_navigation);
            item->setToolTip(entry.title);

            QAction *switchTo = new QAction(entry.title, this);
            switchTo->setObjectName(QStringLiteral("showPage%1Action").arg(i + 1));
            if (i < 9)
                switchTo->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
            connect(switchTo, &QAction::triggered, this, [this, i]() { showPage(i); });
            addAction(switchTo);
            m_viewMenu->insertAction(m_pagesSeparator, switchTo);
            m_pageSwitchActions << switchTo;
        }
        central->setCurrentWidget(m_workspace);
        showPage(0);
    } else {
        central->setCurrentWidget(m_signedOut);
    }
    m_signOutAction->setEnabled(session != nullptr);
    // Only a host profile's pages come from a sync (a platform database is read as it is).
    m_syncAction->setEnabled(session && !session->hostName.isEmpty());
    m_showNavigationAction->setEnabled(session != nullptr);
    updateTitle();
    updateStatus();
}

QList<Page *> MainWindow::pages() const
{
    QList<Page *> built;
    for (const Entry &entry : m_entries) {
        if (entry.page)
            built << entry.page;
    }
    return built;
}

Page *MainWindow::ensurePage(int index)
{
    Entry &entry = m_entries[index];
    if (entry.page)
        return entry.page;
    Page *page = entry.make();
    entry.page = page;
    m_stack->addWidget(page);
    connect(page, &Page::statusMessage, this, &MainWindow::showStatusMessage);
    auto *menu = new QMenu(entry.title, this);
    menu->setObjectName(QStringLiteral("pageMenu%1").arg(index + 1));
    menu->setToolTipsVisible(true);
    for (QAction *action : page->menuActions()) {
        if (action)
            menu->addAction(action);
        else
            menu->addSeparator();
    }
    menu->menuAction()->setVisible(false);
    menuBar()->insertMenu(m_helpMenuAction, menu);
    entry.menu = menu;
    Q_EMIT pageCreated(page);
    return page;
}

Page *MainWindow::currentPage() const
{
    const int row = m_navigation->currentRow();
    return row >= 0 && row < m_entries.size() ? m_entries.at(row).page : nullptr;
}

void MainWindow::showPage(int index)
{
    if (index < 0 || index >= m_entries.size())
        return;
    if (m_navigation->currentRow() != index)
        m_navigation->setCurrentRow(index); // -> onPageChanged
    else
        onPageChanged(index);
}

void MainWindow::onPageChanged(int row)
{
    if (row < 0 || row >= m_entries.size())
        return;
    Page *page = ensurePage(row);
    m_stack->setCurrentWidget(page);
    for (int i = 0; i < m_entries.size(); ++i) {
        if (QMenu *menu = m_entries.at(i).menu)
            menu->menuAction()->setVisible(i == row);
    }
    page->focusMainView();
}

void MainWindow::showStatusMessage(const QString &message)
{
    statusBar()->showMessage(message, kStatusMessageMs);
}

void MainWindow::updateTitle()
{
    if (!m_session) {
        setWindowTitle(tr("Riverkeeper"));
        return;
    }
    const QString name = QFileInfo(m_session->store->path()).fileName();
    QString title;
    if (!m_session->hostName.isEmpty())
        title = tr("Riverkeeper \u2014 %1 (host)").arg(m_session->hostName);
    else if (m_session->store->isReadOnly())
        title = tr("Riverkeeper \u2014 %1 (read-only)").arg(name);
    else
        title = tr("Riverkeeper \u2014 %1").arg(name);
    setWindowTitle(
        m_pendingApprovals > 0 ? TrayController::titleWithCount(title, m_pendingApprovals) : title);
}

void MainWindow::setPendingApprovals(int count)
{
    m_pendingApprovals = count;
    updateTitle();
    for (int i = 0; i < m_entries.size() && i < m_navigation->count(); ++i) {
        if (m_entries.at(i).type != &ApprovalsPage::staticMetaObject)
            continue;
        const QString title = m_entries.at(i).title;
        QListWidgetItem *item = m_navigation->item(i);
        item->setText(count > 0 ? tr("%1 (%2)").arg(title, BadgePainter::badgeText(count)) : title);
        item->setToolTip(count > 0 ? tr("%n task(s) waiting for approval", nullptr, count) : title);
    }
}

void MainWindow::setConnectionStatus(const QString &text, bool offline, const QString &toolTip)
{
    m_hostLabel->setText(text);
    m_hostLabel->setToolTip(toolTip);
    m_hostLabel->setVisible(!text.isEmpty());
    m_hostLabel->setStyleSheet(
        offline ? QStringLiteral("QLabel { color: #8a1c1c; font-weight: bold; }") : QString());
}

void MainWindow::updateStatus()
{
    if (!m_session) {
        m_fileLabel->setText(tr("No platform database"));
        m_fileLabel->setToolTip({});
        m_readOnlyBadge->hide();
        m_accountLabel->setText(tr("Not signed in"));
        return;
    }
    const QString path = QDir::toNativeSeparators(m_session->store->path());
    if (m_session->hostLocation.isEmpty()) {
        m_fileLabel->setText(path);
        m_fileLabel->setToolTip(tr("Platform database: %1").arg(path));
    } else {
        m_fileLabel->setText(m_session->hostLocation);
        m_fileLabel->setToolTip(tr("Host %1; the pages read %2").arg(m_session->hostLocation, path));
    }
    // A host profile's pages read its mirror, which only the sync writes; changes go through the
    // host's API, and the pages say which ones it lacks: no read-only badge for it.
    m_readOnlyBadge->setVisible(m_session->store->isReadOnly() && m_session->hostName.isEmpty());
    m_readOnlyBadge->setToolTip(m_session->store->readOnlyReason());
    const Actor &actor = m_session->actor;
    m_accountLabel->setText(tr("Signed in as <b>%1</b> \u00b7 %2")
                                .arg(actor.username.toHtmlEscaped(), roles::displayName(actor.role)));
}

// --- requests -----------------------------------------------------------------------------------

void MainWindow::requestOpen(bool readOnly)
{
    const QString start = m_session ? m_session->store->path() : m_settings.lastDatabase();
    const QString path = filedialogs::chooseExisting(
        this, readOnly ? tr("Open Platform Database Read-Only") : tr("Open Platform Database"), start);
    if (path.isEmpty())
        return;
    Q_EMIT signInRequested(
        {path, readOnly ? SignInRequest::Mode::OpenReadOnly : SignInRequest::Mode::Open, {}});
}

void MainWindow::requestCreate()
{
    const QString path = filedialogs::chooseNew(this);
    if (path.isEmpty())
        return;
    Q_EMIT signInRequested({path, SignInRequest::Mode::Create, {}});
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Riverkeeper"),
        tr("<h3>Riverkeeper %1</h3>"
           "<p>A desktop admin console for KohakuRiver clusters: users, roles, API tokens, groups, "
           "sessions, invitations and the task approval queue, on the host's own platform database.</p>"
           "<p>Built with Qt %2.</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::saveGeometry()
{
    m_settings.setWindowGeometry(QMainWindow::saveGeometry(), saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveGeometry();
    m_settings.sync();
    if (!m_quitting && m_closeFilter && m_closeFilter(event)) {
        hide(); // the tray keeps the app running; the filter ignored the event
        return;
    }
    event->accept();
}

} // namespace rk
