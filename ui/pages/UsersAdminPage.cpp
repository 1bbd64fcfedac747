#include "UsersAdminPage.h"

#include "ActionGate.h"
#include "AppSettings.h"
#include "IconFactory.h"
#include "UiLogging.h"
#include "connection/HostAdminService.h"
#include "store/PlatformStore.h"
#include "useradmin/HostUsersActions.h"
#include "useradmin/UserFormActions.h"
#include "useradmin/UsersBulkActions.h"
#include "useradmin/UsersExportController.h"
#include "useradmin/UsersTableDelegate.h"
#include "users/UsersTableModel.h"
#include "widgets/InlineBanner.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QToolTip>

#include <algorithm>

namespace rk {

namespace {

const QString kSettingsKey = QStringLiteral("users");
// Rows looked at to enable Suspend/Activate for a selection (beyond: enabled, the preview decides).
constexpr int kInspectRows = 2000;
// The most users one bulk action takes: it is one write transaction (with an audit row per user),
// and the host waits for it.
constexpr int kMaxBulkUsers = 10000;

} // namespace

UsersAdminPage::UsersAdminPage(
    PlatformStore &platform, const Actor &acting, AppSettings &appSettings, QWidget *parent)
    : RecordsPage(platform, acting, appSettings, parent)
{
    setObjectName(QStringLiteral("usersPage"));
    setHeading(title());
    createActions();

    if (!roles::allows(acting.role, Permission::ViewUsers)) {
        showRoleRequirement(Permission::ViewUsers, tr("Viewing users"));
        updateActions();
        return;
    }

    UsersTableModel::Options modelOptions;
    modelOptions.deferred = true; // loads when the page is first shown
    m_model = new UsersTableModel(platform.path(), modelOptions, this);
    setUpTable();

    m_bulk = new UsersBulkActions(store(), actor(), this);
    connect(m_bulk, &UsersBulkActions::finished, this, [this](const QString &message) {
        banner()->clear();
        Q_EMIT statusMessage(message);
    });
    connect(m_bulk, &UsersBulkActions::partlyRefused, this,
        [this](const QString &message) { banner()->showMessage(InlineBanner::Kind::Warning, message); });
    connect(m_bulk, &UsersBulkActions::failed, this,
        [this](const QString &what, const Error &error) { showFailure(what, error); });

    m_forms = new UserFormActions(store(), actor(), this);
    connect(m_forms, &UserFormActions::created, this, &UsersAdminPage::selectUser);
    connect(m_forms, &UserFormActions::done, this, &Page::statusMessage);
    connect(m_forms, &UserFormActions::failed, this,
        [this](const QString &what, const Error &error) { showFailure(what, error); });

    m_export = new UsersExportController(m_model, store().path(), this);
    connect(m_export, &UsersExportController::finished, this, &Page::statusMessage);
    connect(m_export, &UsersExportController::failed, this,
        [this](const QString &what, const Error &error) { showFailure(what, error); });

    // This app's own changes, and the host's (noticed by the store's PRAGMA data_version poll).
    setRefreshTables({StoreTable::Users, StoreTable::Sessions, StoreTable::Groups, StoreTable::Memberships});
    updateActions();
}

UsersAdminPage::~UsersAdminPage() = default;

QString UsersAdminPage::title() const
{
    return pageTitle();
}

QString UsersAdminPage::pageTitle()
{
    return tr("Users");
}

QIcon UsersAdminPage::icon() const
{
    return icons::usersIcon(palette().color(QPalette::WindowText));
}

QList<QAction *> UsersAdminPage::menuActions() const
{
    QList<QAction *> actions {m_newAction, m_editAction, m_resetAction, nullptr, m_activateAction,
        m_suspendAction, m_changeRoleAction, m_addToGroupAction, nullptr, m_deleteAction, nullptr,
        m_copyAction, m_selectAllAction, nullptr, m_exportCsvAction, m_exportJsonAction};
    if (QAction *columns = columnsMenuAction())
        actions << columns;
    actions << m_refreshAction;
    return actions;
}

void UsersAdminPage::createActions()
{
    const auto make = [this](const QString &text, const char *name, const QKeySequence &shortcut,
                          Qt::ShortcutContext context = Qt::WidgetWithChildrenShortcut) {
        return makeAction(text, name, shortcut, context);
    };
    const auto ctrlShift = [](Qt::Key key) { return QKeySequence(Qt::CTRL | Qt::SHIFT | key); };
    m_newAction = make(tr("&New User\u2026"), "newUserAction", QKeySequence::New);
    m_editAction = make(tr("&Edit\u2026"), "editUserAction", QKeySequence(Qt::CTRL | Qt::Key_E));
    m_activateAction = make(tr("&Activate\u2026"), "activateUserAction", ctrlShift(Qt::Key_A));
    m_suspendAction = make(tr("S&uspend\u2026"), "suspendUserAction", ctrlShift(Qt::Key_S));
    m_changeRoleAction = make(tr("Change &Role\u2026"), "changeRoleAction", ctrlShift(Qt::Key_R));
    m_addToGroupAction = make(tr("Add to &Group\u2026"), "addToGroupAction", ctrlShift(Qt::Key_G));
    m_resetAction = make(tr("Reset &Password\u2026"), "resetPasswordAction", ctrlShift(Qt::Key_P));
    // Delete, Copy and Select All only from the table: in the filter field these keys edit text.
    m_deleteAction = make(tr("&Delete\u2026"), "deleteUserAction", QKeySequence::Delete, Qt::WidgetShortcut);
    m_copyAction = make(tr("&Copy Usernames"), "copyUsernameAction", QKeySequence::Copy, Qt::WidgetShortcut);
    m_selectAllAction
        = make(tr("Select A&ll"), "selectAllUsersAction", QKeySequence::SelectAll, Qt::WidgetShortcut);
    m_exportCsvAction = make(tr("Export as &CSV\u2026"), "exportCsvAction", ctrlShift(Qt::Key_E));
    m_exportJsonAction = make(tr("Export as &JSON\u2026"), "exportJsonAction", ctrlShift(Qt::Key_J));
    m_refreshAction = make(tr("Re&fresh"), "refreshUsersAction", QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the users again from the database"));

    connect(m_newAction, &QAction::triggered, this, &UsersAdminPage::createUser);
    connect(m_editAction, &QAction::triggered, this, &UsersAdminPage::editSelected);
    connect(m_activateAction, &QAction::triggered, this, [this]() { setSelectedActive(true); });
    connect(m_suspendAction, &QAction::triggered, this, [this]() { setSelectedActive(false); });
    connect(m_changeRoleAction, &QAction::triggered, this, &UsersAdminPage::changeSelectedRole);
    connect(m_addToGroupAction, &QAction::triggered, this, &UsersAdminPage::addSelectedToGroup);
    connect(m_resetAction, &QAction::triggered, this, &UsersAdminPage::resetSelectedPassword);
    connect(m_deleteAction, &QAction::triggered, this, &UsersAdminPage::deleteSelected);
    connect(m_copyAction, &QAction::triggered, this, &UsersAdminPage::copyUsernames);
    connect(m_selectAllAction, &QAction::triggered, this, &TablePage::selectAllRows);
    connect(m_exportCsvAction, &QAction::triggered, this, [this]() {
        if (m_export)
            m_export->exportAs(UsersExporter::Format::Csv);
    });
    connect(m_exportJsonAction, &QAction::triggered, this, [this]() {
        if (m_export)
            m_export->exportAs(UsersExporter::Format::Json);
    });
    connect(m_refreshAction, &QAction::triggered, this, &UsersAdminPage::refresh);

    m_exportMenu = new QMenu(tr("E&xport"), this);
    m_exportMenu->setObjectName(QStringLiteral("exportMenu"));
    m_exportMenu->addAction(m_exportCsvAction);
    m_exportMenu->addAction(m_exportJsonAction);

    QToolBar *bar = toolBar();
    bar->addAction(m_newAction);
    bar->addSeparator();
    bar->addAction(m_editAction);
    bar->addAction(m_activateAction);
    bar->addAction(m_suspendAction);
    bar->addAction(m_changeRoleAction);
    bar->addAction(m_addToGroupAction);
    bar->addSeparator();
    bar->addAction(m_deleteAction);
    bar->addSeparator();
    auto *exportButton = new QToolButton(bar);
    exportButton->setObjectName(QStringLiteral("exportButton"));
    exportButton->setText(tr("E&xport") + QStringLiteral(" \u25be"));
    // The arrow is part of the text: the style's indicator would crowd the label.
    exportButton->setStyleSheet(QStringLiteral("QToolButton::menu-indicator { image: none; width: 0px; }"));
    exportButton->setToolTip(tr("Save the users shown (filtered and sorted as now) as CSV or JSON"));
    exportButton->setMenu(m_exportMenu);
    exportButton->setPopupMode(QToolButton::InstantPopup);
    bar->addWidget(exportButton);
}

void UsersAdminPage::setUpTable()
{
    bindModel(m_model,
        {[this](int row) { return m_model->userIdAt(row); },
            [this](qint64 id) { return m_model->rowOf(id); }},
        kSettingsKey, [this]() { applyDefaultColumns(); });
    QTableView *table = tableView();
    table->setItemDelegate(new UsersTableDelegate(table));
    // Delete, Copy and Select All are WidgetShortcut actions: they live on the table.
    addTableAction(m_deleteAction);
    addTableAction(m_copyAction);
    addTableAction(m_selectAllAction);
    setDefaultAction(m_editAction);
    setNouns(tr("This platform has no users yet."),
        tr("No user matches %1. The filter looks at usernames, display names and roles."));

    QHeaderView *header = table->horizontalHeader();
    header->viewport()->installEventFilter(this);

    filterField()->setPlaceholderText(
        tr("Username, name or role (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    updateFootnote();
}

void UsersAdminPage::updateFootnote()
{
    const QString howTo = tr("Enter edits the user; Ctrl- or Shift-click selects several for a bulk action.");
    if (m_hostActions) {
        QString note = tr("The users as the host listed them at the last sync. Changes go to the host, one "
                          "request per user; the list follows after the next sync. The host's API has no "
                          "sessions, so Last sign-in and Sessions stay empty here.");
        if (ActionGate::forRole(actor(), Permission::ManageUsers).allowed)
            note += QLatin1Char(' ') + howTo;
        setFootnote(note);
        return;
    }
    const QString lastSignInNote
        = tr("Last sign-in is when the user's newest session started: the host records "
             "no sign-in time.");
    setFootnote(ActionGate::forPermission(store(), actor(), Permission::ManageUsers).allowed
            ? lastSignInNote + QLatin1Char(' ') + howTo
            : lastSignInNote);
}

void UsersAdminPage::setHostAdmin(HostAdminService *service)
{
    delete m_hostActions;
    m_hostActions = nullptr;
    m_hostService = service;
    if (service && m_model) {
        m_hostActions = new HostUsersActions(store(), actor(), *service, this);
        connect(m_hostActions, &HostUsersActions::finished, this, [this](const QString &message) {
            banner()->clear();
            Q_EMIT statusMessage(message);
        });
        connect(m_hostActions, &HostUsersActions::partlyDone, this,
            [this](const QString &message) { banner()->showMessage(InlineBanner::Kind::Warning, message); });
        connect(m_hostActions, &HostUsersActions::failed, this,
            [this](const QString &what, const Error &error) { showFailure(what, error); });
        connect(m_hostActions, &HostUsersActions::busyChanged, this, &UsersAdminPage::updateActions);
    }
    m_refreshAction->setToolTip(m_hostActions
            ? tr("Read the users again from the local copy, which is synced from the host every minute and "
                 "after every change made here")
            : tr("Read the users again from the database"));
    if (m_model)
        updateFootnote();
    updateActions();
}

void UsersAdminPage::applyDefaultColumns()
{
    // Widths from what the columns show, not from the rows (there may be a million).
    QTableView *table = tableView();
    QHeaderView *header = table->horizontalHeader();
    const QFontMetrics fm = table->fontMetrics();
    const int avg = fm.averageCharWidth();
    auto fit = [&](int column, int contentWidth, int pad) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column, qMax(contentWidth, fm.horizontalAdvance(title)) + pad);
    };
    const int dateWidth = fm.horizontalAdvance(QStringLiteral("2026-12-31 23:59"));
    fit(UsersTableModel::Username, 12 * avg, 24);
    fit(UsersTableModel::DisplayName, 16 * avg, 24);
    fit(UsersTableModel::Role, fm.horizontalAdvance(tr("Administrator")) + 24, 12);
    fit(UsersTableModel::Groups, 19 * avg, 24);
    fit(UsersTableModel::Created, dateWidth, 16);
    fit(UsersTableModel::LastSignIn, dateWidth, 16);
    fit(UsersTableModel::ActiveSessions, 4 * avg, 14);
    fit(UsersTableModel::Status, fm.horizontalAdvance(tr("Suspended")) + 24, 16);
    // The table's natural order (by id) until a header is clicked.
    header->setSortIndicator(-1, Qt::AscendingOrder);
}

bool UsersAdminPage::eventFilter(QObject *watched, QEvent *event)
{
    if (m_model && event->type() == QEvent::ToolTip
        && watched == tableView()->horizontalHeader()->viewport()) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int section = tableView()->horizontalHeader()->logicalIndexAt(help->pos());
        QString tip;
        switch (section) {
        case UsersTableModel::LastSignIn:
            tip = tr("When the newest session started. The host records no sign-in time, so this comes "
                     "from the sessions table; \u201cnever\u201d means no session on record.");
            break;
        case UsersTableModel::ActiveSessions: tip = tr("Sessions that have not expired yet"); break;
        case UsersTableModel::Status: tip = tr("Suspended accounts cannot sign in"); break;
        default:
            tip = tr("Click to sort by this column; click again to reverse. Right-click to hide or show "
                     "columns.");
            break;
        }
        QToolTip::showText(help->globalPos(), tip, tableView()->horizontalHeader());
        return true;
    }
    return TablePage::eventFilter(watched, event);
}

// --- state --------------------------------------------------------------------------------------

bool UsersAdminPage::selectionMayHave(bool active) const
{
    int looked = 0;
    for (const QItemSelectionRange &range : tableView()->selectionModel()->selection()) {
        for (int row = range.top(); row <= range.bottom(); ++row) {
            if (++looked > kInspectRows)
                return true;
            const QVariant state = m_model->index(row, 0).data(UsersTableModel::ActiveRole);
            if (!state.isValid() || state.toBool() == active)
                return true;
        }
    }
    return false;
}

std::optional<UserRecord> UsersAdminPage::selectedUser() const
{
    if (!m_model || currentId() < 0)
        return std::nullopt;
    return m_model->userAt(tableView()->currentIndex().row());
}

void UsersAdminPage::updateActions()
{
    if (m_hostActions) {
        updateHostActions();
        return;
    }
    const ActionGate gate = ActionGate::forPermission(store(), actor(), Permission::ManageUsers);
    const std::optional<UserRecord> user = selectedUser();
    const bool one = user.has_value();
    const int count = selectedCount();
    const bool many = count > 1;
    const QString selection = many ? tr("the %L1 selected users").arg(count) : QString();
    const QString preview = tr("a preview shows who would be refused and why");

    gate.apply(m_newAction, tr("Create a user account with its role and groups"));
    gate.apply(m_editAction,
        one ? tr("Change the display name, role or groups of %1").arg(user->username)
            : tr("Change a user's display name, role or groups (select one user)"),
        one);
    gate.apply(m_resetAction,
        one ? tr("Set a new password for %1").arg(user->username)
            : tr("Set a new password for a user (select one user)"),
        one);

    const bool canActivate = count > 0 && m_model && selectionMayHave(false);
    const bool canSuspend = count > 0 && m_model && selectionMayHave(true);
    gate.apply(m_activateAction,
        many      ? tr("Let %1 sign in again (%2)").arg(selection, preview)
            : one ? tr("Let %1 sign in again, optionally ending old sessions").arg(user->username)
                  : tr("Let suspended users sign in again (select them first)"),
        canActivate);
    gate.apply(m_suspendAction,
        many      ? tr("Stop %1 from signing in, keeping the accounts (%2)").arg(selection, preview)
            : one ? tr("Stop %1 from signing in, keeping the account").arg(user->username)
                  : tr("Stop users from signing in, keeping the accounts (select them first)"),
        canSuspend);
    gate.apply(m_changeRoleAction,
        count > 0 ? tr("Give %1 another role (%2)").arg(many ? selection : tr("the selected user"), preview)
                  : tr("Give users another role (select them first)"),
        count > 0);
    gate.apply(m_addToGroupAction,
        count > 0 ? tr("Add %1 to a group").arg(many ? selection : tr("the selected user"))
                  : tr("Add users to a group (select them first)"),
        count > 0);
    gate.apply(m_deleteAction,
        many      ? tr("Delete %1 with their sessions, tokens and memberships (%2)").arg(selection, preview)
            : one ? tr("Delete %1 with their sessions, tokens and memberships").arg(user->username)
                  : tr("Delete users (select them first)"),
        count > 0);

    updateCommonActions();
}

void UsersAdminPage::updateHostActions()
{
    // PATCH and DELETE /api/auth/users are admin only; nothing else goes out while a change runs.
    const ActionGate gate = m_hostActions->isBusy()
        ? ActionGate::unavailable(tr("A change is being sent to the host; wait until it ends."))
        : ActionGate::forRole(actor(), Permission::ManageUsers);
    const Capabilities api = HostAdminService::capabilities();
    const std::optional<UserRecord> user = selectedUser();
    const bool one = user.has_value();
    const int count = selectedCount();
    const bool many = count > 1;
    const QString selection = many ? tr("the %L1 selected users").arg(count) : QString();
    const QString preview = tr("a preview shows who would be refused and why; the host's own refusals "
                               "are shown per user");

    ActionGate::unavailable(api.reason(Feature::CreateUsers)).apply(m_newAction, QString());
    ActionGate::unavailable(api.reason(Feature::ResetPasswords)).apply(m_resetAction, QString());
    ActionGate::unavailable(api.reason(Feature::Groups)).apply(m_addToGroupAction, QString());
    gate.apply(m_editAction,
        one ? tr("Change the display name or role of %1 on the host").arg(user->username)
            : tr("Change a user's display name or role on the host (select one user)"),
        one);
    gate.apply(m_activateAction,
        count > 0 ? tr("Let %1 sign in again (%2)")
                        .arg(many      ? selection
                                : user ? user->username
                                       : QString(),
                            preview)
                  : tr("Let suspended users sign in again (select them first)"),
        count > 0 && selectionMayHave(false));
    gate.apply(m_suspendAction,
        count > 0 ? tr("Stop %1 from signing in, keeping the accounts (%2)")
                        .arg(many      ? selection
                                : user ? user->username
                                       : QString(),
                            preview)
                  : tr("Stop users from signing in, keeping the accounts (select them first)"),
        count > 0 && selectionMayHave(true));
    gate.apply(m_changeRoleAction,
        count > 0 ? tr("Give %1 another role on the host (%2)")
                        .arg(many ? selection : tr("the selected user"), preview)
                  : tr("Give users another role (select them first)"),
        count > 0);
    gate.apply(m_deleteAction,
        many      ? tr("Delete %1 on the host (%2)").arg(selection, preview)
            : one ? tr("Delete %1 on the host").arg(user->username)
                  : tr("Delete users (select them first)"),
        count > 0);
    updateCommonActions();
}

void UsersAdminPage::updateCommonActions()
{
    const int count = selectedCount();
    m_copyAction->setEnabled(count > 0);
    m_selectAllAction->setEnabled(m_model && m_model->rowCount() > 0);
    const bool canExport = m_model != nullptr;
    for (QAction *action : {m_exportCsvAction, m_exportJsonAction}) {
        action->setEnabled(canExport);
        action->setToolTip(canExport
                ? tr("Save every user of the current view (filter and sort as shown)")
                : tr("Viewing users needs the %1 role")
                      .arg(roles::displayName(roles::minimumFor(Permission::ViewUsers))));
    }
    m_refreshAction->setEnabled(m_model != nullptr);
}

// --- actions ------------------------------------------------------------------------------------

void UsersAdminPage::createUser()
{
    if (!m_forms || !m_newAction->isEnabled())
        return;
    banner()->clear();
    m_forms->create();
}

void UsersAdminPage::editSelected()
{
    const auto user = selectedUser();
    if (!user || !m_editAction->isEnabled())
        return;
    banner()->clear();
    if (m_hostActions)
        m_hostActions->edit(*user);
    else if (m_forms)
        m_forms->edit(*user);
}

void UsersAdminPage::setSelectedActive(bool active)
{
    QAction *action = active ? m_activateAction : m_suspendAction;
    if (!m_bulk || !action->isEnabled())
        return;
    banner()->clear();
    const QList<qint64> ids = idsForAction(kMaxBulkUsers);
    if (ids.isEmpty())
        return;
    if (m_hostActions)
        m_hostActions->setActive(ids, active);
    else
        m_bulk->setActive(ids, active);
}

void UsersAdminPage::changeSelectedRole()
{
    if (!m_bulk || !m_changeRoleAction->isEnabled())
        return;
    banner()->clear();
    const QList<qint64> ids = idsForAction(kMaxBulkUsers);
    if (ids.isEmpty())
        return;
    if (m_hostActions)
        m_hostActions->changeRole(ids);
    else
        m_bulk->changeRole(ids);
}

void UsersAdminPage::addSelectedToGroup()
{
    if (!m_bulk || !m_addToGroupAction->isEnabled())
        return;
    banner()->clear();
    const QList<qint64> ids = idsForAction(kMaxBulkUsers);
    if (!ids.isEmpty())
        m_bulk->addToGroup(ids);
}

void UsersAdminPage::resetSelectedPassword()
{
    const auto user = selectedUser();
    if (!m_forms || !user || !m_resetAction->isEnabled())
        return;
    banner()->clear();
    m_forms->resetPassword(*user);
}

void UsersAdminPage::deleteSelected()
{
    if (!m_model || !m_deleteAction->isEnabled())
        return;
    banner()->clear();
    const auto removeOne = [this](const UserRecord &user) {
        if (m_hostActions)
            m_hostActions->removeOne(user);
        else
            m_bulk->removeOne(user);
    };
    if (const auto user = selectedUser()) {
        removeOne(*user);
        return;
    }
    const QList<qint64> ids = idsForAction(kMaxBulkUsers);
    if (ids.size() == 1) {
        auto user = store().user(actor(), ids.front());
        if (!user) {
            showFailure(tr("Could not delete the user"), user.error());
            return;
        }
        removeOne(user.value());
    } else if (!ids.isEmpty()) {
        if (m_hostActions)
            m_hostActions->remove(ids);
        else
            m_bulk->remove(ids);
    }
}

void UsersAdminPage::copyUsernames()
{
    if (!m_model)
        return;
    QList<int> rows;
    for (const QItemSelectionRange &range : tableView()->selectionModel()->selection()) {
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows << row;
    }
    std::sort(rows.begin(), rows.end());
    QStringList names;
    for (int row : std::as_const(rows)) {
        if (const auto user = m_model->userAt(row))
            names << user->username;
    }
    if (!names.isEmpty())
        QGuiApplication::clipboard()->setText(names.join(QLatin1Char('\n')));
}

} // namespace rk
