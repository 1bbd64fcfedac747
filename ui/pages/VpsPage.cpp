#include "VpsPage.h"

#include "ActionGate.h"
#include "AppSettings.h"
#include "IconFactory.h"
#include "store/PlatformStore.h"
#include "tables/VpsTableModel.h"
#include "vps/GroupChoiceDialog.h"
#include "vps/VpsAssignmentsPane.h"
#include "vps/VpsTableDelegate.h"
#include "vps/VpsUsersModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"
#include "widgets/UserPickerDialog.h"

#include <QAction>
#include <QBoxLayout>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>

#include <algorithm>

namespace rk {

namespace {

const QString kSettingsKey = QStringLiteral("vps");
constexpr int kMaxNamesShown = 6;

// "alice, bob and 3 more"
QString nameList(const QStringList &names)
{
    if (names.size() <= kMaxNamesShown)
        return names.join(QStringLiteral(", "));
    return VpsPage::tr("%1 and %L2 more")
        .arg(names.mid(0, kMaxNamesShown).join(QStringLiteral(", ")))
        .arg(names.size() - kMaxNamesShown);
}

QString nameOf(const VpsAssignment &a)
{
    return a.username.isEmpty() ? VpsPage::tr("deleted user %1").arg(a.userId) : a.username;
}

QString groupsOf(const VpsAssignment &a)
{
    QStringList names;
    for (qsizetype i = 0; i < a.viaGroups.size(); ++i)
        names << (a.viaGroups.at(i).isEmpty() ? VpsPage::tr("group %1").arg(a.viaGroupIds.value(i))
                                              : a.viaGroups.at(i));
    return names.join(QStringLiteral(", "));
}

} // namespace

VpsPage::VpsPage(PlatformStore &platform, const Actor &acting, AppSettings &appSettings, QWidget *parent)
    : RecordsPage(platform, acting, appSettings, parent)
{
    setObjectName(QStringLiteral("vpsPage"));
    setHeading(title());
    createActions();

    if (!roles::allows(acting.role, Permission::ViewTasks)) {
        showRoleRequirement(Permission::ViewTasks, tr("Viewing VPS"));
        updateActions();
        return;
    }

    LazySqlTableModel::Options modelOptions;
    modelOptions.deferred = true; // loads when the page is first shown
    m_model = new VpsTableModel(platform.path(), platform.tracksVpsGroups(), modelOptions, this);
    m_pane = new VpsAssignmentsPane(platform, acting, this);
    setUpTable();

    // The table and the pane share the space below the toolbar. TablePage has no detail slot, so
    // its body (the table or the placeholder) moves into a splitter with the pane under it.
    QWidget *body = tableView()->parentWidget();
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("vpsSplitter"));
    splitter->setChildrenCollapsible(false);
    if (auto *box = qobject_cast<QBoxLayout *>(layout())) {
        const int at = box->indexOf(body);
        box->insertWidget(at, splitter, 1);
        splitter->addWidget(body);
        splitter->addWidget(m_pane);
        splitter->setStretchFactor(0, 1);
        splitter->setStretchFactor(1, 1);
    }

    connect(m_pane, &VpsAssignmentsPane::selectionChanged, this, &VpsPage::updateActions);
    connect(m_pane, &VpsAssignmentsPane::failed, this,
        [this](const QString &what, const Error &error) { showFailure(what, error); });
    connect(tableView()->selectionModel(), &QItemSelectionModel::selectionChanged, this, &VpsPage::syncPane);
    connect(m_model, &VpsTableModel::windowLoaded, this, &VpsPage::syncPane);

    // This app's changes and the host's (the store's PRAGMA data_version watch): the counts in
    // the table (RecordsPage refreshes it) and the pane.
    const QSet<StoreTable> tables {
        StoreTable::VpsAssignments, StoreTable::Memberships, StoreTable::Groups, StoreTable::Users};
    setRefreshTables(tables);
    m_paneRefresh.setSingleShot(true);
    m_paneRefresh.setInterval(0);
    connect(&m_paneRefresh, &QTimer::timeout, m_pane, &VpsAssignmentsPane::reload);
    connect(&platform, &PlatformStore::changed, this, [this, tables](StoreTable table) {
        if (tables.contains(table))
            m_paneRefresh.start();
    });
    connect(&platform, &PlatformStore::externalChange, &m_paneRefresh, qOverload<>(&QTimer::start));
    updateActions();
}

VpsPage::~VpsPage() = default;

QString VpsPage::title() const
{
    return pageTitle();
}

QString VpsPage::pageTitle()
{
    return tr("VPS");
}

QIcon VpsPage::icon() const
{
    return icons::vpsIcon(palette().color(QPalette::WindowText));
}

QList<QAction *> VpsPage::menuActions() const
{
    QList<QAction *> actions {m_assignUsersAction, m_assignGroupAction, nullptr, m_unassignUsersAction,
        m_unassignGroupAction, nullptr, m_showAssignmentsAction, m_copyAction, nullptr};
    if (QAction *columns = columnsMenuAction())
        actions << columns;
    actions << m_refreshAction;
    return actions;
}

void VpsPage::createActions()
{
    const auto ctrlShift = [](Qt::Key key) { return QKeySequence(Qt::CTRL | Qt::SHIFT | key); };
    m_assignUsersAction = makeAction(tr("Assign &Users\u2026"), "assignVpsUsersAction", ctrlShift(Qt::Key_U));
    m_assignGroupAction = makeAction(tr("Assign &Group\u2026"), "assignVpsGroupAction", ctrlShift(Qt::Key_G));
    // Delete in the pane's lists: the users list unassigns users, the groups list the group.
    m_unassignUsersAction = makeAction(
        tr("U&nassign Users\u2026"), "unassignVpsUsersAction", QKeySequence::Delete, Qt::WidgetShortcut);
    m_unassignGroupAction = makeAction(
        tr("Unassign Gr&oup\u2026"), "unassignVpsGroupAction", QKeySequence::Delete, Qt::WidgetShortcut);
    m_showAssignmentsAction = makeAction(tr("Show &Assignments"), "showVpsAssignmentsAction");
    m_copyAction
        = makeAction(tr("&Copy Task IDs"), "copyVpsTaskIdAction", QKeySequence::Copy, Qt::WidgetShortcut);
    m_refreshAction = makeAction(tr("Re&fresh"), "refreshVpsAction", QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the VPS and their assignments again from the database"));

    connect(m_assignUsersAction, &QAction::triggered, this, &VpsPage::assignUsers);
    connect(m_assignGroupAction, &QAction::triggered, this, &VpsPage::assignGroup);
    connect(m_unassignUsersAction, &QAction::triggered, this, &VpsPage::unassignUsers);
    connect(m_unassignGroupAction, &QAction::triggered, this, &VpsPage::unassignGroup);
    connect(m_showAssignmentsAction, &QAction::triggered, this, &VpsPage::showAssignments);
    connect(m_copyAction, &QAction::triggered, this, &VpsPage::copyTaskIds);
    connect(m_refreshAction, &QAction::triggered, this, [this]() {
        refresh();
        if (m_pane)
            m_pane->reload();
    });

    QToolBar *bar = toolBar();
    bar->addAction(m_assignUsersAction);
    bar->addAction(m_assignGroupAction);
    bar->addSeparator();
    bar->addAction(m_unassignUsersAction);
    bar->addAction(m_unassignGroupAction);
}

void VpsPage::setUpTable()
{
    bindModel(m_model,
        {[this](int row) { return m_model->idAt(row); }, [this](qint64 id) { return m_model->rowOf(id); }},
        kSettingsKey, [this]() { applyDefaultColumns(); });
    QTableView *table = tableView();
    table->setItemDelegate(new VpsTableDelegate(VpsTableModel::Status, true, table));
    addTableAction(m_copyAction);
    // QAbstractItemView copies the current cell on Ctrl+C before the shortcut can fire.
    table->installEventFilter(this);
    setDefaultAction(m_showAssignmentsAction);
    setNouns(tr("This platform has no VPS. They are created through the host (its dashboard or "
                "POST /api/vps/create)."),
        tr("No VPS matches %1. The filter looks at names, task ids, owners, statuses, nodes and backends."));
    filterField()->setPlaceholderText(
        tr("Name, id, owner, status or node (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    setFootnote(
        tr("Riverkeeper changes who may use a VPS; creating, stopping and restarting them is the host's "
           "work. Enter moves to the assignments of the selected VPS."));

    QTableView *users = m_pane->usersTable();
    users->addAction(m_assignUsersAction);
    users->addAction(m_unassignUsersAction);
    QTableView *groups = m_pane->groupsTable();
    groups->addAction(m_assignGroupAction);
    groups->addAction(m_unassignGroupAction);
}

void VpsPage::applyDefaultColumns()
{
    QTableView *table = tableView();
    QHeaderView *header = table->horizontalHeader();
    const QFontMetrics fm = table->fontMetrics();
    const int avg = fm.averageCharWidth();
    auto fit = [&](int column, int contentWidth, int pad) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column, qMax(contentWidth, fm.horizontalAdvance(title)) + pad);
    };
    fit(VpsTableModel::Name, 16 * avg, 24);
    fit(VpsTableModel::TaskId, fm.horizontalAdvance(QStringLiteral("7391245671234567891")), 24);
    fit(VpsTableModel::Owner, 12 * avg, 24);
    fit(VpsTableModel::Status, fm.horizontalAdvance(QStringLiteral("pending_approval")), 24);
    fit(VpsTableModel::Node, 12 * avg, 24);
    fit(VpsTableModel::Backend, fm.horizontalAdvance(QStringLiteral("docker")), 24);
    fit(VpsTableModel::Assignees, fm.horizontalAdvance(VpsTableModel::assigneesText(12, 10)), 24);
    fit(VpsTableModel::Submitted, fm.horizontalAdvance(QStringLiteral("2026-12-31 23:59")), 16);
    header->setSortIndicator(VpsTableModel::Submitted, Qt::DescendingOrder);
}

bool VpsPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == tableView() && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        if (m_copyAction->isEnabled())
            m_copyAction->trigger();
        return true;
    }
    return RecordsPage::eventFilter(watched, event);
}

// --- state --------------------------------------------------------------------------------------

void VpsPage::syncPane()
{
    if (!m_pane)
        return;
    const qint64 id = currentId();
    if (id != m_pane->taskId())
        m_pane->showVps(id);
}

void VpsPage::updateActions()
{
    const ActionGate gate = ActionGate::forPermission(store(), actor(), Permission::ManageVps);
    const bool shown = m_pane && m_pane->isLoaded();
    const QString vps = shown ? m_pane->vpsLabel() : QString();
    gate.apply(m_assignUsersAction,
        shown ? tr("Give users access to %1").arg(vps) : tr("Give users access to a VPS (select one VPS)"),
        shown);
    const bool groups = shown && m_pane->tracksGroups();
    gate.apply(m_assignGroupAction,
        !shown       ? tr("Give a whole group access to a VPS (select one VPS)")
            : groups ? tr("Give every member of a group access to %1, also members who join later").arg(vps)
                     : tr("This file has no record of group assignments yet (open it read-write)"),
        groups);
    const int users = shown ? int(m_pane->selectedUsers().size()) : 0;
    gate.apply(m_unassignUsersAction,
        users > 0 ? tr("Remove the direct assignments of the %L1 selected users (a confirmation says who "
                       "keeps the VPS through a group)")
                        .arg(users)
                  : tr("Take users off a VPS (select them in the users list below)"),
        users > 0);
    const auto group = shown ? m_pane->selectedGroup() : std::nullopt;
    gate.apply(m_unassignGroupAction,
        group ? tr("Unassign the group %1 from %2").arg(group->groupName, vps)
              : tr("Unassign a group from a VPS (select it in the groups list below)"),
        group.has_value());
    m_showAssignmentsAction->setEnabled(shown);
    m_showAssignmentsAction->setToolTip(tr("Move to the users assigned to the selected VPS (Enter)"));
    m_copyAction->setEnabled(m_model && selectedCount() > 0);
    m_copyAction->setToolTip(tr("Copy the task ids of the selected VPS, exactly (they are 64-bit numbers)"));
    m_refreshAction->setEnabled(m_model != nullptr);
}

// --- actions ------------------------------------------------------------------------------------

void VpsPage::showAssignments()
{
    if (!m_pane || !m_pane->isLoaded())
        return;
    QTableView *users = m_pane->usersTable();
    users->setFocus(Qt::OtherFocusReason);
    if (!users->currentIndex().isValid() && users->model()->rowCount() > 0)
        users->selectRow(0);
}

void VpsPage::assignUsers()
{
    if (!m_pane || !m_assignUsersAction->isEnabled())
        return;
    banner()->clear();
    const qint64 taskId = m_pane->taskId();
    const QString vps = m_pane->vpsLabel();
    auto *picker = new UserPickerDialog(store().path(), UserPickerDialog::Mode::Multiple, this);
    picker->setObjectName(QStringLiteral("assignUsersDialog"));
    picker->setAttribute(Qt::WA_DeleteOnClose);
    picker->setWindowModality(Qt::WindowModal);
    picker->setWindowTitle(tr("Assign Users"));
    picker->setPrompt(tr("Give the chosen users access to %1.").arg(vps));
    picker->setAcceptText(tr("&Assign"));
    picker->setExcluded(m_pane->directUserIds(), tr("already assigned directly"));
    connect(picker, &QDialog::accepted, this, [this, picker, taskId, vps]() {
        QList<qint64> ids;
        for (const UserPickerDialog::Choice &choice : picker->choices())
            ids << choice.id;
        if (ids.isEmpty())
            return;
        auto done = store().assignVpsUsers(actor(), taskId, ids);
        if (!done) {
            showFailure(tr("Could not assign the users"), done.error());
            return;
        }
        QString message = tr("Users assigned to %1: %L2 added").arg(vps).arg(done->added.size());
        if (!done->madeDirect.isEmpty())
            message
                += tr(", %L1 now also directly (they had it through a group)").arg(done->madeDirect.size());
        Q_EMIT statusMessage(message);
        if (m_pane && m_pane->taskId() == taskId) {
            m_pane->reload();
            m_pane->selectUsers(done->added + done->madeDirect);
        }
    });
    picker->open();
}

void VpsPage::assignGroup()
{
    if (!m_pane || !m_assignGroupAction->isEnabled())
        return;
    banner()->clear();
    auto groups = store().vpsAssignableGroups(actor());
    if (!groups) {
        showFailure(tr("Could not read the groups"), groups.error());
        return;
    }
    const qint64 taskId = m_pane->taskId();
    const QString vps = m_pane->vpsLabel();
    auto *dialog = new GroupChoiceDialog(tr("Give every member of a group access to %1.").arg(vps),
        groups.value(), m_pane->assignedGroupIds(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &GroupChoiceDialog::submitted, this, [this, dialog, taskId, vps]() {
        const qint64 groupId = dialog->groupId();
        auto done = store().assignVpsGroup(actor(), taskId, groupId);
        if (!done) {
            dialog->showError(done.error().message);
            return;
        }
        const QString name = dialog->groupName();
        dialog->accept();
        Q_EMIT statusMessage(tr("Group %1 assigned to %2: members added %L3, already assigned %L4")
                                 .arg(quotedName(name), vps)
                                 .arg(done->added.size())
                                 .arg(done->unchanged.size()));
        if (m_pane && m_pane->taskId() == taskId) {
            m_pane->reload();
            m_pane->selectGroup(groupId);
        }
    });
    dialog->open();
}

void VpsPage::unassignUsers()
{
    if (!m_pane || !m_unassignUsersAction->isEnabled())
        return;
    banner()->clear();
    const std::vector<VpsAssignment> selected = m_pane->selectedUsers();
    QStringList lose, keep, skip;
    QList<qint64> ids;
    for (const VpsAssignment &a : selected) {
        if (!a.direct) {
            skip << tr("%1 (through %2)").arg(nameOf(a), groupsOf(a));
            continue;
        }
        ids << a.userId;
        if (a.viaGroupIds.isEmpty())
            lose << nameOf(a);
        else
            keep << tr("%1 (through %2)").arg(nameOf(a), groupsOf(a));
    }
    const QString vps = m_pane->vpsLabel();
    const QString skipWhy
        = tr("To take it from them, unassign the group, or remove them from the group on the "
             "Groups page.");
    if (ids.isEmpty()) {
        // Refused, not half-done: a group-given row follows the group's membership.
        banner()->showMessage(InlineBanner::Kind::Info,
            tr("Nothing to unassign: %1 have %2 only through a group, not directly. %3")
                .arg(nameList(skip), vps, skipWhy));
        return;
    }
    QStringList consequences;
    if (!lose.isEmpty())
        consequences << tr("Losing access: %1.").arg(nameList(lose));
    if (!keep.isEmpty())
        consequences << tr("Keeping access through their group, only the direct assignment is removed: %1.")
                            .arg(nameList(keep));
    if (!skip.isEmpty())
        consequences << tr("Skipped, assigned only through a group: %1. %2").arg(nameList(skip), skipWhy);
    MessageBox::Options options;
    options.title = tr("Unassign Users");
    if (ids.size() == 1) {
        const auto one = std::find_if(
            selected.cbegin(), selected.cend(), [](const VpsAssignment &a) { return a.direct; });
        options.text = tr("Unassign %1 from %2?").arg(nameOf(*one), vps);
    } else {
        options.text = tr("Unassign %L1 users from %2?").arg(ids.size()).arg(vps);
    }
    options.informativeText = consequences.join(QLatin1Char('\n'));
    options.accept = MessageBox::Button::Continue;
    options.destructive = true;
    if (MessageBox::ask(this, options) != MessageBox::Button::Continue)
        return;
    const qint64 taskId = m_pane->taskId();
    auto done = store().unassignVpsUsers(actor(), taskId, ids);
    if (!done) {
        showFailure(tr("Could not unassign the users"), done.error());
        return;
    }
    QString message = tr("Users unassigned from %1: %L2 lost access").arg(vps).arg(done->removed.size());
    if (!done->keptViaGroup.isEmpty())
        message += tr(", %L1 keep it through a group").arg(done->keptViaGroup.size());
    Q_EMIT statusMessage(message);
    m_pane->reload();
}

void VpsPage::unassignGroup()
{
    if (!m_pane || !m_unassignGroupAction->isEnabled())
        return;
    banner()->clear();
    const auto group = m_pane->selectedGroup();
    if (!group)
        return;
    QStringList lose, keep;
    for (const VpsAssignment &a : m_pane->usersModel()->assignments()) {
        if (!a.viaGroupIds.contains(group->groupId))
            continue;
        if (!a.direct && a.viaGroupIds.size() == 1)
            lose << nameOf(a);
        else
            keep << nameOf(a);
    }
    const QString vps = m_pane->vpsLabel();
    const QString name = group->groupName.isEmpty() ? tr("group %1").arg(group->groupId) : group->groupName;
    MessageBox::Options options;
    options.title = tr("Unassign Group");
    options.text = tr("Unassign the group %1 from %2?").arg(quotedName(name), vps);
    QStringList consequences;
    consequences << (lose.isEmpty() ? tr("No member loses access.")
                                    : tr("Losing access: %1.").arg(nameList(lose)));
    if (!keep.isEmpty())
        consequences
            << tr("Keeping access, assigned directly or through another group: %1.").arg(nameList(keep));
    consequences << tr("Members who join %1 later no longer get this VPS.").arg(quotedName(name));
    options.informativeText = consequences.join(QLatin1Char('\n'));
    options.accept = MessageBox::Button::Continue;
    options.destructive = true;
    if (MessageBox::ask(this, options) != MessageBox::Button::Continue)
        return;
    auto done = store().unassignVpsGroup(actor(), m_pane->taskId(), group->groupId);
    if (!done) {
        showFailure(tr("Could not unassign the group"), done.error());
        return;
    }
    Q_EMIT statusMessage(tr("Group %1 unassigned from %2: members who lost access %L3, kept it %L4")
                             .arg(quotedName(name), vps)
                             .arg(done->removed.size())
                             .arg(done->unchanged.size()));
    m_pane->reload();
}

void VpsPage::copyTaskIds()
{
    if (!m_model)
        return;
    QStringList ids;
    for (qint64 id : selectedIds())
        ids << QString::number(id);
    if (!ids.isEmpty())
        QGuiApplication::clipboard()->setText(ids.join(QLatin1Char('\n')));
}

} // namespace rk
