#pragma once

// The rules of VPS assignments shared by PlatformStoreVps.cpp and the membership hooks: which
// sources (direct, or a group) hold each vps_assignments row, and what a grant or a withdrawal
// does to it. Internal to the store (included by PlatformStoreVps.cpp only).

#include "PlatformSchema.h"
#include "PlatformStore.h"
#include "PlatformStore_p.h"
#include "core/HostTime.h"

#include <QJsonArray>

#include <algorithm>
#include <map>

namespace rk::vpsdetail {

using storedetail::tr;

// rk_vps_assignment_sources.group_id of a direct assignment (group ids start at 1).
constexpr qint64 kDirect = 0;

struct StoredVps
{
    qint64 taskId = 0;
    QString name;
};

// "vps-alice (7391245671234567890)": the audit target and the name in messages.
inline QString vpsLabel(const StoredVps &vps)
{
    const QString id = QString::number(vps.taskId);
    return vps.name.isEmpty() ? tr("VPS %1").arg(id) : QStringLiteral("%1 (%2)").arg(vps.name, id);
}

inline Error vpsNotFound(qint64 taskId)
{
    return storedetail::notFound(
        tr("VPS not found (task %1); it may have been deleted meanwhile.").arg(QString::number(taskId)));
}

inline QList<qint64> sortedUnique(QList<qint64> ids)
{
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

inline QJsonArray idArray(const QList<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.append(id);
    return array;
}

// The via-group count of a VPS row `t` (rows with at least one group source); VpsTableModel
// counts with the same words.
inline QString viaGroupCountSql()
{
    return QStringLiteral(
        "(SELECT count(*) FROM vps_assignments a WHERE a.vps_task_id = t.task_id AND EXISTS "
        "(SELECT 1 FROM rk_vps_assignment_sources s WHERE s.vps_task_id = a.vps_task_id "
        "AND s.user_id = a.user_id AND s.group_id <> 0))");
}

// What granting or revoking one source did to one user's row.
enum class Effect {
    Added, // the row was inserted
    Removed, // the row was deleted (no source holds it any more)
    SourceAdded, // the row was there; the source now holds it too
    SourceRemoved, // the source no longer holds the row; another one still does
    Unchanged, // the source already held the row (grant) or never did (revoke)
    OnlyViaGroup, // revoking the direct source of a row that only groups hold: nothing to do
    NotAssigned, // revoke: no row at all
};

// The assignment rules over rk_vps_assignment_sources, in one place. Priv is
// PlatformStore::Private (private to PlatformStore, hence the template). Call inside write().
template<typename Priv> class Assignments
{
public:
    Assignments(Priv &d, QString now) : m_d(d), m_now(std::move(now)) { }

    Result<std::optional<StoredVps>> findVps(qint64 taskId)
    {
        auto stmt = m_d.query(
            QStringLiteral("SELECT task_id, name FROM tasks WHERE task_id = ?1 AND task_type = 'vps'"),
            taskId);
        if (!stmt)
            return stmt.error();
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!row.value())
            return std::optional<StoredVps>();
        return std::optional<StoredVps>(StoredVps {stmt->int64(0), stmt->text(1)});
    }

    Result<StoredVps> requireVps(qint64 taskId)
    {
        auto vps = findVps(taskId);
        if (!vps)
            return vps.error();
        if (!vps.value())
            return vpsNotFound(taskId);
        return *vps.value();
    }

    // Forgets the sources of rows that are gone (the host's API unassigned them, or a tool
    // deleted the user): they would otherwise revive as "via group" if the row came back.
    Status prune(qint64 taskId)
    {
        auto done = m_d.run(QStringLiteral("DELETE FROM rk_vps_assignment_sources WHERE vps_task_id = ?1 "
                                           "AND NOT EXISTS (SELECT 1 FROM vps_assignments a WHERE "
                                           "a.vps_task_id = rk_vps_assignment_sources.vps_task_id "
                                           "AND a.user_id = rk_vps_assignment_sources.user_id)"),
            taskId);
        if (!done)
            return done.error();
        return {};
    }

    // Makes `source` (kDirect or a group id) hold the user's row, inserting the row if needed.
    Result<Effect> grant(qint64 taskId, qint64 userId, qint64 source)
    {
        auto exists = rowExists(taskId, userId);
        if (!exists)
            return exists.error();
        if (!exists.value()) {
            auto inserted = m_d.run(
                QStringLiteral(
                    "INSERT INTO vps_assignments (vps_task_id, user_id, created_at) VALUES (?1, ?2, ?3)"),
                taskId, userId, m_now);
            if (!inserted)
                return inserted.error();
            if (auto st = addSource(taskId, userId, source); !st)
                return st.error();
            return Effect::Added;
        }
        auto sources = sourcesOf(taskId, userId);
        if (!sources)
            return sources.error();
        if (sources->contains(source))
            return Effect::Unchanged;
        if (sources->isEmpty()) {
            // A row nobody recorded (the host's API made it): it is a direct assignment.
            if (source == kDirect)
                return Effect::Unchanged;
            if (auto st = addSource(taskId, userId, kDirect); !st)
                return st.error();
        }
        if (auto st = addSource(taskId, userId, source); !st)
            return st.error();
        return Effect::SourceAdded;
    }

    // Takes `source` away from the user's row and deletes the row when nothing holds it any more.
    Result<Effect> revoke(qint64 taskId, qint64 userId, qint64 source)
    {
        auto exists = rowExists(taskId, userId);
        if (!exists)
            return exists.error();
        if (!exists.value())
            return Effect::NotAssigned;
        auto sources = sourcesOf(taskId, userId);
        if (!sources)
            return sources.error();
        const bool implicitDirect = sources->isEmpty();
        if (!(sources->contains(source) || (source == kDirect && implicitDirect)))
            return source == kDirect ? Effect::OnlyViaGroup : Effect::Unchanged;
        if (!implicitDirect) {
            auto removed
                = m_d.run(QStringLiteral("DELETE FROM rk_vps_assignment_sources WHERE vps_task_id = ?1 "
                                         "AND user_id = ?2 AND group_id = ?3"),
                    taskId, userId, source);
            if (!removed)
                return removed.error();
            if (sources->size() > 1)
                return Effect::SourceRemoved;
        }
        auto deleted
            = m_d.run(QStringLiteral("DELETE FROM vps_assignments WHERE vps_task_id = ?1 AND user_id = ?2"),
                taskId, userId);
        if (!deleted)
            return deleted.error();
        return Effect::Removed;
    }

    // The VPS a group is assigned to, ascending.
    Result<QList<qint64>> vpsOfGroup(qint64 groupId)
    {
        return ids(QStringLiteral("SELECT vps_task_id FROM rk_vps_group_assignments WHERE group_id = ?1 "
                                  "ORDER BY vps_task_id"),
            groupId);
    }

    // The VPS whose rows a group holds (also after its assignment row went), ascending.
    Result<QList<qint64>> vpsHeldByGroup(qint64 groupId)
    {
        return ids(
            QStringLiteral("SELECT vps_task_id FROM rk_vps_group_assignments WHERE group_id = ?1 "
                           "UNION SELECT vps_task_id FROM rk_vps_assignment_sources WHERE group_id = ?1 "
                           "ORDER BY 1"),
            groupId);
    }

    // Removes the group's assignment to the VPS and every row only it held; audited as `action`.
    // `change` (optional) receives the members who lost their row (removed) and those whose row
    // another source holds (unchanged).
    Status dropGroup(const Actor &actor, qint64 taskId, qint64 groupId, const QString &groupName,
        const QString &action, VpsChange *change)
    {
        auto vps = findVps(taskId);
        if (!vps)
            return vps.error();
        const StoredVps target = vps.value().value_or(StoredVps {taskId, QString()});
        auto unassigned = m_d.run(
            QStringLiteral("DELETE FROM rk_vps_group_assignments WHERE vps_task_id = ?1 AND group_id = ?2"),
            taskId, groupId);
        if (!unassigned)
            return unassigned.error();
        if (auto st = prune(taskId); !st)
            return st;
        auto holders
            = ids(QStringLiteral("SELECT user_id FROM rk_vps_assignment_sources WHERE vps_task_id = ?1 "
                                 "AND group_id = ?2 ORDER BY user_id"),
                taskId, groupId);
        if (!holders)
            return holders.error();
        VpsChange local;
        VpsChange &out = change ? *change : local;
        for (qint64 userId : holders.value()) {
            auto effect = revoke(taskId, userId, groupId);
            if (!effect)
                return effect.error();
            if (effect.value() == Effect::Removed)
                out.removed << userId;
            else
                out.unchanged << userId;
        }
        return m_d.audit(actor, action, QStringLiteral("vps"), vpsLabel(target),
            QJsonObject {{QStringLiteral("task_id"), QString::number(taskId)},
                {QStringLiteral("group_id"), groupId}, {QStringLiteral("group"), groupName}},
            QJsonObject {{QStringLiteral("task_id"), QString::number(taskId)},
                {QStringLiteral("removed_user_ids"), idArray(out.removed)},
                {QStringLiteral("kept_user_ids"), idArray(out.unchanged)}});
    }

    template<typename... Args> Result<QList<qint64>> ids(const QString &sql, const Args &...args)
    {
        auto stmt = m_d.query(sql, args...);
        if (!stmt)
            return stmt.error();
        QList<qint64> result;
        if (auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) { result << row.int64(0); });
            !st)
            return st.error();
        return result;
    }

    Result<QString> groupName(qint64 groupId)
    {
        auto group = m_d.findGroup(groupId);
        if (!group)
            return group.error();
        return group.value() ? group.value()->name : QString();
    }

private:
    Result<bool> rowExists(qint64 taskId, qint64 userId)
    {
        auto n = m_d.integer(
            QStringLiteral("SELECT count(*) FROM vps_assignments WHERE vps_task_id = ?1 AND user_id = ?2"),
            taskId, userId);
        if (!n)
            return n.error();
        return n.value() > 0;
    }

    Result<QList<qint64>> sourcesOf(qint64 taskId, qint64 userId)
    {
        return ids(QStringLiteral("SELECT group_id FROM rk_vps_assignment_sources WHERE vps_task_id = ?1 "
                                  "AND user_id = ?2 ORDER BY group_id"),
            taskId, userId);
    }

    Status addSource(qint64 taskId, qint64 userId, qint64 source)
    {
        auto done
            = m_d.run(QStringLiteral("INSERT OR IGNORE INTO rk_vps_assignment_sources (vps_task_id, user_id, "
                                     "group_id, created_at) VALUES (?1, ?2, ?3, ?4)"),
                taskId, userId, source, m_now);
        if (!done)
            return done.error();
        return {};
    }

    Priv &m_d;
    QString m_now;
};

template<typename Priv> Assignments<Priv> assignmentsOf(Priv &d)
{
    return Assignments<Priv>(d, hosttime::nowDbText());
}

// The users of `ids` as JSON [{id, username}] for the audit (username empty when deleted).
template<typename Priv> Result<QJsonArray> usersJson(Priv &d, const QList<qint64> &ids)
{
    QJsonArray users;
    for (qint64 id : ids) {
        auto user = d.findUser(id);
        if (!user)
            return user.error();
        users.append(QJsonObject {{QStringLiteral("id"), id},
            {QStringLiteral("username"), user.value() ? user.value()->username : QString()}});
    }
    return users;
}

inline Result<QList<qint64>> requireUserIds(const QList<qint64> &ids)
{
    QList<qint64> unique = sortedUnique(ids);
    if (unique.isEmpty())
        return Error::make(Error::Code::Invalid, tr("Choose at least one user."));
    return unique;
}

} // namespace rk::vpsdetail
