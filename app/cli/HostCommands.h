#pragma once

#include <QCoreApplication>

namespace rk::cli {

class CliContext;
struct CommandSpec;
struct Invocation;

// users, tokens and invitations over the host's REST API (--host, --profile): each handler sends
// the requests of one command through ctx.host() as the signed-in account and returns the exit
// status. What the API lacks is refused before connecting (whyNotOverHost()).
class HostCommands
{
    Q_DECLARE_TR_FUNCTIONS(rk::cli)

public:
    static int usersList(CliContext &ctx);
    static int usersSet(CliContext &ctx);
    static int usersDelete(CliContext &ctx); // resolves the name through the users list

    static int tokensList(CliContext &ctx); // the caller's own tokens only
    static int tokensCreate(CliContext &ctx);
    static int tokensRevoke(CliContext &ctx);

    static int invitationsList(CliContext &ctx); // admin
    static int invitationsCreate(CliContext &ctx); // operators: viewer invitations only
    static int invitationsRevoke(CliContext &ctx); // admin

    // Why `invocation` cannot run over the host's API (a command or an option the API does not
    // have), naming what it needs; empty when it can.
    static QString whyNotOverHost(const Invocation &invocation);
    // Why `command` cannot run on the platform database alone; empty when it can.
    static QString whyNotOverDatabase(const CommandSpec &command);
};

} // namespace rk::cli
