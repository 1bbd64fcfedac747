#include "GroupsTableModel.h"

namespace rk {

namespace {
enum Field { LimitsJsonField };

// A key of limits_json; NULL when absent or when the text is not valid JSON (json_extract
// would fail the whole statement on malformed JSON, so json_valid guards it).
QString limit(const char *key)
{
    return QStringLiteral("CASE WHEN json_valid(g.limits_json) THEN json_extract(g.limits_json, '$.%1') END")
        .arg(QLatin1String(key));
}
} // namespace

GroupsTableModel::GroupsTableModel(const QString &databasePath, QObject *parent)
    : GroupsTableModel(databasePath, Options {}, parent)
{
}

GroupsTableModel::GroupsTableModel(const QString &databasePath, const Options &options, QObject *parent)
    : LazySqlTableModel(databasePath, makeSpec(), options, parent)
{
}

std::shared_ptr<const TableSpec> GroupsTableModel::makeSpec()
{
    auto spec = std::make_shared<TableSpec>();
    spec->name = QStringLiteral("groups");
    spec->from = QStringLiteral("\"groups\" g");
    spec->idExpression = QStringLiteral("g.id");
    spec->columns = {
        {.title = tr("Name"), .select = QStringLiteral("g.name"), .searchable = true},
        {.title = tr("Tier"), .select = QStringLiteral("g.tier"), .kind = TableValueKind::Integer},
        // A correlated count over the host's usergroup_group_id index.
        {.title = tr("Members"),
            .select = QStringLiteral("(SELECT count(*) FROM user_groups ug WHERE ug.group_id = g.id)"),
            .kind = TableValueKind::Integer},
        {.title = tr("Max tasks"),
            .select = limit("max_tasks"),
            .kind = TableValueKind::Integer,
            .toolTip = tr("limits_json: max_tasks (empty: no limit set)")},
        {.title = tr("Max VPS"),
            .select = limit("max_vps"),
            .kind = TableValueKind::Integer,
            .toolTip = tr("limits_json: max_vps (empty: no limit set)")},
        {.title = tr("GPU cap"),
            .select = limit("gpu_cap"),
            .kind = TableValueKind::Integer,
            .toolTip = tr("limits_json: gpu_cap (empty: no limit set)")},
        {.title = tr("Created"),
            .select = QStringLiteral("g.created_at"),
            .kind = TableValueKind::HostDateTime},
    };
    spec->fields = {QStringLiteral("g.limits_json")};
    spec->defaultSortColumn = Name;
    return spec;
}

QHash<int, QByteArray> GroupsTableModel::roleNames() const
{
    QHash<int, QByteArray> names = LazySqlTableModel::roleNames();
    names.insert(LimitsJsonRole, QByteArrayLiteral("limitsJson"));
    return names;
}

QVariant GroupsTableModel::loadedData(const TableRow &row, int column, int role) const
{
    if (role == LimitsJsonRole)
        return fieldValue(row, LimitsJsonField);
    return LazySqlTableModel::loadedData(row, column, role);
}

std::optional<GroupRecord> GroupsTableModel::groupAt(int row) const
{
    const TableRow *r = loadedRow(row);
    if (!r)
        return std::nullopt;
    GroupRecord g;
    g.id = r->id;
    g.name = r->values[Name].toString();
    g.tier = int(r->values[Tier].toLongLong());
    g.limitsJson = fieldValue(*r, LimitsJsonField).toString();
    g.createdAt = r->values[Created].toString();
    g.memberCount = int(r->values[Members].toLongLong());
    return g;
}

} // namespace rk
