#include "TokensTableModel.h"

namespace rk {

namespace {
enum Field { UserIdField, UnusedField };
} // namespace

TokensTableModel::TokensTableModel(const QString &databasePath, QObject *parent)
    : TokensTableModel(databasePath, Options {}, parent)
{
}

TokensTableModel::TokensTableModel(const QString &databasePath, const Options &options, QObject *parent)
    : LazySqlTableModel(databasePath, makeSpec(), options, parent)
{
}

std::shared_ptr<const TableSpec> TokensTableModel::makeSpec()
{
    auto spec = std::make_shared<TableSpec>();
    spec->name = QStringLiteral("tokens");
    spec->from = QStringLiteral("tokens t");
    spec->joins = {{QStringLiteral("u"), QStringLiteral("LEFT JOIN users u ON u.id = t.user_id")}};
    spec->idExpression = QStringLiteral("t.id");
    spec->columns = {
        {.title = tr("Name"), .select = QStringLiteral("t.name"), .searchable = true},
        {.title = tr("Owner"),
            .select = QStringLiteral("u.username"),
            .searchable = true,
            .toolTip = tr("Empty when the token belongs to no existing user"),
            .search = QStringLiteral("t.user_id IN (SELECT id FROM users WHERE username{like})")},
        {.title = tr("Created"),
            .select = QStringLiteral("t.created_at"),
            .kind = TableValueKind::HostDateTime},
        {.title = tr("Last used"),
            .select = QStringLiteral("t.last_used"),
            .kind = TableValueKind::HostDateTime},
    };
    // Unused: the last use, or the creation when never used, is older than 90 days. The cutoff
    // is the query's now minus 90 days in the host's naive local text (datetime() keeps it
    // naive); text comparison orders the host's format correctly, fraction or not.
    spec->fields = {
        QStringLiteral("t.user_id"),
        QStringLiteral("coalesce(t.last_used, t.created_at) < datetime(:now, '-%1 days')").arg(kUnusedDays),
    };
    spec->defaultSortColumn = Created;
    spec->defaultSortOrder = Qt::DescendingOrder;
    return spec;
}

void TokensTableModel::setOwnerFilter(std::optional<qint64> userId)
{
    m_ownerFilter = userId;
    if (userId)
        setExtraCondition(QStringLiteral("t.user_id = ?"), {QVariant::fromValue<qint64>(*userId)});
    else
        setExtraCondition({});
}

QHash<int, QByteArray> TokensTableModel::roleNames() const
{
    QHash<int, QByteArray> names = LazySqlTableModel::roleNames();
    names.insert(UnusedFor90DaysRole, QByteArrayLiteral("unusedFor90Days"));
    names.insert(OwnerIdRole, QByteArrayLiteral("ownerId"));
    return names;
}

QVariant TokensTableModel::loadedData(const TableRow &row, int column, int role) const
{
    switch (role) {
    case UnusedFor90DaysRole: return fieldValue(row, UnusedField).toLongLong() != 0;
    case OwnerIdRole: return fieldValue(row, UserIdField);
    case Qt::DisplayRole:
        if (column == LastUsed && !row.values[LastUsed].isValid())
            return tr("never");
        break;
    default: break;
    }
    return LazySqlTableModel::loadedData(row, column, role);
}

std::optional<TokenRecord> TokensTableModel::tokenAt(int row) const
{
    const TableRow *r = loadedRow(row);
    if (!r)
        return std::nullopt;
    TokenRecord t;
    t.id = r->id;
    t.userId = fieldValue(*r, UserIdField).toLongLong();
    t.owner = r->values[Owner].toString();
    t.name = r->values[Name].toString();
    t.createdAt = r->values[Created].toString();
    t.lastUsed = r->values[LastUsed].toString(); // null QString when never used
    return t;
}

bool TokensTableModel::isUnusedFor90Days(int row) const
{
    const TableRow *r = loadedRow(row);
    return r && fieldValue(*r, UnusedField).toLongLong() != 0;
}

} // namespace rk
