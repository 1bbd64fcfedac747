#pragma once

#include "host/HostTypes.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

// Nodes and cluster health as the host's REST API returns them (kohakuriver-host.md section 1.4).

namespace rk {

// An item of GET /api/nodes.
struct HostNode
{
    QString hostname;
    QString url;
    int totalCores = 0;
    std::optional<int> coresInUse; // nullopt when the host sent "N/A" (offline) or null
    int availableCores = 0;
    QString status; // "online" | "offline"
    HostTimestamp lastHeartbeat;
    QMap<int, QList<int>> numaTopology; // NUMA node -> cores; the JSON keys are strings
    bool hasNumaTopology = false; // false when the host sent null
    QList<QJsonObject> gpuInfo; // runner-defined objects, kept as they are
    std::optional<double> cpuPercent;
    std::optional<double> memoryPercent;
    std::optional<qint64> memoryUsedBytes;
    std::optional<qint64> memoryTotalBytes;
    std::optional<double> currentAvgTemp;
    std::optional<double> currentMaxTemp;
    bool vmCapable = false;
    QList<QJsonObject> vfioGpus;
    QString runnerVersion;

    bool isOnline() const { return status == QLatin1String("online"); }
};

// One node's entry in a GET /api/health sample.
struct HostNodeHealth
{
    QString hostname;
    QString status;
    HostTimestamp lastHeartbeat;
    std::optional<double> cpuPercent;
    std::optional<double> memoryPercent;
    std::optional<qint64> memoryUsedBytes;
    std::optional<qint64> memoryTotalBytes;
    std::optional<int> totalCores;
    std::optional<double> currentAvgTemp;
    std::optional<double> currentMaxTemp;
};

// The aggregate of one GET /api/health sample (camelCase keys on the wire).
struct HostHealthAggregate
{
    int totalNodes = 0;
    int onlineNodes = 0;
    qint64 totalCores = 0;
    qint64 totalMemBytes = 0;
    qint64 usedMemBytes = 0;
    double avgCpuPercent = 0;
    double avgMemPercent = 0;
    double maxAvgCpuTemp = 0;
    double maxMaxCpuTemp = 0;
    HostTimestamp lastUpdated;
};

// GET /api/health: up to 60 one-second samples, oldest first; nodes[i] and aggregate[i] belong
// together.
struct HostHealth
{
    QList<QList<HostNodeHealth>> nodes;
    QList<HostHealthAggregate> aggregate;
};

} // namespace rk
