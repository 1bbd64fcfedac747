#pragma once

#include <QCoreApplication>

namespace rk::cli {

class CliContext;

// users, sessions and tokens: each handler runs one store operation as the signed-in actor and
// returns the exit status.
class AccountCommands
{
    Q_DECLARE_TR_FUNCTIONS(rk::cli)

public:
    static int usersList(CliContext &ctx);
    static int usersCreate(CliContext &ctx);
    static int usersSet(CliContext &ctx);
    static int usersResetPassword(CliContext &ctx);
    static int usersDelete(CliContext &ctx);

    static int sessionsList(CliContext &ctx);
    static int sessionsRevoke(CliContext &ctx);

    static int tokensList(CliContext &ctx);
    static int tokensCreate(CliContext &ctx);
    static int tokensRevoke(CliContext &ctx);
};

} // namespace rk::cli
