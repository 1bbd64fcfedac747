#include "../ui/UiTestSupport.h"

#include "approvals/ClusterSnapshot.h"
#include "approvals/RejectTemplates.h"
#include "approvals/SubmitterHistory.h"
#include "store/SampleData.h"

#include <QSettings>

#include <algorithm>

using namespace rk;

// What the Approvals page reads besides the queue: the nodes for the fit check, a submitter's
// history, and the reject templates. Real SQLite files (the sample platform) in a temporary directory.
class TestApprovalsData : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    uitest::Platform m_platform;
    QString m_path;

    PlatformStore &store() { return *m_platform.store; }

    const NodeState *node(const QList<NodeState> &nodes, const QString &hostname)
    {
        const auto it = std::find_if(
            nodes.cbegin(), nodes.cend(), [&](const NodeState &n) { return n.hostname == hostname; });
        return it == nodes.cend() ? nullptr : &*it;
    }

    qint64 scalar(const QString &sql) { return store().database().scalar(sql)->toLongLong(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSettings::setPath(
            QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("qsettings")));
        m_path = m_dir.filePath(QStringLiteral("sample.db"));
        m_platform = uitest::makePlatform(m_path);
        QVERIFY(m_platform.store);
        SampleDataOptions sample;
        sample.bcryptCost = 4;
        QVERIFY(SampleData::populate(store(), m_platform.root, sample).ok());
    }

    void cleanupTestCase() { m_platform = {}; }

    void nodesAsTheHostDescribesThem()
    {
        auto read = ClusterSnapshot::read(m_path);
        QVERIFY2(read.ok(), read.ok() ? "" : qPrintable(read.error().message));
        const QList<NodeState> nodes = read.value();
        QCOMPARE(nodes.size(), qsizetype(SampleDataCounts::kNodes));

        const NodeState *a100 = node(nodes, QStringLiteral("gpu-a100-01"));
        QVERIFY(a100);
        QVERIFY(a100->online);
        QCOMPARE(a100->totalCores, 64);
        QCOMPARE(a100->gpus.size(), 4);
        QCOMPARE(a100->numaNodes.size(), 2);
        QCOMPARE(a100->memoryTotalBytes, std::optional<qint64>(512 * RiskThresholds::kGiB));
        // cores_in_use: the running and assigning tasks' cores, as the host counts them.
        QCOMPARE(a100->coresInUse,
            std::optional<int>(
                int(scalar(QStringLiteral("SELECT coalesce(sum(required_cores), 0) FROM tasks WHERE "
                                          "assigned_node = 'gpu-a100-01' AND status IN ('running', "
                                          "'assigning')")))));

        // The running VPS holds GPU 0 of gpu-rtx-02.
        const NodeState *rtx = node(nodes, QStringLiteral("gpu-rtx-02"));
        QVERIFY(rtx);
        QVERIFY(rtx->gpus.value(0));

        // Offline: cores in use unknown ("N/A" on the wire), so nothing fits there now.
        const NodeState *v100 = node(nodes, QStringLiteral("gpu-v100-04"));
        QVERIFY(v100);
        QVERIFY(!v100->online);
        QVERIFY(!v100->coresInUse.has_value());
        TaskDetails task;
        task.cores = 1;
        task.assignedNode = QStringLiteral("gpu-v100-04");
        task.gpus.value = QList<int> {};
        task.arguments.value = QStringList {};
        task.envVars.value = TaskDetails::EnvVars {};
        task.mounts.value = QStringList {};
        const FitCheck fit = checkFit(task, nodes);
        QCOMPARE(fit.verdict, FitCheck::Verdict::CannotFit);
        QVERIFY(fit.reasons.testFlag(FitCheck::Reason::NodeOffline));

        // A missing file is an error, not an empty cluster.
        QVERIFY(!ClusterSnapshot::read(m_dir.filePath(QStringLiteral("missing.db"))).ok());
    }

    void submitterHistoryCounts()
    {
        // The submitter of the rejected sample task.
        const qint64 owner
            = scalar(QStringLiteral("SELECT owner_id FROM tasks WHERE approval_status = 'rejected' LIMIT 1"));
        auto read = SubmitterHistory::read(m_path, owner, 3);
        QVERIFY(read.ok());
        const SubmitterHistory &h = read.value();
        QCOMPARE(h.ownerId, owner);
        QVERIFY(!h.owner.isEmpty());
        QCOMPARE(h.approved,
            int(scalar(QStringLiteral("SELECT count(*) FROM tasks WHERE owner_id = %1 AND approval_status = "
                                      "'approved'")
                           .arg(owner))));
        QCOMPARE(h.rejected,
            int(scalar(QStringLiteral(
                "SELECT count(*) FROM tasks WHERE owner_id = %1 AND approval_status = 'rejected'")
                           .arg(owner))));
        QVERIFY(h.rejected >= 1);
        QCOMPARE(h.total,
            int(scalar(QStringLiteral("SELECT count(*) FROM tasks WHERE owner_id = %1").arg(owner))));
        QVERIFY(h.recent.size() <= 3);
        QVERIFY(h.recent.size() == std::min(3, h.approved + h.rejected));
        for (const SubmitterHistory::Decision &d : h.recent)
            QVERIFY(d.approvalStatus == QLatin1String("approved")
                || d.approvalStatus == QLatin1String("rejected"));

        // Nobody: zeros, no owner name.
        auto nobody = SubmitterHistory::read(m_path, 987654321);
        QVERIFY(nobody.ok());
        QCOMPARE(nobody->total, 0);
        QVERIFY(nobody->owner.isEmpty());
    }

    void rejectTemplatesPersist()
    {
        auto settings = RejectTemplates::openSettings();
        settings->clear();
        QCOMPARE(RejectTemplates::load(*settings), RejectTemplates::defaults());
        RejectTemplates::save(
            *settings, {QStringLiteral("  One  "), QString(), QStringLiteral("One"), QStringLiteral("Two")});
        QCOMPARE(RejectTemplates::load(*RejectTemplates::openSettings()),
            (QStringList {QStringLiteral("One"), QStringLiteral("Two")}));
        // All removed: stays empty, the defaults do not come back.
        RejectTemplates::save(*settings, {});
        QVERIFY(RejectTemplates::load(*RejectTemplates::openSettings()).isEmpty());
        // Under the documented group.
        QVERIFY(
            RejectTemplates::openSettings()->contains(QStringLiteral("approvals/rejectTemplates/templates")));
    }
};

RK_TEST_WIDGETS_MAIN(TestApprovalsData)
#include "TestApprovalsData.moc"
