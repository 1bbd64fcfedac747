#include "HostAdminService.h"

#include "core/HostTime.h"
#include "core/Role.h"
#include "host/HostClient.h"

namespace rk {

namespace {

using Item = HostAdminRun::Item;

QString quoted(const QString &name)
{
    return QStringLiteral("\u201c%1\u201d").arg(name);
}

QString userLabel(const HostAdminService::UserTarget &user)
{
    return user.username.isEmpty() ? HostAdminService::tr("user %1").arg(user.id) : quoted(user.username);
}

QString roleName(const QString &role)
{
    bool known = false;
    const Role level = roles::fromString(role, &known);
    return known ? roles::displayName(level) : role;
}

// The audit's action for a change of users: the narrowest name that says it.
QString updateAction(const HostUserChanges &changes)
{
    if (changes.active && !changes.role && !changes.displayName)
        return *changes.active ? QStringLiteral("user.activate") : QStringLiteral("user.suspend");
    if (changes.role && !changes.active && !changes.displayName)
        return QStringLiteral("user.role");
    return QStringLiteral("user.update");
}

QString doneUpdating(const HostAdminService::UserTarget &user, const HostUserChanges &changes)
{
    const QString who = userLabel(user);
    if (changes.active && !changes.role && !changes.displayName) {
        return *changes.active ? HostAdminService::tr("%1 activated.").arg(who)
                               : HostAdminService::tr("%1 suspended.").arg(who);
    }
    if (changes.role && !changes.active && !changes.displayName)
        return HostAdminService::tr("%1 is now %2.").arg(who, roleName(*changes.role));
    return HostAdminService::tr("%1 updated: %2.").arg(who, HostAdminService::describeChanges(changes));
}

} // namespace

HostAdminService::HostAdminService(HostClient *client, QObject *parent) : QObject(parent), m_client(client)
{
}

HostAdminService::~HostAdminService()
{
    // Runs still under way are children: they go with the service, aborting nothing on the host
    // that was already sent (the request is simply no longer watched).
}

void HostAdminService::setHostClient(HostClient *client)
{
    m_client = client;
}

HostClient *HostAdminService::hostClient() const
{
    return m_client.data();
}

void HostAdminService::cancelAll()
{
    const QList<HostAdminRun *> runs = findChildren<HostAdminRun *>(QString(), Qt::FindDirectChildrenOnly);
    for (HostAdminRun *run : runs)
        run->cancel();
}

QString HostAdminService::registrationLink(const QString &token) const
{
    return m_client ? registrationLink(m_client->baseUrl(), token) : QString();
}

QString HostAdminService::registrationLink(const QUrl &base, const QString &token)
{
    if (!base.isValid() || base.host().isEmpty() || token.isEmpty())
        return {};
    QString text = base.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment
                           | QUrl::StripTrailingSlash)
                       .toString();
    while (text.endsWith(QLatin1Char('/')))
        text.chop(1);
    return text + QStringLiteral("/register?token=") + token;
}

InvitationRecord HostAdminService::invitationRecord(const HostInvitation &invitation)
{
    InvitationRecord r;
    r.id = invitation.id;
    r.token = invitation.token;
    r.role = invitation.role;
    r.groupId = invitation.groupId;
    r.maxUsage = invitation.maxUsage;
    r.usageCount = invitation.usageCount;
    r.expiresAt = invitation.expiresAt ? hosttime::toDbText(*invitation.expiresAt) : QString();
    r.createdById = invitation.createdById;
    r.createdAt = invitation.createdAt ? hosttime::toDbText(*invitation.createdAt) : QString();
    if (invitation.valid)
        r.state = InvitationRecord::State::Valid;
    else if (invitation.remainingUses <= 0)
        r.state = InvitationRecord::State::UsedUp;
    else
        r.state = InvitationRecord::State::Expired;
    return r;
}

QString HostAdminService::describeChanges(const HostUserChanges &changes)
{
    QStringList parts;
    if (changes.displayName)
        parts << tr("display name %1").arg(quoted(*changes.displayName));
    if (changes.role)
        parts << tr("role %1").arg(roleName(*changes.role));
    if (changes.active)
        parts << (*changes.active ? tr("activated") : tr("suspended"));
    return parts.join(QStringLiteral(", "));
}

HostAdminRun *HostAdminService::makeRun(HostAdminRun::Operation operation, const QString &action)
{
    return new HostAdminRun(operation, action,
        tr("Not connected to a host: this change goes through the host's API, and no host connection is "
           "open."),
        this);
}

void HostAdminService::watch(HostAdminRun *run, const QString &okDetail)
{
    connect(run, &HostAdminRun::itemFinished, this, [this, run, okDetail](int index) {
        const Item &item = run->items().at(index);
        if (item.state == Item::State::NotSent || item.state == Item::State::Waiting)
            return;
        QString target;
        if (run->operation() == HostAdminRun::Operation::UpdateUsers
            || run->operation() == HostAdminRun::Operation::DeleteUsers) {
            target = item.name.isEmpty() ? QStringLiteral("user %1").arg(item.id)
                                         : QStringLiteral("user %1 (%2)").arg(item.id).arg(item.name);
        } else {
            target = item.id > 0 ? QStringLiteral("invitation %1").arg(item.id)
                                 : QStringLiteral("new invitation");
        }
        const bool ok = item.state == Item::State::Done;
        Q_EMIT actionRecorded(run->action(), target, ok, ok ? okDetail : item.message);
    });
    connect(run, &HostAdminRun::finished, this, [this, run]() {
        if (run->count(Item::State::Done) > 0 || run->count(Item::State::Unknown) > 0)
            Q_EMIT hostChanged();
        if (--m_running == 0)
            Q_EMIT busyChanged(false);
    });
    if (m_running++ == 0)
        Q_EMIT busyChanged(true);
    run->start();
}

HostAdminRun *HostAdminService::updateUsers(const QList<UserTarget> &users, const HostUserChanges &changes)
{
    HostAdminRun *run = makeRun(HostAdminRun::Operation::UpdateUsers, updateAction(changes));
    for (const UserTarget &user : users) {
        Item item;
        item.id = user.id;
        item.name = user.username;
        HostAdminRun::Request request;
        request.send = [this, id = user.id, changes]() -> HostJob * {
            return m_client ? m_client->updateUser(id, changes) : nullptr;
        };
        request.done = [user, changes](HostJob *) { return doneUpdating(user, changes); };
        run->add(item, std::move(request));
    }
    watch(run, describeChanges(changes));
    return run;
}

HostAdminRun *HostAdminService::deleteUsers(const QList<UserTarget> &users)
{
    HostAdminRun *run = makeRun(HostAdminRun::Operation::DeleteUsers, QStringLiteral("user.delete"));
    for (const UserTarget &user : users) {
        Item item;
        item.id = user.id;
        item.name = user.username;
        HostAdminRun::Request request;
        request.send
            = [this, id = user.id]() -> HostJob * { return m_client ? m_client->deleteUser(id) : nullptr; };
        request.done = [user](HostJob *) { return tr("%1 deleted.").arg(userLabel(user)); };
        run->add(item, std::move(request));
    }
    watch(run, QString());
    return run;
}

HostAdminRun *HostAdminService::createInvitation(const HostNewInvitation &invitation)
{
    HostAdminRun *run
        = makeRun(HostAdminRun::Operation::CreateInvitation, QStringLiteral("invitation.create"));
    HostAdminRun::Request request;
    request.send = [this, invitation]() -> HostJob * {
        return m_client ? m_client->createInvitation(invitation) : nullptr;
    };
    // The created item takes the host's id; the token stays in the run only (never a message).
    request.done = [run](HostJob *job) {
        const HostInvitation *created = static_cast<HostCall<HostInvitation> *>(job)->value();
        if (!created)
            return tr("Invitation created.");
        run->m_created = *created;
        run->m_items.first().id = created->id;
        return tr("Invitation %1 created.").arg(created->id);
    };
    run->add(Item {}, std::move(request));
    QString detail = tr("role %1, uses %2, expires in %3 hours")
                         .arg(roleName(invitation.role))
                         .arg(invitation.maxUsage)
                         .arg(invitation.expiresHours);
    if (invitation.groupId)
        detail += tr(", group %1").arg(*invitation.groupId);
    watch(run, detail);
    return run;
}

HostAdminRun *HostAdminService::revokeInvitations(const QList<qint64> &ids)
{
    HostAdminRun *run
        = makeRun(HostAdminRun::Operation::RevokeInvitations, QStringLiteral("invitation.revoke"));
    for (const qint64 id : ids) {
        Item item;
        item.id = id;
        HostAdminRun::Request request;
        request.send
            = [this, id]() -> HostJob * { return m_client ? m_client->revokeInvitation(id) : nullptr; };
        request.done = [id](HostJob *) { return tr("Invitation %1 revoked.").arg(id); };
        run->add(item, std::move(request));
    }
    watch(run, QString());
    return run;
}

} // namespace rk
