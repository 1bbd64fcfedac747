#include "SessionsTableModel.h"

namespace rk {

namespace {
enum Field { UserIdField };
} // namespace

SessionsTableModel::SessionsTableModel(const QString &databasePath, QObject *parent)
    : SessionsTableModel(databasePath, Options {}, parent)
{
}

SessionsTableModel::SessionsTableModel(const QString &databasePath, const Options &options, QObject *parent)
    : LazySqlTableModel(databasePath, makeSpec(), options, parent)
{
}

std::shared_ptr<const TableSpec> SessionsTableModel::makeSpec()
{
    auto spec = std::make_shared<TableSpec>();
    spec->name = QStringLiteral("sessions");
    spec->from = QStringLiteral("sessions s");
    spec->joins = {{QStringLiteral("u"), QStringLiteral("LEFT JOIN users u ON u.id = s.user_id")}};
    spec->idExpression = QStringLiteral("s.id");
    // Time left is a derived value: seconds from the query's now to expires_at, computed and
    // sorted in SQL (julianday() reads the host's text with or without a fraction).
    const QString secondsLeft
        = QStringLiteral("CAST(round((julianday(s.expires_at) - julianday(:now)) * 86400.0) AS INTEGER)");
    spec->columns = {
        {.title = tr("User"),
            .select = QStringLiteral("u.username"),
            .searchable = true,
            .toolTip = tr("Empty when the user account no longer exists"),
            .search = QStringLiteral("s.user_id IN (SELECT id FROM users WHERE username{like})")},
        {.title = tr("Created"),
            .select = QStringLiteral("s.created_at"),
            .kind = TableValueKind::HostDateTime},
        {.title = tr("Expires"),
            .select = QStringLiteral("s.expires_at"),
            .kind = TableValueKind::HostDateTime},
        {.title = tr("Time left"), .select = secondsLeft, .kind = TableValueKind::Integer},
        {.title = tr("State"), .select = QStringLiteral("s.expires_at > :now"), .kind = TableValueKind::Bool},
    };
    spec->fields = {QStringLiteral("s.user_id")};
    spec->defaultSortColumn = Created;
    spec->defaultSortOrder = Qt::DescendingOrder;
    return spec;
}

void SessionsTableModel::setUserFilter(std::optional<qint64> userId)
{
    m_userFilter = userId;
    if (userId)
        setExtraCondition(QStringLiteral("s.user_id = ?"), {QVariant::fromValue<qint64>(*userId)});
    else
        setExtraCondition({});
}

QString SessionsTableModel::formatTimeLeft(qint64 seconds)
{
    if (seconds <= 0)
        return tr("expired");
    const qint64 minutes = seconds / 60;
    const qint64 hours = minutes / 60;
    const qint64 days = hours / 24;
    if (days > 0)
        return tr("%1 d %2 h").arg(days).arg(hours % 24);
    if (hours > 0)
        return tr("%1 h %2 min").arg(hours).arg(minutes % 60);
    if (minutes > 0)
        return tr("%1 min").arg(minutes);
    return tr("< 1 min");
}

QHash<int, QByteArray> SessionsTableModel::roleNames() const
{
    QHash<int, QByteArray> names = LazySqlTableModel::roleNames();
    names.insert(UserIdRole, QByteArrayLiteral("userId"));
    names.insert(ActiveRole, QByteArrayLiteral("active"));
    return names;
}

QVariant SessionsTableModel::loadedData(const TableRow &row, int column, int role) const
{
    switch (role) {
    case UserIdRole: return fieldValue(row, UserIdField);
    case ActiveRole: return row.values[State].toLongLong() != 0;
    case Qt::DisplayRole:
        if (column == TimeLeft) {
            const QVariant seconds = row.values[TimeLeft];
            return seconds.isValid() ? QVariant(formatTimeLeft(seconds.toLongLong())) : QVariant();
        }
        if (column == State)
            return row.values[State].toLongLong() != 0 ? tr("Active") : tr("Expired");
        break;
    default: break;
    }
    return LazySqlTableModel::loadedData(row, column, role);
}

std::optional<SessionRecord> SessionsTableModel::sessionAt(int row) const
{
    const TableRow *r = loadedRow(row);
    if (!r)
        return std::nullopt;
    SessionRecord s;
    s.id = r->id;
    s.userId = fieldValue(*r, UserIdField).toLongLong();
    s.username = r->values[User].toString();
    s.createdAt = r->values[Created].toString();
    s.expiresAt = r->values[Expires].toString();
    s.expired = r->values[State].toLongLong() == 0;
    return s;
}

} // namespace rk
