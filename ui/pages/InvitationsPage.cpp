#include "InvitationsPage.h"

#include "ActionGate.h"
#include "AppSettings.h"
#include "IconFactory.h"
#include "connection/HostAdminService.h"
#include "core/HostTime.h"
#include "invitations/CreateInvitationDialog.h"
#include "invitations/HostInvitationActions.h"
#include "invitations/InvitationLinkDialog.h"
#include "invitations/InvitationsTableDelegate.h"
#include "mirror/HostMirror.h"
#include "store/PlatformStore.h"
#include "tables/InvitationsTableModel.h"
#include "useradmin/UsersTableDelegate.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QTableView>
#include <QToolBar>

namespace rk {

namespace {
const QString kSettingsKey = QStringLiteral("invitations");
constexpr int kPeriodicRefreshMs = 60 * 1000; // statuses move on (valid -> expired)
} // namespace

InvitationsPage::InvitationsPage(
    PlatformStore &platform, const Actor &acting, AppSettings &appSettings, QWidget *parent)
    : RecordsPage(platform, acting, appSettings, parent)
{
    setObjectName(QStringLiteral("invitationsPage"));
    setHeading(title());
    createActions();

    if (!roles::allows(acting.role, Permission::ManageUsers)) {
        if (roles::allows(acting.role, Permission::CreateInvitation)) {
            // The host's rule: operators may create viewer invitations, but not list or revoke any.
            showPlaceholder(
                tr("Signed in as %1 (%2). Listing and revoking invitations needs the %3 role, as on "
                   "the host. You can still invite viewers: New Invitation (%4).")
                    .arg(acting.username, roles::displayName(acting.role),
                        roles::displayName(roles::minimumFor(Permission::ManageUsers)),
                        m_newAction->shortcut().toString(QKeySequence::NativeText)));
        } else {
            showRoleRequirement(Permission::CreateInvitation, tr("Working with invitations"));
        }
        updateActions();
        return;
    }

    LazySqlTableModel::Options modelOptions;
    modelOptions.deferred = true; // loads when the page is first shown
    m_model = new InvitationsTableModel(platform.path(), modelOptions, this);
    setUpTable();
    setRefreshTables({StoreTable::Invitations, StoreTable::Groups, StoreTable::Users, StoreTable::Settings});
    setPeriodicRefresh(kPeriodicRefreshMs);
    updateActions();
}

InvitationsPage::~InvitationsPage() = default;

void InvitationsPage::setHostAdmin(HostAdminService *service)
{
    delete m_hostActions;
    m_hostActions = nullptr;
    m_hostService = service;
    if (service) {
        m_hostActions = new HostInvitationActions(actor(), *service, this);
        connect(m_hostActions, &HostInvitationActions::created, this, [this](qint64 id) {
            if (m_model)
                selectId(id); // once the sync brings it
        });
        connect(m_hostActions, &HostInvitationActions::finished, this, [this](const QString &message) {
            banner()->clear();
            Q_EMIT statusMessage(message);
        });
        connect(m_hostActions, &HostInvitationActions::partlyDone, this,
            [this](const QString &message) { banner()->showMessage(InlineBanner::Kind::Warning, message); });
        connect(m_hostActions, &HostInvitationActions::failed, this,
            [this](const QString &what, const Error &error) { showFailure(what, error); });
        connect(m_hostActions, &HostInvitationActions::progress, this, [this](int done, int total) {
            banner()->showMessage(InlineBanner::Kind::Info,
                tr("Revoking on the host: %L1 of %L2 answered\u2026").arg(done).arg(total));
            banner()->setAction(tr("Stop"), [this]() {
                if (m_hostActions)
                    m_hostActions->stop();
            });
        });
        connect(m_hostActions, &HostInvitationActions::busyChanged, this, &InvitationsPage::updateActions);
    }
    m_refreshAction->setToolTip(
        m_hostActions ? tr(
            "Read the invitations again from the local copy, which is synced from the host every minute and "
            "after every change made here")
                      : tr("Read the invitations again from the database"));
    if (m_model)
        updateFootnote();
    updateActions();
}

QString InvitationsPage::title() const
{
    return pageTitle();
}

QString InvitationsPage::pageTitle()
{
    return tr("Invitations");
}

QIcon InvitationsPage::icon() const
{
    return icons::invitationsIcon(palette().color(QPalette::WindowText));
}

QList<QAction *> InvitationsPage::menuActions() const
{
    QList<QAction *> actions {m_newAction, nullptr, m_showLinkAction, m_copyLinkAction, m_copyTokenAction,
        nullptr, m_revokeAction, nullptr, m_selectAllAction};
    if (QAction *columns = columnsMenuAction())
        actions << columns;
    actions << m_refreshAction;
    return actions;
}

void InvitationsPage::createActions()
{
    m_newAction = makeAction(tr("&New Invitation\u2026"), "newInvitationAction", QKeySequence::New);
    m_showLinkAction
        = makeAction(tr("&Show Link\u2026"), "showInvitationLinkAction", QKeySequence(Qt::CTRL | Qt::Key_L));
    // Copy, Delete and Select All only from the table: in the filter field these keys edit text.
    m_copyLinkAction
        = makeAction(tr("&Copy Link"), "copyInvitationLinkAction", QKeySequence::Copy, Qt::WidgetShortcut);
    m_copyTokenAction = makeAction(
        tr("Copy &Token"), "copyInvitationTokenAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_revokeAction
        = makeAction(tr("&Revoke\u2026"), "revokeInvitationAction", QKeySequence::Delete, Qt::WidgetShortcut);
    m_selectAllAction = makeAction(
        tr("Select A&ll"), "selectAllInvitationsAction", QKeySequence::SelectAll, Qt::WidgetShortcut);
    m_refreshAction = makeAction(tr("Re&fresh"), "refreshInvitationsAction", QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the invitations again from the database"));

    connect(m_newAction, &QAction::triggered, this, &InvitationsPage::createInvitation);
    connect(m_showLinkAction, &QAction::triggered, this, &InvitationsPage::showLink);
    connect(m_copyLinkAction, &QAction::triggered, this, &InvitationsPage::copyLinks);
    connect(m_copyTokenAction, &QAction::triggered, this, &InvitationsPage::copyToken);
    connect(m_revokeAction, &QAction::triggered, this, &InvitationsPage::revokeSelected);
    connect(m_selectAllAction, &QAction::triggered, this, &TablePage::selectAllRows);
    connect(m_refreshAction, &QAction::triggered, this, &InvitationsPage::refresh);

    QToolBar *bar = toolBar();
    bar->addAction(m_newAction);
    bar->addSeparator();
    bar->addAction(m_showLinkAction);
    bar->addAction(m_copyLinkAction);
    bar->addSeparator();
    bar->addAction(m_revokeAction);
}

void InvitationsPage::setUpTable()
{
    bindModel(m_model,
        {[this](int row) { return m_model->idAt(row); }, [this](qint64 id) { return m_model->rowOf(id); }},
        kSettingsKey, [this]() { applyDefaultColumns(); });
    QTableView *table = tableView();
    table->setItemDelegate(new InvitationsTableDelegate(table));
    addTableAction(m_copyLinkAction);
    // QAbstractItemView copies the current cell on Ctrl+C before the shortcut can fire.
    table->installEventFilter(this);
    addTableAction(m_revokeAction);
    addTableAction(m_selectAllAction);
    setDefaultAction(m_showLinkAction);
    setNouns(tr("This platform has no invitations. Create one with New Invitation."),
        tr("No invitation matches %1. The filter looks at tokens, roles, groups and creators."));
    filterField()->setPlaceholderText(
        tr("Token, role, group or creator (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    updateFootnote();
}

void InvitationsPage::applyDefaultColumns()
{
    QTableView *table = tableView();
    QHeaderView *header = table->horizontalHeader();
    const QFontMetrics fm = table->fontMetrics();
    const int avg = fm.averageCharWidth();
    auto fit = [&](int column, int contentWidth, int pad) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column, qMax(contentWidth, fm.horizontalAdvance(title)) + pad);
    };
    const int dateWidth = fm.horizontalAdvance(QStringLiteral("2026-12-31 23:59"));
    fit(InvitationsTableModel::Token, fm.horizontalAdvance(QStringLiteral("0123456789abcdef\u2026")), 24);
    fit(InvitationsTableModel::Role, fm.horizontalAdvance(QStringLiteral("operator")), 24);
    fit(InvitationsTableModel::Group, 14 * avg, 24);
    fit(InvitationsTableModel::Usage, fm.horizontalAdvance(QStringLiteral("100 / 1000")), 24);
    fit(InvitationsTableModel::Status, fm.horizontalAdvance(tr("Used up")) + 20, 24);
    fit(InvitationsTableModel::Expires, dateWidth, 24);
    fit(InvitationsTableModel::CreatedBy, 12 * avg, 24);
    fit(InvitationsTableModel::Created, dateWidth, 16);
    // Newest first, as the host lists them.
    header->setSortIndicator(InvitationsTableModel::Created, Qt::DescendingOrder);
}

bool InvitationsPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == tableView() && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        if (m_copyLinkAction->isEnabled())
            m_copyLinkAction->trigger();
        return true;
    }
    return RecordsPage::eventFilter(watched, event);
}

// --- state --------------------------------------------------------------------------------------

std::optional<InvitationRecord> InvitationsPage::selectedInvitation() const
{
    if (!m_model || currentId() < 0)
        return std::nullopt;
    auto inv = m_model->invitationAt(tableView()->currentIndex().row());
    if (inv)
        inv->link = store().registrationLink(inv->token);
    return inv;
}

bool InvitationsPage::hasBaseUrl()
{
    return !store().registrationLink(QStringLiteral("x")).isEmpty();
}

void InvitationsPage::updateActions()
{
    // Over a Host profile the file is the read-only mirror: the role decides, as on the host.
    const bool host = m_hostActions != nullptr;
    const ActionGate busy
        = ActionGate::unavailable(tr("A change is being sent to the host; wait until it ends."));
    const ActionGate create = !host
        ? ActionGate::forPermission(store(), actor(), Permission::CreateInvitation)
        : m_hostActions->isBusy() ? busy
                                  : ActionGate::forRole(actor(), Permission::CreateInvitation);
    const ActionGate manage = !host ? ActionGate::forPermission(store(), actor(), Permission::ManageUsers)
        : m_hostActions->isBusy()   ? busy
                                    : ActionGate::forRole(actor(), Permission::ManageUsers);
    const bool viewersOnly = !roles::allows(actor().role, Permission::ManageUsers);
    create.apply(m_newAction,
        viewersOnly
            ? tr("Create a viewer invitation link (operators can only invite viewers, as on the host)")
            : tr("Create an invitation link with a role, an optional group, a number of uses and an "
                 "expiry"));

    const int count = selectedCount();
    const auto one = selectedInvitation();
    const bool listed = m_model != nullptr;
    const QString noList = tr("Listing invitations needs the %1 role")
                               .arg(roles::displayName(roles::minimumFor(Permission::ManageUsers)));

    m_showLinkAction->setEnabled(one.has_value());
    m_showLinkAction->setToolTip(!listed ? noList
            : one ? tr("Show the registration link of invitation %1, with Copy (Enter)").arg(one->id)
                  : tr("Show an invitation's registration link (select one invitation)"));

    const bool baseUrl = listed && hasBaseUrl();
    m_copyLinkAction->setEnabled(count > 0 && baseUrl);
    m_copyLinkAction->setToolTip(!listed ? noList
            : !baseUrl
            ? tr("No base URL is set, so there is no link to copy yet: Show Link lets an administrator "
                 "set it")
            : count > 1
            ? tr("Copy the registration links of the %L1 selected invitations, one per line").arg(count)
            : tr("Copy the registration link"));
    m_copyTokenAction->setEnabled(one.has_value());
    m_copyTokenAction->setToolTip(!listed ? noList
            : one ? tr("Copy the token of invitation %1 (what the link carries)").arg(one->id)
                  : tr("Copy an invitation's token (select one invitation)"));

    manage.apply(m_revokeAction,
        count > 1 ? tr("Revoke the %L1 selected invitations: their links stop working").arg(count)
            : one ? tr("Revoke invitation %1: its link stops working").arg(one->id)
                  : tr("Revoke invitations (select them first)"),
        listed && count > 0);
    m_selectAllAction->setEnabled(listed && m_model->rowCount() > 0);
    m_refreshAction->setEnabled(listed);

    if (host) {
        // The mirror keeps a token prefix only: there is no link to show or copy afterwards.
        const ActionGate prefixOnly = ActionGate::unavailable(
            tr("Riverkeeper keeps only the first %1 characters of each invitation's token (a token is a "
               "secret), so the link is shown once, when the invitation is created. To hand out a link "
               "again, revoke the invitation and create a new one.")
                .arg(HostMirror::kInvitationTokenPrefix));
        for (QAction *action : {m_showLinkAction, m_copyLinkAction, m_copyTokenAction})
            prefixOnly.apply(action, QString());
    }
}

void InvitationsPage::updateSummary()
{
    RecordsPage::updateSummary();
    updateFootnote();
}

void InvitationsPage::updateFootnote()
{
    if (m_hostActions) {
        setFootnote(tr("The invitations as the host listed them at the last sync. Revoking deletes an "
                       "invitation on the host, one request each. Tokens are secrets: only their first %1 "
                       "characters are kept here, so a link is shown once, when it is created.")
                        .arg(HostMirror::kInvitationTokenPrefix));
        return;
    }
    QString note
        = tr("Revoking deletes an invitation (the host has no \u201crevoked\u201d state), so revoked "
             "invitations leave this list.");
    auto revoked = store().revokedInvitations(actor(), kRevokedDays);
    if (revoked && !revoked->empty()) {
        const RevokedInvitation &latest = revoked->front();
        const QDateTime at = hosttime::toDateTime(latest.revokedAt);
        note += QLatin1Char(' ')
            + tr("Riverkeeper's audit log has %L1 revoked in the last %2 days (latest: invitation %3, by %4, "
                 "%5).")
                  .arg(qint64(revoked->size()))
                  .arg(kRevokedDays)
                  .arg(latest.id)
                  .arg(latest.revokedBy,
                      at.isValid() ? UsersTableDelegate::formatDateTime(at) : latest.revokedAt);
    }
    if (!hasBaseUrl()) {
        note += QLatin1Char(' ')
            + tr("No base URL is set, so links cannot be built yet: Show Link (Enter) lets an administrator "
                 "set it.");
    }
    setFootnote(note);
}

// --- actions ------------------------------------------------------------------------------------

void InvitationsPage::createInvitation()
{
    if (!m_newAction->isEnabled())
        return;
    banner()->clear();
    if (m_hostActions) {
        m_hostActions->create();
        return;
    }
    auto *dialog = new CreateInvitationDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    if (!roles::allows(actor().role, Permission::ManageUsers)) {
        dialog->limitToViewer(
            tr("Operators can only invite viewers, as on the host; inviting another role needs "
               "the %1 role.")
                .arg(roles::displayName(Role::Admin)));
        dialog->disableGroups(tr("Choosing a group needs the %1 role: operators cannot list groups.")
                                  .arg(roles::displayName(Role::Admin)));
    } else if (auto groups = store().listGroups(actor())) {
        dialog->setGroups(groups.value());
    } else {
        dialog->disableGroups(tr("The groups could not be read: %1").arg(groups.error().message));
    }
    connect(dialog, &CreateInvitationDialog::submitted, this, [this, dialog]() {
        auto created = store().createInvitation(actor(), dialog->invitation());
        if (!created) {
            dialog->showError(created.error().message);
            return;
        }
        dialog->accept();
        if (m_model)
            selectId(created->id);
        Q_EMIT statusMessage(tr("Invitation %1 created").arg(created->id));
        auto *result = new InvitationLinkDialog(
            store(), actor(), created.value(), InvitationLinkDialog::Occasion::Created, this);
        result->setAttribute(Qt::WA_DeleteOnClose);
        result->setWindowModality(Qt::WindowModal);
        connect(result, &InvitationLinkDialog::statusMessage, this, &Page::statusMessage);
        result->open();
    });
    dialog->open();
}

void InvitationsPage::showLink()
{
    const auto invitation = selectedInvitation();
    if (!invitation || !m_showLinkAction->isEnabled())
        return;
    auto *dialog = new InvitationLinkDialog(
        store(), actor(), *invitation, InvitationLinkDialog::Occasion::Existing, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &InvitationLinkDialog::statusMessage, this, &Page::statusMessage);
    // The base URL may be set there: the copy actions follow.
    connect(dialog, &QDialog::finished, this, [this]() {
        updateActions();
        updateFootnote();
    });
    dialog->open();
}

void InvitationsPage::copyLinks()
{
    if (!m_model || !m_copyLinkAction->isEnabled())
        return;
    QStringList links;
    for (int row : selectedRows()) {
        const QString token = m_model->index(row, 0).data(InvitationsTableModel::FullTokenRole).toString();
        const QString link = store().registrationLink(token);
        if (!link.isEmpty())
            links << link;
    }
    if (links.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(links.join(QLatin1Char('\n')));
    Q_EMIT statusMessage(links.size() == 1 ? tr("Invitation link copied")
                                           : tr("%L1 invitation links copied").arg(links.size()));
}

void InvitationsPage::copyToken()
{
    const auto invitation = selectedInvitation();
    if (!invitation || !m_copyTokenAction->isEnabled())
        return;
    QGuiApplication::clipboard()->setText(invitation->token);
    Q_EMIT statusMessage(tr("Token of invitation %1 copied").arg(invitation->id));
}

void InvitationsPage::revokeSelected()
{
    if (!m_model || !m_revokeAction->isEnabled())
        return;
    banner()->clear();
    const QList<qint64> ids = idsForAction(kMaxRevoke);
    if (ids.isEmpty())
        return;
    MessageBox::Options options;
    options.title = tr("Revoke Invitations");
    if (const auto one = selectedInvitation(); one && ids.size() == 1) {
        options.text = tr("Revoke invitation %1 (%2, %3 used)?")
                           .arg(one->id)
                           .arg(roles::displayName(roles::fromString(one->role)),
                               QStringLiteral("%1 / %2").arg(one->usageCount).arg(one->maxUsage));
    } else {
        options.text = tr("Revoke the %L1 selected invitations?").arg(ids.size());
    }
    options.informativeText = m_hostActions
        ? tr("Their links stop working at once: nobody can register with them any more. Accounts already "
             "created with them are kept. The host deletes each invitation (one request each; it has no "
             "\u201crevoked\u201d state); this profile's audit log keeps the record.")
        : tr("Their links stop working at once: nobody can register with them any more. Accounts already "
             "created with them are kept. The host has no \u201crevoked\u201d state, so the invitations are "
             "deleted and leave this list; Riverkeeper's audit log keeps the record.");
    options.accept = MessageBox::Button::Delete;
    options.destructive = true;
    if (MessageBox::ask(this, options) != MessageBox::Button::Delete)
        return;
    if (m_hostActions) {
        m_hostActions->revoke(ids);
        return;
    }
    auto revoked = store().revokeInvitations(actor(), ids);
    if (!revoked) {
        showFailure(tr("Could not revoke the invitations"), revoked.error(), [this]() { revokeSelected(); });
        return;
    }
    Q_EMIT statusMessage(revoked.value() == 1 ? tr("Invitation %1 revoked").arg(ids.front())
                                              : tr("%L1 invitations revoked").arg(revoked.value()));
}

} // namespace rk
