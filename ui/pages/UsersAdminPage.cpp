#include "UsersAdminPage.h"

#include "ActionGate.h"
#include "AppSettings.h"
#include "IconFactory.h"
#include "UiLogging.h"
#include "store/PlatformStore.h"
#include "useradmin/UsersTableDelegate.h"
#include "users/UsersTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QAction>
#include <QClipboard>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QToolBar>
#include <QToolTip>
#include <QtConcurrent/QtConcurrentRun>

namespace rk {

namespace {

const QString kSettingsKey = QStringLiteral("users");

// Store messages are sentences with or without the final period; the banner adds context.
QString sentence(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t.endsWith(QLatin1Char('.')) || t.endsWith(QLatin1Char('!'))
        || t.endsWith(QLatin1Char('?')))
        return t;
    return t + QLatin1Char('.');
}

QString quoted(const QString &name)
{
    return QStringLiteral("\u201c%1\u201d").arg(name);
}

} // namespace

UsersAdminPage::UsersAdminPage(
    PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent)
    : TablePage(parent), m_store(store), m_actor(actor), m_settings(settings)
{
    setObjectName(QStringLiteral("usersPage"));
    setHeading(title());
    createActions();

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(0); // coalesce the store's several changed() of one operation
    connect(&m_refreshTimer, &QTimer::timeout, this, &UsersAdminPage::refresh);

    if (!roles::allows(actor.role, Permission::ViewUsers)) {
        showPlaceholder(tr("Signed in as %1 (%2). Viewing users needs the %3 role.")
                            .arg(actor.username, roles::displayName(actor.role),
                                roles::displayName(roles::minimumFor(Permission::ViewUsers))));
        updateActions();
        return;
    }

    m_model = new UsersTableModel(store.path(), this);
    setUpTable();

    connect(this, &TablePage::filterChanged, m_model, &UsersTableModel::setFilterText);
    connect(m_model, &UsersTableModel::loadingChanged, this, &TablePage::setLoading);
    connect(m_model, &UsersTableModel::windowLoaded, this, [this]() {
        updateSummary();
        restoreSelection();
        updateActions();
    });
    connect(m_model, &UsersTableModel::orderingComplete, this, [this]() { restoreSelection(true); });
    connect(m_model, &QAbstractItemModel::modelReset, this, &UsersAdminPage::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
            const int current = tableView()->currentIndex().row();
            if (current >= topLeft.row() && current <= bottomRight.row())
                updateActions();
            if (m_wantedId >= 0 && (current < 0 || m_model->userIdAt(current) != m_wantedId))
                restoreSelection();
        });
    connect(m_model, &UsersTableModel::errorOccurred, this, [this](const Error &error) {
        showFailure(tr("Could not read the users"), error, [this]() { refresh(); });
    });

    // This app's own changes, and the host's (noticed by the store's PRAGMA data_version poll).
    connect(&m_store, &PlatformStore::changed, this, [this](StoreTable table) {
        if (table == StoreTable::Users || table == StoreTable::Sessions || table == StoreTable::Groups
            || table == StoreTable::Memberships)
            scheduleRefresh();
    });
    connect(&m_store, &PlatformStore::externalChange, this, &UsersAdminPage::scheduleRefresh);
    updateActions();
}

UsersAdminPage::~UsersAdminPage()
{
    if (m_model)
        m_settings.setTableHeaderState(kSettingsKey, tableView()->horizontalHeader()->saveState());
}

QString UsersAdminPage::title() const
{
    return tr("Users");
}

QIcon UsersAdminPage::icon() const
{
    return icons::usersIcon(palette().color(QPalette::WindowText));
}

QList<QAction *> UsersAdminPage::menuActions() const
{
    return {m_newAction, m_editAction, m_activateAction, m_suspendAction, m_resetAction, nullptr,
        m_deleteAction, nullptr, m_copyAction, m_refreshAction};
}

void UsersAdminPage::createActions()
{
    auto make = [this](const QString &text, const char *name, const QKeySequence &shortcut,
                    Qt::ShortcutContext context = Qt::WidgetWithChildrenShortcut) {
        auto *action = new QAction(text, this);
        action->setObjectName(QString::fromLatin1(name));
        if (!shortcut.isEmpty())
            action->setShortcut(shortcut);
        action->setShortcutContext(context);
        addAction(action);
        return action;
    };
    m_newAction = make(tr("&New User\u2026"), "newUserAction", QKeySequence::New);
    m_editAction = make(tr("&Edit\u2026"), "editUserAction", QKeySequence(Qt::CTRL | Qt::Key_E));
    m_activateAction
        = make(tr("&Activate"), "activateUserAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_suspendAction
        = make(tr("S&uspend"), "suspendUserAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_resetAction = make(
        tr("&Reset Password\u2026"), "resetPasswordAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    // Delete and Copy only from the table: in the filter field these keys edit the text.
    m_deleteAction = make(tr("&Delete\u2026"), "deleteUserAction", QKeySequence::Delete, Qt::WidgetShortcut);
    m_copyAction = make(tr("&Copy Username"), "copyUsernameAction", QKeySequence::Copy, Qt::WidgetShortcut);
    m_refreshAction = make(tr("Re&fresh"), "refreshUsersAction", QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the users again from the database"));

    connect(m_newAction, &QAction::triggered, this, &UsersAdminPage::createUser);
    connect(m_editAction, &QAction::triggered, this, &UsersAdminPage::editSelected);
    connect(m_activateAction, &QAction::triggered, this, [this]() { setSelectedActive(true); });
    connect(m_suspendAction, &QAction::triggered, this, [this]() { setSelectedActive(false); });
    connect(m_resetAction, &QAction::triggered, this, &UsersAdminPage::resetSelectedPassword);
    connect(m_deleteAction, &QAction::triggered, this, &UsersAdminPage::deleteSelected);
    connect(m_copyAction, &QAction::triggered, this, &UsersAdminPage::copyUsername);
    connect(m_refreshAction, &QAction::triggered, this, &UsersAdminPage::refresh);

    QToolBar *bar = toolBar();
    bar->addAction(m_newAction);
    bar->addSeparator();
    bar->addAction(m_editAction);
    bar->addAction(m_activateAction);
    bar->addAction(m_suspendAction);
    bar->addAction(m_resetAction);
    bar->addSeparator();
    bar->addAction(m_deleteAction);

    m_contextMenu = new QMenu(this);
    m_contextMenu->setObjectName(QStringLiteral("usersContextMenu"));
    m_contextMenu->setToolTipsVisible(true);
    for (QAction *action : menuActions()) {
        if (action)
            m_contextMenu->addAction(action);
        else
            m_contextMenu->addSeparator();
    }
}

void UsersAdminPage::setUpTable()
{
    QTableView *table = tableView();
    table->setModel(m_model);
    table->setItemDelegate(new UsersTableDelegate(table));
    // Delete and Copy are WidgetShortcut actions: they live on the table.
    table->addAction(m_deleteAction);
    table->addAction(m_copyAction);

    QHeaderView *header = table->horizontalHeader();
    header->viewport()->installEventFilter(this);
    const QByteArray saved = m_settings.tableHeaderState(kSettingsKey);
    if (saved.isEmpty() || !header->restoreState(saved)) {
        // Widths from what the columns show, not from the rows (there may be a million).
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
    header->setSortIndicatorClearable(true);
    // Header clicks call model->sort(), which sorts in SQL on the model's worker.
    table->setSortingEnabled(true);

    const QString lastSignInNote
        = tr("Last sign-in is when the user's newest session started: the host records "
             "no sign-in time.");
    filterField()->setPlaceholderText(
        tr("Username, name or role (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    setFootnote(ActionGate::forPermission(m_store, m_actor, Permission::ManageUsers).allowed
            ? lastSignInNote + QLatin1Char(' ') + tr("Double-click a user or press Enter to edit.")
            : lastSignInNote);

    connect(table, &QTableView::activated, this, [this]() {
        if (m_editAction->isEnabled())
            editSelected();
    });
    connect(table, &QTableView::customContextMenuRequested, this, &UsersAdminPage::showContextMenu);
    // selectRow() moves the current row before it selects: follow the selection too.
    connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &UsersAdminPage::updateActions);
    connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            // A selection asked for in code (a new user) waits for its row; meanwhile the
            // view's own moves (focus returning from the dialog) must not replace it.
            if (!m_restoring && !m_scrollToWanted)
                m_wantedId = current.isValid() ? m_model->userIdAt(current.row()) : -1;
            updateActions();
        });
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
        default: tip = tr("Click to sort by this column; click again to reverse"); break;
        }
        QToolTip::showText(help->globalPos(), tip, tableView()->horizontalHeader());
        return true;
    }
    return TablePage::eventFilter(watched, event);
}

// --- state --------------------------------------------------------------------------------------

qint64 UsersAdminPage::selectedUserId() const
{
    if (!m_model)
        return -1;
    const QModelIndex current = tableView()->currentIndex();
    if (!current.isValid() || !tableView()->selectionModel()->isRowSelected(current.row(), {}))
        return -1;
    return m_model->userIdAt(current.row());
}

std::optional<UserRecord> UsersAdminPage::selectedUser() const
{
    if (!m_model || selectedUserId() < 0)
        return std::nullopt;
    return m_model->userAt(tableView()->currentIndex().row());
}

void UsersAdminPage::selectUser(qint64 id)
{
    m_wantedId = id;
    m_scrollToWanted = true;
    restoreSelection();
}

void UsersAdminPage::restoreSelection(bool finalAttempt)
{
    if (!m_model || m_wantedId < 0)
        return;
    const int row = m_model->rowOf(m_wantedId);
    if (row < 0) {
        // Not known yet (orderingComplete() tries again), or filtered out or deleted: once the
        // model has ordered every row of a query run since, stop holding on to it.
        if (finalAttempt)
            m_scrollToWanted = false;
        return;
    }
    QTableView *table = tableView();
    const QModelIndex target = m_model->index(row, 0);
    if (table->currentIndex().row() != row || !table->selectionModel()->isRowSelected(row, {})) {
        m_restoring = true;
        table->selectionModel()->setCurrentIndex(
            target, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_restoring = false;
    }
    if (m_scrollToWanted) {
        table->scrollTo(target);
        m_scrollToWanted = false;
    }
    updateActions();
}

void UsersAdminPage::scheduleRefresh()
{
    if (m_model)
        m_refreshTimer.start();
}

void UsersAdminPage::refresh()
{
    if (m_model)
        m_model->refresh();
}

void UsersAdminPage::updateSummary()
{
    if (!m_model)
        return;
    const int rows = m_model->rowCount();
    // "Total: 41" rather than "41 user(s)": no plural forms needed without a translation.
    if (m_model->filterText().isEmpty())
        setSummary(tr("Total: %L1").arg(rows));
    else
        setSummary(tr("Matching %1: %L2").arg(quoted(m_model->filterText())).arg(rows));
    if (rows > 0)
        setEmptyMessage({});
    else if (m_model->filterText().isEmpty())
        setEmptyMessage(tr("This platform has no users yet."));
    else
        setEmptyMessage(tr("No user matches %1. The filter looks at usernames, display names and roles.")
                            .arg(quoted(m_model->filterText())));
}

void UsersAdminPage::updateActions()
{
    const ActionGate gate = ActionGate::forPermission(m_store, m_actor, Permission::ManageUsers);
    const std::optional<UserRecord> user = selectedUser();
    const bool has = user.has_value();
    gate.apply(m_newAction, tr("Create a user account"));
    gate.apply(m_editAction,
        has ? tr("Change the display name or role of %1").arg(user->username)
            : tr("Change a user's display name or role (select a user first)"),
        has);
    gate.apply(m_activateAction,
        has && !user->active ? tr("Let %1 sign in again").arg(user->username)
                             : tr("Let a suspended user sign in again (select a suspended user)"),
        has && !user->active);
    gate.apply(m_suspendAction,
        has && user->active ? tr("Stop %1 from signing in, keeping the account").arg(user->username)
                            : tr("Stop a user from signing in, keeping the account (select an active user)"),
        has && user->active);
    gate.apply(m_resetAction,
        has ? tr("Set a new password for %1").arg(user->username)
            : tr("Set a new password for a user (select a user first)"),
        has);
    gate.apply(m_deleteAction,
        has ? tr("Delete %1 with their sessions, tokens and memberships").arg(user->username)
            : tr("Delete a user (select a user first)"),
        has);
    m_copyAction->setEnabled(has);
    m_refreshAction->setEnabled(m_model != nullptr);
}

void UsersAdminPage::showContextMenu(const QPoint &pos)
{
    if (!m_model)
        return;
    const QModelIndex index = tableView()->indexAt(pos);
    if (index.isValid())
        tableView()->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateActions();
    m_contextMenu->popup(tableView()->viewport()->mapToGlobal(pos));
}

void UsersAdminPage::showFailure(const QString &what, const Error &error, std::function<void()> retry)
{
    qCInfo(lcUi) << what << "-" << error.message;
    banner()->showError(QStringLiteral("%1: %2").arg(what, sentence(error.message)));
    if (retry
        && (error.code == Error::Code::Locked || error.code == Error::Code::Io
            || error.code == Error::Code::Internal))
        banner()->setAction(tr("Retry"), std::move(retry));
}

// --- actions ------------------------------------------------------------------------------------

UserDialog *UsersAdminPage::openDialog(UserDialog::Mode mode)
{
    auto *dialog = new UserDialog(
        mode, [this](const QString &pw) { return m_store.checkPasswordPolicy(pw); }, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    return dialog;
}

void UsersAdminPage::hashThen(UserDialog *dialog, std::function<QString(const PasswordHash &)> apply)
{
    dialog->setBusy(true, tr("Hashing the password\u2026"));
    // Parented to the dialog: closing it drops the result, and nothing is written.
    auto *watcher = new QFutureWatcher<Result<PasswordHash>>(dialog);
    connect(watcher, &QFutureWatcherBase::finished, dialog, [dialog, watcher, apply = std::move(apply)]() {
        const Result<PasswordHash> hash = watcher->result();
        watcher->deleteLater();
        dialog->setBusy(false);
        if (!hash) {
            dialog->showError(hash.error().message);
            return;
        }
        const QString problem = apply(hash.value());
        if (problem.isEmpty())
            dialog->accept();
        else
            dialog->showError(problem);
    });
    const QString password = dialog->password();
    watcher->setFuture(QtConcurrent::run([password]() { return Passwords::hash(password); }));
}

void UsersAdminPage::createUser()
{
    if (!m_newAction->isEnabled())
        return;
    banner()->clear();
    UserDialog *dialog = openDialog(UserDialog::Mode::Create);
    dialog->setObjectName(QStringLiteral("createUserDialog"));
    connect(dialog, &UserDialog::submitted, this, [this, dialog]() {
        hashThen(dialog, [this, dialog](const PasswordHash &hash) -> QString {
            const NewUser nu = dialog->newUser();
            auto id = m_store.createUser(m_actor, nu, hash);
            if (!id)
                return id.error().message;
            selectUser(id.value());
            Q_EMIT statusMessage(tr("User %1 created.").arg(quoted(nu.username)));
            return {};
        });
    });
    dialog->open();
}

void UsersAdminPage::editSelected()
{
    const auto user = selectedUser();
    if (!user || !m_editAction->isEnabled())
        return;
    banner()->clear();
    UserDialog *dialog = openDialog(UserDialog::Mode::Edit);
    dialog->setObjectName(QStringLiteral("editUserDialog"));
    dialog->setUser(*user);
    connect(dialog, &UserDialog::submitted, this, [this, dialog]() {
        const Status st = m_store.updateUser(m_actor, dialog->userId(), dialog->changes());
        if (!st) {
            dialog->showError(st.error().message);
            return;
        }
        Q_EMIT statusMessage(tr("User %1 updated.").arg(quoted(dialog->originalUser().username)));
        dialog->accept();
    });
    dialog->open();
}

void UsersAdminPage::setSelectedActive(bool active)
{
    const auto user = selectedUser();
    QAction *action = active ? m_activateAction : m_suspendAction;
    if (!user || !action->isEnabled())
        return;
    banner()->clear();
    UserChanges changes;
    changes.active = active;
    const Status st = m_store.updateUser(m_actor, user->id, changes);
    if (!st) {
        const qint64 id = user->id;
        showFailure(active ? tr("Could not activate %1").arg(quoted(user->username))
                           : tr("Could not suspend %1").arg(quoted(user->username)),
            st.error(), [this, id, active]() {
                selectUser(id);
                setSelectedActive(active);
            });
        return;
    }
    Q_EMIT statusMessage(active
            ? tr("User %1 activated: they can sign in again.").arg(quoted(user->username))
            : tr("User %1 suspended: they can no longer sign in.").arg(quoted(user->username)));
}

void UsersAdminPage::resetSelectedPassword()
{
    const auto user = selectedUser();
    if (!user || !m_resetAction->isEnabled())
        return;
    banner()->clear();
    UserDialog *dialog = openDialog(UserDialog::Mode::ResetPassword);
    dialog->setObjectName(QStringLiteral("resetPasswordDialog"));
    dialog->setUser(*user);
    connect(dialog, &UserDialog::submitted, this, [this, dialog]() {
        hashThen(dialog, [this, dialog](const PasswordHash &hash) -> QString {
            const Status st = m_store.resetPassword(m_actor, dialog->userId(), hash);
            if (!st)
                return st.error().message;
            Q_EMIT statusMessage(tr("Password of %1 reset.").arg(quoted(dialog->originalUser().username)));
            return {};
        });
    });
    dialog->open();
}

void UsersAdminPage::deleteSelected()
{
    const auto user = selectedUser();
    if (!user || !m_deleteAction->isEnabled())
        return;
    banner()->clear();
    const QString name = quoted(user->username);
    auto impact = m_store.deletionImpact(m_actor, user->id);
    if (!impact) {
        showFailure(tr("Could not delete %1").arg(name), impact.error());
        return;
    }
    const DeletionImpact &i = impact.value();
    QString details = tr("Deleting this account also removes:") + QLatin1Char('\n');
    details += tr("    Sessions: %L1").arg(i.sessions) + QLatin1Char('\n');
    details += tr("    API tokens: %L1").arg(i.tokens) + QLatin1Char('\n');
    details += tr("    Group memberships: %L1").arg(i.groupMemberships) + QLatin1Char('\n');
    details += tr("    VPS assignments: %L1").arg(i.vpsAssignments) + QLatin1Char('\n');
    details += tr("Kept: their tasks (%L1).").arg(i.tasksKept);
    if (i.invitationsCreated > 0)
        details += QLatin1Char(' ')
            + tr("Invitations they created (%L1) stay valid, without a creator.").arg(i.invitationsCreated);
    details += QLatin1String("\n\n") + tr("This cannot be undone.");

    MessageBox::Options box;
    box.title = tr("Delete User");
    box.text = user->displayName.isEmpty() || user->displayName == user->username
        ? tr("Delete the user %1?").arg(name)
        : tr("Delete the user %1 (%2)?").arg(name, user->displayName);
    box.informativeText = details;
    box.accept = MessageBox::Button::Delete;
    box.destructive = true;
    if (MessageBox::ask(this, box) != MessageBox::Button::Delete)
        return;

    auto done = m_store.deleteUser(m_actor, user->id);
    if (!done) {
        showFailure(tr("Could not delete %1").arg(name), done.error());
        return;
    }
    if (m_wantedId == user->id)
        m_wantedId = -1;
    Q_EMIT statusMessage(tr("User %1 deleted (sessions removed: %L2, API tokens removed: %L3).")
                             .arg(name)
                             .arg(done->sessions)
                             .arg(done->tokens));
}

void UsersAdminPage::copyUsername()
{
    if (const auto user = selectedUser())
        QGuiApplication::clipboard()->setText(user->username);
}

} // namespace rk
