#include "../ui/UiTestSupport.h"

#include "pages/NodesPage.h"
#include "store/SampleData.h"
#include "tasks/NodeDetailPane.h"

#include "tables/NodesTableModel.h"
#include "tasks/TasksTableModel.h"

#include <QAction>
#include <QApplication>
#include <QTableView>
#include <QTableWidget>

using namespace rk;

class TestNodesPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    uitest::Platform m_platform;
    std::unique_ptr<NodesPage> m_page;

    NodesTableModel *model() const { return m_page->model(); }
    QTableView *table() const { return m_page->findChild<QTableView *>(QStringLiteral("tableView")); }

    void openPage(const Actor &actor)
    {
        NodesPage::Options options;
        options.refreshIntervalMs = 0;
        m_page = std::make_unique<NodesPage>(*m_platform.store, actor, *m_settings, options);
        m_page->resize(1400, 800);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
        if (model()) {
            QTRY_VERIFY(!model()->isLoading() && model()->rowCount() == 4 && model()->isOrderingComplete());
            for (int r = 0; r < 4; ++r)
                QTRY_VERIFY(model()->isRowLoaded(r));
        }
    }

    bool select(const QString &hostname)
    {
        const int row = model()->rowOfHostname(hostname);
        if (row < 0)
            return false;
        table()->selectRow(row);
        return m_page->selectedHostname() == hostname;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = uitest::makeSettings(m_dir);
        m_platform = uitest::makePlatform(m_dir.filePath(QStringLiteral("nodes.db")));
        QVERIFY(m_platform.store);
        SampleDataOptions sample;
        sample.bcryptCost = 4;
        QVERIFY(SampleData::populate(*m_platform.store, m_platform.root, sample).ok());
    }

    void cleanup()
    {
        m_page.reset();
        m_platform = {};
        m_settings.reset();
        QFile::remove(m_dir.filePath(QStringLiteral("nodes.db")));
    }

    void showsTheNodesAndTheSelectedOneInFull()
    {
        openPage(m_platform.root);
        QVERIFY(!model()->readsMirrorUsage()); // a platform database: computed from tasks
        NodeDetailPane *pane = m_page->detailPane();
        QVERIFY(pane);

        QVERIFY(select(QStringLiteral("gpu-v100-04"))); // offline in the sample data
        const int offline = model()->rowOfHostname(QStringLiteral("gpu-v100-04"));
        QCOMPARE(
            model()->index(offline, NodesTableModel::CoresInUse).data().toString(), QStringLiteral("N/A"));
        QTRY_COMPARE(pane->value(QStringLiteral("Hostname")), QStringLiteral("gpu-v100-04"));
        QCOMPARE(pane->value(QStringLiteral("Status")), QStringLiteral("Offline"));
        QVERIFY(pane->value(QStringLiteral("Cores")).contains(QStringLiteral("N/A")));
        QVERIFY2(pane->value(QStringLiteral("Numa")).contains(QStringLiteral("NUMA 0: 20 cores (0\u201319)")),
            qPrintable(pane->value(QStringLiteral("Numa"))));
        QCOMPARE(pane->gpuTable()->rowCount(), 8);
        QCOMPARE(pane->gpuTable()->item(0, 1)->text(), QStringLiteral("Tesla V100-SXM2-32GB"));

        QVERIFY(select(QStringLiteral("cpu-epyc-03")));
        QTRY_COMPARE(pane->value(QStringLiteral("Hostname")), QStringLiteral("cpu-epyc-03"));
        QCOMPARE(pane->gpuTable()->rowCount(), 0);
        QCOMPARE(pane->value(QStringLiteral("Numa")).count(QLatin1Char('\n')), 3); // 4 NUMA nodes
        QCOMPARE(pane->value(QStringLiteral("Vm")), QStringLiteral("Capable (QEMU)"));
        const int epyc = model()->rowOfHostname(QStringLiteral("cpu-epyc-03"));
        QCOMPARE(model()->index(epyc, NodesTableModel::Gpus).data().toLongLong(), 0);
        // Online: a number, from the running and assigning tasks.
        QVERIFY(
            model()->index(epyc, NodesTableModel::CoresInUse).data().metaType().id() != QMetaType::QString);

        QCOMPARE(NodeDetailPane::coreRanges({5, 1, 2, 3, 9}), QStringLiteral("1\u20133, 5, 9"));
    }

    void viewersMayLookAnonymousMayNot()
    {
        const qint64 viewer = uitest::addUser(
            *m_platform.store, m_platform.root, QStringLiteral("vera"), QStringLiteral("viewer"));
        openPage(Actor {viewer, QStringLiteral("vera"), Role::Viewer, QStringLiteral("test@host")});
        QVERIFY(model());
        openPage(Actor {-1, QStringLiteral("_anonymous"), Role::Anony, {}});
        QVERIFY(!model());
        QVERIFY(!m_page->findChild<QAction *>(QStringLiteral("refreshNodesAction"))->isEnabled());
    }
};

RK_TEST_WIDGETS_MAIN(TestNodesPage)
#include "TestNodesPage.moc"
