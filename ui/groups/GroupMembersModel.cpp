#include "GroupMembersModel.h"

namespace rk {

namespace {
enum Field { AccountIdField };
} // namespace

GroupMembersModel::GroupMembersModel(const QString &databasePath, QObject *parent)
    : LazySqlTableModel(databasePath, makeSpec(), Options {}, parent)
{
    setGroup(std::nullopt);
}

std::shared_ptr<const TableSpec> GroupMembersModel::makeSpec()
{
    auto spec = std::make_shared<TableSpec>();
    spec->name = QStringLiteral("user_groups");
    spec->from = QStringLiteral("user_groups ug");
    spec->joins = {{QStringLiteral("u"), QStringLiteral("LEFT JOIN users u ON u.id = ug.user_id")}};
    // UNIQUE(user_id, group_id): within one group a user id names one row.
    spec->idExpression = QStringLiteral("ug.user_id");
    spec->columns = {
        {.title = tr("Username"), .select = QStringLiteral("u.username"), .searchable = true},
        {.title = tr("Display name"), .select = QStringLiteral("u.display_name"), .searchable = true},
        {.title = tr("Role"),
            .select = QStringLiteral("u.role"),
            .searchable = true,
            .toolTip = tr("The account's own role (users.role)")},
        {.title = tr("Role override"),
            .select = QStringLiteral("ug.role_override"),
            .searchable = true,
            .toolTip = tr("user_groups.role_override: stored for the platform; the host does not read it "
                          "yet, so it changes nothing the user can do today")},
        {.title = tr("Added"),
            .select = QStringLiteral("ug.created_at"),
            .kind = TableValueKind::HostDateTime},
    };
    spec->fields = {QStringLiteral("u.id")};
    spec->defaultSortColumn = Username;
    return spec;
}

void GroupMembersModel::setGroup(std::optional<qint64> groupId)
{
    m_group = groupId;
    // No group: a condition that matches nothing, so the table is empty rather than everyone's.
    setExtraCondition(QStringLiteral("ug.group_id = ?"), {QVariant::fromValue<qint64>(groupId.value_or(-1))});
}

QString GroupMembersModel::usernameAt(int row) const
{
    const TableRow *r = loadedRow(row);
    return r ? r->values[Username].toString() : QString();
}

Qt::ItemFlags GroupMembersModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = LazySqlTableModel::flags(index);
    if (m_editable && index.isValid() && index.column() == RoleOverride && loadedRow(index.row()))
        f |= Qt::ItemIsEditable;
    return f;
}

bool GroupMembersModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !m_editable || !index.isValid() || index.column() != RoleOverride)
        return false;
    const TableRow *r = loadedRow(index.row());
    if (!r)
        return false;
    const QString wanted = value.toString();
    if (wanted == r->values[RoleOverride].toString())
        return false;
    Q_EMIT roleOverrideEdited(r->id, wanted);
    // Nothing changed here: the store writes, and its change signal refreshes the rows.
    return false;
}

QHash<int, QByteArray> GroupMembersModel::roleNames() const
{
    QHash<int, QByteArray> names = LazySqlTableModel::roleNames();
    names.insert(RoleOverrideRole, QByteArrayLiteral("roleOverride"));
    names.insert(AccountExistsRole, QByteArrayLiteral("accountExists"));
    return names;
}

QVariant GroupMembersModel::loadedData(const TableRow &row, int column, int role) const
{
    switch (role) {
    case RoleOverrideRole: return row.values[RoleOverride].toString();
    case AccountExistsRole: return fieldValue(row, AccountIdField).isValid();
    case Qt::EditRole:
        if (column == RoleOverride)
            return row.values[RoleOverride].toString();
        break;
    case Qt::DisplayRole:
        if (column == Username && !fieldValue(row, AccountIdField).isValid())
            return tr("(deleted account %1)").arg(row.id);
        break;
    case Qt::ToolTipRole:
        if (column == Username && !fieldValue(row, AccountIdField).isValid())
            return tr("The membership names user id %1, which no longer exists. Remove it to clean up.")
                .arg(row.id);
        break;
    default: break;
    }
    return LazySqlTableModel::loadedData(row, column, role);
}

} // namespace rk
