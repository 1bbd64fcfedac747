#pragma once

#include "core/Result.h"

#include <QList>
#include <QString>

namespace rk {

// What a reviewer wants to know about a submitter before deciding: how many of their tasks were
// approved and rejected before, how many wait now, and the last few decisions with the reasons
// given. Read from `tasks` (approval_status, approved_by_id, rejection_reason) of a platform
// database or a mirror. Operators and admins approve their own tasks when they submit them; those
// count as approved. Synchronous, on the caller's thread, over its own read-only connection with
// a short busy timeout (the owner_id index keeps it to the owner's rows).
struct SubmitterHistory
{
    struct Decision
    {
        qint64 taskId = 0;
        QString name;
        QString type; // "command" | "vps"
        QString approvalStatus; // "approved" | "rejected"
        QString status; // the task's state now
        QString submittedAt; // host datetime text
        QString decidedAt; // approved_at (also the rejection time)
        QString decidedBy; // username of the approver or rejecter; empty when unknown
        QString rejectionReason;
    };

    static constexpr int kBusyTimeoutMs = 500;
    static constexpr int kDefaultRecent = 8;

    qint64 ownerId = 0;
    QString owner; // username; empty when the account no longer exists
    int approved = 0;
    int rejected = 0;
    int pending = 0; // waiting for approval now (this task included)
    int total = 0; // every task of the owner
    QList<Decision> recent; // the last decisions, newest first

    static Result<SubmitterHistory> read(
        const QString &databasePath, qint64 ownerId, int recent = kDefaultRecent);
};

} // namespace rk
