// Sessions and API tokens by the handful or by the thousand: counting what a revocation would take
// away (for its confirmation), and revoking a selection or all of a user's tokens in one
// transaction, all or nothing, with an rk_audit row per session or token.

#include "PlatformStore.h"

#include "PlatformStore_p.h"

#include <QSet>

#include <algorithm>

namespace rk {

using storedetail::tr;

namespace {

// The two tables these methods work on; their names are constants, never input.
enum class AccessTable { Sessions, Tokens };

QString tableName(AccessTable table)
{
    return table == AccessTable::Sessions ? QStringLiteral("sessions") : QStringLiteral("tokens");
}

// Ascending, each id once: the processing order, and what "duplicates count once" means.
QList<qint64> uniqueIds(const QList<qint64> &ids)
{
    QList<qint64> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    return sorted;
}

// The same audit targets as revokeSession() and revokeToken(), so one filter finds them all.
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

Error goneMeanwhile(AccessTable table, int missing, int asked)
{
    const bool sessions = table == AccessTable::Sessions;
    QString text;
    if (asked == 1) {
        text = sessions ? tr("The session no longer exists: it ended or was revoked meanwhile.")
                        : tr("The token no longer exists: it was revoked meanwhile.");
    } else if (missing == 1) {
        text = sessions ? tr("One of the %1 sessions no longer exists (it ended or was revoked meanwhile), "
                             "so none was revoked.")
                              .arg(asked)
                        : tr("One of the %1 tokens no longer exists (it was revoked meanwhile), so none "
                             "was revoked.")
                              .arg(asked);
    } else {
        text = sessions ? tr("%1 of the %2 sessions no longer exist (they ended or were revoked "
                             "meanwhile), so none was revoked.")
                              .arg(missing)
                              .arg(asked)
                        : tr("%1 of the %2 tokens no longer exist (they were revoked meanwhile), so none "
                             "was revoked.")
                              .arg(missing)
                              .arg(asked);
    }
    return storedetail::notFound(text);
}

// One row about to be revoked, read before the delete for its audit row.
struct Doomed
{
    qint64 id = 0;
    QString target;
    QJsonObject before;
};

} // namespace

// --- counting ---------------------------------------------------------------------------------

namespace {

// A template over PlatformStore::Private, which is private to the class (as in the checks).
template<typename Priv>
Result<PlatformStore::RevocationCount> countRows(
    Priv &d, AccessTable table, const PlatformStore::RevocationScope &scope)
{
    using Kind = PlatformStore::RevocationScope::Kind;
    const QString name = tableName(table);
    PlatformStore::RevocationCount count;
    auto st = d.db->readTransaction([&]() -> Status {
        switch (scope.kind) {
        case Kind::Rows: {
            auto stmt = d.query(QStringLiteral("SELECT user_id FROM %1 WHERE id = ?1").arg(name));
            if (!stmt)
                return stmt.error();
            QSet<qint64> users;
            for (const qint64 id : uniqueIds(scope.ids)) {
                stmt->reset();
                stmt->bind(1, id);
                auto row = stmt->step();
                if (!row)
                    return row.error();
                if (row.value()) {
                    ++count.records;
                    users.insert(stmt->int64(0));
                } else {
                    ++count.missing;
                }
            }
            count.users = int(users.size());
            return {};
        }
        case Kind::OfUser: {
            auto n = d.integer(
                QStringLiteral("SELECT count(*) FROM %1 WHERE user_id = ?1").arg(name), scope.userId);
            if (!n)
                return n.error();
            count.records = int(n.value());
            count.users = count.records > 0 ? 1 : 0;
            return {};
        }
        case Kind::AllExcept: {
            auto stmt = d.query(
                QStringLiteral("SELECT count(*), count(DISTINCT user_id) FROM %1 WHERE user_id <> ?1")
                    .arg(name),
                scope.userId);
            if (!stmt)
                return stmt.error();
            auto row = stmt->step();
            if (!row)
                return row.error();
            count.records = int(stmt->int64(0));
            count.users = int(stmt->int64(1));
            auto kept = d.integer(
                QStringLiteral("SELECT count(*) FROM %1 WHERE user_id = ?1").arg(name), scope.userId);
            if (!kept)
                return kept.error();
            count.kept = int(kept.value());
            return {};
        }
        }
        return {};
    });
    if (!st)
        return st.error();
    return count;
}

} // namespace

Result<PlatformStore::RevocationCount> PlatformStore::countSessions(
    const Actor &actor, const RevocationScope &scope)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    return countRows(*d, AccessTable::Sessions, scope);
}

Result<PlatformStore::RevocationCount> PlatformStore::countTokens(
    const Actor &actor, const RevocationScope &scope)
{
    if (auto st = Private::require(actor, Permission::ManageUsers); !st)
        return st.error();
    return countRows(*d, AccessTable::Tokens, scope);
}

// --- revoking ---------------------------------------------------------------------------------

namespace {

// Reads every row of `ids` (for the audit) before anything is deleted; NotFound, with how many are
// gone, when any is missing. Called inside the write transaction.
template<typename Priv>
Result<std::vector<Doomed>> readDoomed(Priv &d, AccessTable table, const QList<qint64> &ids)
{
    const bool sessions = table == AccessTable::Sessions;
    // Never the cookie (sessions.session_id) nor the token hash.
    auto stmt
        = d.query(sessions ? QStringLiteral("SELECT s.user_id, u.username, s.created_at, s.expires_at, NULL "
                                            "FROM sessions s LEFT JOIN users u ON u.id = s.user_id "
                                            "WHERE s.id = ?1")
                           : QStringLiteral("SELECT t.user_id, u.username, t.created_at, t.last_used, t.name "
                                            "FROM tokens t LEFT JOIN users u ON u.id = t.user_id "
                                            "WHERE t.id = ?1"));
    if (!stmt)
        return stmt.error();
    std::vector<Doomed> doomed;
    doomed.reserve(size_t(ids.size()));
    int missing = 0;
    for (const qint64 id : ids) {
        stmt->reset();
        stmt->bind(1, id);
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!row.value()) {
            ++missing;
            continue;
        }
        const qint64 userId = stmt->int64(0);
        const QString username = stmt->text(1);
        Doomed item;
        item.id = id;
        if (sessions) {
            item.target = sessionTarget(id, username);
            item.before = QJsonObject {{QStringLiteral("user_id"), userId},
                {QStringLiteral("username"), username}, {QStringLiteral("created_at"), stmt->text(2)},
                {QStringLiteral("expires_at"), stmt->text(3)}};
        } else {
            const QString tokenName = stmt->text(4);
            item.target = tokenTarget(tokenName, username);
            item.before = QJsonObject {{QStringLiteral("id"), id}, {QStringLiteral("user_id"), userId},
                {QStringLiteral("owner"), username}, {QStringLiteral("name"), tokenName},
                {QStringLiteral("created_at"), stmt->text(2)},
                {QStringLiteral("last_used"), stmt->isNull(3) ? QJsonValue() : QJsonValue(stmt->text(3))}};
        }
        doomed.push_back(std::move(item));
    }
    if (missing > 0)
        return goneMeanwhile(table, missing, int(ids.size()));
    return doomed;
}

// Deletes the rows read by readDoomed() and records one audit row each.
template<typename Priv>
Status removeDoomed(Priv &d, const Actor &actor, AccessTable table, const std::vector<Doomed> &doomed)
{
    const bool sessions = table == AccessTable::Sessions;
    auto del = d.query(QStringLiteral("DELETE FROM %1 WHERE id = ?1").arg(tableName(table)));
    if (!del)
        return del.error();
    for (const Doomed &item : doomed) {
        del->reset();
        del->bind(1, item.id);
        if (auto st = del->run(); !st)
            return st;
        if (d.db->changes() != 1)
            return Error::make(Error::Code::Internal, tr("A row changed while it was being revoked."));
        auto st = d.audit(actor, sessions ? QStringLiteral("session.revoke") : QStringLiteral("token.revoke"),
            sessions ? QStringLiteral("session") : QStringLiteral("token"), item.target, item.before,
            std::nullopt);
        if (!st)
            return st;
    }
    return {};
}

} // namespace

Result<int> PlatformStore::revokeSessions(const Actor &actor, const QList<qint64> &sessionRowIds)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    const QList<qint64> ids = uniqueIds(sessionRowIds);
    if (ids.isEmpty())
        return 0;
    int revoked = 0;
    auto st = d->write(
        [&]() -> Status {
            auto doomed = readDoomed(*d, AccessTable::Sessions, ids);
            if (!doomed)
                return doomed.error();
            if (auto removed = removeDoomed(*d, actor, AccessTable::Sessions, doomed.value()); !removed)
                return removed;
            revoked = int(doomed->size());
            return {};
        },
        {StoreTable::Sessions, StoreTable::Users});
    if (!st)
        return st.error();
    return revoked;
}

Result<int> PlatformStore::revokeTokens(const Actor &actor, const QList<qint64> &tokenIds)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    const QList<qint64> ids = uniqueIds(tokenIds);
    if (ids.isEmpty())
        return 0;
    int revoked = 0;
    auto st = d->write(
        [&]() -> Status {
            auto doomed = readDoomed(*d, AccessTable::Tokens, ids);
            if (!doomed)
                return doomed.error();
            if (auto removed = removeDoomed(*d, actor, AccessTable::Tokens, doomed.value()); !removed)
                return removed;
            revoked = int(doomed->size());
            return {};
        },
        {StoreTable::Tokens});
    if (!st)
        return st.error();
    return revoked;
}

Result<int> PlatformStore::revokeTokensOf(const Actor &actor, qint64 userId)
{
    if (auto st = d->guardWrite(actor, Permission::ManageUsers); !st)
        return st.error();
    int revoked = 0;
    QList<StoreTable> touched = {StoreTable::Tokens};
    auto st = d->write(
        [&]() -> Status {
            auto found = d->findUser(userId);
            if (!found)
                return found.error();
            QList<qint64> ids;
            {
                auto stmt = d->query(
                    QStringLiteral("SELECT id FROM tokens WHERE user_id = ?1 ORDER BY id"), userId);
                if (!stmt)
                    return stmt.error();
                if (auto each
                    = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) { ids << row.int64(0); });
                    !each)
                    return each;
            }
            if (ids.isEmpty()) {
                touched.clear();
                if (!found.value()) {
                    return storedetail::notFound(
                        tr("User not found (id %1); it may have been deleted meanwhile.").arg(userId));
                }
                return {};
            }
            auto doomed = readDoomed(*d, AccessTable::Tokens, ids);
            if (!doomed)
                return doomed.error();
            if (auto removed = removeDoomed(*d, actor, AccessTable::Tokens, doomed.value()); !removed)
                return removed;
            revoked = int(doomed->size());
            return {};
        },
        touched);
    if (!st)
        return st.error();
    return revoked;
}

} // namespace rk
