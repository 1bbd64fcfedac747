#include "RkTest.h"
#include "TablesFixture.h"
#include "TablesTestSupport.h"
#include "tables/GroupsTableModel.h"

#include <QSignalSpy>

using namespace rk;
using namespace rk::test;

class TestGroupsTableModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TablesFixture> m_fixture;
    qint64 m_gpu = 0, m_empty = 0, m_broken = 0, m_array = 0, m_text = 0;

    std::unique_ptr<GroupsTableModel> makeModel()
    {
        auto model = std::make_unique<GroupsTableModel>(m_fixture->path(), tableOptions());
        attachTester(model.get());
        return model;
    }

    int rowOfLoaded(GroupsTableModel &model, qint64 id)
    {
        const int row = model.rowOf(id);
        return row >= 0 && loadRow(model, row) ? row : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<TablesFixture>();
        // SQLite's JSON1 functions are built into Debian's libsqlite3.
        QCOMPARE(
            m_fixture->scalar(QStringLiteral("SELECT json_extract('{\"a\":1}', '$.a')")).toLongLong(), 1);
        m_gpu = m_fixture->addGroup(QStringLiteral("gpu"), 2,
            QStringLiteral("{\"max_tasks\":10,\"max_vps\":2,\"gpu_cap\":4,\"custom\":\"x\"}"));
        m_empty = m_fixture->addGroup(QStringLiteral("empty"), 0, QStringLiteral("{}"));
        m_broken = m_fixture->addGroup(QStringLiteral("broken"), 1, QStringLiteral("{oops"));
        m_array = m_fixture->addGroup(QStringLiteral("array"), 0, QStringLiteral("[1, 2]"));
        m_text = m_fixture->addGroup(
            QStringLiteral("GPU-text"), 3, QStringLiteral("{\"max_tasks\":\"5\",\"gpu_cap\":0}"));
        QList<qint64> users;
        for (int i = 0; i < 5; ++i)
            users.append(m_fixture->addUser(QStringLiteral("u%1").arg(i)));
        for (int i = 0; i < 3; ++i)
            m_fixture->addMembership(users.at(i), m_gpu);
        m_fixture->addMembership(users.at(4), m_broken);
        for (int i = 0; i < 5; ++i)
            m_fixture->addMembership(users.at(i), m_text);
        // A membership of a deleted user still counts as a user_groups row (the host does not cascade).
        m_fixture->exec(QStringLiteral("DELETE FROM users WHERE id = %1").arg(users.at(4)));
    }

    void countsMembers()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 5);
        for (int row = 0; row < model->rowCount(); ++row) {
            QVERIFY(loadRow(*model, row));
            const qint64 id = model->idAt(row);
            const qint64 direct
                = m_fixture->scalar(
                               QStringLiteral("SELECT count(*) FROM user_groups WHERE group_id = ?1"), id)
                      .toLongLong();
            QCOMPARE(model->data(model->index(row, GroupsTableModel::Members)).toLongLong(), direct);
            QCOMPARE(model->groupAt(row)->memberCount, int(direct));
        }
        model->sort(GroupsTableModel::Members, Qt::DescendingOrder);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(allIds(*model), (QList<qint64> {m_text, m_gpu, m_broken, m_empty, m_array}));
    }

    void readsLimitsFromJson()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        auto value = [&](qint64 id, int column) {
            const int row = rowOfLoaded(*model, id);
            return row < 0 ? QVariant(QStringLiteral("not loaded")) : model->data(model->index(row, column));
        };
        QCOMPARE(value(m_gpu, GroupsTableModel::MaxTasks).toLongLong(), 10);
        QCOMPARE(value(m_gpu, GroupsTableModel::MaxVps).toLongLong(), 2);
        QCOMPARE(value(m_gpu, GroupsTableModel::GpuCap).toLongLong(), 4);
        QCOMPARE(value(m_gpu, GroupsTableModel::Tier).toLongLong(), 2);
        // Absent keys, malformed JSON (no error: the whole table would fail) and non-objects: no value.
        for (qint64 id : {m_empty, m_broken, m_array}) {
            for (int c : {GroupsTableModel::MaxTasks, GroupsTableModel::MaxVps, GroupsTableModel::GpuCap})
                QVERIFY2(
                    !value(id, c).isValid(), qPrintable(QStringLiteral("group %1 column %2").arg(id).arg(c)));
        }
        // Values as stored: a JSON string stays text, zero is a value.
        QCOMPARE(value(m_text, GroupsTableModel::MaxTasks), QVariant(QStringLiteral("5")));
        QCOMPARE(value(m_text, GroupsTableModel::GpuCap).toLongLong(), 0);
        QVERIFY(value(m_text, GroupsTableModel::GpuCap).isValid());
        QVERIFY(!value(m_text, GroupsTableModel::MaxVps).isValid());
        // The whole JSON, unknown keys included, for the editor.
        const int row = rowOfLoaded(*model, m_gpu);
        QVERIFY(row >= 0);
        QVERIFY(model->data(model->index(row, 0), GroupsTableModel::LimitsJsonRole)
                    .toString()
                    .contains(QLatin1String("custom")));
        const auto group = model->groupAt(row);
        QVERIFY(group);
        QCOMPARE(group->name, QStringLiteral("gpu"));
        QCOMPARE(group->tier, 2);
        QCOMPARE(group->limitsJson,
            QStringLiteral("{\"max_tasks\":10,\"max_vps\":2,\"gpu_cap\":4,\"custom\":\"x\"}"));
        QCOMPARE(group->createdAt, QStringLiteral("2025-03-01 08:00:00.5"));
        QCOMPARE(model->data(model->index(row, GroupsTableModel::Created)).toDateTime(),
            hosttime::toDateTime(group->createdAt));
    }

    void sortsByNameAndLimitAndFilters()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->sortColumn(), int(GroupsTableModel::Name)); // the default
        QCOMPARE(
            allIds(*model), m_fixture->ids(QStringLiteral("SELECT id FROM \"groups\" ORDER BY name, id")));
        model->sort(GroupsTableModel::GpuCap, Qt::DescendingOrder);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(allIds(*model), (QList<qint64> {m_gpu, m_text, m_empty, m_broken, m_array}));
        model->setFilterText(QStringLiteral("gPu"));
        QTRY_VERIFY(settled(*model));
        QCOMPARE(allIds(*model), (QList<qint64> {m_gpu, m_text}));
    }
};

RK_TEST_GUILESS_MAIN(TestGroupsTableModel)
#include "TestGroupsTableModel.moc"
