#pragma once

#include "core/Result.h"
#include "tasks/FitCheck.h"

#include <QList>
#include <QString>

namespace rk {

// The runner nodes of a platform database (or a host profile's mirror: the same `nodes` and
// `tasks` tables) as the fit check expects them, that is as GET /api/nodes would describe them:
// each `nodes` row becomes the JSON object the host sends (hostname, status, total_cores,
// memory_total_bytes, numa_topology, gpu_info) and goes through NodeState::fromApiJson(), so the
// page and a host connection read nodes the same way. What the host computes per request is
// computed here from `tasks` as the host does: cores_in_use is the sum of required_cores of the
// node's "running" and "assigning" tasks ("N/A" when the node is offline); the GPUs named by its
// running, assigning and paused tasks are marked in use.
//
// A few rows: read synchronously on the caller's thread over its own read-only connection with a
// short busy timeout, so a host's write lock delays it at most that long.
class ClusterSnapshot
{
public:
    static constexpr int kBusyTimeoutMs = 500;

    static Result<QList<NodeState>> read(const QString &databasePath);
};

} // namespace rk
