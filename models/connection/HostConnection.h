#pragma once

#include "core/Result.h"
#include "host/HostErrors.h"
#include "host/HostTypes.h"
#include "profiles/ConnectionProfile.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

namespace rk {

class HostClient;
class HostJob;
class SecretStore;

// Why a sign-in did not end with connected(), in a form the UI can act on.
struct ConnectionFailure
{
    enum class Kind {
        Auth, // the host refused the credential, or it is not valid on this host, or the role is too low
        Network, // the host could not be reached or did not answer in time
        Tls, // the certificate is not trusted: see certificate; trust it and try again
        Keychain, // the secret store failed (locked, missing, no answer): see canKeepForSession
        Host, // the host answered with something else (a 5xx, an answer that is not the contract)
        Invalid, // the profile or the input cannot be used (no base URL, an empty token)
    };

    Kind kind = Kind::Host;
    Error error; // code + one translated sentence for a banner
    std::optional<HostCertificateInfo> certificate; // Kind::Tls
    // Kind::Keychain after a successful sign-in whose secret could not be stored: the connection
    // waits for keepForSession() (the sign-in then ends with connected()) or discardPending().
    bool canKeepForSession = false;

    const QString &message() const { return error.message; }
};

// Signs a ConnectionProfile in to its KohakuRiver host, keeps the secret in a SecretStore under
// profile.secretKey(), and signs out again (kohakuriver-host.md sections 1.1 and 2):
// - password: POST /api/auth/login, POST /api/auth/tokens/create {"name": "riverkeeper@<machine>"}
//   with the session cookie, POST /api/auth/logout, then Authorization: Bearer with the new token;
//   the profile's username and appTokenId are updated (the caller saves the profile);
//   a token the app made at an earlier sign-in of the profile is revoked once the new one is stored;
// - an existing API token (Bearer) or the host's admin secret (X-Admin-Token);
// - resume(): the secret from the SecretStore, for reopening the last profile.
// Every sign-in ends with a check of /api/auth/me, because the host answers a bad credential with
// the anonymous pseudo-user instead of a 401. A host with authentication switched off (503 on /me,
// auth_enabled false) connects as its built-in admin, with a warning.
//
// Fully asynchronous, on the caller's thread (the thread of the HostClient and the SecretStore):
// each call returns at once; a sign-in ends with exactly one connected() or failed(), signOut()
// with signedOut(); progress() reports the steps. Starting another operation, or cancel(),
// abandons the one under way (its signals never come). The secret is never logged and never
// leaves the SecretStore and the HostClient's auth.
class HostConnection : public QObject
{
    Q_OBJECT

public:
    // `secrets` and `client` must outlive this object. The client's base URL and trusted
    // certificates are set from the profile by every operation (so a certificate trusted for
    // another profile is not trusted here); its auth is replaced by the operation's. A host whose
    // certificate does not verify and is not the profile's trusted one fails with Kind::Tls; when
    // the profile trusted another one, the message names both (HostCertificateInfo::isChange()).
    HostConnection(
        ConnectionProfile profile, SecretStore &secrets, HostClient &client, QObject *parent = nullptr);
    ~HostConnection() override;

    // The profile as the last operation left it: username and appTokenId after a password
    // sign-in, appTokenId -1 after another sign-in or signOut(). Read it in connected() or
    // signedOut() and save it.
    const ConnectionProfile &profile() const { return m_profile; }
    // Replaces the profile (e.g. edited); not while busy.
    void setProfile(const ConnectionProfile &profile);

    void connectWithPassword(const QString &username, const QString &password);
    void connectWithToken(const QString &token);
    void connectWithAdminSecret(const QString &secret);
    // Reads the profile's secret from the SecretStore and checks it. A resumed app token that is
    // no longer valid fails with "it may have been revoked: sign in again".
    void resume();

    // After failed() with canKeepForSession: writes the pending secret to `sessionStore` (a
    // MemorySecretStore the caller keeps for this session), then ends with connected(). The
    // store must outlive this object; signOut() removes the secret from it.
    void keepForSession(SecretStore &sessionStore);
    // After failed() with canKeepForSession: revokes a token the app created for itself (best
    // effort) and forgets the secret; ends with signedOut().
    void discardPending();

    // Revokes the app's own token on the host (DELETE /api/auth/tokens/{appTokenId}, only when
    // the app created it), then removes the secret from the SecretStore, even when the host could
    // not be reached; then the client's auth is none. signedOut() carries an Error when the token
    // could not be revoked (the message names it, for the admin to revoke it later) or the
    // secret could not be removed.
    void signOut();

    // Abandons the operation under way: no signal comes from it. A token the sign-in already
    // created (and the login's session) is revoked on the host without waiting for the answer.
    // The destructor does the same.
    void cancel();

    bool isBusy() const { return m_busy; }
    bool isConnected() const { return m_connected; }
    // The account /api/auth/me reported (id 0 "_system" for an admin secret or a host without
    // authentication). Valid after connected().
    const HostUser &me() const { return m_me; }
    // True when the host has authentication switched off: everyone is admin.
    bool authDisabled() const { return m_authDisabled; }
    // A translated warning to show beside a successful connection (authentication off); empty
    // otherwise.
    const QString &warning() const { return m_warning; }
    // Where the secret is now: the SecretStore given to the constructor, or keepForSession()'s.
    SecretStore *secretStore() const { return m_activeStore; }

    // "riverkeeper@<machine host name>": the name of the token a password sign-in creates.
    static QString appTokenName();

Q_SIGNALS:
    void progress(const QString &step);
    void connected(const rk::HostUser &me);
    void failed(const rk::ConnectionFailure &failure);
    void signedOut(const rk::Status &status);

private:
    enum class Method { Password, Token, AdminSecret, Resumed };

    int begin(); // a new operation: abandons the previous one, returns its generation
    bool current(int generation) const { return generation == m_generation; }
    void track(HostJob *job);
    void prepareClient();

    void afterLogin(int generation, const QString &username);
    void afterTokenCreated(int generation, const HostCreatedToken &created);
    void checkMe(int generation, Method method);
    void checkAuthStatus(int generation, Method method, const HostError &meError);
    void acceptMe(int generation, Method method, const HostUser &me);
    void storeSecret(int generation);
    // After a new sign-in of a profile that had an app token: revokes that old token when the
    // host still lists it under the app's name for the same account (ids are reused), then
    // finishConnected(). Failures only log: the new sign-in stands.
    void retirePreviousToken(int generation);
    void finishConnected();
    void fail(int generation, ConnectionFailure failure);
    // A failure after the app created a token: revokes it (best effort) before failed().
    void failAndRevoke(int generation, ConnectionFailure failure);
    void revokeThenSignOut(int generation);
    void removeSecretThenFinish(int generation, std::optional<Error> revokeError);

    static ConnectionFailure fromHostError(const HostError &error);
    static ConnectionFailure authFailure(QString message);
    QString hostName() const;

    ConnectionProfile m_profile;
    SecretStore &m_secrets;
    SecretStore *m_activeStore;
    HostClient &m_client;
    QPointer<HostJob> m_job;

    int m_generation = 0;
    Method m_method = Method::Resumed;
    bool m_busy = false;
    bool m_connected = false;
    bool m_authDisabled = false;
    HostUser m_me;
    QString m_warning;

    // Between a successful check and the SecretStore's answer (and while a keychain failure
    // waits for keepForSession() or discardPending()): the secret and the auth to keep.
    QString m_pendingSecret;
    bool m_pendingAwaitsChoice = false;
    qint64 m_createdTokenId = -1; // the token this sign-in created, until it is stored
    qint64 m_previousTokenId = -1; // the profile's app token before this sign-in
};

} // namespace rk

Q_DECLARE_METATYPE(rk::ConnectionFailure)
