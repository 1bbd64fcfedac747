// HostConnection against the fake host: the password flow of the official CLI (login, a named
// token, logout, then Bearer), tokens and the admin secret checked through /me's role, resume,
// sign-out with and without the host, keychain failures and untrusted certificates.
#include "ConnectTestSupport.h"
#include "FakeHost.h"
#include "HostTestSupport.h"
#include "RkTest.h"
#include "connection/HostConnection.h"
#include "host/HostClient.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"

#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>

#include <memory>

using namespace rk;
using namespace rk::test;
using namespace connecttest;
using namespace Qt::StringLiterals;

namespace {

// Everything logged while a test runs, to check that no secret ever reaches a log.
QStringList g_messages;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_messages.append(message);
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

ConnectionFailure failureOf(const QSignalSpy &spy)
{
    return spy.first().first().value<ConnectionFailure>();
}

} // namespace

class TestHostConnection : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<HostClient> m_client;
    std::unique_ptr<MemorySecretStore> m_secrets;

    const FakeHost::Seed &seed() const { return m_host->seed(); }

    ConnectionProfile profile(ConnectionProfile::Auth auth = ConnectionProfile::Auth::Password) const
    {
        ConnectionProfile p;
        p.id = u"0b5c6f1e-0000-4000-8000-000000000001"_s;
        p.name = u"lab"_s;
        p.kind = ConnectionProfile::Kind::Host;
        p.baseUrl = m_host->baseUrl();
        p.auth = auth;
        return p;
    }

    std::optional<FakeToken> hostToken(const QString &name) const
    {
        const QList<FakeToken> tokens = m_host->tokens();
        for (const FakeToken &t : tokens) {
            if (t.name == name)
                return t;
        }
        return std::nullopt;
    }

    // A password sign-in as the admin that must succeed; returns the new token's plaintext.
    QString signInAsAdmin(HostConnection &connection)
    {
        QSignalSpy connected(&connection, &HostConnection::connected);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.connectWithPassword(u"admin"_s, seed().adminPassword);
        if (!connected.wait(5000)) {
            const QString why = failed.isEmpty() ? u"no answer"_s : failureOf(failed).message();
            qWarning().noquote() << "sign-in failed:" << why;
            return {};
        }
        const auto token = hostToken(HostConnection::appTokenName());
        return token ? token->plaintext : QString();
    }

private Q_SLOTS:
    void initTestCase() { g_previousHandler = qInstallMessageHandler(captureMessage); }
    void cleanupTestCase() { qInstallMessageHandler(g_previousHandler); }

    void init()
    {
        g_messages.clear();
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
        m_client = std::make_unique<HostClient>();
        m_secrets = std::make_unique<MemorySecretStore>();
    }
    void cleanup()
    {
        m_client.reset();
        m_host.reset();
        m_secrets.reset();
    }

    void appTokenNameNamesTheMachine()
    {
        QCOMPARE(HostConnection::appTokenName(), u"riverkeeper@"_s + QSysInfo::machineHostName());
    }

    void passwordSignInCreatesANamedTokenAndSwitchesToBearer()
    {
        HostConnection connection(profile(), *m_secrets, *m_client);
        QSignalSpy connected(&connection, &HostConnection::connected);
        QSignalSpy progress(&connection, &HostConnection::progress);
        connection.connectWithPassword(u"admin"_s, seed().adminPassword);
        QVERIFY(connected.wait(5000));
        QVERIFY(!connection.isBusy());
        QVERIFY(connection.isConnected());
        QVERIFY(progress.size() >= 3);

        const HostUser me = connected.first().first().value<HostUser>();
        QCOMPARE(me.id, seed().adminId);
        QCOMPARE(me.username, u"admin"_s);

        // The token exists on the host, under the app's name, owned by the admin.
        const auto token = hostToken(HostConnection::appTokenName());
        QVERIFY(token.has_value());
        QCOMPARE(token->userId, seed().adminId);
        QCOMPARE(connection.profile().appTokenId, token->id);
        QCOMPARE(connection.profile().username, u"admin"_s);

        // login -> tokens/create with the cookie -> logout with the cookie -> Bearer from then on.
        const QList<RecordedRequest> requests = m_host->requests();
        QCOMPARE(requests.size(), 4);
        QCOMPARE(requests.at(0).path, u"/api/auth/login"_s);
        QCOMPARE(requests.at(0).json()[u"username"_s].toString(), u"admin"_s);
        QCOMPARE(requests.at(1).method, QByteArray("POST"));
        QCOMPARE(requests.at(1).path, u"/api/auth/tokens/create"_s);
        const QString session = requests.at(1).cookie(u"kohakuriver_session"_s);
        QVERIFY(!session.isEmpty());
        QCOMPARE(requests.at(1).json()[u"name"_s].toString(), HostConnection::appTokenName());
        QCOMPARE(requests.at(2).path, u"/api/auth/logout"_s);
        QCOMPARE(requests.at(2).cookie(u"kohakuriver_session"_s), session);
        QCOMPARE(requests.at(3).path, u"/api/auth/me"_s);
        QCOMPARE(requests.at(3).header("authorization"), "Bearer " + token->plaintext.toLatin1());
        QVERIFY(!requests.at(3).hasHeader("cookie"));
        QCOMPARE(m_host->sessionCount(), 0); // the cookie session was ended
        QCOMPARE(m_client->auth(), HostAuth::bearer(token->plaintext));

        // The token is in the secret store under the profile's key.
        const auto stored = readNow(*m_secrets, connection.profile().secretKey());
        QVERIFY(stored && stored->ok());
        QCOMPARE(stored->value(), token->plaintext);
        QCOMPARE(m_secrets->count(), 1);

        // Saving the profile puts neither the token nor the password in the settings file.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(u"profiles.conf"_s);
        {
            ProfileStore profiles(std::make_unique<QSettings>(file, QSettings::IniFormat));
            auto saved = profiles.save(connection.profile());
            QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().message));
            profiles.setLastUsed(saved->id);
        }
        QFile settings(file);
        QVERIFY(settings.open(QIODevice::ReadOnly));
        const QByteArray text = settings.readAll();
        QVERIFY(text.contains(
            QByteArray("appTokenId=" + QByteArray::number(token->id)))); // the file is the profile
        QVERIFY(!text.contains(token->plaintext.toLatin1()));
        QVERIFY(!text.contains(seed().adminPassword.toLatin1()));
        QVERIFY(!text.contains(session.toLatin1()));

        // Nor in any log.
        for (const QString &message : std::as_const(g_messages)) {
            QVERIFY2(!message.contains(token->plaintext), qPrintable(message));
            QVERIFY2(!message.contains(seed().adminPassword), qPrintable(message));
        }
    }

    void wrongPasswordFailsAsAuth()
    {
        HostConnection connection(profile(), *m_secrets, *m_client);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.connectWithPassword(u"admin"_s, u"not-the-password"_s);
        QVERIFY(failed.wait(5000));
        QCOMPARE(failureOf(failed).kind, ConnectionFailure::Kind::Auth);
        QVERIFY(!hostToken(HostConnection::appTokenName()));
        QCOMPARE(m_secrets->count(), 0);
    }

    void badTokenIsNotValidOnThisHost()
    {
        HostConnection connection(profile(ConnectionProfile::Auth::ApiToken), *m_secrets, *m_client);
        QSignalSpy connected(&connection, &HostConnection::connected);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.connectWithToken(QString(64, QLatin1Char('a')));
        QVERIFY(failed.wait(5000));
        const ConnectionFailure failure = failureOf(failed);
        QCOMPARE(failure.kind, ConnectionFailure::Kind::Auth);
        QVERIFY2(failure.message().contains(u"not valid on this host"_s), qPrintable(failure.message()));
        QCOMPARE(connected.size(), 0);
        QCOMPARE(m_secrets->count(), 0); // nothing stored for a credential that does not work
        QVERIFY(m_client->auth().isNone());
        QCOMPARE(m_host->requests().last().header("authorization"), "Bearer " + QByteArray(64, 'a'));
    }

    void validTokenConnectsAndIsStored()
    {
        ConnectionProfile p = profile(ConnectionProfile::Auth::ApiToken);
        p.appTokenId = 7; // left from an earlier password sign-in: a pasted token is not the app's
        HostConnection connection(p, *m_secrets, *m_client);
        QSignalSpy connected(&connection, &HostConnection::connected);
        connection.connectWithToken(seed().viewerToken);
        QVERIFY(connected.wait(5000));
        QCOMPARE(connection.me().id, seed().viewerId);
        QCOMPARE(connection.profile().appTokenId, -1);
        const auto stored = readNow(*m_secrets, p.secretKey());
        QVERIFY(stored && stored->ok());
        QCOMPARE(stored->value(), seed().viewerToken);
    }

    void adminSecretSendsXAdminToken()
    {
        HostConnection connection(profile(ConnectionProfile::Auth::AdminSecret), *m_secrets, *m_client);
        QSignalSpy connected(&connection, &HostConnection::connected);
        connection.connectWithAdminSecret(seed().adminSecret);
        QVERIFY(connected.wait(5000));
        QCOMPARE(connection.me().id, 0);
        QCOMPARE(connection.me().role, u"admin"_s);
        QVERIFY(!connection.authDisabled());
        const RecordedRequest &me = m_host->requests().last();
        QCOMPARE(me.path, u"/api/auth/me"_s);
        QCOMPARE(me.header("x-admin-token"), seed().adminSecret.toLatin1());
        QVERIFY(!me.hasHeader("authorization"));
        QVERIFY(m_secrets->contains(connection.profile().secretKey()));
    }

    void wrongAdminSecretIsNotValidOnThisHost()
    {
        HostConnection connection(profile(ConnectionProfile::Auth::AdminSecret), *m_secrets, *m_client);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.connectWithAdminSecret(u"not-the-secret"_s);
        QVERIFY(failed.wait(5000));
        QVERIFY2(failureOf(failed).message().contains(u"not valid on this host"_s),
            qPrintable(failureOf(failed).message()));
        QCOMPARE(m_secrets->count(), 0);
    }

    void hostWithoutAuthenticationConnectsAsAdminWithAWarning()
    {
        m_host->setAuthEnabled(false);
        HostConnection connection(profile(ConnectionProfile::Auth::AdminSecret), *m_secrets, *m_client);
        QSignalSpy connected(&connection, &HostConnection::connected);
        connection.connectWithAdminSecret(seed().adminSecret);
        QVERIFY(connected.wait(5000));
        QVERIFY(connection.authDisabled());
        QVERIFY(connection.warning().contains(u"authentication switched off"_s));
        QCOMPARE(connection.me().role, u"admin"_s);
        QCOMPARE(m_host->requests().last().path, u"/api/auth/status"_s);

        // A password sign-in has nothing to sign in to, and makes no token.
        HostConnection byPassword(profile(), *m_secrets, *m_client);
        QSignalSpy passwordConnected(&byPassword, &HostConnection::connected);
        byPassword.connectWithPassword(u"admin"_s, seed().adminPassword);
        QVERIFY(passwordConnected.wait(5000));
        QVERIFY(byPassword.authDisabled());
        QCOMPARE(byPassword.profile().appTokenId, -1);
    }

    void roleBelowViewerIsRefusedAndItsTokenRevoked()
    {
        m_host->addUser(
            {0, u"nobody"_s, u"No Body"_s, u"nobody-password"_s, u"anony"_s, true, u"2026-11-22T00:00:00"_s});
        HostConnection connection(profile(), *m_secrets, *m_client);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.connectWithPassword(u"nobody"_s, u"nobody-password"_s);
        QVERIFY(failed.wait(5000));
        const ConnectionFailure failure = failureOf(failed);
        QCOMPARE(failure.kind, ConnectionFailure::Kind::Auth);
        QVERIFY2(failure.message().contains(u"below viewer"_s), qPrintable(failure.message()));
        QVERIFY(!hostToken(HostConnection::appTokenName())); // the token it made was revoked again
        QCOMPARE(m_secrets->count(), 0);
    }

    void resumeUsesTheStoredToken()
    {
        HostConnection first(profile(), *m_secrets, *m_client);
        QVERIFY(!signInAsAdmin(first).isEmpty());

        HostClient freshClient;
        HostConnection reopened(first.profile(), *m_secrets, freshClient);
        QSignalSpy connected(&reopened, &HostConnection::connected);
        m_host->server().clearRequests();
        reopened.resume();
        QVERIFY(connected.wait(5000));
        QCOMPARE(reopened.me().username, u"admin"_s);
        QCOMPARE(m_host->requests().size(), 1); // only /me: no new token
        QCOMPARE(reopened.profile().appTokenId, first.profile().appTokenId);
    }

    void resumeWithARevokedTokenSaysSo()
    {
        HostConnection first(profile(), *m_secrets, *m_client);
        const QString token = signInAsAdmin(first);
        QVERIFY(!token.isEmpty());

        // Someone revokes the app's token on the host.
        HostClient other;
        other.setBaseUrl(m_host->baseUrl());
        other.setAuth(HostAuth::bearer(token));
        RK_VERIFY_OK(await(other.revokeToken(first.profile().appTokenId)));

        HostClient freshClient;
        HostConnection reopened(first.profile(), *m_secrets, freshClient);
        QSignalSpy failed(&reopened, &HostConnection::failed);
        reopened.resume();
        QVERIFY(failed.wait(5000));
        const ConnectionFailure failure = failureOf(failed);
        QCOMPARE(failure.kind, ConnectionFailure::Kind::Auth);
        QVERIFY2(failure.message().contains(u"not valid on this host"_s), qPrintable(failure.message()));
        QVERIFY2(failure.message().contains(u"revoked"_s), qPrintable(failure.message()));
        QVERIFY2(failure.message().contains(u"Sign in again"_s), qPrintable(failure.message()));
    }

    void resumeWithoutASavedSecretAsksToSignIn()
    {
        HostConnection connection(profile(), *m_secrets, *m_client);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.resume();
        QVERIFY(failed.wait(5000));
        QCOMPARE(failureOf(failed).kind, ConnectionFailure::Kind::Auth);
        QVERIFY2(failureOf(failed).message().contains(u"sign in again"_s),
            qPrintable(failureOf(failed).message()));
    }

    void signOutRevokesTheTokenAndRemovesTheSecret()
    {
        HostConnection connection(profile(), *m_secrets, *m_client);
        const QString token = signInAsAdmin(connection);
        QVERIFY(!token.isEmpty());
        const qint64 tokenId = connection.profile().appTokenId;

        QSignalSpy signedOut(&connection, &HostConnection::signedOut);
        connection.signOut();
        QVERIFY(signedOut.wait(5000));
        const Status status = signedOut.first().first().value<Status>();
        QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error().message));
        const RecordedRequest &revoke = m_host->requests().last();
        QCOMPARE(revoke.method, QByteArray("DELETE"));
        QCOMPARE(revoke.path, u"/api/auth/tokens/%1"_s.arg(tokenId));
        QCOMPARE(revoke.header("authorization"), "Bearer " + token.toLatin1());
        QVERIFY(!hostToken(HostConnection::appTokenName()));
        QCOMPARE(m_secrets->count(), 0);
        QCOMPARE(connection.profile().appTokenId, -1);
        QVERIFY(m_client->auth().isNone());
        QVERIFY(!connection.isConnected());
    }

    void signOutOfASavedProfileReadsTheTokenFirst()
    {
        HostConnection first(profile(), *m_secrets, *m_client);
        QVERIFY(!signInAsAdmin(first).isEmpty());

        HostClient freshClient; // the app restarted: nothing in memory but the profile
        HostConnection later(first.profile(), *m_secrets, freshClient);
        QSignalSpy signedOut(&later, &HostConnection::signedOut);
        later.signOut();
        QVERIFY(signedOut.wait(5000));
        QVERIFY(signedOut.first().first().value<Status>().ok());
        QVERIFY(!hostToken(HostConnection::appTokenName()));
        QCOMPARE(m_secrets->count(), 0);
    }

    void signOutOfAPastedTokenDoesNotRevokeIt()
    {
        HostConnection connection(profile(ConnectionProfile::Auth::ApiToken), *m_secrets, *m_client);
        QSignalSpy connected(&connection, &HostConnection::connected);
        connection.connectWithToken(seed().userToken);
        QVERIFY(connected.wait(5000));
        QSignalSpy signedOut(&connection, &HostConnection::signedOut);
        m_host->server().clearRequests();
        connection.signOut();
        QVERIFY(signedOut.wait(5000));
        QVERIFY(signedOut.first().first().value<Status>().ok());
        QCOMPARE(m_host->requests().size(), 0); // the admin's own token stays valid
        QVERIFY(hostToken(u"user-cli"_s));
        QCOMPARE(m_secrets->count(), 0);
    }

    void signOutWithTheHostDownRemovesLocallyAndNamesTheToken()
    {
        HostConnection connection(profile(), *m_secrets, *m_client);
        QVERIFY(!signInAsAdmin(connection).isEmpty());
        m_host.reset(); // the host is gone: its port refuses connections

        QSignalSpy signedOut(&connection, &HostConnection::signedOut);
        connection.signOut();
        QVERIFY(signedOut.wait(10000));
        const Status status = signedOut.first().first().value<Status>();
        QVERIFY(!status.ok());
        QVERIFY2(
            status.error().message.contains(u"could not be revoked"_s), qPrintable(status.error().message));
        QVERIFY2(status.error().message.contains(HostConnection::appTokenName()),
            qPrintable(status.error().message));
        QCOMPARE(m_secrets->count(), 0); // removed here all the same
        QCOMPARE(connection.profile().appTokenId, -1);
    }

    void keychainFailureCanKeepTheTokenForThisSession()
    {
        RefusingSecretStore keychain;
        HostConnection connection(profile(), keychain, *m_client);
        QSignalSpy connected(&connection, &HostConnection::connected);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.connectWithPassword(u"admin"_s, seed().adminPassword);
        QVERIFY(failed.wait(5000));
        const ConnectionFailure failure = failureOf(failed);
        QCOMPARE(failure.kind, ConnectionFailure::Kind::Keychain);
        QVERIFY(failure.canKeepForSession);
        QVERIFY2(failure.message().contains(u"The keychain is locked."_s), qPrintable(failure.message()));
        QCOMPARE(keychain.writes, 1);
        QCOMPARE(connected.size(), 0);
        const auto token = hostToken(HostConnection::appTokenName());
        QVERIFY(token.has_value()); // still there, waiting for the choice

        MemorySecretStore session;
        connection.keepForSession(session);
        QVERIFY(connected.wait(5000));
        QCOMPARE(connection.secretStore(), &session);
        QCOMPARE(connection.profile().appTokenId, token->id);
        const auto stored = readNow(session, connection.profile().secretKey());
        QVERIFY(stored && stored->ok());
        QCOMPARE(stored->value(), token->plaintext);

        // Signing out removes it from the session store too.
        QSignalSpy signedOut(&connection, &HostConnection::signedOut);
        connection.signOut();
        QVERIFY(signedOut.wait(5000));
        QCOMPARE(session.count(), 0);
        QVERIFY(!hostToken(HostConnection::appTokenName()));
    }

    void keychainFailureDiscardedRevokesTheNewToken()
    {
        RefusingSecretStore keychain;
        HostConnection connection(profile(), keychain, *m_client);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.connectWithPassword(u"admin"_s, seed().adminPassword);
        QVERIFY(failed.wait(5000));
        QVERIFY(failureOf(failed).canKeepForSession);
        QVERIFY(hostToken(HostConnection::appTokenName()));

        QSignalSpy signedOut(&connection, &HostConnection::signedOut);
        connection.discardPending();
        QVERIFY(signedOut.wait(5000));
        QVERIFY(signedOut.first().first().value<Status>().ok());
        QVERIFY(!hostToken(HostConnection::appTokenName()));
        QVERIFY(m_client->auth().isNone());
    }

    void untrustedCertificateFailsWithItsFingerprintUntilTrusted()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        FakeHost tlsHost;
        QVERIFY(tlsHost.startTls());
        ConnectionProfile p = profile(ConnectionProfile::Auth::ApiToken);
        p.baseUrl = tlsHost.baseUrl();
        HostConnection connection(p, *m_secrets, *m_client);
        QSignalSpy connected(&connection, &HostConnection::connected);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.connectWithToken(tlsHost.seed().adminToken);
        QVERIFY(failed.wait(5000));
        const ConnectionFailure failure = failureOf(failed);
        QCOMPARE(failure.kind, ConnectionFailure::Kind::Tls);
        QVERIFY(failure.certificate.has_value());
        QCOMPARE(failure.certificate->sha256, FakeHost::certificateSha256());
        QCOMPARE(failure.certificate->subject, u"Riverkeeper Fake Host"_s);
        QVERIFY(failure.certificate->notAfter.isValid());
        QVERIFY(!failure.certificate->isChange()); // nothing was trusted before
        QVERIFY2(!failure.message().contains(u"changed"_s), qPrintable(failure.message()));
        QCOMPARE(tlsHost.requests().size(), 0);
        QCOMPARE(m_secrets->count(), 0);

        // Trusted on the client alone it is not: the connection sets the profile's list.
        m_client->trustCertificate(failure.certificate->sha256);
        connection.connectWithToken(tlsHost.seed().adminToken);
        QVERIFY(failed.wait(5000));
        QCOMPARE(failureOf(failed).kind, ConnectionFailure::Kind::Tls);
        QVERIFY(m_client->options().trustedCertificates.isEmpty());

        p.trustedCertificates = QStringList {failure.certificate->sha256};
        connection.setProfile(p);
        connection.connectWithToken(tlsHost.seed().adminToken);
        QVERIFY(connected.wait(5000));
        QCOMPARE(connection.me().username, u"admin"_s);
        QCOMPARE(m_secrets->count(), 1);
        QCOMPARE(connection.profile().trustedCertificates, QStringList {FakeHost::certificateSha256()});
    }

    void trustedCertificateIsRememberedAfterARestart()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        FakeHost tlsHost;
        QVERIFY(tlsHost.startTls());
        QTemporaryDir dir;
        const QString file = dir.filePath(u"profiles.conf"_s);
        QString id;
        {
            // The first run: refused, trusted after a look at the certificate, connected, saved.
            ProfileStore store(std::make_unique<QSettings>(file, QSettings::IniFormat));
            HostClient client;
            ConnectionProfile p = profile(ConnectionProfile::Auth::ApiToken);
            p.baseUrl = tlsHost.baseUrl();
            HostConnection connection(p, *m_secrets, client);
            QSignalSpy failed(&connection, &HostConnection::failed);
            QSignalSpy connected(&connection, &HostConnection::connected);
            connection.connectWithToken(tlsHost.seed().adminToken);
            QVERIFY(failed.wait(5000));
            p.trustedCertificates = QStringList {failureOf(failed).certificate->sha256};
            connection.setProfile(p);
            connection.connectWithToken(tlsHost.seed().adminToken);
            QVERIFY(connected.wait(5000));
            auto saved = store.save(connection.profile());
            QVERIFY(saved.ok());
            id = saved->id;
        }

        // The next run: the profile from the file, a client that was never told about the
        // certificate; the keychain still holds the token.
        ProfileStore store(std::make_unique<QSettings>(file, QSettings::IniFormat));
        const std::optional<ConnectionProfile> reloaded = store.profile(id);
        QVERIFY(reloaded.has_value());
        QCOMPARE(reloaded->trustedCertificates, QStringList {FakeHost::certificateSha256()});
        HostClient client;
        QVERIFY(client.options().trustedCertificates.isEmpty());
        tlsHost.server().clearRequests();
        HostConnection resumed(*reloaded, *m_secrets, client);
        QSignalSpy connected(&resumed, &HostConnection::connected);
        resumed.resume();
        QVERIFY(connected.wait(5000));
        QCOMPARE(resumed.me().username, u"admin"_s);
        QCOMPARE(tlsHost.requests().size(), 1);
        QCOMPARE(tlsHost.requests().first().path, u"/api/auth/me"_s);

        // Trust belongs to the profile: another profile on the same client does not inherit it,
        // also when Qt sends its request over the connection the first one left open.
        ConnectionProfile other = profile(ConnectionProfile::Auth::ApiToken);
        other.id = u"0b5c6f1e-0000-4000-8000-000000000002"_s;
        other.baseUrl = tlsHost.baseUrl();
        HostConnection stranger(other, *m_secrets, client);
        QSignalSpy failed(&stranger, &HostConnection::failed);
        QSignalSpy strangerConnected(&stranger, &HostConnection::connected);
        stranger.connectWithToken(tlsHost.seed().adminToken);
        QVERIFY(failed.wait(5000));
        QCOMPARE(failureOf(failed).kind, ConnectionFailure::Kind::Tls);
        QCOMPARE(failureOf(failed).certificate->sha256, FakeHost::certificateSha256());
        QCOMPARE(strangerConnected.size(), 0);
        QVERIFY(!stranger.isConnected());
    }

    void changedCertificateIsRefusedNamingBothFingerprints()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        const QString before = FakeHost::certificateSha256();
        const QString after = FakeHost::certificateSha256(FakeHost::Certificate::Renewed);
        QVERIFY(!before.isEmpty() && !after.isEmpty() && before != after);
        auto tlsHost = std::make_unique<FakeHost>();
        QVERIFY(tlsHost->startTls());
        const quint16 port = quint16(tlsHost->baseUrl().port());
        ConnectionProfile p = profile(ConnectionProfile::Auth::ApiToken);
        p.baseUrl = tlsHost->baseUrl();
        p.trustedCertificates = QStringList {before};
        {
            HostConnection connection(p, *m_secrets, *m_client);
            QSignalSpy connected(&connection, &HostConnection::connected);
            connection.connectWithToken(tlsHost->seed().adminToken);
            QVERIFY(connected.wait(5000));
        }

        // The host now presents another certificate at the same address.
        const QString token = tlsHost->seed().adminToken;
        tlsHost.reset();
        FakeHost renewed;
        QVERIFY(renewed.startTls(FakeHost::Certificate::Renewed, port));
        HostClient client;
        HostConnection connection(p, *m_secrets, client);
        QSignalSpy failed(&connection, &HostConnection::failed);
        QSignalSpy connected(&connection, &HostConnection::connected);
        connection.resume();
        QVERIFY(failed.wait(5000));
        const ConnectionFailure failure = failureOf(failed);
        QCOMPARE(failure.kind, ConnectionFailure::Kind::Tls);
        QVERIFY(failure.certificate.has_value());
        QCOMPARE(failure.certificate->sha256, after);
        QVERIFY(failure.certificate->isChange());
        QCOMPARE(failure.certificate->trustedBefore, QStringList {before});
        QVERIFY2(failure.message().contains(u"has changed"_s), qPrintable(failure.message()));
        QVERIFY2(failure.message().contains(before), qPrintable(failure.message()));
        QVERIFY2(failure.message().contains(after), qPrintable(failure.message()));
        QVERIFY(failure.certificate->describe().contains(before));
        QCOMPARE(renewed.requests().size(), 0); // the token never went to it
        QCOMPARE(m_secrets->count(), 1); // the saved token stays for when the admin decides
        for (const QString &message : std::as_const(g_messages))
            QVERIFY2(!message.contains(token), qPrintable(message));

        // Trusting the new certificate, as the dialog does, replaces the old one.
        p.trustedCertificates = QStringList {after};
        connection.setProfile(p);
        connection.resume();
        QVERIFY(connected.wait(5000));
        QCOMPARE(renewed.requests().size(), 1);
    }

    void forgottenCertificateIsShownAgainAsNew()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        FakeHost tlsHost;
        QVERIFY(tlsHost.startTls());
        QTemporaryDir dir;
        const QString file = dir.filePath(u"profiles.conf"_s);
        ConnectionProfile p = profile(ConnectionProfile::Auth::ApiToken);
        p.baseUrl = tlsHost.baseUrl();
        p.trustedCertificates = QStringList {FakeHost::certificateSha256()};
        {
            ProfileStore store(std::make_unique<QSettings>(file, QSettings::IniFormat));
            QVERIFY(store.save(p).ok());
            HostConnection connection(p, *m_secrets, *m_client);
            QSignalSpy connected(&connection, &HostConnection::connected);
            connection.connectWithToken(tlsHost.seed().adminToken);
            QVERIFY(connected.wait(5000));
            // Forget: the profile is saved without it.
            p.trustedCertificates.clear();
            QVERIFY(store.save(p).ok());
        }
        ProfileStore store(std::make_unique<QSettings>(file, QSettings::IniFormat));
        const std::optional<ConnectionProfile> reloaded = store.profile(p.id);
        QVERIFY(reloaded && reloaded->trustedCertificates.isEmpty());
        tlsHost.server().clearRequests();
        HostClient client;
        HostConnection connection(*reloaded, *m_secrets, client);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.resume();
        QVERIFY(failed.wait(5000));
        const ConnectionFailure failure = failureOf(failed);
        QCOMPARE(failure.kind, ConnectionFailure::Kind::Tls);
        QCOMPARE(failure.certificate->sha256, FakeHost::certificateSha256());
        QVERIFY(!failure.certificate->isChange()); // asked as the first time, not as a change
        QCOMPARE(tlsHost.requests().size(), 0);
    }

    void signingInAgainRevokesThePreviousAppToken()
    {
        HostConnection first(profile(), *m_secrets, *m_client);
        QVERIFY(!signInAsAdmin(first).isEmpty());
        const qint64 oldId = first.profile().appTokenId;

        HostConnection again(first.profile(), *m_secrets, *m_client);
        const QString token = signInAsAdmin(again);
        QVERIFY(!token.isEmpty());
        QVERIFY(again.profile().appTokenId != oldId);
        int appTokens = 0;
        const QList<FakeToken> tokens = m_host->tokens();
        for (const FakeToken &t : tokens) {
            QVERIFY(t.id != oldId);
            appTokens += t.name == HostConnection::appTokenName() ? 1 : 0;
        }
        QCOMPARE(appTokens, 1);
        QCOMPARE(readNow(*m_secrets, again.profile().secretKey())->value(), token);
    }

    void aReusedTokenIdOfAnotherTokenIsNotRevoked()
    {
        // The profile remembers id N, but on the host N is now the admin's CLI token.
        ConnectionProfile p = profile();
        p.appTokenId = hostToken(u"admin-cli"_s)->id;
        HostConnection connection(p, *m_secrets, *m_client);
        QVERIFY(!signInAsAdmin(connection).isEmpty());
        QVERIFY(hostToken(u"admin-cli"_s).has_value());
    }

    void cancellingAfterTheTokenWasCreatedRevokesIt()
    {
        m_host->server().enqueue(FakeReply::hang(), "POST", u"/api/auth/logout"_s);
        HostConnection connection(profile(), *m_secrets, *m_client);
        QSignalSpy connected(&connection, &HostConnection::connected);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.connectWithPassword(u"admin"_s, seed().adminPassword);
        QTRY_COMPARE(m_host->server().count("POST", u"/api/auth/logout"_s), 1);
        QVERIFY(hostToken(HostConnection::appTokenName()));
        connection.cancel();
        QVERIFY(!connection.isBusy());
        QTRY_VERIFY(!hostToken(HostConnection::appTokenName()));
        QTRY_COMPARE(m_host->sessionCount(), 0);
        QCOMPARE(connected.size(), 0);
        QCOMPARE(failed.size(), 0);
        QCOMPARE(m_secrets->count(), 0);
        QVERIFY(m_client->auth().isNone());
    }

    void aNewSignInAbandonsTheOneUnderWay()
    {
        m_host->server().enqueue(FakeReply::hang(), "POST", u"/api/auth/login"_s);
        HostConnection connection(profile(ConnectionProfile::Auth::ApiToken), *m_secrets, *m_client);
        QSignalSpy connected(&connection, &HostConnection::connected);
        QSignalSpy failed(&connection, &HostConnection::failed);
        connection.connectWithPassword(u"admin"_s, seed().adminPassword);
        QTRY_COMPARE(m_host->server().count("POST", u"/api/auth/login"_s), 1);
        connection.connectWithToken(seed().adminToken);
        QVERIFY(connected.wait(5000));
        QCOMPARE(connected.size(), 1);
        QCOMPARE(failed.size(), 0);
        QVERIFY(!hostToken(HostConnection::appTokenName()));
    }
};

RK_TEST_GUILESS_MAIN(TestHostConnection)
#include "TestHostConnection.moc"
