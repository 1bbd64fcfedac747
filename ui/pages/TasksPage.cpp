#include "TasksPage.h"

#include "AppSettings.h"
#include "IconFactory.h"
#include "store/PlatformStore.h"
#include "tables/NodesTableModel.h"
#include "tasks/TaskDetailPane.h"
#include "tasks/TaskStatus.h"
#include "tasks/TaskTableDelegate.h"
#include "tasks/TasksTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QAction>
#include <QBoxLayout>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>

namespace rk {

namespace {

const QString kSettingsKey = QStringLiteral("tasks");
const QString kFilterSetting = QStringLiteral("pages/tasks/statusFilter");

struct StatusChoice
{
    const char *key;
    const char *label;
    QStringList statuses;
};

const QList<StatusChoice> &statusChoices()
{
    static const QList<StatusChoice> choices {
        {"all", QT_TRANSLATE_NOOP("rk::TasksPage", "All statuses"), {}},
        {"running", QT_TRANSLATE_NOOP("rk::TasksPage", "Running"), {QStringLiteral("running")}},
        {"pending", QT_TRANSLATE_NOOP("rk::TasksPage", "Pending"),
            {QStringLiteral("pending"), QStringLiteral("assigning")}},
        {"paused", QT_TRANSLATE_NOOP("rk::TasksPage", "Paused"), {QStringLiteral("paused")}},
        {"completed", QT_TRANSLATE_NOOP("rk::TasksPage", "Completed"), {QStringLiteral("completed")}},
        {"failed", QT_TRANSLATE_NOOP("rk::TasksPage", "Failed"),
            {QStringLiteral("failed"), QStringLiteral("lost")}},
        {"killed", QT_TRANSLATE_NOOP("rk::TasksPage", "Killed"),
            {QStringLiteral("killed"), QStringLiteral("killed_oom")}},
        {"stopped", QT_TRANSLATE_NOOP("rk::TasksPage", "Stopped"), {QStringLiteral("stopped")}},
        {"pending_approval", QT_TRANSLATE_NOOP("rk::TasksPage", "Pending approval"),
            {TaskStatus::kPendingApproval}},
        {"rejected", QT_TRANSLATE_NOOP("rk::TasksPage", "Rejected"), {QStringLiteral("rejected")}},
    };
    return choices;
}

QString actionVerb(TasksPage::TaskAction action)
{
    switch (action) {
    case TasksPage::TaskAction::Kill: return TasksPage::tr("kill");
    case TasksPage::TaskAction::Pause: return TasksPage::tr("pause");
    case TasksPage::TaskAction::Resume: return TasksPage::tr("resume");
    }
    return {};
}

} // namespace

TasksPage::TasksPage(PlatformStore &platform, const Actor &acting, AppSettings &appSettings, QWidget *parent)
    : TasksPage(platform, acting, appSettings, Options {}, parent)
{
}

TasksPage::TasksPage(PlatformStore &platform, const Actor &acting, AppSettings &appSettings,
    const Options &options, QWidget *parent)
    : RecordsPage(platform, acting, appSettings, parent), m_options(options)
{
    setObjectName(QStringLiteral("tasksPage"));
    setHeading(title());
    m_whyNot
        = tr("Killing, pausing and resuming a task is done by the host: connect to it (a Host profile).");
    createActions();

    m_hostBanner = new InlineBanner(this);
    m_hostBanner->setObjectName(QStringLiteral("hostActionsBanner"));
    m_hostBanner->setClosable(false);
    if (auto *box = qobject_cast<QBoxLayout *>(layout()))
        box->insertWidget(box->indexOf(banner()) + 1, m_hostBanner);
    m_hostBanner->clear();

    if (!roles::allows(acting.role, Permission::ViewTasks)) {
        showRoleRequirement(Permission::ViewTasks, tr("Viewing tasks"));
        updateActions();
        return;
    }

    LazySqlTableModel::Options modelOptions;
    modelOptions.deferred = true; // loads when the page is first shown
    m_model = new TasksTableModel(platform.path(), modelOptions, this);
    // The host's task list (GET /api/tasks) is command tasks only; VPS have their own page.
    m_model->setTypeFilter(QStringLiteral("command"));
    m_pane = new TaskDetailPane(this);

    m_statusCombo = new QComboBox(this);
    m_statusCombo->setObjectName(QStringLiteral("statusFilterCombo"));
    m_statusCombo->setToolTip(tr("Show only tasks in these states"));
    for (const StatusChoice &c : statusChoices()) {
        QStringList labels;
        for (const QString &s : c.statuses)
            labels << TaskStatus::label(s);
        m_statusCombo->addItem(tr(c.label), QString::fromLatin1(c.key));
        if (!labels.isEmpty())
            m_statusCombo->setItemData(
                m_statusCombo->count() - 1, labels.join(QStringLiteral(", ")), Qt::ToolTipRole);
    }
    toolBar()->addSeparator();
    auto *filterLabel = new QLabel(tr("Status:"), this);
    filterLabel->setObjectName(QStringLiteral("statusFilterLabel"));
    filterLabel->setBuddy(m_statusCombo);
    toolBar()->addWidget(filterLabel);
    toolBar()->addWidget(m_statusCombo);
    const QString remembered = settings().qsettings()->value(kFilterSetting).toString();
    if (const int at = m_statusCombo->findData(remembered); at > 0) {
        m_statusCombo->setCurrentIndex(at);
        m_model->setStatusFilter(statusesOf(remembered));
    }
    connect(m_statusCombo, &QComboBox::currentIndexChanged, this, [this]() {
        const QString key = statusFilterKey();
        settings().qsettings()->setValue(kFilterSetting, key);
        m_model->setStatusFilter(statusesOf(key));
    });

    setUpTable();
    setUpLayout();

    connect(m_model, &LazySqlTableModel::windowLoaded, this, [this]() {
        syncPane();
        syncViewers();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this]() {
        syncPane();
        syncViewers();
        updateActions();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &TasksPage::syncPane);
    connect(
        tableView()->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TasksPage::syncPane);

    setPeriodicRefresh(m_options.refreshIntervalMs);
    setHostActionsAvailable(false, m_whyNot);
}

TasksPage::~TasksPage()
{
    // As in SessionsPage: the header's resize lambdas must not outlive TablePage's save timer.
    tableView()->horizontalHeader()->disconnect(this);
    for (const QPointer<TaskOutputViewer> &viewer : std::as_const(m_viewers)) {
        if (viewer)
            delete viewer.data();
    }
}

QString TasksPage::title() const
{
    return pageTitle();
}

QString TasksPage::pageTitle()
{
    return tr("Tasks");
}

QIcon TasksPage::icon() const
{
    return icons::tasksIcon(palette().color(QPalette::WindowText));
}

QList<QAction *> TasksPage::menuActions() const
{
    QList<QAction *> actions {
        m_outputAction, nullptr, m_killAction, m_pauseAction, m_resumeAction, nullptr, m_copyAction, nullptr};
    if (QAction *columns = columnsMenuAction())
        actions << columns;
    actions << m_refreshAction;
    return actions;
}

QStringList TasksPage::statusFilterKeys()
{
    QStringList keys;
    for (const StatusChoice &c : statusChoices())
        keys << QString::fromLatin1(c.key);
    return keys;
}

QStringList TasksPage::statusesOf(const QString &filterKey)
{
    for (const StatusChoice &c : statusChoices()) {
        if (filterKey == QLatin1String(c.key))
            return c.statuses;
    }
    return {};
}

QString TasksPage::statusFilterKey() const
{
    return m_statusCombo ? m_statusCombo->currentData().toString() : QStringLiteral("all");
}

void TasksPage::setStatusFilterKey(const QString &key)
{
    if (!m_statusCombo)
        return;
    const int at = m_statusCombo->findData(key);
    if (at >= 0)
        m_statusCombo->setCurrentIndex(at);
}

bool TasksPage::stateAllows(TaskAction action, const QString &status)
{
    switch (action) {
    case TaskAction::Kill:
        return status == QLatin1String("pending") || status == QLatin1String("assigning")
            || status == QLatin1String("running") || status == QLatin1String("paused");
    case TaskAction::Pause: return status == QLatin1String("running");
    case TaskAction::Resume: return status == QLatin1String("paused");
    }
    return false;
}

bool TasksPage::roleAllows(const Actor &actor, std::optional<qint64> ownerId)
{
    if (roles::atLeast(actor.role, Role::Operator))
        return true;
    return roles::atLeast(actor.role, Role::User) && ownerId && *ownerId == actor.userId;
}

void TasksPage::createActions()
{
    m_outputAction
        = makeAction(tr("Show &Output\u2026"), "showTaskOutputAction", QKeySequence(Qt::CTRL | Qt::Key_L));
    m_killAction
        = makeAction(tr("&Kill\u2026"), "killTaskAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    m_pauseAction
        = makeAction(tr("&Pause"), "pauseTaskAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    m_resumeAction
        = makeAction(tr("R&esume"), "resumeTaskAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_copyAction
        = makeAction(tr("&Copy Task IDs"), "copyTaskIdsAction", QKeySequence::Copy, Qt::WidgetShortcut);
    m_refreshAction = makeAction(tr("Re&fresh"), "refreshTasksAction", QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the tasks again from the database"));

    connect(m_outputAction, &QAction::triggered, this, &TasksPage::showOutputOfSelected);
    connect(m_killAction, &QAction::triggered, this, [this]() { request(TaskAction::Kill); });
    connect(m_pauseAction, &QAction::triggered, this, [this]() { request(TaskAction::Pause); });
    connect(m_resumeAction, &QAction::triggered, this, [this]() { request(TaskAction::Resume); });
    connect(m_copyAction, &QAction::triggered, this, &TasksPage::copyTaskIds);
    connect(m_refreshAction, &QAction::triggered, this, &TasksPage::refresh);

    QToolBar *bar = toolBar();
    bar->addAction(m_outputAction);
    bar->addSeparator();
    bar->addAction(m_killAction);
    bar->addAction(m_pauseAction);
    bar->addAction(m_resumeAction);
    bar->addSeparator();
    bar->addAction(m_refreshAction);
}

void TasksPage::setUpTable()
{
    bindModel(m_model,
        {[this](int row) { return m_model->idAt(row); }, [this](qint64 id) { return m_model->rowOf(id); }},
        kSettingsKey, [this]() { applyDefaultColumns(); });
    QTableView *table = tableView();
    table->setItemDelegate(
        new TaskTableDelegate(TasksTableModel::Status, TasksTableModel::StatusRole, table));
    addTableAction(m_copyAction);
    // QAbstractItemView copies the current cell on Ctrl+C before the shortcut can fire.
    table->installEventFilter(this);
    setDefaultAction(m_outputAction);
    setNouns(tr("There are no command tasks here yet. Tasks appear once they are submitted to the host (and, "
                "for a host profile, synced)."),
        tr("No task matches %1. The filter looks at names, commands, arguments and owners."));
    filterField()->setPlaceholderText(
        tr("Name, command, arguments or owner (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    setFootnote(
        tr("Enter shows the selected task's output. Kill, Pause and Resume are sent to the host; a host "
           "profile lists the task pages its last sync fetched."));
}

void TasksPage::setUpLayout()
{
    // TablePage has no detail slot: its body moves into a splitter with the pane beside it.
    QWidget *body = tableView()->parentWidget();
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("tasksSplitter"));
    splitter->setChildrenCollapsible(false);
    if (auto *box = qobject_cast<QBoxLayout *>(layout())) {
        const int at = box->indexOf(body);
        box->insertWidget(at, splitter, 1);
        splitter->addWidget(body);
        splitter->addWidget(m_pane);
        splitter->setStretchFactor(0, 3);
        splitter->setStretchFactor(1, 1);
    }
}

void TasksPage::applyDefaultColumns()
{
    QTableView *table = tableView();
    QHeaderView *header = table->horizontalHeader();
    const QFontMetrics fm = table->fontMetrics();
    const int avg = fm.averageCharWidth();
    auto fit = [&](int column, int contentWidth) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column, qMax(contentWidth, fm.horizontalAdvance(title)) + 16);
    };
    fit(TasksTableModel::Id, fm.horizontalAdvance(QStringLiteral("7391245671234567891")));
    fit(TasksTableModel::Name, 16 * avg);
    fit(TasksTableModel::Type, fm.horizontalAdvance(QStringLiteral("Command")));
    fit(TasksTableModel::Owner, 10 * avg);
    fit(TasksTableModel::Status, fm.horizontalAdvance(QStringLiteral("Killed (out of memory)")));
    fit(TasksTableModel::Node, fm.horizontalAdvance(QStringLiteral("gpu-a100-01")));
    fit(TasksTableModel::Cores, fm.horizontalAdvance(QStringLiteral("128")));
    fit(TasksTableModel::Memory, fm.horizontalAdvance(QStringLiteral("128 GiB")));
    fit(TasksTableModel::Gpus, fm.horizontalAdvance(QStringLiteral("0, 1, 2, 3")));
    for (int c :
        {int(TasksTableModel::Submitted), int(TasksTableModel::Started), int(TasksTableModel::Completed)})
        fit(c, fm.horizontalAdvance(QStringLiteral("2026-12-31 23:59")));
    fit(TasksTableModel::ExitCode, fm.horizontalAdvance(QStringLiteral("-9")));
    // Only command tasks are listed: the type says nothing.
    header->hideSection(TasksTableModel::Type);
    header->setSortIndicator(TasksTableModel::Submitted, Qt::DescendingOrder);
}

bool TasksPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == tableView() && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        if (m_copyAction->isEnabled())
            m_copyAction->trigger();
        return true;
    }
    return RecordsPage::eventFilter(watched, event);
}

// --- the selected task ----------------------------------------------------------------------------

std::optional<TaskDetails> TasksPage::taskOf(qint64 id) const
{
    if (!m_model)
        return std::nullopt;
    const int row = m_model->rowOf(id);
    return row >= 0 ? m_model->taskAt(row) : std::nullopt;
}

QString TasksPage::taskLabel(qint64 id) const
{
    const auto task = taskOf(id);
    if (!task || task->name.isEmpty())
        return QString::number(id);
    return tr("%1 (%2)").arg(QString::number(id), task->name);
}

void TasksPage::syncPane()
{
    if (!m_pane || !m_model)
        return;
    const QList<qint64> ids = selectedIds();
    if (ids.size() != 1) {
        m_pane->showMessage(ids.isEmpty() ? tr("Select a task to see its details.")
                                          : tr("%L1 tasks selected.").arg(ids.size()));
    } else if (const auto task = taskOf(ids.front())) {
        m_pane->showTask(*task);
    } else {
        m_pane->showMessage(tr("Loading task %1\u2026").arg(ids.front()));
    }
    updateActions();
}

void TasksPage::syncViewers()
{
    for (auto it = m_viewers.begin(); it != m_viewers.end();) {
        if (!it.value()) {
            it = m_viewers.erase(it);
            continue;
        }
        if (const auto task = taskOf(it.key()))
            it.value()->setTaskStatus(task->status);
        ++it;
    }
}

QString TasksPage::whyNot(TaskAction action, const std::optional<TaskDetails> &task) const
{
    if (!roles::atLeast(actor().role, Role::User))
        return tr("Needs the %1 role (on your own tasks) or %2; you are signed in as %3 (%4).")
            .arg(roles::displayName(Role::User), roles::displayName(Role::Operator), actor().username,
                roles::displayName(actor().role));
    if (!m_hostActions)
        return m_whyNot;
    if (!task)
        return tr("Select one task first.");
    if (!roleAllows(actor(), task->ownerId))
        return tr("Only operators and administrators may %1 other users' tasks; this one belongs to %2.")
            .arg(actionVerb(action), task->owner.isEmpty() ? tr("someone else") : task->owner);
    if (m_inFlight.contains(task->id))
        return tr("Waiting for the host's answer to the last request for this task.");
    if (!stateAllows(action, task->status)) {
        switch (action) {
        case TaskAction::Kill:
            return tr("Only pending, assigning, running or paused tasks can be killed; this one is %1.")
                .arg(TaskStatus::label(task->status).toLower());
        case TaskAction::Pause:
            return tr("Only running tasks can be paused; this one is %1.")
                .arg(TaskStatus::label(task->status).toLower());
        case TaskAction::Resume:
            return tr("Only paused tasks can be resumed; this one is %1.")
                .arg(TaskStatus::label(task->status).toLower());
        }
    }
    return {};
}

void TasksPage::updateActions()
{
    const QList<qint64> selected = m_model ? selectedIds() : QList<qint64> {};
    const auto one = selected.size() == 1 ? taskOf(selected.front()) : std::nullopt;
    const QString label = one ? taskLabel(one->id) : QString();

    const auto apply = [&](QAction *action, TaskAction kind, const QString &tip) {
        const QString reason = whyNot(kind, one);
        action->setEnabled(reason.isEmpty());
        action->setToolTip(reason.isEmpty() ? tip : reason);
    };
    apply(m_killAction, TaskAction::Kill, tr("Kill task %1 (with a confirmation)").arg(label));
    apply(m_pauseAction, TaskAction::Pause, tr("Pause task %1 on its node").arg(label));
    apply(m_resumeAction, TaskAction::Resume, tr("Resume task %1").arg(label));

    const bool output = one.has_value() && m_logSource != nullptr;
    m_outputAction->setEnabled(output);
    m_outputAction->setToolTip(!m_logSource
            ? tr("Reading a task's output needs a host profile (online, or its "
                 "offline copy).")
            : one ? tr("Show the stdout and stderr of task %1").arg(label)
                  : tr("Show a task's stdout and stderr (select one task)"));
    m_copyAction->setEnabled(!selected.isEmpty());
    m_refreshAction->setEnabled(m_model != nullptr);
}

// --- host actions ---------------------------------------------------------------------------------

void TasksPage::setHostActionsAvailable(bool available, const QString &whyNot)
{
    m_hostActions = available;
    if (!whyNot.isEmpty())
        m_whyNot = whyNot;
    if (!m_model || available || !roles::atLeast(actor().role, Role::User))
        m_hostBanner->clear();
    else
        m_hostBanner->showMessage(InlineBanner::Kind::Info, m_whyNot);
    updateActions();
}

void TasksPage::request(TaskAction action)
{
    const QList<qint64> ids = selectedIds();
    if (ids.size() != 1)
        return;
    const qint64 id = ids.front();
    const auto task = taskOf(id);
    if (const QString reason = whyNot(action, task); !reason.isEmpty()) {
        banner()->showMessage(InlineBanner::Kind::Info, reason);
        return;
    }
    banner()->clear();
    if (action == TaskAction::Kill) {
        MessageBox::Options box;
        box.title = tr("Kill Task");
        box.text = tr("Kill task %1?").arg(taskLabel(id));
        QStringList info;
        if (!task->owner.isEmpty() && task->ownerId != actor().userId)
            info << tr("It belongs to %1.").arg(task->owner);
        info << tr("The host stops it on its node and marks it killed; it cannot be resumed, only submitted "
                   "again.");
        box.informativeText = info.join(QLatin1Char(' '));
        box.accept = MessageBox::Button::Yes;
        box.reject = MessageBox::Button::Cancel;
        box.destructive = true;
        if (MessageBox::ask(this, box) != MessageBox::Button::Yes)
            return;
        // Re-checked: the row may have been read again while the box was open.
        if (const QString reason = whyNot(action, taskOf(id)); !reason.isEmpty()) {
            banner()->showMessage(InlineBanner::Kind::Info, tr("Nothing sent: %1").arg(reason));
            return;
        }
    }
    m_inFlight.insert(id, action);
    m_labels.insert(id, taskLabel(id));
    updateActions();
    switch (action) {
    case TaskAction::Kill:
        Q_EMIT statusMessage(tr("Killing task %1\u2026").arg(taskLabel(id)));
        Q_EMIT killRequested(id);
        break;
    case TaskAction::Pause:
        Q_EMIT statusMessage(tr("Pausing task %1\u2026").arg(taskLabel(id)));
        Q_EMIT pauseRequested(id);
        break;
    case TaskAction::Resume:
        Q_EMIT statusMessage(tr("Resuming task %1\u2026").arg(taskLabel(id)));
        Q_EMIT resumeRequested(id);
        break;
    }
}

void TasksPage::actionFinished(qint64 taskId, bool ok, const QString &message)
{
    const bool known = m_inFlight.contains(taskId);
    const TaskAction action = m_inFlight.take(taskId);
    const QString label = m_labels.contains(taskId) ? m_labels.take(taskId) : taskLabel(taskId);
    if (ok) {
        if (!known)
            Q_EMIT statusMessage(tr("Task %1 changed on the host").arg(label));
        else if (action == TaskAction::Kill)
            Q_EMIT statusMessage(tr("Kill requested for task %1").arg(label));
        else if (action == TaskAction::Pause)
            Q_EMIT statusMessage(tr("Task %1 paused").arg(label));
        else
            Q_EMIT statusMessage(tr("Task %1 resumed").arg(label));
    } else {
        const QString what = !known ? tr("The host refused a request for task %1").arg(label)
                                    : tr("Could not %1 task %2").arg(actionVerb(action), label);
        banner()->showError(tr("%1: %2").arg(what, asSentence(message)));
    }
    updateActions();
    // The host changed the row (or told why not): read it now rather than at the next sync.
    refresh();
}

// --- output and copying ---------------------------------------------------------------------------

void TasksPage::setLogSource(TaskLogSource *source)
{
    m_logSource = source;
    // Open viewers move along (online <-> offline); without a source they keep what they show.
    if (source) {
        for (const QPointer<TaskOutputViewer> &viewer : std::as_const(m_viewers)) {
            if (viewer)
                viewer->setSource(source);
        }
    }
    updateActions();
}

TaskOutputViewer *TasksPage::showOutput(qint64 taskId)
{
    if (!m_logSource)
        return nullptr;
    if (TaskOutputViewer *open = m_viewers.value(taskId)) {
        open->show();
        open->raise();
        open->activateWindow();
        return open;
    }
    const auto task = taskOf(taskId);
    auto *viewer = new TaskOutputViewer(m_logSource, taskId, task ? task->name : QString(),
        task ? task->status : QString(), m_options.viewer, this);
    viewer->setAttribute(Qt::WA_DeleteOnClose);
    // A top-level window of its own: several can stay open beside the page.
    viewer->setWindowFlag(Qt::Window, true);
    m_viewers.insert(taskId, viewer);
    viewer->show();
    return viewer;
}

void TasksPage::showOutputOfSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.size() == 1)
        showOutput(ids.front());
}

void TasksPage::copyTaskIds()
{
    QStringList lines;
    for (qint64 id : selectedIds())
        lines << QString::number(id);
    if (lines.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
    Q_EMIT statusMessage(
        lines.size() == 1 ? tr("Task ID copied") : tr("%L1 task IDs copied").arg(lines.size()));
}

} // namespace rk
