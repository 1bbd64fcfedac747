#include "RkTest.h"
#include "TablesFixture.h"
#include "TablesTestSupport.h"
#include "store/PlatformSchema.h"
#include "store/PlatformStore.h"
#include "tables/VpsTableModel.h"

using namespace rk;
using namespace rk::test;

namespace {
// Snowflakes above 2^53 that a double cannot hold (each would round to a neighbour).
constexpr qint64 kRunning = 7391245671234567891LL;
constexpr qint64 kStopped = 7391245671234567893LL;
constexpr qint64 kPending = 7391245671234567895LL;
constexpr qint64 kCommand = 7391245671234567897LL;
} // namespace

class TestVpsTableModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TablesFixture> m_fixture;
    qint64 m_alice = 0, m_bob = 0, m_carol = 0, m_team = 0;

    std::unique_ptr<VpsTableModel> makeModel(const QString &path, bool tracksGroups = true)
    {
        auto model = std::make_unique<VpsTableModel>(path, tracksGroups, tableOptions());
        attachTester(model.get());
        return model;
    }

    static void addTask(TablesFixture &f, qint64 id, const QString &type, const QString &name,
        const QVariant &owner, const QString &status, const QString &node, const QString &backend,
        const QString &submitted)
    {
        f.exec(QStringLiteral(
            "INSERT INTO tasks (task_id, task_type, command, arguments, env_vars, required_cores, "
            "required_gpus, "
            "name, owner_id, status, assigned_node, assignment_suspicion_count, docker_privileged, "
            "vps_backend, "
            "stdout_path, stderr_path, submitted_at) VALUES (%1, '%2', 'vps', '[]', '{}', 1, '[]', '%3', %4, "
            "'%5', %6, 0, 0, '%7', '', '', '%8')")
                   .arg(QString::number(id), type, name,
                       owner.isValid() ? owner.toString() : QStringLiteral("NULL"), status,
                       node.isEmpty() ? QStringLiteral("NULL") : QLatin1Char('\'') + node + QLatin1Char('\''),
                       backend, submitted));
    }

    static void assign(TablesFixture &f, qint64 task, qint64 user)
    {
        f.exec(
            QStringLiteral("INSERT INTO vps_assignments (vps_task_id, user_id, created_at) VALUES (%1, %2, "
                           "'2026-06-01 10:00:00')")
                .arg(task)
                .arg(user));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<TablesFixture>();
        TablesFixture &f = *m_fixture;
        m_alice = f.addUser(QStringLiteral("alice"));
        m_bob = f.addUser(QStringLiteral("bob"));
        m_carol = f.addUser(QStringLiteral("carol"));
        m_team = f.addGroup(QStringLiteral("team"));
        addTask(f, kRunning, QStringLiteral("vps"), QStringLiteral("dev-box"), m_alice,
            QStringLiteral("running"), QStringLiteral("gpu-01"), QStringLiteral("docker"),
            TablesFixture::at(-3600));
        addTask(f, kStopped, QStringLiteral("vps"), QStringLiteral("old-box"), m_bob,
            QStringLiteral("stopped"), QStringLiteral("cpu-02"), QStringLiteral("qemu"),
            TablesFixture::at(-86400));
        addTask(f, kPending, QStringLiteral("vps"), QStringLiteral("new-box"), QVariant(),
            QStringLiteral("pending_approval"), QString(), QStringLiteral("docker"), TablesFixture::at(-60));
        addTask(f, kCommand, QStringLiteral("command"), QStringLiteral("train"), m_alice,
            QStringLiteral("running"), QStringLiteral("gpu-01"), QStringLiteral("docker"),
            TablesFixture::at(-10));
        // dev-box: alice directly (host-made), bob via team, carol directly and via team.
        assign(f, kRunning, m_alice);
        assign(f, kRunning, m_bob);
        assign(f, kRunning, m_carol);
        assign(f, kStopped, m_bob);
        f.exec(QStringLiteral(
            "INSERT INTO rk_vps_group_assignments (vps_task_id, group_id, created_at, created_by) "
            "VALUES (%1, %2, '2026-06-01 10:00:00', 'root')")
                   .arg(kRunning)
                   .arg(m_team));
        for (const auto &[user, group] :
            {std::pair(m_bob, m_team), std::pair(m_carol, m_team), std::pair(m_carol, 0LL)})
            f.exec(QStringLiteral(
                "INSERT INTO rk_vps_assignment_sources (vps_task_id, user_id, group_id, created_at) "
                "VALUES (%1, %2, %3, '2026-06-01 10:00:00')")
                       .arg(kRunning)
                       .arg(user)
                       .arg(group));
    }

    void listsVpsNewestFirstWithExactIds()
    {
        auto model = makeModel(m_fixture->path());
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 3); // the command task is not a VPS
        QCOMPARE(allIds(*model), (QList<qint64> {kPending, kRunning, kStopped}));
        for (int row = 0; row < model->rowCount(); ++row) {
            QVERIFY(loadRow(*model, row));
            const QModelIndex id = model->index(row, VpsTableModel::TaskId);
            QCOMPARE(id.data(LazySqlTableModel::IdRole).toLongLong(), model->idAt(row));
            QCOMPARE(id.data().toString(), QString::number(model->idAt(row)));
            QCOMPARE(id.data(LazySqlTableModel::RawValueRole).toLongLong(), model->idAt(row));
        }
        const int row = model->rowOf(kRunning);
        const auto vps = model->vpsAt(row);
        QVERIFY(vps);
        QCOMPARE(vps->taskId, kRunning);
        QCOMPARE(vps->name, QStringLiteral("dev-box"));
        QCOMPARE(vps->owner, QStringLiteral("alice"));
        QCOMPARE(vps->ownerId, std::optional<qint64>(m_alice));
        QCOMPARE(vps->status, QStringLiteral("running"));
        QCOMPARE(vps->node, QStringLiteral("gpu-01"));
        QCOMPARE(vps->backend, QStringLiteral("docker"));
        QCOMPARE(vps->assignees, 3);
        QCOMPARE(vps->viaGroup, 2);
        QCOMPARE(
            model->index(row, VpsTableModel::Assignees).data().toString(), QStringLiteral("3 (2 via group)"));
        QCOMPARE(
            model->index(row, VpsTableModel::Assignees).data(LazySqlTableModel::RawValueRole).toInt(), 3);
        QCOMPARE(model->index(row, 0).data(VpsTableModel::AssigneesViaGroupRole).toInt(), 2);
        const int stopped = model->rowOf(kStopped);
        QCOMPARE(model->index(stopped, VpsTableModel::Assignees).data().toString(), QStringLiteral("1"));
        const int pending = model->rowOf(kPending);
        QCOMPARE(model->index(pending, VpsTableModel::Owner).data().toString(), QString());
        QVERIFY(!model->index(pending, 0).data(VpsTableModel::OwnerIdRole).isValid());
        QVERIFY(model->index(row, VpsTableModel::Submitted).data().toDateTime().isValid());
    }

    void agreesWithTheStore()
    {
        auto store = PlatformStore::open(m_fixture->path(), PlatformStore::Access::ReadOnly);
        QVERIFY2(store, store ? "" : qPrintable(store.error().message));
        const Actor viewer {m_alice, QStringLiteral("alice"), Role::Viewer, QStringLiteral("test@host")};
        auto listed = store.value()->listVps(viewer);
        QVERIFY(listed);
        auto model = makeModel(m_fixture->path());
        QTRY_VERIFY(settled(*model));
        QCOMPARE(qsizetype(listed->size()), qsizetype(model->rowCount()));
        for (int row = 0; row < model->rowCount(); ++row) {
            QVERIFY(loadRow(*model, row));
            const auto mine = model->vpsAt(row);
            const VpsRecord &ref = listed->at(size_t(row)); // the same order
            QCOMPARE(mine->taskId, ref.taskId);
            QCOMPARE(mine->assignees, ref.assignees);
            QCOMPARE(mine->viaGroup, ref.viaGroup);
            QCOMPARE(mine->owner, ref.owner);
            QCOMPARE(mine->submittedAt, ref.submittedAt);
        }
    }

    void sortsAndFilters()
    {
        auto model = makeModel(m_fixture->path());
        model->sort(VpsTableModel::TaskId, Qt::AscendingOrder);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(allIds(*model), (QList<qint64> {kRunning, kStopped, kPending}));
        model->sort(VpsTableModel::Assignees, Qt::DescendingOrder);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(allIds(*model), (QList<qint64> {kRunning, kStopped, kPending}));
        model->setFilterText(QStringLiteral("BOB")); // the owner
        QTRY_VERIFY(settled(*model));
        QCOMPARE(allIds(*model), (QList<qint64> {kStopped}));
        model->setFilterText(QStringLiteral("qemu"));
        QTRY_VERIFY(settled(*model));
        QCOMPARE(allIds(*model), (QList<qint64> {kStopped}));
        model->setFilterText(QStringLiteral("4567895")); // part of the task id
        QTRY_VERIFY(settled(*model));
        QCOMPARE(allIds(*model), (QList<qint64> {kPending}));
    }

    void readsAFileWithoutRiverkeeperVpsTables()
    {
        // A copy straight from the host: no rk_ tables at all.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("host.db"));
        {
            auto db = SqliteDatabase::open(path, SqliteDatabase::OpenMode::CreateNew);
            QVERIFY(db);
            for (const QString &sql : schema::hostDdl())
                QVERIFY(db.value()->exec(sql).ok());
            QVERIFY(
                db.value()
                    ->exec(QStringLiteral("INSERT INTO users (id, username, password_hash, is_active, role, "
                                          "created_at) VALUES (1, 'root', 'x', 1, 'admin', '2026-01-01')"))
                    .ok());
        }
        auto raw = SqliteDatabase::open(path, SqliteDatabase::OpenMode::ReadWrite);
        QVERIFY(raw);
        QVERIFY(raw.value()
                    ->exec(QStringLiteral(
                        "INSERT INTO tasks (task_id, task_type, command, arguments, env_vars, "
                        "required_cores, required_gpus, name, owner_id, status, "
                        "assignment_suspicion_count, docker_privileged, vps_backend, stdout_path, "
                        "stderr_path, submitted_at) VALUES (%1, 'vps', 'vps', '[]', '{}', 1, '[]', "
                        "'box', 1, 'running', 0, 0, 'docker', '', '', '2026-01-01 00:00:00');"
                        "INSERT INTO vps_assignments (vps_task_id, user_id, created_at) VALUES "
                        "(%1, 1, '2026-01-01 00:00:00')")
                               .arg(kRunning))
                    .ok());
        auto model = makeModel(path, false);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(allIds(*model), (QList<qint64> {kRunning}));
        QVERIFY(loadRow(*model, 0));
        QCOMPARE(model->index(0, VpsTableModel::Assignees).data().toString(), QStringLiteral("1"));
    }
};

RK_TEST_GUILESS_MAIN(TestVpsTableModel)
#include "TestVpsTableModel.moc"
