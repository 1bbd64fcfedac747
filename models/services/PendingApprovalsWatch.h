#pragma once

#include "core/Result.h"
#include "services/PollScheduler.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

#include <memory>

namespace rk {

class DataVersionWatcher;
class HostClient;
class HostJob;
class PlatformStore;
class Poller;

// One task waiting for approval, as much as a tray menu or a notification shows. Plain data.
struct PendingTask
{
    qint64 id = 0; // a snowflake above 2^53: never through a double
    QString type; // "command" | "vps"
    QString submitter; // username; empty when unknown
    QString name;
    QString summary; // TaskDetails::summary(): the command line, or the VPS backend and image
    QDateTime submitted; // invalid when unknown or malformed

    friend bool operator==(const PendingTask &, const PendingTask &) = default;
};

// The approval queue in brief, for the tray and the window's badge: how many tasks wait and the
// newest few. One watch per connection, shared by everyone who shows the count, so there is one
// poll, not one per view. Fed from one of two sources:
// - host mode: GET /api/tasks/pending-approval (paged, newest first) through a Poller: the
//   interval, a backoff while the host is unreachable, never two polls at once;
// - database mode: a platform database file, checked with DataVersionWatcher (PRAGMA data_version)
//   on every tick and re-read (two short queries on the `tasks` table) only when another
//   connection committed since.
//
// changed() reports a new count or list; arrived() the ids that were not pending at the previous
// successful load (never on the first load, which only establishes what is known);
// stateChanged() whether the source answers.
//
// Threading: everything runs on the thread that created the watch, the caller's (the GUI
// thread in the app). The database reads are two indexed-or-small queries on a read-only
// connection of the watch's own, bounded by a busy timeout; host polls are asynchronous.
class PendingApprovalsWatch : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Host, Database };
    Q_ENUM(Mode)

    enum class State {
        Disconnected, // not started, no host client, or the host refused us (signed out, TLS)
        Offline, // the last check failed: the host is unreachable or the file could not be read
        Online, // the last check succeeded
    };
    Q_ENUM(State)

    static constexpr int kDefaultNewestLimit = 5;
    static constexpr int kPageSize = 100; // pending-approval has no total: it is paged through
    static constexpr int kMaxPages = 10; // counts above kPageSize × kMaxPages are not exact

    // Host mode. `client` is not owned and may be null (then Disconnected). `scheduler`: nullptr
    // for real timers; tests pass a manual one.
    explicit PendingApprovalsWatch(
        HostClient *client, std::unique_ptr<PollScheduler> scheduler = nullptr, QObject *parent = nullptr);
    // Database mode: opens `path` read-only on a connection of its own. Fails as
    // PlatformStore::open() does (missing, not a platform database, locked).
    static Result<std::unique_ptr<PendingApprovalsWatch>> openDatabase(const QString &path,
        std::unique_ptr<PollScheduler> scheduler = nullptr, int busyTimeoutMs = 1000,
        QObject *parent = nullptr);
    ~PendingApprovalsWatch() override;

    Mode mode() const { return m_mode; }
    // The poller (interval, backoff, failures, pause); owned by the watch.
    Poller *poller() const { return m_poller.get(); }
    // Shorthands for poller()->setInterval() / setMaxInterval().
    void setInterval(int ms);
    void setMaxInterval(int ms);
    // How many of the newest tasks newest() keeps (at least 1). Applies from the next load.
    void setNewestLimit(int limit);
    int newestLimit() const { return m_newestLimit; }

    // The last known values: kept while Offline, so a greyed badge can still show them.
    int count() const { return m_count; }
    QList<PendingTask> newest() const { return m_newest; }
    // Every id pending at the last load (in host mode at most kPageSize × kMaxPages of them).
    QSet<qint64> knownIds() const { return m_known; }
    bool hasLoaded() const { return m_loaded; }
    State state() const { return m_state; }
    // Why the last check failed (translated); empty while Online.
    QString lastError() const { return m_lastError; }
    // Successful loads so far (host polls, database re-reads). A database tick that finds no
    // change does not count.
    int loadCount() const { return m_loadCount; }

public Q_SLOTS:
    // Starts polling with a check at once. Every check ends with poller()->checkFinished(); a
    // successful one also with loaded(), a failed one with stateChanged() when the state moves.
    void start();
    // Stops polling (a host request under way is cancelled) and goes Disconnected.
    void stop();
    // Checks now (a database is re-read even without a change): after a decision, for instance.
    void refresh();

Q_SIGNALS:
    // The count or the newest tasks differ from the previous load (or this is the first load).
    void changed(int count, const QList<rk::PendingTask> &newest);
    // Tasks pending now that were not at the previous load; not emitted on the first load.
    void arrived(const QList<qint64> &ids);
    void stateChanged(rk::PendingApprovalsWatch::State state);
    // After every successful load, after changed()/arrived().
    void loaded();

private:
    struct Snapshot
    {
        QList<qint64> ids; // every pending id, newest first
        QList<PendingTask> newest;
    };

    PendingApprovalsWatch(Mode mode, std::unique_ptr<PollScheduler> scheduler, QObject *parent);
    void check(std::function<void(bool)> done);
    void pollHost(std::function<void(bool)> done);
    void fetchPage(int page, std::shared_ptr<Snapshot> snapshot, std::function<void(bool)> done);
    void checkDatabase(const std::function<void(bool)> &done);
    Result<Snapshot> readDatabase();
    void apply(const Snapshot &snapshot);
    void setState(State state, const QString &error = {});

    Mode m_mode;
    std::unique_ptr<Poller> m_poller;
    QPointer<HostClient> m_client;
    QPointer<HostJob> m_job; // the page request under way
    std::unique_ptr<PlatformStore> m_store;
    std::unique_ptr<DataVersionWatcher> m_watcher;
    bool m_reloadNeeded = true; // database mode: re-read on the next tick even without a change

    int m_newestLimit = kDefaultNewestLimit;
    int m_count = 0;
    QList<PendingTask> m_newest;
    QSet<qint64> m_known;
    bool m_loaded = false;
    int m_loadCount = 0;
    State m_state = State::Disconnected;
    QString m_lastError;
};

} // namespace rk

Q_DECLARE_METATYPE(rk::PendingTask)
