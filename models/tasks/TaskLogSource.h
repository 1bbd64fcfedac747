#pragma once

#include "core/Result.h"
#include "mirror/HostMirror.h"

#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>

namespace rk {

class HostClient;
struct HostError;

// One answer of TaskLogSource::fetch(): the tail of a task's stdout or stderr.
struct TaskLog
{
    qint64 taskId = 0;
    TaskLogStream stream = TaskLogStream::Stdout;
    QString text; // "" when the host has no file (yet), which is not an error
    int lines = 0; // how long a tail `text` is: the lines asked for (0: the whole file)
    bool fromCache = false; // read from the local mirror, not from the host
    QString fetchedAt; // hosttime::toDbText of when the host sent `text`
    // Why the cache was used instead of the host (a translated sentence); empty for a live answer.
    QString offlineReason;
};

// Where a task's output comes from, online (the host's GET /api/tasks/{id}/stdout|stderr) or
// offline (what an earlier fetch left in the host profile's mirror), so the output viewer works
// the same either way. All methods are for the source's thread (the UI thread); nothing blocks on
// the network: answers come later from the event loop, never from within the call.
class TaskLogSource : public QObject
{
    Q_OBJECT

public:
    using LogCallback = std::function<void(const Result<TaskLog> &)>;
    using StatusCallback = std::function<void(const Result<QString> &)>;

    explicit TaskLogSource(QObject *parent = nullptr);
    ~TaskLogSource() override;

    // Starts reading the last `lines` lines of one stream of a task (`lines` <= 0: all of it).
    // `done` runs exactly once, later, from the event loop, unless `context` is destroyed first
    // (or the source is).
    virtual void fetch(qint64 taskId, TaskLogStream stream, int lines, QObject *context, LogCallback done)
        = 0;
    // What the mirror holds for the stream (one small synchronous read); nullopt when nothing was
    // stored or there is no mirror.
    virtual std::optional<MirrorTaskLog> cached(qint64 taskId, TaskLogStream stream) const = 0;
    // The task's status as the source can tell it now (the host's GET /api/status/{id}), for
    // following a running task. The default answers an error: the source cannot tell. Same
    // calling rules as fetch().
    virtual void fetchStatus(qint64 taskId, QObject *context, StatusCallback done);
    // Whether fetch() asks a host (false: the cache only).
    virtual bool isLive() const = 0;

    // The last `lines` lines of `text` (a final newline does not start another line); all of it
    // for `lines` <= 0.
    static QString tail(const QString &text, int lines);
    // A stored log as an answer, cut to `lines` when it holds more.
    static TaskLog fromCache(const MirrorTaskLog &log, int lines, const QString &offlineReason);

protected:
    // Runs `fn` from the event loop, unless `context` (or this source) is gone by then.
    void later(QObject *context, std::function<void()> fn);
};

// A source that asks the host (HostClient) and, when given a mirror, keeps every successful
// answer there with HostMirror::storeTaskLog(), so the same output can be read offline later.
// When the host cannot be reached (no connection, a timeout, a gateway's bare 502/503/504) and
// the mirror has the stream, the stored text is answered instead, with fromCache and
// offlineReason set. Every other failure (403 for viewers and for other users' tasks, 400 for a
// VPS, 404) is answered as the host's error. The client and the mirror must outlive the source.
class HostTaskLogSource : public TaskLogSource
{
    Q_OBJECT

public:
    explicit HostTaskLogSource(HostClient *client, HostMirror *mirror = nullptr, QObject *parent = nullptr);

    void fetch(qint64 taskId, TaskLogStream stream, int lines, QObject *context, LogCallback done) override;
    std::optional<MirrorTaskLog> cached(qint64 taskId, TaskLogStream stream) const override;
    void fetchStatus(qint64 taskId, QObject *context, StatusCallback done) override;
    bool isLive() const override { return true; }

    // Whether a failure means the host could not be reached at all (the cache may stand in).
    static bool isUnreachable(const HostError &error);

private:
    QPointer<HostClient> m_client;
    HostMirror *m_mirror = nullptr;
};

// The offline source: only what the mirror holds. A stream never fetched answers NotFound.
class MirrorTaskLogSource : public TaskLogSource
{
    Q_OBJECT

public:
    explicit MirrorTaskLogSource(HostMirror *mirror, QObject *parent = nullptr);

    void fetch(qint64 taskId, TaskLogStream stream, int lines, QObject *context, LogCallback done) override;
    std::optional<MirrorTaskLog> cached(qint64 taskId, TaskLogStream stream) const override;
    bool isLive() const override { return false; }

private:
    HostMirror *m_mirror = nullptr;
};

} // namespace rk
