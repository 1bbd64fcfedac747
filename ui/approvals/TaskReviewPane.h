#pragma once

#include "tasks/FitCheck.h"
#include "tasks/TaskDetails.h"

#include <QWidget>

#include <memory>
#include <optional>

namespace Ui {
class TaskReviewPane;
}

namespace rk {

// Everything about one pending task that a reviewer needs, beside the approval queue: id, name,
// submitter (with a button for their history), when it was submitted and how long ago, type,
// cores, memory, GPU indices, target node and NUMA node, container or image, the privileged flag
// and the mounts, the environment variables (a table), and the full command line in a monospace,
// read-only field with a Copy button (a VPS shows its SSH public key there). Risk flags stand out
// in a banner; the fit check against the nodes' current state says whether the task fits on its
// target now, will queue, or cannot run there. With no task (or several) it shows a sentence
// instead. Shows what it is given; reads nothing itself. UI thread.
class TaskReviewPane : public QWidget
{
    Q_OBJECT

public:
    explicit TaskReviewPane(QWidget *parent = nullptr);
    ~TaskReviewPane() override;

    // `ageText`: "12 min ago"; `fit`: nullopt when the nodes could not be read (`fitError` says why).
    // `decisionState`: e.g. "Approval requested; waiting for the host's answer" (empty: none).
    void showTask(const TaskDetails &task, const QString &ageText, TaskRisks risks,
        const std::optional<FitCheck> &fit, const QString &fitError = {}, const QString &decisionState = {});
    // No task: "Select a task…", or a summary of several selected ones.
    void showMessage(const QString &text);

    // The task shown; -1 when none.
    qint64 taskId() const { return m_task ? m_task->id : -1; }
    const std::optional<TaskDetails> &task() const { return m_task; }
    // What Copy puts on the clipboard: the command line (a VPS: its SSH key).
    QString copyText() const;

Q_SIGNALS:
    // The "Submitter's History" button, for the shown task's owner.
    void historyRequested(qint64 ownerId, const QString &owner);
    // After Copy: a short sentence for the status bar.
    void copied(const QString &message);

private:
    void copyCommand();
    void fillEnvironment(const TaskDetails &task);

    std::unique_ptr<Ui::TaskReviewPane> m_ui;
    std::optional<TaskDetails> m_task;
};

} // namespace rk
