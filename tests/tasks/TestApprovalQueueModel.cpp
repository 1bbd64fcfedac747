#include "RkTest.h"
#include "TablesFixture.h"
#include "TablesTestSupport.h"
#include "TaskRows.h"
#include "tasks/ApprovalQueueModel.h"
#include "tasks/TaskStatus.h"

#include <QSignalSpy>

using namespace rk;
using namespace rk::test;
using Q = ApprovalQueueModel;

namespace {
// The clock the models under test read: the fixture's now, moved on by the tests.
qint64 g_clockOffset = 0;
hosttime::Instant testClock()
{
    return TablesFixture::now().addSecs(g_clockOffset);
}

constexpr qint64 kMinute = 60;
constexpr qint64 kHour = 3600;
constexpr qint64 kDay = 86400;
} // namespace

class TestApprovalQueueModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TablesFixture> m_fixture;
    qint64 m_alice = 0, m_bob = 0, m_operator = 0;
    // Expected per pending task: age text at the fixture's now, and risk flags at the defaults.
    QHash<qint64, QString> m_ageText;
    QHash<qint64, TaskRisks> m_risks;
    qint64 m_plain = 0, m_privileged = 0, m_mounts = 0, m_manyGpus = 0, m_bigMemory = 0, m_vps = 0;
    qint64 m_brokenArgs = 0, m_brokenEnv = 0, m_brokenGpus = 0, m_brokenMounts = 0, m_future = 0;

    std::unique_ptr<ApprovalQueueModel> makeModel()
    {
        LazySqlTableModel::Options options = tableOptions();
        options.clock = &testClock;
        auto model = std::make_unique<ApprovalQueueModel>(m_fixture->path(), options);
        attachTester(model.get());
        return model;
    }

    qint64 addPending(TaskRow t, qint64 ago, const QString &ageText, TaskRisks risks)
    {
        static int seq = 0;
        t.id = snowflake(-ago, ++seq);
        t.submittedAt = TablesFixture::at(-ago);
        if (!t.name.isValid())
            t.name = QStringLiteral("task-%1").arg(seq);
        if (!t.ownerId.isValid())
            t.ownerId = m_alice;
        addTask(*m_fixture, t);
        m_ageText.insert(t.id, ageText);
        m_risks.insert(t.id, risks);
        return t.id;
    }

    static QVariant cell(const ApprovalQueueModel &model, int row, int column, int role = Qt::DisplayRole)
    {
        return model.data(model.index(row, column), role);
    }

    // Loads the row of `id` and returns it.
    static int rowFor(const ApprovalQueueModel &model, qint64 id)
    {
        const int row = model.rowOf(id);
        if (row >= 0) {
            [[maybe_unused]] const bool loaded = QTest::qWaitFor([&] { return loadRow(model, row); }, 5000);
        }
        return row;
    }

    QList<qint64> pendingIds()
    {
        return m_fixture->ids(QStringLiteral("SELECT task_id FROM tasks WHERE status = 'pending_approval' "
                                             "ORDER BY submitted_at DESC, task_id"));
    }

private Q_SLOTS:
    void init() { g_clockOffset = 0; }

    void initTestCase()
    {
        m_fixture = std::make_unique<TablesFixture>();
        m_alice = m_fixture->addUser(QStringLiteral("alice"));
        m_bob = m_fixture->addUser(QStringLiteral("bob"));
        m_operator = m_fixture->addUser(QStringLiteral("olga"));

        TaskRow plain;
        plain.name = QStringLiteral("eval-checkpoints");
        plain.command = QStringLiteral("bash");
        plain.arguments = QStringLiteral("[\"scripts/eval all.sh\", \"it's\", \"runs/2026-02\"]");
        plain.envVars = QStringLiteral("{\"CUDA_LAUNCH_BLOCKING\": \"0\", \"TZ\": \"UTC\"}");
        plain.cores = 4;
        plain.gpus = QStringLiteral("[1]");
        plain.memory = 24 * kGiB;
        plain.numa = 1;
        plain.node = QStringLiteral("gpu-rtx-02");
        plain.ownerId = m_bob;
        m_plain = addPending(plain, 90, QStringLiteral("1 min ago"), {});

        TaskRow privileged;
        privileged.privileged = 1;
        privileged.registryImage = QStringLiteral("ghcr.io/lab/tools:1.2");
        m_privileged = addPending(
            privileged, 3 * kHour + 12 * kMinute + 5, QStringLiteral("3 h 12 min ago"), TaskRisk::Privileged);

        TaskRow mounts;
        mounts.mounts = QStringLiteral("[\"/srv/data:/data\", \"/etc:/host-etc\"]");
        m_mounts = addPending(
            mounts, 2 * kDay + 4 * kHour + 59, QStringLiteral("2 d 4 h ago"), TaskRisk::HostMounts);

        TaskRow manyGpus;
        manyGpus.gpus = QStringLiteral("[0, 1, 2, 3]");
        manyGpus.cores = 16;
        m_manyGpus = addPending(manyGpus, 30, QStringLiteral("just now"), TaskRisk::ManyGpus);

        TaskRow bigMemory;
        bigMemory.memory = 128 * kGiB;
        bigMemory.mounts = QVariant(); // NULL: no mounts
        m_bigMemory
            = addPending(bigMemory, 59 * kMinute + 59, QStringLiteral("59 min ago"), TaskRisk::LargeMemory);

        TaskRow vps;
        vps.type = QStringLiteral("vps");
        vps.name = QStringLiteral("vps-bob");
        vps.command = QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 bob@laptop");
        vps.cores = 8;
        vps.gpus = QStringLiteral("[0]");
        vps.memory = 32 * kGiB;
        vps.ownerId = m_bob;
        m_vps = addPending(vps, 5 * kHour, QStringLiteral("5 h 0 min ago"), {});

        TaskRow brokenArgs;
        brokenArgs.arguments = QStringLiteral("[\"unterminated");
        m_brokenArgs = addPending(brokenArgs, 2 * kMinute, QStringLiteral("2 min ago"), TaskRisk::Unreadable);
        TaskRow brokenEnv;
        brokenEnv.envVars = QStringLiteral("[\"A=1\"]"); // valid JSON, wrong shape
        m_brokenEnv = addPending(brokenEnv, 3 * kMinute, QStringLiteral("3 min ago"), TaskRisk::Unreadable);
        TaskRow brokenGpus;
        brokenGpus.gpus = QStringLiteral("[0, \"all\", 1, 2, 3]");
        m_brokenGpus = addPending(brokenGpus, 4 * kMinute, QStringLiteral("4 min ago"), TaskRisk::Unreadable);
        TaskRow brokenMounts;
        brokenMounts.mounts = QStringLiteral("/scratch:/scratch");
        m_brokenMounts = addPending(brokenMounts, 5 * kMinute, QStringLiteral("5 min ago"),
            TaskRisk::Unreadable | TaskRisk::HostMounts);

        TaskRow future; // the host's clock ahead of ours
        m_future = addPending(future, -2 * kMinute, QStringLiteral("just now"), {});

        // Not pending: never in the queue.
        for (const char *status : {"running", "completed", "rejected", "pending", "assigning"}) {
            TaskRow other;
            other.status = QString::fromLatin1(status);
            other.approvalStatus = QStringLiteral("approved");
            other.privileged = 1;
            m_ageText.remove(addPending(other, kHour, {}, {}));
        }
    }

    void onlyPendingTasksNewestFirst()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->columnCount(), int(Q::ColumnCount));
        QCOMPARE(model->rowCount(), 11);
        QCOMPARE(model->sortColumn(), int(Q::Submitted));
        QCOMPARE(model->sortOrder(), Qt::DescendingOrder);
        QCOMPARE(allIds(*model), pendingIds());
        QCOMPARE(model->idAt(0), m_future);
        // Sorting by the waiting time: shortest wait first.
        model->sort(Q::Waiting, Qt::AscendingOrder);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(allIds(*model), pendingIds());
        model->sort(Q::Waiting, Qt::DescendingOrder);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->idAt(0), m_mounts); // waited the longest
        // Search within the queue (name, command, owner).
        model->setFilterText(QStringLiteral("bob"));
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 2);
        QVERIFY(model->rowOf(m_plain) >= 0 && model->rowOf(m_vps) >= 0);
    }

    void everythingAReviewerNeeds()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        const int row = rowFor(*model, m_plain);
        QVERIFY(row >= 0);
        auto v = [&](int role, int column = 0) { return cell(*model, row, column, role); };
        QCOMPARE(v(Q::TaskIdTextRole).toString(), QString::number(m_plain));
        QCOMPARE(v(Q::SubmitterRole).toString(), QStringLiteral("bob"));
        QCOMPARE(v(Q::SubmitterIdRole).toLongLong(), m_bob);
        QCOMPARE(v(Q::SubmittedRole).toDateTime(), hosttime::toDateTime(TablesFixture::at(-90)));
        QCOMPARE(v(Q::AgeSecondsRole).toLongLong(), 90);
        QCOMPARE(v(Q::AgeTextRole).toString(), QStringLiteral("1 min ago"));
        QCOMPARE(v(Q::TypeRole).toString(), QStringLiteral("command"));
        QCOMPARE(v(Q::CommandRole).toString(), QStringLiteral("bash"));
        QCOMPARE(v(Q::ArgumentsRole).toStringList(),
            (QStringList {QStringLiteral("scripts/eval all.sh"), QStringLiteral("it's"),
                QStringLiteral("runs/2026-02")}));
        QCOMPARE(v(Q::CommandLineRole).toString(),
            QStringLiteral("bash 'scripts/eval all.sh' 'it'\\''s' runs/2026-02"));
        const QVariantList env = v(Q::EnvVarsRole).toList();
        QCOMPARE(env.size(), 2);
        QCOMPARE(env.at(0).toStringList(),
            (QStringList {QStringLiteral("CUDA_LAUNCH_BLOCKING"), QStringLiteral("0")}));
        QCOMPARE(env.at(1).toStringList(), (QStringList {QStringLiteral("TZ"), QStringLiteral("UTC")}));
        QCOMPARE(v(Q::CoresRole).toInt(), 4);
        QCOMPARE(v(Q::MemoryBytesRole).toLongLong(), 24 * kGiB);
        QCOMPARE(v(Q::GpuIndicesRole).toList(), (QVariantList {1}));
        QCOMPARE(v(Q::TargetNodeRole).toString(), QStringLiteral("gpu-rtx-02"));
        QCOMPARE(v(Q::NumaNodeRole).toInt(), 1);
        QCOMPARE(v(Q::ContainerRole).toString(), QStringLiteral("kohakuriver-base"));
        QCOMPARE(v(Q::ImageRole).toString(),
            QStringLiteral("kohakuriver-base (kohakuriver/kohakuriver-base:base)"));
        QCOMPARE(v(Q::PrivilegedRole).toBool(), false);
        QCOMPARE(v(Q::MountsRole).toStringList(), QStringList());
        QCOMPARE(v(Q::RiskFlagsRole).toInt(), 0);
        QCOMPARE(v(Q::RiskTextRole).toString(), QString());

        // The columns.
        QCOMPARE(v(Qt::DisplayRole, Q::Id).toString(), QString::number(m_plain));
        QCOMPARE(v(Qt::DisplayRole, Q::Waiting).toString(), QStringLiteral("1 min ago"));
        QCOMPARE(v(Q::RawValueRole, Q::Waiting).toLongLong(), 90);
        QCOMPARE(v(Qt::DisplayRole, Q::Submitter).toString(), QStringLiteral("bob"));
        QCOMPARE(v(Qt::DisplayRole, Q::Type).toString(), QStringLiteral("Command"));
        QCOMPARE(v(Qt::DisplayRole, Q::Name).toString(), QStringLiteral("eval-checkpoints"));
        QCOMPARE(v(Qt::DisplayRole, Q::Command).toString(), v(Q::CommandLineRole).toString());
        QCOMPARE(v(Qt::DisplayRole, Q::Cores).toInt(), 4);
        QCOMPARE(v(Qt::DisplayRole, Q::Memory).toString(), QStringLiteral("24 GiB"));
        QCOMPARE(v(Qt::DisplayRole, Q::Gpus).toString(), QStringLiteral("1"));
        QCOMPARE(v(Qt::DisplayRole, Q::Target).toString(), QStringLiteral("gpu-rtx-02 · NUMA 1"));
        QCOMPARE(v(Qt::DisplayRole, Q::Risk).toString(), QString());

        const auto task = model->taskAt(row);
        QVERIFY(task);
        QCOMPARE(task->id, m_plain);
        QCOMPARE(task->owner, QStringLiteral("bob"));
        QCOMPARE(task->status, TaskStatus::kPendingApproval);
        QCOMPARE(task->approvalStatus, QStringLiteral("pending"));

        // A VPS: its "command" is an SSH key, not something to run.
        const int vps = rowFor(*model, m_vps);
        QCOMPARE(cell(*model, vps, 0, Q::TypeRole).toString(), QStringLiteral("vps"));
        QCOMPARE(cell(*model, vps, Q::Type).toString(), QStringLiteral("VPS"));
        QCOMPARE(cell(*model, vps, 0, Q::CommandLineRole).toString(), QString());
        QCOMPARE(cell(*model, vps, Q::Command).toString(),
            QStringLiteral(
                "VPS (docker) · kohakuriver-base (kohakuriver/kohakuriver-base:base) · SSH key ssh-ed25519"));
        QCOMPARE(cell(*model, vps, Q::Command, Qt::ToolTipRole).toString(),
            QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 bob@laptop"));

        const int registry = rowFor(*model, m_privileged);
        QCOMPARE(cell(*model, registry, Q::Image).toString(), QStringLiteral("ghcr.io/lab/tools:1.2"));
        QCOMPARE(cell(*model, registry, 0, Q::PrivilegedRole).toBool(), true);
    }

    void idsBeyondDoublePrecision()
    {
        // A neighbour one above an existing pending id: a double would merge the two.
        const qint64 neighbour = m_plain + 1;
        QVERIFY(m_plain > kTwoTo53 && double(m_plain) == double(neighbour));
        TaskRow t;
        t.id = neighbour;
        t.name = QStringLiteral("neighbour");
        t.ownerId = m_alice;
        t.submittedAt = TablesFixture::at(-90);
        addTask(*m_fixture, t);
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        const int a = rowFor(*model, m_plain);
        const int b = rowFor(*model, neighbour);
        QVERIFY(a >= 0 && b >= 0 && a != b);
        QCOMPARE(cell(*model, a, 0, Q::TaskIdTextRole).toString(), QString::number(m_plain));
        QCOMPARE(cell(*model, b, 0, Q::TaskIdTextRole).toString(), QString::number(neighbour));
        QCOMPARE(cell(*model, b, 0, LazySqlTableModel::IdRole).toLongLong(), neighbour);
        QCOMPARE(model->taskAt(b)->name, QStringLiteral("neighbour"));
        m_fixture->exec(QStringLiteral("DELETE FROM tasks WHERE task_id = %1").arg(neighbour));
    }

    void riskFlags()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        for (int row = 0; row < model->rowCount(); ++row) {
            QTRY_VERIFY(loadRow(*model, row));
            const qint64 id = model->idAt(row);
            const int flags = cell(*model, row, 0, Q::RiskFlagsRole).toInt();
            QVERIFY2(flags == int(m_risks.value(id).toInt()), qPrintable(QString::number(id)));
            QCOMPARE(cell(*model, row, Q::Risk, LazySqlTableModel::RawValueRole).toInt(), flags);
            QCOMPARE(cell(*model, row, Q::Risk).toString(), TaskDetails::riskText(TaskRisks::fromInt(flags)));
            QCOMPARE(cell(*model, row, 0, Q::RiskTextRole).toString(), cell(*model, row, Q::Risk).toString());
            QCOMPARE(cell(*model, row, Q::Risk, Qt::ToolTipRole).isValid(), flags != 0);
        }
        QCOMPARE(
            cell(*model, rowFor(*model, m_privileged), Q::Risk).toString(), QStringLiteral("Privileged"));
        QCOMPARE(cell(*model, rowFor(*model, m_brokenMounts), Q::Risk).toString(),
            QStringLiteral("Host mounts, Unreadable fields"));
        QCOMPARE(cell(*model, rowFor(*model, m_mounts), 0, Q::MountsRole).toStringList(),
            (QStringList {QStringLiteral("/srv/data:/data"), QStringLiteral("/etc:/host-etc")}));
        QVERIFY(cell(*model, rowFor(*model, m_mounts), Q::Risk, Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("/etc:/host-etc")));
        // NULL mounts are no mounts.
        QCOMPARE(cell(*model, rowFor(*model, m_bigMemory), 0, Q::MountsRole).toStringList(), QStringList());
        QCOMPARE(cell(*model, rowFor(*model, m_bigMemory), 0, Q::MountsTextRole).toString(), QString());

        // Thresholds are settings: 2 GPUs and 20 GiB flag more tasks, and views hear about it.
        QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
        model->setRiskThresholds({.manyGpus = 2, .largeMemoryBytes = 20 * kGiB});
        QCOMPARE(changed.count(), 1);
        const int plain = rowFor(*model, m_plain); // 1 GPU, 24 GiB
        QCOMPARE(cell(*model, plain, 0, Q::RiskFlagsRole).toInt(), int(TaskRisk::LargeMemory));
        const int vps = rowFor(*model, m_vps); // 1 GPU, 32 GiB
        QCOMPARE(cell(*model, vps, 0, Q::RiskFlagsRole).toInt(), int(TaskRisk::LargeMemory));
        const int many = rowFor(*model, m_manyGpus);
        QCOMPARE(cell(*model, many, 0, Q::RiskFlagsRole).toInt(), int(TaskRisk::ManyGpus));
        // A malformed GPU list is never counted as "many": it is flagged unreadable instead.
        QCOMPARE(cell(*model, rowFor(*model, m_brokenGpus), 0, Q::RiskFlagsRole).toInt(),
            int(TaskRisk::Unreadable));

        // Sorting by risk puts privileged first, then host mounts.
        model->sort(Q::Risk, Qt::DescendingOrder);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->idAt(0), m_privileged);
        QVERIFY(QList<qint64>({m_mounts, m_brokenMounts}).contains(model->idAt(1)));
    }

    void malformedJsonRowsShowRawText()
    {
        auto model = makeModel();
        QSignalSpy errors(model.get(), &LazySqlTableModel::errorOccurred);
        QTRY_VERIFY(settled(*model));
        const int args = rowFor(*model, m_brokenArgs);
        QVERIFY(!cell(*model, args, 0, Q::ArgumentsRole).isValid());
        QCOMPARE(cell(*model, args, 0, Q::ArgumentsTextRole).toString(), QStringLiteral("[\"unterminated"));
        QCOMPARE(
            cell(*model, args, 0, Q::CommandLineRole).toString(), QStringLiteral("python [\"unterminated"));
        QCOMPARE(cell(*model, args, Q::Command).toString(), QStringLiteral("python [\"unterminated"));

        const int env = rowFor(*model, m_brokenEnv);
        QVERIFY(!cell(*model, env, 0, Q::EnvVarsRole).isValid());
        QCOMPARE(cell(*model, env, 0, Q::EnvVarsTextRole).toString(), QStringLiteral("[\"A=1\"]"));

        const int gpus = rowFor(*model, m_brokenGpus);
        QVERIFY(!cell(*model, gpus, 0, Q::GpuIndicesRole).isValid());
        QCOMPARE(cell(*model, gpus, Q::Gpus).toString(), QStringLiteral("[0, \"all\", 1, 2, 3]"));
        QCOMPARE(cell(*model, gpus, 0, Q::GpusTextRole).toString(), QStringLiteral("[0, \"all\", 1, 2, 3]"));

        const int mounts = rowFor(*model, m_brokenMounts);
        QVERIFY(!cell(*model, mounts, 0, Q::MountsRole).isValid());
        QCOMPARE(cell(*model, mounts, 0, Q::MountsTextRole).toString(), QStringLiteral("/scratch:/scratch"));
        QVERIFY(
            cell(*model, mounts, Q::Risk, Qt::ToolTipRole).toString().contains(QStringLiteral("/scratch")));

        // Every role of every column of every row: no crash, no error, and sorting by GPUs works.
        const QList<int> roles = model->roleNames().keys();
        for (int row = 0; row < model->rowCount(); ++row) {
            QTRY_VERIFY(loadRow(*model, row));
            for (int c = 0; c < model->columnCount(); ++c) {
                for (int role : roles)
                    (void)cell(*model, row, c, role);
            }
        }
        // A list with a non-integer entry is valid JSON: SQL counts its entries for sorting, the
        // row itself shows it as unreadable.
        QVERIFY(!cell(*model, gpus, Q::Gpus, LazySqlTableModel::RawValueRole).isValid());
        model->sort(Q::Gpus, Qt::AscendingOrder);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 11);
        QCOMPARE(allIds(*model),
            m_fixture->ids(
                QStringLiteral("SELECT task_id FROM tasks WHERE status = 'pending_approval' ORDER BY "
                               "(CASE WHEN json_valid(required_gpus) THEN json_array_length(required_gpus) "
                               "END), task_id")));
        QCOMPARE(errors.count(), 0);
    }

    void howLongAgoFollowsTheClock()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        for (auto it = m_ageText.cbegin(); it != m_ageText.cend(); ++it) {
            const int row = rowFor(*model, it.key());
            QVERIFY(row >= 0);
            QCOMPARE(cell(*model, row, Q::Waiting).toString(), it.value());
            QCOMPARE(cell(*model, row, 0, Q::AgeTextRole).toString(), it.value());
        }
        QCOMPARE(cell(*model, rowFor(*model, m_future), 0, Q::AgeSecondsRole).toLongLong(), -120);

        // An hour later, without a new query: the ages move on when the page asks.
        QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
        g_clockOffset = kHour;
        model->refreshAges();
        QCOMPARE(changed.count(), 1);
        const auto roles = changed.at(0).at(2).value<QList<int>>();
        QVERIFY(roles.contains(Q::AgeTextRole) && roles.contains(Qt::DisplayRole));
        QCOMPARE(
            cell(*model, rowFor(*model, m_plain), Q::Waiting).toString(), QStringLiteral("1 h 1 min ago"));
        QCOMPARE(cell(*model, rowFor(*model, m_future), Q::Waiting).toString(), QStringLiteral("58 min ago"));
        QCOMPARE(cell(*model, rowFor(*model, m_bigMemory), 0, Q::AgeSecondsRole).toLongLong(),
            59 * kMinute + 59 + kHour);

        QCOMPARE(ApprovalQueueModel::formatAge(0), QStringLiteral("just now"));
        QCOMPARE(ApprovalQueueModel::formatAge(60), QStringLiteral("1 min ago"));
        QCOMPARE(ApprovalQueueModel::formatAge(kDay), QStringLiteral("1 d 0 h ago"));
        QCOMPARE(ApprovalQueueModel::formatAge(-5), QStringLiteral("just now"));
    }

    void reportsArrivalsAndDepartures()
    {
        auto model = makeModel();
        QSignalSpy queue(model.get(), &ApprovalQueueModel::queueChanged);
        QTRY_COMPARE(queue.count(), 1);
        QCOMPARE(queue.at(0).at(0).value<QList<qint64>>().size(), 11); // the first load: all arrived
        QVERIFY(queue.at(0).at(1).value<QList<qint64>>().isEmpty());
        QCOMPARE(model->knownIds().size(), 11);

        // Another operator approves one and rejects another; a user submits a new task.
        m_fixture->exec(QStringLiteral("UPDATE tasks SET status = 'assigning', approval_status = 'approved' "
                                       "WHERE task_id = %1")
                            .arg(m_manyGpus));
        m_fixture->exec(QStringLiteral("UPDATE tasks SET status = 'rejected', approval_status = 'rejected' "
                                       "WHERE task_id = %1")
                            .arg(m_future));
        TaskRow fresh;
        fresh.id = snowflake(-1, 4000);
        fresh.name = QStringLiteral("fresh");
        fresh.ownerId = m_bob;
        fresh.submittedAt = TablesFixture::at(-1);
        addTask(*m_fixture, fresh);

        model->refresh();
        QTRY_COMPARE(queue.count(), 2);
        QCOMPARE(queue.at(1).at(0).value<QList<qint64>>(), (QList<qint64> {fresh.id}));
        QList<qint64> left {m_manyGpus, m_future};
        std::sort(left.begin(), left.end());
        QCOMPARE(queue.at(1).at(1).value<QList<qint64>>(), left);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 10);
        QCOMPARE(model->rowOf(m_manyGpus), -1);
        QCOMPARE(allIds(*model), pendingIds());

        // Nothing changed: no signal. A search shows a subset: not a departure.
        model->refresh();
        QTRY_VERIFY(settled(*model));
        model->setFilterText(QStringLiteral("fresh"));
        QTRY_VERIFY(settled(*model) && model->rowCount() == 1);
        QCOMPARE(queue.count(), 2);

        // One leaves and one arrives: the same count, so the rows update in place, and the
        // swap is still reported.
        model->setFilterText({});
        QTRY_VERIFY(settled(*model));
        m_fixture->exec(
            QStringLiteral("UPDATE tasks SET status = 'assigning' WHERE task_id = %1").arg(fresh.id));
        TaskRow later = fresh;
        later.id = snowflake(-1, 4001);
        later.name = QStringLiteral("later");
        addTask(*m_fixture, later);
        const int before = model->rowCount();
        model->refresh();
        QTRY_COMPARE(queue.count(), 3);
        QCOMPARE(model->rowCount(), before);
        QCOMPARE(queue.at(2).at(0).value<QList<qint64>>(), (QList<qint64> {later.id}));
        QCOMPARE(queue.at(2).at(1).value<QList<qint64>>(), (QList<qint64> {fresh.id}));
        m_fixture->exec(QStringLiteral("DELETE FROM tasks WHERE task_id = %1").arg(later.id));

        // Put the rows back for the other tests.
        m_fixture->exec(
            QStringLiteral("UPDATE tasks SET status = 'pending_approval', approval_status = 'pending' "
                           "WHERE task_id IN (%1, %2)")
                .arg(m_manyGpus)
                .arg(m_future));
        m_fixture->exec(QStringLiteral("DELETE FROM tasks WHERE task_id = %1").arg(fresh.id));
    }

    void malformedSubmissionTime()
    {
        TablesFixture fixture;
        TaskRow t;
        t.id = snowflake(0, 1);
        t.submittedAt = QStringLiteral("yesterday-ish");
        addTask(fixture, t);
        LazySqlTableModel::Options options = tableOptions();
        options.clock = &testClock;
        ApprovalQueueModel model(fixture.path(), options);
        attachTester(&model);
        QTRY_VERIFY(settled(model));
        QCOMPARE(model.rowCount(), 1);
        QTRY_VERIFY(loadRow(model, 0));
        QCOMPARE(cell(model, 0, Q::Submitted).toString(), QStringLiteral("yesterday-ish")); // as stored
        QVERIFY(!cell(model, 0, Q::Waiting).isValid());
        QVERIFY(!cell(model, 0, 0, Q::AgeSecondsRole).isValid());
        QVERIFY(!cell(model, 0, 0, Q::SubmittedRole).isValid());
        QCOMPARE(cell(model, 0, Q::Waiting, Qt::ToolTipRole).toString(), QStringLiteral("yesterday-ish"));
        QVERIFY(!model.taskAt(0)->submitted().isValid());
    }

    void sampleDataQueue()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sample.db"));
        QVERIFY(makeSamplePlatform(path));
        ApprovalQueueModel model(path, tableOptions());
        attachTester(&model);
        QTRY_VERIFY(settled(model));
        QCOMPARE(model.rowCount(), SampleDataCounts::kPendingApprovalTasks);
        int vps = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            QTRY_VERIFY(loadRow(model, row));
            const auto task = model.taskAt(row);
            QVERIFY(task);
            QVERIFY(task->id > kTwoTo53);
            QCOMPARE(task->status, TaskStatus::kPendingApproval);
            QVERIFY(!task->owner.isEmpty());
            QVERIFY(!task->assignedNode.isEmpty());
            QVERIFY(!task->risks().testFlag(TaskRisk::Unreadable));
            QCOMPARE(cell(model, row, 0, Q::TaskIdTextRole).toString(), QString::number(task->id));
            if (task->isVps())
                ++vps;
            else
                QVERIFY(!cell(model, row, 0, Q::CommandLineRole).toString().isEmpty());
            if (row > 0)
                QVERIFY(cell(model, row - 1, Q::Submitted).toDateTime()
                    >= cell(model, row, Q::Submitted).toDateTime());
        }
        QCOMPARE(vps, 1);
    }
};

RK_TEST_GUILESS_MAIN(TestApprovalQueueModel)
#include "TestApprovalQueueModel.moc"
