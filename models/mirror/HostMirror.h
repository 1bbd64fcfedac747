#pragma once

#include "core/HostTime.h"
#include "core/Result.h"
#include "host/HostNodeTypes.h"
#include "host/HostTaskTypes.h"
#include "host/HostTypes.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace rk {

class SqliteDatabase;

// What one sync step replaces in the mirror; each has its own "last synced" time.
enum class MirrorDataset { Users, Invitations, PendingApprovals, Tasks, Vps, Nodes };

namespace mirrordataset {
QString key(MirrorDataset dataset); // "users", "pending_approvals", ... (rk_mirror_meta keys)
QString displayName(MirrorDataset dataset); // translated: "users", "pending approvals", ...
QList<MirrorDataset> all();
} // namespace mirrordataset

enum class TaskLogStream { Stdout, Stderr };

// Who the mirror's data was fetched as (rk_mirror_meta). Never a credential.
struct MirrorAccount
{
    QString baseUrl; // without user info, query or fragment
    qint64 userId = 0;
    QString username;
    QString role;
};

struct MirrorAuditEntry
{
    qint64 id = 0;
    QString at; // hosttime::toDbText
    QString actor;
    QString action; // "approve", "reject", "kill", ...
    QString target; // "task 7523...", "user 3"
    bool ok = false;
    QString detail;
};

struct MirrorTaskLog
{
    qint64 taskId = 0;
    TaskLogStream stream = TaskLogStream::Stdout;
    QString fetchedAt; // hosttime::toDbText
    int lines = 0; // the tail length asked for; 0: the whole file
    QString text;
};

// The local mirror of one host profile: an SQLite file with the host's own tables (schema::hostDdl(),
// so the table models that read a platform database read the mirror unchanged) filled from what
// the host's REST API returned, plus Riverkeeper's rk_mirror_meta (sync times, the account),
// rk_mirror_audit (actions taken through the host), rk_task_logs (fetched log tails) and
// rk_mirror_node_usage (cores in use, which the host's nodes table has no column for).
//
// Secrets never reach the file: the API gives no password hashes (users.password_hash is ''),
// sessions and tokens stay empty, the base URL is stored without user info, and invitation tokens,
// which the host lists in plaintext, are cut to their first kInvitationTokenPrefix characters: a
// registration link needs the full token, so it must come from the host (online) at that moment.
// Audit details and targets have long hex runs (token-like) shortened the same way. Deleted rows
// are zeroed on disk (secure_delete).
//
// Every store method is ONE write transaction: the dataset is replaced (or, for tasks, upserted)
// completely or not at all, and its last-synced time is written in the same transaction.
// Anything the host sent that cannot be stored as it claims to be (a duplicate id, an empty
// username, a task id <= 0) fails the whole transaction, so the dataset keeps its previous rows.
//
// A HostMirror is one connection and belongs to the thread that opened it (the UI thread in the
// app: each write is a few milliseconds for a few hundred rows). Table models open their own
// read-only connections to path() and see a write after it commits (LazySqlTableModel::refresh()).
class HostMirror
{
public:
    static constexpr int kSchemaVersion = 1;
    static constexpr int kInvitationTokenPrefix = 8;
    static constexpr int kBusyTimeoutMs = 2000;

    // <AppDataLocation>/mirrors/<profileId>.db
    static QString defaultPath(const QString &profileId);

    // Opens the mirror at `path`, creating it (and its folder) when missing or empty. A file that
    // is not SQLite, is damaged, or is not a mirror of this schema version gives an Error
    // (NotADatabase, Corrupt, UnknownSchema, Io) and is left untouched: see recreate().
    static Result<std::unique_ptr<HostMirror>> open(const QString &path);
    // Deletes whatever is at `path` (and its journal) and creates an empty mirror there.
    static Result<std::unique_ptr<HostMirror>> recreate(const QString &path);

    ~HostMirror();
    HostMirror(const HostMirror &) = delete;
    HostMirror &operator=(const HostMirror &) = delete;

    QString path() const;
    // "Now" for sync times, audit entries and log fetch times (tests pass a fixed clock).
    void setClock(std::function<hosttime::Instant()> clock);

    // --- datasets (each one transaction; each sets lastSynced(dataset)) ----------------------
    // Replaces every user (placeholder rows included, see addKnownUsers()). password_hash is
    // stored as '' (the API never sends it).
    Status storeUsers(const QList<HostUser> &users);
    // Replaces every invitation; the token keeps its first kInvitationTokenPrefix characters.
    Status storeInvitations(const QList<HostInvitation> &invitations);
    // Upserts tasks by task_id (a page or a few pages of GET /api/tasks, or single tasks). Tasks
    // that are not in `tasks` are left as they are: the host has no delete, and a task beyond the
    // fetched pages still exists. The columns the API does not send (registry_image,
    // assignment_suspicion_count) keep their stored value.
    Status storeTasks(const QList<HostTask> &tasks);
    // The approval queue. Upserts `pending` and `resolved` (tasks fetched one by one because they
    // left the queue since the last sync). When `complete` (the host's list was read to its end),
    // a mirrored task still in pending_approval that is in neither list has left the queue but
    // its new state is unknown here (approved or rejected elsewhere, and not on the fetched task
    // pages): it is removed from the mirror rather than shown as still pending, and comes back
    // with its real state when it is on a fetched page again. When not `complete`, such tasks are
    // kept as they are (they may simply be beyond the pages read).
    Status storePendingApprovals(
        const QList<HostTask> &pending, bool complete, const QList<HostTask> &resolved = {});
    // Replaces the VPS (tasks with task_type 'vps'; the host's list has all of them) and every
    // vps_assignments row: from `assignments` (GET /api/vps/{id}/assignments, operator+, with
    // the assignment times) for the VPS it has, otherwise from the list's assignees, which have
    // no times (created_at is then kept for pairs already mirrored, else the sync time).
    Status storeVps(const QList<HostVps> &vps, const QHash<qint64, HostVpsAssignments> &assignments = {});
    // Replaces every node (and the cores in use, which the host's nodes table does not hold).
    Status storeNodes(const QList<HostNode> &nodes);
    // Empties a dataset (the account may no longer read it) and forgets its sync time.
    Status clearDataset(MirrorDataset dataset);
    // Empties every dataset and the stored logs, in one transaction (the profile now points at
    // another host or account). The audit stays: it is a record of what was done.
    Status clearAll();

    // Ids of the mirrored tasks in pending_approval.
    Result<QList<qint64>> pendingApprovalIds();
    // Cores in use per node as last synced; nullopt for an offline node ("N/A") or an unknown one.
    std::optional<int> coresInUse(const QString &hostname);

    // --- sync bookkeeping --------------------------------------------------------------------
    std::optional<hosttime::Instant> lastSynced(MirrorDataset dataset);
    // The latest of the datasets' times: when data was last fetched at all.
    std::optional<hosttime::Instant> lastSynced();
    // Stores the account; its base URL through storedBaseUrl().
    Status storeAccount(const MirrorAccount &account);
    // The base URL as stored: without user info, query or fragment (a URL may carry a password).
    static QString storedBaseUrl(const QUrl &url);
    std::optional<MirrorAccount> account();

    // --- task logs ---------------------------------------------------------------------------
    // Replaces the stored tail of one stream of a task (lines: what was asked for, 0: all).
    Status storeTaskLog(qint64 taskId, TaskLogStream stream, const QString &text, int lines);
    std::optional<MirrorTaskLog> taskLog(qint64 taskId, TaskLogStream stream);

    // --- audit -------------------------------------------------------------------------------
    // Records an action taken through the host (who, what, on what, when: now, result).
    Status recordAction(const QString &actor, const QString &action, const QString &target, bool ok,
        const QString &detail = {});
    // Newest first.
    Result<QList<MirrorAuditEntry>> auditEntries(int limit = 200);

    // Long hex runs (32+ characters, as tokens and session ids are) shortened to their first
    // kInvitationTokenPrefix characters and "…". Applied to audit text.
    static QString redactTokens(const QString &text);

private:
    explicit HostMirror(std::unique_ptr<SqliteDatabase> db);
    static Result<std::unique_ptr<HostMirror>> create(const QString &path);
    Status verifySchema();
    Status setMeta(const QString &key, const QString &value);
    std::optional<QString> meta(const QString &key);
    Status markSynced(MirrorDataset dataset);
    Status upsertTask(const HostTask &task);
    struct KnownUser
    {
        std::optional<qint64> id;
        QString username;
        QString displayName;
    };
    static QList<KnownUser> knownUsers(const HostTask &task);
    // Users known only by name (task owners and approvers, VPS owners and assignees), added as
    // placeholder rows (role '', created_at '') while the users dataset is not synced, i.e. for an
    // account below operator: the task and VPS models then still show who owns what offline.
    // storeUsers() replaces them all.
    Status addKnownUsers(const QList<KnownUser> &users);
    QString nowText() const;

    std::unique_ptr<SqliteDatabase> m_db;
    std::function<hosttime::Instant()> m_clock;
};

} // namespace rk
