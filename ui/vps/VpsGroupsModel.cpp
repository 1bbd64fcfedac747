#include "VpsGroupsModel.h"

#include "core/HostTime.h"

namespace rk {

VpsGroupsModel::VpsGroupsModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void VpsGroupsModel::setGroups(std::vector<VpsGroupAssignment> groups)
{
    bool same = groups.size() == m_groups.size();
    for (size_t i = 0; same && i < groups.size(); ++i)
        same = groups[i].groupId == m_groups[i].groupId;
    if (same) {
        m_groups = std::move(groups);
        if (!m_groups.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_groups = std::move(groups);
    endResetModel();
}

std::optional<VpsGroupAssignment> VpsGroupsModel::groupAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return std::nullopt;
    return m_groups[size_t(row)];
}

int VpsGroupsModel::rowOf(qint64 groupId) const
{
    for (size_t i = 0; i < m_groups.size(); ++i) {
        if (m_groups[i].groupId == groupId)
            return int(i);
    }
    return -1;
}

int VpsGroupsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_groups.size());
}

int VpsGroupsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VpsGroupsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const VpsGroupAssignment &g = m_groups[size_t(index.row())];
    switch (role) {
    case GroupIdRole: return g.groupId;
    case Qt::TextAlignmentRole:
        if (index.column() == Members)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DisplayRole:
    case RawValueRole:
        switch (index.column()) {
        case Group:
            if (g.groupName.isEmpty() && role == Qt::DisplayRole)
                return tr("(deleted group %1)").arg(g.groupId);
            return g.groupName;
        case Members: return g.members;
        case AssignedAt:
            if (role == RawValueRole)
                return g.assignedAt;
            if (const QDateTime at = hosttime::toDateTime(g.assignedAt); at.isValid())
                return at;
            return g.assignedAt;
        case AssignedBy: return g.assignedBy;
        default: return {};
        }
    default: return {};
    }
}

QVariant VpsGroupsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Group: return tr("Group");
    case Members: return tr("Members");
    case AssignedAt: return tr("Assigned");
    case AssignedBy: return tr("By");
    default: return {};
    }
}

} // namespace rk
