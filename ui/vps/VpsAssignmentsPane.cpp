#include "VpsAssignmentsPane.h"

#include "VpsGroupsModel.h"
#include "VpsTableDelegate.h"
#include "VpsUsersModel.h"
#include "pages/TablePage.h"
#include "store/PlatformStore.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace rk {

namespace {

QPalette mutedPalette(const QWidget *widget)
{
    QPalette pal = widget->palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
    return pal;
}

void selectRows(QTableView *table, const QList<int> &rows)
{
    QItemSelection selection;
    for (int row : rows) {
        if (row >= 0)
            selection.select(
                table->model()->index(row, 0), table->model()->index(row, table->model()->columnCount() - 1));
    }
    table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!rows.isEmpty() && rows.front() >= 0)
        table->selectionModel()->setCurrentIndex(
            table->model()->index(rows.front(), 0), QItemSelectionModel::NoUpdate);
}

} // namespace

VpsAssignmentsPane::VpsAssignmentsPane(PlatformStore &store, const Actor &actor, QWidget *parent)
    : QWidget(parent),
      m_store(store),
      m_actor(actor),
      m_heading(new QLabel(this)),
      m_usersLabel(new QLabel(this)),
      m_groupsLabel(new QLabel(this)),
      m_usersTable(new QTableView(this)),
      m_groupsTable(new QTableView(this)),
      m_note(new QLabel(this)),
      m_users(new VpsUsersModel(this)),
      m_groups(new VpsGroupsModel(this))
{
    setObjectName(QStringLiteral("vpsAssignmentsPane"));
    m_heading->setObjectName(QStringLiteral("assignmentsHeading"));
    m_usersLabel->setObjectName(QStringLiteral("assignedUsersLabel"));
    m_groupsLabel->setObjectName(QStringLiteral("assignedGroupsLabel"));
    m_usersTable->setObjectName(QStringLiteral("vpsUsersTable"));
    m_groupsTable->setObjectName(QStringLiteral("vpsGroupsTable"));
    m_note->setObjectName(QStringLiteral("assignmentsNote"));

    QFont heading = m_heading->font();
    heading.setWeight(QFont::DemiBold);
    heading.setPointSizeF(heading.pointSizeF() * 1.1);
    m_heading->setFont(heading);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setWordWrap(true);
    m_note->setPalette(mutedPalette(m_note));

    for (QTableView *table : {m_usersTable, m_groupsTable}) {
        TablePage::configureTable(table);
        table->setSelectionBehavior(QAbstractItemView::SelectRows);
        table->setSelectionMode(QAbstractItemView::ExtendedSelection);
        table->setContextMenuPolicy(Qt::ActionsContextMenu);
        table->horizontalHeader()->setStretchLastSection(true);
    }
    m_groupsTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_usersTable->setModel(m_users);
    m_groupsTable->setModel(m_groups);
    m_usersTable->setItemDelegate(new VpsTableDelegate(-1, false, m_usersTable));
    m_groupsTable->setItemDelegate(new VpsTableDelegate(-1, false, m_groupsTable));
    const int avg = fontMetrics().averageCharWidth();
    const int dateWidth = fontMetrics().horizontalAdvance(QStringLiteral("2026-12-31 23:59")) + 24;
    m_usersTable->horizontalHeader()->resizeSection(VpsUsersModel::User, 14 * avg);
    m_usersTable->horizontalHeader()->resizeSection(VpsUsersModel::DisplayName, 18 * avg);
    m_usersTable->horizontalHeader()->resizeSection(VpsUsersModel::Source, 34 * avg);
    m_usersTable->horizontalHeader()->resizeSection(VpsUsersModel::AssignedAt, dateWidth);
    m_groupsTable->horizontalHeader()->resizeSection(VpsGroupsModel::Group, 14 * avg);
    m_groupsTable->horizontalHeader()->resizeSection(VpsGroupsModel::Members,
        fontMetrics().horizontalAdvance(
            m_groups->headerData(VpsGroupsModel::Members, Qt::Horizontal).toString())
            + 24);
    m_groupsTable->horizontalHeader()->resizeSection(VpsGroupsModel::AssignedAt, dateWidth);

    for (QTableView *table : {m_usersTable, m_groupsTable})
        connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &VpsAssignmentsPane::selectionChanged);

    auto *usersBox = new QVBoxLayout;
    usersBox->setSpacing(4);
    usersBox->addWidget(m_usersLabel);
    usersBox->addWidget(m_usersTable, 1);
    auto *groupsBox = new QVBoxLayout;
    groupsBox->setSpacing(4);
    groupsBox->addWidget(m_groupsLabel);
    groupsBox->addWidget(m_groupsTable, 1);
    auto *tables = new QHBoxLayout;
    tables->setSpacing(12);
    tables->addLayout(usersBox, 3);
    tables->addLayout(groupsBox, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_heading);
    layout->addLayout(tables, 1);
    layout->addWidget(m_note);
    showVps(-1);
}

VpsAssignmentsPane::~VpsAssignmentsPane() = default;

QString VpsAssignmentsPane::vpsLabel() const
{
    if (!m_vps)
        return {};
    const QString id = QString::number(m_vps->taskId);
    return m_vps->name.isEmpty() ? tr("VPS %1").arg(id) : tr("%1 (%2)").arg(m_vps->name, id);
}

void VpsAssignmentsPane::showVps(qint64 taskId)
{
    if (taskId == this->taskId() && m_loaded)
        return;
    m_vps.reset();
    m_loaded = false;
    if (taskId >= 0) {
        auto vps = m_store.vps(m_actor, taskId);
        if (vps)
            m_vps = vps.value();
        else
            Q_EMIT failed(tr("Could not read the VPS"), vps.error());
    }
    m_users->clear();
    m_groups->clear();
    load();
    Q_EMIT selectionChanged();
}

void VpsAssignmentsPane::reload()
{
    if (!m_vps)
        return;
    // The VPS itself may have changed (status, name) or gone.
    auto vps = m_store.vps(m_actor, m_vps->taskId);
    if (!vps) {
        if (vps.error().code == Error::Code::NotFound) {
            showVps(-1);
            return;
        }
        Q_EMIT failed(tr("Could not read the VPS"), vps.error());
        return;
    }
    m_vps = vps.value();
    QList<qint64> users;
    for (const VpsAssignment &a : selectedUsers())
        users << a.userId;
    const auto group = selectedGroup();
    load();
    selectUsers(users);
    if (group)
        selectGroup(group->groupId);
    Q_EMIT selectionChanged();
}

void VpsAssignmentsPane::load()
{
    const bool canSee = roles::allows(m_actor.role, Permission::ManageVps);
    m_usersTable->setEnabled(canSee && m_vps);
    m_groupsTable->setEnabled(canSee && m_vps);
    if (!m_vps) {
        m_heading->setText(tr("Select a VPS to see who is assigned to it."));
        m_note->setText(
            tr("Users get a VPS directly, or through a group assigned as a whole: its members get "
               "the VPS, also those who join later, and lose it when they leave unless they are "
               "also assigned directly or through another group."));
        updateLabels();
        return;
    }
    m_heading->setText(tr("Assignments of %1").arg(vpsLabel()));
    if (!canSee) {
        m_note->setText(
            tr("Signed in as %1 (%2). Seeing who is assigned to a VPS needs the %3 role, as on the "
               "host.")
                .arg(m_actor.username, roles::displayName(m_actor.role),
                    roles::displayName(roles::minimumFor(Permission::ManageVps))));
        updateLabels();
        return;
    }
    auto assigned = m_store.vpsAssignments(m_actor, m_vps->taskId);
    if (!assigned) {
        m_users->clear();
        m_groups->clear();
        Q_EMIT failed(tr("Could not read the assignments"), assigned.error());
        updateLabels();
        return;
    }
    m_loaded = true;
    m_tracksGroups = assigned->tracksGroups;
    m_users->setAssignments(std::move(assigned->users));
    m_groups->setGroups(std::move(assigned->groups));
    m_groupsTable->setEnabled(m_tracksGroups);
    if (!m_tracksGroups) {
        m_note->setText(
            tr("This file has no record of group assignments (it was made by an older Riverkeeper "
               "or comes straight from the host, and is open read-only): every assignment shows "
               "as direct. Opening it read-write adds the record."));
    } else {
        m_note->setText(tr("Unassigning a user removes only their direct assignment: a user who also has the "
                           "VPS through a group keeps it until the group is unassigned or they leave it. "
                           "Unassigning a group removes it from the members no direct assignment or other "
                           "group holds."));
    }
    updateLabels();
}

void VpsAssignmentsPane::updateLabels()
{
    int viaGroup = 0;
    for (const VpsAssignment &a : m_users->assignments())
        viaGroup += a.viaGroupIds.isEmpty() ? 0 : 1;
    const int users = m_users->rowCount();
    m_usersLabel->setText(viaGroup > 0 ? tr("Users: %L1 (%L2 via group)").arg(users).arg(viaGroup)
                                       : tr("Users: %L1").arg(users));
    m_groupsLabel->setText(tr("Groups: %L1").arg(m_groups->rowCount()));
}

std::vector<VpsAssignment> VpsAssignmentsPane::selectedUsers() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_usersTable->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    std::vector<VpsAssignment> users;
    for (int row : std::as_const(rows)) {
        if (auto a = m_users->assignmentAt(row))
            users.push_back(*a);
    }
    return users;
}

std::optional<VpsGroupAssignment> VpsAssignmentsPane::selectedGroup() const
{
    const QModelIndexList rows = m_groupsTable->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return std::nullopt;
    return m_groups->groupAt(rows.front().row());
}

QList<qint64> VpsAssignmentsPane::directUserIds() const
{
    QList<qint64> ids;
    for (const VpsAssignment &a : m_users->assignments()) {
        if (a.direct)
            ids << a.userId;
    }
    return ids;
}

QList<qint64> VpsAssignmentsPane::assignedGroupIds() const
{
    QList<qint64> ids;
    for (const VpsGroupAssignment &g : m_groups->groups())
        ids << g.groupId;
    return ids;
}

void VpsAssignmentsPane::selectUsers(const QList<qint64> &userIds)
{
    QList<int> rows;
    for (qint64 id : userIds) {
        const int row = m_users->rowOf(id);
        if (row >= 0)
            rows << row;
    }
    selectRows(m_usersTable, rows);
}

void VpsAssignmentsPane::selectGroup(qint64 groupId)
{
    const int row = m_groups->rowOf(groupId);
    selectRows(m_groupsTable, row >= 0 ? QList<int> {row} : QList<int> {});
}

} // namespace rk
