#include "TaskLogSource.h"

#include "core/HostTime.h"
#include "host/HostClient.h"
#include "mirror/MirrorLogging.h"

#include <QTimer>

namespace rk {

TaskLogSource::TaskLogSource(QObject *parent) : QObject(parent)
{
}

TaskLogSource::~TaskLogSource() = default;

void TaskLogSource::fetchStatus(qint64 taskId, QObject *context, StatusCallback done)
{
    Q_UNUSED(taskId)
    later(context, [done = std::move(done)]() {
        done(Error::make(Error::Code::Invalid, tr("This source cannot tell a task's current status.")));
    });
}

void TaskLogSource::later(QObject *context, std::function<void()> fn)
{
    QPointer<QObject> guard(context);
    QTimer::singleShot(0, this, [guard, fn = std::move(fn)]() {
        if (guard)
            fn();
    });
}

QString TaskLogSource::tail(const QString &text, int lines)
{
    if (lines <= 0 || text.isEmpty())
        return text;
    qsizetype end = text.size();
    // A final newline ends the last line; it does not start another one.
    if (text.at(end - 1) == QLatin1Char('\n'))
        --end;
    int seen = 0;
    for (qsizetype i = end - 1; i >= 0; --i) {
        if (text.at(i) == QLatin1Char('\n') && ++seen == lines)
            return text.mid(i + 1);
    }
    return text;
}

TaskLog TaskLogSource::fromCache(const MirrorTaskLog &log, int lines, const QString &offlineReason)
{
    TaskLog out;
    out.taskId = log.taskId;
    out.stream = log.stream;
    out.fromCache = true;
    out.fetchedAt = log.fetchedAt;
    out.offlineReason = offlineReason;
    // Cut a longer stored tail to what was asked for; a shorter one is all there is.
    if (lines > 0 && (log.lines <= 0 || log.lines > lines)) {
        out.text = tail(log.text, lines);
        out.lines = lines;
    } else {
        out.text = log.text;
        out.lines = log.lines;
    }
    return out;
}

// --- HostTaskLogSource ------------------------------------------------------------------------

HostTaskLogSource::HostTaskLogSource(HostClient *client, HostMirror *mirror, QObject *parent)
    : TaskLogSource(parent), m_client(client), m_mirror(mirror)
{
}

bool HostTaskLogSource::isUnreachable(const HostError &error)
{
    switch (error.kind) {
    case HostError::Kind::Network:
    case HostError::Kind::Timeout: return true;
    case HostError::Kind::Http:
        // A gateway's bare answer: the host behind it is down. The host's own 503 has a detail.
        return (error.httpStatus == 502 || error.httpStatus == 503 || error.httpStatus == 504)
            && error.detail.isEmpty();
    default: return false;
    }
}

std::optional<MirrorTaskLog> HostTaskLogSource::cached(qint64 taskId, TaskLogStream stream) const
{
    return m_mirror ? m_mirror->taskLog(taskId, stream) : std::nullopt;
}

void HostTaskLogSource::fetch(
    qint64 taskId, TaskLogStream stream, int lines, QObject *context, LogCallback done)
{
    if (!m_client) {
        const std::optional<MirrorTaskLog> stored = cached(taskId, stream);
        later(context, [stored, lines, done = std::move(done)]() {
            const QString why = tr("There is no connection to the host.");
            if (stored)
                done(fromCache(*stored, lines, why));
            else
                done(Error::make(Error::Code::Io, why));
        });
        return;
    }
    const int asked = qMax(0, lines);
    HostCall<QString> *job = stream == TaskLogStream::Stdout ? m_client->taskStdout(taskId, asked)
                                                             : m_client->taskStderr(taskId, asked);
    QPointer<QObject> guard(context);
    connect(
        job, &HostJob::finished, this, [this, job, guard, taskId, stream, asked, done = std::move(done)]() {
            if (!guard)
                return;
            if (const QString *text = job->value()) {
                TaskLog log;
                log.taskId = taskId;
                log.stream = stream;
                log.text = *text;
                log.lines = asked;
                log.fetchedAt = hosttime::nowDbText();
                if (m_mirror) {
                    if (auto stored = m_mirror->storeTaskLog(taskId, stream, log.text, asked); !stored)
                        qCWarning(lcMirror)
                            << "could not keep the log of task" << taskId << ":" << stored.error().message;
                }
                done(log);
                return;
            }
            const Result<QString> result = job->result();
            const HostError *hostError = job->hostError();
            if (m_mirror && hostError && isUnreachable(*hostError)) {
                if (const auto stored = m_mirror->taskLog(taskId, stream)) {
                    done(fromCache(*stored, asked, result.error().message));
                    return;
                }
            }
            done(result.error());
        });
}

void HostTaskLogSource::fetchStatus(qint64 taskId, QObject *context, StatusCallback done)
{
    if (!m_client) {
        TaskLogSource::fetchStatus(taskId, context, std::move(done));
        return;
    }
    HostCall<HostTask> *job = m_client->task(taskId);
    QPointer<QObject> guard(context);
    job->onFinished(this, [guard, done = std::move(done)](const Result<HostTask> &result) {
        if (!guard)
            return;
        if (result.ok())
            done(result.value().statusText);
        else
            done(result.error());
    });
}

// --- MirrorTaskLogSource ----------------------------------------------------------------------

MirrorTaskLogSource::MirrorTaskLogSource(HostMirror *mirror, QObject *parent)
    : TaskLogSource(parent), m_mirror(mirror)
{
}

std::optional<MirrorTaskLog> MirrorTaskLogSource::cached(qint64 taskId, TaskLogStream stream) const
{
    return m_mirror ? m_mirror->taskLog(taskId, stream) : std::nullopt;
}

void MirrorTaskLogSource::fetch(
    qint64 taskId, TaskLogStream stream, int lines, QObject *context, LogCallback done)
{
    const std::optional<MirrorTaskLog> stored = cached(taskId, stream);
    later(context, [stored, lines, done = std::move(done)]() {
        if (stored)
            done(fromCache(*stored, lines, tr("Offline: the output as last fetched from the host.")));
        else
            done(Error::make(Error::Code::NotFound,
                tr("This output was never fetched while connected to the host, so there is no copy to "
                   "read offline.")));
    });
}

} // namespace rk
