#include "ApprovalsPage.h"

#include "ActionGate.h"
#include "AppSettings.h"
#include "IconFactory.h"
#include "approvals/ApprovalQueueDelegate.h"
#include "approvals/ClusterSnapshot.h"
#include "approvals/RejectDialog.h"
#include "approvals/RejectTemplates.h"
#include "approvals/SubmitterHistory.h"
#include "approvals/SubmitterHistoryDialog.h"
#include "approvals/TaskReviewPane.h"
#include "store/PlatformStore.h"
#include "tasks/ApprovalQueueModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QAction>
#include <QBoxLayout>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>

#include <algorithm>
#include <utility>

namespace rk {

namespace {

const QString kSettingsKey = QStringLiteral("approvals");
// Tasks named one by one in a confirmation; beyond, "and N more".
constexpr int kMaxListed = 10;

QString tasksText(int n)
{
    return n == 1 ? ApprovalsPage::tr("1 task") : ApprovalsPage::tr("%L1 tasks").arg(n);
}

// "a, b and 3 more" over lines: the first kMaxListed, then a count.
QString listed(const QStringList &lines)
{
    if (lines.size() <= kMaxListed)
        return lines.join(QLatin1Char('\n'));
    return lines.mid(0, kMaxListed).join(QLatin1Char('\n')) + QLatin1Char('\n')
        + ApprovalsPage::tr("\u2026 and %L1 more").arg(lines.size() - kMaxListed);
}

} // namespace

ApprovalsPage::ApprovalsPage(
    PlatformStore &platform, const Actor &acting, AppSettings &appSettings, QWidget *parent)
    : ApprovalsPage(platform, acting, appSettings, Options {}, parent)
{
}

ApprovalsPage::ApprovalsPage(PlatformStore &platform, const Actor &acting, AppSettings &appSettings,
    const Options &options, QWidget *parent)
    : RecordsPage(platform, acting, appSettings, parent),
      m_options(options),
      m_templateSettings(RejectTemplates::openSettings())
{
    setObjectName(QStringLiteral("approvalsPage"));
    setHeading(title());
    createActions();
    m_whyNot = tr("Approving dispatches the task, which only the host can do: connect to the host (Host + "
                  "database profile).");

    m_decisionsBanner = new InlineBanner(this);
    m_decisionsBanner->setObjectName(QStringLiteral("decisionsBanner"));
    m_decisionsBanner->setClosable(false);
    m_queueNote = new InlineBanner(this);
    m_queueNote->setObjectName(QStringLiteral("queueNoteBanner"));
    if (auto *box = qobject_cast<QBoxLayout *>(layout())) {
        const int at = box->indexOf(banner());
        box->insertWidget(at + 1, m_decisionsBanner);
        box->insertWidget(at + 2, m_queueNote);
    }
    m_queueNote->clear();

    if (!roles::allows(acting.role, Permission::ViewTasks)) {
        showRoleRequirement(Permission::ViewTasks, tr("Reviewing the approval queue"));
        setDecisionsAvailable(false, m_whyNot);
        return;
    }

    LazySqlTableModel::Options modelOptions;
    modelOptions.clock = m_options.clock;
    modelOptions.deferred = true; // loads when the page is first shown
    m_model = new ApprovalQueueModel(platform.path(), modelOptions, this);
    m_model->setRiskThresholds(m_options.riskThresholds);
    m_pane = new TaskReviewPane(this);
    setUpTable();
    setUpLayout();

    connect(m_model, &ApprovalQueueModel::queueChanged, this, &ApprovalsPage::onQueueChanged);
    // Every read of the queue (a refresh, the host's writes, the periodic one) reads the nodes
    // again for the fit check, and moves "how long ago" on.
    connect(m_model, &LazySqlTableModel::windowLoaded, this, [this]() {
        reloadNodes();
        m_model->refreshAges();
        syncPane();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ApprovalsPage::syncPane);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ApprovalsPage::syncPane);
    connect(tableView()->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this]() {
        rememberSelection();
        syncPane();
    });
    connect(m_pane, &TaskReviewPane::historyRequested, this, &ApprovalsPage::showHistory);
    connect(m_pane, &TaskReviewPane::copied, this, &ApprovalsPage::statusMessage);

    setPeriodicRefresh(m_options.refreshIntervalMs);
    setDecisionsAvailable(false, m_whyNot);
}

ApprovalsPage::~ApprovalsPage()
{
    // As in SessionsPage: the header's resize lambdas must not outlive TablePage's save timer.
    tableView()->horizontalHeader()->disconnect(this);
}

QString ApprovalsPage::title() const
{
    return pageTitle();
}

QString ApprovalsPage::pageTitle()
{
    return tr("Approvals");
}

QIcon ApprovalsPage::icon() const
{
    return icons::approvalsIcon(palette().color(QPalette::WindowText));
}

QList<QAction *> ApprovalsPage::menuActions() const
{
    QList<QAction *> actions {
        m_approveAction, m_rejectAction, nullptr, m_historyAction, m_copyAction, m_selectAllAction, nullptr};
    if (QAction *columns = columnsMenuAction())
        actions << columns;
    actions << m_refreshAction;
    return actions;
}

void ApprovalsPage::createActions()
{
    // A and R only from the table: in the filter field (and the pane's fields) they are letters.
    m_approveAction
        = makeAction(tr("&Approve\u2026"), "approveTasksAction", QKeySequence(Qt::Key_A), Qt::WidgetShortcut);
    m_rejectAction
        = makeAction(tr("&Reject\u2026"), "rejectTasksAction", QKeySequence(Qt::Key_R), Qt::WidgetShortcut);
    m_historyAction = makeAction(tr("Submitter's &History\u2026"), "submitterHistoryAction",
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    m_copyAction = makeAction(
        tr("&Copy Command Lines"), "copyCommandLinesAction", QKeySequence::Copy, Qt::WidgetShortcut);
    m_selectAllAction
        = makeAction(tr("Select A&ll"), "selectAllTasksAction", QKeySequence::SelectAll, Qt::WidgetShortcut);
    m_refreshAction = makeAction(tr("Re&fresh"), "refreshApprovalsAction", QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the queue and the nodes again from the database"));

    connect(m_approveAction, &QAction::triggered, this, &ApprovalsPage::approveSelected);
    connect(m_rejectAction, &QAction::triggered, this, &ApprovalsPage::rejectSelected);
    connect(m_historyAction, &QAction::triggered, this, &ApprovalsPage::showHistoryOfSelected);
    connect(m_copyAction, &QAction::triggered, this, &ApprovalsPage::copyCommandLines);
    connect(m_selectAllAction, &QAction::triggered, this, &TablePage::selectAllRows);
    connect(m_refreshAction, &QAction::triggered, this, &ApprovalsPage::refresh);

    QToolBar *bar = toolBar();
    bar->addAction(m_approveAction);
    bar->addAction(m_rejectAction);
    bar->addSeparator();
    bar->addAction(m_historyAction);
    bar->addAction(m_refreshAction);
}

void ApprovalsPage::setUpTable()
{
    bindModel(m_model,
        {[this](int row) { return m_model->idAt(row); }, [this](qint64 id) { return m_model->rowOf(id); }},
        kSettingsKey, [this]() { applyDefaultColumns(); });
    QTableView *table = tableView();
    table->setItemDelegate(
        new ApprovalQueueDelegate([this](qint64 id) { return m_inFlight.contains(id); }, table));
    addTableAction(m_approveAction);
    addTableAction(m_rejectAction);
    addTableAction(m_copyAction);
    addTableAction(m_selectAllAction);
    // QAbstractItemView copies the current cell on Ctrl+C before the shortcut can fire.
    table->installEventFilter(this);
    setNouns(tr("No task is waiting for approval. Tasks submitted by users with the User role wait here "
                "until an operator approves or rejects them."),
        tr("No waiting task matches %1. The filter looks at names, commands, submitters and nodes."));
    filterField()->setPlaceholderText(
        tr("Name, command, submitter or node (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    setFootnote(tr("A approves and R rejects the selected tasks (with a confirmation). The host dispatches "
                   "approved tasks to their nodes."));
}

void ApprovalsPage::setUpLayout()
{
    // TablePage has no detail slot: its body (the table or the placeholder) moves into a splitter
    // with the review pane beside it.
    QWidget *body = tableView()->parentWidget();
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("approvalsSplitter"));
    splitter->setChildrenCollapsible(false);
    if (auto *box = qobject_cast<QBoxLayout *>(layout())) {
        const int at = box->indexOf(body);
        box->insertWidget(at, splitter, 1);
        splitter->addWidget(body);
        splitter->addWidget(m_pane);
        splitter->setStretchFactor(0, 3);
        splitter->setStretchFactor(1, 2);
    }
}

void ApprovalsPage::applyDefaultColumns()
{
    QTableView *table = tableView();
    QHeaderView *header = table->horizontalHeader();
    const QFontMetrics fm = table->fontMetrics();
    const int avg = fm.averageCharWidth();
    auto fit = [&](int column, int contentWidth, int pad) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column, qMax(contentWidth, fm.horizontalAdvance(title)) + pad);
    };
    fit(ApprovalQueueModel::Id, fm.horizontalAdvance(QStringLiteral("7391245671234567891")), 16);
    fit(ApprovalQueueModel::Submitted, fm.horizontalAdvance(QStringLiteral("2026-12-31 23:59")), 16);
    fit(ApprovalQueueModel::Waiting, fm.horizontalAdvance(QStringLiteral("23 h 59 min ago")), 16);
    fit(ApprovalQueueModel::Submitter, 10 * avg, 16);
    fit(ApprovalQueueModel::Type, fm.horizontalAdvance(QStringLiteral("Command")), 16);
    fit(ApprovalQueueModel::Name, 16 * avg, 16);
    fit(ApprovalQueueModel::Command, 30 * avg, 16);
    fit(ApprovalQueueModel::Cores, fm.horizontalAdvance(QStringLiteral("128")), 16);
    fit(ApprovalQueueModel::Memory, fm.horizontalAdvance(QStringLiteral("128 GiB")), 16);
    fit(ApprovalQueueModel::Gpus, fm.horizontalAdvance(QStringLiteral("0, 1, 2, 3")), 16);
    fit(ApprovalQueueModel::Target, fm.horizontalAdvance(QStringLiteral("gpu-a100-01 · NUMA 1")), 16);
    fit(ApprovalQueueModel::Image, 16 * avg, 16);
    fit(ApprovalQueueModel::Risk, fm.horizontalAdvance(QStringLiteral("Privileged, host mounts")), 16);
    header->setSortIndicator(ApprovalQueueModel::Submitted, Qt::DescendingOrder);
}

bool ApprovalsPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == tableView() && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        if (m_copyAction->isEnabled())
            m_copyAction->trigger();
        return true;
    }
    return RecordsPage::eventFilter(watched, event);
}

// --- decisions ----------------------------------------------------------------------------------

bool ApprovalsPage::isNoLongerPending(const QString &message)
{
    // The host's own details (English, untranslated), inside whatever sentence carries them.
    return message.contains(QLatin1String("not pending approval"), Qt::CaseInsensitive)
        || message.contains(QLatin1String("Task not found"), Qt::CaseInsensitive)
        || message.contains(QLatin1String("not pending any more"), Qt::CaseInsensitive);
}

void ApprovalsPage::setDecisionsAvailable(bool available, const QString &whyNot)
{
    m_decisionsAvailable = available;
    if (!whyNot.isEmpty())
        m_whyNot = whyNot;
    if (!m_model || !roles::allows(actor().role, Permission::ApproveTasks)) {
        // Tooltips say why a role may not decide; the line is about the host connection.
        m_decisionsBanner->clear();
    } else if (available) {
        m_decisionsBanner->clear();
    } else {
        m_decisionsBanner->showMessage(InlineBanner::Kind::Info, m_whyNot);
    }
    updateActions();
}

bool ApprovalsPage::withinDecisionLimit()
{
    const int count = selectedCount();
    if (count <= kMaxDecisions)
        return true;
    banner()->showMessage(InlineBanner::Kind::Info,
        tr("One decision takes at most %L1 tasks (the host is asked once per task); %L2 are selected. Narrow "
           "the selection with the filter, or decide in parts.")
            .arg(kMaxDecisions)
            .arg(count));
    return false;
}

QList<qint64> ApprovalsPage::decidableIds(const QList<qint64> &ids) const
{
    QList<qint64> out;
    if (!m_model)
        return out;
    for (qint64 id : ids) {
        if (!m_inFlight.contains(id) && m_model->rowOf(id) >= 0)
            out << id;
    }
    return out;
}

void ApprovalsPage::approveSelected()
{
    if (!m_model || !m_approveAction->isEnabled() || !withinDecisionLimit())
        return;
    QList<qint64> ids = decidableIds(idsForAction(kMaxDecisions));
    if (ids.isEmpty())
        return;
    banner()->clear();

    QStringList lines;
    QStringList risky;
    QStringList notNow;
    for (qint64 id : std::as_const(ids)) {
        lines << taskLine(id);
        if (const auto task = taskOf(id)) {
            const TaskRisks risks = task->risks(m_options.riskThresholds);
            if (risks)
                risky << tr("%1: %2").arg(taskLabel(id), TaskDetails::riskText(risks));
            if (const auto fit = fitOf(*task); fit && !fit->fitsNow())
                notNow << tr("%1: %2").arg(taskLabel(id), fit->message);
        }
    }
    MessageBox::Options options;
    options.title = tr("Approve Tasks");
    options.text = ids.size() == 1 ? tr("Approve task %1?").arg(taskLabel(ids.front()))
                                   : tr("Approve these %L1 tasks?").arg(ids.size());
    QStringList info;
    info << listed(lines);
    if (!risky.isEmpty())
        info << tr("With risk flags:") + QLatin1Char('\n') + listed(risky);
    if (!notNow.isEmpty())
        info << tr("Not running at once:") + QLatin1Char('\n') + listed(notNow);
    info << (ids.size() == 1 ? tr("The host dispatches it to its node at once.")
                             : tr("The host dispatches each to its node at once."));
    options.informativeText = info.join(QStringLiteral("\n\n"));
    options.accept = MessageBox::Button::Yes;
    options.reject = MessageBox::Button::Cancel;
    // With risks, the safe choice is the default button.
    options.destructive = !risky.isEmpty();
    if (MessageBox::ask(this, options) != MessageBox::Button::Yes)
        return;
    // The queue may have been read again while the box was open.
    ids = decidableIds(ids);
    if (ids.isEmpty()) {
        m_queueNote->showMessage(InlineBanner::Kind::Info,
            tr("Nothing approved: the tasks left the queue while you were deciding (approved or rejected "
               "elsewhere)."));
        return;
    }
    startDecisions(Decision::Approve, ids);
    Q_EMIT approveRequested(ids);
}

void ApprovalsPage::rejectSelected()
{
    if (!m_model || !m_rejectAction->isEnabled() || !withinDecisionLimit())
        return;
    const QList<qint64> ids = decidableIds(idsForAction(kMaxDecisions));
    if (ids.isEmpty())
        return;
    banner()->clear();
    QStringList lines;
    for (qint64 id : ids)
        lines << taskLine(id);
    auto *dialog = new RejectDialog(lines, RejectTemplates::load(*m_templateSettings), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &RejectDialog::templatesChanged, this,
        [this](const QStringList &templates) { RejectTemplates::save(*m_templateSettings, templates); });
    connect(dialog, &QDialog::accepted, this, [this, dialog, ids]() {
        const QList<qint64> still = decidableIds(ids);
        if (still.isEmpty()) {
            m_queueNote->showMessage(InlineBanner::Kind::Info,
                tr("Nothing rejected: the tasks left the queue while you were deciding (approved or "
                   "rejected elsewhere)."));
            return;
        }
        if (!m_decisionsAvailable) {
            banner()->showError(tr("Nothing rejected: %1").arg(m_whyNot));
            return;
        }
        const QString reason = dialog->reason();
        for (qint64 id : still)
            m_reasons.insert(id, reason);
        startDecisions(Decision::Reject, still);
        Q_EMIT rejectRequested(still, reason);
    });
    dialog->open();
}

void ApprovalsPage::startDecisions(Decision decision, const QList<qint64> &ids)
{
    if (m_inFlight.isEmpty()) {
        m_retry.clear();
        m_batchApproved = 0;
        m_batchRejected = 0;
        m_batchOther = 0;
        m_batchGone.clear();
        m_batchFailed.clear();
    }
    for (qint64 id : ids) {
        m_inFlight.insert(id, decision);
        m_labels.insert(id, taskLabel(id));
    }
    Q_EMIT statusMessage(decision == Decision::Approve
            ? tr("Approving %1\u2026").arg(tasksText(int(ids.size())))
            : tr("Rejecting %1\u2026").arg(tasksText(int(ids.size()))));
    tableView()->viewport()->update();
    updateActions();
}

void ApprovalsPage::decisionFinished(qint64 taskId, bool ok, const QString &message)
{
    const bool known = m_inFlight.contains(taskId);
    const Decision decision = m_inFlight.take(taskId);
    if (!known && m_inFlight.isEmpty()) {
        // An answer for a request this page did not make (or made before it was rebuilt).
        m_batchApproved = 0;
        m_batchRejected = 0;
        m_batchOther = 0;
        m_batchGone.clear();
        m_batchFailed.clear();
    }
    const QString label = m_labels.contains(taskId) ? m_labels.take(taskId) : taskLabel(taskId);
    if (ok) {
        m_decidedHere.insert(taskId);
        if (!known)
            ++m_batchOther;
        else if (decision == Decision::Reject)
            ++m_batchRejected;
        else
            ++m_batchApproved;
    } else if (isNoLongerPending(message)) {
        m_decidedHere.insert(taskId);
        m_batchGone << label;
    } else {
        const QString what = !known         ? tr("No decision on task %1").arg(label)
            : decision == Decision::Approve ? tr("Could not approve task %1").arg(label)
                                            : tr("Could not reject task %1").arg(label);
        m_batchFailed << QStringLiteral("%1: %2").arg(what, asSentence(message));
        if (known)
            m_retry.append({taskId, decision, m_reasons.value(taskId)});
    }
    m_reasons.remove(taskId);

    if (!m_batchFailed.isEmpty())
        banner()->showError(m_batchFailed.join(QLatin1Char('\n')));
    if (!m_batchGone.isEmpty()) {
        m_queueNote->showMessage(InlineBanner::Kind::Info,
            (m_batchGone.size() == 1
                    ? tr("1 task had already left the queue (approved or rejected elsewhere): %1.")
                          .arg(m_batchGone.front())
                    : tr("%L1 tasks had already left the queue (approved or rejected elsewhere): %2.")
                          .arg(m_batchGone.size())
                          .arg(m_batchGone.join(QStringLiteral(", ")))));
    }
    tableView()->viewport()->update();
    updateActions();
    finishBatchIfDone();
}

void ApprovalsPage::finishBatchIfDone()
{
    if (!m_inFlight.isEmpty())
        return;
    QStringList done;
    if (m_batchApproved > 0)
        done << tr("%1 approved").arg(tasksText(m_batchApproved));
    if (m_batchRejected > 0)
        done << tr("%1 rejected").arg(tasksText(m_batchRejected));
    if (m_batchOther > 0)
        done << tr("%1 decided").arg(tasksText(m_batchOther));
    if (!m_batchFailed.isEmpty())
        done << tr("%L1 failed").arg(m_batchFailed.size());
    if (!done.isEmpty())
        Q_EMIT statusMessage(done.join(QStringLiteral(", ")));
    if (!m_retry.isEmpty() && !m_batchFailed.isEmpty())
        banner()->setAction(tr("Retry"), [this]() { retryFailed(); });
    // The host changed the rows: read them now rather than at the next data_version poll.
    refresh();
}

void ApprovalsPage::retryFailed()
{
    const QList<FailedDecision> failed = std::exchange(m_retry, {});
    if (!m_decisionsAvailable) {
        banner()->showError(tr("Nothing sent again: %1").arg(m_whyNot));
        return;
    }
    // Asked for (and confirmed) once already: sent again as they were, minus the tasks that left.
    QList<qint64> approve;
    QList<QPair<QString, QList<qint64>>> rejects; // by reason, in order
    for (const FailedDecision &f : failed) {
        if (decidableIds({f.taskId}).isEmpty())
            continue;
        if (f.decision == Decision::Approve) {
            approve << f.taskId;
            continue;
        }
        auto it = std::find_if(
            rejects.begin(), rejects.end(), [&](const auto &r) { return r.first == f.reason; });
        if (it == rejects.end())
            rejects.append({f.reason, {f.taskId}});
        else
            it->second << f.taskId;
    }
    if (approve.isEmpty() && rejects.isEmpty()) {
        m_queueNote->showMessage(
            InlineBanner::Kind::Info, tr("Nothing to send again: the tasks left the queue meanwhile."));
        return;
    }
    if (!approve.isEmpty()) {
        startDecisions(Decision::Approve, approve);
        Q_EMIT approveRequested(approve);
    }
    for (const auto &[reason, ids] : std::as_const(rejects)) {
        for (qint64 id : ids)
            m_reasons.insert(id, reason);
        startDecisions(Decision::Reject, ids);
        Q_EMIT rejectRequested(ids, reason);
    }
}

// --- queue changes ------------------------------------------------------------------------------

void ApprovalsPage::rememberSelection()
{
    if (m_movingSelection || !m_model)
        return;
    const QList<int> rows = selectedRows();
    QList<qint64> ids;
    QHash<qint64, QString> labels;
    for (int row : rows) {
        const qint64 id = m_model->idAt(row);
        if (id < 0)
            continue;
        ids << id;
        labels.insert(id, taskLabel(id));
    }
    m_selection = ids;
    m_selectionLabels = labels;
    m_selectionRow = rows.isEmpty() ? -1 : rows.front();
}

void ApprovalsPage::onQueueChanged(const QList<qint64> &arrived, const QList<qint64> &left)
{
    if (!m_seenFirstQueue) {
        m_seenFirstQueue = true; // the first read: everything "arrived"
        return;
    }
    int elsewhere = 0;
    for (qint64 id : left) {
        if (m_decidedHere.remove(id) || m_inFlight.contains(id))
            continue;
        ++elsewhere;
    }
    if (elsewhere > 0) {
        m_queueNote->showMessage(InlineBanner::Kind::Info,
            elsewhere == 1 ? tr("1 task left the queue (approved or rejected elsewhere).")
                           : tr("%L1 tasks left the queue (approved or rejected elsewhere).").arg(elsewhere));
    }
    if (!arrived.isEmpty())
        Q_EMIT statusMessage(arrived.size() == 1
                ? tr("1 new task waiting for approval")
                : tr("%L1 new tasks waiting for approval").arg(arrived.size()));

    // The selection moves on: what is left of it, or the task now in the first selected row.
    const QSet<qint64> gone(left.cbegin(), left.cend());
    QList<qint64> kept;
    for (qint64 id : std::as_const(m_selection)) {
        if (!gone.contains(id))
            kept << id;
    }
    if (kept.size() == m_selection.size())
        return;
    QTableView *table = tableView();
    QItemSelectionModel *selection = table->selectionModel();
    const int rows = m_model->rowCount();
    m_movingSelection = true;
    if (!kept.isEmpty()) {
        QItemSelection wanted;
        for (int row : m_model->rowsOf(kept)) {
            if (row >= 0)
                wanted.select(
                    m_model->index(row, 0), m_model->index(row, ApprovalQueueModel::ColumnCount - 1));
        }
        selection->select(wanted, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        const int first = m_model->rowOf(kept.front());
        if (first >= 0)
            selection->setCurrentIndex(m_model->index(first, 0), QItemSelectionModel::NoUpdate);
    } else if (rows > 0) {
        const int row = std::clamp(m_selectionRow, 0, rows - 1);
        m_movingSelection = false;
        const qint64 next = m_model->idAt(row);
        if (next >= 0)
            selectId(next);
    } else {
        selection->clearSelection();
    }
    m_movingSelection = false;
    rememberSelection();
    syncPane();
}

// --- pane ---------------------------------------------------------------------------------------

void ApprovalsPage::reloadNodes()
{
    auto nodes = ClusterSnapshot::read(store().path());
    if (nodes) {
        m_nodes = nodes.value();
        m_nodesError.clear();
    } else {
        m_nodes.reset();
        m_nodesError = nodes.error().message;
    }
    ++m_nodesGeneration;
}

std::optional<TaskDetails> ApprovalsPage::taskOf(qint64 id) const
{
    if (!m_model)
        return std::nullopt;
    const int row = m_model->rowOf(id);
    return row >= 0 ? m_model->taskAt(row) : std::nullopt;
}

std::optional<FitCheck> ApprovalsPage::fitOf(const TaskDetails &task) const
{
    if (!m_nodes)
        return std::nullopt;
    return checkFit(task, *m_nodes);
}

QString ApprovalsPage::taskLabel(qint64 id) const
{
    const auto task = taskOf(id);
    if (!task || task->name.isEmpty())
        return QString::number(id);
    return tr("%1 (%2)").arg(QString::number(id), task->name);
}

QString ApprovalsPage::taskLine(qint64 id) const
{
    const auto task = taskOf(id);
    if (!task)
        return QString::number(id);
    QStringList parts {task->idText()};
    if (!task->name.isEmpty())
        parts << task->name;
    parts << (task->owner.isEmpty() ? tr("unknown submitter") : task->owner);
    QString resources = task->cores == 1 ? tr("1 core") : tr("%L1 cores").arg(task->cores);
    if (task->gpus.value && !task->gpus.value->isEmpty())
        resources
            += task->gpus.value->size() == 1 ? tr(", 1 GPU") : tr(", %L1 GPUs").arg(task->gpus.value->size());
    if (task->memoryBytes)
        resources += tr(", %1").arg(TaskDetails::formatBytes(*task->memoryBytes));
    parts << resources;
    if (!task->assignedNode.isEmpty())
        parts << task->targetText();
    return parts.join(QStringLiteral(" \u00b7 "));
}

QString ApprovalsPage::selectionSummary(const QList<qint64> &ids) const
{
    int cores = 0;
    int gpus = 0;
    qint64 memory = 0;
    int risky = 0;
    for (qint64 id : ids) {
        const auto task = taskOf(id);
        if (!task)
            continue;
        cores += task->cores;
        gpus += task->gpus.value ? int(task->gpus.value->size()) : 0;
        memory += task->memoryBytes.value_or(0);
        if (task->risks(m_options.riskThresholds))
            ++risky;
    }
    QString text
        = tr("%1 selected: cores %L2, GPUs %L3").arg(tasksText(int(ids.size()))).arg(cores).arg(gpus);
    if (memory > 0)
        text += tr(", memory %1 in all.").arg(TaskDetails::formatBytes(memory));
    else
        text += tr(" in all.");
    if (risky > 0)
        text += QLatin1Char(' ') + tr("With risk flags: %L1.").arg(risky);
    text += QLatin1Char(' ') + tr("A approves them all, R rejects them all.");
    return text;
}

void ApprovalsPage::syncPane()
{
    if (!m_pane || !m_model)
        return;
    const QList<qint64> ids = selectedIds();
    if (ids.size() != 1) {
        QVariantList key {ids.size(), m_model->rowCount()};
        if (key == m_paneKey)
            return;
        m_paneKey = key;
        if (ids.isEmpty())
            m_pane->showMessage(
                m_model->rowCount() > 0 ? tr("Select a task to review it.") : tr("The queue is empty."));
        else
            m_pane->showMessage(selectionSummary(ids));
        return;
    }
    const qint64 id = ids.front();
    const int row = m_model->rowOf(id);
    const auto task = row >= 0 ? m_model->taskAt(row) : std::nullopt;
    if (!task) {
        m_paneKey.clear();
        m_pane->showMessage(tr("Loading task %1\u2026").arg(id));
        return;
    }
    const QString age = m_model->index(row, 0).data(ApprovalQueueModel::AgeTextRole).toString();
    const QVariantList key {id, m_model->rowValues(row), age, m_nodesGeneration, m_inFlight.contains(id)};
    if (key == m_paneKey)
        return;
    m_paneKey = key;
    QString state;
    if (const auto it = m_inFlight.constFind(id); it != m_inFlight.cend())
        state = it.value() == Decision::Approve ? tr("Approval requested; waiting for the host's answer.")
                                                : tr("Rejection requested; waiting for the host's answer.");
    m_pane->showTask(*task, age, task->risks(m_options.riskThresholds), fitOf(*task), m_nodesError, state);
}

// --- actions ------------------------------------------------------------------------------------

void ApprovalsPage::updateActions()
{
    const bool mayDecide = roles::allows(actor().role, Permission::ApproveTasks);
    ActionGate gate;
    if (!mayDecide) {
        gate = {false,
            tr("Needs the %1 role to approve or reject tasks; you are signed in as %2 (%3).")
                .arg(roles::displayName(roles::minimumFor(Permission::ApproveTasks)), actor().username,
                    roles::displayName(actor().role))};
    } else if (!m_decisionsAvailable) {
        gate = {false, m_whyNot};
    }
    const QList<qint64> selected = m_model ? selectedIds() : QList<qint64> {};
    const QList<qint64> decidable = decidableIds(selected);
    const int waiting = int(selected.size() - decidable.size());
    const int n = int(decidable.size());
    QString waitNote;
    if (waiting > 0)
        waitNote = QLatin1Char(' ') + tr("(%L1 of the selected wait for the host's answer)").arg(waiting);

    const QString approveTip = n == 0
        ? tr("Approve the selected tasks: the host dispatches them (select tasks first)")
        : n == 1 ? tr("Approve task %1: the host dispatches it to its node").arg(taskLabel(decidable.front()))
                 : tr("Approve the %L1 selected tasks: the host dispatches them").arg(n);
    gate.apply(m_approveAction, approveTip + waitNote, n > 0);
    const QString rejectTip = n == 0 ? tr("Reject the selected tasks with a reason (select tasks first)")
        : n == 1                     ? tr("Reject task %1 with a reason").arg(taskLabel(decidable.front()))
                                     : tr("Reject the %L1 selected tasks with one reason").arg(n);
    gate.apply(m_rejectAction, rejectTip + waitNote, n > 0);

    const auto one = selected.size() == 1 ? taskOf(selected.front()) : std::nullopt;
    const bool history = one && one->ownerId;
    m_historyAction->setEnabled(history);
    m_historyAction->setToolTip(history
            ? tr("How many of %1's tasks were approved and rejected before").arg(one->owner)
            : tr("How many of the submitter's tasks were approved and rejected before (select one task)"));
    m_copyAction->setEnabled(!selected.isEmpty());
    m_copyAction->setToolTip(tr("Copy the command lines of the selected tasks, one per line"));
    m_selectAllAction->setEnabled(m_model != nullptr);
    m_refreshAction->setEnabled(m_model != nullptr);
}

void ApprovalsPage::showHistoryOfSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.size() != 1)
        return;
    if (const auto task = taskOf(ids.front()); task && task->ownerId)
        showHistory(*task->ownerId, task->owner);
}

void ApprovalsPage::showHistory(qint64 ownerId, const QString &owner)
{
    auto history = SubmitterHistory::read(store().path(), ownerId);
    if (!history) {
        showFailure(
            tr("Could not read the history of %1").arg(owner.isEmpty() ? QString::number(ownerId) : owner),
            history.error());
        return;
    }
    auto *dialog = new SubmitterHistoryDialog(history.value(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->open();
}

void ApprovalsPage::copyCommandLines()
{
    QStringList lines;
    for (qint64 id : selectedIds()) {
        if (const auto task = taskOf(id))
            lines << (task->isVps() ? task->command : task->commandLine());
    }
    if (lines.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
    Q_EMIT statusMessage(
        lines.size() == 1 ? tr("Command line copied") : tr("%L1 command lines copied").arg(lines.size()));
}

} // namespace rk
