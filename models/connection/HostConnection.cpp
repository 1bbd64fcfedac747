#include "HostConnection.h"

#include "host/HostClient.h"
#include "secrets/SecretStore.h"

#include <QLoggingCategory>
#include <QSysInfo>

#include <algorithm>

namespace rk {

namespace {

Q_LOGGING_CATEGORY(lcConnection, "riverkeeper.connection", QtInfoMsg)

// Calls fn(const T *value, const HostError *error) when `job` finishes, in context's thread;
// exactly one of the two is set.
template<typename T, typename Fn> void onDone(HostCall<T> *job, QObject *context, Fn fn)
{
    QObject::connect(job, &HostJob::finished, context,
        [job, fn = std::move(fn)]() mutable { fn(job->value(), job->hostError()); });
}

bool isAuthOff(const HostError &error)
{
    return error.kind == HostError::Kind::Http && error.httpStatus == 503;
}

} // namespace

HostConnection::HostConnection(
    ConnectionProfile profile, SecretStore &secrets, HostClient &client, QObject *parent)
    : QObject(parent),
      m_profile(std::move(profile)),
      m_secrets(secrets),
      m_activeStore(&secrets),
      m_client(client)
{
}

HostConnection::~HostConnection()
{
    cancel();
}

void HostConnection::setProfile(const ConnectionProfile &profile)
{
    if (m_busy)
        return;
    m_profile = profile;
}

QString HostConnection::appTokenName()
{
    QString machine = QSysInfo::machineHostName().trimmed();
    if (machine.isEmpty())
        machine = QStringLiteral("unknown");
    // The host accepts names of 1..100 characters.
    const QString name = QStringLiteral("riverkeeper@") + machine;
    return name.left(100);
}

QString HostConnection::hostName() const
{
    return m_profile.baseUrl.toDisplayString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
}

int HostConnection::begin()
{
    ++m_generation;
    if (m_job) {
        QPointer<HostJob> job = m_job;
        m_job = nullptr;
        job->cancel(); // its finished() is stale now and ignored
    }
    m_busy = true;
    return m_generation;
}

void HostConnection::track(HostJob *job)
{
    m_job = job;
}

void HostConnection::prepareClient()
{
    m_client.setBaseUrl(m_profile.baseUrl);
    m_client.setTrustedCertificates(m_profile.trustedCertificates);
}

void HostConnection::cancel()
{
    ++m_generation;
    if ((m_busy || m_pendingAwaitsChoice) && !m_connected) {
        // Leave nothing behind on the host: a token this sign-in made but did not keep, and the
        // login's session. Sent before the job under way is cancelled, with the auth it has now
        // (jobs copy it), and not waited for.
        if (m_createdTokenId >= 0 && !m_client.auth().isNone())
            m_client.revokeToken(m_createdTokenId);
        if (m_client.auth().mode == HostAuth::Mode::Session)
            m_client.logout();
        m_client.setAuth(HostAuth::none());
    }
    if (m_job) {
        QPointer<HostJob> job = m_job;
        m_job = nullptr;
        job->cancel();
    }
    m_busy = false;
    m_pendingAwaitsChoice = false;
    m_pendingSecret.clear();
    m_createdTokenId = -1;
}

// --- sign-in ------------------------------------------------------------------------------------

void HostConnection::connectWithPassword(const QString &username, const QString &password)
{
    const int generation = begin();
    m_previousTokenId = m_profile.appTokenId;
    prepareClient();
    m_connected = false;
    m_authDisabled = false;
    m_warning.clear();
    m_pendingSecret.clear();
    m_pendingAwaitsChoice = false;
    m_createdTokenId = -1;
    m_client.setAuth(HostAuth::none());
    if (username.trimmed().isEmpty() || password.isEmpty()) {
        fail(generation,
            {ConnectionFailure::Kind::Invalid,
                Error::make(Error::Code::Invalid, tr("Enter the username and the password.")), {}, false});
        return;
    }
    const QString user = username.trimmed();
    Q_EMIT progress(tr("Signing in to %1 as %2…").arg(hostName(), user));
    qCInfo(lcConnection).noquote() << "signing in to" << hostName() << "as" << user;
    auto *job = m_client.login(user, password);
    track(job);
    onDone(job, this, [this, generation, user](const HostLogin *login, const HostError *error) {
        if (!current(generation))
            return;
        m_job = nullptr;
        if (login) {
            afterLogin(generation, user);
            return;
        }
        if (isAuthOff(*error)) {
            m_profile.username = user;
            checkAuthStatus(generation, Method::Password, *error);
            return;
        }
        fail(generation, fromHostError(*error));
    });
}

void HostConnection::afterLogin(int generation, const QString &username)
{
    m_profile.username = username;
    const QString name = appTokenName();
    Q_EMIT progress(tr("Creating the API token %1…").arg(name));
    auto *job = m_client.createToken(name);
    track(job);
    onDone(job, this, [this, generation](const HostCreatedToken *created, const HostError *error) {
        if (!current(generation))
            return;
        m_job = nullptr;
        if (created) {
            afterTokenCreated(generation, *created);
            return;
        }
        // End the session the login opened (best effort), then report.
        const ConnectionFailure failure = fromHostError(*error);
        auto *logout = m_client.logout();
        track(logout);
        onDone(logout, this, [this, generation, failure](const HostMessage *, const HostError *) {
            if (current(generation))
                fail(generation, failure);
        });
    });
}

void HostConnection::afterTokenCreated(int generation, const HostCreatedToken &created)
{
    m_createdTokenId = created.id;
    m_pendingSecret = created.token;
    qCInfo(lcConnection).noquote() << "created the API token" << created.name << "id" << created.id;
    Q_EMIT progress(tr("Ending the sign-in session…"));
    auto *job = m_client.logout();
    track(job);
    onDone(job, this, [this, generation](const HostMessage *, const HostError *error) {
        if (!current(generation))
            return;
        m_job = nullptr;
        if (error) // the session expires by itself; the token is what matters
            qCWarning(lcConnection).noquote() << "could not end the sign-in session:" << error->message();
        m_client.setAuth(HostAuth::bearer(m_pendingSecret));
        checkMe(generation, Method::Password);
    });
}

void HostConnection::connectWithToken(const QString &token)
{
    const int generation = begin();
    m_previousTokenId = m_profile.appTokenId;
    prepareClient();
    m_connected = false;
    m_authDisabled = false;
    m_warning.clear();
    m_pendingAwaitsChoice = false;
    m_createdTokenId = -1;
    m_pendingSecret = token.trimmed();
    if (m_pendingSecret.isEmpty()) {
        fail(generation,
            {ConnectionFailure::Kind::Invalid, Error::make(Error::Code::Invalid, tr("Enter the API token.")),
                {}, false});
        return;
    }
    m_client.setAuth(HostAuth::bearer(m_pendingSecret));
    checkMe(generation, Method::Token);
}

void HostConnection::connectWithAdminSecret(const QString &secret)
{
    const int generation = begin();
    m_previousTokenId = -1; // the host's mock admin does not own the account's tokens
    prepareClient();
    m_connected = false;
    m_authDisabled = false;
    m_warning.clear();
    m_pendingAwaitsChoice = false;
    m_createdTokenId = -1;
    m_pendingSecret = secret;
    if (m_pendingSecret.isEmpty()) {
        fail(generation,
            {ConnectionFailure::Kind::Invalid,
                Error::make(Error::Code::Invalid, tr("Enter the host's admin secret.")), {}, false});
        return;
    }
    m_client.setAuth(HostAuth::adminSecret(m_pendingSecret));
    checkMe(generation, Method::AdminSecret);
}

void HostConnection::resume()
{
    const int generation = begin();
    m_previousTokenId = -1;
    prepareClient();
    m_connected = false;
    m_authDisabled = false;
    m_warning.clear();
    m_pendingAwaitsChoice = false;
    m_createdTokenId = -1;
    m_pendingSecret.clear();
    m_activeStore = &m_secrets;
    Q_EMIT progress(tr("Reading the saved credential from %1…").arg(m_secrets.description()));
    m_secrets.read(m_profile.secretKey(), this, [this, generation](const Result<QString> &secret) {
        if (!current(generation))
            return;
        if (secret.ok()) {
            m_client.setAuth(m_profile.auth == ConnectionProfile::Auth::AdminSecret
                    ? HostAuth::adminSecret(secret.value())
                    : HostAuth::bearer(secret.value()));
            checkMe(generation, Method::Resumed);
            return;
        }
        if (secret.error().code == Error::Code::NotFound) {
            // Nothing saved: only a host without authentication lets us in.
            m_client.setAuth(HostAuth::none());
            checkMe(generation, Method::Resumed);
            return;
        }
        fail(generation,
            {ConnectionFailure::Kind::Keychain,
                Error::make(Error::Code::Io,
                    tr("The saved credential for %1 could not be read from %2: %3")
                        .arg(m_profile.name, m_secrets.description(), secret.error().message)),
                {}, false});
    });
}

void HostConnection::checkMe(int generation, Method method)
{
    m_method = method;
    Q_EMIT progress(tr("Checking the account on %1…").arg(hostName()));
    auto *job = m_client.me();
    track(job);
    onDone(job, this, [this, generation, method](const HostUser *me, const HostError *error) {
        if (!current(generation))
            return;
        m_job = nullptr;
        if (me) {
            acceptMe(generation, method, *me);
            return;
        }
        if (isAuthOff(*error)) {
            checkAuthStatus(generation, method, *error);
            return;
        }
        failAndRevoke(generation, fromHostError(*error));
    });
}

void HostConnection::checkAuthStatus(int generation, Method method, const HostError &meError)
{
    m_method = method;
    auto *job = m_client.authStatus();
    track(job);
    onDone(job, this, [this, generation, method, meError](const HostAuthStatus *status, const HostError *) {
        if (!current(generation))
            return;
        m_job = nullptr;
        if (!status || status->authEnabled) {
            failAndRevoke(generation, fromHostError(meError));
            return;
        }
        // Every request is the host's mock admin (kohakuriver-host.md section 2).
        m_authDisabled = true;
        m_warning = tr("The host at %1 has authentication switched off: everyone who can reach it is an "
                       "administrator.")
                        .arg(hostName());
        qCWarning(lcConnection).noquote() << "authentication is off on" << hostName();
        HostUser mock;
        mock.id = 0;
        mock.username = QStringLiteral("_system");
        mock.displayName = QStringLiteral("System (Auth Disabled)");
        mock.role = QStringLiteral("admin");
        m_me = mock;
        if (method == Method::Password || method == Method::Resumed || m_pendingSecret.isEmpty()) {
            // Nothing to keep: a password sign-in made no token.
            finishConnected();
            return;
        }
        storeSecret(generation); // for when the host switches authentication on again
    });
}

ConnectionFailure HostConnection::authFailure(QString message)
{
    return {ConnectionFailure::Kind::Auth, Error::make(Error::Code::Refused, std::move(message)), {}, false};
}

void HostConnection::acceptMe(int generation, Method method, const HostUser &me)
{
    if (me.id == -1) {
        const QString host = hostName();
        QString message;
        switch (method) {
        case Method::Password:
            message = tr(
                "The host (%1) accepted the sign-in, but the token it created is not valid on this host.")
                          .arg(host);
            break;
        case Method::Token:
            message
                = tr("This token is not valid on this host (%1): it is unknown or revoked, or its account is "
                     "disabled.")
                      .arg(host);
            break;
        case Method::AdminSecret:
            message = tr("This admin secret is not valid on this host (%1).").arg(host);
            break;
        case Method::Resumed:
            if (m_client.auth().isNone())
                message = tr("No credential is saved for %1 on this computer; sign in again.")
                              .arg(m_profile.name);
            else if (m_profile.appTokenId >= 0)
                message = tr(
                    "The token Riverkeeper created for %1 is not valid on this host (%2) any more: it may "
                    "have been revoked, or the account disabled. Sign in again.")
                              .arg(m_profile.name, host);
            else if (m_profile.auth == ConnectionProfile::Auth::AdminSecret)
                message
                    = tr("The saved admin secret is not valid on this host (%1) any more: it may have been "
                         "changed. Sign in again.")
                          .arg(host);
            else
                message
                    = tr("The saved token is not valid on this host (%1) any more: it may have been revoked. "
                         "Sign in again.")
                          .arg(host);
            break;
        }
        failAndRevoke(generation, authFailure(message));
        return;
    }
    if (!roles::atLeast(me.roleLevel(), Role::Viewer)) {
        failAndRevoke(generation,
            authFailure(tr("The account %1 has the role \"%2\", below viewer: it has no access to this host.")
                            .arg(me.username, me.role)));
        return;
    }
    m_me = me;
    if (method == Method::Resumed) {
        finishConnected();
        return;
    }
    storeSecret(generation);
}

void HostConnection::storeSecret(int generation)
{
    m_activeStore = &m_secrets;
    Q_EMIT progress(tr("Saving the credential in %1…").arg(m_secrets.description()));
    m_secrets.write(m_profile.secretKey(), m_pendingSecret, this, [this, generation](const Status &written) {
        if (!current(generation))
            return;
        if (written.ok()) {
            retirePreviousToken(generation);
            return;
        }
        // Signed in, but the secret has nowhere to go: the caller decides (keepForSession() or
        // discardPending()). The client keeps its auth meanwhile.
        m_pendingAwaitsChoice = true;
        m_busy = false;
        qCWarning(lcConnection).noquote() << "the secret store failed:" << written.error().message;
        ConnectionFailure failure {ConnectionFailure::Kind::Keychain,
            Error::make(Error::Code::Io,
                tr("Signed in, but the credential could not be saved in %1: %2")
                    .arg(m_secrets.description(), written.error().message)),
            {}, true};
        Q_EMIT failed(failure);
    });
}

void HostConnection::keepForSession(SecretStore &sessionStore)
{
    if (!m_pendingAwaitsChoice)
        return;
    m_pendingAwaitsChoice = false;
    ++m_generation;
    const int generation = m_generation;
    m_busy = true;
    m_activeStore = &sessionStore;
    sessionStore.write(
        m_profile.secretKey(), m_pendingSecret, this, [this, generation, &sessionStore](const Status &s) {
            if (!current(generation))
                return;
            if (s.ok()) {
                finishConnected();
                return;
            }
            m_activeStore = &m_secrets;
            failAndRevoke(generation,
                {ConnectionFailure::Kind::Keychain,
                    Error::make(Error::Code::Io,
                        tr("The credential could not be kept in %1 either: %2")
                            .arg(sessionStore.description(), s.error().message)),
                    {}, false});
        });
}

void HostConnection::discardPending()
{
    if (!m_pendingAwaitsChoice)
        return;
    m_pendingAwaitsChoice = false;
    ++m_generation;
    const int generation = m_generation;
    m_busy = true;
    m_pendingSecret.clear();
    if (m_createdTokenId < 0) {
        m_client.setAuth(HostAuth::none());
        m_busy = false;
        Q_EMIT signedOut(Status());
        return;
    }
    const qint64 id = m_createdTokenId;
    m_createdTokenId = -1;
    Q_EMIT progress(tr("Revoking the API token %1…").arg(appTokenName()));
    auto *job = m_client.revokeToken(id);
    track(job);
    onDone(job, this, [this, generation](const HostMessage *, const HostError *error) {
        if (!current(generation))
            return;
        m_job = nullptr;
        m_client.setAuth(HostAuth::none());
        m_busy = false;
        if (error && error->httpStatus != 404) {
            Q_EMIT signedOut(Error::make(Error::Code::Io,
                tr("The API token %1 could not be revoked on the host (%2); revoke it there.")
                    .arg(appTokenName(), error->message())));
            return;
        }
        Q_EMIT signedOut(Status());
    });
}

void HostConnection::retirePreviousToken(int generation)
{
    const qint64 previous = m_previousTokenId;
    m_previousTokenId = -1;
    if (previous < 0 || previous == m_createdTokenId || m_authDisabled) {
        finishConnected();
        return;
    }
    auto *list = m_client.tokens();
    track(list);
    onDone(list, this, [this, generation, previous](const QList<HostToken> *tokens, const HostError *error) {
        if (!current(generation))
            return;
        m_job = nullptr;
        const auto found = tokens
            ? std::find_if(tokens->cbegin(), tokens->cend(),
                [&](const HostToken &t) { return t.id == previous && t.name == appTokenName(); })
            : QList<HostToken>::const_iterator();
        if (!tokens || found == tokens->cend()) {
            if (error)
                qCWarning(lcConnection).noquote() << "could not list the tokens:" << error->message();
            finishConnected();
            return;
        }
        Q_EMIT progress(tr("Revoking the previous API token %1…").arg(appTokenName()));
        auto *revoke = m_client.revokeToken(previous);
        track(revoke);
        onDone(revoke, this, [this, generation, previous](const HostMessage *, const HostError *revokeError) {
            if (!current(generation))
                return;
            m_job = nullptr;
            if (revokeError)
                qCWarning(lcConnection).noquote()
                    << "could not revoke the previous token" << previous << ":" << revokeError->message();
            finishConnected();
        });
    });
}

void HostConnection::finishConnected()
{
    switch (m_method) {
    case Method::Password: m_profile.appTokenId = m_createdTokenId; break; // -1: authentication off
    case Method::Token:
    case Method::AdminSecret: m_profile.appTokenId = -1; break; // the admin's own credential
    case Method::Resumed: break;
    }
    m_pendingSecret.clear();
    m_createdTokenId = -1;
    m_pendingAwaitsChoice = false;
    m_busy = false;
    m_connected = true;
    qCInfo(lcConnection).noquote() << "connected to" << hostName() << "as" << m_me.username << m_me.role;
    Q_EMIT connected(m_me);
}

void HostConnection::fail(int generation, ConnectionFailure failure)
{
    if (!current(generation))
        return;
    m_busy = false;
    m_connected = false;
    m_pendingSecret.clear();
    m_createdTokenId = -1;
    m_pendingAwaitsChoice = false;
    m_client.setAuth(HostAuth::none());
    qCInfo(lcConnection).noquote() << "sign-in to" << hostName() << "failed:" << failure.message();
    Q_EMIT failed(failure);
}

void HostConnection::failAndRevoke(int generation, ConnectionFailure failure)
{
    if (m_createdTokenId < 0 || m_client.auth().mode != HostAuth::Mode::Bearer) {
        fail(generation, std::move(failure));
        return;
    }
    const qint64 id = m_createdTokenId;
    auto *job = m_client.revokeToken(id);
    track(job);
    onDone(job, this, [this, generation, failure](const HostMessage *, const HostError *error) mutable {
        if (!current(generation))
            return;
        m_job = nullptr;
        if (error && error->httpStatus != 404)
            failure.error.message += QLatin1Char(' ')
                + tr("The API token %1 that Riverkeeper created could not be revoked on the host; revoke it "
                     "there.")
                      .arg(appTokenName());
        fail(generation, std::move(failure));
    });
}

// --- sign-out -----------------------------------------------------------------------------------

void HostConnection::signOut()
{
    const int generation = begin();
    prepareClient();
    m_connected = false;
    m_pendingAwaitsChoice = false;
    m_pendingSecret.clear();
    m_createdTokenId = -1;
    Q_EMIT progress(tr("Signing out of %1…").arg(hostName()));
    if (m_profile.appTokenId < 0) {
        removeSecretThenFinish(generation, std::nullopt);
        return;
    }
    if (m_client.auth().mode == HostAuth::Mode::Bearer && !m_client.auth().isNone()) {
        revokeThenSignOut(generation);
        return;
    }
    // Not connected in this run (signing out of a saved profile): the token is in the store.
    m_activeStore->read(m_profile.secretKey(), this, [this, generation](const Result<QString> &secret) {
        if (!current(generation))
            return;
        if (!secret.ok()) {
            removeSecretThenFinish(generation,
                Error::make(Error::Code::Io,
                    tr("Signed out, but the API token %1 could not be revoked on the host: it could not be "
                       "read "
                       "from %2 (%3). Revoke it on the host.")
                        .arg(appTokenName(), m_activeStore->description(), secret.error().message)));
            return;
        }
        m_client.setAuth(HostAuth::bearer(secret.value()));
        revokeThenSignOut(generation);
    });
}

void HostConnection::revokeThenSignOut(int generation)
{
    Q_EMIT progress(tr("Revoking the API token %1…").arg(appTokenName()));
    auto *job = m_client.revokeToken(m_profile.appTokenId);
    track(job);
    onDone(job, this, [this, generation](const HostMessage *, const HostError *error) {
        if (!current(generation))
            return;
        m_job = nullptr;
        std::optional<Error> revokeError;
        // 404: revoked already (on the host's dashboard, or by an earlier sign-out).
        if (error && error->httpStatus != 404) {
            revokeError = Error::make(Error::Code::Io,
                tr("Signed out here, but the API token %1 could not be revoked on the host (%2). Revoke it "
                   "on "
                   "the host when it can be reached.")
                    .arg(appTokenName(), error->message()));
        }
        removeSecretThenFinish(generation, revokeError);
    });
}

void HostConnection::removeSecretThenFinish(int generation, std::optional<Error> revokeError)
{
    SecretStore *store = m_activeStore;
    store->remove(m_profile.secretKey(), this, [this, generation, store, revokeError](const Status &removed) {
        if (!current(generation))
            return;
        m_client.setAuth(HostAuth::none());
        m_profile.appTokenId = -1;
        m_me = HostUser {};
        m_authDisabled = false;
        m_warning.clear();
        m_busy = false;
        m_activeStore = &m_secrets;
        QStringList problems;
        if (revokeError)
            problems << revokeError->message;
        if (!removed.ok())
            problems << tr("The credential could not be removed from %1: %2")
                            .arg(store->description(), removed.error().message);
        qCInfo(lcConnection).noquote() << "signed out of" << hostName();
        if (problems.isEmpty())
            Q_EMIT signedOut(Status());
        else
            Q_EMIT signedOut(Error::make(Error::Code::Io, problems.join(QLatin1Char(' '))));
    });
}

// --- errors -------------------------------------------------------------------------------------

ConnectionFailure HostConnection::fromHostError(const HostError &error)
{
    ConnectionFailure failure;
    failure.error = error.error;
    switch (error.kind) {
    case HostError::Kind::Tls:
        failure.kind = ConnectionFailure::Kind::Tls;
        failure.certificate = error.certificate;
        break;
    case HostError::Kind::Network:
    case HostError::Kind::Timeout: failure.kind = ConnectionFailure::Kind::Network; break;
    case HostError::Kind::Http:
        failure.kind = error.httpStatus == 401 || error.httpStatus == 403 ? ConnectionFailure::Kind::Auth
                                                                          : ConnectionFailure::Kind::Host;
        break;
    case HostError::Kind::Usage: failure.kind = ConnectionFailure::Kind::Invalid; break;
    case HostError::Kind::Protocol:
    case HostError::Kind::Oversized:
    case HostError::Kind::Cancelled: failure.kind = ConnectionFailure::Kind::Host; break;
    }
    return failure;
}

} // namespace rk
