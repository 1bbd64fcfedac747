#pragma once

#include "store/StoreTypes.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace rk {

// The groups assigned to one VPS (Riverkeeper's rk_vps_group_assignments): group, current
// members, when and by whom. Updated in place when the same groups come back.
class VpsGroupsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Group,
        Members,
        AssignedAt, // QDateTime
        AssignedBy,
        ColumnCount,
    };
    Q_ENUM(Column)

    enum Role {
        GroupIdRole = Qt::UserRole + 1, // qint64
        RawValueRole,
    };
    Q_ENUM(Role)

    explicit VpsGroupsModel(QObject *parent = nullptr);

    void setGroups(std::vector<VpsGroupAssignment> groups);
    void clear() { setGroups({}); }
    const std::vector<VpsGroupAssignment> &groups() const { return m_groups; }
    std::optional<VpsGroupAssignment> groupAt(int row) const;
    int rowOf(qint64 groupId) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<VpsGroupAssignment> m_groups;
};

} // namespace rk
