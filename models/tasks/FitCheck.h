#pragma once

#include "TaskDetails.h"

#include <QCoreApplication>
#include <QFlags>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace rk {

// A runner node as the host reports it (GET /api/nodes), reduced to what a fit check needs.
struct NodeState
{
    QString hostname;
    bool online = false;
    int totalCores = 0;
    std::optional<int> coresInUse; // nullopt: unknown (the host sends "N/A" for an offline node)
    std::optional<qint64> memoryTotalBytes; // nullopt: unknown
    QMap<int, bool> gpus; // every GPU index of the node -> in use by a running task
    QMap<int, QList<int>> numaNodes; // NUMA node id -> its core ids; empty: topology unknown

    // From one element of /api/nodes: `cores_in_use` may be an int or "N/A", `numa_topology`
    // has string keys ({"0": [0, 1, ...]}) or is null, `gpu_info` is a list of objects with
    // `gpu_id`. Every GPU starts free: the host does not say which are busy; mark the ones held
    // by running tasks on the node (their required_gpus) with markGpusInUse().
    static NodeState fromApiJson(const QJsonObject &node);
    void markGpusInUse(const QList<int> &indices);
};

// Whether a task fits on its target node now, will wait for resources, or cannot run there.
struct FitCheck
{
    Q_DECLARE_TR_FUNCTIONS(FitCheck)

public:
    enum class Verdict {
        FitsNow, // enough free cores and every GPU it names is free
        WillQueue, // the node is big enough, but cores or GPUs are busy now
        CannotFit, // the node is offline, too small, or lacks a GPU / NUMA node the task names
        Unknown, // not enough information (cores in use unknown, GPU list unreadable, no target)
    };
    enum class Reason : unsigned {
        None = 0,
        NodeOffline = 1U << 0,
        NodeUnknown = 1U << 1, // the target is not among the nodes the host reports
        NoTarget = 1U << 2, // the task names no node
        TooFewCores = 1U << 3, // more cores than the node (or its NUMA node) has
        TooLittleMemory = 1U << 4, // more memory than the node has
        GpuMissing = 1U << 5, // a GPU index the node does not have
        NumaMissing = 1U << 6, // a NUMA node the node does not have
        CoresBusy = 1U << 7,
        GpusBusy = 1U << 8,
        CoresInUseUnknown = 1U << 9,
        GpusUnreadable = 1U << 10,
    };
    Q_DECLARE_FLAGS(Reasons, Reason)

    Verdict verdict = Verdict::Unknown;
    Reasons reasons;
    QString message; // one or more translated sentences for the reviewer
    int freeCores = -1; // -1: unknown
    QList<int> missingGpus;
    QList<int> busyGpus;

    bool fitsNow() const { return verdict == Verdict::FitsNow; }
};
Q_DECLARE_OPERATORS_FOR_FLAGS(FitCheck::Reasons)

// Checks `task` against `node` (its target, whatever `task.assignedNode` says). Pure; any thread.
FitCheck checkFit(const TaskDetails &task, const NodeState &node);
// Checks `task` against the node named by its assigned_node among `nodes`: NoTarget when it
// names none, NodeUnknown (CannotFit) when the host does not report that node.
FitCheck checkFit(const TaskDetails &task, const QList<NodeState> &nodes);

} // namespace rk
