#include "../tasks/TaskRows.h"
#include "RkTest.h"
#include "TablesTestSupport.h"
#include "mirror/HostMirror.h"
#include "tables/NodesTableModel.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace rk;
using namespace rk::test;

namespace {

const QString kGpus = QStringLiteral(
    "[{\"gpu_id\": 0, \"name\": \"NVIDIA A100\", \"memory_total_mib\": 81920.0, \"memory_used_mib\": "
    "1024.0}, "
    "{\"gpu_id\": 1, \"name\": \"NVIDIA A100\", \"memory_total_mib\": 81920.0, \"memory_used_mib\": 0.0}]");
const QString kNuma = QStringLiteral("{\"0\": [0, 1, 2, 3], \"1\": [4, 5, 6, 7]}");

void addNode(TablesFixture &f, const QString &hostname, const QString &status, int cores,
    const QString &gpuInfo, const QVariant &numa, int vmCapable, const QVariant &cpu)
{
    auto st = f.db().prepare(QStringLiteral(
        "INSERT INTO nodes (hostname, url, total_cores, memory_total_bytes, status, last_heartbeat, "
        "cpu_percent, "
        "memory_percent, memory_used_bytes, current_avg_temp, current_max_temp, numa_topology, gpu_info, "
        "vm_capable, vfio_gpus, runner_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 25.0, ?8, 43.8, 63.9, "
        "?9, "
        "?10, ?11, '[]', '0.4.0')"));
    QVERIFY(st);
    st->bind(1, hostname)
        .bind(2, QStringLiteral("http://%1:8001").arg(hostname))
        .bind(3, cores)
        .bind(4, qint64(512) << 30)
        .bind(5, status)
        .bind(6, QStringLiteral("2026-12-04 20:20:51.147013"))
        .bindVariant(7, cpu)
        .bind(8, qint64(128) << 30)
        .bindVariant(9, numa)
        .bind(10, gpuInfo)
        .bind(11, vmCapable);
    QVERIFY(st->run());
}

TaskRow task(qint64 id, const QString &status, const QString &node, int cores)
{
    TaskRow t;
    t.id = id;
    t.status = status;
    t.node = node;
    t.cores = cores;
    t.approvalStatus = QVariant();
    t.submittedAt = TablesFixture::at(-100);
    return t;
}

int rowOf(const NodesTableModel &model, const QString &hostname)
{
    return model.rowOfHostname(hostname);
}

QVariant cell(const NodesTableModel &model, const QString &hostname, int column, int role = Qt::DisplayRole)
{
    return model.index(rowOf(model, hostname), column).data(role);
}

} // namespace

class TestNodesTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void platformComputesCoresInUse();
    void mirrorKeepsTheHostsCoresInUse();
    void malformedJsonIsShownAsStored();
    void searchesAndSorts();
};

void TestNodesTableModel::platformComputesCoresInUse()
{
    TablesFixture f;
    addNode(f, QStringLiteral("gpu-a"), QStringLiteral("online"), 64, kGpus, kNuma, 1, 31.4);
    addNode(
        f, QStringLiteral("cpu-b"), QStringLiteral("offline"), 128, QStringLiteral("[]"), QVariant(), 0, 0.0);
    // Running and assigning tasks hold cores; completed and paused ones do not (the host's rule).
    addTask(f, task(snowflake(-10, 1), QStringLiteral("running"), QStringLiteral("gpu-a"), 4));
    addTask(f, task(snowflake(-9, 2), QStringLiteral("assigning"), QStringLiteral("gpu-a"), 2));
    addTask(f, task(snowflake(-8, 3), QStringLiteral("completed"), QStringLiteral("gpu-a"), 16));
    addTask(f, task(snowflake(-7, 4), QStringLiteral("paused"), QStringLiteral("gpu-a"), 8));
    addTask(f, task(snowflake(-6, 5), QStringLiteral("running"), QStringLiteral("cpu-b"), 3));

    QVERIFY(!NodesTableModel::hasMirrorUsage(f.path()));
    NodesTableModel model(f.path(), false, tableOptions(true));
    attachTester(&model);
    QTRY_VERIFY(settled(model));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(NodesTableModel::ColumnCount));
    // Sorted by hostname.
    QCOMPARE(model.index(0, NodesTableModel::Hostname).data().toString(), QStringLiteral("cpu-b"));
    QTRY_VERIFY(loadRow(model, 0) && loadRow(model, 1));

    QCOMPARE(cell(model, QStringLiteral("gpu-a"), NodesTableModel::CoresInUse).toLongLong(), 6);
    QCOMPARE(cell(model, QStringLiteral("gpu-a"), NodesTableModel::TotalCores).toLongLong(), 64);
    // Offline: "N/A", as the host's cores_in_use, however many tasks the table still lists.
    QCOMPARE(
        cell(model, QStringLiteral("cpu-b"), NodesTableModel::CoresInUse).toString(), QStringLiteral("N/A"));
    QVERIFY(
        !cell(model, QStringLiteral("cpu-b"), NodesTableModel::CoresInUse, LazySqlTableModel::RawValueRole)
             .isValid());
    QCOMPARE(cell(model, QStringLiteral("gpu-a"), NodesTableModel::Gpus).toLongLong(), 2);
    QCOMPARE(cell(model, QStringLiteral("cpu-b"), NodesTableModel::Gpus).toLongLong(), 0);
    QCOMPARE(cell(model, QStringLiteral("gpu-a"), NodesTableModel::Memory).toString(),
        QStringLiteral("128 GiB / 512 GiB"));
    QCOMPARE(cell(model, QStringLiteral("gpu-a"), NodesTableModel::Cpu).toString(), QStringLiteral("31.4 %"));
    QCOMPARE(cell(model, QStringLiteral("gpu-a"), NodesTableModel::AvgTemp).toString(),
        QStringLiteral("43.8 \u00b0C"));
    QCOMPARE(
        cell(model, QStringLiteral("gpu-a"), NodesTableModel::VmCapable).toString(), QStringLiteral("Yes"));
    QCOMPARE(
        cell(model, QStringLiteral("cpu-b"), NodesTableModel::VmCapable).toString(), QStringLiteral("No"));
    QCOMPARE(cell(model, QStringLiteral("gpu-a"), NodesTableModel::RunnerVersion).toString(),
        QStringLiteral("0.4.0"));
    const QDateTime beat = cell(model, QStringLiteral("gpu-a"), NodesTableModel::LastHeartbeat).toDateTime();
    QVERIFY(beat.isValid());
    QCOMPARE(beat.date(), QDate(2026, 12, 4));
    QCOMPARE(
        cell(model, QStringLiteral("cpu-b"), NodesTableModel::Status, NodesTableModel::StatusRole).toString(),
        QStringLiteral("offline"));

    const auto node = model.nodeAt(rowOf(model, QStringLiteral("gpu-a")));
    QVERIFY(node);
    QCOMPARE(node->url, QStringLiteral("http://gpu-a:8001"));
    QVERIFY(node->isOnline());
    QCOMPARE(node->coresInUse, std::optional<int>(6));
    QVERIFY(node->numaTopology);
    QCOMPARE(node->numaTopology->size(), 2);
    QCOMPARE(node->numaTopology->value(1), (QList<int> {4, 5, 6, 7}));
    QVERIFY(node->gpus);
    QCOMPARE(node->gpus->size(), 2);
    QCOMPARE(node->gpus->at(0).value(QLatin1String("name")).toString(), QStringLiteral("NVIDIA A100"));
    QCOMPARE(node->memoryTotalBytes, std::optional<qint64>(qint64(512) << 30));
    QVERIFY(node->memoryPercent && qFuzzyCompare(*node->memoryPercent, 25.0));
    const auto offline = model.nodeAt(rowOf(model, QStringLiteral("cpu-b")));
    QVERIFY(offline);
    QVERIFY(!offline->coresInUse);
    QVERIFY(!offline->numaTopology); // NULL: not reported

    // A task that starts shows after a refresh, in place.
    addTask(f, task(snowflake(-5, 6), QStringLiteral("running"), QStringLiteral("gpu-a"), 10));
    QSignalSpy loaded(&model, &LazySqlTableModel::windowLoaded);
    model.refresh();
    QVERIFY(loaded.wait());
    QTRY_VERIFY(loadRow(model, rowOf(model, QStringLiteral("gpu-a"))));
    QTRY_COMPARE(cell(model, QStringLiteral("gpu-a"), NodesTableModel::CoresInUse).toLongLong(), 16);
}

void TestNodesTableModel::mirrorKeepsTheHostsCoresInUse()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("mirror.db"));
    auto opened = HostMirror::open(path);
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    HostMirror &mirror = *opened.value();

    HostNode online;
    online.hostname = QStringLiteral("gpu-a");
    online.url = QStringLiteral("http://gpu-a:8001");
    online.totalCores = 64;
    online.coresInUse = 12; // the host's own number: no task rows back it in the mirror
    online.availableCores = 52;
    online.status = QStringLiteral("online");
    online.lastHeartbeat = hosttime::Instant::now();
    online.numaTopology = {{0, {0, 1}}, {1, {2, 3}}};
    online.hasNumaTopology = true;
    online.gpuInfo
        = {QJsonObject {{QStringLiteral("gpu_id"), 0}, {QStringLiteral("name"), QStringLiteral("RTX")}}};
    online.cpuPercent = 50.0;
    online.memoryTotalBytes = qint64(64) << 30;
    online.memoryUsedBytes = qint64(16) << 30;
    online.vmCapable = true;
    online.runnerVersion = QStringLiteral("0.4.0");
    HostNode offline = online;
    offline.hostname = QStringLiteral("old-b");
    offline.coresInUse = std::nullopt; // "N/A"
    offline.availableCores = 0;
    offline.status = QStringLiteral("offline");
    offline.gpuInfo.clear();
    QVERIFY(mirror.storeNodes({online, offline}));

    QVERIFY(NodesTableModel::hasMirrorUsage(path));
    NodesTableModel model(path);
    QVERIFY(model.readsMirrorUsage());
    attachTester(&model);
    QTRY_VERIFY(!model.isLoading() && model.isOrderingComplete());
    QCOMPARE(model.rowCount(), 2);
    QTRY_VERIFY(loadRow(model, 0) && loadRow(model, 1));
    QCOMPARE(cell(model, QStringLiteral("gpu-a"), NodesTableModel::CoresInUse).toLongLong(), 12);
    QCOMPARE(
        cell(model, QStringLiteral("old-b"), NodesTableModel::CoresInUse).toString(), QStringLiteral("N/A"));
    QCOMPARE(cell(model, QStringLiteral("gpu-a"), NodesTableModel::Gpus).toLongLong(), 1);
    QCOMPARE(cell(model, QStringLiteral("gpu-a"), NodesTableModel::Memory).toString(),
        QStringLiteral("16 GiB / 64 GiB"));
    const auto node = model.nodeAt(rowOf(model, QStringLiteral("gpu-a")));
    QVERIFY(node && node->numaTopology);
    QCOMPARE(node->numaTopology->value(1), (QList<int> {2, 3}));
    QVERIFY(node->vmCapable);
}

void TestNodesTableModel::malformedJsonIsShownAsStored()
{
    TablesFixture f;
    addNode(f, QStringLiteral("odd"), QStringLiteral("online"), 8, QStringLiteral("{not json"),
        QStringLiteral("[1, 2]"), 0, QVariant());
    NodesTableModel model(f.path(), false, tableOptions(true));
    attachTester(&model);
    QTRY_VERIFY(settled(model));
    QTRY_VERIFY(loadRow(model, 0));
    // The query survives malformed JSON (json_array_length is not asked about it).
    QVERIFY(!model.index(0, NodesTableModel::Gpus).data().isValid());
    QVERIFY(!model.index(0, NodesTableModel::Gpus).data(Qt::ToolTipRole).toString().isEmpty());
    QVERIFY(model.index(0, NodesTableModel::Cpu).data().toString().isEmpty()); // NULL cpu_percent
    const auto node = model.nodeAt(0);
    QVERIFY(node);
    QVERIFY(!node->gpus);
    QCOMPARE(node->gpuRaw, QStringLiteral("{not json"));
    QVERIFY(!node->numaTopology); // a list, not an object
    QCOMPARE(node->numaRaw, QStringLiteral("[1, 2]"));
}

void TestNodesTableModel::searchesAndSorts()
{
    TablesFixture f;
    addNode(f, QStringLiteral("gpu-rtx-02"), QStringLiteral("online"), 32, kGpus, kNuma, 1, 10.0);
    addNode(
        f, QStringLiteral("gpu-a100-01"), QStringLiteral("online"), 64, QStringLiteral("[]"), kNuma, 0, 90.0);
    addNode(f, QStringLiteral("cpu-epyc-03"), QStringLiteral("offline"), 128, QStringLiteral("[]"), kNuma, 1,
        0.0);
    NodesTableModel model(f.path(), false, tableOptions(true));
    attachTester(&model);
    QTRY_VERIFY(settled(model));
    QCOMPARE(model.rowCount(), 3);

    QSignalSpy loaded(&model, &LazySqlTableModel::windowLoaded);
    model.setFilterText(QStringLiteral("rtx"));
    QVERIFY(loaded.wait());
    QCOMPARE(model.rowCount(), 1);
    QTRY_VERIFY(loadRow(model, 0));
    QCOMPARE(model.index(0, NodesTableModel::Hostname).data().toString(), QStringLiteral("gpu-rtx-02"));

    model.setFilterText(QStringLiteral("offline"));
    QVERIFY(loaded.wait());
    QCOMPARE(model.rowCount(), 1);

    model.setFilterText({});
    QVERIFY(loaded.wait());
    model.sort(NodesTableModel::TotalCores, Qt::DescendingOrder);
    QVERIFY(loaded.wait());
    QTRY_VERIFY(settled(model));
    QTRY_VERIFY(loadRow(model, 0) && loadRow(model, 2));
    QCOMPARE(model.index(0, NodesTableModel::Hostname).data().toString(), QStringLiteral("cpu-epyc-03"));
    QCOMPARE(model.index(2, NodesTableModel::Hostname).data().toString(), QStringLiteral("gpu-rtx-02"));
}

RK_TEST_GUILESS_MAIN(TestNodesTableModel)
#include "TestNodesTableModel.moc"
