#include "InvitationsTableModel.h"

#include "TableSqlBuilder.h"

namespace rk {

namespace {
enum Field { UsageCountField, MaxUsageField, GroupIdField, CreatedByIdField };
} // namespace

InvitationsTableModel::InvitationsTableModel(const QString &databasePath, QObject *parent)
    : InvitationsTableModel(databasePath, Options {}, parent)
{
}

InvitationsTableModel::InvitationsTableModel(
    const QString &databasePath, const Options &options, QObject *parent)
    : LazySqlTableModel(databasePath, makeSpec(), options, parent)
{
}

QString InvitationsTableModel::stateSql()
{
    // Text comparison of the host's naive local format orders like the instants the store
    // compares (except inside a DST fall-back hour, where the text is ambiguous anyway).
    const QString expires = QStringLiteral("i.expires_at");
    return QStringLiteral(
        "CASE WHEN NOT %1 OR %2 <= :now THEN %3 WHEN i.usage_count >= i.max_usage THEN %4 ELSE %5 END")
        .arg(TableSqlBuilder::hostDateTimeValidSql(expires),
            TableSqlBuilder::hostDateTimeNormalizedSql(expires))
        .arg(int(InvitationRecord::State::Expired))
        .arg(int(InvitationRecord::State::UsedUp))
        .arg(int(InvitationRecord::State::Valid));
}

QString InvitationsTableModel::stateName(InvitationRecord::State state)
{
    switch (state) {
    case InvitationRecord::State::Valid: return tr("Valid");
    case InvitationRecord::State::Expired: return tr("Expired");
    case InvitationRecord::State::UsedUp: return tr("Used up");
    }
    return {};
}

std::shared_ptr<const TableSpec> InvitationsTableModel::makeSpec()
{
    auto spec = std::make_shared<TableSpec>();
    spec->name = QStringLiteral("invitations");
    spec->from = QStringLiteral("invitations i");
    spec->joins = {
        {QStringLiteral("g"), QStringLiteral("LEFT JOIN \"groups\" g ON g.id = i.group_id")},
        {QStringLiteral("u"), QStringLiteral("LEFT JOIN users u ON u.id = i.created_by_id")},
    };
    spec->idExpression = QStringLiteral("i.id");
    spec->columns = {
        {.title = tr("Token"), .select = QStringLiteral("i.token"), .searchable = true},
        {.title = tr("Role"), .select = QStringLiteral("i.role"), .searchable = true},
        {.title = tr("Group"),
            .select = QStringLiteral("g.name"),
            .searchable = true,
            .search = QStringLiteral("i.group_id IN (SELECT id FROM \"groups\" WHERE name{like})")},
        {.title = tr("Usage"),
            .select = QStringLiteral("i.usage_count || ' / ' || i.max_usage"),
            .sort = QStringLiteral("i.usage_count"),
            .toolTip = tr("Registrations so far / allowed")},
        {.title = tr("Status"),
            .select = stateSql(),
            .kind = TableValueKind::Integer,
            .toolTip
            = tr("Revoking an invitation deletes it on the host, so revoked invitations are not listed")},
        {.title = tr("Expires"),
            .select = QStringLiteral("i.expires_at"),
            .kind = TableValueKind::HostDateTime},
        {.title = tr("Created by"),
            .select = QStringLiteral("u.username"),
            .searchable = true,
            .search = QStringLiteral("i.created_by_id IN (SELECT id FROM users WHERE username{like})")},
        {.title = tr("Created"),
            .select = QStringLiteral("i.created_at"),
            .kind = TableValueKind::HostDateTime},
    };
    spec->fields = {QStringLiteral("i.usage_count"), QStringLiteral("i.max_usage"),
        QStringLiteral("i.group_id"), QStringLiteral("i.created_by_id")};
    spec->defaultSortColumn = Created;
    spec->defaultSortOrder = Qt::DescendingOrder;
    return spec;
}

QHash<int, QByteArray> InvitationsTableModel::roleNames() const
{
    QHash<int, QByteArray> names = LazySqlTableModel::roleNames();
    names.insert(FullTokenRole, QByteArrayLiteral("fullToken"));
    names.insert(StateRole, QByteArrayLiteral("state"));
    return names;
}

QVariant InvitationsTableModel::loadedData(const TableRow &row, int column, int role) const
{
    switch (role) {
    case FullTokenRole: return row.values[Token];
    case StateRole: return int(row.values[Status].toLongLong());
    case Qt::DisplayRole:
        if (column == Token) {
            const QString token = row.values[Token].toString();
            return token.size() > kTokenPrefixLength ? token.left(kTokenPrefixLength) + QStringLiteral("…")
                                                     : token;
        }
        if (column == Status)
            return stateName(InvitationRecord::State(row.values[Status].toLongLong()));
        break;
    case Qt::TextAlignmentRole:
        if (column == Status)
            return {};
        break;
    default: break;
    }
    return LazySqlTableModel::loadedData(row, column, role);
}

std::optional<InvitationRecord> InvitationsTableModel::invitationAt(int row) const
{
    const TableRow *r = loadedRow(row);
    if (!r)
        return std::nullopt;
    InvitationRecord inv;
    inv.id = r->id;
    inv.token = r->values[Token].toString();
    inv.role = r->values[Role].toString();
    if (const QVariant g = fieldValue(*r, GroupIdField); g.isValid())
        inv.groupId = g.toLongLong();
    inv.groupName = r->values[Group].toString();
    inv.maxUsage = int(fieldValue(*r, MaxUsageField).toLongLong());
    inv.usageCount = int(fieldValue(*r, UsageCountField).toLongLong());
    inv.expiresAt = r->values[Expires].toString();
    if (const QVariant c = fieldValue(*r, CreatedByIdField); c.isValid())
        inv.createdById = c.toLongLong();
    inv.createdBy = r->values[CreatedBy].toString();
    inv.createdAt = r->values[Created].toString();
    inv.state = InvitationRecord::State(r->values[Status].toLongLong());
    return inv;
}

} // namespace rk
