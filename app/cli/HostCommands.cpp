#include "HostCommands.h"

#include "CliContext.h"
#include "CliHostSession.h"
#include "connection/Capabilities.h"
#include "core/Role.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rk::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::cli", text);
}

std::optional<qint64> parseId(const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    return ok ? std::optional<qint64>(id) : std::nullopt;
}

std::optional<int> parseInt(const QString &text)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    return ok ? std::optional<int>(value) : std::nullopt;
}

QJsonValue optionalId(const std::optional<qint64> &id)
{
    return id ? QJsonValue(*id) : QJsonValue(QJsonValue::Null);
}

QJsonValue timeJson(const HostTimestamp &instant)
{
    return CliContext::jsonText(CliContext::timeText(instant));
}

QString timeCell(const HostTimestamp &instant)
{
    return CliContext::shortTime(CliContext::timeText(instant));
}

QJsonObject userJson(const HostUser &u)
{
    return QJsonObject {
        {QStringLiteral("id"), u.id},
        {QStringLiteral("username"), u.username},
        {QStringLiteral("display_name"), CliContext::jsonText(u.displayName)},
        {QStringLiteral("role"), u.role},
        {QStringLiteral("is_active"), u.active},
        {QStringLiteral("created_at"), timeJson(u.createdAt)},
    };
}

// The host has no lookup by name: the users list (operator+) is the only way to an id.
Result<HostUser> userNamed(CliHostSession &host, const QString &username)
{
    auto users = host.await(host.client().users());
    if (!users)
        return users.error();
    for (const HostUser &u : *users) {
        if (u.username == username)
            return u;
    }
    return Error::make(Error::Code::NotFound, tr("There is no user named \"%1\" on the host.").arg(username));
}

QString invitationState(const HostInvitation &inv)
{
    if (inv.valid)
        return QStringLiteral("valid");
    return inv.remainingUses <= 0 ? QStringLiteral("used_up") : QStringLiteral("expired");
}

QString invitationStateText(const HostInvitation &inv)
{
    if (inv.valid)
        return tr("valid");
    return inv.remainingUses <= 0 ? tr("used up") : tr("expired");
}

QJsonObject invitationJson(const HostInvitation &inv)
{
    return QJsonObject {
        {QStringLiteral("id"), inv.id},
        {QStringLiteral("token"), inv.token},
        {QStringLiteral("role"), inv.role},
        {QStringLiteral("group_id"), optionalId(inv.groupId)},
        {QStringLiteral("max_usage"), inv.maxUsage},
        {QStringLiteral("usage_count"), inv.usageCount},
        {QStringLiteral("remaining_uses"), inv.remainingUses},
        {QStringLiteral("expires_at"), timeJson(inv.expiresAt)},
        {QStringLiteral("is_valid"), inv.valid},
        {QStringLiteral("state"), invitationState(inv)},
        {QStringLiteral("created_by_id"), optionalId(inv.createdById)},
        {QStringLiteral("created_at"), timeJson(inv.createdAt)},
    };
}

QString needsDatabase(const QString &what, const QString &reason)
{
    return tr("%1 needs the platform database (--db FILE): %2").arg(what, reason);
}

QString apiLacks(Feature feature)
{
    return Capabilities(ConnectionProfile::Kind::Host).reason(feature);
}

} // namespace

// --- users ------------------------------------------------------------------------------------

int HostCommands::usersList(CliContext &ctx)
{
    auto users = ctx.host()->await(ctx.host()->client().users());
    if (!users)
        return ctx.fail(users.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const HostUser &u : *users)
            array.append(userJson(u));
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const HostUser &u : *users) {
        rows << QStringList {QString::number(u.id), u.username, CliContext::orDash(u.displayName), u.role,
            u.active ? tr("active") : tr("suspended"), timeCell(u.createdAt)};
    }
    ctx.printTable(
        {tr("ID"), tr("USERNAME"), tr("DISPLAY NAME"), tr("ROLE"), tr("STATUS"), tr("CREATED")}, rows);
    return ExitOk;
}

int HostCommands::usersSet(CliContext &ctx)
{
    int status = ExitOk;
    const auto edit = ctx.userEdit(&status);
    if (!edit)
        return status;
    auto user = userNamed(*ctx.host(), ctx.argument(0));
    if (!user)
        return ctx.fail(user.error());
    HostUserChanges changes;
    changes.role = edit->role;
    changes.active = edit->active;
    changes.displayName = edit->displayName;
    auto updated = ctx.host()->await(ctx.host()->client().updateUser(user->id, changes));
    if (!updated)
        return ctx.fail(updated.error());
    ctx.print(tr("Updated %1: %2.").arg(updated->username, edit->described.join(QLatin1String(", "))));
    return ExitOk;
}

int HostCommands::usersDelete(CliContext &ctx)
{
    auto user = userNamed(*ctx.host(), ctx.argument(0));
    if (!user)
        return ctx.fail(user.error());
    auto deleted = ctx.host()->await(ctx.host()->client().deleteUser(user->id));
    if (!deleted)
        return ctx.fail(deleted.error());
    ctx.print(tr("Deleted user %1 (id %2) on the host.").arg(user->username).arg(user->id));
    return ExitOk;
}

// --- tokens -----------------------------------------------------------------------------------

int HostCommands::tokensList(CliContext &ctx)
{
    auto tokens = ctx.host()->await(ctx.host()->client().tokens());
    if (!tokens)
        return ctx.fail(tokens.error());
    const QString owner = ctx.host()->me().username;
    if (ctx.json()) {
        QJsonArray array;
        for (const HostToken &t : *tokens) {
            array.append(QJsonObject {
                {QStringLiteral("id"), t.id},
                {QStringLiteral("owner"), owner},
                {QStringLiteral("name"), t.name},
                {QStringLiteral("created_at"), timeJson(t.createdAt)},
                {QStringLiteral("last_used"), timeJson(t.lastUsed)},
            });
        }
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const HostToken &t : *tokens) {
        rows << QStringList {QString::number(t.id), owner, t.name, timeCell(t.createdAt),
            t.lastUsed ? timeCell(t.lastUsed) : tr("never")};
    }
    ctx.printTable({tr("ID"), tr("OWNER"), tr("NAME"), tr("CREATED"), tr("LAST USED")}, rows);
    return ExitOk;
}

int HostCommands::tokensCreate(CliContext &ctx)
{
    auto created = ctx.host()->await(ctx.host()->client().createToken(ctx.value(QStringLiteral("name"))));
    if (!created)
        return ctx.fail(created.error());
    const QString owner = ctx.host()->me().username;
    if (ctx.json()) {
        ctx.printJson(QJsonObject {
            {QStringLiteral("id"), created->id},
            {QStringLiteral("owner"), owner},
            {QStringLiteral("name"), created->name},
            {QStringLiteral("created_at"), timeJson(created->createdAt)},
            {QStringLiteral("token"), created->token},
        });
        return ExitOk;
    }
    ctx.print(tr("Created token %1 \"%2\" for %3. Store it now: it is shown only this once.")
                  .arg(created->id)
                  .arg(created->name, owner));
    ctx.print(created->token);
    return ExitOk;
}

int HostCommands::tokensRevoke(CliContext &ctx)
{
    const auto id = parseId(ctx.argument(0));
    if (!id)
        return ctx.usageError(
            tr("tokens revoke needs a token id (a number), not \"%1\".").arg(ctx.argument(0)));
    auto revoked = ctx.host()->await(ctx.host()->client().revokeToken(*id));
    if (!revoked)
        return ctx.fail(revoked.error());
    ctx.print(tr("Revoked token %1.").arg(*id));
    return ExitOk;
}

// --- invitations ------------------------------------------------------------------------------

int HostCommands::invitationsList(CliContext &ctx)
{
    auto invitations = ctx.host()->await(ctx.host()->client().invitations());
    if (!invitations)
        return ctx.fail(invitations.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const HostInvitation &inv : *invitations)
            array.append(invitationJson(inv));
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const HostInvitation &inv : *invitations) {
        rows << QStringList {QString::number(inv.id), inv.token, inv.role,
            inv.groupId ? QString::number(*inv.groupId) : QStringLiteral("-"),
            QStringLiteral("%1/%2").arg(inv.usageCount).arg(inv.maxUsage), invitationStateText(inv),
            timeCell(inv.expiresAt),
            inv.createdById ? QString::number(*inv.createdById) : QStringLiteral("-")};
    }
    ctx.printTable({tr("ID"), tr("TOKEN"), tr("ROLE"), tr("GROUP ID"), tr("USED"), tr("STATE"), tr("EXPIRES"),
                       tr("CREATED BY ID")},
        rows);
    return ExitOk;
}

int HostCommands::invitationsCreate(CliContext &ctx)
{
    HostNewInvitation invitation;
    invitation.role = ctx.value(QStringLiteral("role"));
    if (!roles::isKnown(invitation.role))
        return ctx.usageError(
            tr("Unknown role \"%1\": use viewer, user, operator or admin.").arg(invitation.role));
    if (ctx.has(QStringLiteral("uses"))) {
        const auto uses = parseInt(ctx.value(QStringLiteral("uses")));
        if (!uses)
            return ctx.usageError(
                tr("--uses needs a number, not \"%1\".").arg(ctx.value(QStringLiteral("uses"))));
        invitation.maxUsage = *uses;
    }
    if (ctx.has(QStringLiteral("expires-hours"))) {
        const auto hours = parseInt(ctx.value(QStringLiteral("expires-hours")));
        if (!hours) {
            return ctx.usageError(tr("--expires-hours needs a number, not \"%1\".")
                                      .arg(ctx.value(QStringLiteral("expires-hours"))));
        }
        invitation.expiresHours = *hours;
    }
    // The host's rule (kohakuriver-host.md 1.1), said before sending rather than as a bare 403.
    const HostUser &me = ctx.host()->me();
    if (me.roleLevel() == Role::Operator && invitation.role != QLatin1String("viewer")) {
        return ctx.fail(
            tr("Operators may only create viewer invitations on the host (you are %1, an operator); "
               "ask an admin for a %2 invitation.")
                .arg(me.username, invitation.role));
    }
    auto created = ctx.host()->await(ctx.host()->client().createInvitation(invitation));
    if (!created)
        return ctx.fail(created.error());
    if (ctx.json()) {
        ctx.printJson(invitationJson(*created));
        return ExitOk;
    }
    ctx.print(tr("Created invitation %1: role %2, %3 use(s), expires %4.")
                  .arg(created->id)
                  .arg(created->role)
                  .arg(created->maxUsage)
                  .arg(timeCell(created->expiresAt)));
    ctx.print(created->token);
    return ExitOk;
}

int HostCommands::invitationsRevoke(CliContext &ctx)
{
    const auto id = parseId(ctx.argument(0));
    if (!id)
        return ctx.usageError(
            tr("invitations revoke needs an invitation id (a number), not \"%1\".").arg(ctx.argument(0)));
    auto revoked = ctx.host()->await(ctx.host()->client().revokeInvitation(*id));
    if (!revoked)
        return ctx.fail(revoked.error());
    ctx.print(tr("Revoked invitation %1.").arg(*id));
    return ExitOk;
}

// --- what needs which connection ----------------------------------------------------------------

QString HostCommands::whyNotOverHost(const Invocation &invocation)
{
    const CommandSpec &command = *invocation.command;
    const QString path = command.path();
    if (!command.overHost()) {
        if (path == QLatin1String("users create"))
            return needsDatabase(path, apiLacks(Feature::CreateUsers));
        if (path == QLatin1String("users reset-password"))
            return needsDatabase(path, apiLacks(Feature::ResetPasswords));
        if (command.group == QLatin1String("sessions"))
            return needsDatabase(path, apiLacks(Feature::Sessions));
        if (command.group == QLatin1String("groups"))
            return needsDatabase(path, apiLacks(Feature::Groups));
        if (command.group == QLatin1String("settings"))
            return needsDatabase(path, apiLacks(Feature::PlatformControls));
        if (command.group == QLatin1String("audit"))
            return needsDatabase(path,
                tr("the audit log of changes made through Riverkeeper is kept in the platform database; the "
                   "host's API has none."));
        return needsDatabase(path, tr("the host's API has no endpoint for it."));
    }
    if (path == QLatin1String("tokens list") && invocation.has(QStringLiteral("of")))
        return needsDatabase(tr("tokens list --of"), apiLacks(Feature::TokenInventory));
    if (path == QLatin1String("tokens create") && invocation.has(QStringLiteral("for")))
        return needsDatabase(
            tr("tokens create --for (a token for another user)"), apiLacks(Feature::TokenInventory));
    if (path == QLatin1String("invitations create") && invocation.has(QStringLiteral("group")))
        return needsDatabase(tr("invitations create --group"), apiLacks(Feature::Groups));
    return {};
}

QString HostCommands::whyNotOverDatabase(const CommandSpec &command)
{
    if (command.overDatabase())
        return {};
    const QString path = command.path();
    Feature feature = Feature::Nodes;
    if (command.group == QLatin1String("approvals"))
        feature = Feature::ApproveTasks;
    else if (path == QLatin1String("tasks output"))
        feature = Feature::TaskOutput;
    QString reason = Capabilities::database().reason(feature);
    if (reason.isEmpty())
        reason = tr("the platform database alone cannot do it.");
    return tr("%1 needs the host (--host URL or --profile NAME): %2").arg(path, reason);
}

} // namespace rk::cli
