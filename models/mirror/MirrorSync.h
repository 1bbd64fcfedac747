#pragma once

#include "core/HostTime.h"
#include "core/Result.h"
#include "core/Role.h"
#include "host/HostTaskTypes.h"
#include "mirror/HostMirror.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace rk {

class HostClient;
class HostJob;
struct HostError;
template<typename T> class HostCall;

// Fills a HostMirror from a HostClient: one sync is GET /api/auth/me, then, as the account's
// role allows, users (operator+), invitations (admin), tasks (the first Options::taskPages
// pages of GET /api/tasks), VPS (viewer+), the approval queue (operator+) and nodes (no auth).
// Datasets the role may not read any more are emptied in the mirror.
//
// - /me answering the anonymous pseudo-user (a credential the host does not accept) or any 401
//   stops the sync: AuthFailed, the mirror untouched from there on.
// - An unreachable host (refused, timeout, a gateway's bare 502/503/504) stops it: Offline, and
//   what the mirror holds stays as it was (lastSynced() says since when). So does any other
//   failure of /me itself (an untrusted certificate, a malformed answer), with that error.
// - A host with AUTH_ENABLED off answers /me with its own 503: synced as its mock admin
//   ("_system"), as the host treats every request then.
// - Any other failure of one dataset (malformed or hostile JSON, 403, 500) leaves that dataset's
//   rows as they were; the others are still synced, and finished() reports the failures.
// - Tasks that left the approval queue since the last sync are fetched one by one
//   (GET /api/status/{id}, at most Options::maxResolvedTasks) so the mirror shows their real
//   state; see HostMirror::storePendingApprovals() for the ones it cannot resolve.
//
// Never overlapping: sync() while a sync runs schedules exactly one more after it (coalesced).
// Periodic when setInterval() > 0: the next sync starts that long after the previous ended.
// Everything runs on the caller's thread from its event loop (jobs, mirror writes: short
// transactions; a commit may wait up to HostMirror::kBusyTimeoutMs for a model's read on the
// same file to end); no nested event loop. The client and the mirror must outlive this object.
class MirrorSync : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Idle, // no sync since this object was made (the mirror may hold older data)
        Syncing,
        Online, // the last sync reached the host (some datasets may have failed: lastStatus())
        Offline, // the host was unreachable; the mirror holds what lastSynced() says
        AuthFailed, // the host does not accept the credential (or no longer does)
    };
    Q_ENUM(State)

    struct Options
    {
        int taskPages = 3; // pages of GET /api/tasks per sync
        int taskPageSize = 100;
        int pendingPageSize = 100;
        int maxPendingPages = 10; // beyond this the queue counts as not read completely
        int maxResolvedTasks = 50; // tasks that left the queue, fetched one by one per sync
        // Operator+: the assignments of at most this many VPS (newest first) are fetched one by
        // one for their assignment times; the others come from the VPS list. 0: none.
        int maxVpsAssignmentFetches = 50;
    };

    MirrorSync(HostClient *client, HostMirror *mirror, QObject *parent = nullptr);
    ~MirrorSync() override;

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }

    State state() const { return m_state; }
    bool isSyncing() const { return m_running; }
    // The outcome of the last sync that ended (ok before the first).
    const Status &lastStatus() const { return m_lastStatus; }
    // The mirror's latest sync time of any dataset (survives restarts).
    std::optional<hosttime::Instant> lastSynced() const;
    // "Offline, last synced 14:05", "Online, synced 14:05", "Syncing…", ... (translated).
    QString statusText() const;
    static QString formatStatus(State state, const std::optional<hosttime::Instant> &lastSynced,
        const hosttime::Instant &now = hosttime::Instant::now());

    // Periodic syncs every `ms` after the previous one ended; 0 or less: on demand only.
    void setInterval(int ms);
    int interval() const { return m_intervalMs; }

    // Fetches the tail of a task's log (GET /api/tasks/{id}/stdout or /stderr: role user+, and a
    // user only for their own tasks; `lines` <= 0: the whole file) and stores it in the mirror,
    // where the task's page reads it offline. Independent of sync(): neither coalesced nor
    // cancelled with it. Ends with taskLogFetched().
    void fetchTaskLog(qint64 taskId, rk::TaskLogStream stream, int lines = 100);
    // Records in the mirror's audit, when `job` (an action the caller sent through the host:
    // approve, reject, kill, ...) finishes: the mirror's account as the actor, `action` on
    // `target`, now, and the result (the error message as the detail). Call it before returning
    // to the event loop, as for any job.
    void auditAction(HostJob *job, const QString &action, const QString &target);

public Q_SLOTS:
    // Starts a sync, or while one runs, asks for one more after it. Ends with finished().
    void sync();
    // Aborts the running sync: its jobs are cancelled, datasets already written stay, the one in
    // flight keeps its previous rows. Emits finished() with a Cancelled error. No-op when idle.
    void cancel();

Q_SIGNALS:
    void stateChanged(rk::MirrorSync::State state);
    // `done` of `total` steps; `step` is a translated description of the next one.
    void progress(int done, int total, const QString &step);
    // A dataset was written to the mirror (models over the mirror should refresh()).
    void datasetUpdated(rk::MirrorDataset dataset);
    // Exactly once per sync: ok, or the first failure's code with every failure's message.
    void finished(const rk::Status &status);
    void taskLogFetched(qint64 taskId, rk::TaskLogStream stream, const rk::Status &status);

private:
    enum class Step { Users, Invitations, Tasks, Vps, Pending, Nodes };
    enum class Failure { Offline, Auth, Other };

    void start();
    void runNextStep();
    void stepDone();
    void finish(State state, Status status);
    void setState(State state);
    void datasetFailed(MirrorDataset dataset, const Error &error);
    void applied(MirrorDataset dataset, const Status &status);
    // Stops the sync for an unreachable host or a rejected credential; false for other failures.
    bool stopsSync(const HostError &error);
    static Failure classify(const HostError &error);

    template<typename T, typename Fn> void watch(HostCall<T> *job, Fn onDone);

    void fetchMe();
    void fetchUsers();
    void fetchInvitations();
    void fetchTasksPage(int page);
    void fetchVps();
    void fetchNextAssignments();
    void fetchPendingPage(int page);
    void resolveLeftovers();
    void resolveNext();
    void fetchNodes();

    QPointer<HostClient> m_client;
    HostMirror *m_mirror = nullptr;
    Options m_options;
    State m_state = State::Idle;
    State m_stateBefore = State::Idle;
    Status m_lastStatus;
    bool m_running = false;
    bool m_again = false;
    quint64 m_generation = 0; // callbacks of an earlier (cancelled, finished) sync are dropped
    QList<QPointer<HostJob>> m_jobs;
    QList<QPointer<HostJob>> m_logJobs; // fetchTaskLog(): outside the sync's generation
    QTimer m_timer;
    int m_intervalMs = 0;

    // The sync in progress.
    Role m_role = Role::Anony;
    QList<Step> m_steps;
    int m_stepIndex = 0;
    QStringList m_failures;
    std::optional<Error::Code> m_firstFailure;
    QList<HostTask> m_tasks;
    QList<HostTask> m_pending;
    QList<HostTask> m_resolved;
    QList<qint64> m_leftovers;
    QList<HostVps> m_vps;
    QList<qint64> m_assignmentQueue;
    QHash<qint64, HostVpsAssignments> m_assignments;
    bool m_pendingComplete = false;
};

} // namespace rk
