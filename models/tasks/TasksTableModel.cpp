#include "TasksTableModel.h"

#include "TaskStatus.h"

namespace rk {

TasksTableModel::TasksTableModel(const QString &databasePath, QObject *parent)
    : TasksTableModel(databasePath, Options {}, parent)
{
}

TasksTableModel::TasksTableModel(const QString &databasePath, const Options &options, QObject *parent)
    : LazySqlTableModel(databasePath, makeSpec(), options, parent)
{
}

QString TasksTableModel::searchSql()
{
    // The owner through a subquery over the small users table, not a join per task.
    return QStringLiteral("t.name{like} OR t.command{like} OR t.arguments{like} "
                          "OR t.owner_id IN (SELECT id FROM users WHERE username{like})");
}

QString TasksTableModel::gpuCountSql()
{
    // json_array_length() raises an error on malformed JSON, which would fail the whole query:
    // only ask it about valid text (CASE evaluates lazily).
    return QStringLiteral("CASE WHEN json_valid(t.required_gpus) AND json_type(t.required_gpus) = 'array' "
                          "THEN json_array_length(t.required_gpus) END");
}

std::shared_ptr<const TableSpec> TasksTableModel::makeSpec()
{
    auto spec = std::make_shared<TableSpec>();
    spec->name = QStringLiteral("tasks");
    spec->from = QStringLiteral("tasks t");
    spec->joins = TaskDetails::sqlJoins();
    spec->idExpression = QStringLiteral("t.task_id");
    spec->columns = {
        {.title = tr("ID"), .select = QStringLiteral("t.task_id"), .kind = TableValueKind::Integer},
        {.title = tr("Name"), .select = QStringLiteral("t.name"), .search = searchSql()},
        {.title = tr("Type"), .select = QStringLiteral("t.task_type")},
        {.title = tr("Owner"), .select = QStringLiteral("u.username")},
        {.title = tr("Status"), .select = QStringLiteral("t.status")},
        {.title = tr("Node"), .select = QStringLiteral("t.assigned_node")},
        {.title = tr("Cores"), .select = QStringLiteral("t.required_cores"), .kind = TableValueKind::Integer},
        {.title = tr("Memory"),
            .select = QStringLiteral("t.required_memory_bytes"),
            .kind = TableValueKind::Integer},
        {.title = tr("GPUs"),
            .select = QStringLiteral("t.required_gpus"),
            .sort = gpuCountSql(),
            .toolTip = tr("GPU indices on the node")},
        {.title = tr("Submitted"),
            .select = QStringLiteral("t.submitted_at"),
            .kind = TableValueKind::HostDateTime},
        {.title = tr("Started"),
            .select = QStringLiteral("t.started_at"),
            .kind = TableValueKind::HostDateTime},
        {.title = tr("Completed"),
            .select = QStringLiteral("t.completed_at"),
            .kind = TableValueKind::HostDateTime},
        {.title = tr("Exit code"), .select = QStringLiteral("t.exit_code"), .kind = TableValueKind::Integer},
    };
    spec->fields = TaskDetails::sqlFields();
    spec->defaultSortColumn = Submitted;
    spec->defaultSortOrder = Qt::DescendingOrder;
    return spec;
}

void TasksTableModel::setStatusFilter(const QStringList &statuses)
{
    m_statuses = statuses;
    applyConditions();
}

void TasksTableModel::setTypeFilter(const QString &taskType)
{
    m_type = taskType;
    applyConditions();
}

void TasksTableModel::setOwnerFilter(std::optional<qint64> ownerId)
{
    m_owner = ownerId;
    applyConditions();
}

void TasksTableModel::applyConditions()
{
    QStringList conditions;
    QVariantList params;
    if (!m_statuses.isEmpty()) {
        QStringList marks;
        for (const QString &status : m_statuses) {
            marks.append(QStringLiteral("?"));
            params.append(status);
        }
        conditions.append(QStringLiteral("t.status IN (") + marks.join(QLatin1Char(',')) + QLatin1Char(')'));
    }
    if (!m_type.isEmpty()) {
        conditions.append(QStringLiteral("t.task_type = ?"));
        params.append(m_type);
    }
    if (m_owner) {
        conditions.append(QStringLiteral("t.owner_id = ?"));
        params.append(QVariant::fromValue<qint64>(*m_owner));
    }
    setExtraCondition(conditions.join(QStringLiteral(" AND ")), params);
}

QHash<int, QByteArray> TasksTableModel::roleNames() const
{
    QHash<int, QByteArray> names = LazySqlTableModel::roleNames();
    names.insert(TaskIdTextRole, QByteArrayLiteral("taskIdText"));
    names.insert(StatusRole, QByteArrayLiteral("status"));
    names.insert(TypeRole, QByteArrayLiteral("taskType"));
    names.insert(OwnerIdRole, QByteArrayLiteral("ownerId"));
    names.insert(CommandLineRole, QByteArrayLiteral("commandLine"));
    return names;
}

QVariant TasksTableModel::loadedData(const TableRow &row, int column, int role) const
{
    switch (role) {
    case TaskIdTextRole: return QString::number(row.id);
    case StatusRole: return row.values[Status];
    case TypeRole: return row.values[Type];
    case OwnerIdRole: {
        const QVariant owner = fieldValue(row, TaskDetails::OwnerIdField);
        return owner.isNull() ? QVariant() : owner;
    }
    case CommandLineRole:
        return TaskDetails::fromValues(row.id, row.values, size_t(spec().fieldIndex(0))).summary();
    case Qt::DisplayRole:
        switch (column) {
        case Id: return QString::number(row.values[Id].toLongLong());
        case Type: return TaskStatus::typeLabel(row.values[Type].toString());
        case Status: return TaskStatus::label(row.values[Status].toString());
        case Memory: {
            const QVariant bytes = row.values[Memory];
            return bytes.isNull() ? QVariant() : QVariant(TaskDetails::formatBytes(bytes.toLongLong()));
        }
        case Gpus: {
            const QString raw = row.values[Gpus].toString();
            const auto gpus = TaskDetails::parseIntList(raw);
            if (!gpus)
                return raw;
            QStringList out;
            for (int g : *gpus)
                out.append(QString::number(g));
            return out.join(QStringLiteral(", "));
        }
        default: break;
        }
        break;
    case RawValueRole:
        if (column == Gpus) {
            // The SQL sort counts the entries of any JSON list; a list that is not all indices
            // is unreadable here.
            const auto gpus = TaskDetails::parseIntList(row.values[Gpus].toString());
            return gpus ? QVariant(int(gpus->size())) : QVariant();
        }
        break;
    case Qt::ToolTipRole:
        if (column == Gpus && !TaskDetails::parseIntList(row.values[Gpus].toString()))
            return tr("The GPU list cannot be read; shown as stored.");
        if (column == Name)
            return TaskDetails::fromValues(row.id, row.values, size_t(spec().fieldIndex(0))).summary();
        return {};
    default: break;
    }
    return LazySqlTableModel::loadedData(row, column, role);
}

std::optional<TaskDetails> TasksTableModel::taskAt(int row) const
{
    const TableRow *r = loadedRow(row);
    if (!r)
        return std::nullopt;
    return TaskDetails::fromValues(r->id, r->values, size_t(spec().fieldIndex(0)));
}

} // namespace rk
