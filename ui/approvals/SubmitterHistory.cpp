#include "SubmitterHistory.h"

#include "store/SqliteDatabase.h"

namespace rk {

Result<SubmitterHistory> SubmitterHistory::read(const QString &databasePath, qint64 ownerId, int recent)
{
    auto opened = SqliteDatabase::open(databasePath, SqliteDatabase::OpenMode::ReadOnly, kBusyTimeoutMs);
    if (!opened)
        return opened.error();
    SqliteDatabase &db = *opened.value();

    SubmitterHistory history;
    history.ownerId = ownerId;
    const Status status = db.readTransaction([&]() -> Status {
        auto user = db.prepare(QStringLiteral("SELECT username FROM users WHERE id = ?1"));
        if (!user)
            return user.error();
        user->bind(1, ownerId);
        auto found = user->step();
        if (!found)
            return found.error();
        if (found.value())
            history.owner = user->text(0);

        auto counts = db.prepare(QStringLiteral(
            "SELECT coalesce(sum(approval_status = 'approved'), 0), coalesce(sum(approval_status = "
            "'rejected'), 0), "
            "coalesce(sum(status = 'pending_approval'), 0), count(*) FROM tasks WHERE owner_id = ?1"));
        if (!counts)
            return counts.error();
        counts->bind(1, ownerId);
        auto row = counts->step();
        if (!row)
            return row.error();
        if (row.value()) {
            history.approved = int(counts->int64(0));
            history.rejected = int(counts->int64(1));
            history.pending = int(counts->int64(2));
            history.total = int(counts->int64(3));
        }

        auto last = db.prepare(QStringLiteral(
            "SELECT t.task_id, t.name, t.task_type, t.approval_status, t.status, t.submitted_at, "
            "t.approved_at, "
            "a.username, t.rejection_reason FROM tasks t LEFT JOIN users a ON a.id = t.approved_by_id "
            "WHERE t.owner_id = ?1 AND t.approval_status IN ('approved', 'rejected') "
            "ORDER BY coalesce(t.approved_at, t.submitted_at) DESC, t.task_id DESC LIMIT ?2"));
        if (!last)
            return last.error();
        last->bind(1, ownerId).bind(2, recent);
        for (;;) {
            auto next = last->step();
            if (!next)
                return next.error();
            if (!next.value())
                break;
            Decision d;
            d.taskId = last->int64(0);
            d.name = last->text(1);
            d.type = last->text(2);
            d.approvalStatus = last->text(3);
            d.status = last->text(4);
            d.submittedAt = last->text(5);
            d.decidedAt = last->text(6);
            d.decidedBy = last->text(7);
            d.rejectionReason = last->text(8);
            history.recent.append(d);
        }
        return {};
    });
    if (!status)
        return status.error();
    return history;
}

} // namespace rk
