#pragma once

#include "LazySqlTableModel.h"
#include "store/StoreTypes.h"

#include <optional>

namespace rk {

// The platform's VPS: host tasks with task_type 'vps' (name, task id, owner, status, node,
// backend, assignees, submitted), newest first as the host lists them. The row id (IdRole) is the
// task id, a 64-bit snowflake above 2^53: qint64 throughout, and text in the Task ID column.
//
// Assignees counts the vps_assignments rows; AssigneesViaGroupRole says how many of them came
// (also) from an assigned group (Riverkeeper's rk_vps_assignment_sources, the same rule as
// PlatformStore::listVps()). A file without those tables (an older read-only copy) is read with
// `tracksGroups` false: the count is 0 and DisplayRole shows only the total.
class VpsTableModel : public LazySqlTableModel
{
    Q_OBJECT

public:
    enum Column {
        Name, // empty when the task has no name
        TaskId, // text (the snowflake's decimal digits); RawValueRole: the integer
        Owner, // username; empty when null or deleted
        Status, // the host's task status text (running, stopped, pending_approval, ...)
        Node, // assigned_node
        Backend, // docker or qemu
        Assignees, // "3" or "3 (1 via group)"; RawValueRole: the total
        Submitted, // QDateTime
        ColumnCount,
    };
    Q_ENUM(Column)

    enum VpsRole {
        AssigneesViaGroupRole = FirstSubclassRole, // int (any column)
        OwnerIdRole, // qint64, invalid when null (any column)
    };
    Q_ENUM(VpsRole)

    VpsTableModel(const QString &databasePath, bool tracksGroups, QObject *parent = nullptr);
    VpsTableModel(
        const QString &databasePath, bool tracksGroups, const Options &options, QObject *parent = nullptr);

    static std::shared_ptr<const TableSpec> makeSpec(bool tracksGroups);
    // "3 (1 via group)", or "3" when none came from a group.
    static QString assigneesText(int total, int viaGroup);

    // The VPS at `row` when loaded.
    std::optional<VpsRecord> vpsAt(int row) const;

    QHash<int, QByteArray> roleNames() const override;

protected:
    QVariant loadedData(const TableRow &row, int column, int role) const override;
};

} // namespace rk
