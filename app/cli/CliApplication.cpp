#include "CliApplication.h"

#include "CliCommandLine.h"
#include "CliHostSession.h"
#include "HostCommands.h"
#include "profiles/ProfileStore.h"
#include "secrets/KeychainSecretStore.h"

#include <QFileInfo>
#include <QSettings>

namespace rk::cli {

CliApplication::CliApplication(CliIo io, QProcessEnvironment environment, QString hostName)
    : m_io(std::move(io)), m_env(std::move(environment)), m_hostName(std::move(hostName))
{
}

CliApplication::~CliApplication() = default;

QString CliApplication::version()
{
    return QStringLiteral(RK_VERSION);
}

int CliApplication::run(const QStringList &arguments)
{
    const CliCommandLine commandLine;
    const ParseOutcome outcome = commandLine.parse(arguments);
    CliContext ctx(m_io, m_env, m_hostName, outcome.invocation);
    switch (outcome.kind) {
    case ParseOutcome::Kind::Help:
        if (m_io.out)
            m_io.out->write(outcome.helpText.toUtf8());
        return ExitOk;
    case ParseOutcome::Kind::Version:
        ctx.print(CliCommandLine::programName() + QLatin1Char(' ') + version());
        return ExitOk;
    case ParseOutcome::Kind::UsageError: return ctx.usageError(outcome.error);
    case ParseOutcome::Kind::Run: break;
    }
    const Invocation &inv = ctx.invocation();
    if (!inv.profile.isEmpty())
        return runWithProfile(ctx);
    if (!inv.host.isEmpty()) {
        if (const QString why = HostCommands::whyNotOverHost(inv); !why.isEmpty())
            return ctx.usageError(why);
        HostSignIn how;
        how.baseUrl = QUrl::fromUserInput(inv.host);
        if (!inv.user.isEmpty()) {
            how.method = HostSignIn::Method::Password;
            how.username = inv.user;
        } else {
            const auto token = ctx.apiToken();
            if (!token) {
                return ctx.usageError(tr("No API token for %1: set RIVERKEEPER_TOKEN, or give --user NAME to "
                                         "sign in with a password.")
                                          .arg(inv.host));
            }
            how.method = HostSignIn::Method::ApiToken;
            how.secret = *token;
        }
        return runOverHost(ctx, how);
    }
    return runCommand(ctx);
}

// Over the platform database: --db, or a profile of kind Database.
int CliApplication::runCommand(CliContext &ctx)
{
    const Invocation &inv = ctx.invocation();
    if (!inv.command->overDatabase())
        return ctx.usageError(HostCommands::whyNotOverDatabase(*inv.command));
    if (!inv.command->signsIn)
        return inv.command->handler(ctx);
    return runSignedIn(ctx);
}

int CliApplication::runSignedIn(CliContext &ctx)
{
    const Invocation &inv = ctx.invocation();
    // A clear message before asking for a password that could not be used anyway.
    if (!QFileInfo::exists(inv.db))
        return ctx.fail(tr("%1 does not exist. Create a platform database with \"init\".").arg(inv.db));

    const auto password = ctx.password(tr("Password for %1: ").arg(inv.user));
    if (!password) {
        return ctx.usageError(tr("No password given for %1: write it as the first line of standard input "
                                 "or set RIVERKEEPER_PASSWORD.")
                                  .arg(inv.user));
    }

    const auto access = inv.readOnly ? PlatformStore::Access::ReadOnly : PlatformStore::Access::ReadWrite;
    auto store = PlatformStore::open(inv.db, access, inv.busyTimeoutMs);
    if (!store)
        return ctx.fail(store.error());
    ctx.setStore(std::move(store).value());

    auto actor = ctx.store().authenticate(inv.user, *password, ctx.origin());
    if (!actor)
        return ctx.fail(actor.error());
    ctx.setActor(*actor);
    return inv.command->handler(ctx);
}

int CliApplication::runOverHost(CliContext &ctx, const HostSignIn &given)
{
    const Invocation &inv = ctx.invocation();
    // Refused before connecting: there is nothing to sign in for.
    if (const QString why = HostCommands::whyNotOverHost(inv); !why.isEmpty())
        return ctx.usageError(why);

    HostSignIn how = given;
    if (!how.baseUrl.isValid() || how.baseUrl.host().isEmpty()
        || (how.baseUrl.scheme() != QLatin1String("http")
            && how.baseUrl.scheme() != QLatin1String("https"))) {
        return ctx.usageError(
            tr("\"%1\" is not a host address: write it as http://host:8000 or https://host.").arg(inv.host));
    }
    if (const QString warning = HostClient::plainHttpWarning(how.baseUrl); !warning.isEmpty())
        ctx.warn(warning);
    if (how.method == HostSignIn::Method::Password) {
        const auto password = ctx.password(tr("Password for %1: ").arg(how.username));
        if (!password) {
            return ctx.usageError(tr("No password given for %1: write it as the first line of standard input "
                                     "or set RIVERKEEPER_PASSWORD.")
                                      .arg(how.username));
        }
        how.secret = *password;
    }

    CliHostSession session(m_nam);
    ctx.setHost(&session);
    int status = ExitOk;
    if (const Status signedIn = session.signIn(how); !signedIn)
        status = ctx.fail(signedIn.error());
    else
        status = inv.command->hostHandler(ctx);
    // A password sign-in opened a session for this one command: end it, whatever happened.
    if (const Status signedOut = session.signOut(); !signedOut)
        ctx.warn(tr("Could not sign out of the host: %1").arg(signedOut.error().message));
    ctx.setHost(nullptr);
    return status;
}

int CliApplication::runWithProfile(CliContext &ctx)
{
    Invocation &inv = ctx.invocation();
    if (!m_profiles) {
        m_ownProfiles = std::make_unique<ProfileStore>(ProfileStore::openDefaultSettings());
        m_profiles = m_ownProfiles.get();
    }
    const auto profile = m_profiles->profileNamed(inv.profile);
    if (!profile) {
        return ctx.fail(
            tr("There is no saved connection named \"%1\". Save one in the Riverkeeper app, or use "
               "--db FILE or --host URL.")
                .arg(inv.profile));
    }
    if (profile->kind == ConnectionProfile::Kind::Database) {
        if (inv.user.isEmpty())
            return ctx.usageError(
                tr("--user NAME is required: \"%1\" is a platform database connection.").arg(profile->name));
        inv.db = profile->databasePath;
        inv.readOnly = inv.readOnly || profile->readOnly;
        return runCommand(ctx);
    }

    // Host + database: what the API lacks (sessions, groups, ...) runs on the profile's database.
    if (profile->kind == ConnectionProfile::Kind::HostAndDatabase && inv.command->overDatabase()
        && (!inv.command->overHost() || !HostCommands::whyNotOverHost(inv).isEmpty())) {
        if (inv.user.isEmpty()) {
            return ctx.usageError(tr("--user NAME is required: %1 works on the platform database of \"%2\".")
                                      .arg(inv.command->path(), profile->name));
        }
        inv.db = profile->databasePath;
        return runCommand(ctx);
    }

    // Host, or host + database: the CLI talks to the host's API.
    inv.host = profile->baseUrl.toString();
    HostSignIn how;
    how.baseUrl = profile->baseUrl;
    how.trustedCertificates = profile->trustedCertificates;
    if (!inv.user.isEmpty()) {
        how.method = HostSignIn::Method::Password;
        how.username = inv.user;
        return runOverHost(ctx, how);
    }
    if (const QString why = HostCommands::whyNotOverHost(inv); !why.isEmpty())
        return ctx.usageError(why);

    // The profile's token (or admin secret) is in the keychain under its secretKey().
    if (!m_secrets) {
        m_ownSecrets = std::make_unique<KeychainSecretStore>();
        m_secrets = m_ownSecrets.get();
    }
    std::optional<Result<QString>> secret;
    QObject context;
    CliHostSession::runUntilDone([&](const std::function<void()> &done) {
        m_secrets->read(profile->secretKey(), &context, [&secret, done](const Result<QString> &read) {
            secret = read;
            done();
        });
    });
    if (!*secret) {
        const Error &error = secret->error();
        if (error.code == Error::Code::NotFound) {
            return ctx.fail(tr("%1 holds no secret for the connection \"%2\": sign in to it once in the "
                               "Riverkeeper app, or use --host URL with RIVERKEEPER_TOKEN.")
                                .arg(m_secrets->description(), profile->name));
        }
        return ctx.fail(tr("Cannot read the secret of the connection \"%1\" from %2: %3 Use --host URL with "
                           "RIVERKEEPER_TOKEN, or --user NAME to sign in with a password.")
                            .arg(profile->name, m_secrets->description(), error.message));
    }
    how.method = profile->auth == ConnectionProfile::Auth::AdminSecret ? HostSignIn::Method::AdminSecret
                                                                       : HostSignIn::Method::ApiToken;
    how.secret = secret->value();
    return runOverHost(ctx, how);
}

} // namespace rk::cli
