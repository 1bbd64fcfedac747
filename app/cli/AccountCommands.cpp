#include "AccountCommands.h"

#include "CliContext.h"
#include "core/Role.h"
#include "core/Secrets.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rk::cli {

namespace {

std::optional<qint64> parseId(const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    return ok ? std::optional<qint64>(id) : std::nullopt;
}

// The five role names of the host's hierarchy; which of them an actor may assign is the store's call.
bool checkRoleName(CliContext &ctx, const QString &role, int *exitStatus)
{
    if (roles::isKnown(role))
        return true;
    *exitStatus = ctx.usageError(
        QCoreApplication::translate("rk::cli", "Unknown role \"%1\": use viewer, user, operator or admin.")
            .arg(role));
    return false;
}

// Asks for, checks and hashes a new password (bcrypt cost 12, about 0.25 s).
std::optional<PasswordHash> newPasswordHash(CliContext &ctx, const QString &username, int *exitStatus)
{
    const auto password
        = ctx.newPassword(QCoreApplication::translate("rk::cli", "New password for %1: ").arg(username));
    if (!password) {
        *exitStatus = ctx.usageError(QCoreApplication::translate("rk::cli",
            "No new password given for %1: write it as the second line of standard "
            "input or set RIVERKEEPER_NEW_PASSWORD.")
                                         .arg(username));
        return std::nullopt;
    }
    if (const Status policy = ctx.store().checkPasswordPolicy(*password); !policy) {
        *exitStatus = ctx.fail(policy.error());
        return std::nullopt;
    }
    auto hash = Passwords::hash(*password);
    if (!hash) {
        *exitStatus = ctx.fail(hash.error());
        return std::nullopt;
    }
    return *hash;
}

QJsonObject userJson(const UserRecord &u)
{
    return QJsonObject {
        {QStringLiteral("id"), u.id},
        {QStringLiteral("username"), u.username},
        {QStringLiteral("display_name"), CliContext::jsonText(u.displayName)},
        {QStringLiteral("role"), u.role},
        {QStringLiteral("is_active"), u.active},
        {QStringLiteral("created_at"), CliContext::jsonText(u.createdAt)},
        {QStringLiteral("active_sessions"), u.activeSessions},
        {QStringLiteral("last_sign_in"), CliContext::jsonText(u.lastSignIn)},
        {QStringLiteral("groups"), QJsonArray::fromStringList(u.groups)},
    };
}

QJsonObject tokenJson(const TokenRecord &t)
{
    return QJsonObject {
        {QStringLiteral("id"), t.id},
        {QStringLiteral("user_id"), t.userId},
        {QStringLiteral("owner"), CliContext::jsonText(t.owner)},
        {QStringLiteral("name"), t.name},
        {QStringLiteral("created_at"), CliContext::jsonText(t.createdAt)},
        {QStringLiteral("last_used"), CliContext::jsonText(t.lastUsed)},
    };
}

// --of NAME -> that user's id; no --of -> everyone.
bool userFilter(CliContext &ctx, std::optional<qint64> *userId, int *exitStatus)
{
    if (!ctx.has(QStringLiteral("of")))
        return true;
    auto user = ctx.userNamed(ctx.value(QStringLiteral("of")));
    if (!user) {
        *exitStatus = ctx.fail(user.error());
        return false;
    }
    *userId = user->id;
    return true;
}

} // namespace

// --- users ------------------------------------------------------------------------------------

int AccountCommands::usersList(CliContext &ctx)
{
    auto users = ctx.store().listUsers(ctx.actor());
    if (!users)
        return ctx.fail(users.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const UserRecord &u : *users)
            array.append(userJson(u));
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const UserRecord &u : *users) {
        rows << QStringList {QString::number(u.id), u.username, CliContext::orDash(u.displayName), u.role,
            u.active ? tr("active") : tr("suspended"), QString::number(u.activeSessions),
            CliContext::shortTime(u.lastSignIn), CliContext::orDash(u.groups.join(QLatin1Char(','))),
            CliContext::shortTime(u.createdAt)};
    }
    ctx.printTable({tr("ID"), tr("USERNAME"), tr("DISPLAY NAME"), tr("ROLE"), tr("STATUS"), tr("SESSIONS"),
                       tr("LAST SIGN-IN"), tr("GROUPS"), tr("CREATED")},
        rows);
    return ExitOk;
}

int AccountCommands::usersCreate(CliContext &ctx)
{
    int status = ExitOk;
    NewUser user;
    user.username = ctx.argument(0);
    user.role = ctx.value(QStringLiteral("role"));
    user.displayName = ctx.value(QStringLiteral("display-name"));
    if (!checkRoleName(ctx, user.role, &status))
        return status;
    const auto hash = newPasswordHash(ctx, user.username, &status);
    if (!hash)
        return status;
    auto id = ctx.store().createUser(ctx.actor(), user, *hash);
    if (!id)
        return ctx.fail(id.error());
    ctx.print(tr("Created user %1 (id %2, role %3).").arg(user.username).arg(*id).arg(user.role));
    return ExitOk;
}

int AccountCommands::usersSet(CliContext &ctx)
{
    int status = ExitOk;
    const auto edit = ctx.userEdit(&status);
    if (!edit)
        return status;
    UserChanges changes;
    changes.role = edit->role;
    changes.active = edit->active;
    changes.displayName = edit->displayName;

    auto user = ctx.userNamed(ctx.argument(0));
    if (!user)
        return ctx.fail(user.error());
    if (const Status updated = ctx.store().updateUser(ctx.actor(), user->id, changes); !updated)
        return ctx.fail(updated.error());
    ctx.print(tr("Updated %1: %2.").arg(user->username, edit->described.join(QLatin1String(", "))));
    return ExitOk;
}

int AccountCommands::usersResetPassword(CliContext &ctx)
{
    auto user = ctx.userNamed(ctx.argument(0));
    if (!user)
        return ctx.fail(user.error());
    int status = ExitOk;
    const auto hash = newPasswordHash(ctx, user->username, &status);
    if (!hash)
        return status;
    if (const Status reset = ctx.store().resetPassword(ctx.actor(), user->id, *hash); !reset)
        return ctx.fail(reset.error());
    ctx.print(tr("Set a new password for %1.").arg(user->username));
    return ExitOk;
}

int AccountCommands::usersDelete(CliContext &ctx)
{
    auto user = ctx.userNamed(ctx.argument(0));
    if (!user)
        return ctx.fail(user.error());
    auto impact = ctx.store().deleteUser(ctx.actor(), user->id);
    if (!impact)
        return ctx.fail(impact.error());
    ctx.print(tr("Deleted user %1 with %2 session(s), %3 token(s), %4 group membership(s) and %5 VPS "
                 "assignment(s); %6 task(s) kept.")
                  .arg(user->username)
                  .arg(impact->sessions)
                  .arg(impact->tokens)
                  .arg(impact->groupMemberships)
                  .arg(impact->vpsAssignments)
                  .arg(impact->tasksKept));
    return ExitOk;
}

// --- sessions ---------------------------------------------------------------------------------

int AccountCommands::sessionsList(CliContext &ctx)
{
    int status = ExitOk;
    std::optional<qint64> userId;
    if (!userFilter(ctx, &userId, &status))
        return status;
    auto sessions = ctx.store().listSessions(ctx.actor(), userId);
    if (!sessions)
        return ctx.fail(sessions.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const SessionRecord &s : *sessions) {
            array.append(QJsonObject {
                {QStringLiteral("id"), s.id},
                {QStringLiteral("user_id"), s.userId},
                {QStringLiteral("username"), CliContext::jsonText(s.username)},
                {QStringLiteral("created_at"), CliContext::jsonText(s.createdAt)},
                {QStringLiteral("expires_at"), CliContext::jsonText(s.expiresAt)},
                {QStringLiteral("expired"), s.expired},
            });
        }
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const SessionRecord &s : *sessions) {
        rows << QStringList {QString::number(s.id),
            s.username.isEmpty() ? tr("(deleted user %1)").arg(s.userId) : s.username,
            CliContext::shortTime(s.createdAt), CliContext::shortTime(s.expiresAt),
            s.expired ? tr("expired") : tr("active")};
    }
    ctx.printTable({tr("ID"), tr("USER"), tr("SIGNED IN"), tr("EXPIRES"), tr("STATE")}, rows);
    return ExitOk;
}

int AccountCommands::sessionsRevoke(CliContext &ctx)
{
    const int given = int(ctx.has(QStringLiteral("id"))) + int(ctx.has(QStringLiteral("of")))
        + int(ctx.has(QStringLiteral("all-except")));
    if (given != 1)
        return ctx.usageError(
            tr("sessions revoke needs exactly one of --id ID, --of NAME and --all-except NAME."));

    if (ctx.has(QStringLiteral("id"))) {
        const auto id = parseId(ctx.value(QStringLiteral("id")));
        if (!id)
            return ctx.usageError(
                tr("--id needs a session id (a number), not \"%1\".").arg(ctx.value(QStringLiteral("id"))));
        if (const Status revoked = ctx.store().revokeSession(ctx.actor(), *id); !revoked)
            return ctx.fail(revoked.error());
        ctx.print(tr("Revoked session %1.").arg(*id));
        return ExitOk;
    }
    const bool of = ctx.has(QStringLiteral("of"));
    auto user = ctx.userNamed(ctx.value(of ? QStringLiteral("of") : QStringLiteral("all-except")));
    if (!user)
        return ctx.fail(user.error());
    auto count = of ? ctx.store().revokeSessionsOf(ctx.actor(), user->id)
                    : ctx.store().revokeAllSessionsExcept(ctx.actor(), user->id);
    if (!count)
        return ctx.fail(count.error());
    if (of)
        ctx.print(tr("Revoked %1 session(s) of %2.").arg(*count).arg(user->username));
    else
        ctx.print(tr("Revoked %1 session(s); kept those of %2.").arg(*count).arg(user->username));
    return ExitOk;
}

// --- tokens -----------------------------------------------------------------------------------

int AccountCommands::tokensList(CliContext &ctx)
{
    int status = ExitOk;
    std::optional<qint64> userId;
    if (!userFilter(ctx, &userId, &status))
        return status;
    auto tokens = ctx.store().listTokens(ctx.actor(), userId);
    if (!tokens)
        return ctx.fail(tokens.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const TokenRecord &t : *tokens)
            array.append(tokenJson(t));
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const TokenRecord &t : *tokens) {
        rows << QStringList {QString::number(t.id),
            t.owner.isEmpty() ? tr("(user id %1)").arg(t.userId) : t.owner, t.name,
            CliContext::shortTime(t.createdAt),
            t.lastUsed.isEmpty() ? tr("never") : CliContext::shortTime(t.lastUsed)};
    }
    ctx.printTable({tr("ID"), tr("OWNER"), tr("NAME"), tr("CREATED"), tr("LAST USED")}, rows);
    return ExitOk;
}

int AccountCommands::tokensCreate(CliContext &ctx)
{
    if (!ctx.has(QStringLiteral("for")))
        return ctx.usageError(
            tr("tokens create needs --for NAME with --db: the user the token signs in as."));
    auto user = ctx.userNamed(ctx.value(QStringLiteral("for")));
    if (!user)
        return ctx.fail(user.error());
    auto created = ctx.store().createToken(ctx.actor(), user->id, ctx.value(QStringLiteral("name")));
    if (!created)
        return ctx.fail(created.error());
    if (ctx.json()) {
        QJsonObject object = tokenJson(created->record);
        object.insert(QStringLiteral("token"), created->plaintext);
        ctx.printJson(object);
        return ExitOk;
    }
    ctx.print(tr("Created token %1 \"%2\" for %3. Store it now: it is shown only this once.")
                  .arg(created->record.id)
                  .arg(created->record.name, user->username));
    ctx.print(created->plaintext);
    return ExitOk;
}

int AccountCommands::tokensRevoke(CliContext &ctx)
{
    const auto id = parseId(ctx.argument(0));
    if (!id)
        return ctx.usageError(
            tr("tokens revoke needs a token id (a number), not \"%1\".").arg(ctx.argument(0)));
    if (const Status revoked = ctx.store().revokeToken(ctx.actor(), *id); !revoked)
        return ctx.fail(revoked.error());
    ctx.print(tr("Revoked token %1.").arg(*id));
    return ExitOk;
}

} // namespace rk::cli
