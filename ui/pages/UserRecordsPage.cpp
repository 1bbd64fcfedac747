#include "UserRecordsPage.h"

#include "ActionGate.h"
#include "tables/LazySqlTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/UserFilterButton.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QSizePolicy>
#include <QTableView>
#include <QToolBar>

namespace rk {

namespace {

// The most records one selection revokes: one write transaction with an audit row per record.
constexpr int kMaxBulkRecords = 10000;
// Rows looked at to find the one user of a selection (beyond: no single user is offered).
constexpr int kInspectRows = 2000;

} // namespace

UserRecordsPage::UserRecordsPage(
    PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent)
    : RecordsPage(store, actor, settings, parent)
{
}

UserRecordsPage::~UserRecordsPage()
{
    // TablePage connects the header's resize signals to lambdas that restart its save timer.
    // Closing a page that is a visible top-level window (as in tests) hides the table after
    // ~TablePage() has destroyed that timer, and the header then resizes: cut those connections
    // first. (To be fixed in TablePage; see the report.)
    tableView()->horizontalHeader()->disconnect(this);
}

void UserRecordsPage::createUserActions(const ActionTexts &actionTexts)
{
    const ActionTexts &t = actionTexts;
    const auto ctrlShift = [](Qt::Key key) { return QKeySequence(Qt::CTRL | Qt::SHIFT | key); };
    // Delete, Copy and Select All only from the table: in the filter field these keys edit text.
    m_revokeAction = makeAction(t.revoke.text, t.revoke.objectName, QKeySequence::Delete, Qt::WidgetShortcut);
    m_revokeUserAction = makeAction(t.revokeUser.text, t.revokeUser.objectName, ctrlShift(Qt::Key_Delete));
    m_showUserAction = makeAction(t.showUser.text, t.showUser.objectName, ctrlShift(Qt::Key_O));
    m_chooseUserAction = makeAction(t.chooseUser.text, t.chooseUser.objectName, ctrlShift(Qt::Key_F));
    m_everyoneAction = makeAction(t.everyone.text, t.everyone.objectName, ctrlShift(Qt::Key_X));
    m_copyAction = makeAction(t.copy.text, t.copy.objectName, QKeySequence::Copy, Qt::WidgetShortcut);
    m_selectAllAction
        = makeAction(t.selectAll.text, t.selectAll.objectName, QKeySequence::SelectAll, Qt::WidgetShortcut);
    m_refreshAction = makeAction(t.refresh.text, t.refresh.objectName, QKeySequence::Refresh);
    m_refreshAction->setToolTip(t.refreshTip);
    m_chooseUserAction->setToolTip(t.chooseUserTip);

    connect(m_revokeAction, &QAction::triggered, this, &UserRecordsPage::revokeSelected);
    connect(m_revokeUserAction, &QAction::triggered, this, &UserRecordsPage::revokeAllOfUser);
    connect(m_showUserAction, &QAction::triggered, this, &UserRecordsPage::showOnlySelectedUser);
    connect(m_chooseUserAction, &QAction::triggered, this, [this]() {
        if (m_userFilter)
            m_userFilter->choose();
    });
    connect(m_everyoneAction, &QAction::triggered, this, [this]() {
        if (m_userFilter)
            m_userFilter->clear();
    });
    connect(m_copyAction, &QAction::triggered, this, &UserRecordsPage::copySelected);
    connect(m_selectAllAction, &QAction::triggered, this, &TablePage::selectAllRows);
    connect(m_refreshAction, &QAction::triggered, this, &UserRecordsPage::refresh);
}

void UserRecordsPage::bindUserModel(LazySqlTableModel *model, const AccessTableDelegate::Layout &layout,
    const QString &settingsKey, std::function<void()> defaultColumns)
{
    m_model = model;
    bindModel(model,
        {[model](int row) { return model->idAt(row); }, [model](qint64 id) { return model->rowOf(id); }},
        settingsKey, std::move(defaultColumns));
    QTableView *table = tableView();
    table->setItemDelegate(new AccessTableDelegate(layout, actor().userId, table));
    addTableAction(m_revokeAction);
    addTableAction(m_copyAction);
    addTableAction(m_selectAllAction);
    setDefaultAction(m_showUserAction);
}

void UserRecordsPage::addUserFilter(const QString &label, const QString &prompt)
{
    QToolBar *bar = toolBar();
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_userFilter = new UserFilterButton(store().path(), label, bar);
    m_userFilter->setPrompt(prompt);
    bar->addWidget(m_userFilter);
    connect(m_userFilter, &UserFilterButton::userChanged, this, [this]() {
        banner()->clear();
        filterModelByUser(m_userFilter->userId());
        updateActions();
    });
}

QList<QAction *> UserRecordsPage::menuActionsAfter(QList<QAction *> leading) const
{
    QList<QAction *> actions = std::move(leading);
    actions << nullptr << m_showUserAction << m_chooseUserAction << m_everyoneAction << nullptr
            << m_copyAction << m_selectAllAction << nullptr;
    if (QAction *columns = columnsMenuAction())
        actions << columns;
    actions << m_refreshAction;
    return actions;
}

void UserRecordsPage::updateSummary()
{
    RecordsPage::updateSummary();
    if (!m_model || !m_userFilter || !m_userFilter->userId() || !m_model->filterText().isEmpty())
        return;
    setSummary(m_texts.userSummary.arg(quotedName(m_userFilter->userName())).arg(m_model->totalRowCount()));
    if (m_model->totalRowCount() == 0)
        setEmptyMessage(m_texts.userHasNone.arg(m_userFilter->userName()));
}

// --- state --------------------------------------------------------------------------------------

std::optional<UserRecordsPage::User> UserRecordsPage::selectedUser() const
{
    if (!m_model)
        return std::nullopt;
    std::optional<User> user;
    int looked = 0;
    // Row ranges, not a list of rows: a selection may hold millions of records.
    for (const QItemSelectionRange &range : tableView()->selectionModel()->selection()) {
        for (int row = range.top(); row <= range.bottom(); ++row) {
            const auto rowUser = ++looked <= kInspectRows ? userAt(row) : std::nullopt;
            if (!rowUser)
                return std::nullopt; // not loaded (or too many to look at): unknown
            if (user && user->id != rowUser->id)
                return std::nullopt; // several users
            if (!user)
                user = rowUser;
        }
    }
    return user;
}

std::optional<UserRecordsPage::User> UserRecordsPage::actionUser() const
{
    if (selectedCount() > 0)
        return selectedUser();
    if (m_userFilter && m_userFilter->userId())
        return User {*m_userFilter->userId(), m_userFilter->userName(), m_userFilter->userName()};
    return std::nullopt;
}

void UserRecordsPage::updateActions()
{
    const ActionGate gate = ActionGate::forPermission(store(), actor(), Permission::ManageUsers);
    const int count = m_model ? selectedCount() : 0;
    const std::optional<User> user = actionUser();
    const std::optional<User> rowUser = m_model && count > 0 ? selectedUser() : std::nullopt;
    const bool viewing = m_model != nullptr;

    gate.apply(m_revokeAction,
        count > 1        ? m_texts.revokeSeveral.arg(count)
            : count == 1 ? m_texts.revokeOne
                         : m_texts.revokeNone,
        count > 0);
    gate.apply(m_revokeUserAction, user ? m_texts.revokeUser.arg(user->label) : m_texts.revokeUserNone,
        user.has_value());
    updateOwnActions(gate, user);

    m_showUserAction->setEnabled(rowUser.has_value());
    m_showUserAction->setToolTip(rowUser ? m_texts.showUser.arg(rowUser->label) : m_texts.showUserNone);
    m_chooseUserAction->setEnabled(viewing);
    m_everyoneAction->setEnabled(viewing && m_userFilter && m_userFilter->userId().has_value());
    m_everyoneAction->setToolTip(m_texts.everyone);
    m_copyAction->setEnabled(count > 0);
    m_selectAllAction->setEnabled(viewing && m_model->rowCount() > 0);
    m_refreshAction->setEnabled(viewing);
}

void UserRecordsPage::updateOwnActions(const ActionGate & /*gate*/, const std::optional<User> & /*user*/)
{
}

// --- actions ------------------------------------------------------------------------------------

void UserRecordsPage::revokeSelected()
{
    if (!m_model || !m_revokeAction->isEnabled())
        return;
    banner()->clear();
    const QList<qint64> ids = idsForAction(kMaxBulkRecords);
    if (ids.isEmpty())
        return;
    auto counted = countRecords(PlatformStore::RevocationScope::rows(ids));
    if (!counted) {
        showFailure(m_texts.countFailed, counted.error());
        return;
    }
    if (counted->missing > 0) {
        banner()->showMessage(InlineBanner::Kind::Info, missingText(counted->missing));
        refresh();
        return;
    }

    Confirmation confirmation = confirmRevoke(ids, *counted);
    confirmation.ask.accept = MessageBox::Button::Delete;
    confirmation.ask.destructive = true;
    if (MessageBox::ask(this, confirmation.ask) != MessageBox::Button::Delete)
        return;
    runRevoke(ids, confirmation.done);
}

void UserRecordsPage::runRevoke(const QList<qint64> &ids, const QString &done)
{
    auto revoked = revokeRecords(ids);
    if (!revoked) {
        showFailure(m_texts.revokeFailed, revoked.error(), [this, ids, done]() { runRevoke(ids, done); });
        if (revoked.error().code == Error::Code::NotFound)
            refresh();
        return;
    }
    banner()->clear();
    Q_EMIT statusMessage(done);
}

void UserRecordsPage::revokeAllOfUser()
{
    if (!m_model || !m_revokeUserAction->isEnabled())
        return;
    banner()->clear();
    const std::optional<User> user = actionUser();
    if (!user)
        return;
    auto counted = countRecords(PlatformStore::RevocationScope::ofUser(user->id));
    if (!counted) {
        showFailure(m_texts.countOfUserFailed.arg(user->label), counted.error());
        return;
    }
    if (counted->records == 0) {
        banner()->showMessage(InlineBanner::Kind::Info, m_texts.noneLeftOfUser.arg(user->label));
        refresh();
        return;
    }
    MessageBox::Options ask = confirmRevokeOfUser(*user, counted->records);
    ask.accept = MessageBox::Button::Delete;
    ask.destructive = true;
    if (MessageBox::ask(this, ask) != MessageBox::Button::Delete)
        return;
    runRevokeOf(user->id, user->label);
}

void UserRecordsPage::runRevokeOf(qint64 userId, const QString &label)
{
    auto revoked = revokeRecordsOf(userId);
    if (!revoked) {
        showFailure(m_texts.revokeOfUserFailed.arg(label), revoked.error(),
            [this, userId, label]() { runRevokeOf(userId, label); });
        return;
    }
    banner()->clear();
    Q_EMIT statusMessage(revokedOfUserText(revoked.value(), label));
}

void UserRecordsPage::showOnlySelectedUser()
{
    if (!m_userFilter || !m_showUserAction->isEnabled())
        return;
    if (const auto user = selectedUser())
        m_userFilter->setUser(user->id, user->label);
}

void UserRecordsPage::copySelected()
{
    if (!m_model)
        return;
    QStringList lines;
    for (const int row : selectedRows()) {
        if (const auto line = copyTextAt(row))
            lines << *line;
    }
    if (!lines.isEmpty())
        QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
}

} // namespace rk
