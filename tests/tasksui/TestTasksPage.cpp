#include "../ui/UiTestSupport.h"

#include "mirror/HostMirror.h"
#include "pages/TasksPage.h"
#include "tasks/TaskDetailPane.h"
#include "tasks/TaskLogSource.h"
#include "tasks/TaskOutputViewer.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include "tables/NodesTableModel.h"
#include "tasks/TasksTableModel.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>

using namespace rk;

class TestTasksPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    uitest::Platform m_platform;
    std::unique_ptr<TasksPage> m_page;
    int m_counter = 0;
    qint64 m_bob = 0;
    Actor m_bobActor;
    // Odd snowflakes above 2^53: a double would turn them into a neighbour.
    qint64 m_nextId = 7530087675068420099LL;
    qint64 m_running = 0; // bob's
    qint64 m_paused = 0; // root's
    qint64 m_pending = 0; // root's
    qint64 m_completed = 0; // bob's
    qint64 m_killedOom = 0;
    qint64 m_approval = 0; // bob's, pending_approval
    qint64 m_otherRunning = 0; // root's
    qint64 m_vps = 0;

    PlatformStore &store() { return *m_platform.store; }
    TasksTableModel *model() const { return m_page->model(); }
    QTableView *table() const { return m_page->findChild<QTableView *>(QStringLiteral("tableView")); }
    QAction *action(const char *name) const
    {
        return m_page->findChild<QAction *>(QString::fromLatin1(name));
    }
    InlineBanner *banner(const char *name = "pageBanner") const
    {
        return m_page->findChild<InlineBanner *>(QString::fromLatin1(name));
    }

    qint64 insertTask(qint64 owner, const QString &status, const QString &name,
        const QString &type = QStringLiteral("command"))
    {
        const qint64 id = m_nextId;
        m_nextId += 2;
        auto stmt = store().database().prepare(QStringLiteral(
            "INSERT INTO tasks (task_id, task_type, command, arguments, env_vars, required_cores, "
            "required_gpus, "
            "name, owner_id, status, assigned_node, assignment_suspicion_count, docker_privileged, "
            "vps_backend, "
            "stdout_path, stderr_path, exit_code, submitted_at, started_at) VALUES (?1, ?2, 'python', "
            "'[\"train.py\"]', '{\"SEED\": \"1\"}', 4, '[0, 1]', ?3, ?4, ?5, 'gpu-a100-01', 0, 0, 'docker', "
            "'/l/o', '/l/e', ?6, ?7, ?7)"));
        if (!stmt)
            return -1;
        stmt->bind(1, id)
            .bind(2, type)
            .bind(3, name)
            .bind(4, owner)
            .bind(5, status)
            .bindVariant(6, status == QLatin1String("completed") ? QVariant(0) : QVariant())
            .bind(7, hosttime::toDbText(hosttime::Instant::now().addSecs(-(id % 1000))));
        if (!stmt->run())
            return -1;
        return id;
    }

    void openPage(const Actor &actor, bool hostActions = true)
    {
        m_page = std::make_unique<TasksPage>(store(), actor, *m_settings);
        m_page->resize(1400, 700);
        if (hostActions)
            m_page->setHostActionsAvailable(true);
        m_page->show();
        m_page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
        if (model())
            QTRY_VERIFY(!model()->isLoading() && model()->rowCount() > 0 && model()->isOrderingComplete());
    }

    bool select(qint64 id)
    {
        m_page->selectTask(id);
        if (!QTest::qWaitFor([&]() { return m_page->selectedTaskId() == id; }, 5000))
            return false;
        if (!QTest::qWaitFor([&]() { return model()->isRowLoaded(model()->rowOf(id)); }, 5000))
            return false;
        QCoreApplication::processEvents();
        return m_page->selectedTaskId() == id;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSettings::setPath(
            QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("qsettings")));
        QSettings::setPath(
            QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("qsettings")));
    }

    void init()
    {
        m_settings = uitest::makeSettings(m_dir);
        m_platform = uitest::makePlatform(m_dir.filePath(QStringLiteral("tasks-%1.db").arg(++m_counter)));
        QVERIFY(m_platform.store);
        m_bob = uitest::addUser(store(), m_platform.root, QStringLiteral("bob"), QStringLiteral("user"));
        QVERIFY(m_bob > 0);
        m_bobActor = Actor {m_bob, QStringLiteral("bob"), Role::User, QStringLiteral("test@host")};
        const qint64 root = m_platform.root.userId;
        m_running = insertTask(m_bob, QStringLiteral("running"), QStringLiteral("render-frames"));
        m_paused = insertTask(root, QStringLiteral("paused"), QStringLiteral("sleepy"));
        m_pending = insertTask(root, QStringLiteral("pending"), QStringLiteral("queued-job"));
        m_completed = insertTask(m_bob, QStringLiteral("completed"), QStringLiteral("done-job"));
        m_killedOom = insertTask(root, QStringLiteral("killed_oom"), QStringLiteral("hungry"));
        m_approval = insertTask(m_bob, QStringLiteral("pending_approval"), QStringLiteral("wants-gpus"));
        m_otherRunning = insertTask(root, QStringLiteral("running"), QStringLiteral("root-train"));
        m_vps = insertTask(root, QStringLiteral("running"), QStringLiteral("dev-box"), QStringLiteral("vps"));
        QVERIFY(m_vps > 0);
        MessageBox::takeAskedCount();
    }

    void cleanup()
    {
        uitest::dropUnusedAnswer();
        m_page.reset();
        m_platform = {};
        m_settings.reset();
    }

    void listsCommandTasksWithTheirFields()
    {
        openPage(m_platform.root);
        QCOMPARE(model()->rowCount(), 7); // the VPS is not a command task
        QVERIFY(model()->rowOf(m_vps) < 0);
        QVERIFY(table()->horizontalHeader()->isSectionHidden(TasksTableModel::Type));
        QVERIFY(select(m_running));
        const int row = model()->rowOf(m_running);
        QCOMPARE(model()->index(row, TasksTableModel::Id).data().toString(), QString::number(m_running));
        QCOMPARE(model()->index(row, TasksTableModel::Owner).data().toString(), QStringLiteral("bob"));
        QCOMPARE(model()->index(row, TasksTableModel::Status).data().toString(), QStringLiteral("Running"));
        auto *pane = m_page->detailPane();
        QTRY_COMPARE(pane->value(QStringLiteral("Id")), QString::number(m_running));
        QCOMPARE(pane->value(QStringLiteral("Name")), QStringLiteral("render-frames"));
        QCOMPARE(pane->value(QStringLiteral("Owner")), QStringLiteral("bob"));
        QCOMPARE(pane->value(QStringLiteral("Status")), QStringLiteral("Running"));
        QCOMPARE(pane->value(QStringLiteral("Gpus")), QStringLiteral("0, 1"));
        QVERIFY(pane->value(QStringLiteral("Environment")).contains(QStringLiteral("SEED=1")));
        QVERIFY(pane->value(QStringLiteral("Command")).startsWith(QStringLiteral("python train.py")));
    }

    void filtersByStatus()
    {
        openPage(m_platform.root);
        QComboBox *combo = m_page->statusFilterCombo();
        QVERIFY(combo);
        QCOMPARE(combo->objectName(), QStringLiteral("statusFilterCombo"));
        QCOMPARE(combo->count(), int(TasksPage::statusFilterKeys().size()));

        combo->setCurrentIndex(combo->findData(QStringLiteral("running")));
        QCOMPARE(model()->statusFilter(), QStringList {QStringLiteral("running")});
        QTRY_VERIFY(!model()->isLoading() && model()->rowCount() == 2);
        QVERIFY(model()->rowOf(m_running) >= 0 || !model()->isOrderingComplete());

        m_page->setStatusFilterKey(QStringLiteral("killed"));
        QCOMPARE(
            model()->statusFilter(), (QStringList {QStringLiteral("killed"), QStringLiteral("killed_oom")}));
        QTRY_VERIFY(!model()->isLoading() && model()->rowCount() == 1);

        m_page->setStatusFilterKey(QStringLiteral("pending_approval"));
        QTRY_VERIFY(!model()->isLoading() && model()->rowCount() == 1);
        QTRY_COMPARE(model()->idAt(0), m_approval);

        m_page->setStatusFilterKey(QStringLiteral("pending"));
        QCOMPARE(
            model()->statusFilter(), (QStringList {QStringLiteral("pending"), QStringLiteral("assigning")}));
        QTRY_VERIFY(!model()->isLoading() && model()->rowCount() == 1);

        // Remembered for the next page.
        m_page.reset();
        openPage(m_platform.root);
        QCOMPARE(m_page->statusFilterKey(), QStringLiteral("pending"));
        QCOMPARE(model()->rowCount(), 1);
        m_page->setStatusFilterKey(QStringLiteral("all"));
        QTRY_VERIFY(!model()->isLoading() && model()->rowCount() == 7);
    }

    void searches()
    {
        openPage(m_platform.root);
        QLineEdit *filter = m_page->filterField();
        filter->setFocus();
        QTest::keyClicks(filter, QStringLiteral("sleepy"));
        QTRY_VERIFY(!model()->isLoading() && model()->rowCount() == 1);
        QTRY_COMPARE(model()->idAt(0), m_paused);
        filter->clear();
        QTest::keyClicks(filter, QStringLiteral("bob")); // the owner
        QTRY_VERIFY(!model()->isLoading() && model()->rowCount() == 3);
    }

    void enablesActionsByStatus()
    {
        openPage(m_platform.root);
        QAction *kill = action("killTaskAction");
        QAction *pause = action("pauseTaskAction");
        QAction *resume = action("resumeTaskAction");
        QVERIFY(kill && pause && resume);

        QVERIFY(select(m_running));
        QVERIFY(kill->isEnabled() && pause->isEnabled() && !resume->isEnabled());
        QVERIFY(resume->toolTip().contains(QStringLiteral("paused")));
        QVERIFY(select(m_paused));
        QVERIFY(kill->isEnabled() && !pause->isEnabled() && resume->isEnabled());
        QVERIFY(select(m_pending));
        QVERIFY(kill->isEnabled() && !pause->isEnabled() && !resume->isEnabled());
        QVERIFY(select(m_completed));
        QVERIFY(!kill->isEnabled() && !pause->isEnabled() && !resume->isEnabled());
        QVERIFY(select(m_approval));
        QVERIFY(!kill->isEnabled());

        // Without a host, nothing can be sent, and the page says why.
        m_page->setHostActionsAvailable(false, QStringLiteral("Offline: the host cannot be reached."));
        QVERIFY(select(m_running));
        QVERIFY(!kill->isEnabled() && !pause->isEnabled());
        QCOMPARE(kill->toolTip(), QStringLiteral("Offline: the host cannot be reached."));
        QVERIFY(banner("hostActionsBanner")->isVisible());
        m_page->setHostActionsAvailable(true);
        QVERIFY(kill->isEnabled());
        QVERIFY(!banner("hostActionsBanner")->isVisible());

        QVERIFY(TasksPage::stateAllows(TasksPage::TaskAction::Kill, QStringLiteral("assigning")));
        QVERIFY(!TasksPage::stateAllows(TasksPage::TaskAction::Kill, QStringLiteral("killed")));
        QVERIFY(!TasksPage::stateAllows(TasksPage::TaskAction::Pause, QStringLiteral("paused")));
    }

    void enablesActionsByRole()
    {
        // A user acts on their own tasks only.
        openPage(m_bobActor);
        QAction *kill = action("killTaskAction");
        QAction *pause = action("pauseTaskAction");
        QVERIFY(select(m_running));
        QVERIFY(kill->isEnabled() && pause->isEnabled());
        QVERIFY(select(m_otherRunning));
        QVERIFY(!kill->isEnabled() && !pause->isEnabled());
        QVERIFY(kill->toolTip().contains(QStringLiteral("root")));

        // An operator on everyone's.
        const qint64 opId
            = uitest::addUser(store(), m_platform.root, QStringLiteral("olga"), QStringLiteral("operator"));
        openPage(Actor {opId, QStringLiteral("olga"), Role::Operator, QStringLiteral("test@host")});
        QVERIFY(select(m_otherRunning));
        QVERIFY(action("killTaskAction")->isEnabled());
        QVERIFY(select(m_running));
        QVERIFY(action("pauseTaskAction")->isEnabled());

        // A viewer sees the tasks but may not act.
        const qint64 viewerId
            = uitest::addUser(store(), m_platform.root, QStringLiteral("vera"), QStringLiteral("viewer"));
        openPage(Actor {viewerId, QStringLiteral("vera"), Role::Viewer, QStringLiteral("test@host")});
        QCOMPARE(model()->rowCount(), 7);
        QVERIFY(select(m_running));
        QVERIFY(!action("killTaskAction")->isEnabled());
        QVERIFY(!action("pauseTaskAction")->isEnabled());
        QVERIFY(action("killTaskAction")->toolTip().contains(QStringLiteral("Operator")));

        // Anonymous: no table at all.
        openPage(Actor {-1, QStringLiteral("_anonymous"), Role::Anony, {}}, false);
        QVERIFY(!model());
    }

    void killAsksFirstAndEmitsTheExactId()
    {
        openPage(m_platform.root);
        QVERIFY(m_running > (qint64(1) << 53));
        QVERIFY(qint64(double(m_running)) != m_running); // not representable as a double
        QSignalSpy kills(m_page.get(), &TasksPage::killRequested);
        QVERIFY(select(m_running));

        MessageBox::setNextAnswer(MessageBox::Button::Cancel);
        action("killTaskAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(kills.size(), 0);

        MessageBox::setNextAnswer(MessageBox::Button::Yes);
        action("killTaskAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(kills.size(), 1);
        QCOMPARE(kills.at(0).at(0).value<qint64>(), m_running);
        QCOMPARE(m_page->actionsInFlight(), QList<qint64> {m_running});
        // While the host has not answered, the task takes no second request.
        QVERIFY(!action("killTaskAction")->isEnabled());
        QVERIFY(!action("pauseTaskAction")->isEnabled());

        m_page->actionFinished(m_running, false, QStringLiteral("Task cannot be killed (state: completed)"));
        InlineBanner *b = banner();
        QVERIFY(b->isVisible());
        QCOMPARE(b->kind(), InlineBanner::Kind::Error);
        QVERIFY2(b->text().contains(QStringLiteral("Task cannot be killed (state: completed)")),
            qPrintable(b->text()));
        QVERIFY(b->text().contains(QString::number(m_running)));
        QVERIFY(m_page->actionsInFlight().isEmpty());
        QTRY_VERIFY(action("killTaskAction")->isEnabled());
    }

    void pauseAndResumeNeedNoConfirmation()
    {
        openPage(m_platform.root);
        QSignalSpy pauses(m_page.get(), &TasksPage::pauseRequested);
        QSignalSpy resumes(m_page.get(), &TasksPage::resumeRequested);
        QSignalSpy messages(m_page.get(), &Page::statusMessage);
        QVERIFY(select(m_running));
        action("pauseTaskAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 0);
        QCOMPARE(pauses.size(), 1);
        QCOMPARE(pauses.at(0).at(0).value<qint64>(), m_running);
        m_page->actionFinished(m_running, true);
        QVERIFY(!banner()->isVisible());
        QVERIFY(messages.last().at(0).toString().contains(QStringLiteral("paused")));

        QVERIFY(select(m_paused));
        action("resumeTaskAction")->trigger();
        QCOMPARE(resumes.size(), 1);
        QCOMPARE(resumes.at(0).at(0).value<qint64>(), m_paused);
        // Not allowed here: nothing is emitted.
        QVERIFY(select(m_completed));
        action("pauseTaskAction")->trigger();
        QCOMPARE(pauses.size(), 1);
    }

    void showOutputOpensAViewer()
    {
        openPage(m_platform.root);
        QAction *output = action("showTaskOutputAction");
        QVERIFY(select(m_running));
        QVERIFY(!output->isEnabled()); // no log source yet

        auto mirror = HostMirror::open(m_dir.filePath(QStringLiteral("mirror-%1.db").arg(m_counter)));
        QVERIFY(mirror);
        QVERIFY(
            mirror.value()->storeTaskLog(m_running, TaskLogStream::Stdout, QStringLiteral("hello\n"), 100));
        MirrorTaskLogSource source(mirror.value().get());
        m_page->setLogSource(&source);
        QVERIFY(output->isEnabled());

        // Enter on the table runs it.
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_Return);
        TaskOutputViewer *viewer = m_page->outputViewer(m_running);
        QVERIFY(viewer);
        QCOMPARE(viewer->taskId(), m_running);
        QTRY_COMPARE(viewer->outputView()->toPlainText(), QStringLiteral("hello\n"));
        QVERIFY(viewer->statusText().startsWith(QStringLiteral("Offline")));
        // Once per task: asked again, the same window.
        QCOMPARE(m_page->showOutput(m_running), viewer);
        viewer->close(); // deletes itself
        QTRY_VERIFY(!m_page->outputViewer(m_running));
        m_page->setLogSource(nullptr);
    }

    void remembersColumns()
    {
        openPage(m_platform.root);
        QHeaderView *header = table()->horizontalHeader();
        QVERIFY(!header->isSectionHidden(TasksTableModel::Memory));
        header->hideSection(TasksTableModel::Memory);
        header->resizeSection(TasksTableModel::Name, 333);
        m_page.reset();
        openPage(m_platform.root);
        header = table()->horizontalHeader();
        QVERIFY(header->isSectionHidden(TasksTableModel::Memory));
        QCOMPARE(header->sectionSize(TasksTableModel::Name), 333);
    }
};

RK_TEST_WIDGETS_MAIN(TestTasksPage)
#include "TestTasksPage.moc"
