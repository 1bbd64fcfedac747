#include "FitCheck.h"

#include <QJsonArray>
#include <QJsonValue>

namespace rk {

namespace {

QString indexList(const QList<int> &indices)
{
    QStringList out;
    for (int i : indices)
        out.append(QString::number(i));
    return out.join(QStringLiteral(", "));
}

// JSON integers the way the host may send them: a number, or its decimal text.
std::optional<qint64> jsonInteger(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d != double(qint64(d)))
            return std::nullopt;
        return v.toInteger();
    }
    if (v.isString()) {
        bool ok = false;
        const qint64 n = v.toString().trimmed().toLongLong(&ok);
        return ok ? std::optional<qint64>(n) : std::nullopt;
    }
    return std::nullopt;
}

} // namespace

NodeState NodeState::fromApiJson(const QJsonObject &node)
{
    NodeState n;
    n.hostname = node.value(QLatin1String("hostname")).toString();
    n.online = node.value(QLatin1String("status")).toString() == QLatin1String("online");
    n.totalCores = int(jsonInteger(node.value(QLatin1String("total_cores"))).value_or(0));
    const QJsonValue inUse = node.value(QLatin1String("cores_in_use"));
    if (inUse.isDouble()) // "N/A" (offline) and anything else: unknown
        n.coresInUse = int(inUse.toInteger());
    if (const auto mem = jsonInteger(node.value(QLatin1String("memory_total_bytes"))); mem && *mem > 0)
        n.memoryTotalBytes = *mem;
    const QJsonObject numa = node.value(QLatin1String("numa_topology")).toObject();
    for (auto it = numa.begin(); it != numa.end(); ++it) {
        bool ok = false;
        const int id = it.key().toInt(&ok);
        if (!ok)
            continue;
        QList<int> cores;
        for (const QJsonValue &c : it.value().toArray()) {
            if (const auto core = jsonInteger(c))
                cores.append(int(*core));
        }
        n.numaNodes.insert(id, cores);
    }
    const QJsonArray gpus = node.value(QLatin1String("gpu_info")).toArray();
    for (qsizetype i = 0; i < gpus.size(); ++i) {
        // A GPU without a readable gpu_id is numbered by its position, as nvidia-smi lists them.
        const auto id = jsonInteger(gpus.at(i).toObject().value(QLatin1String("gpu_id")));
        n.gpus.insert(int(id.value_or(i)), false);
    }
    return n;
}

void NodeState::markGpusInUse(const QList<int> &indices)
{
    for (int g : indices) {
        if (gpus.contains(g))
            gpus[g] = true;
    }
}

FitCheck checkFit(const TaskDetails &task, const NodeState &node)
{
    using R = FitCheck::Reason;
    FitCheck fit;
    QStringList cannot;
    QStringList busy;
    QStringList unknown;
    const QString host = node.hostname;

    if (!node.online) {
        fit.reasons |= R::NodeOffline;
        cannot.append(FitCheck::tr("Node %1 is offline.").arg(host));
    }

    // Capacity: the whole node, or the NUMA node the task is pinned to.
    int capacity = node.totalCores;
    if (task.numaNode && !node.numaNodes.isEmpty()) {
        if (!node.numaNodes.contains(*task.numaNode)) {
            fit.reasons |= R::NumaMissing;
            cannot.append(FitCheck::tr("Node %1 has no NUMA node %2.").arg(host).arg(*task.numaNode));
        } else {
            capacity = int(node.numaNodes.value(*task.numaNode).size());
        }
    }
    if (task.cores > capacity) {
        fit.reasons |= R::TooFewCores;
        if (task.numaNode && node.numaNodes.contains(*task.numaNode)) {
            cannot.append(FitCheck::tr("It needs %n core(s); NUMA node %1 of %2 has %3.", nullptr, task.cores)
                              .arg(*task.numaNode)
                              .arg(host)
                              .arg(capacity));
        } else {
            cannot.append(FitCheck::tr("It needs %n core(s); node %1 has %2.", nullptr, task.cores)
                              .arg(host)
                              .arg(capacity));
        }
    }
    if (task.memoryBytes && node.memoryTotalBytes && *task.memoryBytes > *node.memoryTotalBytes) {
        fit.reasons |= R::TooLittleMemory;
        cannot.append(FitCheck::tr("It needs %1 of memory; node %2 has %3.")
                          .arg(TaskDetails::formatBytes(*task.memoryBytes), host,
                              TaskDetails::formatBytes(*node.memoryTotalBytes)));
    }

    if (!task.gpus.value) {
        fit.reasons |= R::GpusUnreadable;
        unknown.append(FitCheck::tr("Its GPU list cannot be read (%1).").arg(task.gpus.raw));
    } else {
        for (int g : *task.gpus.value) {
            if (!node.gpus.contains(g))
                fit.missingGpus.append(g);
            else if (node.gpus.value(g))
                fit.busyGpus.append(g);
        }
        if (!fit.missingGpus.isEmpty()) {
            fit.reasons |= R::GpuMissing;
            cannot.append(node.gpus.isEmpty()
                    ? FitCheck::tr("It needs GPU %1; node %2 has no GPUs.")
                          .arg(indexList(fit.missingGpus), host)
                    : FitCheck::tr("It needs GPU %1; node %2 only has GPU %3.")
                          .arg(indexList(fit.missingGpus), host, indexList(node.gpus.keys())));
        }
        if (!fit.busyGpus.isEmpty()) {
            fit.reasons |= R::GpusBusy;
            busy.append(FitCheck::tr("GPU %1 on %2 is in use.").arg(indexList(fit.busyGpus), host));
        }
    }

    if (node.coresInUse) {
        fit.freeCores = qMax(0, node.totalCores - *node.coresInUse);
        if (task.cores > fit.freeCores && !fit.reasons.testFlag(R::TooFewCores)) {
            fit.reasons |= R::CoresBusy;
            busy.append(FitCheck::tr("It needs %n core(s); %1 of %2 are free on %3.", nullptr, task.cores)
                            .arg(fit.freeCores)
                            .arg(node.totalCores)
                            .arg(host));
        }
    } else if (node.online && task.cores > 0) {
        fit.reasons |= R::CoresInUseUnknown;
        unknown.append(FitCheck::tr("Node %1 does not report how many cores are in use.").arg(host));
    }

    if (!cannot.isEmpty()) {
        fit.verdict = FitCheck::Verdict::CannotFit;
        fit.message
            = FitCheck::tr("Cannot run on %1.").arg(host) + QLatin1Char(' ') + cannot.join(QLatin1Char(' '));
    } else if (!busy.isEmpty()) {
        // Busy resources are certain even when something else is unknown: it waits either way.
        fit.verdict = FitCheck::Verdict::WillQueue;
        fit.message
            = FitCheck::tr("Will queue on %1.").arg(host) + QLatin1Char(' ') + busy.join(QLatin1Char(' '));
    } else if (!unknown.isEmpty()) {
        fit.verdict = FitCheck::Verdict::Unknown;
        fit.message = FitCheck::tr("Cannot tell whether it fits on %1.").arg(host) + QLatin1Char(' ')
            + unknown.join(QLatin1Char(' '));
    } else {
        fit.verdict = FitCheck::Verdict::FitsNow;
        QStringList detail;
        if (fit.freeCores >= 0)
            detail.append(FitCheck::tr("%1 of %2 cores free").arg(fit.freeCores).arg(node.totalCores));
        if (!task.gpus.value->isEmpty())
            detail.append(FitCheck::tr("GPU %1 free").arg(indexList(*task.gpus.value)));
        fit.message = detail.isEmpty()
            ? FitCheck::tr("Fits on %1 now.").arg(host)
            : FitCheck::tr("Fits on %1 now (%2).").arg(host, detail.join(QStringLiteral("; ")));
    }
    return fit;
}

FitCheck checkFit(const TaskDetails &task, const QList<NodeState> &nodes)
{
    if (task.assignedNode.isEmpty()) {
        FitCheck fit;
        fit.verdict = FitCheck::Verdict::Unknown;
        fit.reasons = FitCheck::Reason::NoTarget;
        fit.message = FitCheck::tr("The task names no node; the host picks one when it is approved.");
        return fit;
    }
    for (const NodeState &node : nodes) {
        if (node.hostname == task.assignedNode)
            return checkFit(task, node);
    }
    FitCheck fit;
    fit.verdict = FitCheck::Verdict::CannotFit;
    fit.reasons = FitCheck::Reason::NodeUnknown;
    fit.message = FitCheck::tr("Cannot run on %1: the host does not know this node.").arg(task.assignedNode);
    return fit;
}

} // namespace rk
