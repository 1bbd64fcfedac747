#include "SessionsPage.h"

#include "ActionGate.h"
#include "AppSettings.h"
#include "IconFactory.h"
#include "store/PlatformStore.h"
#include "tables/SessionsTableModel.h"
#include "tokens/OwnerLabel.h"
#include "useradmin/UsersTableDelegate.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QAction>
#include <QHeaderView>
#include <QLineEdit>
#include <QTableView>
#include <QToolBar>

namespace rk {

namespace {

const QString kSettingsKey = QStringLiteral("sessions");

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
    : UserRecordsPage(platform, acting, appSettings, parent), m_options(options)
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
    return menuActionsAfter({revokeAction(), revokeUserAction(), m_revokeOthersAction});
}

void SessionsPage::createActions()
{
    setTexts({
        .revokeSeveral = tr("End the %L1 selected sessions, after a confirmation"),
        .revokeOne = tr("End the selected session, after a confirmation"),
        .revokeNone = tr("End sessions (select them first)"),
        .revokeUser = tr("End every session of %1, after a confirmation"),
        .revokeUserNone = tr("End every session of one user (select a row of theirs, or filter by user)"),
        .showUser = tr("Show only the sessions of %1 (Enter)"),
        .showUserNone = tr("Show only the sessions of the selected row's user (Enter)"),
        .everyone = tr("Show every user's sessions again"),
        .userSummary = tr("User %1: %L2"),
        .userHasNone = tr("%1 has no sessions."),
        .countFailed = tr("Could not end the sessions"),
        .revokeFailed = tr("Could not end the sessions; none was ended"),
        .countOfUserFailed = tr("Could not end the sessions of %1"),
        .revokeOfUserFailed = tr("Could not end the sessions of %1; none was ended"),
        .noneLeftOfUser = tr("%1 has no sessions (any more)."),
    });
    createUserActions({
        .revoke = {tr("&End Sessions\u2026"), "revokeSessionAction"},
        .revokeUser = {tr("End All of &User's\u2026"), "revokeUserSessionsAction"},
        .showUser = {tr("&Show Only This User's"), "showUserSessionsAction"},
        .chooseUser = {tr("Filter by &User\u2026"), "chooseUserAction"},
        .everyone = {tr("Show Every&one's"), "showEveryoneSessionsAction"},
        .copy = {tr("&Copy Usernames"), "copySessionUsersAction"},
        .selectAll = {tr("Select A&ll"), "selectAllSessionsAction"},
        .refresh = {tr("Re&fresh"), "refreshSessionsAction"},
        .refreshTip = tr("Read the sessions again from the database"),
        .chooseUserTip = tr("Show only the sessions of a user you choose"),
    });
    m_revokeOthersAction = makeAction(tr("End Everyone &Else's\u2026"), "revokeOtherSessionsAction",
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(m_revokeOthersAction, &QAction::triggered, this, &SessionsPage::revokeEveryoneElse);

    QToolBar *bar = toolBar();
    bar->addAction(revokeAction());
    bar->addAction(revokeUserAction());
    bar->addSeparator();
    bar->addAction(m_revokeOthersAction);
}

void SessionsPage::setUpTable()
{
    AccessTableDelegate::Layout layout;
    layout.userColumn = SessionsTableModel::User;
    layout.userIdRole = SessionsTableModel::UserIdRole;
    layout.dateColumns = {SessionsTableModel::Created, SessionsTableModel::Expires};
    layout.activeRole = SessionsTableModel::ActiveRole;
    bindUserModel(m_model, layout, kSettingsKey, [this]() { applyDefaultColumns(); });
    setNouns(tr("Nobody is signed in: this platform has no sessions."),
        tr("No session matches %1. The filter looks at usernames."));
    addUserFilter(tr("User"), tr("Show only the sessions of one user."));

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

// --- the records --------------------------------------------------------------------------------

std::optional<SessionsPage::User> SessionsPage::userAt(int row) const
{
    const auto session = m_model->sessionAt(row);
    if (!session)
        return std::nullopt;
    return User {session->userId, session->username, owners::label(session->userId, session->username)};
}

std::optional<QString> SessionsPage::copyTextAt(int row) const
{
    const auto session = m_model->sessionAt(row);
    if (!session)
        return std::nullopt;
    return owners::label(session->userId, session->username);
}

void SessionsPage::filterModelByUser(std::optional<qint64> userId)
{
    m_model->setUserFilter(userId);
}

Result<PlatformStore::RevocationCount> SessionsPage::countRecords(const PlatformStore::RevocationScope &scope)
{
    return store().countSessions(actor(), scope);
}

Result<int> SessionsPage::revokeRecords(const QList<qint64> &ids)
{
    return store().revokeSessions(actor(), ids);
}

Result<int> SessionsPage::revokeRecordsOf(qint64 userId)
{
    return store().revokeSessionsOf(actor(), userId);
}

void SessionsPage::updateOwnActions(const ActionGate &gate, const std::optional<User> & /*user*/)
{
    gate.apply(m_revokeOthersAction,
        tr("End every session except your own (%1's), after a confirmation with the numbers")
            .arg(actor().username),
        m_model != nullptr);
}

// --- confirmations ------------------------------------------------------------------------------

QString SessionsPage::missingText(int missing) const
{
    return tr("%1 of the selected ended meanwhile (signed out, or revoked by another program). Nothing was "
              "changed; the table now shows the sessions that exist. Select again.")
        .arg(sessionsText(missing));
}

SessionsPage::Confirmation SessionsPage::confirmRevoke(
    const QList<qint64> &ids, const PlatformStore::RevocationCount &counted) const
{
    const std::optional<User> user = selectedUser();
    const bool own = user && user->id == actor().userId;
    Confirmation confirmation;
    MessageBox::Options &ask = confirmation.ask;
    ask.title = tr("End Sessions");
    if (ids.size() == 1) {
        const auto session = m_model->sessionAt(selectedRows().value(0, -1));
        const QString who = user ? user->label : tr("its user");
        const QDateTime started = session ? hosttime::toDateTime(session->createdAt) : QDateTime();
        ask.text = started.isValid() ? tr("End the session of %1 that started %2?")
                                           .arg(who, UsersTableDelegate::formatDateTime(started))
                                     : tr("End this session of %1?").arg(who);
        confirmation.done = tr("Ended a session of %1").arg(who);
    } else {
        ask.text = user ? tr("End %1 of %2?").arg(sessionsText(counted.records), user->label)
                        : tr("End %1 of %2?").arg(sessionsText(counted.records), usersText(counted.users));
        confirmation.done = tr("Ended %1").arg(sessionsText(counted.records));
    }
    ask.informativeText = consequences();
    if (own)
        ask.informativeText += QStringLiteral("\n\n")
            + tr(
                "These are your own: a browser signed in to the host as %1 is signed out. Riverkeeper itself "
                "uses no session and stays signed in.")
                  .arg(actor().username);
    return confirmation;
}

MessageBox::Options SessionsPage::confirmRevokeOfUser(const User &user, int records) const
{
    MessageBox::Options ask;
    ask.title = tr("End All Sessions of a User");
    ask.text = records == 1 ? tr("End the only session of %1?").arg(user.label)
                            : tr("End all %1 of %2?").arg(sessionsText(records), user.label);
    ask.informativeText = consequences();
    if (!user.username.isEmpty())
        ask.informativeText += QLatin1Char(' ')
            + tr("To keep %1 out, suspend the account on the Users page as well.").arg(user.username);
    if (user.id == actor().userId)
        ask.informativeText += QStringLiteral("\n\n")
            + tr("These are your own: browsers signed in to the host as you are signed out. Riverkeeper "
                 "itself "
                 "uses no session and stays signed in.");
    return ask;
}

QString SessionsPage::revokedOfUserText(int revoked, const QString &label) const
{
    return tr("Ended %1 of %2").arg(sessionsText(revoked), label);
}

// --- everyone else's ----------------------------------------------------------------------------

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

} // namespace rk
