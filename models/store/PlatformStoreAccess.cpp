// Sessions and API tokens: what lets someone in, and taking it away.

#include "PlatformStore.h"

#include "PlatformStore_p.h"
#include "core/HostTime.h"

namespace rk {

using storedetail::tr;

namespace {

QString sessionTarget(qint64 id, const QString &username)
{
    if (username.isEmpty())
        return tr("session %1").arg(id);
    return tr("session %1 of %2").arg(QString::number(id), username);
}

QString tokenTarget(const QString &name, const QString &owner)
{
    if (owner.isEmpty())
        return name;
    return tr("%1 (of %2)").arg(name, owner);
}

} // namespace

// --- sessions ---------------------------------------------------------------------------------

Result<std::vector<SessionRecord>> PlatformStore::listSessions(
    const Actor &actor, std::optional<qint64> userId)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    // sessions.session_id is the cookie itself: it is never selected.
    auto stmt = d->query(QStringLiteral("SELECT s.id, s.user_id, u.username, s.created_at, s.expires_at, "
                                        "s.expires_at <= ?1 FROM sessions s "
                                        "LEFT JOIN users u ON u.id = s.user_id "
                                        "WHERE ?2 IS NULL OR s.user_id = ?2 "
                                        "ORDER BY s.created_at DESC, s.id DESC"),
        hosttime::nowDbText(), userId);
    if (!stmt)
        return stmt.error();
    std::vector<SessionRecord> sessions;
    auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) {
        SessionRecord s;
        s.id = row.int64(0);
        s.userId = row.int64(1);
        s.username = row.text(2);
        s.createdAt = row.text(3);
        s.expiresAt = row.text(4);
        s.expired = row.int64(5) != 0;
        sessions.push_back(std::move(s));
    });
    if (!st)
        return st.error();
    return sessions;
}

Status PlatformStore::revokeSession(const Actor &actor, qint64 sessionRowId)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    return d->write(
        [&]() -> Status {
            auto stmt = d->query(QStringLiteral("SELECT s.user_id, u.username, s.created_at, s.expires_at "
                                                "FROM sessions s LEFT JOIN users u ON u.id = s.user_id "
                                                "WHERE s.id = ?1"),
                sessionRowId);
            if (!stmt)
                return stmt.error();
            auto row = stmt->step();
            if (!row)
                return row.error();
            if (!row.value()) {
                return storedetail::notFound(
                    tr("Session not found (id %1); it may have ended meanwhile.").arg(sessionRowId));
            }
            const qint64 userId = stmt->int64(0);
            const QString username = stmt->text(1);
            const QJsonObject before {{QStringLiteral("user_id"), userId},
                {QStringLiteral("username"), username}, {QStringLiteral("created_at"), stmt->text(2)},
                {QStringLiteral("expires_at"), stmt->text(3)}};
            stmt = SqlStatement();
            auto deleted = d->run(QStringLiteral("DELETE FROM sessions WHERE id = ?1"), sessionRowId);
            if (!deleted)
                return deleted.error();
            return d->audit(actor, QStringLiteral("session.revoke"), QStringLiteral("session"),
                sessionTarget(sessionRowId, username), before, std::nullopt);
        },
        {StoreTable::Sessions, StoreTable::Users});
}

Result<int> PlatformStore::revokeSessionsOf(const Actor &actor, qint64 userId)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    int revoked = 0;
    QList<StoreTable> touched = {StoreTable::Sessions, StoreTable::Users};
    auto st = d->write(
        [&]() -> Status {
            auto found = d->findUser(userId);
            if (!found)
                return found.error();
            auto count
                = d->integer(QStringLiteral("SELECT count(*) FROM sessions WHERE user_id = ?1"), userId);
            if (!count)
                return count.error();
            // Sessions left behind by a deleted user can still be removed by id.
            if (!found.value() && count.value() == 0) {
                return storedetail::notFound(
                    tr("User not found (id %1); it may have been deleted meanwhile.").arg(userId));
            }
            if (count.value() == 0) {
                touched.clear();
                return {};
            }
            auto deleted = d->run(QStringLiteral("DELETE FROM sessions WHERE user_id = ?1"), userId);
            if (!deleted)
                return deleted.error();
            revoked = deleted.value();
            const QString username = found.value() ? found.value()->username : QString();
            return d->audit(actor, QStringLiteral("session.revoke_user"), QStringLiteral("user"),
                username.isEmpty() ? tr("user %1").arg(userId) : username,
                QJsonObject {{QStringLiteral("user_id"), userId}, {QStringLiteral("sessions"), revoked}},
                QJsonObject {{QStringLiteral("sessions"), 0}});
        },
        touched);
    if (!st)
        return st.error();
    return revoked;
}

Result<int> PlatformStore::revokeAllSessionsExcept(const Actor &actor, qint64 keepUserId)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    int revoked = 0;
    QList<StoreTable> touched = {StoreTable::Sessions, StoreTable::Users};
    auto st = d->write(
        [&]() -> Status {
            auto deleted = d->run(QStringLiteral("DELETE FROM sessions WHERE user_id <> ?1"), keepUserId);
            if (!deleted)
                return deleted.error();
            revoked = deleted.value();
            if (revoked == 0) {
                touched.clear();
                return {};
            }
            auto kept = d->findUser(keepUserId);
            if (!kept)
                return kept.error();
            const QString keptName = kept.value() ? kept.value()->username : QString();
            return d->audit(actor, QStringLiteral("session.revoke_all_except"), QStringLiteral("session"),
                keptName.isEmpty() ? tr("all sessions") : tr("all sessions except %1's").arg(keptName),
                QJsonObject {{QStringLiteral("sessions_revoked"), revoked}},
                QJsonObject {{QStringLiteral("kept_user_id"), keepUserId}});
        },
        touched);
    if (!st)
        return st.error();
    return revoked;
}

// --- tokens -----------------------------------------------------------------------------------

Result<std::vector<TokenRecord>> PlatformStore::listTokens(const Actor &actor, std::optional<qint64> userId)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    // LEFT JOIN: rows of the anonymous pseudo-user (-1), X-Admin-Token calls (0) and deleted users
    // are listed with an empty owner so they can be revoked.
    auto stmt
        = d->query(QStringLiteral("SELECT t.id, t.user_id, u.username, t.name, t.created_at, t.last_used "
                                  "FROM tokens t LEFT JOIN users u ON u.id = t.user_id "
                                  "WHERE ?1 IS NULL OR t.user_id = ?1 "
                                  "ORDER BY t.created_at DESC, t.id DESC"),
            userId);
    if (!stmt)
        return stmt.error();
    std::vector<TokenRecord> tokenList;
    auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) {
        TokenRecord t;
        t.id = row.int64(0);
        t.userId = row.int64(1);
        t.owner = row.text(2);
        t.name = row.text(3);
        t.createdAt = row.text(4);
        t.lastUsed = row.text(5);
        tokenList.push_back(std::move(t));
    });
    if (!st)
        return st.error();
    return tokenList;
}

Result<CreatedToken> PlatformStore::createToken(const Actor &actor, qint64 userId, const QString &name)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    if (auto st = storedetail::checkText(name, 1, 100, tr("The token name")); !st)
        return st.error();
    CreatedToken created;
    auto st = d->write(
        [&]() -> Status {
            auto owner = d->findUser(userId);
            if (!owner)
                return owner.error();
            if (!owner.value()) {
                return storedetail::notFound(
                    tr("User not found (id %1); it may have been deleted meanwhile.").arg(userId));
            }
            // The plaintext lives only in `created`, which goes back to the caller once.
            created.plaintext = tokens::randomHex64();
            const QString now = hosttime::nowDbText();
            auto inserted = d->run(QStringLiteral("INSERT INTO tokens (user_id, token_hash, name, last_used, "
                                                  "created_at) VALUES (?1, ?2, ?3, NULL, ?4)"),
                userId, tokens::sha3_512Hex(created.plaintext), name, now);
            if (!inserted)
                return inserted.error();
            created.record.id = d->db->lastInsertRowId();
            created.record.userId = userId;
            created.record.owner = owner.value()->username;
            created.record.name = name;
            created.record.createdAt = now;
            return d->audit(actor, QStringLiteral("token.create"), QStringLiteral("token"),
                tokenTarget(name, created.record.owner), std::nullopt,
                QJsonObject {{QStringLiteral("id"), created.record.id}, {QStringLiteral("user_id"), userId},
                    {QStringLiteral("name"), name}});
        },
        {StoreTable::Tokens});
    if (!st)
        return st.error();
    return created;
}

Status PlatformStore::revokeToken(const Actor &actor, qint64 tokenId)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st;
    return d->write(
        [&]() -> Status {
            auto stmt
                = d->query(QStringLiteral("SELECT t.user_id, u.username, t.name, t.created_at, t.last_used "
                                          "FROM tokens t LEFT JOIN users u ON u.id = t.user_id "
                                          "WHERE t.id = ?1"),
                    tokenId);
            if (!stmt)
                return stmt.error();
            auto row = stmt->step();
            if (!row)
                return row.error();
            if (!row.value())
                return storedetail::notFound(
                    tr("Token not found (id %1); it may have been revoked meanwhile.").arg(tokenId));
            const QString owner = stmt->text(1);
            const QString name = stmt->text(2);
            const QJsonObject before {{QStringLiteral("id"), tokenId},
                {QStringLiteral("user_id"), stmt->int64(0)}, {QStringLiteral("owner"), owner},
                {QStringLiteral("name"), name}, {QStringLiteral("created_at"), stmt->text(3)},
                {QStringLiteral("last_used"), stmt->isNull(4) ? QJsonValue() : QJsonValue(stmt->text(4))}};
            stmt = SqlStatement();
            auto deleted = d->run(QStringLiteral("DELETE FROM tokens WHERE id = ?1"), tokenId);
            if (!deleted)
                return deleted.error();
            return d->audit(actor, QStringLiteral("token.revoke"), QStringLiteral("token"),
                tokenTarget(name, owner), before, std::nullopt);
        },
        {StoreTable::Tokens});
}

} // namespace rk
