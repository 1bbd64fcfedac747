#pragma once

#include "host/HostClient.h"

#include <QCoreApplication>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace rk::cli {

// How riverkeeper-cli proves to the host who it is. `secret` is never printed or logged.
struct HostSignIn
{
    enum class Method {
        ApiToken, // Authorization: Bearer (RIVERKEEPER_TOKEN, or a profile's token from the keychain)
        AdminSecret, // X-Admin-Token (a profile saved with the host's ADMIN_SECRET)
        Password, // POST /api/auth/login for this one invocation; signOut() ends the session
    };

    QUrl baseUrl;
    Method method = Method::ApiToken;
    QString username; // Password only
    QString secret; // the token, the admin secret or the password
    // SHA-256 fingerprints of certificates accepted although they do not verify: a --profile's
    // trusted ones (ConnectionProfile::trustedCertificates). Any other is refused.
    QStringList trustedCertificates;
};

// riverkeeper-cli's connection to the host for one invocation: a HostClient, the account that
// /api/auth/me reports, and for a password sign-in the session that signOut() ends.
//
// The CLI is a QCoreApplication without a UI, so it waits for each job with a local event loop;
// runUntilDone() is the one function that does. Everything runs on the calling thread.
class CliHostSession
{
    Q_DECLARE_TR_FUNCTIONS(rk::cli)

public:
    explicit CliHostSession(QNetworkAccessManager *nam = nullptr);
    ~CliHostSession(); // ends a session that signOut() did not (errors ignored)
    CliHostSession(const CliHostSession &) = delete;
    CliHostSession &operator=(const CliHostSession &) = delete;

    // Signs in as `how` says, then asks /api/auth/me: the host answers a bad credential with the
    // anonymous pseudo-user rather than a 401, which is reported as "not valid on this host".
    // A host with authentication switched off (503 on /me) acts as its built-in admin.
    Status signIn(const HostSignIn &how);
    // POST /api/auth/logout when signIn() opened a session; nothing otherwise. Once only.
    Status signOut();
    bool hasSession() const { return m_session; }

    HostClient &client() { return *m_client; }
    // The signed-in account (id 0, "_system" for an admin secret or a host without auth).
    const HostUser &me() const { return m_me; }
    bool authDisabled() const { return m_authDisabled; }

    // Waits for `job` and returns its result; `error`, when given, receives the HostError of a
    // failure (HTTP status, detail).
    template<typename T> Result<T> await(HostCall<T> *job, std::optional<HostError> *error = nullptr)
    {
        std::optional<Result<T>> result;
        runUntilDone([&](const std::function<void()> &done) {
            job->onFinished(m_client.get(), [&result, error, job, done](const Result<T> &r) {
                result = r;
                if (error && job->hostError())
                    *error = *job->hostError();
                done();
            });
        });
        return std::move(*result);
    }

    // Calls start(done) and runs a local event loop until done() has been called (at once when
    // start() already called it). The CLI's only nested event loop; done() must be called once.
    static void runUntilDone(const std::function<void(const std::function<void()> &done)> &start);

private:
    std::unique_ptr<HostClient> m_client;
    HostUser m_me;
    bool m_session = false;
    bool m_authDisabled = false;
};

} // namespace rk::cli
