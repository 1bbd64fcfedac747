#include "NodesTableModel.h"

#include "store/SqliteDatabase.h"
#include "tasks/TaskDetails.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace rk {

namespace {

enum Field { UrlField, MemoryTotalField, MemoryPercentField, NumaField, GpuInfoField, VfioField, FieldCount };

constexpr int kProbeBusyTimeoutMs = 500;

std::optional<double> optionalReal(const QVariant &v)
{
    if (!v.isValid() || v.isNull())
        return std::nullopt;
    bool ok = false;
    const double d = v.toDouble(&ok);
    return ok ? std::optional<double>(d) : std::nullopt;
}

std::optional<qint64> optionalInt(const QVariant &v)
{
    if (!v.isValid() || v.isNull())
        return std::nullopt;
    bool ok = false;
    const qint64 i = v.toLongLong(&ok);
    return ok ? std::optional<qint64>(i) : std::nullopt;
}

} // namespace

NodesTableModel::NodesTableModel(const QString &databasePath, QObject *parent)
    : NodesTableModel(databasePath, hasMirrorUsage(databasePath), Options {}, parent)
{
}

NodesTableModel::NodesTableModel(
    const QString &databasePath, bool mirrorUsage, const Options &options, QObject *parent)
    : LazySqlTableModel(databasePath, makeSpec(mirrorUsage), options, parent), m_mirrorUsage(mirrorUsage)
{
}

bool NodesTableModel::hasMirrorUsage(const QString &databasePath)
{
    auto db = SqliteDatabase::open(databasePath, SqliteDatabase::OpenMode::ReadOnly, kProbeBusyTimeoutMs);
    if (!db)
        return false;
    auto found = db.value()->scalar(QStringLiteral(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'rk_mirror_node_usage'"));
    return found && found.value().toLongLong() > 0;
}

std::shared_ptr<const TableSpec> NodesTableModel::makeSpec(bool mirrorUsage)
{
    auto spec = std::make_shared<TableSpec>();
    spec->name = QStringLiteral("nodes");
    spec->from = QStringLiteral("nodes n");
    spec->idExpression = QStringLiteral("n.rowid");
    // The host's get_node_available_cores(): running and assigning tasks hold their cores; an
    // offline node reports "N/A".
    const QString inUse = mirrorUsage
        ? QStringLiteral(
            "(SELECT mu.cores_in_use FROM rk_mirror_node_usage mu WHERE mu.hostname = n.hostname)")
        : QStringLiteral(
            "CASE WHEN n.status = 'online' THEN (SELECT coalesce(sum(t.required_cores), 0) FROM tasks "
            "t WHERE t.assigned_node = n.hostname AND t.status IN ('running', 'assigning')) END");
    const QString gpuCount
        = QStringLiteral("CASE WHEN json_valid(n.gpu_info) AND json_type(n.gpu_info) = 'array' "
                         "THEN json_array_length(n.gpu_info) END");
    spec->columns = {
        {.title = tr("Hostname"), .select = QStringLiteral("n.hostname"), .searchable = true},
        {.title = tr("Status"), .select = QStringLiteral("n.status"), .searchable = true},
        {.title = tr("Cores"), .select = QStringLiteral("n.total_cores"), .kind = TableValueKind::Integer},
        {.title = tr("In use"),
            .select = inUse,
            .kind = TableValueKind::Integer,
            .toolTip = tr("Cores held by running and assigning tasks (N/A while the node is offline)")},
        {.title = tr("Memory"),
            .select = QStringLiteral("n.memory_used_bytes"),
            .kind = TableValueKind::Integer,
            .toolTip = tr("Used / total, as the node last reported")},
        {.title = tr("CPU"), .select = QStringLiteral("n.cpu_percent"), .kind = TableValueKind::Integer},
        {.title = tr("Avg temp"),
            .select = QStringLiteral("n.current_avg_temp"),
            .kind = TableValueKind::Integer},
        {.title = tr("Max temp"),
            .select = QStringLiteral("n.current_max_temp"),
            .kind = TableValueKind::Integer},
        {.title = tr("GPUs"), .select = gpuCount, .kind = TableValueKind::Integer},
        {.title = tr("VM"),
            .select = QStringLiteral("n.vm_capable"),
            .kind = TableValueKind::Bool,
            .toolTip = tr("Whether the node can run QEMU virtual machines")},
        {.title = tr("Runner"), .select = QStringLiteral("n.runner_version"), .searchable = true},
        {.title = tr("Last heartbeat"),
            .select = QStringLiteral("n.last_heartbeat"),
            .kind = TableValueKind::HostDateTime},
    };
    spec->fields = {QStringLiteral("n.url"), QStringLiteral("n.memory_total_bytes"),
        QStringLiteral("n.memory_percent"), QStringLiteral("n.numa_topology"), QStringLiteral("n.gpu_info"),
        QStringLiteral("n.vfio_gpus")};
    static_assert(FieldCount == 6);
    spec->defaultSortColumn = Hostname;
    spec->defaultSortOrder = Qt::AscendingOrder;
    return spec;
}

QString NodesTableModel::percentText(const std::optional<double> &value)
{
    return value ? tr("%1 %").arg(*value, 0, 'f', 1) : QString();
}

QString NodesTableModel::temperatureText(const std::optional<double> &value)
{
    return value ? tr("%1 \u00b0C").arg(*value, 0, 'f', 1) : QString();
}

QString NodesTableModel::memoryText(const std::optional<qint64> &used, const std::optional<qint64> &total)
{
    if (!used && !total)
        return {};
    const QString u = used ? TaskDetails::formatBytes(*used) : QStringLiteral("?");
    const QString t = total ? TaskDetails::formatBytes(*total) : QStringLiteral("?");
    return tr("%1 / %2").arg(u, t);
}

std::optional<QMap<int, QList<int>>> NodeDetails::parseNumaTopology(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    QMap<int, QList<int>> out;
    const QJsonObject object = doc.object();
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        bool ok = false;
        const int numa = it.key().toInt(&ok); // the keys are strings on the host
        if (!ok || !it.value().isArray())
            return std::nullopt;
        QList<int> cores;
        const QJsonArray array = it.value().toArray();
        for (const QJsonValue &v : array) {
            if (!v.isDouble())
                return std::nullopt;
            cores.append(v.toInt());
        }
        out.insert(numa, cores);
    }
    return out;
}

std::optional<QList<QJsonObject>> NodeDetails::parseObjectList(const QString &text)
{
    if (text.isEmpty())
        return QList<QJsonObject> {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray())
        return std::nullopt;
    QList<QJsonObject> out;
    const QJsonArray array = doc.array();
    for (const QJsonValue &v : array) {
        if (!v.isObject())
            return std::nullopt;
        out.append(v.toObject());
    }
    return out;
}

QHash<int, QByteArray> NodesTableModel::roleNames() const
{
    QHash<int, QByteArray> names = LazySqlTableModel::roleNames();
    names.insert(StatusRole, QByteArrayLiteral("status"));
    names.insert(HostnameRole, QByteArrayLiteral("hostname"));
    return names;
}

QVariant NodesTableModel::loadedData(const TableRow &row, int column, int role) const
{
    switch (role) {
    case StatusRole: return row.values[Status];
    case HostnameRole: return row.values[Hostname];
    case Qt::DisplayRole:
        switch (column) {
        case CoresInUse: {
            const QVariant v = row.values[CoresInUse];
            return v.isNull() || !v.isValid() ? QVariant(tr("N/A")) : QVariant(v.toLongLong());
        }
        case Memory:
            return memoryText(
                optionalInt(row.values[Memory]), optionalInt(fieldValue(row, MemoryTotalField)));
        case Cpu: return percentText(optionalReal(row.values[Cpu]));
        case AvgTemp: return temperatureText(optionalReal(row.values[AvgTemp]));
        case MaxTemp: return temperatureText(optionalReal(row.values[MaxTemp]));
        case VmCapable: return row.values[VmCapable].toLongLong() != 0 ? tr("Yes") : tr("No");
        default: break;
        }
        break;
    case Qt::ToolTipRole:
        if (column == Gpus && row.values[Gpus].isNull() && !fieldValue(row, GpuInfoField).isNull())
            return tr("The GPU list cannot be read; see the node's details.");
        if (column == Memory) {
            if (const auto percent = optionalReal(fieldValue(row, MemoryPercentField)))
                return tr("%1 of the memory in use").arg(percentText(percent));
        }
        return {};
    default: break;
    }
    return LazySqlTableModel::loadedData(row, column, role);
}

std::optional<NodeDetails> NodesTableModel::nodeAt(int row) const
{
    const TableRow *r = loadedRow(row);
    if (!r)
        return std::nullopt;
    NodeDetails n;
    n.hostname = r->values[Hostname].toString();
    n.url = fieldValue(*r, UrlField).toString();
    n.status = r->values[Status].toString();
    n.totalCores = int(r->values[TotalCores].toLongLong());
    if (const auto inUse = optionalInt(r->values[CoresInUse]))
        n.coresInUse = int(*inUse);
    n.memoryUsedBytes = optionalInt(r->values[Memory]);
    n.memoryTotalBytes = optionalInt(fieldValue(*r, MemoryTotalField));
    n.memoryPercent = optionalReal(fieldValue(*r, MemoryPercentField));
    n.cpuPercent = optionalReal(r->values[Cpu]);
    n.avgTemp = optionalReal(r->values[AvgTemp]);
    n.maxTemp = optionalReal(r->values[MaxTemp]);
    n.lastHeartbeat = r->values[LastHeartbeat].toString();
    n.vmCapable = r->values[VmCapable].toLongLong() != 0;
    n.runnerVersion = r->values[RunnerVersion].toString();
    n.numaRaw = fieldValue(*r, NumaField).toString();
    if (!n.numaRaw.isEmpty())
        n.numaTopology = NodeDetails::parseNumaTopology(n.numaRaw);
    n.gpuRaw = fieldValue(*r, GpuInfoField).toString();
    n.gpus = NodeDetails::parseObjectList(n.gpuRaw);
    n.vfioRaw = fieldValue(*r, VfioField).toString();
    n.vfioGpus = NodeDetails::parseObjectList(n.vfioRaw);
    return n;
}

int NodesTableModel::rowOfHostname(const QString &hostname) const
{
    for (int row = 0; row < rowCount(); ++row) {
        if (const TableRow *r = loadedRow(row); r && r->values[Hostname].toString() == hostname)
            return row;
    }
    return -1;
}

} // namespace rk
