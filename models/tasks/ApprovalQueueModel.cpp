#include "ApprovalQueueModel.h"

#include "TaskStatus.h"
#include "TasksTableModel.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace rk {

namespace {
// Parsed rows kept at most; the queue is normally a few dozen tasks.
constexpr qsizetype kMaxCachedDetails = 4096;

QVariant optionalInt(const std::optional<int> &v)
{
    return v ? QVariant(*v) : QVariant();
}

QVariant optionalInt64(const std::optional<qint64> &v)
{
    return v ? QVariant::fromValue<qint64>(*v) : QVariant();
}
} // namespace

ApprovalQueueModel::ApprovalQueueModel(const QString &databasePath, QObject *parent)
    : ApprovalQueueModel(databasePath, Options {}, parent)
{
}

ApprovalQueueModel::ApprovalQueueModel(const QString &databasePath, const Options &options, QObject *parent)
    : LazySqlTableModel(databasePath, makeSpec(), options, parent),
      m_clock(options.clock ? options.clock : &hosttime::Instant::now)
{
    connect(this, &LazySqlTableModel::orderingComplete, this, &ApprovalQueueModel::onOrderingComplete);
}

std::shared_ptr<const TableSpec> ApprovalQueueModel::makeSpec()
{
    auto spec = std::make_shared<TableSpec>();
    spec->name = QStringLiteral("approval queue");
    spec->from = QStringLiteral("tasks t");
    spec->joins = TaskDetails::sqlJoins();
    spec->idExpression = QStringLiteral("t.task_id");
    // Sorting by risk orders by (privileged, host mounts, GPU count, memory): the flags' order of
    // severity, independent of the thresholds (which the spec cannot know).
    const QString riskSort
        = QStringLiteral("printf('%d%d%04d%020d', t.docker_privileged != 0, "
                         "coalesce(trim(t.docker_mount_dirs), '') NOT IN ('', '[]'), coalesce(%1, 0), "
                         "coalesce(t.required_memory_bytes, 0))")
              .arg(TasksTableModel::gpuCountSql());
    spec->columns = {
        {.title = tr("ID"), .select = QStringLiteral("t.task_id"), .kind = TableValueKind::Integer},
        {.title = tr("Submitted"),
            .select = QStringLiteral("t.submitted_at"),
            .kind = TableValueKind::HostDateTime},
        // Longest waiting last when ascending: the reverse of the submission time.
        {.title = tr("Waiting"),
            .select = QStringLiteral("t.submitted_at"),
            .sort = QStringLiteral("-julianday(t.submitted_at)"),
            .kind = TableValueKind::HostDateTime,
            .toolTip = tr("How long the task has waited for approval")},
        {.title = tr("Submitter"), .select = QStringLiteral("u.username")},
        {.title = tr("Type"), .select = QStringLiteral("t.task_type")},
        {.title = tr("Name"), .select = QStringLiteral("t.name"), .search = TasksTableModel::searchSql()},
        {.title = tr("Command"), .select = QStringLiteral("t.command")},
        {.title = tr("Cores"), .select = QStringLiteral("t.required_cores"), .kind = TableValueKind::Integer},
        {.title = tr("Memory"),
            .select = QStringLiteral("t.required_memory_bytes"),
            .kind = TableValueKind::Integer},
        {.title = tr("GPUs"),
            .select = QStringLiteral("t.required_gpus"),
            .sort = TasksTableModel::gpuCountSql(),
            .toolTip = tr("GPU indices on the target node")},
        {.title = tr("Target"), .select = QStringLiteral("t.assigned_node")},
        {.title = tr("Image"), .select = QStringLiteral("coalesce(t.registry_image, t.container_name)")},
        {.title = tr("Risk"),
            .select = QStringLiteral("t.docker_privileged"),
            .sort = riskSort,
            .toolTip = tr("Privileged containers, host mounts, many GPUs, large memory")},
    };
    spec->fields = TaskDetails::sqlFields();
    spec->fixedWhere = QStringLiteral("t.status = ?");
    spec->fixedParameters = {TaskStatus::kPendingApproval};
    spec->defaultSortColumn = Submitted;
    spec->defaultSortOrder = Qt::DescendingOrder;
    return spec;
}

void ApprovalQueueModel::setRiskThresholds(const RiskThresholds &thresholds)
{
    m_thresholds = thresholds;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

QString ApprovalQueueModel::formatAge(qint64 seconds)
{
    if (seconds < 60)
        return tr("just now");
    const qint64 minutes = seconds / 60;
    const qint64 hours = minutes / 60;
    const qint64 days = hours / 24;
    if (days > 0)
        return tr("%1 d %2 h ago").arg(days).arg(hours % 24);
    if (hours > 0)
        return tr("%1 h %2 min ago").arg(hours).arg(minutes % 60);
    return tr("%1 min ago").arg(minutes);
}

void ApprovalQueueModel::refreshAges()
{
    if (rowCount() == 0)
        return;
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
        {Qt::DisplayRole, RawValueRole, AgeSecondsRole, AgeTextRole});
}

const TaskDetails &ApprovalQueueModel::detailsOf(const TableRow &row) const
{
    auto it = m_details.find(row.id);
    if (it != m_details.end() && it->values == row.values)
        return it->details;
    if (it == m_details.end() && m_details.size() >= kMaxCachedDetails)
        m_details.clear();
    CachedDetails cached {
        row.values, TaskDetails::fromValues(row.id, row.values, size_t(spec().fieldIndex(0)))};
    it = m_details.insert(row.id, std::move(cached));
    return it->details;
}

qint64 ApprovalQueueModel::ageSeconds(const TableRow &row) const
{
    // The loader parsed the text into a QDateTime, or kept the text when it is malformed.
    const QVariant &shown = row.display[Submitted];
    const QDateTime submitted = shown.typeId() == QMetaType::QDateTime ? shown.toDateTime() : QDateTime();
    if (!submitted.isValid())
        return std::numeric_limits<qint64>::min();
    const hosttime::Instant now = m_clock();
    const hosttime::Instant then = hosttime::Instant::fromDateTime(submitted);
    qint64 secs = now.secsSinceEpoch - then.secsSinceEpoch;
    if (now.micros < then.micros)
        --secs;
    return secs;
}

QHash<int, QByteArray> ApprovalQueueModel::roleNames() const
{
    QHash<int, QByteArray> names = LazySqlTableModel::roleNames();
    const QHash<int, QByteArray> own = {
        {TaskIdTextRole, "taskIdText"},
        {SubmitterRole, "submitter"},
        {SubmitterIdRole, "submitterId"},
        {SubmittedRole, "submitted"},
        {AgeSecondsRole, "ageSeconds"},
        {AgeTextRole, "ageText"},
        {TypeRole, "taskType"},
        {CommandRole, "command"},
        {ArgumentsRole, "arguments"},
        {ArgumentsTextRole, "argumentsText"},
        {CommandLineRole, "commandLine"},
        {EnvVarsRole, "envVars"},
        {EnvVarsTextRole, "envVarsText"},
        {CoresRole, "cores"},
        {MemoryBytesRole, "memoryBytes"},
        {GpuIndicesRole, "gpuIndices"},
        {GpusTextRole, "gpusText"},
        {TargetNodeRole, "targetNode"},
        {NumaNodeRole, "numaNode"},
        {ContainerRole, "container"},
        {ImageRole, "image"},
        {PrivilegedRole, "privileged"},
        {MountsRole, "mounts"},
        {MountsTextRole, "mountsText"},
        {RiskFlagsRole, "riskFlags"},
        {RiskTextRole, "riskText"},
    };
    names.insert(own);
    return names;
}

QVariant ApprovalQueueModel::loadedData(const TableRow &row, int column, int role) const
{
    // Roles that need no parsing first: views ask for many roles a reviewer's columns never use.
    switch (role) {
    case TaskIdTextRole: return QString::number(row.id);
    case SubmittedRole:
        return row.display[Submitted].typeId() == QMetaType::QDateTime ? row.display[Submitted] : QVariant();
    case AgeSecondsRole:
    case AgeTextRole: {
        const qint64 age = ageSeconds(row);
        if (age == std::numeric_limits<qint64>::min())
            return {};
        return role == AgeSecondsRole ? QVariant::fromValue<qint64>(age) : QVariant(formatAge(age));
    }
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case RawValueRole:
    case Qt::TextAlignmentRole: break;
    default:
        if (role < TaskIdTextRole || role > RiskTextRole)
            return LazySqlTableModel::loadedData(row, column, role);
        break;
    }

    const TaskDetails &t = detailsOf(row);
    switch (role) {
    case SubmitterRole: return t.owner;
    case SubmitterIdRole: return optionalInt64(t.ownerId);
    case TypeRole: return t.type;
    case CommandRole: return t.command;
    case ArgumentsRole: return t.arguments.value ? QVariant(*t.arguments.value) : QVariant();
    case ArgumentsTextRole: return t.arguments.raw;
    case CommandLineRole: return t.commandLine();
    case EnvVarsRole: {
        if (!t.envVars.value)
            return {};
        QVariantList pairs;
        for (const auto &[name, value] : *t.envVars.value)
            pairs.append(QVariant(QStringList {name, value}));
        return pairs;
    }
    case EnvVarsTextRole: return t.envVars.raw;
    case CoresRole: return t.cores;
    case MemoryBytesRole: return optionalInt64(t.memoryBytes);
    case GpuIndicesRole: {
        if (!t.gpus.value)
            return {};
        QVariantList gpus;
        for (int g : *t.gpus.value)
            gpus.append(g);
        return gpus;
    }
    case GpusTextRole: return t.gpus.raw;
    case TargetNodeRole: return t.assignedNode;
    case NumaNodeRole: return optionalInt(t.numaNode);
    case ContainerRole: return t.containerName;
    case ImageRole: return t.imageText();
    case PrivilegedRole: return t.privileged;
    case MountsRole: return t.mounts.value ? QVariant(*t.mounts.value) : QVariant();
    case MountsTextRole: return t.mounts.raw;
    case RiskFlagsRole: return int(t.risks(m_thresholds).toInt());
    case RiskTextRole: return TaskDetails::riskText(t.risks(m_thresholds));
    case Qt::DisplayRole:
        switch (column) {
        case Id: return t.idText();
        case Waiting: {
            const qint64 age = ageSeconds(row);
            return age == std::numeric_limits<qint64>::min() ? QVariant() : QVariant(formatAge(age));
        }
        case Type: return TaskStatus::typeLabel(t.type);
        case Command: return t.summary();
        case Memory: return t.memoryBytes ? QVariant(TaskDetails::formatBytes(*t.memoryBytes)) : QVariant();
        case Gpus: return t.gpusText();
        case Target: return t.targetText();
        case Image: return t.imageText();
        case Risk: return TaskDetails::riskText(t.risks(m_thresholds));
        default: break;
        }
        break;
    case RawValueRole:
        switch (column) {
        case Waiting: {
            const qint64 age = ageSeconds(row);
            return age == std::numeric_limits<qint64>::min() ? QVariant() : QVariant::fromValue<qint64>(age);
        }
        case Risk: return int(t.risks(m_thresholds).toInt());
        case Gpus: return t.gpus.value ? QVariant(int(t.gpus.value->size())) : QVariant();
        default: break;
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case Submitted:
        case Waiting: return t.submittedAt;
        case Command: return t.isVps() ? t.command : t.commandLine();
        case Gpus:
            return t.gpus.value ? QVariant() : QVariant(tr("The GPU list cannot be read; shown as stored."));
        case Image: {
            QStringList lines;
            if (!t.containerName.isEmpty())
                lines.append(tr("Container: %1").arg(t.containerName));
            if (!t.registryImage.isEmpty())
                lines.append(tr("Registry image: %1").arg(t.registryImage));
            if (!t.dockerImage.isEmpty())
                lines.append(tr("Docker image: %1").arg(t.dockerImage));
            if (!t.vmImage.isEmpty())
                lines.append(tr("VM image: %1").arg(t.vmImage));
            return lines.isEmpty() ? QVariant() : QVariant(lines.join(QLatin1Char('\n')));
        }
        case Risk: {
            QStringList lines;
            const TaskRisks risks = t.risks(m_thresholds);
            if (risks.testFlag(TaskRisk::Privileged))
                lines.append(tr("Runs in a privileged container"));
            if (risks.testFlag(TaskRisk::HostMounts)) {
                lines.append(t.mounts.value
                        ? tr("Mounts host directories: %1").arg(t.mounts.value->join(QStringLiteral(", ")))
                        : tr("Mounts cannot be read: %1").arg(t.mounts.raw));
            }
            if (risks.testFlag(TaskRisk::ManyGpus))
                lines.append(tr("Asks for %n GPU(s)", nullptr, int(t.gpus.value->size())));
            if (risks.testFlag(TaskRisk::LargeMemory))
                lines.append(tr("Asks for %1 of memory").arg(TaskDetails::formatBytes(*t.memoryBytes)));
            if (risks.testFlag(TaskRisk::Unreadable))
                lines.append(tr("Some fields are not valid JSON; check the raw text"));
            return lines.isEmpty() ? QVariant() : QVariant(lines.join(QLatin1Char('\n')));
        }
        default: return {};
        }
    case Qt::TextAlignmentRole:
        if (column == Id || column == Waiting)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default: break;
    }
    return LazySqlTableModel::loadedData(row, column, role);
}

std::optional<TaskDetails> ApprovalQueueModel::taskAt(int row) const
{
    const TableRow *r = loadedRow(row);
    if (!r)
        return std::nullopt;
    return detailsOf(*r);
}

void ApprovalQueueModel::onOrderingComplete()
{
    if (!filterText().isEmpty())
        return; // a subset of the queue: neither arrivals nor departures
    QSet<qint64> now;
    now.reserve(rowCount());
    for (int r = 0; r < rowCount(); ++r) {
        const qint64 id = idAt(r);
        if (id >= 0)
            now.insert(id);
    }
    QList<qint64> arrived;
    QList<qint64> left;
    for (qint64 id : now) {
        if (!m_known.contains(id))
            arrived.append(id);
    }
    for (qint64 id : std::as_const(m_known)) {
        if (!now.contains(id))
            left.append(id);
    }
    std::sort(arrived.begin(), arrived.end());
    std::sort(left.begin(), left.end());
    const bool first = !m_knownValid;
    m_known = std::move(now);
    m_knownValid = true;
    if (first || !arrived.isEmpty() || !left.isEmpty())
        Q_EMIT queueChanged(arrived, left);
}

} // namespace rk
