#pragma once

#include "Session.h"
#include "pages/Page.h"

#include <QList>
#include <QMainWindow>

#include <functional>

class QAction;
class QCloseEvent;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;

namespace rk {

class AppSettings;
class SignedOutView;

// The shell: a navigation list of pages, the pages in a stack, the menus and a status bar with
// the connection (file, read-only) and the acting account. It builds the pages for a session and
// knows nothing about what they do. Opening, creating and signing out are requests to the
// composition root (signals), which owns the session.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(AppSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shows the pages of `session` (which must outlive them), or the signed-out view for nullptr.
    // Call with nullptr before destroying a session. The navigation lists every page at once; a
    // page is built when it is first shown (pageCreated()), so signing in builds one, not nine.
    void setSession(Session *session);
    Session *session() const { return m_session; }
    // The pages built so far, in navigation order.
    QList<Page *> pages() const;
    int pageCount() const { return int(m_entries.size()); }
    Page *currentPage() const;
    // Shows (building it first if needed) the page at `index` of the navigation.
    void showPage(int index);
    void showStatusMessage(const QString &message);
    // Tasks waiting for approval: shown in the title ("(3) Riverkeeper — lab.db") and on the
    // Approvals entry of the navigation. -1: unknown (nothing shown).
    void setPendingApprovals(int count);
    // Asked first when the window is closed: true means "handled" (the tray keeps the app
    // running, so the window only hides). Unset: the window closes.
    void setCloseFilter(std::function<bool(QCloseEvent *)> filter) { m_closeFilter = std::move(filter); }
    // File > Host Connections: the saved host profiles (id, name, address), in that order.
    struct HostProfileEntry
    {
        QString id;
        QString name;
        QString address;
    };
    void setHostProfiles(const QList<HostProfileEntry> &profiles);
    // The state of a host connection ("Online · synced 14:05", "Offline, last synced 12:04"),
    // shown beside the file in the status bar with `toolTip`; empty hides it.
    void setConnectionStatus(const QString &text, bool offline, const QString &toolTip = {});
    // The current session's page of type T (ApprovalsPage, TasksPage...), if it has been built.
    template<typename T> T *page() const
    {
        for (const Entry &entry : m_entries) {
            if (auto *found = qobject_cast<T *>(entry.page))
                return found;
        }
        return nullptr;
    }

Q_SIGNALS:
    // Open, open read-only or create a platform database and sign in to it. An empty path means
    // "the usual one" (the last used or the default database).
    void signInRequested(const rk::SignInRequest &request);
    void signOutRequested();
    // File > Connect to Host...: a host profile, through the REST API.
    void connectHostRequested();
    // File > Host Connections > a saved profile: reopen it.
    void hostProfileRequested(const QString &id);
    // File > Sync Now: fetch the host profile's data now rather than at the next periodic sync.
    void syncRequested();
    // A page of the session was built (its first showing); whoever serves it wires it now.
    void pageCreated(rk::Page *page);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // One navigation entry: what to show before the page exists, how to build it, and once built,
    // the page and its menu.
    struct Entry
    {
        const QMetaObject *type = nullptr;
        QString title;
        QIcon icon;
        std::function<Page *()> make;
        Page *page = nullptr;
        QMenu *menu = nullptr;
    };
    // A page of type T over the session (which outlives the entries: setSession() clears them).
    template<typename T> void addEntry(const QIcon &icon)
    {
        m_entries.append(Entry {&T::staticMetaObject, T::pageTitle(), icon,
            [this]() -> Page * { return new T(*m_session->store, m_session->actor, m_settings, m_stack); }});
    }
    Page *ensurePage(int index);
    void createActions();
    void createMenus();
    void createStatusBar();
    void rebuildRecentMenu();
    void updateTitle();
    void updateStatus();
    void onPageChanged(int row);
    void requestOpen(bool readOnly);
    void requestCreate();
    void showAbout();
    void saveGeometry();

    AppSettings &m_settings;
    Session *m_session = nullptr;
    QList<Entry> m_entries;
    int m_pendingApprovals = -1;
    std::function<bool(QCloseEvent *)> m_closeFilter;
    bool m_quitting = false; // File > Quit: close without asking the filter
    QList<QAction *> m_pageSwitchActions;

    QListWidget *m_navigation;
    QStackedWidget *m_stack;
    SignedOutView *m_signedOut;
    QWidget *m_workspace;

    QAction *m_signInAction = nullptr;
    QAction *m_connectHostAction = nullptr;
    QAction *m_syncAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_openReadOnlyAction = nullptr;
    QAction *m_newAction = nullptr;
    QAction *m_signOutAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_showNavigationAction = nullptr;
    QAction *m_fullScreenAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_aboutQtAction = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_connectionsMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QAction *m_pagesSeparator = nullptr;
    QAction *m_helpMenuAction = nullptr;

    QLabel *m_fileLabel = nullptr;
    QLabel *m_hostLabel = nullptr;
    QLabel *m_readOnlyBadge = nullptr;
    QLabel *m_accountLabel = nullptr;
};

} // namespace rk
