#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

#include <deque>

namespace rk {

class HostClient;
class HostJob;

// The one place that approves and rejects tasks waiting for approval: the tray, the approval page
// and the command line all go through it. Approving makes the host dispatch the task, so only the
// host's API can do it; the platform database is never written to emulate it.
//
// One request per task, at most kMaxInFlight at a time, in the order asked. Each task ends with
// one decisionFinished(); when nothing is queued or under way any more, allFinished(). Both are
// always emitted from the event loop (never from inside approve()/reject()), so a caller may
// connect after calling. A task that is already queued or under way is not asked for twice.
//
// A 404 or 409 from the host means the task is not pending any more (another operator decided
// first, or it was withdrawn): reported as AlreadyDecided, not as a failure.
//
// Everything runs on the service's thread, which must be the HostClient's.
class ApprovalService : public QObject
{
    Q_OBJECT

public:
    enum class Outcome {
        Done, // the host approved (and dispatched) or rejected the task
        AlreadyDecided, // 404/409: not pending any more
        Failed, // not reachable, refused, no host connection, ...
    };
    Q_ENUM(Outcome)

    static constexpr int kMaxInFlight = 2;

    // `client` is not owned and may be null (a database-only connection): then every decision
    // fails with unavailableReason().
    explicit ApprovalService(HostClient *client, QObject *parent = nullptr);
    ~ApprovalService() override;

    // Later requests go to `client`; ones already under way finish where they started.
    void setHostClient(HostClient *client);
    HostClient *hostClient() const;

    // Whether decisions can be made at all (there is a host client).
    bool canDecide() const { return !m_client.isNull(); }
    // Why not, translated (Capabilities' reason for Feature::ApproveTasks); empty when it can.
    QString unavailableReason() const;

    // Queues one approval per id. Ends with decisionFinished() per task, then allFinished().
    void approve(const QList<qint64> &ids);
    // Queues one rejection per id with `reason` (may be empty: the host stores none). Ends like
    // approve().
    void reject(const QList<qint64> &ids, const QString &reason = {});

    // Whether `taskId` is queued or under way.
    bool isBusy(qint64 taskId) const { return m_busy.contains(taskId); }
    bool isBusy() const { return !m_busy.isEmpty(); }
    int inFlight() const { return int(m_running.size()); }

Q_SIGNALS:
    // `message` is one translated sentence (for Failed and AlreadyDecided: what went wrong).
    void decisionFinished(
        qint64 taskId, bool approve, rk::ApprovalService::Outcome outcome, const QString &message);
    void allFinished();

private:
    struct Request
    {
        qint64 taskId = 0;
        bool approve = true;
        QString reason;
    };

    void enqueue(const QList<qint64> &ids, bool approve, const QString &reason);
    void scheduleDrain();
    void drain();
    void start(const Request &request);
    void finish(HostJob *job);
    void report(const Request &request, Outcome outcome, const QString &message);

    QPointer<HostClient> m_client;
    std::deque<Request> m_queue;
    QHash<HostJob *, Request> m_running;
    QSet<qint64> m_busy; // queued or running
    bool m_drainScheduled = false;
    bool m_needsAllFinished = false;
};

} // namespace rk
