#include "HostLink.h"

#include "UiLogging.h"
#include "connection/HostConnection.h"
#include "host/HostClient.h"
#include "mirror/HostMirror.h"
#include "mirror/MirrorSync.h"
#include "secrets/SecretStore.h"
#include "store/PlatformStore.h"
#include "tasks/TaskLogSource.h"

namespace rk {

HostLink::HostLink(
    const ConnectionProfile &profile, HostClient &client, SecretStore &secrets, QObject *parent)
    : QObject(parent),
      m_profile(profile),
      m_client(client),
      m_secrets(secrets),
      m_connection(std::make_unique<HostConnection>(profile, secrets, client))
{
    connect(m_connection.get(), &HostConnection::signedOut, this, &HostLink::signedOut);
}

HostLink::~HostLink()
{
    // The sync's jobs and the log source go before the mirror they write to.
    m_logs.reset();
    m_sync.reset();
    m_mirror.reset();
}

Result<std::unique_ptr<Session>> HostLink::open(const HostUser &me, const QString &origin)
{
    auto session = std::make_unique<Session>();
    if (m_profile.usesDatabase()) {
        auto store = PlatformStore::open(m_profile.databasePath, PlatformStore::Access::ReadWrite);
        if (!store)
            return store.error();
        session->store = std::move(store).value();
    } else {
        const QString path = HostMirror::defaultPath(m_profile.id);
        auto mirror = HostMirror::open(path);
        if (!mirror) {
            // A damaged or foreign mirror holds nothing that the host does not have: start anew.
            qCWarning(lcUi) << "the mirror of" << m_profile.name
                            << "is unusable, recreating it:" << mirror.error().message;
            mirror = HostMirror::recreate(path);
            if (!mirror)
                return mirror.error();
        }
        m_mirror = std::move(mirror).value();
        auto store = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
        if (!store)
            return store.error();
        store.value()->setReadOnlyReason(
            tr("This is the local copy of %1, synced from its host; it is never edited. Changes to a "
               "host profile go through the host's API: approving and rejecting tasks, editing, "
               "suspending and deleting users, and creating and revoking invitations work here; "
               "what the API lacks (creating users, passwords, groups, sessions, other users' tokens) "
               "needs a \u201cHost + database\u201d profile on the host machine.")
                .arg(m_profile.name));
        session->store = std::move(store).value();
        m_sync = std::make_unique<MirrorSync>(&m_client, m_mirror.get());
        connect(m_sync.get(), &MirrorSync::stateChanged, this, &HostLink::statusChanged);
        connect(m_sync.get(), &MirrorSync::finished, this, &HostLink::statusChanged);
        m_sync->setInterval(kSyncIntervalMs);
        m_sync->sync();
    }
    m_logs = std::make_unique<HostTaskLogSource>(&m_client, m_mirror.get());
    session->actor = Actor {me.id, me.username, me.roleLevel(), origin};
    m_username = me.username;
    session->hostName = m_profile.name;
    session->hostLocation = m_profile.baseUrl.toDisplayString();
    return session;
}

std::optional<HostUser> HostLink::rememberedAccount(const ConnectionProfile &profile)
{
    if (profile.usesDatabase())
        return std::nullopt;
    auto mirror = HostMirror::open(HostMirror::defaultPath(profile.id));
    if (!mirror)
        return std::nullopt;
    const std::optional<MirrorAccount> account = mirror.value()->account();
    if (!account || account->username.isEmpty())
        return std::nullopt;
    HostUser user;
    user.id = account->userId;
    user.username = account->username;
    user.role = account->role;
    return user;
}

void HostLink::syncNow()
{
    if (m_sync)
        m_sync->sync();
}

QString HostLink::statusText() const
{
    const QString state
        = m_sync ? m_sync->statusText() : tr("Host + database: %1").arg(m_profile.baseUrl.host());
    // Said for as long as the connection lasts, not only once in the Connect dialog.
    if (!HostClient::plainHttpWarning(m_profile.baseUrl).isEmpty())
        return tr("%1 \u00b7 not encrypted").arg(state);
    return state;
}

QString HostLink::statusToolTip() const
{
    if (HostClient::plainHttpWarning(m_profile.baseUrl).isEmpty())
        return {};
    // Rich text, so that the tooltip wraps instead of running off the screen.
    return QStringLiteral("<p>%1</p>")
        .arg(tr("The connection to %1 is not encrypted (plain http://): the API token is sent in clear "
                "with every request, and anyone on the network between here and the host can read it "
                "and use it. Use an https:// address for this connection.")
                 .arg(m_profile.baseUrl.host())
                 .toHtmlEscaped());
}

bool HostLink::isOffline() const
{
    return m_sync
        && (m_sync->state() == MirrorSync::State::Offline
            || m_sync->state() == MirrorSync::State::AuthFailed);
}

void HostLink::recordAction(const QString &action, const QString &target, bool ok, const QString &detail)
{
    if (!m_mirror)
        return;
    if (auto st = m_mirror->recordAction(m_username, action, target, ok, detail); !st)
        qCWarning(lcUi) << "could not audit" << action << "in the mirror:" << st.error().message;
}

void HostLink::signOut()
{
    m_connection->setProfile(m_profile);
    m_connection->signOut();
}

} // namespace rk
