#include "GroupsPage.h"

#include "ActionGate.h"
#include "AppSettings.h"
#include "IconFactory.h"
#include "groups/GroupDialog.h"
#include "groups/GroupMembersPanel.h"
#include "store/PlatformStore.h"
#include "tables/GroupsTableModel.h"
#include "tables/LazySqlTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"
#include "widgets/PlainItemDelegate.h"

#include <QAction>
#include <QBoxLayout>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>

namespace rk {

namespace {

const QString kSettingsKey = QStringLiteral("groups");
// AppSettings keeps layout blobs by key; the splitter's sits beside the tables' headers.
const QString kSplitterKey = QStringLiteral("groupsSplitter");

// A group form for the page, checking names against the store as they are typed (one indexed
// lookup); deleted when closed.
GroupDialog *openDialog(GroupsPage *page, PlatformStore &store, const Actor &actor, GroupDialog::Mode mode,
    const QString &objectName)
{
    auto *dialog = new GroupDialog(
        mode,
        [&store, actor](const QString &name) -> QString {
            // Only a definite answer counts here; anything else is left to the store's own check.
            if (store.groupByName(actor, name))
                return GroupsPage::tr("A group named %1 already exists.").arg(quotedName(name));
            return {};
        },
        page);
    dialog->setObjectName(objectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    return dialog;
}

} // namespace

GroupsPage::GroupsPage(
    PlatformStore &platform, const Actor &acting, AppSettings &appSettings, QWidget *parent)
    : RecordsPage(platform, acting, appSettings, parent)
{
    setObjectName(QStringLiteral("groupsPage"));
    setHeading(title());
    createActions();

    if (!roles::allows(acting.role, Permission::ViewUsers)) {
        showRoleRequirement(Permission::ViewUsers, tr("Viewing groups"));
        updateActions();
        return;
    }

    LazySqlTableModel::Options modelOptions;
    modelOptions.deferred = true; // loads when the page is first shown
    m_model = new GroupsTableModel(platform.path(), modelOptions, this);
    setUpTable();
    installDetailPane();

    m_syncTimer.setSingleShot(true);
    m_syncTimer.setInterval(0);
    connect(&m_syncTimer, &QTimer::timeout, this, &GroupsPage::syncDetailPane);

    // This app's own changes (member counts, names in the users table), and the host's.
    setRefreshTables({StoreTable::Groups, StoreTable::Memberships, StoreTable::Users});
    updateActions();
}

GroupsPage::~GroupsPage()
{
    if (m_splitter)
        settings().setTableHeaderState(kSplitterKey, m_splitter->saveState());
}

QString GroupsPage::title() const
{
    return pageTitle();
}

QString GroupsPage::pageTitle()
{
    return tr("Groups");
}

QIcon GroupsPage::icon() const
{
    return icons::groupsIcon(palette().color(QPalette::WindowText));
}

QList<QAction *> GroupsPage::menuActions() const
{
    QList<QAction *> actions {m_newAction, m_renameAction, m_limitsAction, nullptr, m_deleteAction, nullptr,
        m_openAction, m_copyAction};
    if (m_panel) {
        // Member actions that need a member selection are in the members' own context menu.
        actions << nullptr;
        actions << m_panel->pageActions();
    }
    actions << nullptr;
    if (QAction *columns = columnsMenuAction())
        actions << columns;
    actions << m_refreshAction;
    return actions;
}

void GroupsPage::createActions()
{
    const auto make = [this](const QString &text, const char *name, const QKeySequence &shortcut,
                          Qt::ShortcutContext context = Qt::WidgetWithChildrenShortcut) {
        return makeAction(text, name, shortcut, context);
    };
    m_newAction = make(tr("&New Group\u2026"), "newGroupAction", QKeySequence::New);
    m_limitsAction
        = make(tr("&Limits and Tier\u2026"), "editLimitsAction", QKeySequence(Qt::CTRL | Qt::Key_E));
    m_openAction
        = make(tr("Go to &Members"), "openGroupAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    // Only from the groups table: in the members table F2, Delete and Copy act on members.
    m_renameAction
        = make(tr("&Rename\u2026"), "renameGroupAction", QKeySequence(Qt::Key_F2), Qt::WidgetShortcut);
    m_deleteAction
        = make(tr("&Delete Group\u2026"), "deleteGroupAction", QKeySequence::Delete, Qt::WidgetShortcut);
    m_copyAction = make(tr("Copy &Name"), "copyGroupNameAction", QKeySequence::Copy, Qt::WidgetShortcut);
    m_refreshAction = make(tr("Re&fresh"), "refreshGroupsAction", QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the groups and members again from the database"));

    connect(m_newAction, &QAction::triggered, this, &GroupsPage::createGroup);
    connect(m_renameAction, &QAction::triggered, this, &GroupsPage::renameSelected);
    connect(m_limitsAction, &QAction::triggered, this, &GroupsPage::editSelectedLimits);
    connect(m_deleteAction, &QAction::triggered, this, &GroupsPage::deleteSelected);
    connect(m_copyAction, &QAction::triggered, this, &GroupsPage::copyName);
    connect(m_openAction, &QAction::triggered, this, [this]() {
        if (m_panel && m_openAction->isEnabled())
            m_panel->focusMembers();
    });
    connect(m_refreshAction, &QAction::triggered, this, &GroupsPage::refreshAll);

    QToolBar *bar = toolBar();
    bar->addAction(m_newAction);
    bar->addSeparator();
    bar->addAction(m_renameAction);
    bar->addAction(m_limitsAction);
    bar->addSeparator();
    bar->addAction(m_deleteAction);
}

void GroupsPage::setUpTable()
{
    bindModel(m_model,
        {[this](int row) { return m_model->idAt(row); }, [this](qint64 id) { return m_model->rowOf(id); }},
        kSettingsKey, [this]() { applyDefaultColumns(); });
    // One group at a time: the detail pane shows it.
    tableView()->setSelectionMode(QAbstractItemView::SingleSelection);
    tableView()->setItemDelegate(new PlainItemDelegate(tableView()));
    addTableAction(m_renameAction);
    addTableAction(m_deleteAction);
    addTableAction(m_copyAction);
    setDefaultAction(m_openAction);
    setNouns(tr("This platform has no groups yet. New Group\u2026 (%1) creates one.")
                 .arg(m_newAction->shortcut().toString(QKeySequence::NativeText)),
        tr("No group matches %1. The filter looks at group names."));
    filterField()->setPlaceholderText(
        tr("Group name (%1)").arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    const QString enforcement
        = tr("Role overrides, tiers and limits are stored for the platform: the host does "
             "not enforce group roles or limits yet.");
    const ActionGate gate = ActionGate::forPermission(store(), actor(), Permission::ManageUsers);
    const QString keys = gate.allowed
        ? tr("Enter on a group moves to its members (Esc comes back); F2 renames; Delete deletes.")
        : tr("Enter on a group moves to its members (Esc comes back). %1").arg(gate.reason);
    setFootnote(keys + QLatin1Char(' ') + enforcement);
}

void GroupsPage::installDetailPane()
{
    m_panel = new GroupMembersPanel(store(), actor(), settings(), this);
    m_panel->setLimitsAction(m_limitsAction);
    for (QAction *action : m_panel->pageActions())
        addAction(action);
    connect(m_panel, &GroupMembersPanel::statusMessage, this, [this](const QString &message) {
        banner()->clear();
        Q_EMIT statusMessage(message);
    });
    connect(m_panel, &GroupMembersPanel::failed, this,
        [this](const QString &what, const Error &error) { showFailure(what, error); });
    connect(m_panel, &GroupMembersPanel::notice, this,
        [this](const QString &text) { banner()->showMessage(InlineBanner::Kind::Info, text); });
    connect(m_panel, &GroupMembersPanel::leaveRequested, this, [this]() { tableView()->setFocus(); });

    // TablePage lays the table's stack out on its own; put it and the pane into a splitter there.
    QWidget *body = tableView()->parentWidget();
    auto *box = qobject_cast<QBoxLayout *>(layout());
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("groupsSplitter"));
    m_splitter->setChildrenCollapsible(false);
    if (box && body) {
        delete box->replaceWidget(body, m_splitter);
        m_splitter->addWidget(body);
    }
    m_splitter->addWidget(m_panel);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    const QByteArray saved = settings().tableHeaderState(kSplitterKey);
    if (saved.isEmpty() || !m_splitter->restoreState(saved))
        m_splitter->setSizes({240, 360});
    m_splitterSaveTimer.setSingleShot(true);
    m_splitterSaveTimer.setInterval(500);
    connect(&m_splitterSaveTimer, &QTimer::timeout, this,
        [this]() { settings().setTableHeaderState(kSplitterKey, m_splitter->saveState()); });
    connect(m_splitter, &QSplitter::splitterMoved, &m_splitterSaveTimer, qOverload<>(&QTimer::start));
}

void GroupsPage::applyDefaultColumns()
{
    QTableView *table = tableView();
    QHeaderView *header = table->horizontalHeader();
    const QFontMetrics fm = table->fontMetrics();
    const int avg = fm.averageCharWidth();
    auto fit = [&](int column, int contentWidth, int pad) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column, qMax(contentWidth, fm.horizontalAdvance(title)) + pad);
    };
    fit(GroupsTableModel::Name, 22 * avg, 24);
    fit(GroupsTableModel::Tier, 4 * avg, 24);
    fit(GroupsTableModel::Members, 7 * avg, 24);
    fit(GroupsTableModel::MaxTasks, 7 * avg, 24);
    fit(GroupsTableModel::MaxVps, 6 * avg, 24);
    fit(GroupsTableModel::GpuCap, 6 * avg, 24);
    fit(GroupsTableModel::Created, fm.horizontalAdvance(QStringLiteral("2026-12-31 23:59")), 16);
    header->setSortIndicator(GroupsTableModel::Name, Qt::AscendingOrder);
}

// --- state --------------------------------------------------------------------------------------

std::optional<GroupRecord> GroupsPage::selectedGroup() const
{
    if (!m_model || currentId() < 0)
        return std::nullopt;
    auto group = m_model->groupAt(tableView()->currentIndex().row());
    if (!group || group->id != currentId())
        return std::nullopt;
    return group;
}

void GroupsPage::updateActions()
{
    const ActionGate gate = ActionGate::forPermission(store(), actor(), Permission::ManageUsers);
    const std::optional<GroupRecord> group = selectedGroup();
    const bool one = group.has_value();
    const QString name = one ? quotedName(group->name) : QString();

    gate.apply(m_newAction, tr("Create a group with its tier and quotas"), m_model != nullptr);
    gate.apply(m_renameAction, one ? tr("Rename %1").arg(name) : tr("Rename a group (select one)"), one);
    gate.apply(m_limitsAction,
        one ? tr("Edit the tier and the quotas of %1 (max tasks, max VPS, GPU cap)").arg(name)
            : tr("Edit a group's tier and quotas (select one)"),
        one);
    gate.apply(m_deleteAction,
        one ? tr("Delete %1 and its memberships (%L2); the members' accounts stay")
                  .arg(name)
                  .arg(group->memberCount)
            : tr("Delete a group (select one)"),
        one);
    m_openAction->setEnabled(one);
    m_openAction->setToolTip(one ? tr("Move to the members of %1 (Enter)").arg(name)
                                 : tr("Move to the members of the selected group (Enter)"));
    m_copyAction->setEnabled(one);
    m_refreshAction->setEnabled(m_model != nullptr);
    if (m_panel)
        m_syncTimer.start();
}

void GroupsPage::syncDetailPane()
{
    if (!m_panel)
        return;
    const qint64 id = currentId();
    if (id < 0) {
        if (m_panel->groupId())
            m_panel->setGroup(std::nullopt);
        return;
    }
    // A row not loaded yet keeps what the pane shows; its dataChanged() brings it here again.
    if (const auto group = selectedGroup())
        m_panel->setGroup(group);
}

std::optional<GroupRecord> GroupsPage::freshSelectedGroup(const QString &what)
{
    const qint64 id = currentId();
    if (id < 0)
        return std::nullopt;
    auto group = store().group(actor(), id);
    if (!group) {
        showFailure(what, group.error(), [this]() { refresh(); });
        refresh();
        return std::nullopt;
    }
    return group.value();
}

// --- actions ------------------------------------------------------------------------------------

void GroupsPage::createGroup()
{
    if (!m_model || !m_newAction->isEnabled())
        return;
    banner()->clear();
    GroupDialog *dialog
        = openDialog(this, store(), actor(), GroupDialog::Mode::Create, QStringLiteral("createGroupDialog"));
    connect(dialog, &GroupDialog::submitted, this, [this, dialog]() {
        const QString name = dialog->name();
        auto id = store().createGroup(
            actor(), name, dialog->tier(), dialog->limitsJson().value_or(QStringLiteral("{}")));
        if (!id) {
            dialog->showError(asSentence(id.error().message));
            return;
        }
        dialog->accept();
        selectGroup(id.value());
        Q_EMIT statusMessage(tr("Group %1 created.").arg(quotedName(name)));
    });
    dialog->open();
}

void GroupsPage::renameSelected()
{
    if (!m_renameAction->isEnabled())
        return;
    banner()->clear();
    const auto group = freshSelectedGroup(tr("Could not rename the group"));
    if (!group)
        return;
    GroupDialog *dialog
        = openDialog(this, store(), actor(), GroupDialog::Mode::Rename, QStringLiteral("renameGroupDialog"));
    dialog->setGroup(*group);
    connect(dialog, &GroupDialog::submitted, this, [this, dialog]() {
        const GroupRecord before = dialog->group();
        const QString name = dialog->name();
        const Status st = store().renameGroup(actor(), before.id, name);
        if (!st) {
            dialog->showError(asSentence(st.error().message));
            return;
        }
        dialog->accept();
        Q_EMIT statusMessage(tr("Group %1 renamed to %2.").arg(quotedName(before.name), quotedName(name)));
    });
    dialog->open();
}

void GroupsPage::editSelectedLimits()
{
    if (!m_limitsAction->isEnabled())
        return;
    banner()->clear();
    const auto group = freshSelectedGroup(tr("Could not edit the limits"));
    if (!group)
        return;
    GroupDialog *dialog
        = openDialog(this, store(), actor(), GroupDialog::Mode::Limits, QStringLiteral("groupLimitsDialog"));
    dialog->setGroup(*group);
    connect(dialog, &GroupDialog::submitted, this, [this, dialog]() {
        const GroupRecord before = dialog->group();
        const GroupChanges changes = dialog->changes();
        if (!changes.tier && !changes.limitsJson) {
            dialog->accept();
            return;
        }
        const Status st = store().updateGroup(actor(), before.id, changes);
        if (!st) {
            dialog->showError(asSentence(st.error().message));
            return;
        }
        dialog->accept();
        Q_EMIT statusMessage(tr("Limits and tier of %1 saved.").arg(quotedName(before.name)));
    });
    dialog->open();
}

void GroupsPage::deleteSelected()
{
    if (!m_deleteAction->isEnabled())
        return;
    banner()->clear();
    const auto group = freshSelectedGroup(tr("Could not delete the group"));
    if (!group)
        return;
    MessageBox::Options box;
    box.title = tr("Delete Group");
    box.text = group->memberCount > 0
        ? tr("Delete %1 and its %L2 memberships?").arg(quotedName(group->name)).arg(group->memberCount)
        : tr("Delete %1? It has no members.").arg(quotedName(group->name));
    box.informativeText = tr("Invitations naming it keep no group. The members' accounts stay; only their "
                             "membership in this group (and its role overrides) goes.");
    box.accept = MessageBox::Button::Delete;
    box.destructive = true;
    if (MessageBox::ask(this, box) != MessageBox::Button::Delete)
        return;
    const Status st = store().deleteGroup(actor(), group->id);
    if (!st) {
        showFailure(tr("Could not delete %1").arg(quotedName(group->name)), st.error(),
            [this]() { deleteSelected(); });
        return;
    }
    Q_EMIT statusMessage(tr("Group %1 deleted.").arg(quotedName(group->name)));
}

void GroupsPage::copyName()
{
    if (const auto group = selectedGroup())
        QGuiApplication::clipboard()->setText(group->name);
}

void GroupsPage::refreshAll()
{
    refresh();
    if (m_panel)
        m_panel->refresh();
}

} // namespace rk
