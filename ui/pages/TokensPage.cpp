#include "TokensPage.h"

#include "ActionGate.h"
#include "AppSettings.h"
#include "IconFactory.h"
#include "store/PlatformStore.h"
#include "tables/TokensTableModel.h"
#include "tokens/ClipboardWiper.h"
#include "tokens/CreateTokenDialog.h"
#include "tokens/OwnerLabel.h"
#include "tokens/TokenCreatedDialog.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"
#include "widgets/UserFilterButton.h"

#include <QAction>
#include <QHeaderView>
#include <QLineEdit>
#include <QTableView>
#include <QToolBar>

namespace rk {

namespace {

const QString kSettingsKey = QStringLiteral("tokens");
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
    : UserRecordsPage(platform, acting, appSettings, parent), m_options(options)
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
    return menuActionsAfter({m_newAction, nullptr, revokeAction(), revokeUserAction()});
}

void TokensPage::createActions()
{
    setTexts({
        .revokeSeveral = tr("Revoke the %L1 selected tokens, after a confirmation"),
        .revokeOne = tr("Revoke the selected token, after a confirmation"),
        .revokeNone = tr("Revoke tokens (select them first)"),
        .revokeUser = tr("Revoke every API token of %1, after a confirmation"),
        .revokeUserNone = tr("Revoke every token of one user (select a row of theirs, or filter by owner)"),
        .showUser = tr("Show only the tokens of %1 (Enter)"),
        .showUserNone = tr("Show only the tokens of the selected row's owner (Enter)"),
        .everyone = tr("Show every user's tokens again"),
        .userSummary = tr("Owner %1: %L2"),
        .userHasNone = tr("%1 has no API tokens."),
        .countFailed = tr("Could not revoke the tokens"),
        .revokeFailed = tr("Could not revoke the tokens; none was revoked"),
        .countOfUserFailed = tr("Could not revoke the tokens of %1"),
        .revokeOfUserFailed = tr("Could not revoke the tokens of %1; none was revoked"),
        .noneLeftOfUser = tr("%1 has no API tokens (any more)."),
    });
    m_newAction = makeAction(tr("&New Token\u2026"), "newTokenAction", QKeySequence::New);
    createUserActions({
        .revoke = {tr("&Revoke\u2026"), "revokeTokenAction"},
        .revokeUser = {tr("Revoke &All of Owner's\u2026"), "revokeOwnerTokensAction"},
        .showUser = {tr("&Show Only This Owner's"), "showOwnerTokensAction"},
        .chooseUser = {tr("Filter by &Owner\u2026"), "chooseOwnerAction"},
        .everyone = {tr("Show &Everyone's"), "showEveryoneTokensAction"},
        .copy = {tr("&Copy Names"), "copyTokenNamesAction"},
        .selectAll = {tr("Select A&ll"), "selectAllTokensAction"},
        .refresh = {tr("Re&fresh"), "refreshTokensAction"},
        .refreshTip = tr("Read the tokens again from the database"),
        .chooseUserTip = tr("Show only the tokens of a user you choose"),
    });
    connect(m_newAction, &QAction::triggered, this, &TokensPage::createToken);

    QToolBar *bar = toolBar();
    bar->addAction(m_newAction);
    bar->addSeparator();
    bar->addAction(revokeAction());
    bar->addAction(revokeUserAction());
}

void TokensPage::setUpTable()
{
    AccessTableDelegate::Layout layout;
    layout.userColumn = TokensTableModel::Owner;
    layout.userIdRole = TokensTableModel::OwnerIdRole;
    layout.dateColumns = {TokensTableModel::Created, TokensTableModel::LastUsed};
    layout.attentionRole = TokensTableModel::UnusedFor90DaysRole;
    layout.createdColumn = TokensTableModel::Created;
    layout.lastUsedColumn = TokensTableModel::LastUsed;
    bindUserModel(m_model, layout, kSettingsKey, [this]() { applyDefaultColumns(); });
    setNouns(tr("This platform has no API tokens. Users create their own with the CLI; New Token creates "
                "one for anybody."),
        tr("No token matches %1. The filter looks at token names and owners."));
    // The owner control sits at the right end of the toolbar, beside the filter field.
    addUserFilter(tr("Owner"), tr("Show only the API tokens of one user."));

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

// --- the records --------------------------------------------------------------------------------

std::optional<TokensPage::User> TokensPage::userAt(int row) const
{
    const auto token = m_model->tokenAt(row);
    if (!token)
        return std::nullopt;
    return User {token->userId, token->owner, owners::label(token->userId, token->owner)};
}

std::optional<QString> TokensPage::copyTextAt(int row) const
{
    const auto token = m_model->tokenAt(row);
    if (!token)
        return std::nullopt;
    return token->name;
}

void TokensPage::filterModelByUser(std::optional<qint64> userId)
{
    m_model->setOwnerFilter(userId);
}

Result<PlatformStore::RevocationCount> TokensPage::countRecords(const PlatformStore::RevocationScope &scope)
{
    return store().countTokens(actor(), scope);
}

Result<int> TokensPage::revokeRecords(const QList<qint64> &ids)
{
    return store().revokeTokens(actor(), ids);
}

Result<int> TokensPage::revokeRecordsOf(qint64 userId)
{
    return store().revokeTokensOf(actor(), userId);
}

void TokensPage::updateOwnActions(const ActionGate &gate, const std::optional<User> &owner)
{
    gate.apply(m_newAction,
        owner && !owner->username.isEmpty()
            ? tr("Create an API token for %1; its secret is shown once").arg(owner->username)
            : tr("Create an API token for a user; its secret is shown once"),
        m_model != nullptr);
}

// --- actions ------------------------------------------------------------------------------------

void TokensPage::createToken()
{
    if (!m_model || !m_newAction->isEnabled())
        return;
    banner()->clear();
    auto *dialog = new CreateTokenDialog(store(), actor(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (const auto owner = actionUser(); owner && !owner->username.isEmpty())
        dialog->setOwner(owner->id, owner->username);
    connect(dialog, &CreateTokenDialog::created, this, &TokensPage::showCreated);
    dialog->open();
}

void TokensPage::showCreated(const CreatedToken &token)
{
    // A filter on another owner would hide the new token.
    if (ownerFilter()->userId() && *ownerFilter()->userId() != token.record.userId)
        ownerFilter()->setUser(token.record.userId, token.record.owner);
    selectToken(token.record.id);
    Q_EMIT statusMessage(
        tr("API token %1 created for %2").arg(quotedName(token.record.name), token.record.owner));
    auto *shown = new TokenCreatedDialog(token, *m_wiper, this);
    shown->setAttribute(Qt::WA_DeleteOnClose);
    shown->open();
}

// --- confirmations ------------------------------------------------------------------------------

QString TokensPage::missingText(int missing) const
{
    return tr("%L1 of the selected tokens were revoked meanwhile (by another program or the owner). Nothing "
              "was "
              "revoked; the table now shows the tokens that exist. Select again.")
        .arg(missing);
}

TokensPage::Confirmation TokensPage::confirmRevoke(
    const QList<qint64> &ids, const PlatformStore::RevocationCount &counted) const
{
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
    const std::optional<User> owner = selectedUser();
    Confirmation confirmation;
    MessageBox::Options &ask = confirmation.ask;
    ask.title = tr("Revoke API Tokens");
    if (ids.size() == 1 && !names.isEmpty()) {
        ask.text = tr("Revoke the API token %1?").arg(names.front());
        ask.informativeText = consequences();
    } else {
        if (counted.records == 1)
            ask.text = tr("Revoke this API token?");
        else if (owner)
            ask.text = tr("Revoke %L1 API tokens of %2?").arg(counted.records).arg(owner->label);
        else if (counted.users == 1)
            ask.text = tr("Revoke %L1 API tokens of one user?").arg(counted.records);
        else
            ask.text = tr("Revoke %L1 API tokens of %L2 users?").arg(counted.records).arg(counted.users);
        QString list = names.join(QStringLiteral(", "));
        if (unnamed > 0)
            list = names.isEmpty() ? QString() : tr("%1 and %L2 more").arg(list).arg(unnamed);
        ask.informativeText
            = list.isEmpty() ? consequences() : list + QStringLiteral(".\n\n") + consequences();
    }
    confirmation.done = ids.size() == 1 && !names.isEmpty()
        ? tr("Revoked the API token %1").arg(names.front())
        : tr("Revoked %L1 API tokens").arg(counted.records);
    return confirmation;
}

MessageBox::Options TokensPage::confirmRevokeOfUser(const User &owner, int records) const
{
    MessageBox::Options ask;
    ask.title = tr("Revoke All Tokens of a User");
    ask.text = records == 1 ? tr("Revoke the only API token of %1?").arg(owner.label)
                            : tr("Revoke all %L1 API tokens of %2?").arg(records).arg(owner.label);
    ask.informativeText = consequences()
        + (owner.username.isEmpty()
                ? QString()
                : QLatin1Char(' ') + tr("%1's account and sessions stay as they are.").arg(owner.username));
    return ask;
}

QString TokensPage::revokedOfUserText(int revoked, const QString &label) const
{
    return tr("Revoked %L1 API tokens of %2").arg(revoked).arg(label);
}

} // namespace rk
