#include "../ui/UiTestSupport.h"

#include "approvals/RejectDialog.h"
#include "approvals/RejectTemplates.h"
#include "approvals/SubmitterHistoryDialog.h"
#include "approvals/TaskReviewPane.h"
#include "pages/ApprovalsPage.h"
#include "store/SampleData.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include "tasks/ApprovalQueueModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>

using namespace rk;

namespace {

QSet<qint64> asSet(const QList<qint64> &ids)
{
    return QSet<qint64>(ids.cbegin(), ids.cend());
}

} // namespace

class TestApprovalsPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    uitest::Platform m_platform;
    QString m_path;
    std::unique_ptr<ApprovalsPage> m_page;
    int m_counter = 0;
    qint64 m_bob = 0;
    qint64 m_privileged = 0; // privileged, host mounts, fits on cpu-epyc-03
    qint64 m_huge = 0; // 8 GPUs and 256 GiB on gpu-a100-01 (4 GPUs): cannot fit
    qint64 m_nextId = 9000000000000000000LL;

    PlatformStore &store() { return *m_platform.store; }
    ApprovalQueueModel *model() const { return m_page->model(); }
    QTableView *table() const { return m_page->findChild<QTableView *>(QStringLiteral("tableView")); }
    TaskReviewPane *pane() const
    {
        return m_page->findChild<TaskReviewPane *>(QStringLiteral("taskReviewPane"));
    }
    template<class T = QWidget> T *paneChild(const char *name) const
    {
        return pane()->findChild<T *>(QString::fromLatin1(name));
    }
    QAction *action(const char *name) const
    {
        return m_page->findChild<QAction *>(QString::fromLatin1(name));
    }
    InlineBanner *banner(const char *name = "pageBanner") const
    {
        return m_page->findChild<InlineBanner *>(QString::fromLatin1(name));
    }

    qint64 insertTask(qint64 owner, const QString &status, const QString &node, int cores,
        const QString &gpus, const QVariant &memory, bool privileged, const QString &mounts, qint64 agoSecs,
        const QString &approval = QStringLiteral("pending"), const QString &reason = {})
    {
        const qint64 id = m_nextId++;
        const hosttime::Instant submitted = hosttime::Instant::now().addSecs(-agoSecs);
        auto stmt = store().database().prepare(QStringLiteral(
            "INSERT INTO tasks (task_id, task_type, batch_id, command, arguments, env_vars, required_cores, "
            "required_gpus, required_memory_bytes, name, owner_id, approval_status, approved_by_id, "
            "approved_at, "
            "rejection_reason, status, assigned_node, assignment_suspicion_count, container_name, "
            "docker_image_name, docker_privileged, docker_mount_dirs, vps_backend, stdout_path, stderr_path, "
            "submitted_at) VALUES (?1, 'command', ?1, 'python', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
            "?12, "
            "?13, ?14, 0, 'kohakuriver-base', 'kohakuriver/kohakuriver-base:base', ?15, ?16, 'docker', "
            "'/l/o', "
            "'/l/e', ?17)"));
        if (!stmt)
            return -1;
        const bool decided = approval != QLatin1String("pending");
        stmt->bind(1, id)
            .bind(2, QStringLiteral("[\"train.py\", \"--name\", \"my run\"]"))
            .bind(3, QStringLiteral("{\"WANDB_MODE\": \"offline\", \"HF_HOME\": \"/shared/hf cache\"}"))
            .bind(4, cores)
            .bind(5, gpus)
            .bindVariant(6, memory)
            .bind(7, QStringLiteral("review-%1").arg(id % 1000))
            .bind(8, owner)
            .bind(9, approval)
            .bindVariant(10, decided ? QVariant(m_platform.root.userId) : QVariant())
            .bindVariant(11, decided ? QVariant(hosttime::toDbText(submitted.addSecs(60))) : QVariant())
            .bindVariant(12, reason.isEmpty() ? QVariant() : QVariant(reason))
            .bind(13, status)
            .bind(14, node)
            .bind(15, privileged)
            .bind(16, mounts)
            .bind(17, hosttime::toDbText(submitted));
        if (!stmt->run())
            return -1;
        return id;
    }

    void setStatus(qint64 id, const QString &status, const QString &approval)
    {
        auto stmt = store().database().prepare(
            QStringLiteral("UPDATE tasks SET status = ?1, approval_status = ?2 WHERE task_id = ?3"));
        QVERIFY(stmt.ok());
        stmt->bind(1, status).bind(2, approval).bind(3, id);
        QVERIFY(stmt->run().ok());
    }

    QList<qint64> pendingIds()
    {
        QList<qint64> ids;
        auto stmt = store().database().prepare(
            QStringLiteral("SELECT task_id FROM tasks WHERE status = 'pending_approval' ORDER BY task_id"));
        while (stmt->step().value())
            ids << stmt->int64(0);
        return ids;
    }

    void openPage(const Actor &actor, bool decisions = true)
    {
        ApprovalsPage::Options options;
        options.refreshIntervalMs = 0; // refreshes in these tests are explicit
        m_page = std::make_unique<ApprovalsPage>(store(), actor, *m_settings, options);
        m_page->resize(1400, 700);
        if (decisions)
            m_page->setDecisionsAvailable(true);
        m_page->show();
        m_page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
        if (model())
            QTRY_VERIFY(!model()->isLoading() && model()->rowCount() > 0 && model()->isOrderingComplete());
    }

    bool select(const QList<qint64> &ids)
    {
        table()->clearSelection();
        for (const qint64 id : ids) {
            const int row = model()->rowOf(id);
            if (row < 0)
                return false;
            table()->selectionModel()->select(
                model()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
        if (!ids.isEmpty())
            table()->selectionModel()->setCurrentIndex(
                model()->index(model()->rowOf(ids.front()), 0), QItemSelectionModel::NoUpdate);
        return asSet(m_page->selectedTaskIds()) == asSet(ids);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The reject templates live in the app's QSettings: keep them in the temporary directory.
        QSettings::setPath(
            QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("qsettings")));
        QSettings::setPath(
            QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("qsettings")));
    }

    void init()
    {
        m_settings = uitest::makeSettings(m_dir);
        RejectTemplates::openSettings()->clear();
        m_path = m_dir.filePath(QStringLiteral("approvals-%1.db").arg(++m_counter));
        m_platform = uitest::makePlatform(m_path);
        QVERIFY(m_platform.store);
        SampleDataOptions sample;
        sample.bcryptCost = 4;
        QVERIFY(SampleData::populate(store(), m_platform.root, sample).ok());
        m_bob = uitest::addUser(store(), m_platform.root, QStringLiteral("bob"), QStringLiteral("user"));
        QVERIFY(m_bob > 0);
        m_privileged = insertTask(m_bob, QStringLiteral("pending_approval"), QStringLiteral("cpu-epyc-03"), 4,
            QStringLiteral("[]"), QVariant(8 * RiskThresholds::kGiB), true,
            QStringLiteral("[\"/data:/data\", \"/var/run/docker.sock:/var/run/docker.sock\"]"), 300);
        m_huge = insertTask(m_bob, QStringLiteral("pending_approval"), QStringLiteral("gpu-a100-01"), 16,
            QStringLiteral("[0, 1, 2, 3, 4, 5, 6, 7]"), QVariant(256 * RiskThresholds::kGiB), false,
            QStringLiteral("[]"), 600);
        QVERIFY(m_privileged > 0 && m_huge > 0);
        // Bob's history: two approved, one rejected.
        QVERIFY(insertTask(m_bob, QStringLiteral("completed"), QStringLiteral("cpu-epyc-03"), 1,
                    QStringLiteral("[]"), QVariant(), false, QStringLiteral("[]"), 86400,
                    QStringLiteral("approved"))
            > 0);
        QVERIFY(insertTask(m_bob, QStringLiteral("failed"), QStringLiteral("cpu-epyc-03"), 1,
                    QStringLiteral("[]"), QVariant(), false, QStringLiteral("[]"), 2 * 86400,
                    QStringLiteral("approved"))
            > 0);
        QVERIFY(insertTask(m_bob, QStringLiteral("rejected"), QStringLiteral("gpu-a100-01"), 1,
                    QStringLiteral("[]"), QVariant(), false, QStringLiteral("[]"), 3 * 86400,
                    QStringLiteral("rejected"), QStringLiteral("No docker.sock mounts, please."))
            > 0);
        MessageBox::takeAskedCount();
    }

    void cleanup()
    {
        uitest::dropUnusedAnswer();
        m_page.reset();
        m_platform = {};
    }

    void listsEveryPendingTask()
    {
        openPage(m_platform.root);
        QCOMPARE(m_page->objectName(), QStringLiteral("approvalsPage"));
        QCOMPARE(m_page->title(), QStringLiteral("Approvals"));
        const QList<qint64> pending = pendingIds();
        QCOMPARE(pending.size(), qsizetype(SampleDataCounts::kPendingApprovalTasks + 2));
        QCOMPARE(model()->rowCount(), int(pending.size()));
        for (qint64 id : pending)
            QVERIFY2(model()->rowOf(id) >= 0, qPrintable(QString::number(id)));
        // Nothing selected: the pane says so.
        QVERIFY(m_page->selectedTaskIds().isEmpty());
        QCOMPARE(pane()->taskId(), qint64(-1));
    }

    void paneShowsEverythingAboutATask()
    {
        openPage(m_platform.root);
        QVERIFY(select({m_privileged}));
        QTRY_COMPARE(pane()->taskId(), m_privileged);
        auto *command = paneChild<QPlainTextEdit>("commandEdit");
        QVERIFY(command->isVisible());
        QCOMPARE(command->toPlainText(), QStringLiteral("python train.py --name 'my run'"));
        QVERIFY(command->isReadOnly());
        QVERIFY(QFontInfo(command->font()).fixedPitch());
        QCOMPARE(paneChild<QLabel>("submitterValue")->text(), QStringLiteral("bob"));
        QVERIFY(paneChild<QLabel>("submittedValue")->text().contains(QStringLiteral("5 min ago")));
        QCOMPARE(paneChild<QLabel>("coresValue")->text(), QStringLiteral("4"));
        QCOMPARE(paneChild<QLabel>("memoryValue")->text(), QStringLiteral("8 GiB"));
        QCOMPARE(paneChild<QLabel>("targetValue")->text(), QStringLiteral("cpu-epyc-03"));
        QVERIFY(paneChild<QLabel>("privilegedValue")->text().startsWith(QStringLiteral("Yes")));
        QVERIFY(paneChild<QLabel>("mountsValue")->text().contains(QStringLiteral("/var/run/docker.sock")));
        auto *env = paneChild<QTableWidget>("envTable");
        QCOMPARE(env->rowCount(), 2);
        QCOMPARE(env->item(0, 0)->text(), QStringLiteral("HF_HOME"));
        QCOMPARE(env->item(0, 1)->text(), QStringLiteral("/shared/hf cache"));

        // Risk flags stand out.
        auto *risk = paneChild<InlineBanner>("riskBanner");
        QVERIFY(risk->isVisible());
        QCOMPARE(risk->kind(), InlineBanner::Kind::Error);
        QVERIFY2(risk->text().contains(QStringLiteral("Privileged container")), qPrintable(risk->text()));
        QVERIFY(risk->text().contains(QStringLiteral("/data:/data")));
        // The table's Risk column names them too.
        QCOMPARE(model()->index(model()->rowOf(m_privileged), ApprovalQueueModel::Risk).data().toString(),
            QStringLiteral("Privileged, Host mounts"));

        // 4 cores on the 128-core CPU node: fits now.
        auto *fit = paneChild<InlineBanner>("fitBanner");
        QVERIFY2(fit->text().startsWith(QStringLiteral("Fits now")), qPrintable(fit->text()));

        // Copy puts the whole command line on the clipboard.
        QTest::mouseClick(paneChild<QPushButton>("copyCommandButton"), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("python train.py --name 'my run'"));

        // Eight GPUs on a four-GPU node, 256 GiB: cannot run there, and flagged.
        QVERIFY(select({m_huge}));
        QTRY_COMPARE(pane()->taskId(), m_huge);
        QCOMPARE(risk->kind(), InlineBanner::Kind::Warning);
        QVERIFY2(risk->text().contains(QStringLiteral("8 GPUs")), qPrintable(risk->text()));
        QVERIFY(risk->text().contains(QStringLiteral("256 GiB")));
        QCOMPARE(fit->kind(), InlineBanner::Kind::Error);
        QVERIFY2(fit->text().startsWith(QStringLiteral("Cannot fit")), qPrintable(fit->text()));
        QVERIFY(fit->text().contains(QStringLiteral("GPU")));

        // GPU 0 of gpu-rtx-02 is held by the running sample VPS: the task would queue.
        const qint64 busy
            = insertTask(m_bob, QStringLiteral("pending_approval"), QStringLiteral("gpu-rtx-02"), 2,
                QStringLiteral("[0]"), QVariant(), false, QStringLiteral("[]"), 60);
        m_page->refresh();
        QTRY_VERIFY(model()->rowOf(busy) >= 0);
        QVERIFY(select({busy}));
        QTRY_COMPARE(pane()->taskId(), busy);
        QCOMPARE(fit->kind(), InlineBanner::Kind::Warning);
        QVERIFY2(fit->text().startsWith(
                     QStringLiteral("Will queue: Will queue on gpu-rtx-02. GPU 0 on gpu-rtx-02 is in use.")),
            qPrintable(fit->text()));
        QVERIFY(risk->isHidden());

        // A VPS shows its SSH public key in the copyable field.
        qint64 vps = -1;
        for (int row = 0; row < model()->rowCount(); ++row) {
            if (model()->index(row, 0).data(ApprovalQueueModel::TypeRole).toString() == QLatin1String("vps"))
                vps = model()->idAt(row);
        }
        QVERIFY(vps > 0);
        QVERIFY(select({vps}));
        QTRY_COMPARE(pane()->taskId(), vps);
        QCOMPARE(paneChild<QLabel>("commandLabel")->text(), QStringLiteral("SSH public key:"));
        QVERIFY(command->toPlainText().startsWith(QStringLiteral("ssh-ed25519 ")));

        // Several selected: a summary instead.
        QVERIFY(select({m_huge, m_privileged}));
        QTRY_COMPARE(pane()->taskId(), qint64(-1));
        QVERIFY2(paneChild<QLabel>("emptyLabel")
                     ->text()
                     .startsWith(QStringLiteral("2 tasks selected: cores 20, GPUs 8")),
            qPrintable(paneChild<QLabel>("emptyLabel")->text()));
    }

    void approveWithKeyAfterConfirmation()
    {
        openPage(m_platform.root);
        QSignalSpy approved(m_page.get(), &ApprovalsPage::approveRequested);
        QVERIFY(select({m_privileged}));
        table()->setFocus();
        // Cancelled: nothing requested.
        MessageBox::setNextAnswer(MessageBox::Button::Cancel);
        QTest::keyClick(table(), Qt::Key_A);
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(approved.count(), 0);
        // In the filter field, A is a letter.
        m_page->filterField()->setFocus();
        QTest::keyClick(m_page->filterField(), Qt::Key_A);
        QCOMPARE(m_page->filterField()->text(), QStringLiteral("a"));
        QCOMPARE(MessageBox::takeAskedCount(), 0);
        m_page->filterField()->clear();
        QTRY_COMPARE(model()->rowCount(), int(pendingIds().size()));
        QVERIFY(select({m_privileged}));
        table()->setFocus();

        // The real box names the task and its risks; Yes requests it.
        auto answer = uitest::answerNextBox(true);
        QTest::keyClick(table(), Qt::Key_A);
        QVERIFY(answer->seen);
        QVERIFY2(answer->text.startsWith(QStringLiteral("Approve task %1").arg(m_privileged)),
            qPrintable(answer->text));
        QVERIFY2(answer->informative.contains(QStringLiteral("Privileged, Host mounts")),
            qPrintable(answer->informative));
        QVERIFY(answer->informative.contains(QStringLiteral("bob")));
        QCOMPARE(approved.count(), 1);
        QCOMPARE(approved.at(0).at(0).value<QList<qint64>>(), QList<qint64> {m_privileged});
        QCOMPARE(m_page->decisionsInFlight(), QList<qint64> {m_privileged});
        // Waiting for the host: not offered again.
        QVERIFY(!action("approveTasksAction")->isEnabled());
        QVERIFY(
            action("approveTasksAction")->toolTip().contains(QStringLiteral("wait for the host's answer")));
        // The page wrote nothing.
        QCOMPARE(pendingIds().size(), qsizetype(SampleDataCounts::kPendingApprovalTasks + 2));
    }

    void approveSeveralAtOnce()
    {
        openPage(m_platform.root);
        QSignalSpy approved(m_page.get(), &ApprovalsPage::approveRequested);
        const QList<qint64> pending = pendingIds();
        const QList<qint64> three {m_privileged, m_huge, pending.front()};
        QVERIFY(select(three));
        QVERIFY(action("approveTasksAction")->toolTip().contains(QStringLiteral("3 selected")));
        auto answer = uitest::answerNextBox(true);
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_A);
        QVERIFY(answer->seen);
        QCOMPARE(answer->text, QStringLiteral("Approve these 3 tasks?"));
        QVERIFY(answer->informative.contains(QStringLiteral("Not running at once")));
        QCOMPARE(approved.count(), 1);
        QCOMPARE(asSet(approved.at(0).at(0).value<QList<qint64>>()), asSet(three));
    }

    void rejectWithReasonFromTemplate()
    {
        openPage(m_platform.root);
        QSignalSpy rejected(m_page.get(), &ApprovalsPage::rejectRequested);
        QVERIFY(select({m_privileged, m_huge}));
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_R);
        QPointer<RejectDialog> dialog = m_page->findChild<RejectDialog *>(QStringLiteral("rejectDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QCOMPARE(dialog->taskCount(), 2);
        QVERIFY(dialog->findChild<QPlainTextEdit *>(QStringLiteral("taskList"))
                    ->toPlainText()
                    .contains(QString::number(m_huge)));
        QCOMPARE(dialog->findChild<QPushButton *>(QStringLiteral("submitButton"))->text(),
            QStringLiteral("&Reject 2 Tasks"));

        auto *templates = dialog->findChild<QListWidget *>(QStringLiteral("templateList"));
        auto *reason = dialog->findChild<QPlainTextEdit *>(QStringLiteral("reasonEdit"));
        QCOMPARE(templates->count(), int(RejectTemplates::defaults().size()));

        // A new template from a reason as written: kept in the settings.
        reason->setPlainText(QStringLiteral("Not during the maintenance window."));
        QTest::mouseClick(
            dialog->findChild<QPushButton *>(QStringLiteral("addTemplateButton")), Qt::LeftButton);
        QCOMPARE(templates->count(), int(RejectTemplates::defaults().size()) + 1);
        QVERIFY(RejectTemplates::load(*RejectTemplates::openSettings())
                    .contains(QStringLiteral("Not during the maintenance window.")));
        // Removing one is kept too.
        templates->setCurrentRow(0);
        QTest::mouseClick(
            dialog->findChild<QPushButton *>(QStringLiteral("removeTemplateButton")), Qt::LeftButton);
        QCOMPARE(RejectTemplates::load(*RejectTemplates::openSettings()).size(),
            RejectTemplates::defaults().size());

        // Picking a template fills the reason.
        templates->setCurrentRow(0);
        const QString chosen = templates->item(0)->text();
        QCOMPARE(chosen, RejectTemplates::defaults().at(1));
        QTest::mouseClick(
            dialog->findChild<QPushButton *>(QStringLiteral("useTemplateButton")), Qt::LeftButton);
        QCOMPARE(reason->toPlainText(), chosen);

        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("submitButton")), Qt::LeftButton);
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(asSet(rejected.at(0).at(0).value<QList<qint64>>()), asSet({m_privileged, m_huge}));
        QCOMPARE(rejected.at(0).at(1).toString(), chosen);
        QTRY_VERIFY(!dialog);
        QCOMPARE(asSet(m_page->decisionsInFlight()), asSet({m_privileged, m_huge}));
    }

    void rejectCancelledRequestsNothing()
    {
        openPage(m_platform.root);
        QSignalSpy rejected(m_page.get(), &ApprovalsPage::rejectRequested);
        QVERIFY(select({m_huge}));
        action("rejectTasksAction")->trigger();
        QPointer<RejectDialog> dialog = m_page->findChild<RejectDialog *>(QStringLiteral("rejectDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->findChild<QPushButton *>(QStringLiteral("submitButton"))->text(),
            QStringLiteral("&Reject Task"));
        // Too long for the host's query string: refused in place.
        dialog->setReason(QString(RejectDialog::kMaxReasonLength + 1, QLatin1Char('x')));
        QVERIFY(!dialog->findChild<QPushButton *>(QStringLiteral("submitButton"))->isEnabled());
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("hintLabel"))
                    ->text()
                    .contains(QStringLiteral("at most")));
        dialog->setReason(QStringLiteral("ok"));
        QVERIFY(dialog->findChild<QPushButton *>(QStringLiteral("submitButton"))->isEnabled());
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("cancelButton")), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(rejected.count(), 0);
        QVERIFY(m_page->decisionsInFlight().isEmpty());
    }

    void decisionsUnavailableSayWhy()
    {
        openPage(m_platform.root, false);
        QVERIFY(select({m_privileged}));
        for (const char *name : {"approveTasksAction", "rejectTasksAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
            QVERIFY2(action(name)->toolTip().contains(QStringLiteral("only the host can do")),
                qPrintable(action(name)->toolTip()));
        }
        InlineBanner *line = banner("decisionsBanner");
        QVERIFY(line->isVisible());
        QVERIFY(line->text().contains(QStringLiteral("connect to the host")));
        QSignalSpy approved(m_page.get(), &ApprovalsPage::approveRequested);
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_A);
        QTest::keyClick(table(), Qt::Key_R);
        QCOMPARE(MessageBox::takeAskedCount(), 0);
        QCOMPARE(approved.count(), 0);
        QVERIFY(!m_page->findChild<RejectDialog *>());

        // Another reason; then available.
        m_page->setDecisionsAvailable(false, QStringLiteral("The host connection was lost."));
        QCOMPARE(action("approveTasksAction")->toolTip(), QStringLiteral("The host connection was lost."));
        QCOMPARE(line->text(), QStringLiteral("The host connection was lost."));
        m_page->setDecisionsAvailable(true);
        QVERIFY(action("approveTasksAction")->isEnabled());
        QVERIFY(line->isHidden());

        // A viewer may look but not decide, whatever the host connection.
        const qint64 viewer
            = uitest::addUser(store(), m_platform.root, QStringLiteral("vera"), QStringLiteral("viewer"));
        openPage(Actor {viewer, QStringLiteral("vera"), Role::Viewer, QStringLiteral("test@host")});
        QVERIFY(select({m_privileged}));
        QVERIFY(!action("approveTasksAction")->isEnabled());
        QVERIFY2(action("approveTasksAction")->toolTip().contains(QStringLiteral("Operator")),
            qPrintable(action("approveTasksAction")->toolTip()));
    }

    void taskDecidedElsewhereLeavesWithANote()
    {
        openPage(m_platform.root);
        const int rows = model()->rowCount();
        QVERIFY(select({m_privileged}));
        QTRY_COMPARE(pane()->taskId(), m_privileged);
        const int row = model()->rowOf(m_privileged);
        // Another operator approves it (the host writes the row).
        setStatus(m_privileged, QStringLiteral("assigning"), QStringLiteral("approved"));
        m_page->refresh();
        QTRY_COMPARE(model()->rowCount(), rows - 1);
        QTRY_VERIFY(model()->rowOf(m_privileged) < 0);
        InlineBanner *note = banner("queueNoteBanner");
        QTRY_VERIFY(note->isVisible());
        QVERIFY2(
            note->text().contains(QStringLiteral("1 task left the queue (approved or rejected elsewhere)")),
            qPrintable(note->text()));
        QCOMPARE(note->kind(), InlineBanner::Kind::Info);
        QVERIFY(banner()->isHidden()); // not an error
        // The selection moved on to the task now in that row.
        QTRY_COMPARE(m_page->selectedTaskIds().size(), qsizetype(1));
        const qint64 next = m_page->selectedTaskIds().front();
        QCOMPARE(next, model()->idAt(std::min(row, model()->rowCount() - 1)));
        QTRY_COMPARE(pane()->taskId(), next);
    }

    void ownDecisionLeavesWithoutANote()
    {
        openPage(m_platform.root);
        QSignalSpy status(m_page.get(), &ApprovalsPage::statusMessage);
        QVERIFY(select({m_huge}));
        MessageBox::setNextAnswer(MessageBox::Button::Yes);
        action("approveTasksAction")->trigger();
        QCOMPARE(m_page->decisionsInFlight(), QList<qint64> {m_huge});
        // The host approves it, then the answer arrives.
        setStatus(m_huge, QStringLiteral("assigning"), QStringLiteral("approved"));
        m_page->decisionFinished(m_huge, true, QStringLiteral("Task approved and dispatched"));
        QVERIFY(m_page->decisionsInFlight().isEmpty());
        QTRY_VERIFY(model()->rowOf(m_huge) < 0);
        QTRY_VERIFY(model()->isOrderingComplete());
        QVERIFY(banner("queueNoteBanner")->isHidden());
        QVERIFY(banner()->isHidden());
        bool said = false;
        for (const QList<QVariant> &args : std::as_const(status))
            said = said || args.at(0).toString() == QStringLiteral("1 task approved");
        QVERIFY(said);
    }

    void failedDecisionShowsInTheBanner()
    {
        openPage(m_platform.root);
        QVERIFY(select({m_privileged, m_huge}));
        MessageBox::setNextAnswer(MessageBox::Button::Yes);
        action("approveTasksAction")->trigger();
        QCOMPARE(asSet(m_page->decisionsInFlight()), asSet({m_privileged, m_huge}));

        m_page->decisionFinished(
            m_privileged, false, QStringLiteral("The host is unavailable (HTTP 502): Bad Gateway"));
        QVERIFY(banner()->isVisible());
        QCOMPARE(banner()->kind(), InlineBanner::Kind::Error);
        QVERIFY2(banner()->text().contains(QStringLiteral("Could not approve task %1").arg(m_privileged)),
            qPrintable(banner()->text()));
        QVERIFY(banner()->text().contains(QStringLiteral("HTTP 502")));

        // Not pending any more (409): a note, not an error.
        m_page->decisionFinished(m_huge, false,
            QStringLiteral("The host refused the change: Task is not pending approval (status: assigning)"));
        QVERIFY(!banner()->text().contains(QString::number(m_huge)));
        InlineBanner *note = banner("queueNoteBanner");
        QVERIFY(note->isVisible());
        QVERIFY2(note->text().contains(QStringLiteral("already left the queue")), qPrintable(note->text()));
        QVERIFY(note->text().contains(QString::number(m_huge)));
        QVERIFY(m_page->decisionsInFlight().isEmpty());
        // The failed one can be tried again: Retry sends it as it was, without asking again.
        QSignalSpy approved(m_page.get(), &ApprovalsPage::approveRequested);
        auto *retry = banner()->findChild<QPushButton *>(QStringLiteral("bannerAction"));
        QVERIFY(retry && retry->isVisible());
        QCOMPARE(retry->text(), QStringLiteral("Retry"));
        retry->click();
        QCOMPARE(MessageBox::takeAskedCount(), 1); // only the first approval asked
        QCOMPARE(approved.count(), 1);
        QCOMPARE(approved.at(0).at(0).value<QList<qint64>>(), QList<qint64> {m_privileged});
        m_page->decisionFinished(
            m_privileged, false, QStringLiteral("The host is unavailable (HTTP 503): down"));
        // Or by hand.
        QVERIFY(select({m_privileged}));
        QVERIFY(action("approveTasksAction")->isEnabled());

        QVERIFY(ApprovalsPage::isNoLongerPending(QStringLiteral("Not found on the host: Task not found.")));
        QVERIFY(!ApprovalsPage::isNoLongerPending(
            QStringLiteral("Permission denied by the host: Operator role required")));
    }

    void retryOfARejectionKeepsItsReason()
    {
        openPage(m_platform.root);
        QSignalSpy rejected(m_page.get(), &ApprovalsPage::rejectRequested);
        QVERIFY(select({m_huge}));
        action("rejectTasksAction")->trigger();
        QPointer<RejectDialog> dialog = m_page->findChild<RejectDialog *>(QStringLiteral("rejectDialog"));
        QVERIFY(dialog);
        dialog->setReason(QStringLiteral("  Eight GPUs is too many.  "));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("submitButton")), Qt::LeftButton);
        QCOMPARE(rejected.count(), 1);
        QCOMPARE(rejected.at(0).at(1).toString(), QStringLiteral("Eight GPUs is too many."));
        m_page->decisionFinished(
            m_huge, false, QStringLiteral("The host is unavailable (HTTP 502): Bad Gateway"));
        QVERIFY2(banner()->text().startsWith(QStringLiteral("Could not reject task %1").arg(m_huge)),
            qPrintable(banner()->text()));
        banner()->findChild<QPushButton *>(QStringLiteral("bannerAction"))->click();
        QCOMPARE(rejected.count(), 2);
        QCOMPARE(rejected.at(1).at(0).value<QList<qint64>>(), QList<qint64> {m_huge});
        QCOMPARE(rejected.at(1).at(1).toString(), QStringLiteral("Eight GPUs is too many."));
        // This time it worked.
        m_page->decisionFinished(m_huge, true);
        QVERIFY(m_page->decisionsInFlight().isEmpty());
    }

    void submitterHistoryOneClickAway()
    {
        openPage(m_platform.root);
        QVERIFY(select({m_privileged}));
        QTRY_COMPARE(pane()->taskId(), m_privileged);
        QTest::mouseClick(paneChild<QPushButton>("historyButton"), Qt::LeftButton);
        QPointer<SubmitterHistoryDialog> dialog
            = m_page->findChild<SubmitterHistoryDialog *>(QStringLiteral("submitterHistoryDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        const QString summary = dialog->findChild<QLabel *>(QStringLiteral("summaryLabel"))->text();
        QVERIFY2(summary.startsWith(QStringLiteral("bob: 2 approved and 1 rejected before; 2 waiting")),
            qPrintable(summary));
        auto *recent = dialog->findChild<QTableWidget *>(QStringLiteral("recentTable"));
        QCOMPARE(recent->rowCount(), 3);
        bool reasonShown = false;
        for (int row = 0; row < recent->rowCount(); ++row)
            reasonShown = reasonShown
                || recent->item(row, 4)->text() == QStringLiteral("No docker.sock mounts, please.");
        QVERIFY(reasonShown);
        dialog->findChild<QPushButton *>(QStringLiteral("closeButton"))->click();
        QTRY_VERIFY(!dialog);
    }

    // Pictures for a human to look at: RK_SCREENSHOT_DIR=/tmp/shots (best under xvfb-run with
    // QT_QPA_PLATFORM=xcb).
    void screenshots()
    {
        const QString dir = qEnvironmentVariable("RK_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("Set RK_SCREENSHOT_DIR to save pictures of the page");
        openPage(m_platform.root);
        QVERIFY(select({m_privileged}));
        QTRY_COMPARE(pane()->taskId(), m_privileged);
        QVERIFY(uitest::settled(m_page.get())->grab().save(dir + QStringLiteral("/approvals.png")));
        QVERIFY(select({m_huge}));
        QTRY_COMPARE(pane()->taskId(), m_huge);
        QVERIFY(
            uitest::settled(m_page.get())->grab().save(dir + QStringLiteral("/approvals-cannot-fit.png")));
        QTest::mouseClick(paneChild<QPushButton>("historyButton"), Qt::LeftButton);
        QPointer<SubmitterHistoryDialog> history = m_page->findChild<SubmitterHistoryDialog *>();
        QVERIFY(history);
        QTRY_VERIFY(history->isVisible());
        QVERIFY(uitest::settled(history)->grab().save(dir + QStringLiteral("/approvals-history.png")));
        history->reject();
        QVERIFY(select({m_privileged, m_huge}));
        action("rejectTasksAction")->trigger();
        QPointer<RejectDialog> reject = m_page->findChild<RejectDialog *>();
        QVERIFY(reject);
        QTRY_VERIFY(reject->isVisible());
        reject->useTemplate(1);
        QVERIFY(uitest::settled(reject)->grab().save(dir + QStringLiteral("/approvals-reject.png")));
        reject->reject();
        // The confirmation, shown for real.
        QTimer::singleShot(300, this, [dir]() {
            if (auto *box = QApplication::activeModalWidget()) {
                box->grab().save(dir + QStringLiteral("/approvals-confirm.png"));
                box->findChild<QPushButton *>(QStringLiteral("confirmRejectButton"))->click();
            }
        });
        action("approveTasksAction")->trigger();
        m_page->setDecisionsAvailable(false);
        QVERIFY(
            uitest::settled(m_page.get())->grab().save(dir + QStringLiteral("/approvals-unavailable.png")));
    }

    void columnsRememberedUnderApprovals()
    {
        openPage(m_platform.root);
        table()->horizontalHeader()->resizeSection(ApprovalQueueModel::Command, 333);
        m_page.reset();
        QVERIFY(!m_settings->tableHeaderState(QStringLiteral("approvals")).isEmpty());
        openPage(m_platform.root);
        QCOMPARE(table()->horizontalHeader()->sectionSize(ApprovalQueueModel::Command), 333);
    }
};

RK_TEST_WIDGETS_MAIN(TestApprovalsPage)
#include "TestApprovalsPage.moc"
