#include "PendingApprovalsWatch.h"

#include "host/HostClient.h"
#include "services/DataVersionWatcher.h"
#include "services/Poller.h"
#include "store/PlatformStore.h"
#include "tasks/TaskDetails.h"
#include "tasks/TaskStatus.h"

#include <vector>

namespace rk {

namespace {

PendingTask fromHost(const HostTask &task)
{
    // TaskDetails words the summary the same way for both sources.
    TaskDetails details;
    details.id = task.taskId;
    details.type = task.taskType;
    details.command = task.command;
    details.arguments.value = task.arguments;
    details.containerName = task.containerName;
    details.dockerImage = task.dockerImageName;
    details.vpsBackend = task.vpsBackend;
    details.vmImage = task.vmImage;

    PendingTask out;
    out.id = task.taskId;
    out.type = task.taskType;
    out.submitter = task.ownerUsername;
    out.name = task.name;
    out.summary = details.summary();
    out.submitted = task.submittedAt ? task.submittedAt->toDateTime() : QDateTime();
    return out;
}

PendingTask fromDetails(const TaskDetails &details)
{
    PendingTask out;
    out.id = details.id;
    out.type = details.type;
    out.submitter = details.owner;
    out.name = details.name;
    out.summary = details.summary();
    out.submitted = details.submitted();
    return out;
}

// Newest first; the id breaks ties (snowflakes grow with time).
const QString kOrder = QStringLiteral(" ORDER BY t.submitted_at DESC, t.task_id DESC");

} // namespace

PendingApprovalsWatch::PendingApprovalsWatch(
    Mode mode, std::unique_ptr<PollScheduler> scheduler, QObject *parent)
    : QObject(parent), m_mode(mode)
{
    m_poller = std::make_unique<Poller>(
        [this](Poller::Completion done) { check(std::move(done)); }, std::move(scheduler));
}

PendingApprovalsWatch::PendingApprovalsWatch(
    HostClient *client, std::unique_ptr<PollScheduler> scheduler, QObject *parent)
    : PendingApprovalsWatch(Mode::Host, std::move(scheduler), parent)
{
    m_client = client;
}

Result<std::unique_ptr<PendingApprovalsWatch>> PendingApprovalsWatch::openDatabase(
    const QString &path, std::unique_ptr<PollScheduler> scheduler, int busyTimeoutMs, QObject *parent)
{
    auto store = PlatformStore::open(path, PlatformStore::Access::ReadOnly, busyTimeoutMs);
    if (!store)
        return store.error();
    std::unique_ptr<PendingApprovalsWatch> watch(
        new PendingApprovalsWatch(Mode::Database, std::move(scheduler), parent));
    watch->m_store = std::move(store).value();
    // The watch only reads through this store, so every commit it sees is another connection's.
    watch->m_watcher = std::make_unique<DataVersionWatcher>(watch->m_store.get());
    Result<std::unique_ptr<PendingApprovalsWatch>> out(std::move(watch));
    return out;
}

PendingApprovalsWatch::~PendingApprovalsWatch()
{
    if (m_job) {
        m_job->disconnect(this);
        m_job->cancel();
    }
}

void PendingApprovalsWatch::setInterval(int ms)
{
    m_poller->setInterval(ms);
}

void PendingApprovalsWatch::setMaxInterval(int ms)
{
    m_poller->setMaxInterval(ms);
}

void PendingApprovalsWatch::setNewestLimit(int limit)
{
    m_newestLimit = qMax(1, limit);
}

void PendingApprovalsWatch::start()
{
    m_poller->start();
}

void PendingApprovalsWatch::stop()
{
    m_poller->stop();
    if (m_job)
        m_job->cancel(); // its completion sees Cancelled and leaves the state alone
    setState(State::Disconnected);
}

void PendingApprovalsWatch::refresh()
{
    m_reloadNeeded = true;
    m_poller->pollNow();
}

void PendingApprovalsWatch::check(std::function<void(bool)> done)
{
    if (m_mode == Mode::Host)
        pollHost(std::move(done));
    else
        checkDatabase(done);
}

void PendingApprovalsWatch::pollHost(std::function<void(bool)> done)
{
    if (!m_client) {
        setState(State::Disconnected, tr("There is no connection to a host."));
        done(false);
        return;
    }
    fetchPage(0, std::make_shared<Snapshot>(), std::move(done));
}

void PendingApprovalsWatch::fetchPage(
    int page, std::shared_ptr<Snapshot> snapshot, std::function<void(bool)> done)
{
    HostCall<QList<HostTask>> *job = m_client->pendingApprovals(kPageSize, page * kPageSize);
    m_job = job;
    // The client going away deletes its jobs without a finished(); the poll must still end, or
    // the poller would wait for it for ever.
    auto answered = std::make_shared<bool>(false);
    connect(job, &QObject::destroyed, this, [this, answered, done]() {
        if (*answered)
            return;
        m_job = nullptr;
        setState(State::Disconnected, tr("The connection to the host was closed."));
        done(false);
    });
    job->onFinished(this, [this, page, snapshot, done, answered](const Result<QList<HostTask>> &result) {
        *answered = true;
        m_job = nullptr;
        if (!result) {
            const Error &error = result.error();
            if (error.code != Error::Code::Cancelled) {
                // Refused: signed out, a role below operator, an untrusted certificate. Waiting
                // will not help, unlike an unreachable host.
                setState(
                    error.code == Error::Code::Refused ? State::Disconnected : State::Offline, error.message);
            }
            done(false);
            return;
        }
        const QList<HostTask> &tasks = result.value();
        for (const HostTask &task : tasks) {
            // The queue may move between pages: a task can show up on two of them.
            if (snapshot->ids.contains(task.taskId))
                continue;
            snapshot->ids.append(task.taskId);
            if (snapshot->newest.size() < m_newestLimit)
                snapshot->newest.append(fromHost(task));
        }
        if (tasks.size() >= kPageSize && page + 1 < kMaxPages && m_client) {
            fetchPage(page + 1, snapshot, done);
            return;
        }
        apply(*snapshot);
        done(true);
    });
}

void PendingApprovalsWatch::checkDatabase(const std::function<void(bool)> &done)
{
    const bool changedOutside = m_watcher->checkNow();
    if (!changedOutside && !m_reloadNeeded) {
        done(true);
        return;
    }
    Result<Snapshot> snapshot = readDatabase();
    if (!snapshot) {
        m_reloadNeeded = true; // the change is still unread
        setState(State::Offline, snapshot.error().message);
        done(false);
        return;
    }
    m_reloadNeeded = false;
    apply(snapshot.value());
    done(true);
}

Result<PendingApprovalsWatch::Snapshot> PendingApprovalsWatch::readDatabase()
{
    SqliteDatabase &db = m_store->database();
    Snapshot snapshot;
    const Status read = db.readTransaction([&]() -> Status {
        auto ids = db.prepare(QStringLiteral("SELECT t.task_id FROM tasks t WHERE t.status = ?1") + kOrder);
        if (!ids)
            return ids.error();
        ids->bind(1, TaskStatus::kPendingApproval);
        for (;;) {
            const Result<bool> step = ids->step();
            if (!step)
                return step.error();
            if (!step.value())
                break;
            snapshot.ids.append(ids->int64(0));
        }

        QString joins;
        for (const TableJoin &join : TaskDetails::sqlJoins())
            joins += QLatin1Char(' ') + join.clause;
        auto rows = db.prepare(QStringLiteral("SELECT t.task_id, ")
            + TaskDetails::sqlFields().join(QStringLiteral(", ")) + QStringLiteral(" FROM tasks t") + joins
            + QStringLiteral(" WHERE t.status = ?1") + kOrder + QStringLiteral(" LIMIT ?2"));
        if (!rows)
            return rows.error();
        rows->bind(1, TaskStatus::kPendingApproval).bind(2, m_newestLimit);
        for (;;) {
            const Result<bool> step = rows->step();
            if (!step)
                return step.error();
            if (!step.value())
                break;
            std::vector<QVariant> values(size_t(rows->columnCount()));
            for (int i = 0; i < rows->columnCount(); ++i)
                values[size_t(i)] = rows->value(i);
            snapshot.newest.append(fromDetails(TaskDetails::fromValues(rows->int64(0), values, 1)));
        }
        return {};
    });
    if (!read)
        return read.error();
    return snapshot;
}

void PendingApprovalsWatch::apply(const Snapshot &snapshot)
{
    const bool first = !m_loaded;
    QList<qint64> arrivedIds;
    if (!first) {
        for (const qint64 id : snapshot.ids) {
            if (!m_known.contains(id))
                arrivedIds.append(id);
        }
    }
    const int count = int(snapshot.ids.size());
    const bool differs = first || count != m_count || snapshot.newest != m_newest;
    m_known = QSet<qint64>(snapshot.ids.cbegin(), snapshot.ids.cend());
    m_count = count;
    m_newest = snapshot.newest;
    m_loaded = true;
    ++m_loadCount;
    setState(State::Online);
    if (differs)
        Q_EMIT changed(m_count, m_newest);
    if (!arrivedIds.isEmpty())
        Q_EMIT arrived(arrivedIds);
    Q_EMIT loaded();
}

void PendingApprovalsWatch::setState(State state, const QString &error)
{
    m_lastError = state == State::Online ? QString() : error;
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace rk
