#include "RkTest.h"
#include "tasks/FitCheck.h"

#include <QJsonDocument>

using namespace rk;
using V = FitCheck::Verdict;
using R = FitCheck::Reason;

namespace {
constexpr qint64 kGiB = qint64(1) << 30;

TaskDetails task(int cores, const QString &gpus = QStringLiteral("[]"), std::optional<qint64> memory = {},
    std::optional<int> numa = {}, const QString &node = QStringLiteral("gpu-a100-01"))
{
    TaskDetails t;
    t.id = 7400000000000000001;
    t.type = QStringLiteral("command");
    t.cores = cores;
    t.gpus.raw = gpus;
    t.gpus.value = TaskDetails::parseIntList(gpus);
    t.memoryBytes = memory;
    t.numaNode = numa;
    t.assignedNode = node;
    return t;
}

// gpu-a100-01 as SampleData has it: 64 cores on two NUMA nodes, 4 GPUs, 512 GiB.
NodeState a100(int coresInUse = 16, QList<int> busyGpus = {})
{
    NodeState n;
    n.hostname = QStringLiteral("gpu-a100-01");
    n.online = true;
    n.totalCores = 64;
    n.coresInUse = coresInUse;
    n.memoryTotalBytes = 512 * kGiB;
    for (int g = 0; g < 4; ++g)
        n.gpus.insert(g, false);
    n.markGpusInUse(busyGpus);
    QList<int> first, second;
    for (int c = 0; c < 32; ++c) {
        first << c;
        second << c + 32;
    }
    n.numaNodes = {{0, first}, {1, second}};
    return n;
}
} // namespace

class TestFitCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fitsNow()
    {
        const FitCheck fit = checkFit(task(16, QStringLiteral("[0, 1]"), 128 * kGiB), a100(16, {2}));
        QCOMPARE(fit.verdict, V::FitsNow);
        QVERIFY(fit.fitsNow());
        QCOMPARE(fit.reasons, FitCheck::Reasons());
        QCOMPARE(fit.freeCores, 48);
        QCOMPARE(
            fit.message, QStringLiteral("Fits on gpu-a100-01 now (48 of 64 cores free; GPU 0, 1 free)."));
        // Exactly the free cores: fits.
        QCOMPARE(checkFit(task(48), a100(16)).verdict, V::FitsNow);
        // Zero cores (the host allows it) fit a full node.
        QCOMPARE(checkFit(task(0), a100(64)).verdict, V::FitsNow);
    }

    void queuesWhenCoresOrGpusAreBusy()
    {
        FitCheck fit = checkFit(task(49), a100(16));
        QCOMPARE(fit.verdict, V::WillQueue);
        QCOMPARE(fit.reasons, FitCheck::Reasons(R::CoresBusy));
        QCOMPARE(fit.message,
            QStringLiteral(
                "Will queue on gpu-a100-01. It needs 49 core(s); 48 of 64 are free on gpu-a100-01."));

        fit = checkFit(task(4, QStringLiteral("[1, 2, 3]")), a100(0, {1, 3}));
        QCOMPARE(fit.verdict, V::WillQueue);
        QCOMPARE(fit.reasons, FitCheck::Reasons(R::GpusBusy));
        QCOMPARE(fit.busyGpus, (QList<int> {1, 3}));
        QVERIFY2(fit.message.contains(QStringLiteral("GPU 1, 3 on gpu-a100-01 is in use.")),
            qPrintable(fit.message));

        fit = checkFit(task(60, QStringLiteral("[0]")), a100(10, {0}));
        QCOMPARE(fit.verdict, V::WillQueue);
        QCOMPARE(fit.reasons, R::CoresBusy | R::GpusBusy);
        // More cores in use than the node has (a stale report): nothing is free, not a negative.
        fit = checkFit(task(1), a100(70));
        QCOMPARE(fit.verdict, V::WillQueue);
        QCOMPARE(fit.freeCores, 0);
    }

    void cannotFit()
    {
        // Bigger than the node.
        FitCheck fit = checkFit(task(65), a100(0));
        QCOMPARE(fit.verdict, V::CannotFit);
        QCOMPARE(fit.reasons, FitCheck::Reasons(R::TooFewCores)); // not also "busy"
        QCOMPARE(fit.message,
            QStringLiteral("Cannot run on gpu-a100-01. It needs 65 core(s); node gpu-a100-01 has 64."));

        // Offline: the host reports cores_in_use "N/A".
        NodeState offline = a100();
        offline.online = false;
        offline.coresInUse.reset();
        fit = checkFit(task(4), offline);
        QCOMPARE(fit.verdict, V::CannotFit);
        QCOMPARE(fit.reasons, FitCheck::Reasons(R::NodeOffline));
        QCOMPARE(fit.freeCores, -1);
        QVERIFY(fit.message.contains(QStringLiteral("Node gpu-a100-01 is offline.")));

        // A GPU index the node does not have.
        fit = checkFit(task(4, QStringLiteral("[3, 4, 5]")), a100(0, {3}));
        QCOMPARE(fit.verdict, V::CannotFit);
        QVERIFY(fit.reasons.testFlag(R::GpuMissing));
        QVERIFY(fit.reasons.testFlag(R::GpusBusy)); // reported too, but cannot-fit wins
        QCOMPARE(fit.missingGpus, (QList<int> {4, 5}));
        QVERIFY2(fit.message.contains(
                     QStringLiteral("It needs GPU 4, 5; node gpu-a100-01 only has GPU 0, 1, 2, 3.")),
            qPrintable(fit.message));
        NodeState cpuOnly = a100(0);
        cpuOnly.gpus.clear();
        fit = checkFit(task(4, QStringLiteral("[0]")), cpuOnly);
        QCOMPARE(fit.verdict, V::CannotFit);
        QVERIFY(fit.message.contains(QStringLiteral("has no GPUs")));

        // Memory.
        fit = checkFit(task(4, QStringLiteral("[]"), 600 * kGiB), a100(0));
        QCOMPARE(fit.verdict, V::CannotFit);
        QCOMPARE(fit.reasons, FitCheck::Reasons(R::TooLittleMemory));
        QVERIFY(fit.message.contains(
            QStringLiteral("It needs 600 GiB of memory; node gpu-a100-01 has 512 GiB.")));
    }

    void numaNodes()
    {
        // Pinned to NUMA node 1: 32 cores there.
        QCOMPARE(checkFit(task(32, QStringLiteral("[]"), {}, 1), a100(0)).verdict, V::FitsNow);
        FitCheck fit = checkFit(task(33, QStringLiteral("[]"), {}, 1), a100(0));
        QCOMPARE(fit.verdict, V::CannotFit);
        QCOMPARE(fit.reasons, FitCheck::Reasons(R::TooFewCores));
        QVERIFY2(fit.message.contains(QStringLiteral("NUMA node 1 of gpu-a100-01 has 32.")),
            qPrintable(fit.message));
        fit = checkFit(task(2, QStringLiteral("[]"), {}, 2), a100(0));
        QCOMPARE(fit.verdict, V::CannotFit);
        QCOMPARE(fit.reasons, FitCheck::Reasons(R::NumaMissing));
        // Topology unknown: the NUMA node is not held against the task.
        NodeState unknownTopology = a100(0);
        unknownTopology.numaNodes.clear();
        QCOMPARE(checkFit(task(2, QStringLiteral("[]"), {}, 2), unknownTopology).verdict, V::FitsNow);
    }

    void unknowns()
    {
        // Online but no cores_in_use: cannot tell.
        NodeState noUsage = a100();
        noUsage.coresInUse.reset();
        FitCheck fit = checkFit(task(4), noUsage);
        QCOMPARE(fit.verdict, V::Unknown);
        QCOMPARE(fit.reasons, FitCheck::Reasons(R::CoresInUseUnknown));
        // ... unless a busy GPU decides it anyway.
        noUsage.markGpusInUse({0});
        QCOMPARE(checkFit(task(4, QStringLiteral("[0]")), noUsage).verdict, V::WillQueue);

        // An unreadable GPU list.
        fit = checkFit(task(4, QStringLiteral("[0, \"all\"]")), a100());
        QCOMPARE(fit.verdict, V::Unknown);
        QCOMPARE(fit.reasons, FitCheck::Reasons(R::GpusUnreadable));
        QVERIFY(fit.message.contains(QStringLiteral("[0, \"all\"]")));
    }

    void choosesTheTargetNode()
    {
        NodeState rtx = a100(0);
        rtx.hostname = QStringLiteral("gpu-rtx-02");
        rtx.totalCores = 8;
        const QList<NodeState> nodes {rtx, a100(0)};
        QCOMPARE(checkFit(task(16), nodes).verdict, V::FitsNow); // on gpu-a100-01
        QCOMPARE(
            checkFit(task(16, QStringLiteral("[]"), {}, {}, QStringLiteral("gpu-rtx-02")), nodes).verdict,
            V::CannotFit);
        FitCheck fit = checkFit(task(1, QStringLiteral("[]"), {}, {}, QStringLiteral("gone-05")), nodes);
        QCOMPARE(fit.verdict, V::CannotFit);
        QCOMPARE(fit.reasons, FitCheck::Reasons(R::NodeUnknown));
        QVERIFY(fit.message.contains(QStringLiteral("gone-05")));
        fit = checkFit(task(1, QStringLiteral("[]"), {}, {}, QString()), nodes);
        QCOMPARE(fit.verdict, V::Unknown);
        QCOMPARE(fit.reasons, FitCheck::Reasons(R::NoTarget));
    }

    void nodeStateFromTheHostsJson()
    {
        // As /api/nodes sends it: string NUMA keys, "N/A" for an offline node's cores in use.
        const QByteArray online
            = "{\"hostname\": \"gpu-rtx-02\", \"url\": \"http://10.20.0.12:8001\", "
              "\"total_cores\": 32, \"cores_in_use\": 12, \"available_cores\": 20, \"status\": \"online\", "
              "\"numa_topology\": {\"0\": [0, 1, 2, 3], \"1\": [4, 5, 6, 7]}, "
              "\"gpu_info\": [{\"gpu_id\": 0, \"name\": \"NVIDIA GeForce RTX 4090\"}, {\"gpu_id\": 1}], "
              "\"memory_total_bytes\": 137438953472}";
        NodeState n = NodeState::fromApiJson(QJsonDocument::fromJson(online).object());
        QCOMPARE(n.hostname, QStringLiteral("gpu-rtx-02"));
        QVERIFY(n.online);
        QCOMPARE(n.totalCores, 32);
        QCOMPARE(n.coresInUse, std::optional<int>(12));
        QCOMPARE(n.memoryTotalBytes, std::optional<qint64>(128 * kGiB));
        QCOMPARE(n.numaNodes.keys(), (QList<int> {0, 1}));
        QCOMPARE(n.numaNodes.value(1), (QList<int> {4, 5, 6, 7}));
        QCOMPARE(n.gpus.keys(), (QList<int> {0, 1}));
        QVERIFY(!n.gpus.value(0) && !n.gpus.value(1));
        n.markGpusInUse({1, 7}); // 7 does not exist: ignored
        QCOMPARE(n.gpus.keys(), (QList<int> {0, 1}));
        QVERIFY(n.gpus.value(1));

        const QByteArray offline
            = "{\"hostname\": \"gpu-v100-04\", \"total_cores\": 40, \"cores_in_use\": \"N/A\", "
              "\"available_cores\": 0, \"status\": \"offline\", \"numa_topology\": null, \"gpu_info\": []}";
        n = NodeState::fromApiJson(QJsonDocument::fromJson(offline).object());
        QVERIFY(!n.online);
        QVERIFY(!n.coresInUse);
        QVERIFY(n.numaNodes.isEmpty() && n.gpus.isEmpty());
        QCOMPARE(checkFit(task(4, QStringLiteral("[]"), {}, {}, QStringLiteral("gpu-v100-04")), n).verdict,
            V::CannotFit);
    }
};

RK_TEST_GUILESS_MAIN(TestFitCheck)
#include "TestFitCheck.moc"
