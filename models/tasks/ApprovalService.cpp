#include "ApprovalService.h"

#include "connection/Capabilities.h"
#include "host/HostClient.h"

namespace rk {

ApprovalService::ApprovalService(HostClient *client, QObject *parent) : QObject(parent), m_client(client)
{
}

ApprovalService::~ApprovalService() = default;

void ApprovalService::setHostClient(HostClient *client)
{
    m_client = client;
}

HostClient *ApprovalService::hostClient() const
{
    return m_client.data();
}

QString ApprovalService::unavailableReason() const
{
    if (canDecide())
        return {};
    return Capabilities::database().reason(Feature::ApproveTasks);
}

void ApprovalService::approve(const QList<qint64> &ids)
{
    enqueue(ids, true, QString());
}

void ApprovalService::reject(const QList<qint64> &ids, const QString &reason)
{
    enqueue(ids, false, reason);
}

void ApprovalService::enqueue(const QList<qint64> &ids, bool approve, const QString &reason)
{
    for (const qint64 id : ids) {
        if (m_busy.contains(id))
            continue;
        m_busy.insert(id);
        m_queue.push_back(Request {id, approve, reason});
    }
    // Even an empty request ends with allFinished(), so every call has an end.
    m_needsAllFinished = true;
    scheduleDrain();
}

void ApprovalService::scheduleDrain()
{
    if (m_drainScheduled)
        return;
    m_drainScheduled = true;
    QMetaObject::invokeMethod(this, &ApprovalService::drain, Qt::QueuedConnection);
}

void ApprovalService::drain()
{
    m_drainScheduled = false;
    while (int(m_running.size()) < kMaxInFlight && !m_queue.empty()) {
        const Request request = m_queue.front();
        m_queue.pop_front();
        start(request);
    }
    if (m_running.isEmpty() && m_queue.empty() && m_needsAllFinished) {
        m_needsAllFinished = false;
        Q_EMIT allFinished();
    }
}

void ApprovalService::start(const Request &request)
{
    if (!m_client) {
        report(request, Outcome::Failed, unavailableReason());
        return;
    }
    HostJob *job = request.approve
        ? static_cast<HostJob *>(m_client->approveTask(request.taskId))
        : static_cast<HostJob *>(m_client->rejectTask(request.taskId, request.reason));
    m_running.insert(job, request);
    connect(job, &HostJob::finished, this, &ApprovalService::finish);
    // The client going away deletes its jobs without a finished(): the task must still end.
    connect(job, &QObject::destroyed, this, [this, job]() {
        const auto it = m_running.find(job);
        if (it == m_running.end())
            return;
        const Request lost = it.value();
        m_running.erase(it);
        report(lost, Outcome::Failed, tr("The request for task %1 was cancelled.").arg(lost.taskId));
        scheduleDrain();
    });
}

void ApprovalService::finish(HostJob *job)
{
    const auto it = m_running.find(job);
    if (it == m_running.end())
        return;
    const Request request = it.value();
    m_running.erase(it);
    const QString id = QString::number(request.taskId);
    if (job->hasSucceeded()) {
        report(request, Outcome::Done,
            request.approve ? tr("Task %1 approved and dispatched.").arg(id)
                            : tr("Task %1 rejected.").arg(id));
    } else if (const HostError *error = job->hostError();
               error && (error->httpStatus == 404 || error->httpStatus == 409)) {
        report(request, Outcome::AlreadyDecided,
            error->detail.isEmpty()
                ? tr("Task %1 is not waiting for approval any more: another operator decided it first, "
                     "or it was withdrawn.")
                      .arg(id)
                : tr("Task %1 is not waiting for approval any more (%2): another operator decided it "
                     "first, or it was withdrawn.")
                      .arg(id, error->detail));
    } else {
        const QString why = error ? error->message() : tr("The host gave no answer.");
        report(request, Outcome::Failed,
            request.approve ? tr("Task %1 could not be approved. %2").arg(id, why)
                            : tr("Task %1 could not be rejected. %2").arg(id, why));
    }
    scheduleDrain();
}

void ApprovalService::report(const Request &request, Outcome outcome, const QString &message)
{
    m_busy.remove(request.taskId);
    Q_EMIT decisionFinished(request.taskId, request.approve, outcome, message);
}

} // namespace rk
