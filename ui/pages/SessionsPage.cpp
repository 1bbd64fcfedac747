#include "SessionsPage.h"

#include "ActionGate.h"
#include "AppSettings.h"
#include "IconFactory.h"
#include "store/PlatformStore.h"
#include "tables/SessionsTableModel.h"
#include "tables/TokensTableModel.h"
#include "tokens/AccessTableDelegate.h"
#include "tokens/OwnerLabel.h"
#include "useradmin/UsersTableDelegate.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"
#include "widgets/UserFilterButton.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLineEdit>
#include <QSizePolicy>
#include <QTableView>
#include <QToolBar>

namespace rk {

namespace {

const QString kSettingsKey = QStringLiteral("sessions");
// The most sessions one selection revokes: one write transaction with an audit row per session.
// (Everyone else's is one statement and one audit row, whatever the number.)
constexpr int kMaxBulkSessions = 10000;
// Rows looked at to find the one user of a selection (beyond: no single user is offered).
constexpr int kInspectRows = 2000;

QString sessionsText(int n)
{
    return n == 1 ? SessionsPage::tr("1 session") : SessionsPage::tr("%L1 sessions").arg(n);
}

QString usersText(int n)
{
    return n == 1 ? SessionsPage::tr("1 user") : SessionsPage::tr("%L1 users").arg(n);
}

QString consequences()
{
    return SessionsPage::tr("Each browser signed in with them is signed out of the host at its next request, "
                            "and its user has to sign in again (unless the account is suspended). API tokens "
                            "are not affected: programs using them keep working.");
}

} // namespace

SessionsPage::SessionsPage(
    PlatformStore &platform, const Actor &acting, AppSettings &appSettings, QWidget *parent)
    : SessionsPage(platform, acting, appSettings, Options {}, parent)
{
}

SessionsPage::SessionsPage(PlatformStore &platform, const Actor &acting, AppSettings &appSettings,
    const Options &options, QWidget *parent)
    : RecordsPage(platform, acting, appSettings, parent), m_options(options)
{
    setObjectName(QStringLiteral("sessionsPage"));
    setHeading(title());
    createActions();

    if (!roles::allows(acting.role, Permission::ManageUsers)) {
        showRoleRequirement(Permission::ManageUsers, tr("Viewing and ending sessions"));
        updateActions();
        return;
    }

    LazySqlTableModel::Options modelOptions;
    modelOptions.clock = m_options.clock;
    modelOptions.deferred = true; // loads when the page is first shown
    m_model = new SessionsTableModel(platform.path(), modelOptions, this);
    setUpTable();
    setRefreshTables({StoreTable::Sessions, StoreTable::Users});
    // Time left and expiry are computed at the query's now: re-read now and then while shown.
    setPeriodicRefresh(m_options.refreshIntervalMs);
    updateActions();
}

SessionsPage::~SessionsPage()
{
    // TablePage connects the header's resize signals to lambdas that restart its save timer.
    // Closing a page that is a visible top-level window (as in tests) hides the table after
    // ~TablePage() has destroyed that timer, and the header then resizes: cut those connections
    // first. (To be fixed in TablePage; see the report.)
    tableView()->horizontalHeader()->disconnect(this);
}

QString SessionsPage::title() const
{
    return pageTitle();
}

QString SessionsPage::pageTitle()
{
    return tr("Sessions");
}

QIcon SessionsPage::icon() const
{
    return icons::sessionsIcon(palette().color(QPalette::WindowText));
}

QList<QAction *> SessionsPage::menuActions() const
{
    QList<QAction *> actions {m_revokeAction, m_revokeUserAction, m_revokeOthersAction, nullptr,
        m_showUserAction, m_chooseUserAction, m_everyoneAction, nullptr, m_copyAction, m_selectAllAction,
        nullptr};
    if (QAction *columns = columnsMenuAction())
        actions << columns;
    actions << m_refreshAction;
    return actions;
}

void SessionsPage::createActions()
{
    const auto ctrlShift = [](Qt::Key key) { return QKeySequence(Qt::CTRL | Qt::SHIFT | key); };
    // Delete, Copy and Select All only from the table: in the filter field these keys edit text.
    m_revokeAction = makeAction(
        tr("&End Sessions\u2026"), "revokeSessionAction", QKeySequence::Delete, Qt::WidgetShortcut);
    m_revokeUserAction
        = makeAction(tr("End All of &User's\u2026"), "revokeUserSessionsAction", ctrlShift(Qt::Key_Delete));
    m_revokeOthersAction
        = makeAction(tr("End Everyone &Else's\u2026"), "revokeOtherSessionsAction", ctrlShift(Qt::Key_E));
    m_showUserAction
        = makeAction(tr("&Show Only This User's"), "showUserSessionsAction", ctrlShift(Qt::Key_O));
    m_chooseUserAction = makeAction(tr("Filter by &User\u2026"), "chooseUserAction", ctrlShift(Qt::Key_F));
    m_everyoneAction = makeAction(tr("Show Every&one's"), "showEveryoneSessionsAction", ctrlShift(Qt::Key_X));
    m_copyAction
        = makeAction(tr("&Copy Usernames"), "copySessionUsersAction", QKeySequence::Copy, Qt::WidgetShortcut);
    m_selectAllAction = makeAction(
        tr("Select A&ll"), "selectAllSessionsAction", QKeySequence::SelectAll, Qt::WidgetShortcut);
    m_refreshAction = makeAction(tr("Re&fresh"), "refreshSessionsAction", QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the sessions again from the database"));
    m_chooseUserAction->setToolTip(tr("Show only the sessions of a user you choose"));

    connect(m_revokeAction, &QAction::triggered, this, &SessionsPage::revokeSelected);
    connect(m_revokeUserAction, &QAction::triggered, this, &SessionsPage::revokeAllOfUser);
    connect(m_revokeOthersAction, &QAction::triggered, this, &SessionsPage::revokeEveryoneElse);
    connect(m_showUserAction, &QAction::triggered, this, &SessionsPage::showOnlySelectedUser);
    connect(m_chooseUserAction, &QAction::triggered, this, [this]() {
        if (m_userFilter)
            m_userFilter->choose();
    });
    connect(m_everyoneAction, &QAction::triggered, this, [this]() {
        if (m_userFilter)
            m_userFilter->clear();
    });
    connect(m_copyAction, &QAction::triggered, this, &SessionsPage::copyUsernames);
    connect(m_selectAllAction, &QAction::triggered, this, &TablePage::selectAllRows);
    connect(m_refreshAction, &QAction::triggered, this, &SessionsPage::refresh);

    QToolBar *bar = toolBar();
    bar->addAction(m_revokeAction);
    bar->addAction(m_revokeUserAction);
    bar->addSeparator();
    bar->addAction(m_revokeOthersAction);
}

void SessionsPage::setUpTable()
{
    bindModel(m_model,
        {[this](int row) { return m_model->idAt(row); }, [this](qint64 id) { return m_model->rowOf(id); }},
        kSettingsKey, [this]() { applyDefaultColumns(); });
    QTableView *table = tableView();
    AccessTableDelegate::Layout layout;
    layout.userColumn = SessionsTableModel::User;
    layout.userIdRole = SessionsTableModel::UserIdRole;
    layout.dateColumns = {SessionsTableModel::Created, SessionsTableModel::Expires};
    layout.activeRole = SessionsTableModel::ActiveRole;
    table->setItemDelegate(new AccessTableDelegate(layout, actor().userId, table));
    addTableAction(m_revokeAction);
    addTableAction(m_copyAction);
    addTableAction(m_selectAllAction);
    setDefaultAction(m_showUserAction);
    setNouns(tr("Nobody is signed in: this platform has no sessions."),
        tr("No session matches %1. The filter looks at usernames."));

    QToolBar *bar = toolBar();
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_userFilter = new UserFilterButton(store().path(), tr("User"), bar);
    m_userFilter->setPrompt(tr("Show only the sessions of one user."));
    bar->addWidget(m_userFilter);
    connect(m_userFilter, &UserFilterButton::userChanged, this, [this]() {
        banner()->clear();
        m_model->setUserFilter(m_userFilter->userId());
        updateActions();
    });

    filterField()->setPlaceholderText(
        tr("Username (%1)").arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    const int minutes = m_options.refreshIntervalMs / 60000;
    const QString every = m_options.refreshIntervalMs <= 0 ? QString()
        : minutes == 1                                     ? tr("Time left is updated every minute. ")
        : minutes > 1 ? tr("Time left is updated every %1 minutes. ").arg(minutes)
                      : tr("Time left is updated every few seconds. ");
    setFootnote(every
        + tr("Ending a session signs that browser out of the host; API tokens are separate. Enter shows only "
             "that user's sessions; Delete ends the selected ones."));
}

void SessionsPage::applyDefaultColumns()
{
    QTableView *table = tableView();
    QHeaderView *header = table->horizontalHeader();
    const QFontMetrics fm = table->fontMetrics();
    const int avg = fm.averageCharWidth();
    const int dateWidth = fm.horizontalAdvance(QStringLiteral("2026-12-31 23:59"));
    header->resizeSection(SessionsTableModel::User, 24 * avg + 24);
    header->resizeSection(SessionsTableModel::Created, dateWidth + 32);
    header->resizeSection(SessionsTableModel::Expires, dateWidth + 32);
    header->resizeSection(
        SessionsTableModel::TimeLeft, qMax(fm.horizontalAdvance(tr("Time left")), 12 * avg) + 32);
    header->resizeSection(SessionsTableModel::State, 10 * avg + 24);
    // Newest first.
    header->setSortIndicator(SessionsTableModel::Created, Qt::DescendingOrder);
}

void SessionsPage::updateSummary()
{
    RecordsPage::updateSummary();
    if (!m_model || !m_userFilter || !m_userFilter->userId() || !m_model->filterText().isEmpty())
        return;
    setSummary(tr("User %1: %L2").arg(quotedName(m_userFilter->userName())).arg(m_model->totalRowCount()));
    if (m_model->totalRowCount() == 0)
        setEmptyMessage(tr("%1 has no sessions.").arg(m_userFilter->userName()));
}

// --- state --------------------------------------------------------------------------------------

std::optional<SessionsPage::User> SessionsPage::selectedUser() const
{
    if (!m_model)
        return std::nullopt;
    std::optional<User> user;
    int looked = 0;
    // Row ranges, not a list of rows: a selection may hold millions of sessions.
    for (const QItemSelectionRange &range : tableView()->selectionModel()->selection()) {
        for (int row = range.top(); row <= range.bottom(); ++row) {
            const auto session = ++looked <= kInspectRows ? m_model->sessionAt(row) : std::nullopt;
            if (!session)
                return std::nullopt; // not loaded (or too many to look at): unknown
            if (user && user->id != session->userId)
                return std::nullopt; // several users
            if (!user)
                user = User {
                    session->userId, session->username, owners::label(session->userId, session->username)};
        }
    }
    return user;
}

std::optional<SessionsPage::User> SessionsPage::actionUser() const
{
    if (selectedCount() > 0)
        return selectedUser();
    if (m_userFilter && m_userFilter->userId())
        return User {*m_userFilter->userId(), m_userFilter->userName(), m_userFilter->userName()};
    return std::nullopt;
}

void SessionsPage::updateActions()
{
    const ActionGate gate = ActionGate::forPermission(store(), actor(), Permission::ManageUsers);
    const int count = m_model ? selectedCount() : 0;
    const std::optional<User> user = actionUser();
    const std::optional<User> rowUser = m_model && count > 0 ? selectedUser() : std::nullopt;
    const bool viewing = m_model != nullptr;

    gate.apply(m_revokeAction,
        count > 1        ? tr("End the %L1 selected sessions, after a confirmation").arg(count)
            : count == 1 ? tr("End the selected session, after a confirmation")
                         : tr("End sessions (select them first)"),
        count > 0);
    gate.apply(m_revokeUserAction,
        user ? tr("End every session of %1, after a confirmation").arg(user->label)
             : tr("End every session of one user (select a row of theirs, or filter by user)"),
        user.has_value());
    gate.apply(m_revokeOthersAction,
        tr("End every session except your own (%1's), after a confirmation with the numbers")
            .arg(actor().username),
        viewing);

    m_showUserAction->setEnabled(rowUser.has_value());
    m_showUserAction->setToolTip(rowUser ? tr("Show only the sessions of %1 (Enter)").arg(rowUser->label)
                                         : tr("Show only the sessions of the selected row's user (Enter)"));
    m_chooseUserAction->setEnabled(viewing);
    m_everyoneAction->setEnabled(viewing && m_userFilter && m_userFilter->userId().has_value());
    m_everyoneAction->setToolTip(tr("Show every user's sessions again"));
    m_copyAction->setEnabled(count > 0);
    m_selectAllAction->setEnabled(viewing && m_model->rowCount() > 0);
    m_refreshAction->setEnabled(viewing);
}

// --- actions ------------------------------------------------------------------------------------

void SessionsPage::revokeSelected()
{
    if (!m_model || !m_revokeAction->isEnabled())
        return;
    banner()->clear();
    const QList<qint64> ids = idsForAction(kMaxBulkSessions);
    if (ids.isEmpty())
        return;
    auto counted = store().countSessions(actor(), PlatformStore::RevocationScope::rows(ids));
    if (!counted) {
        showFailure(tr("Could not end the sessions"), counted.error());
        return;
    }
    if (counted->missing > 0) {
        banner()->showMessage(InlineBanner::Kind::Info,
            tr("%1 of the selected ended meanwhile (signed out, or revoked by another program). Nothing was "
               "changed; the table now shows the sessions that exist. Select again.")
                .arg(sessionsText(counted->missing)));
        refresh();
        return;
    }

    const std::optional<User> user = selectedUser();
    const bool own = user && user->id == actor().userId;
    MessageBox::Options ask;
    ask.title = tr("End Sessions");
    QString done;
    if (ids.size() == 1) {
        const auto session = m_model->sessionAt(selectedRows().value(0, -1));
        const QString who = user ? user->label : tr("its user");
        const QDateTime started = session ? hosttime::toDateTime(session->createdAt) : QDateTime();
        ask.text = started.isValid() ? tr("End the session of %1 that started %2?")
                                           .arg(who, UsersTableDelegate::formatDateTime(started))
                                     : tr("End this session of %1?").arg(who);
        done = tr("Ended a session of %1").arg(who);
    } else {
        ask.text = user ? tr("End %1 of %2?").arg(sessionsText(counted->records), user->label)
                        : tr("End %1 of %2?").arg(sessionsText(counted->records), usersText(counted->users));
        done = tr("Ended %1").arg(sessionsText(counted->records));
    }
    ask.informativeText = consequences();
    if (own)
        ask.informativeText += QStringLiteral("\n\n")
            + tr(
                "These are your own: a browser signed in to the host as %1 is signed out. Riverkeeper itself "
                "uses no session and stays signed in.")
                  .arg(actor().username);
    ask.accept = MessageBox::Button::Delete;
    ask.destructive = true;
    if (MessageBox::ask(this, ask) != MessageBox::Button::Delete)
        return;
    runRevoke(ids, done);
}

void SessionsPage::runRevoke(const QList<qint64> &ids, const QString &done)
{
    auto revoked = store().revokeSessions(actor(), ids);
    if (!revoked) {
        showFailure(tr("Could not end the sessions; none was ended"), revoked.error(),
            [this, ids, done]() { runRevoke(ids, done); });
        if (revoked.error().code == Error::Code::NotFound)
            refresh();
        return;
    }
    banner()->clear();
    Q_EMIT statusMessage(done);
}

void SessionsPage::revokeAllOfUser()
{
    if (!m_model || !m_revokeUserAction->isEnabled())
        return;
    banner()->clear();
    const std::optional<User> user = actionUser();
    if (!user)
        return;
    auto counted = store().countSessions(actor(), PlatformStore::RevocationScope::ofUser(user->id));
    if (!counted) {
        showFailure(tr("Could not end the sessions of %1").arg(user->label), counted.error());
        return;
    }
    if (counted->records == 0) {
        banner()->showMessage(
            InlineBanner::Kind::Info, tr("%1 has no sessions (any more).").arg(user->label));
        refresh();
        return;
    }
    MessageBox::Options ask;
    ask.title = tr("End All Sessions of a User");
    ask.text = counted->records == 1
        ? tr("End the only session of %1?").arg(user->label)
        : tr("End all %1 of %2?").arg(sessionsText(counted->records), user->label);
    ask.informativeText = consequences();
    if (!user->username.isEmpty())
        ask.informativeText += QLatin1Char(' ')
            + tr("To keep %1 out, suspend the account on the Users page as well.").arg(user->username);
    if (user->id == actor().userId)
        ask.informativeText += QStringLiteral("\n\n")
            + tr("These are your own: browsers signed in to the host as you are signed out. Riverkeeper "
                 "itself "
                 "uses no session and stays signed in.");
    ask.accept = MessageBox::Button::Delete;
    ask.destructive = true;
    if (MessageBox::ask(this, ask) != MessageBox::Button::Delete)
        return;
    runRevokeOf(user->id, user->label);
}

void SessionsPage::runRevokeOf(qint64 userId, const QString &label)
{
    auto revoked = store().revokeSessionsOf(actor(), userId);
    if (!revoked) {
        showFailure(tr("Could not end the sessions of %1; none was ended").arg(label), revoked.error(),
            [this, userId, label]() { runRevokeOf(userId, label); });
        return;
    }
    banner()->clear();
    Q_EMIT statusMessage(tr("Ended %1 of %2").arg(sessionsText(revoked.value()), label));
}

void SessionsPage::revokeEveryoneElse()
{
    if (!m_model || !m_revokeOthersAction->isEnabled())
        return;
    banner()->clear();
    auto counted = store().countSessions(actor(), PlatformStore::RevocationScope::allExcept(actor().userId));
    if (!counted) {
        showFailure(tr("Could not end the other sessions"), counted.error());
        return;
    }
    if (counted->records == 0) {
        banner()->showMessage(InlineBanner::Kind::Info,
            counted->kept > 0 ? tr("There are no other sessions: only your own.")
                              : tr("There are no sessions to end."));
        refresh();
        return;
    }
    MessageBox::Options ask;
    ask.title = tr("End Everyone Else's Sessions");
    const QString kept = counted->kept == 0 ? tr("You have no session of your own.")
        : counted->kept == 1                ? tr("Your own session stays.")
                                            : tr("Your own %L1 sessions stay.").arg(counted->kept);
    ask.text = tr("End %1 of %2? %3").arg(sessionsText(counted->records), usersText(counted->users), kept);
    ask.informativeText
        = tr("Everyone but you (%1) is signed out of the host at their next request and has to "
             "sign in again. API tokens are not affected: programs using them keep working. To "
             "keep someone out, suspend the account on the Users page.")
              .arg(actor().username);
    ask.accept = MessageBox::Button::Delete;
    ask.destructive = true;
    if (MessageBox::ask(this, ask) != MessageBox::Button::Delete)
        return;
    runRevokeOthers();
}

void SessionsPage::runRevokeOthers()
{
    auto revoked = store().revokeAllSessionsExcept(actor(), actor().userId);
    if (!revoked) {
        showFailure(tr("Could not end the other sessions; none was ended"), revoked.error(),
            [this]() { runRevokeOthers(); });
        return;
    }
    banner()->clear();
    Q_EMIT statusMessage(tr("Ended %1; yours stay").arg(sessionsText(revoked.value())));
}

void SessionsPage::showOnlySelectedUser()
{
    if (!m_userFilter || !m_showUserAction->isEnabled())
        return;
    if (const auto user = selectedUser())
        m_userFilter->setUser(user->id, user->label);
}

void SessionsPage::copyUsernames()
{
    if (!m_model)
        return;
    QStringList names;
    for (const int row : selectedRows()) {
        if (const auto session = m_model->sessionAt(row))
            names << owners::label(session->userId, session->username);
    }
    if (!names.isEmpty())
        QGuiApplication::clipboard()->setText(names.join(QLatin1Char('\n')));
}

} // namespace rk
