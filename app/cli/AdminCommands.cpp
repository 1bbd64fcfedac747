#include "AdminCommands.h"

#include "CliContext.h"
#include "core/Role.h"
#include "core/Secrets.h"
#include "store/SampleData.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rk::cli {

namespace {

std::optional<int> parseInt(const QString &text)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    return ok ? std::optional<int>(value) : std::nullopt;
}

// JSON text from the database as a JSON value (an object, an array...), or the text itself when
// it is not JSON, or null.
QJsonValue embeddedJson(const QString &text)
{
    if (text.isNull())
        return QJsonValue(QJsonValue::Null);
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return text;
    if (doc.isObject())
        return doc.object();
    return doc.array();
}

QString compactJson(const QString &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    return doc.isNull() ? text : QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

QString stateName(InvitationRecord::State state)
{
    switch (state) {
    case InvitationRecord::State::Valid: return QStringLiteral("valid");
    case InvitationRecord::State::Expired: return QStringLiteral("expired");
    case InvitationRecord::State::UsedUp: return QStringLiteral("used_up");
    }
    return {};
}

QString stateText(InvitationRecord::State state)
{
    switch (state) {
    case InvitationRecord::State::Valid: return QCoreApplication::translate("rk::cli", "valid");
    case InvitationRecord::State::Expired: return QCoreApplication::translate("rk::cli", "expired");
    case InvitationRecord::State::UsedUp: return QCoreApplication::translate("rk::cli", "used up");
    }
    return {};
}

QString invitationLink(CliContext &ctx, const InvitationRecord &inv)
{
    return inv.link.isEmpty() ? ctx.store().registrationLink(inv.token) : inv.link;
}

QJsonObject invitationJson(CliContext &ctx, const InvitationRecord &inv)
{
    const auto optionalId
        = [](const std::optional<qint64> &id) { return id ? QJsonValue(*id) : QJsonValue(QJsonValue::Null); };
    return QJsonObject {
        {QStringLiteral("id"), inv.id},
        {QStringLiteral("token"), inv.token},
        {QStringLiteral("role"), inv.role},
        {QStringLiteral("group_id"), optionalId(inv.groupId)},
        {QStringLiteral("group_name"),
            CliContext::jsonText(inv.groupName.isEmpty() ? QString() : inv.groupName)},
        {QStringLiteral("max_usage"), inv.maxUsage},
        {QStringLiteral("usage_count"), inv.usageCount},
        {QStringLiteral("remaining_uses"), std::max(0, inv.maxUsage - inv.usageCount)},
        {QStringLiteral("expires_at"), CliContext::jsonText(inv.expiresAt)},
        {QStringLiteral("is_valid"), inv.state == InvitationRecord::State::Valid},
        {QStringLiteral("state"), stateName(inv.state)},
        {QStringLiteral("created_by_id"), optionalId(inv.createdById)},
        {QStringLiteral("created_by"),
            CliContext::jsonText(inv.createdBy.isEmpty() ? QString() : inv.createdBy)},
        {QStringLiteral("created_at"), CliContext::jsonText(inv.createdAt)},
        {QStringLiteral("link"),
            CliContext::jsonText(invitationLink(ctx, inv).isEmpty() ? QString() : invitationLink(ctx, inv))},
    };
}

// One line of counts after `init --sample-data`.
QString sampleSummary(SqliteDatabase &db)
{
    auto stmt = db.prepare(QStringLiteral(
        "SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM groups), (SELECT COUNT(*) FROM nodes), "
        "(SELECT COUNT(*) FROM tasks), (SELECT COUNT(*) FROM tasks WHERE status = 'pending_approval'), "
        "(SELECT COUNT(*) FROM invitations), (SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FROM "
        "tokens)"));
    if (!stmt)
        return {};
    auto row = stmt->step();
    if (!row || !*row)
        return {};
    return QCoreApplication::translate("rk::cli",
        "Sample data: %1 users, %2 groups, %3 nodes, %4 tasks (%5 awaiting "
        "approval), %6 invitations, %7 sessions, %8 API tokens. Every sample "
        "user's password is \"%9\".")
        .arg(stmt->int64(0))
        .arg(stmt->int64(1))
        .arg(stmt->int64(2))
        .arg(stmt->int64(3))
        .arg(stmt->int64(4))
        .arg(stmt->int64(5))
        .arg(stmt->int64(6))
        .arg(stmt->int64(7))
        .arg(SampleDataOptions().password);
}

} // namespace

// --- init -------------------------------------------------------------------------------------

int AdminCommands::init(CliContext &ctx)
{
    const QString path = ctx.invocation().db;
    const QString admin = ctx.value(QStringLiteral("admin"));
    if (QFileInfo::exists(path))
        return ctx.fail(tr("%1 already exists: init only creates a new platform database.").arg(path));
    const auto password = ctx.password(tr("Password for the new administrator %1: ").arg(admin));
    if (!password) {
        return ctx.usageError(tr("No password given for the new administrator: write it as the first line of "
                                 "standard input or set RIVERKEEPER_PASSWORD."));
    }

    auto created = PlatformStore::create(path);
    if (!created)
        return ctx.fail(created.error());
    std::unique_ptr<PlatformStore> store = std::move(created).value();
    // A failed init leaves no half-made file behind.
    const auto abandon = [&](const Error &error) {
        store.reset();
        QFile::remove(path + QLatin1String("-journal"));
        QFile::remove(path);
        return ctx.fail(error);
    };

    if (const Status policy = store->checkPasswordPolicy(*password); !policy)
        return abandon(policy.error());
    auto hash = Passwords::hash(*password);
    if (!hash)
        return abandon(hash.error());
    auto actor
        = store->createFirstAdmin(admin, ctx.value(QStringLiteral("display-name")), *hash, ctx.origin());
    if (!actor)
        return abandon(actor.error());
    ctx.print(tr("Created %1 with the administrator %2.").arg(path, admin));

    if (ctx.has(QStringLiteral("sample-data"))) {
        if (const Status populated = SampleData::populate(*store, *actor); !populated)
            return abandon(populated.error());
        ctx.print(sampleSummary(store->database()));
    }
    return ExitOk;
}

// --- groups -----------------------------------------------------------------------------------

int AdminCommands::groupsList(CliContext &ctx)
{
    auto groups = ctx.store().listGroups(ctx.actor());
    if (!groups)
        return ctx.fail(groups.error());
    QJsonArray array;
    QList<QStringList> rows;
    for (const GroupRecord &g : *groups) {
        auto members = ctx.store().groupMembers(ctx.actor(), g.id);
        if (!members)
            return ctx.fail(members.error());
        QStringList names;
        for (const GroupMember &m : *members)
            names << (m.roleOverride.isEmpty()
                    ? m.username
                    : m.username + QLatin1Char('(') + m.roleOverride + QLatin1Char(')'));
        if (ctx.json()) {
            QJsonArray memberArray;
            for (const GroupMember &m : *members) {
                memberArray.append(QJsonObject {{QStringLiteral("user_id"), m.userId},
                    {QStringLiteral("username"), CliContext::jsonText(m.username)},
                    {QStringLiteral("role_override"), CliContext::jsonText(m.roleOverride)},
                    {QStringLiteral("added_at"), CliContext::jsonText(m.addedAt)}});
            }
            array.append(QJsonObject {{QStringLiteral("id"), g.id}, {QStringLiteral("name"), g.name},
                {QStringLiteral("tier"), g.tier}, {QStringLiteral("limits"), embeddedJson(g.limitsJson)},
                {QStringLiteral("member_count"), g.memberCount}, {QStringLiteral("members"), memberArray},
                {QStringLiteral("created_at"), CliContext::jsonText(g.createdAt)}});
        } else {
            rows << QStringList {QString::number(g.id), g.name, QString::number(g.tier),
                QString::number(g.memberCount), compactJson(g.limitsJson), CliContext::shortTime(g.createdAt),
                CliContext::orDash(names.join(QLatin1Char(',')))};
        }
    }
    if (ctx.json())
        ctx.printJson(array);
    else
        ctx.printTable(
            {tr("ID"), tr("NAME"), tr("TIER"), tr("MEMBERS"), tr("LIMITS"), tr("CREATED"), tr("USERS")},
            rows);
    return ExitOk;
}

int AdminCommands::groupsCreate(CliContext &ctx)
{
    int tier = 0;
    if (ctx.has(QStringLiteral("tier"))) {
        const auto parsed = parseInt(ctx.value(QStringLiteral("tier")));
        if (!parsed)
            return ctx.usageError(
                tr("--tier needs a number, not \"%1\".").arg(ctx.value(QStringLiteral("tier"))));
        tier = *parsed;
    }
    QString limits = QStringLiteral("{}");
    if (ctx.has(QStringLiteral("limits"))) {
        QJsonParseError error {};
        const QJsonDocument doc
            = QJsonDocument::fromJson(ctx.value(QStringLiteral("limits")).toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return ctx.usageError(tr("--limits needs a JSON object, e.g. '{\"max_tasks\": 10}'."));
        limits = QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
    }
    const QString name = ctx.argument(0);
    auto id = ctx.store().createGroup(ctx.actor(), name, tier, limits);
    if (!id)
        return ctx.fail(id.error());
    ctx.print(tr("Created group %1 (id %2).").arg(name).arg(*id));
    return ExitOk;
}

int AdminCommands::groupsAddMember(CliContext &ctx)
{
    auto group = ctx.groupNamed(ctx.argument(0));
    if (!group)
        return ctx.fail(group.error());
    auto user = ctx.userNamed(ctx.argument(1));
    if (!user)
        return ctx.fail(user.error());
    if (const Status added = ctx.store().addGroupMember(ctx.actor(), group->id, user->id); !added)
        return ctx.fail(added.error());
    ctx.print(tr("Added %1 to %2.").arg(user->username, group->name));
    return ExitOk;
}

int AdminCommands::groupsRemoveMember(CliContext &ctx)
{
    auto group = ctx.groupNamed(ctx.argument(0));
    if (!group)
        return ctx.fail(group.error());
    auto user = ctx.userNamed(ctx.argument(1));
    if (!user)
        return ctx.fail(user.error());
    if (const Status removed = ctx.store().removeGroupMember(ctx.actor(), group->id, user->id); !removed)
        return ctx.fail(removed.error());
    ctx.print(tr("Removed %1 from %2.").arg(user->username, group->name));
    return ExitOk;
}

// --- invitations ------------------------------------------------------------------------------

int AdminCommands::invitationsCreate(CliContext &ctx)
{
    NewInvitation invitation;
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
    if (ctx.has(QStringLiteral("group"))) {
        auto group = ctx.groupNamed(ctx.value(QStringLiteral("group")));
        if (!group)
            return ctx.fail(group.error());
        invitation.groupId = group->id;
    }
    auto created = ctx.store().createInvitation(ctx.actor(), invitation);
    if (!created)
        return ctx.fail(created.error());
    if (ctx.json()) {
        ctx.printJson(invitationJson(ctx, *created));
        return ExitOk;
    }
    ctx.print(tr("Created invitation %1: role %2, %3 use(s), expires %4.")
                  .arg(created->id)
                  .arg(created->role)
                  .arg(created->maxUsage)
                  .arg(CliContext::shortTime(created->expiresAt)));
    ctx.print(created->token);
    const QString link = invitationLink(ctx, *created);
    if (!link.isEmpty())
        ctx.print(link);
    return ExitOk;
}

int AdminCommands::invitationsList(CliContext &ctx)
{
    auto invitations = ctx.store().listInvitations(ctx.actor());
    if (!invitations)
        return ctx.fail(invitations.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const InvitationRecord &inv : *invitations)
            array.append(invitationJson(ctx, inv));
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const InvitationRecord &inv : *invitations) {
        rows << QStringList {QString::number(inv.id), inv.token, inv.role, CliContext::orDash(inv.groupName),
            QStringLiteral("%1/%2").arg(inv.usageCount).arg(inv.maxUsage), stateText(inv.state),
            CliContext::shortTime(inv.expiresAt), CliContext::orDash(inv.createdBy)};
    }
    ctx.printTable({tr("ID"), tr("TOKEN"), tr("ROLE"), tr("GROUP"), tr("USED"), tr("STATE"), tr("EXPIRES"),
                       tr("CREATED BY")},
        rows);
    return ExitOk;
}

int AdminCommands::invitationsRevoke(CliContext &ctx)
{
    bool ok = false;
    const qint64 id = ctx.argument(0).toLongLong(&ok);
    if (!ok)
        return ctx.usageError(
            tr("invitations revoke needs an invitation id (a number), not \"%1\".").arg(ctx.argument(0)));
    if (const Status revoked = ctx.store().revokeInvitation(ctx.actor(), id); !revoked)
        return ctx.fail(revoked.error());
    ctx.print(tr("Revoked invitation %1.").arg(id));
    return ExitOk;
}

// --- audit ------------------------------------------------------------------------------------

int AdminCommands::auditList(CliContext &ctx)
{
    int limit = 50;
    if (ctx.has(QStringLiteral("limit"))) {
        const auto parsed = parseInt(ctx.value(QStringLiteral("limit")));
        if (!parsed || *parsed < 0)
            return ctx.usageError(tr("--limit needs a number (0 for all), not \"%1\".")
                                      .arg(ctx.value(QStringLiteral("limit"))));
        limit = *parsed;
    }
    auto entries = ctx.store().listAudit(ctx.actor(), limit);
    if (!entries)
        return ctx.fail(entries.error());
    if (ctx.json()) {
        QJsonArray array;
        for (const AuditEntry &e : *entries) {
            array.append(QJsonObject {{QStringLiteral("id"), e.id}, {QStringLiteral("at"), e.at},
                {QStringLiteral("actor_id"), e.actorId}, {QStringLiteral("actor"), e.actor},
                {QStringLiteral("action"), e.action}, {QStringLiteral("target_type"), e.targetType},
                {QStringLiteral("target"), CliContext::jsonText(e.target)},
                {QStringLiteral("before"), embeddedJson(e.before)},
                {QStringLiteral("after"), embeddedJson(e.after)}, {QStringLiteral("origin"), e.origin}});
        }
        ctx.printJson(array);
        return ExitOk;
    }
    QList<QStringList> rows;
    for (const AuditEntry &e : *entries) {
        QString details;
        if (!e.before.isEmpty() && !e.after.isEmpty())
            details = compactJson(e.before) + QStringLiteral(" -> ") + compactJson(e.after);
        else
            details = compactJson(e.after.isEmpty() ? e.before : e.after);
        if (details.size() > 70)
            details = details.left(67) + QStringLiteral("...");
        rows << QStringList {QString::number(e.id), e.at.left(19), e.actor, e.action,
            e.target.isEmpty() ? e.targetType : e.target, e.origin, CliContext::orDash(details)};
    }
    ctx.printTable(
        {tr("ID"), tr("AT"), tr("ACTOR"), tr("ACTION"), tr("TARGET"), tr("ORIGIN"), tr("DETAILS")}, rows);
    return ExitOk;
}

// --- settings ---------------------------------------------------------------------------------

int AdminCommands::settingsGet(CliContext &ctx)
{
    ctx.print(ctx.store().setting(ctx.argument(0)));
    return ExitOk;
}

int AdminCommands::settingsSet(CliContext &ctx)
{
    const QString key = ctx.argument(0);
    const QString value = ctx.argument(1);
    if (const Status set = ctx.store().setSetting(ctx.actor(), key, value); !set)
        return ctx.fail(set.error());
    ctx.print(tr("Set %1 to \"%2\".").arg(key, value));
    return ExitOk;
}

} // namespace rk::cli
