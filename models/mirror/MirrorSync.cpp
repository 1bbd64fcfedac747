#include "MirrorSync.h"

#include "MirrorLogging.h"
#include "host/HostClient.h"

#include <QCoreApplication>
#include <QDate>
#include <QSet>

namespace rk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::MirrorSync", text);
}

QString stepText(MirrorDataset dataset)
{
    return tr("Fetching %1").arg(mirrordataset::displayName(dataset));
}

} // namespace

MirrorSync::MirrorSync(HostClient *client, HostMirror *mirror, QObject *parent)
    : QObject(parent), m_client(client), m_mirror(mirror)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &MirrorSync::sync);
}

MirrorSync::~MirrorSync()
{
    // Cancelling emits the jobs' finished() at once; the generation drops those callbacks.
    ++m_generation;
    const auto jobs = m_jobs + m_logJobs;
    m_jobs.clear();
    m_logJobs.clear();
    for (const QPointer<HostJob> &job : jobs) {
        if (job) {
            job->disconnect(this);
            job->cancel();
        }
    }
}

std::optional<hosttime::Instant> MirrorSync::lastSynced() const
{
    return m_mirror ? m_mirror->lastSynced() : std::nullopt;
}

QString MirrorSync::formatStatus(
    State state, const std::optional<hosttime::Instant> &lastSynced, const hosttime::Instant &now)
{
    QString when;
    if (lastSynced) {
        const QDateTime at = lastSynced->toDateTime();
        // HH:MM for today; with the date for anything older, so "14:05" is never yesterday's.
        when = at.date() == now.toDateTime().date() ? at.toString(QStringLiteral("HH:mm"))
                                                    : at.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    switch (state) {
    case State::Idle: return lastSynced ? tr("Last synced %1").arg(when) : tr("Not synced yet");
    case State::Syncing: return tr("Syncing…");
    case State::Online: return lastSynced ? tr("Online, synced %1").arg(when) : tr("Online");
    case State::Offline:
        return lastSynced ? tr("Offline, last synced %1").arg(when) : tr("Offline, never synced");
    case State::AuthFailed: return tr("Signed out: the host does not accept this profile's credential");
    }
    return {};
}

QString MirrorSync::statusText() const
{
    return formatStatus(m_state, lastSynced());
}

void MirrorSync::setInterval(int ms)
{
    m_intervalMs = qMax(0, ms);
    if (m_intervalMs == 0)
        m_timer.stop();
    else if (!m_running)
        m_timer.start(m_intervalMs);
}

void MirrorSync::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

// --- running ----------------------------------------------------------------------------------

void MirrorSync::sync()
{
    if (m_running) {
        m_again = true;
        return;
    }
    start();
}

void MirrorSync::start()
{
    m_timer.stop();
    m_running = true;
    ++m_generation;
    m_stateBefore = m_state;
    m_role = Role::Anony;
    m_steps.clear();
    m_stepIndex = 0;
    m_failures.clear();
    m_firstFailure.reset();
    m_tasks.clear();
    m_pending.clear();
    m_resolved.clear();
    m_leftovers.clear();
    m_vps.clear();
    m_assignmentQueue.clear();
    m_assignments.clear();
    m_pendingComplete = false;
    setState(State::Syncing);
    if (!m_client || !m_mirror) {
        finish(
            State::Offline, Error::make(Error::Code::Internal, tr("The sync has no host client or mirror.")));
        return;
    }
    Q_EMIT progress(0, 1, tr("Checking the account"));
    fetchMe();
}

void MirrorSync::cancel()
{
    if (!m_running)
        return;
    m_again = false;
    ++m_generation;
    const auto jobs = m_jobs;
    m_jobs.clear();
    for (const QPointer<HostJob> &job : jobs) {
        if (job)
            job->cancel();
    }
    qCInfo(lcMirror) << "sync cancelled";
    finish(m_stateBefore, Error::make(Error::Code::Cancelled, tr("The sync was cancelled.")));
}

void MirrorSync::finish(State state, Status status)
{
    ++m_generation;
    m_running = false;
    m_lastStatus = status;
    setState(state);
    if (status.ok())
        Q_EMIT progress(
            static_cast<int>(m_steps.size()) + 1, static_cast<int>(m_steps.size()) + 1, tr("Done"));
    else
        qCInfo(lcMirror) << "sync ended:" << status.error().message;
    Q_EMIT finished(status);
    if (m_running)
        return; // a receiver started the next sync already
    if (m_again) {
        m_again = false;
        // From the event loop, so the receivers of finished() see this sync as ended.
        QTimer::singleShot(0, this, [this] {
            if (!m_running)
                start();
        });
    } else if (m_intervalMs > 0) {
        m_timer.start(m_intervalMs);
    }
}

void MirrorSync::runNextStep()
{
    const int total = static_cast<int>(m_steps.size()) + 1;
    if (m_stepIndex >= m_steps.size()) {
        if (m_failures.isEmpty()) {
            finish(State::Online, {});
        } else {
            finish(State::Online,
                Error::make(
                    m_firstFailure.value_or(Error::Code::Internal), m_failures.join(QLatin1Char('\n'))));
        }
        return;
    }
    const Step step = m_steps.at(m_stepIndex);
    switch (step) {
    case Step::Users:
        Q_EMIT progress(m_stepIndex + 1, total, stepText(MirrorDataset::Users));
        fetchUsers();
        break;
    case Step::Invitations:
        Q_EMIT progress(m_stepIndex + 1, total, stepText(MirrorDataset::Invitations));
        fetchInvitations();
        break;
    case Step::Tasks:
        Q_EMIT progress(m_stepIndex + 1, total, stepText(MirrorDataset::Tasks));
        fetchTasksPage(0);
        break;
    case Step::Vps:
        Q_EMIT progress(m_stepIndex + 1, total, stepText(MirrorDataset::Vps));
        fetchVps();
        break;
    case Step::Pending:
        Q_EMIT progress(m_stepIndex + 1, total, stepText(MirrorDataset::PendingApprovals));
        fetchPendingPage(0);
        break;
    case Step::Nodes:
        Q_EMIT progress(m_stepIndex + 1, total, stepText(MirrorDataset::Nodes));
        fetchNodes();
        break;
    }
}

void MirrorSync::stepDone()
{
    ++m_stepIndex;
    runNextStep();
}

MirrorSync::Failure MirrorSync::classify(const HostError &error)
{
    switch (error.kind) {
    case HostError::Kind::Network:
    case HostError::Kind::Timeout: return Failure::Offline;
    case HostError::Kind::Http:
        if (error.httpStatus == 401)
            return Failure::Auth;
        // A gateway's bare 502/503/504 means the host behind it is down; the host's own 503
        // carries a detail ("No suitable node available") and is a dataset failure.
        if ((error.httpStatus == 502 || error.httpStatus == 503 || error.httpStatus == 504)
            && error.detail.isEmpty())
            return Failure::Offline;
        return Failure::Other;
    default: return Failure::Other;
    }
}

bool MirrorSync::stopsSync(const HostError &error)
{
    switch (classify(error)) {
    case Failure::Offline: finish(State::Offline, error.error); return true;
    case Failure::Auth:
        finish(State::AuthFailed,
            Error::make(Error::Code::Refused,
                tr("The host no longer accepts this profile's credential (%1). Sign in again.")
                    .arg(error.message())));
        return true;
    case Failure::Other: return false;
    }
    return false;
}

void MirrorSync::datasetFailed(MirrorDataset dataset, const Error &error)
{
    qCWarning(lcMirror) << "dataset" << mirrordataset::key(dataset) << "not updated:" << error.message;
    if (!m_firstFailure)
        m_firstFailure = error.code;
    m_failures.append(
        tr("The %1 could not be updated: %2").arg(mirrordataset::displayName(dataset), error.message));
}

void MirrorSync::applied(MirrorDataset dataset, const Status &status)
{
    if (status.ok())
        Q_EMIT datasetUpdated(dataset);
    else
        datasetFailed(dataset, status.error());
    stepDone();
}

template<typename T, typename Fn> void MirrorSync::watch(HostCall<T> *job, Fn onDone)
{
    m_jobs.append(QPointer<HostJob>(job));
    const quint64 generation = m_generation;
    connect(job, &HostJob::finished, this, [this, generation, job, onDone = std::move(onDone)]() mutable {
        m_jobs.removeAll(QPointer<HostJob>(job));
        if (generation != m_generation)
            return;
        onDone(job);
    });
}

// --- logs and audit -------------------------------------------------------------------------

void MirrorSync::fetchTaskLog(qint64 taskId, TaskLogStream stream, int lines)
{
    if (!m_client || !m_mirror) {
        QTimer::singleShot(0, this, [this, taskId, stream] {
            Q_EMIT taskLogFetched(taskId, stream,
                Error::make(Error::Code::Internal, tr("The sync has no host client or mirror.")));
        });
        return;
    }
    HostCall<QString> *job = stream == TaskLogStream::Stdout ? m_client->taskStdout(taskId, lines)
                                                             : m_client->taskStderr(taskId, lines);
    m_logJobs.append(QPointer<HostJob>(job));
    connect(job, &HostJob::finished, this, [this, job, taskId, stream, lines] {
        m_logJobs.removeAll(QPointer<HostJob>(job));
        Status status;
        if (const QString *text = job->value())
            status = m_mirror->storeTaskLog(taskId, stream, *text, lines);
        else if (const HostError *e = job->hostError())
            status = e->error; // offline or refused: the stored tail, if any, stays
        Q_EMIT taskLogFetched(taskId, stream, status);
    });
}

void MirrorSync::auditAction(HostJob *job, const QString &action, const QString &target)
{
    if (!job || !m_mirror)
        return;
    connect(job, &HostJob::finished, this, [this, job, action, target] {
        const auto account = m_mirror->account();
        const QString actor = account ? account->username : tr("(unknown)");
        const HostError *e = job->hostError();
        if (auto st
            = m_mirror->recordAction(actor, action, target, e == nullptr, e ? e->message() : QString());
            !st)
            qCWarning(lcMirror) << "could not audit" << action << ":" << st.error().message;
    });
}

// --- steps ------------------------------------------------------------------------------------

void MirrorSync::fetchMe()
{
    watch(m_client->me(), [this](HostCall<HostUser> *job) {
        HostUser me;
        if (const HostError *e = job->hostError()) {
            // With AUTH_ENABLED off the host answers /me with its own 503 and treats every
            // request as admin (the dashboard then acts as admin too).
            if (e->kind == HostError::Kind::Http && e->httpStatus == 503 && !e->detail.isEmpty()) {
                me.id = 0;
                me.username = QStringLiteral("_system");
                me.role = QStringLiteral("admin");
            } else {
                if (!stopsSync(*e))
                    finish(State::Offline, e->error);
                return;
            }
        } else {
            me = *job->value();
        }
        if (me.isAnonymous()) {
            finish(State::AuthFailed,
                Error::make(Error::Code::Refused,
                    tr("The host does not accept this profile's credential: it answers as an anonymous "
                       "user. Sign in again.")));
            return;
        }
        m_role = me.roleLevel();
        MirrorAccount account;
        account.baseUrl = m_client->baseUrl().toString();
        account.userId = me.id;
        account.username = me.username;
        account.role = me.role;
        // Another host or another account: what the mirror holds was fetched as someone else.
        const auto previous = m_mirror->account();
        const QString baseUrl = HostMirror::storedBaseUrl(m_client->baseUrl());
        if (previous && (previous->baseUrl != baseUrl || previous->username != me.username)) {
            qCInfo(lcMirror) << "the profile now reaches another host or account: emptying the mirror";
            if (auto st = m_mirror->clearAll(); !st) {
                finish(State::Online, st.error());
                return;
            }
            for (MirrorDataset dataset : mirrordataset::all())
                Q_EMIT datasetUpdated(dataset);
        }
        if (auto st = m_mirror->storeAccount(account); !st) {
            finish(State::Online, st.error());
            return;
        }
        const bool operatorPlus = roles::atLeast(m_role, Role::Operator);
        const bool admin = roles::atLeast(m_role, Role::Admin);
        const bool viewerPlus = roles::atLeast(m_role, Role::Viewer);
        // What this account may no longer read does not stay readable offline either.
        QList<MirrorDataset> forbidden;
        if (!operatorPlus)
            forbidden << MirrorDataset::Users << MirrorDataset::PendingApprovals;
        if (!admin)
            forbidden << MirrorDataset::Invitations;
        if (!viewerPlus)
            forbidden << MirrorDataset::Tasks << MirrorDataset::Vps;
        for (MirrorDataset dataset : std::as_const(forbidden)) {
            if (m_mirror->lastSynced(dataset)) {
                if (auto st = m_mirror->clearDataset(dataset); !st)
                    datasetFailed(dataset, st.error());
                else
                    Q_EMIT datasetUpdated(dataset);
            }
        }
        if (operatorPlus)
            m_steps << Step::Users;
        if (admin)
            m_steps << Step::Invitations;
        // Tasks and VPS before the queue: tasks that left it are then mostly up to date already.
        if (viewerPlus)
            m_steps << Step::Tasks << Step::Vps;
        if (operatorPlus)
            m_steps << Step::Pending;
        m_steps << Step::Nodes;
        runNextStep();
    });
}

void MirrorSync::fetchUsers()
{
    watch(m_client->users(), [this](HostCall<QList<HostUser>> *job) {
        if (const HostError *e = job->hostError()) {
            if (!stopsSync(*e)) {
                datasetFailed(MirrorDataset::Users, e->error);
                stepDone();
            }
            return;
        }
        applied(MirrorDataset::Users, m_mirror->storeUsers(*job->value()));
    });
}

void MirrorSync::fetchInvitations()
{
    watch(m_client->invitations(), [this](HostCall<QList<HostInvitation>> *job) {
        if (const HostError *e = job->hostError()) {
            if (!stopsSync(*e)) {
                datasetFailed(MirrorDataset::Invitations, e->error);
                stepDone();
            }
            return;
        }
        applied(MirrorDataset::Invitations, m_mirror->storeInvitations(*job->value()));
    });
}

void MirrorSync::fetchTasksPage(int page)
{
    HostTaskQuery query;
    query.limit = qMax(1, m_options.taskPageSize);
    query.offset = page * query.limit;
    watch(m_client->tasks(query), [this, page, limit = query.limit](HostCall<QList<HostTask>> *job) {
        if (const HostError *e = job->hostError()) {
            if (!stopsSync(*e)) {
                datasetFailed(MirrorDataset::Tasks, e->error);
                stepDone();
            }
            return;
        }
        const QList<HostTask> &tasks = *job->value();
        m_tasks += tasks;
        if (tasks.size() >= limit && page + 1 < m_options.taskPages) {
            fetchTasksPage(page + 1);
            return;
        }
        applied(MirrorDataset::Tasks, m_mirror->storeTasks(m_tasks));
    });
}

void MirrorSync::fetchVps()
{
    watch(m_client->vpsList(), [this](HostCall<QList<HostVps>> *job) {
        if (const HostError *e = job->hostError()) {
            if (!stopsSync(*e)) {
                datasetFailed(MirrorDataset::Vps, e->error);
                stepDone();
            }
            return;
        }
        m_vps = *job->value();
        m_assignments.clear();
        m_assignmentQueue.clear();
        if (roles::atLeast(m_role, Role::Operator)) {
            for (const HostVps &v : std::as_const(m_vps)) {
                if (m_assignmentQueue.size() >= m_options.maxVpsAssignmentFetches)
                    break;
                m_assignmentQueue.append(v.taskId);
            }
        }
        fetchNextAssignments();
    });
}

void MirrorSync::fetchNextAssignments()
{
    if (m_assignmentQueue.isEmpty()) {
        applied(MirrorDataset::Vps, m_mirror->storeVps(m_vps, m_assignments));
        return;
    }
    const qint64 id = m_assignmentQueue.takeFirst();
    watch(m_client->vpsAssignments(id), [this, id](HostCall<HostVpsAssignments> *job) {
        if (const HostError *e = job->hostError()) {
            // A VPS deleted meanwhile (404) or a bad answer: its assignees come from the list.
            if (stopsSync(*e))
                return;
        } else if (job->value()->taskId == id) {
            m_assignments.insert(id, *job->value());
        }
        fetchNextAssignments();
    });
}

void MirrorSync::fetchPendingPage(int page)
{
    const int limit = qMax(1, m_options.pendingPageSize);
    watch(
        m_client->pendingApprovals(limit, page * limit), [this, page, limit](HostCall<QList<HostTask>> *job) {
            if (const HostError *e = job->hostError()) {
                if (!stopsSync(*e)) {
                    datasetFailed(MirrorDataset::PendingApprovals, e->error);
                    stepDone();
                }
                return;
            }
            const QList<HostTask> &tasks = *job->value();
            m_pending += tasks;
            if (tasks.size() < limit) {
                m_pendingComplete = true;
                resolveLeftovers();
            } else if (page + 1 < m_options.maxPendingPages) {
                fetchPendingPage(page + 1);
            } else {
                // Not read to its end: nothing can be concluded about the tasks not seen.
                m_pendingComplete = false;
                applied(MirrorDataset::PendingApprovals, m_mirror->storePendingApprovals(m_pending, false));
            }
        });
}

void MirrorSync::resolveLeftovers()
{
    auto mirrored = m_mirror->pendingApprovalIds();
    if (!mirrored) {
        applied(MirrorDataset::PendingApprovals, mirrored.error());
        return;
    }
    QSet<qint64> listed;
    for (const HostTask &t : std::as_const(m_pending))
        listed.insert(t.taskId);
    m_leftovers.clear();
    for (qint64 id : std::as_const(*mirrored)) {
        if (!listed.contains(id) && m_leftovers.size() < m_options.maxResolvedTasks)
            m_leftovers.append(id);
    }
    resolveNext();
}

void MirrorSync::resolveNext()
{
    if (m_leftovers.isEmpty()) {
        applied(MirrorDataset::PendingApprovals,
            m_mirror->storePendingApprovals(m_pending, m_pendingComplete, m_resolved));
        return;
    }
    const qint64 id = m_leftovers.takeFirst();
    watch(m_client->task(id), [this](HostCall<HostTask> *job) {
        if (const HostError *e = job->hostError()) {
            // 404 or a malformed answer: the task is left unresolved (see storePendingApprovals).
            if (stopsSync(*e))
                return;
        } else {
            m_resolved.append(*job->value());
        }
        resolveNext();
    });
}

void MirrorSync::fetchNodes()
{
    watch(m_client->nodes(), [this](HostCall<QList<HostNode>> *job) {
        if (const HostError *e = job->hostError()) {
            if (!stopsSync(*e)) {
                datasetFailed(MirrorDataset::Nodes, e->error);
                stepDone();
            }
            return;
        }
        applied(MirrorDataset::Nodes, m_mirror->storeNodes(*job->value()));
    });
}

} // namespace rk
