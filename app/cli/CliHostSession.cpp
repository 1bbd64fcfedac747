#include "CliHostSession.h"

#include <QEventLoop>

namespace rk::cli {

CliHostSession::CliHostSession(QNetworkAccessManager *nam) : m_client(std::make_unique<HostClient>(nam))
{
}

CliHostSession::~CliHostSession()
{
    if (m_session)
        (void)signOut();
}

void CliHostSession::runUntilDone(const std::function<void(const std::function<void()> &done)> &start)
{
    QEventLoop loop;
    bool finished = false;
    start([&finished, &loop] {
        finished = true;
        loop.quit();
    });
    if (!finished)
        loop.exec();
}

Status CliHostSession::signIn(const HostSignIn &how)
{
    m_client->setBaseUrl(how.baseUrl);
    m_client->setTrustedCertificates(how.trustedCertificates);
    switch (how.method) {
    case HostSignIn::Method::ApiToken: m_client->setAuth(HostAuth::bearer(how.secret)); break;
    case HostSignIn::Method::AdminSecret: m_client->setAuth(HostAuth::adminSecret(how.secret)); break;
    case HostSignIn::Method::Password: {
        std::optional<HostError> error;
        auto login = await(m_client->login(how.username, how.secret), &error);
        if (!login) {
            if (error && error->httpStatus == 503
                && error->detail == QLatin1String("Authentication is not enabled"))
                return Error::make(Error::Code::Invalid,
                    tr("The host at %1 has authentication switched off, so there is nothing to sign in to: "
                       "run the command without --user.")
                        .arg(how.baseUrl.toDisplayString()));
            return login.error();
        }
        m_session = true;
        break;
    }
    }

    std::optional<HostError> error;
    auto me = await(m_client->me(), &error);
    if (!me) {
        // FastAPI answers /me with 503 when AUTH_ENABLED is off; then every request is the host's
        // mock admin, whatever credential it carries.
        if (error && error->httpStatus == 503) {
            auto status = await(m_client->authStatus());
            if (status && !status->authEnabled) {
                m_authDisabled = true;
                m_me = HostUser {};
                m_me.id = 0;
                m_me.username = QStringLiteral("_system");
                m_me.role = QStringLiteral("admin");
                return {};
            }
        }
        return me.error();
    }
    if (me->isAnonymous()) {
        const QString host = how.baseUrl.toDisplayString();
        switch (how.method) {
        case HostSignIn::Method::ApiToken:
            return Error::make(Error::Code::Refused,
                tr("This API token is not valid on this host (%1): it is unknown or revoked, or its account "
                   "is disabled.")
                    .arg(host));
        case HostSignIn::Method::AdminSecret:
            return Error::make(
                Error::Code::Refused, tr("This admin secret is not valid on this host (%1).").arg(host));
        case HostSignIn::Method::Password:
            return Error::make(Error::Code::Refused,
                tr("The host (%1) accepted the sign-in of %2, but its session is not valid on this host.")
                    .arg(host, how.username));
        }
    }
    m_me = std::move(me).value();
    return {};
}

Status CliHostSession::signOut()
{
    if (!m_session)
        return {};
    m_session = false;
    auto out = await(m_client->logout());
    if (!out)
        return out.error();
    return {};
}

} // namespace rk::cli
