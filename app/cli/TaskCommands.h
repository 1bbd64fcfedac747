#pragma once

#include <QCoreApplication>

namespace rk::cli {

class CliContext;

// approvals, tasks, vps and nodes. The plain names run over the host's API (ctx.host()); the
// ...Db ones read the platform database (the `tasks` table, the store's VPS list) as the
// signed-in actor, with the host's role rules. Approving, rejecting, task output and nodes need
// the running host (HostCommands::whyNotOverDatabase()).
class TaskCommands
{
    Q_DECLARE_TR_FUNCTIONS(rk::cli)

public:
    static int approvalsList(CliContext &ctx);
    static int approvalsListDb(CliContext &ctx);
    static int approvalsApprove(CliContext &ctx);
    static int approvalsReject(CliContext &ctx);

    static int tasksList(CliContext &ctx);
    static int tasksListDb(CliContext &ctx);
    static int tasksOutput(CliContext &ctx);

    static int vpsList(CliContext &ctx);
    static int vpsListDb(CliContext &ctx);

    static int nodesList(CliContext &ctx);
};

} // namespace rk::cli
