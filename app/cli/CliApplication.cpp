#include "CliApplication.h"

#include "CliCommandLine.h"

#include <QFileInfo>

namespace rk::cli {

CliApplication::CliApplication(CliIo io, QProcessEnvironment environment, QString hostName)
    : m_io(std::move(io)), m_env(std::move(environment)), m_hostName(std::move(hostName))
{
}

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
    if (!outcome.invocation.command->signsIn)
        return outcome.invocation.command->handler(ctx);
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

} // namespace rk::cli
