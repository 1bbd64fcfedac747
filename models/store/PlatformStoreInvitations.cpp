// Invitations: the host's registration tokens.

#include "PlatformStore.h"

#include "PlatformStore_p.h"
#include "core/HostTime.h"

#include <QJsonDocument>

#include <algorithm>

namespace rk {

using storedetail::tr;

namespace {

constexpr int kMaxExpiresHours = PlatformStore::kMaxInvitationHours; // the host's limits: 1..720 hours
constexpr int kMaxUses = PlatformStore::kMaxInvitationUses;

bool before(const hosttime::Instant &a, const hosttime::Instant &b)
{
    return a.secsSinceEpoch < b.secsSinceEpoch
        || (a.secsSinceEpoch == b.secsSinceEpoch && a.micros < b.micros);
}

// The host's is_valid is `not expired and usage_count < max_usage`; it has a single flag.
// Riverkeeper tells the two reasons apart and, when both hold, reports Expired: time only moves
// one way, so an expired invitation can never become valid again, while "used up" is what an
// admin might otherwise try to fix by raising max_usage. A malformed expires_at counts as expired.
InvitationRecord::State stateOf(
    const QString &expiresAt, int usageCount, int maxUsage, const hosttime::Instant &now)
{
    const auto expires = hosttime::parse(expiresAt);
    if (!expires || !before(now, *expires))
        return InvitationRecord::State::Expired;
    if (usageCount >= maxUsage)
        return InvitationRecord::State::UsedUp;
    return InvitationRecord::State::Valid;
}

} // namespace

Result<std::vector<InvitationRecord>> PlatformStore::Private::loadInvitations(std::optional<qint64> id)
{
    auto stmt = query(QStringLiteral("SELECT i.id, i.token, i.role, i.group_id, g.name, i.max_usage, "
                                     "i.usage_count, i.expires_at, i.created_by_id, u.username, i.created_at "
                                     "FROM invitations i LEFT JOIN groups g ON g.id = i.group_id "
                                     "LEFT JOIN users u ON u.id = i.created_by_id "
                                     "WHERE ?1 IS NULL OR i.id = ?1 "
                                     "ORDER BY i.created_at DESC, i.id DESC"),
        id);
    if (!stmt)
        return stmt.error();
    const QString base = baseUrl();
    const hosttime::Instant now = hosttime::Instant::now();
    std::vector<InvitationRecord> invitations;
    auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) {
        InvitationRecord r;
        r.id = row.int64(0);
        r.token = row.text(1);
        r.role = row.text(2);
        if (!row.isNull(3))
            r.groupId = row.int64(3);
        r.groupName = row.text(4);
        r.maxUsage = static_cast<int>(row.int64(5));
        r.usageCount = static_cast<int>(row.int64(6));
        r.expiresAt = row.text(7);
        if (!row.isNull(8))
            r.createdById = row.int64(8);
        r.createdBy = row.text(9);
        r.createdAt = row.text(10);
        r.state = stateOf(r.expiresAt, r.usageCount, r.maxUsage, now);
        r.link = linkFor(base, r.token);
        invitations.push_back(std::move(r));
    });
    if (!st)
        return st.error();
    return invitations;
}

Result<std::vector<InvitationRecord>> PlatformStore::listInvitations(const Actor &actor)
{
    // As on the host: operators may create (viewer) invitations but not list them.
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    return d->loadInvitations(std::nullopt);
}

Result<InvitationRecord> PlatformStore::createInvitation(const Actor &actor, const NewInvitation &invitation)
{
    if (auto st = d->guardWrite(actor, Permission::CreateInvitation); !st)
        return st.error();
    if (auto st = storedetail::checkRole(invitation.role); !st)
        return st.error();
    if (!roles::allows(actor.role, Permission::ManageUsers)
        && invitation.role != roles::toString(Role::Viewer)) {
        return Error::make(Error::Code::Refused,
            tr("Operators can only create viewer invitations; inviting a %1 needs the "
               "%2 role.")
                .arg(invitation.role, roles::displayName(Role::Admin)));
    }
    if (invitation.maxUsage < 1) {
        return Error::make(Error::Code::Invalid, tr("An invitation must allow at least one use."));
    }
    if (invitation.maxUsage > kMaxUses) {
        return Error::make(Error::Code::Invalid,
            tr("An invitation can allow at most %1 uses; for more, create another one when it is used up.")
                .arg(kMaxUses));
    }
    if (invitation.expiresHours < 1 || invitation.expiresHours > kMaxExpiresHours) {
        return Error::make(Error::Code::Invalid,
            tr("An invitation must expire within 1 to %1 hours (30 days).").arg(kMaxExpiresHours));
    }
    InvitationRecord created;
    auto st = d->write(
        [&]() -> Status {
            QString groupName;
            if (invitation.groupId) {
                auto group = d->findGroup(*invitation.groupId);
                if (!group)
                    return group.error();
                if (!group.value()) {
                    return storedetail::notFound(tr("Group not found (id %1); it may have been deleted "
                                                    "meanwhile.")
                                                     .arg(*invitation.groupId));
                }
                groupName = group.value()->name;
            }
            const hosttime::Instant now = hosttime::Instant::now();
            const QString token = tokens::randomHex64();
            const std::optional<qint64> createdBy
                = actor.userId > 0 ? std::optional<qint64>(actor.userId) : std::nullopt;
            auto inserted
                = d->run(QStringLiteral("INSERT INTO invitations (token, role, group_id, max_usage, "
                                        "usage_count, expires_at, created_by_id, created_at) "
                                        "VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7)"),
                    token, invitation.role, invitation.groupId, invitation.maxUsage,
                    hosttime::toDbText(now.addSecs(qint64(invitation.expiresHours) * 3600)), createdBy,
                    hosttime::toDbText(now));
            if (!inserted)
                return inserted.error();
            const qint64 id = d->db->lastInsertRowId();
            auto loaded = d->loadInvitations(id);
            if (!loaded)
                return loaded.error();
            if (loaded->empty())
                return Error::make(Error::Code::Internal, tr("The new invitation could not be read back."));
            created = std::move(loaded->front());
            // The token is a credential: the audit names the invitation by id only.
            return d->audit(actor, QStringLiteral("invitation.create"), QStringLiteral("invitation"),
                tr("invitation %1").arg(id), std::nullopt,
                QJsonObject {{QStringLiteral("id"), id}, {QStringLiteral("role"), invitation.role},
                    {QStringLiteral("group_id"),
                        invitation.groupId ? QJsonValue(*invitation.groupId) : QJsonValue()},
                    {QStringLiteral("group"), groupName.isEmpty() ? QJsonValue() : QJsonValue(groupName)},
                    {QStringLiteral("max_usage"), invitation.maxUsage},
                    {QStringLiteral("expires_at"), created.expiresAt}});
        },
        {StoreTable::Invitations});
    if (!st)
        return st.error();
    return created;
}

namespace {

// Deletes one invitation (as the host's revoke does) with its "invitation.revoke" audit row;
// call inside write()'s body. Priv is PlatformStore::Private (private to PlatformStore).
template<typename Priv> Status revokeOne(Priv &d, const Actor &actor, qint64 invitationId)
{
    auto loaded = d.loadInvitations(invitationId);
    if (!loaded)
        return loaded.error();
    if (loaded->empty()) {
        return storedetail::notFound(tr("Invitation not found (id %1); it may have been revoked "
                                        "meanwhile.")
                                         .arg(invitationId));
    }
    const InvitationRecord &r = loaded->front();
    const QJsonObject before {
        {QStringLiteral("id"), invitationId},
        {QStringLiteral("role"), r.role},
        {QStringLiteral("group_id"), r.groupId ? QJsonValue(*r.groupId) : QJsonValue()},
        {QStringLiteral("max_usage"), r.maxUsage},
        {QStringLiteral("usage_count"), r.usageCount},
        {QStringLiteral("expires_at"), r.expiresAt},
        {QStringLiteral("created_by_id"), r.createdById ? QJsonValue(*r.createdById) : QJsonValue()},
    };
    // The host's revoke deletes the row; so does Riverkeeper.
    auto deleted = d.run(QStringLiteral("DELETE FROM invitations WHERE id = ?1"), invitationId);
    if (!deleted)
        return deleted.error();
    return d.audit(actor, QStringLiteral("invitation.revoke"), QStringLiteral("invitation"),
        tr("invitation %1").arg(invitationId), before, std::nullopt);
}

} // namespace

Status PlatformStore::revokeInvitation(const Actor &actor, qint64 invitationId)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    return d->write(
        [&]() -> Status { return revokeOne(*d, actor, invitationId); }, {StoreTable::Invitations});
}

Result<int> PlatformStore::revokeInvitations(const Actor &actor, const QList<qint64> &ids)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    QList<qint64> unique = ids;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    if (unique.isEmpty())
        return Error::make(Error::Code::Invalid, tr("Choose at least one invitation to revoke."));
    auto st = d->write(
        [&]() -> Status {
            for (qint64 id : std::as_const(unique)) {
                if (auto done = revokeOne(*d, actor, id); !done)
                    return done;
            }
            return {};
        },
        {StoreTable::Invitations});
    if (!st)
        return st.error();
    return int(unique.size());
}

Result<std::vector<RevokedInvitation>> PlatformStore::revokedInvitations(const Actor &actor, int days)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    std::vector<RevokedInvitation> revoked;
    if (!d->hasRkTables)
        return revoked;
    // rk_audit.at is host datetime text, which orders as text; rk_audit_at makes this a range scan.
    const QString since
        = hosttime::toDbText(hosttime::Instant::now().addSecs(-qint64(qMax(0, days)) * 86400));
    auto stmt = d->query(
        QStringLiteral("SELECT at, actor, before_json FROM rk_audit "
                       "WHERE at >= ?1 AND action = 'invitation.revoke' ORDER BY at DESC, id DESC"),
        since);
    if (!stmt)
        return stmt.error();
    auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) {
        const QJsonObject before = QJsonDocument::fromJson(row.text(2).toUtf8()).object();
        RevokedInvitation r;
        r.id = before.value(QStringLiteral("id")).toInteger();
        r.role = before.value(QStringLiteral("role")).toString();
        r.revokedAt = row.text(0);
        r.revokedBy = row.text(1);
        revoked.push_back(std::move(r));
    });
    if (!st)
        return st.error();
    return revoked;
}

} // namespace rk
