#include "RkTest.h"
#include "TablesFixture.h"
#include "TablesTestSupport.h"
#include "TaskRows.h"
#include "tables/TableSqlBuilder.h"
#include "tasks/TaskStatus.h"
#include "tasks/TasksTableModel.h"

#include <QSignalSpy>

using namespace rk;
using namespace rk::test;

class TestTasksTableModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TablesFixture> m_fixture;
    qint64 m_alice = 0, m_bob = 0, m_ghost = 0;
    qint64 m_big = 0; // an odd snowflake: id and id + 1 are the same double
    qint64 m_malformed = 0;
    qint64 m_orphan = 0;

    std::unique_ptr<TasksTableModel> makeModel()
    {
        auto model = std::make_unique<TasksTableModel>(m_fixture->path(), tableOptions());
        attachTester(model.get());
        return model;
    }

    QList<qint64> sqlIds(const QString &where)
    {
        return m_fixture->ids(QStringLiteral("SELECT task_id FROM tasks ") + where
            + QStringLiteral(" ORDER BY submitted_at DESC, task_id"));
    }

    static QVariant cell(const TasksTableModel &model, int row, int column, int role = Qt::DisplayRole)
    {
        return model.data(model.index(row, column), role);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<TablesFixture>();
        m_alice = m_fixture->addUser(QStringLiteral("alice"));
        m_bob = m_fixture->addUser(QStringLiteral("bob"));
        m_ghost = m_fixture->addUser(QStringLiteral("ghost"));

        m_big = snowflake(-600, 7);
        QVERIFY(m_big > kTwoTo53 && (m_big & 1) == 1);
        QCOMPARE(double(m_big), double(m_big + 1)); // what a double would do to these ids

        TaskRow train;
        train.id = m_big;
        train.name = QStringLiteral("vit-b16-pretrain");
        train.arguments = QStringLiteral("[\"train.py\", \"--config\", \"configs/vit b16.yaml\"]");
        train.cores = 16;
        train.gpus = QStringLiteral("[0, 1]");
        train.memory = 64 * kGiB;
        train.ownerId = m_alice;
        train.status = QStringLiteral("running");
        train.approvalStatus = QStringLiteral("approved");
        train.submittedAt = TablesFixture::at(-600);
        train.startedAt = TablesFixture::at(-590);
        addTask(*m_fixture, train);

        TaskRow neighbour = train; // id + 1: must stay a different row
        neighbour.id = m_big + 1;
        neighbour.name = QStringLiteral("neighbour");
        neighbour.arguments = QStringLiteral("[]");
        neighbour.status = QStringLiteral("completed");
        neighbour.exitCode = 0;
        neighbour.gpus = QStringLiteral("[]");
        neighbour.memory = QVariant();
        neighbour.submittedAt = TablesFixture::at(-7200, false);
        neighbour.startedAt = TablesFixture::at(-7100);
        neighbour.completedAt = TablesFixture::at(-3600);
        addTask(*m_fixture, neighbour);

        TaskRow render;
        render.id = snowflake(-3000, 1);
        render.name = QStringLiteral("blender-shot-042");
        render.command = QStringLiteral("blender");
        render.arguments = QStringLiteral("[\"-b\", \"scenes/shot_042.blend\"]");
        render.cores = 32;
        render.gpus = QStringLiteral("[3]");
        render.ownerId = m_bob;
        render.status = QStringLiteral("failed");
        render.exitCode = 1;
        render.submittedAt = TablesFixture::at(-3000);
        addTask(*m_fixture, render);

        TaskRow waiting;
        waiting.id = snowflake(-60, 2);
        waiting.name = QStringLiteral("eval-checkpoints");
        waiting.command = QStringLiteral("bash");
        waiting.ownerId = m_bob;
        waiting.gpus = QStringLiteral("[0, 1, 2, 3, 4, 5, 6, 7]");
        waiting.submittedAt = TablesFixture::at(-60);
        addTask(*m_fixture, waiting);

        TaskRow vps;
        vps.id = snowflake(-120, 3);
        vps.type = QStringLiteral("vps");
        vps.name = QStringLiteral("vps-alice");
        vps.command = QStringLiteral("ssh-ed25519 AAAAC3Nza alice@laptop");
        vps.ownerId = m_alice;
        vps.status = QStringLiteral("running");
        vps.submittedAt = TablesFixture::at(-120);
        addTask(*m_fixture, vps);

        TaskRow broken; // JSON columns that are not JSON: shown as stored, never fatal
        broken.id = snowflake(-30, 4);
        broken.name = QStringLiteral("broken-json");
        broken.arguments = QStringLiteral("not json");
        broken.envVars = QStringLiteral("{\"A\": ");
        broken.gpus = QStringLiteral("[0, 1");
        broken.mounts = QStringLiteral("/data:/data");
        broken.ownerId = m_alice;
        broken.status = QStringLiteral("pending");
        broken.node = QVariant();
        broken.submittedAt = TablesFixture::at(-30);
        addTask(*m_fixture, broken);
        m_malformed = broken.id;

        TaskRow orphan; // its owner is deleted (the host does not cascade)
        orphan.id = snowflake(-5000, 5);
        orphan.name = QStringLiteral("orphan");
        orphan.ownerId = m_ghost;
        orphan.status = QStringLiteral("killed");
        orphan.submittedAt = TablesFixture::at(-5000);
        addTask(*m_fixture, orphan);
        m_orphan = orphan.id;
        m_fixture->exec(QStringLiteral("DELETE FROM users WHERE id = %1").arg(m_ghost));
    }

    void columnsAndDefaultOrder()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->columnCount(), int(TasksTableModel::ColumnCount));
        QCOMPARE(model->headerData(TasksTableModel::ExitCode, Qt::Horizontal).toString(),
            QStringLiteral("Exit code"));
        QCOMPARE(model->rowCount(), 7);
        // Newest first, as the host lists them.
        QCOMPARE(model->sortColumn(), int(TasksTableModel::Submitted));
        QCOMPARE(allIds(*model), sqlIds({}));
    }

    void showsEveryColumn()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        const int row = model->rowOf(m_big);
        QVERIFY(row >= 0);
        QTRY_VERIFY(loadRow(*model, row));
        QCOMPARE(cell(*model, row, TasksTableModel::Id).toString(), QString::number(m_big));
        QCOMPARE(cell(*model, row, TasksTableModel::Id, LazySqlTableModel::RawValueRole).toLongLong(), m_big);
        QCOMPARE(cell(*model, row, TasksTableModel::Name).toString(), QStringLiteral("vit-b16-pretrain"));
        QCOMPARE(cell(*model, row, TasksTableModel::Type).toString(), QStringLiteral("Command"));
        QCOMPARE(cell(*model, row, TasksTableModel::Owner).toString(), QStringLiteral("alice"));
        QCOMPARE(cell(*model, row, TasksTableModel::Status).toString(), QStringLiteral("Running"));
        QCOMPARE(cell(*model, row, 0, TasksTableModel::StatusRole).toString(), QStringLiteral("running"));
        QCOMPARE(cell(*model, row, 0, TasksTableModel::TypeRole).toString(), QStringLiteral("command"));
        QCOMPARE(cell(*model, row, 0, TasksTableModel::OwnerIdRole).toLongLong(), m_alice);
        QCOMPARE(cell(*model, row, TasksTableModel::Node).toString(), QStringLiteral("gpu-a100-01"));
        QCOMPARE(cell(*model, row, TasksTableModel::Cores).toInt(), 16);
        QCOMPARE(cell(*model, row, TasksTableModel::Memory).toString(), QStringLiteral("64 GiB"));
        QCOMPARE(cell(*model, row, TasksTableModel::Memory, LazySqlTableModel::RawValueRole).toLongLong(),
            64 * kGiB);
        QCOMPARE(cell(*model, row, TasksTableModel::Gpus).toString(), QStringLiteral("0, 1"));
        QCOMPARE(cell(*model, row, TasksTableModel::Gpus, LazySqlTableModel::RawValueRole).toInt(), 2);
        QCOMPARE(cell(*model, row, TasksTableModel::Submitted).toDateTime(),
            hosttime::toDateTime(TablesFixture::at(-600)));
        QCOMPARE(cell(*model, row, TasksTableModel::Started).toDateTime(),
            hosttime::toDateTime(TablesFixture::at(-590)));
        QVERIFY(!cell(*model, row, TasksTableModel::Completed).isValid());
        QVERIFY(!cell(*model, row, TasksTableModel::ExitCode).isValid());
        // The full command line, quoted for a shell where needed.
        QCOMPARE(cell(*model, row, 0, TasksTableModel::CommandLineRole).toString(),
            QStringLiteral("python train.py --config 'configs/vit b16.yaml'"));

        const int done = model->rowOf(m_big + 1);
        QTRY_VERIFY(loadRow(*model, done));
        QCOMPARE(cell(*model, done, TasksTableModel::ExitCode).toInt(), 0);
        QCOMPARE(cell(*model, done, TasksTableModel::Status).toString(), QStringLiteral("Completed"));
        QVERIFY(!cell(*model, done, TasksTableModel::Memory).isValid());
        QCOMPARE(cell(*model, done, TasksTableModel::Completed).toDateTime(),
            hosttime::toDateTime(TablesFixture::at(-3600)));
    }

    void idsBeyondDoublePrecisionStayExact()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        const int a = model->rowOf(m_big);
        const int b = model->rowOf(m_big + 1);
        QVERIFY(a >= 0 && b >= 0 && a != b);
        QTRY_VERIFY(loadRow(*model, a) && loadRow(*model, b));
        QCOMPARE(model->idAt(a), m_big);
        QCOMPARE(model->idAt(b), m_big + 1);
        QCOMPARE(cell(*model, a, 0, LazySqlTableModel::IdRole).toLongLong(), m_big);
        QCOMPARE(cell(*model, b, 0, TasksTableModel::TaskIdTextRole).toString(), QString::number(m_big + 1));
        QCOMPARE(model->taskAt(a)->id, m_big);
        QCOMPARE(model->taskAt(b)->idText(), QString::number(m_big + 1));
        QCOMPARE(model->rowsOf({m_big + 1, m_big}), (QList<int> {b, a}));
        // Filtering by an owner binds the id as an integer too.
        model->setOwnerFilter(m_alice);
        QTRY_VERIFY(settled(*model));
        QVERIFY(model->rowOf(m_big) >= 0);
    }

    void filtersByStatusTypeAndOwner()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        QSignalSpy loaded(model.get(), &LazySqlTableModel::windowLoaded);
        model->setStatusFilter({QStringLiteral("running"), QStringLiteral("failed")});
        QTRY_VERIFY(settled(*model) && loaded.count() >= 1);
        QCOMPARE(model->statusFilter(), (QStringList {QStringLiteral("running"), QStringLiteral("failed")}));
        QCOMPARE(allIds(*model), sqlIds(QStringLiteral("WHERE status IN ('running', 'failed')")));
        QCOMPARE(model->rowCount(), 3);

        model->setTypeFilter(QStringLiteral("command"));
        QTRY_VERIFY(settled(*model) && model->rowCount() == 2);
        QCOMPARE(allIds(*model),
            sqlIds(QStringLiteral("WHERE status IN ('running', 'failed') AND task_type = 'command'")));

        model->setOwnerFilter(m_bob);
        QTRY_VERIFY(settled(*model) && model->rowCount() == 1);
        QCOMPARE(allIds(*model),
            sqlIds(QStringLiteral("WHERE status IN ('running', 'failed') AND task_type = 'command' "
                                  "AND owner_id = %1")
                       .arg(m_bob)));

        model->setStatusFilter({});
        model->setTypeFilter({});
        model->setOwnerFilter(std::nullopt);
        QTRY_VERIFY(settled(*model) && model->rowCount() == 7);
        QCOMPARE(allIds(*model), sqlIds({}));
    }

    void searchesNameCommandArgumentsAndOwner()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        const auto search = [&](const QString &text) {
            model->setFilterText(text);
            [[maybe_unused]] const bool done = QTest::qWaitFor([&] { return settled(*model); }, 5000);
            return allIds(*model);
        };
        QCOMPARE(search(QStringLiteral("VIT-B16")), (QList<qint64> {m_big})); // name, any case
        QCOMPARE(search(QStringLiteral("blender")), sqlIds(QStringLiteral("WHERE command = 'blender'")));
        QCOMPARE(search(QStringLiteral("configs/vit")), (QList<qint64> {m_big})); // an argument
        QCOMPARE(search(QStringLiteral("bob")), sqlIds(QStringLiteral("WHERE owner_id = %1").arg(m_bob)));
        QCOMPARE(search(QStringLiteral("100%")), QList<qint64>()); // % is literal
        // Search and status filter combine.
        model->setStatusFilter({QStringLiteral("failed")});
        QCOMPARE(search(QStringLiteral("bob")),
            sqlIds(QStringLiteral("WHERE owner_id = %1 AND status = 'failed'").arg(m_bob)));
    }

    void malformedJsonShowsAsStored()
    {
        auto model = makeModel();
        QSignalSpy errors(model.get(), &LazySqlTableModel::errorOccurred);
        QTRY_VERIFY(settled(*model));
        const int row = model->rowOf(m_malformed);
        QTRY_VERIFY(loadRow(*model, row));
        QCOMPARE(cell(*model, row, TasksTableModel::Gpus).toString(), QStringLiteral("[0, 1"));
        QVERIFY(!cell(*model, row, TasksTableModel::Gpus, LazySqlTableModel::RawValueRole).isValid());
        QVERIFY(!cell(*model, row, TasksTableModel::Gpus, Qt::ToolTipRole).toString().isEmpty());
        QCOMPARE(cell(*model, row, 0, TasksTableModel::CommandLineRole).toString(),
            QStringLiteral("python not json"));
        const auto task = model->taskAt(row);
        QVERIFY(task);
        QVERIFY(!task->arguments.isValid() && !task->envVars.isValid() && !task->gpus.isValid());
        QVERIFY(!task->mounts.isValid());
        QCOMPARE(task->mounts.raw, QStringLiteral("/data:/data"));
        QVERIFY(task->risks().testFlag(TaskRisk::Unreadable));
        QVERIFY(task->risks().testFlag(TaskRisk::HostMounts));
        QCOMPARE(task->assignedNode, QString());

        // Sorting by GPU count must not trip over the row (json_array_length on bad JSON raises).
        model->sort(TasksTableModel::Gpus, Qt::DescendingOrder);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(errors.count(), 0);
        QCOMPARE(model->rowCount(), 7);
        QList<qint64> want = m_fixture->ids(
            QStringLiteral("SELECT task_id FROM tasks ORDER BY (CASE WHEN json_valid(required_gpus) "
                           "THEN json_array_length(required_gpus) END) DESC, task_id"));
        QCOMPARE(allIds(*model), want);
        QCOMPARE(model->idAt(0), snowflake(-60, 2)); // eight GPUs
        QCOMPARE(model->idAt(6), m_malformed); // NULL sorts last descending
        // Every column and role of every row answers without trouble.
        for (int r = 0; r < model->rowCount(); ++r) {
            QTRY_VERIFY(loadRow(*model, r));
            for (int c = 0; c < model->columnCount(); ++c) {
                for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole),
                         int(LazySqlTableModel::RawValueRole), int(TasksTableModel::CommandLineRole)})
                    (void)cell(*model, r, c, role);
            }
        }
    }

    void deletedOwnerAndVps()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        const int orphan = model->rowOf(m_orphan);
        QTRY_VERIFY(loadRow(*model, orphan));
        QCOMPARE(cell(*model, orphan, TasksTableModel::Owner).toString(), QString());
        QCOMPARE(cell(*model, orphan, 0, TasksTableModel::OwnerIdRole).toLongLong(), m_ghost);
        QCOMPARE(cell(*model, orphan, TasksTableModel::Status).toString(), QStringLiteral("Killed"));

        const int vps = model->rowOf(snowflake(-120, 3));
        QTRY_VERIFY(loadRow(*model, vps));
        QCOMPARE(cell(*model, vps, TasksTableModel::Type).toString(), QStringLiteral("VPS"));
        const QString summary = cell(*model, vps, 0, TasksTableModel::CommandLineRole).toString();
        QVERIFY2(summary.startsWith(QStringLiteral("VPS (docker)")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("SSH key ssh-ed25519")), qPrintable(summary));
    }

    void sampleDataPlatform()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sample.db"));
        QVERIFY(makeSamplePlatform(path));
        TasksTableModel model(path, tableOptions());
        attachTester(&model);
        QTRY_VERIFY(settled(model));
        auto db = SqliteDatabase::open(path, SqliteDatabase::OpenMode::ReadOnly);
        QVERIFY(db);
        QCOMPARE(qint64(model.rowCount()),
            db.value()->scalar(QStringLiteral("SELECT count(*) FROM tasks"))->toLongLong());
        for (int r = 0; r < model.rowCount(); ++r) {
            QTRY_VERIFY(loadRow(model, r));
            const auto task = model.taskAt(r);
            QVERIFY(task && task->id > kTwoTo53);
            QVERIFY(task->arguments.isValid() && task->envVars.isValid() && task->gpus.isValid());
            QVERIFY(task->mounts.isValid());
            QVERIFY(!task->owner.isEmpty());
            QCOMPARE(TaskStatus::all().contains(task->status), true);
        }
        model.setStatusFilter({TaskStatus::kPendingApproval});
        QTRY_VERIFY(settled(model) && model.rowCount() == SampleDataCounts::kPendingApprovalTasks);
    }
};

RK_TEST_GUILESS_MAIN(TestTasksTableModel)
#include "TestTasksTableModel.moc"
