#pragma once

#include "store/StoreTypes.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace rk {

// The users assigned to one VPS (PlatformStore::vpsAssignments(): a few rows, loaded at once):
// user, display name, where the assignment comes from ("direct", "via group ml", both) and when
// the row was made. setAssignments() updates rows in place when the same users come back, so a
// refresh keeps the view's selection.
class VpsUsersModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        User,
        DisplayName,
        Source, // "direct", "via group ml", "direct + via group ml"; RawValueRole: 0 direct, 1 via, 2 both
        AssignedAt, // QDateTime (the host's text when it cannot be read)
        ColumnCount,
    };
    Q_ENUM(Column)

    enum Role {
        UserIdRole = Qt::UserRole + 1, // qint64
        RawValueRole, // the column's plain value
        DirectRole, // bool
        ViaGroupIdsRole, // QList<qint64>
    };
    Q_ENUM(Role)

    explicit VpsUsersModel(QObject *parent = nullptr);

    void setAssignments(std::vector<VpsAssignment> users);
    void clear() { setAssignments({}); }
    const std::vector<VpsAssignment> &assignments() const { return m_users; }
    std::optional<VpsAssignment> assignmentAt(int row) const;
    int rowOf(qint64 userId) const;
    static QString sourceText(const VpsAssignment &assignment);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<VpsAssignment> m_users;
};

} // namespace rk
