#pragma once

#include <QCoreApplication>

namespace rk::cli {

class CliContext;

// init, groups, invitations, audit and settings.
class AdminCommands
{
    Q_DECLARE_TR_FUNCTIONS(rk::cli)

public:
    // Creates the store itself (there is no one to sign in yet).
    static int init(CliContext &ctx);

    static int groupsCreate(CliContext &ctx);
    static int groupsAddMember(CliContext &ctx);
    static int groupsRemoveMember(CliContext &ctx);
    static int groupsList(CliContext &ctx);

    static int invitationsCreate(CliContext &ctx);
    static int invitationsList(CliContext &ctx);
    static int invitationsRevoke(CliContext &ctx);

    static int auditList(CliContext &ctx);

    static int settingsSet(CliContext &ctx);
    static int settingsGet(CliContext &ctx);
};

} // namespace rk::cli
