#pragma once

#include "RecordsPage.h"
#include "tasks/TaskDetails.h"
#include "tasks/TaskOutputViewer.h"

#include <QHash>
#include <QPointer>

#include <optional>

class QAction;
class QComboBox;

namespace rk {

class InlineBanner;
class TaskDetailPane;
class TaskLogSource;
class TasksTableModel;

// Every command task of the `tasks` table (TasksTableModel over the platform database or a host
// profile's mirror): id, name, owner, status (in the dashboard's colours), node, cores, memory,
// GPUs, submitted, started, completed, exit code; sorted, searched (name, command, arguments,
// owner) and filtered by status in SQL; column state remembered (key "tasks"), and so is the
// status filter. Beside the table, the selected task in full (TaskDetailPane).
//
// Kill (with a confirmation), Pause and Resume only reach the host, so the page never writes: it
// emits killRequested() / pauseRequested() / resumeRequested() and whoever talks to the host
// answers with actionFinished(). They are enabled only in the states the host accepts (kill:
// pending, assigning, running, paused; pause: running; resume: paused), for the roles it accepts
// (user on their own tasks, operator and admin on all), and while setHostActionsAvailable(true).
// Show Output (Enter) opens a TaskOutputViewer over the page's TaskLogSource (setLogSource()),
// one per task. UI thread.
class TasksPage : public RecordsPage
{
    Q_OBJECT

public:
    struct Options
    {
        int refreshIntervalMs = 0; // re-read while shown (0: only on changes)
        TaskOutputViewer::Options viewer;
    };

    enum class TaskAction { Kill, Pause, Resume };

    TasksPage(PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    TasksPage(PlatformStore &store, const Actor &actor, AppSettings &settings, const Options &options,
        QWidget *parent = nullptr);
    ~TasksPage() override;

    QString title() const override;
    // The title without a page: the navigation lists pages before they are built.
    static QString pageTitle();
    QIcon icon() const override;
    QList<QAction *> menuActions() const override;

    // nullptr when the acting role may not view tasks.
    TasksTableModel *model() const { return m_model; }
    TaskDetailPane *detailPane() const { return m_pane; }
    QComboBox *statusFilterCombo() const { return m_statusCombo; }
    qint64 selectedTaskId() const { return currentId(); }
    void selectTask(qint64 taskId) { selectId(taskId); }

    // The status filter's choices: a key ("all", "running", ...) per entry, and the tasks.status
    // values each one shows (empty: all).
    static QStringList statusFilterKeys();
    static QStringList statusesOf(const QString &filterKey);
    QString statusFilterKey() const;
    void setStatusFilterKey(const QString &key);

    // Whether the host accepts `action` for a task in `status`.
    static bool stateAllows(TaskAction action, const QString &status);
    // Whether `actor` may act on a task owned by `ownerId` (user: own tasks; operator+: all).
    static bool roleAllows(const Actor &actor, std::optional<qint64> ownerId);

    // Where Show Output reads from (not owned; nullptr disables it). Open viewers switch to a new
    // source; with nullptr they keep what they show.
    void setLogSource(TaskLogSource *source);
    TaskLogSource *logSource() const { return m_logSource; }
    // Opens (or raises) the output viewer of a task; nullptr without a log source.
    TaskOutputViewer *showOutput(qint64 taskId);
    TaskOutputViewer *outputViewer(qint64 taskId) const { return m_viewers.value(taskId); }

    bool hostActionsAvailable() const { return m_hostActions; }
    // Tasks whose action was requested and not answered yet.
    QList<qint64> actionsInFlight() const { return m_inFlight.keys(); }

public Q_SLOTS:
    // Whether kill, pause and resume can reach the host; `whyNot` (a sentence) shows in their
    // tooltips and on the page while they cannot.
    void setHostActionsAvailable(bool available, const QString &whyNot = {});
    // The host's answer to killRequested() / pauseRequested() / resumeRequested(). A failure
    // shows in the banner with `message`; then the tasks are read again.
    void actionFinished(qint64 taskId, bool ok, const QString &message = {});

Q_SIGNALS:
    void killRequested(qint64 taskId);
    void pauseRequested(qint64 taskId);
    void resumeRequested(qint64 taskId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void setUpTable();
    void setUpLayout();
    void applyDefaultColumns();
    void updateActions() override;
    void syncPane();
    void syncViewers();

    void request(TaskAction action);
    void showOutputOfSelected();
    void copyTaskIds();

    std::optional<TaskDetails> taskOf(qint64 id) const;
    QString taskLabel(qint64 id) const; // "7391… (name)"
    // Why `action` is not possible for the selected task; empty when it is.
    QString whyNot(TaskAction action, const std::optional<TaskDetails> &task) const;

    Options m_options;
    TasksTableModel *m_model = nullptr;
    TaskDetailPane *m_pane = nullptr;
    InlineBanner *m_hostBanner = nullptr;
    QComboBox *m_statusCombo = nullptr;
    TaskLogSource *m_logSource = nullptr;
    QHash<qint64, QPointer<TaskOutputViewer>> m_viewers;

    bool m_hostActions = false;
    QString m_whyNot;
    QHash<qint64, TaskAction> m_inFlight;
    QHash<qint64, QString> m_labels; // of tasks asked about, for answers after they changed

    QAction *m_killAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_resumeAction = nullptr;
    QAction *m_outputAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_refreshAction = nullptr;
};

} // namespace rk
