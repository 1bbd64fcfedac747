#include "VpsUsersModel.h"

#include "core/HostTime.h"

namespace rk {

VpsUsersModel::VpsUsersModel(QObject *parent) : QAbstractTableModel(parent)
{
}

namespace {
bool sameUsers(const std::vector<VpsAssignment> &a, const std::vector<VpsAssignment> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].userId != b[i].userId)
            return false;
    }
    return true;
}
} // namespace

void VpsUsersModel::setAssignments(std::vector<VpsAssignment> users)
{
    if (sameUsers(m_users, users)) {
        m_users = std::move(users);
        if (!m_users.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_users = std::move(users);
    endResetModel();
}

std::optional<VpsAssignment> VpsUsersModel::assignmentAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return std::nullopt;
    return m_users[size_t(row)];
}

int VpsUsersModel::rowOf(qint64 userId) const
{
    for (size_t i = 0; i < m_users.size(); ++i) {
        if (m_users[i].userId == userId)
            return int(i);
    }
    return -1;
}

QString VpsUsersModel::sourceText(const VpsAssignment &a)
{
    if (a.viaGroupIds.isEmpty())
        return tr("direct");
    QStringList named;
    for (qsizetype i = 0; i < a.viaGroups.size(); ++i)
        named << (a.viaGroups.at(i).isEmpty() ? tr("deleted group %1").arg(a.viaGroupIds.value(i))
                                              : a.viaGroups.at(i));
    const QString via = named.size() == 1 ? tr("via group %1").arg(named.front())
                                          : tr("via groups %1").arg(named.join(QStringLiteral(", ")));
    return a.direct ? tr("direct + %1").arg(via) : via;
}

int VpsUsersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

int VpsUsersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VpsUsersModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const VpsAssignment &a = m_users[size_t(index.row())];
    switch (role) {
    case UserIdRole: return a.userId;
    case DirectRole: return a.direct;
    case ViaGroupIdsRole: return QVariant::fromValue(a.viaGroupIds);
    case Qt::DisplayRole:
    case RawValueRole:
        switch (index.column()) {
        case User:
            if (a.username.isEmpty() && role == Qt::DisplayRole)
                return tr("(deleted user %1)").arg(a.userId);
            return a.username;
        case DisplayName: return a.displayName;
        case Source:
            if (role == RawValueRole)
                return a.viaGroupIds.isEmpty() ? 0 : (a.direct ? 2 : 1);
            return sourceText(a);
        case AssignedAt:
            if (role == RawValueRole)
                return a.assignedAt;
            if (const QDateTime at = hosttime::toDateTime(a.assignedAt); at.isValid())
                return at;
            return a.assignedAt;
        default: return {};
        }
    default: return {};
    }
}

QVariant VpsUsersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case User: return tr("User");
    case DisplayName: return tr("Display name");
    case Source: return tr("Source");
    case AssignedAt: return tr("Assigned");
    default: return {};
    }
}

} // namespace rk
