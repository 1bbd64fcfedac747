#include "VpsTableModel.h"

namespace rk {

namespace {
enum Field { OwnerIdField, ViaGroupField };
} // namespace

VpsTableModel::VpsTableModel(const QString &databasePath, bool tracksGroups, QObject *parent)
    : VpsTableModel(databasePath, tracksGroups, Options {}, parent)
{
}

VpsTableModel::VpsTableModel(
    const QString &databasePath, bool tracksGroups, const Options &options, QObject *parent)
    : LazySqlTableModel(databasePath, makeSpec(tracksGroups), options, parent)
{
}

QString VpsTableModel::assigneesText(int total, int viaGroup)
{
    if (viaGroup <= 0)
        return QString::number(total);
    return tr("%1 (%2 via group)").arg(total).arg(viaGroup);
}

std::shared_ptr<const TableSpec> VpsTableModel::makeSpec(bool tracksGroups)
{
    auto spec = std::make_shared<TableSpec>();
    spec->name = QStringLiteral("vps");
    spec->from = QStringLiteral("tasks t");
    spec->joins = {
        {QStringLiteral("o"), QStringLiteral("LEFT JOIN users o ON o.id = t.owner_id")},
    };
    spec->fixedWhere = QStringLiteral("t.task_type = 'vps'");
    spec->idExpression = QStringLiteral("t.task_id");
    spec->columns = {
        {.title = tr("Name"), .select = QStringLiteral("t.name"), .searchable = true},
        // Text, so the snowflake never passes through a double on its way to the screen.
        {.title = tr("Task ID"),
            .select = QStringLiteral("CAST(t.task_id AS TEXT)"),
            .sort = QStringLiteral("t.task_id"),
            .searchable = true},
        {.title = tr("Owner"),
            .select = QStringLiteral("o.username"),
            .searchable = true,
            .search = QStringLiteral("t.owner_id IN (SELECT id FROM users WHERE username{like})")},
        {.title = tr("Status"), .select = QStringLiteral("t.status"), .searchable = true},
        {.title = tr("Node"), .select = QStringLiteral("t.assigned_node"), .searchable = true},
        {.title = tr("Backend"), .select = QStringLiteral("t.vps_backend"), .searchable = true},
        // Correlated counts over the host's vpsassignment_vps_task_id index.
        {.title = tr("Assignees"),
            .select
            = QStringLiteral("(SELECT count(*) FROM vps_assignments a WHERE a.vps_task_id = t.task_id)"),
            .kind = TableValueKind::Integer,
            .toolTip = tr("Users assigned to the VPS; in brackets, how many of them came from an assigned "
                          "group (some may also be assigned directly)")},
        {.title = tr("Submitted"),
            .select = QStringLiteral("t.submitted_at"),
            .kind = TableValueKind::HostDateTime},
    };
    // The same rule as PlatformStore::listVps() (PlatformStoreVps.cpp).
    spec->fields = {QStringLiteral("t.owner_id"),
        tracksGroups ? QStringLiteral(
            "(SELECT count(*) FROM vps_assignments a WHERE a.vps_task_id = t.task_id AND EXISTS "
            "(SELECT 1 FROM rk_vps_assignment_sources s WHERE s.vps_task_id = a.vps_task_id "
            "AND s.user_id = a.user_id AND s.group_id <> 0))")
                     : QStringLiteral("0")};
    spec->defaultSortColumn = Submitted;
    spec->defaultSortOrder = Qt::DescendingOrder;
    return spec;
}

QHash<int, QByteArray> VpsTableModel::roleNames() const
{
    QHash<int, QByteArray> names = LazySqlTableModel::roleNames();
    names.insert(AssigneesViaGroupRole, QByteArrayLiteral("assigneesViaGroup"));
    names.insert(OwnerIdRole, QByteArrayLiteral("ownerId"));
    return names;
}

QVariant VpsTableModel::loadedData(const TableRow &row, int column, int role) const
{
    switch (role) {
    case AssigneesViaGroupRole: return int(fieldValue(row, ViaGroupField).toLongLong());
    case OwnerIdRole: return fieldValue(row, OwnerIdField);
    case Qt::DisplayRole:
        if (column == Assignees) {
            return assigneesText(
                int(row.values[Assignees].toLongLong()), int(fieldValue(row, ViaGroupField).toLongLong()));
        }
        break;
    default: break;
    }
    return LazySqlTableModel::loadedData(row, column, role);
}

std::optional<VpsRecord> VpsTableModel::vpsAt(int row) const
{
    const TableRow *r = loadedRow(row);
    if (!r)
        return std::nullopt;
    VpsRecord v;
    v.taskId = r->id;
    v.name = r->values[Name].toString();
    if (const QVariant owner = fieldValue(*r, OwnerIdField); owner.isValid())
        v.ownerId = owner.toLongLong();
    v.owner = r->values[Owner].toString();
    v.status = r->values[Status].toString();
    v.node = r->values[Node].toString();
    v.backend = r->values[Backend].toString();
    v.submittedAt = r->values[Submitted].toString();
    v.assignees = int(r->values[Assignees].toLongLong());
    v.viaGroup = int(fieldValue(*r, ViaGroupField).toLongLong());
    return v;
}

} // namespace rk
