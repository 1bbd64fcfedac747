#include "TokensPage.h"

#include "ActionGate.h"
#include "AppSettings.h"
#include "IconFactory.h"
#include "store/PlatformStore.h"
#include "tables/SessionsTableModel.h"
#include "tables/TokensTableModel.h"
#include "tokens/AccessTableDelegate.h"
#include "tokens/ClipboardWiper.h"
#include "tokens/CreateTokenDialog.h"
#include "tokens/OwnerLabel.h"
#include "tokens/TokenCreatedDialog.h"
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

const QString kSettingsKey = QStringLiteral("tokens");
// The most tokens one revocation takes: one write transaction with an audit row per token.
constexpr int kMaxBulkTokens = 10000;
// Rows looked at to find the one owner of a selection (beyond: no single owner is offered).
constexpr int kInspectRows = 2000;
// Names listed in a confirmation before "and N more".
constexpr int kListedNames = 5;

QString consequences()
{
    return TokensPage::tr(
        "Programs that still send them are treated as anonymous from their next request: the host does not "
        "reject a revoked token, it ignores it, so calls that need a role fail (401 or 403) while what "
        "anonymous callers may do keeps working. This cannot be undone; new tokens can be created.");
}

} // namespace

TokensPage::TokensPage(
    PlatformStore &platform, const Actor &acting, AppSettings &appSettings, QWidget *parent)
    : TokensPage(platform, acting, appSettings, Options {}, parent)
{
}

TokensPage::TokensPage(PlatformStore &platform, const Actor &acting, AppSettings &appSettings,
    const Options &options, QWidget *parent)
    : RecordsPage(platform, acting, appSettings, parent), m_options(options)
{
    setObjectName(QStringLiteral("tokensPage"));
    setHeading(title());
    m_wiper = new ClipboardWiper(this);
    m_wiper->setDelay(m_options.clipboardClearMs);
    createActions();

    // Every user's tokens are an admin's inventory (the host shows each user only their own).
    if (!roles::allows(acting.role, Permission::ManageUsers)) {
        showRoleRequirement(Permission::ManageUsers, tr("Viewing every user's API tokens"));
        updateActions();
        return;
    }

    LazySqlTableModel::Options modelOptions;
    modelOptions.clock = m_options.clock;
    modelOptions.deferred = true; // loads when the page is first shown
    m_model = new TokensTableModel(platform.path(), modelOptions, this);
    setUpTable();
    setRefreshTables({StoreTable::Tokens, StoreTable::Users});
    updateActions();
}

TokensPage::~TokensPage()
{
    // TablePage connects the header's resize signals to lambdas that restart its save timer.
    // Closing a page that is a visible top-level window (as in tests) hides the table after
    // ~TablePage() has destroyed that timer, and the header then resizes: cut those connections
    // first. (To be fixed in TablePage; see the report.)
    tableView()->horizontalHeader()->disconnect(this);
}

QString TokensPage::title() const
{
    return pageTitle();
}

QString TokensPage::pageTitle()
{
    return tr("API Tokens");
}

QIcon TokensPage::icon() const
{
    return icons::tokensIcon(palette().color(QPalette::WindowText));
}

QList<QAction *> TokensPage::menuActions() const
{
    QList<QAction *> actions {m_newAction, nullptr, m_revokeAction, m_revokeOwnerAction, nullptr,
        m_showOwnerAction, m_chooseOwnerAction, m_everyoneAction, nullptr, m_copyAction, m_selectAllAction,
        nullptr};
    if (QAction *columns = columnsMenuAction())
        actions << columns;
    actions << m_refreshAction;
    return actions;
}

void TokensPage::createActions()
{
    const auto ctrlShift = [](Qt::Key key) { return QKeySequence(Qt::CTRL | Qt::SHIFT | key); };
    m_newAction = makeAction(tr("&New Token\u2026"), "newTokenAction", QKeySequence::New);
    // Delete, Copy and Select All only from the table: in the filter field these keys edit text.
    m_revokeAction
        = makeAction(tr("&Revoke\u2026"), "revokeTokenAction", QKeySequence::Delete, Qt::WidgetShortcut);
    m_revokeOwnerAction = makeAction(
        tr("Revoke &All of Owner's\u2026"), "revokeOwnerTokensAction", ctrlShift(Qt::Key_Delete));
    m_showOwnerAction
        = makeAction(tr("&Show Only This Owner's"), "showOwnerTokensAction", ctrlShift(Qt::Key_O));
    m_chooseOwnerAction = makeAction(tr("Filter by &Owner\u2026"), "chooseOwnerAction", ctrlShift(Qt::Key_F));
    m_everyoneAction = makeAction(tr("Show &Everyone's"), "showEveryoneTokensAction", ctrlShift(Qt::Key_X));
    m_copyAction
        = makeAction(tr("&Copy Names"), "copyTokenNamesAction", QKeySequence::Copy, Qt::WidgetShortcut);
    m_selectAllAction
        = makeAction(tr("Select A&ll"), "selectAllTokensAction", QKeySequence::SelectAll, Qt::WidgetShortcut);
    m_refreshAction = makeAction(tr("Re&fresh"), "refreshTokensAction", QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the tokens again from the database"));
    m_chooseOwnerAction->setToolTip(tr("Show only the tokens of a user you choose"));

    connect(m_newAction, &QAction::triggered, this, &TokensPage::createToken);
    connect(m_revokeAction, &QAction::triggered, this, &TokensPage::revokeSelected);
    connect(m_revokeOwnerAction, &QAction::triggered, this, &TokensPage::revokeAllOfOwner);
    connect(m_showOwnerAction, &QAction::triggered, this, &TokensPage::showOnlySelectedOwner);
    connect(m_chooseOwnerAction, &QAction::triggered, this, [this]() {
        if (m_ownerFilter)
            m_ownerFilter->choose();
    });
    connect(m_everyoneAction, &QAction::triggered, this, [this]() {
        if (m_ownerFilter)
            m_ownerFilter->clear();
    });
    connect(m_copyAction, &QAction::triggered, this, &TokensPage::copyNames);
    connect(m_selectAllAction, &QAction::triggered, this, &TablePage::selectAllRows);
    connect(m_refreshAction, &QAction::triggered, this, &TokensPage::refresh);

    QToolBar *bar = toolBar();
    bar->addAction(m_newAction);
    bar->addSeparator();
    bar->addAction(m_revokeAction);
    bar->addAction(m_revokeOwnerAction);
}

void TokensPage::setUpTable()
{
    bindModel(m_model,
        {[this](int row) { return m_model->idAt(row); }, [this](qint64 id) { return m_model->rowOf(id); }},
        kSettingsKey, [this]() { applyDefaultColumns(); });
    QTableView *table = tableView();
    AccessTableDelegate::Layout layout;
    layout.userColumn = TokensTableModel::Owner;
    layout.userIdRole = TokensTableModel::OwnerIdRole;
    layout.dateColumns = {TokensTableModel::Created, TokensTableModel::LastUsed};
    layout.attentionRole = TokensTableModel::UnusedFor90DaysRole;
    layout.createdColumn = TokensTableModel::Created;
    layout.lastUsedColumn = TokensTableModel::LastUsed;
    table->setItemDelegate(new AccessTableDelegate(layout, actor().userId, table));
    addTableAction(m_revokeAction);
    addTableAction(m_copyAction);
    addTableAction(m_selectAllAction);
    setDefaultAction(m_showOwnerAction);
    setNouns(tr("This platform has no API tokens. Users create their own with the CLI; New Token creates "
                "one for anybody."),
        tr("No token matches %1. The filter looks at token names and owners."));

    // The owner control sits at the right end of the toolbar, beside the filter field.
    QToolBar *bar = toolBar();
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_ownerFilter = new UserFilterButton(store().path(), tr("Owner"), bar);
    m_ownerFilter->setPrompt(tr("Show only the API tokens of one user."));
    bar->addWidget(m_ownerFilter);
    connect(m_ownerFilter, &UserFilterButton::userChanged, this, [this]() {
        banner()->clear();
        m_model->setOwnerFilter(m_ownerFilter->userId());
        updateActions();
    });

    filterField()->setPlaceholderText(
        tr("Token name or owner (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    setFootnote(tr("Tinted rows: not used for 90 days (or never, and created more than 90 days ago); tokens "
                   "never expire on the host. Enter shows only that owner's tokens; Delete revokes."));
}

void TokensPage::applyDefaultColumns()
{
    QTableView *table = tableView();
    QHeaderView *header = table->horizontalHeader();
    const QFontMetrics fm = table->fontMetrics();
    const int avg = fm.averageCharWidth();
    const int dateWidth = fm.horizontalAdvance(QStringLiteral("2026-12-31 23:59"));
    header->resizeSection(TokensTableModel::Name, 28 * avg + 24);
    header->resizeSection(TokensTableModel::Owner, 22 * avg + 24);
    header->resizeSection(TokensTableModel::Created, dateWidth + 32);
    header->resizeSection(TokensTableModel::LastUsed, dateWidth + 32);
    // Newest first, as the host lists them.
    header->setSortIndicator(TokensTableModel::Created, Qt::DescendingOrder);
}

void TokensPage::updateSummary()
{
    RecordsPage::updateSummary();
    if (!m_model || !m_ownerFilter || !m_ownerFilter->userId() || !m_model->filterText().isEmpty())
        return;
    setSummary(tr("Owner %1: %L2").arg(quotedName(m_ownerFilter->userName())).arg(m_model->totalRowCount()));
    if (m_model->totalRowCount() == 0)
        setEmptyMessage(tr("%1 has no API tokens.").arg(m_ownerFilter->userName()));
}

// --- state --------------------------------------------------------------------------------------

std::optional<TokensPage::Owner> TokensPage::selectedOwner() const
{
    if (!m_model)
        return std::nullopt;
    std::optional<Owner> owner;
    int looked = 0;
    // Row ranges, not a list of rows: a selection may hold a million rows.
    for (const QItemSelectionRange &range : tableView()->selectionModel()->selection()) {
        for (int row = range.top(); row <= range.bottom(); ++row) {
            const auto token = ++looked <= kInspectRows ? m_model->tokenAt(row) : std::nullopt;
            if (!token)
                return std::nullopt; // not loaded (or too many to look at): unknown
            if (owner && owner->id != token->userId)
                return std::nullopt; // several owners
            if (!owner)
                owner = Owner {token->userId, token->owner, owners::label(token->userId, token->owner)};
        }
    }
    return owner;
}

std::optional<TokensPage::Owner> TokensPage::actionOwner() const
{
    if (selectedCount() > 0)
        return selectedOwner();
    if (m_ownerFilter && m_ownerFilter->userId())
        return Owner {*m_ownerFilter->userId(), m_ownerFilter->userName(), m_ownerFilter->userName()};
    return std::nullopt;
}

void TokensPage::updateActions()
{
    const ActionGate gate = ActionGate::forPermission(store(), actor(), Permission::ManageUsers);
    const int count = m_model ? selectedCount() : 0;
    const std::optional<Owner> owner = actionOwner();
    const std::optional<Owner> rowOwner = m_model && count > 0 ? selectedOwner() : std::nullopt;

    gate.apply(m_newAction,
        owner && !owner->username.isEmpty()
            ? tr("Create an API token for %1; its secret is shown once").arg(owner->username)
            : tr("Create an API token for a user; its secret is shown once"),
        m_model != nullptr);
    gate.apply(m_revokeAction,
        count > 1        ? tr("Revoke the %L1 selected tokens, after a confirmation").arg(count)
            : count == 1 ? tr("Revoke the selected token, after a confirmation")
                         : tr("Revoke tokens (select them first)"),
        count > 0);
    gate.apply(m_revokeOwnerAction,
        owner ? tr("Revoke every API token of %1, after a confirmation").arg(owner->label)
              : tr("Revoke every token of one user (select a row of theirs, or filter by owner)"),
        owner.has_value());

    const bool viewing = m_model != nullptr;
    m_showOwnerAction->setEnabled(rowOwner.has_value());
    m_showOwnerAction->setToolTip(rowOwner ? tr("Show only the tokens of %1 (Enter)").arg(rowOwner->label)
                                           : tr("Show only the tokens of the selected row's owner (Enter)"));
    m_chooseOwnerAction->setEnabled(viewing);
    m_everyoneAction->setEnabled(viewing && m_ownerFilter && m_ownerFilter->userId().has_value());
    m_everyoneAction->setToolTip(tr("Show every user's tokens again"));
    m_copyAction->setEnabled(count > 0);
    m_selectAllAction->setEnabled(viewing && m_model->rowCount() > 0);
    m_refreshAction->setEnabled(viewing);
}

// --- actions ------------------------------------------------------------------------------------

void TokensPage::createToken()
{
    if (!m_model || !m_newAction->isEnabled())
        return;
    banner()->clear();
    auto *dialog = new CreateTokenDialog(store(), actor(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (const auto owner = actionOwner(); owner && !owner->username.isEmpty())
        dialog->setOwner(owner->id, owner->username);
    connect(dialog, &CreateTokenDialog::created, this, &TokensPage::showCreated);
    dialog->open();
}

void TokensPage::showCreated(const CreatedToken &token)
{
    // A filter on another owner would hide the new token.
    if (m_ownerFilter->userId() && *m_ownerFilter->userId() != token.record.userId)
        m_ownerFilter->setUser(token.record.userId, token.record.owner);
    selectToken(token.record.id);
    Q_EMIT statusMessage(
        tr("API token %1 created for %2").arg(quotedName(token.record.name), token.record.owner));
    auto *shown = new TokenCreatedDialog(token, *m_wiper, this);
    shown->setAttribute(Qt::WA_DeleteOnClose);
    shown->open();
}

void TokensPage::revokeSelected()
{
    if (!m_model || !m_revokeAction->isEnabled())
        return;
    banner()->clear();
    const QList<qint64> ids = idsForAction(kMaxBulkTokens);
    if (ids.isEmpty())
        return;
    auto counted = store().countTokens(actor(), PlatformStore::RevocationScope::rows(ids));
    if (!counted) {
        showFailure(tr("Could not revoke the tokens"), counted.error());
        return;
    }
    if (counted->missing > 0) {
        banner()->showMessage(InlineBanner::Kind::Info,
            tr("%L1 of the selected tokens were revoked meanwhile (by another program or the owner). Nothing "
               "was "
               "revoked; the table now shows the tokens that exist. Select again.")
                .arg(counted->missing));
        refresh();
        return;
    }

    // The names, when the rows are loaded (they are for anything selected by hand).
    QStringList names;
    int unnamed = 0;
    for (const int row : selectedRows()) {
        const auto token = m_model->tokenAt(row);
        if (token && names.size() < kListedNames)
            names
                << tr("%1 (of %2)").arg(quotedName(token->name), owners::label(token->userId, token->owner));
        else
            ++unnamed;
    }
    const std::optional<Owner> owner = selectedOwner();
    MessageBox::Options ask;
    ask.title = tr("Revoke API Tokens");
    if (ids.size() == 1 && !names.isEmpty()) {
        ask.text = tr("Revoke the API token %1?").arg(names.front());
        ask.informativeText = consequences();
    } else {
        if (counted->records == 1)
            ask.text = tr("Revoke this API token?");
        else if (owner)
            ask.text = tr("Revoke %L1 API tokens of %2?").arg(counted->records).arg(owner->label);
        else if (counted->users == 1)
            ask.text = tr("Revoke %L1 API tokens of one user?").arg(counted->records);
        else
            ask.text = tr("Revoke %L1 API tokens of %L2 users?").arg(counted->records).arg(counted->users);
        QString list = names.join(QStringLiteral(", "));
        if (unnamed > 0)
            list = names.isEmpty() ? QString() : tr("%1 and %L2 more").arg(list).arg(unnamed);
        ask.informativeText
            = list.isEmpty() ? consequences() : list + QStringLiteral(".\n\n") + consequences();
    }
    ask.accept = MessageBox::Button::Delete;
    ask.destructive = true;
    if (MessageBox::ask(this, ask) != MessageBox::Button::Delete)
        return;

    const QString done = ids.size() == 1 && !names.isEmpty()
        ? tr("Revoked the API token %1").arg(names.front())
        : tr("Revoked %L1 API tokens").arg(counted->records);
    runRevoke(ids, done);
}

void TokensPage::runRevoke(const QList<qint64> &ids, const QString &done)
{
    auto revoked = store().revokeTokens(actor(), ids);
    if (!revoked) {
        showFailure(tr("Could not revoke the tokens; none was revoked"), revoked.error(),
            [this, ids, done]() { runRevoke(ids, done); });
        if (revoked.error().code == Error::Code::NotFound)
            refresh();
        return;
    }
    banner()->clear();
    Q_EMIT statusMessage(done);
}

void TokensPage::revokeAllOfOwner()
{
    if (!m_model || !m_revokeOwnerAction->isEnabled())
        return;
    banner()->clear();
    const std::optional<Owner> owner = actionOwner();
    if (!owner)
        return;
    auto counted = store().countTokens(actor(), PlatformStore::RevocationScope::ofUser(owner->id));
    if (!counted) {
        showFailure(tr("Could not revoke the tokens of %1").arg(owner->label), counted.error());
        return;
    }
    if (counted->records == 0) {
        banner()->showMessage(
            InlineBanner::Kind::Info, tr("%1 has no API tokens (any more).").arg(owner->label));
        refresh();
        return;
    }
    MessageBox::Options ask;
    ask.title = tr("Revoke All Tokens of a User");
    ask.text = counted->records == 1
        ? tr("Revoke the only API token of %1?").arg(owner->label)
        : tr("Revoke all %L1 API tokens of %2?").arg(counted->records).arg(owner->label);
    ask.informativeText = consequences()
        + (owner->username.isEmpty()
                ? QString()
                : QLatin1Char(' ') + tr("%1's account and sessions stay as they are.").arg(owner->username));
    ask.accept = MessageBox::Button::Delete;
    ask.destructive = true;
    if (MessageBox::ask(this, ask) != MessageBox::Button::Delete)
        return;

    runRevokeOf(owner->id, owner->label);
}

void TokensPage::runRevokeOf(qint64 userId, const QString &label)
{
    auto revoked = store().revokeTokensOf(actor(), userId);
    if (!revoked) {
        showFailure(tr("Could not revoke the tokens of %1; none was revoked").arg(label), revoked.error(),
            [this, userId, label]() { runRevokeOf(userId, label); });
        return;
    }
    banner()->clear();
    Q_EMIT statusMessage(tr("Revoked %L1 API tokens of %2").arg(revoked.value()).arg(label));
}

void TokensPage::showOnlySelectedOwner()
{
    if (!m_ownerFilter || !m_showOwnerAction->isEnabled())
        return;
    if (const auto owner = selectedOwner())
        m_ownerFilter->setUser(owner->id, owner->label);
}

void TokensPage::copyNames()
{
    if (!m_model)
        return;
    QStringList names;
    for (const int row : selectedRows()) {
        if (const auto token = m_model->tokenAt(row))
            names << token->name;
    }
    if (!names.isEmpty())
        QGuiApplication::clipboard()->setText(names.join(QLatin1Char('\n')));
}

} // namespace rk
