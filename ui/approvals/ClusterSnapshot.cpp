#include "ClusterSnapshot.h"

#include "store/SqliteDatabase.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rk {

namespace {

// A JSON column as the API would carry it: the parsed value, or null when absent or malformed
// (fromApiJson() then treats the topology as unknown, the GPU list as empty).
QJsonValue jsonColumn(const QVariant &stored)
{
    if (!stored.isValid())
        return QJsonValue(QJsonValue::Null);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(stored.toString().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return QJsonValue(QJsonValue::Null);
    if (doc.isObject())
        return doc.object();
    if (doc.isArray())
        return doc.array();
    return QJsonValue(QJsonValue::Null);
}

} // namespace

Result<QList<NodeState>> ClusterSnapshot::read(const QString &databasePath)
{
    auto opened = SqliteDatabase::open(databasePath, SqliteDatabase::OpenMode::ReadOnly, kBusyTimeoutMs);
    if (!opened)
        return opened.error();
    SqliteDatabase &db = *opened.value();

    QList<NodeState> nodes;
    const Status status = db.readTransaction([&]() -> Status {
        // The host's get_node_available_cores(): running and assigning tasks hold their cores.
        QHash<QString, qint64> coresInUse;
        auto cores
            = db.prepare(QStringLiteral("SELECT assigned_node, coalesce(sum(required_cores), 0) FROM tasks "
                                        "WHERE status IN ('running', 'assigning') AND assigned_node "
                                        "IS NOT NULL GROUP BY assigned_node"));
        if (!cores)
            return cores.error();
        for (;;) {
            auto row = cores->step();
            if (!row)
                return row.error();
            if (!row.value())
                break;
            coresInUse.insert(cores->text(0), cores->int64(1));
        }

        // A paused container keeps its GPUs as well.
        QHash<QString, QList<int>> gpusInUse;
        auto gpus
            = db.prepare(QStringLiteral("SELECT assigned_node, required_gpus FROM tasks WHERE status IN "
                                        "('running', 'assigning', 'paused') AND assigned_node IS NOT NULL"));
        if (!gpus)
            return gpus.error();
        for (;;) {
            auto row = gpus->step();
            if (!row)
                return row.error();
            if (!row.value())
                break;
            if (const auto list = TaskDetails::parseIntList(gpus->text(1)))
                gpusInUse[gpus->text(0)].append(*list);
        }

        auto rows = db.prepare(QStringLiteral("SELECT hostname, status, total_cores, memory_total_bytes, "
                                              "numa_topology, gpu_info FROM nodes ORDER BY hostname"));
        if (!rows)
            return rows.error();
        for (;;) {
            auto row = rows->step();
            if (!row)
                return row.error();
            if (!row.value())
                break;
            const QString hostname = rows->text(0);
            const QString state = rows->text(1);
            QJsonObject api;
            api.insert(QLatin1String("hostname"), hostname);
            api.insert(QLatin1String("status"), state);
            api.insert(QLatin1String("total_cores"), rows->int64(2));
            if (state == QLatin1String("online"))
                api.insert(QLatin1String("cores_in_use"), coresInUse.value(hostname, 0));
            else
                api.insert(QLatin1String("cores_in_use"), QStringLiteral("N/A"));
            if (!rows->isNull(3))
                api.insert(QLatin1String("memory_total_bytes"), rows->int64(3));
            api.insert(QLatin1String("numa_topology"), jsonColumn(rows->value(4)));
            api.insert(QLatin1String("gpu_info"), jsonColumn(rows->value(5)));
            NodeState node = NodeState::fromApiJson(api);
            node.markGpusInUse(gpusInUse.value(hostname));
            nodes.append(node);
        }
        return {};
    });
    if (!status)
        return status.error();
    return nodes;
}

} // namespace rk
