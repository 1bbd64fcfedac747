#pragma once

#include "LazySqlTableModel.h"

#include <QJsonObject>
#include <QList>
#include <QMap>

#include <optional>

namespace rk {

// One row of the host's `nodes` table with what GET /api/nodes adds (cores in use), as the
// Nodes page shows it in full. Plain data; any thread.
struct NodeDetails
{
    QString hostname;
    QString url;
    QString status; // "online" | "offline" (as stored)
    int totalCores = 0;
    std::optional<int> coresInUse; // nullopt: offline ("N/A" on the host) or unknown
    std::optional<qint64> memoryUsedBytes;
    std::optional<qint64> memoryTotalBytes;
    std::optional<double> memoryPercent;
    std::optional<double> cpuPercent;
    std::optional<double> avgTemp; // °C
    std::optional<double> maxTemp;
    QString lastHeartbeat; // host datetime text
    bool vmCapable = false;
    QString runnerVersion;
    // JSON columns: the parsed value when the text could be read, and the text as stored.
    QString numaRaw;
    std::optional<QMap<int, QList<int>>> numaTopology; // NUMA node -> cores; nullopt: NULL or malformed
    QString gpuRaw;
    std::optional<QList<QJsonObject>> gpus; // runner-defined objects; nullopt: malformed
    QString vfioRaw;
    std::optional<QList<QJsonObject>> vfioGpus;

    bool isOnline() const { return status == QLatin1String("online"); }

    static std::optional<QMap<int, QList<int>>> parseNumaTopology(const QString &text);
    static std::optional<QList<QJsonObject>> parseObjectList(const QString &text);
};

// The runner nodes of a platform database or a host profile's mirror (the `nodes` table): one
// row per node, sorted by hostname by default, filtered (hostname, URL, runner version) and
// sorted in SQL like every LazySqlTableModel. The row id (IdRole) is the table's rowid: nodes are
// keyed by hostname, so use rowOfHostname() to find one again.
//
// Cores in use is what GET /api/nodes reports: a mirror keeps the host's own number in
// rk_mirror_node_usage (NULL for an offline node); a platform database has no such table, so
// it is computed as the host computes it, the sum of required_cores of the node's running and
// assigning tasks, and NULL (shown "N/A") for an offline node. All methods are for the model's
// thread.
class NodesTableModel : public LazySqlTableModel
{
    Q_OBJECT

public:
    enum Column {
        Hostname,
        Status, // as stored; StatusRole too
        TotalCores,
        CoresInUse, // "N/A" when offline; RawValueRole: int or invalid
        Memory, // "258 GiB / 512 GiB"; RawValueRole: used bytes
        Cpu, // "31.4 %"; RawValueRole: the percentage
        AvgTemp, // "43.8 °C"
        MaxTemp,
        Gpus, // how many gpu_info lists (empty when malformed)
        VmCapable, // bool
        RunnerVersion,
        LastHeartbeat, // QDateTime
        ColumnCount,
    };
    Q_ENUM(Column)

    enum NodeRole {
        StatusRole = FirstSubclassRole, // QString: nodes.status as stored (any column)
        HostnameRole, // QString (any column)
    };
    Q_ENUM(NodeRole)

    // Detects whether `databasePath` has rk_mirror_node_usage (a mirror) with one short read.
    explicit NodesTableModel(const QString &databasePath, QObject *parent = nullptr);
    // `mirrorUsage`: read cores in use from rk_mirror_node_usage (which must exist).
    NodesTableModel(
        const QString &databasePath, bool mirrorUsage, const Options &options, QObject *parent = nullptr);

    static std::shared_ptr<const TableSpec> makeSpec(bool mirrorUsage);
    // Whether the file has the mirror's rk_mirror_node_usage table; false when it cannot be read.
    static bool hasMirrorUsage(const QString &databasePath);

    bool readsMirrorUsage() const { return m_mirrorUsage; }

    // The node at `row` when loaded.
    std::optional<NodeDetails> nodeAt(int row) const;
    // The row of a loaded node, or -1.
    int rowOfHostname(const QString &hostname) const;

    // "31.4 %", "43.8 °C"; empty for nullopt.
    static QString percentText(const std::optional<double> &value);
    static QString temperatureText(const std::optional<double> &value);
    // "258 GiB / 512 GiB" (either side "?" when unknown; empty when both are).
    static QString memoryText(const std::optional<qint64> &used, const std::optional<qint64> &total);

    QHash<int, QByteArray> roleNames() const override;

protected:
    QVariant loadedData(const TableRow &row, int column, int role) const override;

private:
    bool m_mirrorUsage = false;
};

} // namespace rk
