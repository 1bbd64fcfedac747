#pragma once

#include "RecordsPage.h"
#include "core/HostTime.h"
#include "tasks/FitCheck.h"
#include "tasks/TaskDetails.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QSettings;

namespace rk {

class ApprovalQueueModel;
class InlineBanner;
class TaskReviewPane;

// The approval queue: every task waiting in `pending_approval` (ApprovalQueueModel over the
// `tasks` table of the platform database or of a host profile's mirror: submitter, submitted and
// how long ago, type, command, cores, memory, GPUs, target, image, risk flags), and beside it the
// selected task in full (TaskReviewPane), with a fit check against the nodes' current state
// (ClusterSnapshot: the `nodes` table read as the host's /api/nodes would describe it).
//
// Approving dispatches the task and rejecting records the host's verdict, so only the host can
// decide: the page never writes. Approve (A on the table) asks for a confirmation naming how many
// tasks and which, then emits approveRequested(); Reject (R) opens the RejectDialog (reason,
// reusable templates), which is its confirmation, then emits rejectRequested(). Whoever talks to
// the host answers each task with decisionFinished(). Until setDecisionsAvailable(true), both
// actions are disabled and say why (tooltip and a line on the page).
//
// Tasks that leave the queue between two reads without a decision from this page (another
// operator, the host's dashboard) disappear with a note, not an error, and the selection moves on
// to the next task. The table re-reads after the host's writes (the store's data_version watch),
// after every decision, and every Options::refreshIntervalMs while shown. Column state is
// remembered (key "approvals"). UI thread.
class ApprovalsPage : public RecordsPage
{
    Q_OBJECT

public:
    struct Options
    {
        // How often the queue and the nodes are re-read while shown (0: never).
        int refreshIntervalMs = 30000;
        // "Now" for how long tasks have waited (the model's clock); default: the real time.
        std::function<hosttime::Instant()> clock;
        RiskThresholds riskThresholds;
    };

    // The most tasks one approval or rejection takes (one request each to the host).
    static constexpr int kMaxDecisions = 200;

    ApprovalsPage(PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    ApprovalsPage(PlatformStore &store, const Actor &actor, AppSettings &settings, const Options &options,
        QWidget *parent = nullptr);
    ~ApprovalsPage() override;

    QString title() const override;
    // The title without a page: the navigation lists pages before they are built.
    static QString pageTitle();
    QIcon icon() const override;
    QList<QAction *> menuActions() const override;

    // nullptr when the acting role may not view tasks.
    ApprovalQueueModel *model() const { return m_model; }
    TaskReviewPane *reviewPane() const { return m_pane; }
    QList<qint64> selectedTaskIds() const { return selectedIds(); }
    void selectTask(qint64 taskId) { selectId(taskId); }

    bool decisionsAvailable() const { return m_decisionsAvailable; }
    // Tasks whose decision was requested and not answered yet.
    QList<qint64> decisionsInFlight() const { return m_inFlight.keys(); }

    // Whether a failed decision's message means the task was not pending any more: the host's
    // 404 "Task not found." or 409 "Task is not pending approval (status: X)", however the
    // caller worded the rest.
    static bool isNoLongerPending(const QString &message);

public Q_SLOTS:
    // Whether approve and reject can reach the host; `whyNot` (a sentence) shows in their tooltips
    // and on the page while they cannot.
    void setDecisionsAvailable(bool available, const QString &whyNot = {});
    // The host's answer for one task of approveRequested() or rejectRequested(). A failure shows
    // in the banner with `message`; "not pending any more" (see isNoLongerPending()) is a note.
    // When the last answer of a batch is in, the queue is read again.
    void decisionFinished(qint64 taskId, bool ok, const QString &message = {});

Q_SIGNALS:
    void approveRequested(const QList<qint64> &taskIds);
    void rejectRequested(const QList<qint64> &taskIds, const QString &reason);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    enum class Decision { Approve, Reject };

    void createActions();
    void setUpTable();
    void setUpLayout();
    void applyDefaultColumns();
    void updateActions() override;

    void approveSelected();
    void rejectSelected();
    void showHistory(qint64 ownerId, const QString &owner);
    void showHistoryOfSelected();
    void copyCommandLines();

    void reloadNodes();
    void syncPane();
    void rememberSelection();
    void onQueueChanged(const QList<qint64> &arrived, const QList<qint64> &left);
    void startDecisions(Decision decision, const QList<qint64> &ids);
    void finishBatchIfDone();
    // The banner's Retry: the failed decisions of the last batch, sent again.
    void retryFailed();

    // The selected ids that are still queued and not waiting for an answer.
    QList<qint64> decidableIds(const QList<qint64> &ids) const;
    // False (with a note in the banner) when more than kMaxDecisions tasks are selected.
    bool withinDecisionLimit();
    // "7391245671234567891 · vit-b16-pretrain · bob · 16 cores, 4 GPUs"
    QString taskLine(qint64 id) const;
    QString taskLabel(qint64 id) const; // "7391… (name)"
    std::optional<TaskDetails> taskOf(qint64 id) const;
    std::optional<FitCheck> fitOf(const TaskDetails &task) const;
    QString selectionSummary(const QList<qint64> &ids) const;

    Options m_options;
    ApprovalQueueModel *m_model = nullptr;
    TaskReviewPane *m_pane = nullptr;
    InlineBanner *m_decisionsBanner = nullptr;
    InlineBanner *m_queueNote = nullptr;
    std::unique_ptr<QSettings> m_templateSettings;

    bool m_decisionsAvailable = false;
    QString m_whyNot;
    QHash<qint64, Decision> m_inFlight;
    QSet<qint64> m_decidedHere; // answered by the host (or gone): not "left elsewhere"
    QHash<qint64, QString> m_labels; // labels of tasks asked about, for answers after they left
    int m_batchApproved = 0;
    int m_batchRejected = 0;
    int m_batchOther = 0; // answers for requests this page did not make
    QStringList m_batchGone;
    QStringList m_batchFailed;
    struct FailedDecision
    {
        qint64 taskId = 0;
        Decision decision = Decision::Approve;
        QString reason;
    };
    QList<FailedDecision> m_retry; // failures of the last batch, for Retry
    QHash<qint64, QString> m_reasons; // rejection reasons of the tasks in flight

    // The nodes as last read, for the fit check.
    std::optional<QList<NodeState>> m_nodes;
    QString m_nodesError;
    quint64 m_nodesGeneration = 0;

    // The selection as last seen, to move it on when its tasks leave the queue.
    QList<qint64> m_selection;
    QHash<qint64, QString> m_selectionLabels;
    int m_selectionRow = -1;
    bool m_movingSelection = false;
    bool m_seenFirstQueue = false;
    QVariantList m_paneKey; // what the pane shows, to leave it alone when nothing changed

    QAction *m_approveAction = nullptr;
    QAction *m_rejectAction = nullptr;
    QAction *m_historyAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_selectAllAction = nullptr;
    QAction *m_refreshAction = nullptr;
};

} // namespace rk
