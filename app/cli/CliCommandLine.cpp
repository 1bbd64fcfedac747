#include "CliCommandLine.h"

#include "AccountCommands.h"
#include "AdminCommands.h"
#include "HostCommands.h"
#include "TaskCommands.h"

#include <algorithm>

namespace rk::cli {

namespace {
constexpr int kHelpColumn = 28;

QString helpLine(const QString &left, const QString &description)
{
    QString text = QStringLiteral("  ") + left;
    if (text.size() + 2 > kHelpColumn)
        return text + QLatin1Char('\n') + QString(kHelpColumn, QLatin1Char(' ')) + description;
    return text.leftJustified(kHelpColumn) + description;
}

QString optionLabel(const OptionSpec &o)
{
    QString label = QStringLiteral("--") + o.name;
    if (!o.valueName.isEmpty())
        label += QLatin1Char(' ') + o.valueName;
    return label;
}
} // namespace

QString CommandSpec::synopsis() const
{
    QStringList parts {path()};
    parts << arguments;
    if (!optionsSynopsis.isEmpty()) {
        parts << optionsSynopsis;
    } else {
        for (const OptionSpec &o : options)
            parts << (o.required ? optionLabel(o) : QLatin1Char('[') + optionLabel(o) + QLatin1Char(']'));
    }
    return parts.join(QLatin1Char(' '));
}

const OptionSpec *CommandSpec::option(const QString &name) const
{
    for (const OptionSpec &o : options) {
        if (o.name == name)
            return &o;
    }
    return nullptr;
}

CliCommandLine::CliCommandLine()
{
    const auto flag = [](const char *name, const QString &description) {
        return OptionSpec {QString::fromLatin1(name), QString(), description, false};
    };
    const auto opt = [](const char *name, const char *valueName, const QString &description,
                         bool required = false) {
        return OptionSpec {QString::fromLatin1(name), QString::fromLatin1(valueName), description, required};
    };
    const OptionSpec json = flag("json", tr("print JSON (an array of objects) instead of columns"));
    const auto cmd
        = [](const char *group, const char *action, QStringList arguments, QList<OptionSpec> options,
              const QString &summary, CommandHandler handler, bool signsIn = true) {
              return CommandSpec {QString::fromLatin1(group), QString::fromLatin1(action),
                  std::move(arguments), std::move(options), summary, signsIn, handler, QString()};
          };
    const QString name = QStringLiteral("NAME");

    m_globalOptions = {
        opt("db", "FILE", tr("the platform database (the host's kohakuriver.db)")),
        opt("host", "URL", tr("the host's API instead, e.g. https://cluster:8000 (see Connections)")),
        opt("profile", "NAME", tr("a connection saved in Riverkeeper, with its secret from the keychain")),
        opt("user", "NAME", tr("the account you act as (with --host: sign in with a password)")),
        flag("read-only", tr("open the database read-only: lists work, changes fail")),
        opt("busy-timeout", "MS", tr("wait up to MS milliseconds for the host's locks (default 5000)")),
        flag("help", tr("show help, also per command (riverkeeper-cli users create --help)")),
        flag("version", tr("show the version")),
    };

    m_commands = {
        cmd("init", "", {},
            {opt("admin", "NAME", tr("username of the first administrator"), true),
                opt("display-name", "X", tr("their display name (default: the username)")),
                flag("sample-data", tr("add about forty sample users, groups, nodes and tasks"))},
            tr("Create a new platform database and its first administrator."), &AdminCommands::init, false),

        cmd("users", "list", {}, {json},
            tr("List the users (with --db also their sessions, last sign-in and groups)."),
            &AccountCommands::usersList),
        cmd("users", "create", {name},
            {opt("role", "ROLE", tr("viewer, user, operator or admin"), true),
                opt("display-name", "X", tr("display name (default: the username)"))},
            tr("Create a user with a password of their own (read as described below)."),
            &AccountCommands::usersCreate),
        cmd("users", "set", {name},
            {opt("role", "ROLE", tr("viewer, user, operator or admin")),
                opt("active", "yes|no", tr("enable or suspend the account")),
                opt("display-name", "X", tr("new display name"))},
            tr("Change a user's role, status or display name."), &AccountCommands::usersSet),
        cmd("users", "reset-password", {name}, {},
            tr("Set a new password for a user (read as described below)."),
            &AccountCommands::usersResetPassword),
        cmd("users", "delete", {name}, {},
            tr("Delete a user with their sessions, tokens, memberships and VPS assignments."),
            &AccountCommands::usersDelete),

        cmd("sessions", "list", {}, {json, opt("of", "NAME", tr("only this user's sessions"))},
            tr("List sign-in sessions (never their cookie values)."), &AccountCommands::sessionsList),
        cmd("sessions", "revoke", {},
            {opt("id", "ID", tr("the session with this id")),
                opt("of", "NAME", tr("every session of this user")),
                opt("all-except", "NAME", tr("every session except this user's"))},
            tr("Sign users out: give exactly one of --id, --of and --all-except."),
            &AccountCommands::sessionsRevoke),

        cmd("tokens", "list", {}, {json, opt("of", "NAME", tr("only this user's tokens"))},
            tr("List API tokens, never the tokens themselves (over --host: yours)."),
            &AccountCommands::tokensList),
        cmd("tokens", "create", {},
            {opt("for", "NAME", tr("the user the token signs in as (--db only: over --host it is yours)")),
                opt("name", "LABEL", tr("a label such as \"laptop\" or \"ci\""), true),
                flag("json", tr("print JSON, with the token in a \"token\" field"))},
            tr("Create an API token and print it once."), &AccountCommands::tokensCreate),
        cmd("tokens", "revoke", {QStringLiteral("ID")}, {}, tr("Revoke an API token (over --host: yours)."),
            &AccountCommands::tokensRevoke),

        cmd("groups", "list", {}, {json}, tr("List groups with their limits and members."),
            &AdminCommands::groupsList),
        cmd("groups", "create", {name},
            {opt("tier", "N", tr("tier, a number (default 0)")),
                opt("limits", "JSON", tr("limits as a JSON object, e.g. '{\"max_tasks\": 10}'"))},
            tr("Create a group."), &AdminCommands::groupsCreate),
        cmd("groups", "add-member", {QStringLiteral("GROUP"), QStringLiteral("USER")}, {},
            tr("Add a user to a group."), &AdminCommands::groupsAddMember),
        cmd("groups", "remove-member", {QStringLiteral("GROUP"), QStringLiteral("USER")}, {},
            tr("Remove a user from a group."), &AdminCommands::groupsRemoveMember),

        cmd("invitations", "list", {}, {json}, tr("List invitations with their tokens and state."),
            &AdminCommands::invitationsList),
        cmd("invitations", "create", {},
            {opt("role", "ROLE", tr("the role of whoever registers with it"), true),
                opt("group", "G", tr("a group to name in the invitation")),
                opt("uses", "N", tr("how many registrations it allows (default 1)")),
                opt("expires-hours", "H", tr("hours until it expires, 1 to 720 (default 72)")),
                flag("json", tr("print JSON instead of text"))},
            tr("Create an invitation and print its token (and link when general.base_url is set)."),
            &AdminCommands::invitationsCreate),
        cmd("invitations", "revoke", {QStringLiteral("ID")}, {}, tr("Revoke (delete) an invitation."),
            &AdminCommands::invitationsRevoke),

        cmd("approvals", "list", {}, {json}, tr("List the tasks waiting for approval, newest first."),
            &TaskCommands::approvalsListDb),
        cmd("approvals", "approve", {QStringLiteral("ID")}, {},
            tr("Approve a task: the host dispatches it to a runner (needs the host)."), nullptr),
        cmd("approvals", "reject", {QStringLiteral("ID")},
            {opt("reason", "TEXT", tr("why, shown to the submitter"))},
            tr("Reject a task waiting for approval (needs the host)."), nullptr),

        cmd("tasks", "list", {},
            {opt("status", "S", tr("only tasks in this state: running, pending_approval, failed, ...")),
                opt("limit", "N", tr("at most N tasks, newest first (default 100)")),
                opt("offset", "N", tr("skip the first N (default 0)")), json},
            tr("List command tasks, newest first."), &TaskCommands::tasksListDb),
        cmd("tasks", "output", {QStringLiteral("ID")},
            {flag("stderr", tr("standard error instead of standard output")),
                opt("lines", "N", tr("only the last N lines"))},
            tr("Print a task's output as the host's log files hold it (needs the host)."), nullptr),

        cmd("vps", "list", {}, {json}, tr("List VPS instances, newest first."), &TaskCommands::vpsListDb),
        cmd("nodes", "list", {}, {json}, tr("List the runner nodes and their load (needs the host)."),
            nullptr),

        cmd("audit", "list", {},
            {json, opt("limit", "N", tr("at most N entries, newest first (default 50, 0 for all)"))},
            tr("Show the audit log of changes made through Riverkeeper."), &AdminCommands::auditList),

        cmd("settings", "get", {QStringLiteral("KEY")}, {}, tr("Print a setting, e.g. general.base_url."),
            &AdminCommands::settingsGet),
        cmd("settings", "set", {QStringLiteral("KEY"), QStringLiteral("VALUE")}, {},
            tr("Change a setting, e.g. general.base_url."), &AdminCommands::settingsSet),
    };
    // What the host's API can do (kohakuriver-host.md section 1); everything else needs --db.
    const QList<std::pair<const char *, CommandHandler>> overHost = {
        {"users list", &HostCommands::usersList},
        {"users set", &HostCommands::usersSet},
        {"users delete", &HostCommands::usersDelete},
        {"tokens list", &HostCommands::tokensList},
        {"tokens create", &HostCommands::tokensCreate},
        {"tokens revoke", &HostCommands::tokensRevoke},
        {"invitations list", &HostCommands::invitationsList},
        {"invitations create", &HostCommands::invitationsCreate},
        {"invitations revoke", &HostCommands::invitationsRevoke},
        {"approvals list", &TaskCommands::approvalsList},
        {"approvals approve", &TaskCommands::approvalsApprove},
        {"approvals reject", &TaskCommands::approvalsReject},
        {"tasks list", &TaskCommands::tasksList},
        {"tasks output", &TaskCommands::tasksOutput},
        {"vps list", &TaskCommands::vpsList},
        {"nodes list", &TaskCommands::nodesList},
    };
    for (CommandSpec &c : m_commands) {
        if (c.path() == QLatin1String("sessions revoke"))
            c.optionsSynopsis = QStringLiteral("(--id ID | --of NAME | --all-except NAME)");
        if (c.path() == QLatin1String("tokens create"))
            c.optionsSynopsis = QStringLiteral("--name LABEL [--for NAME] [--json]");
        for (const auto &[path, handler] : overHost) {
            if (c.path() == QLatin1String(path))
                c.hostHandler = handler;
        }
    }
}

const CommandSpec *CliCommandLine::find(const QString &group, const QString &action) const
{
    for (const CommandSpec &c : m_commands) {
        if (c.group == group && c.action == action)
            return &c;
    }
    return nullptr;
}

bool CliCommandLine::hasGroup(const QString &group) const
{
    return std::any_of(
        m_commands.cbegin(), m_commands.cend(), [&](const CommandSpec &c) { return c.group == group; });
}

bool CliCommandLine::takesValue(const QString &option, bool *known) const
{
    *known = true;
    for (const OptionSpec &o : m_globalOptions) {
        if (o.name == option)
            return !o.valueName.isEmpty();
    }
    for (const CommandSpec &c : m_commands) {
        if (const OptionSpec *o = c.option(option))
            return !o->valueName.isEmpty();
    }
    *known = false;
    return false;
}

QString CliCommandLine::connectionSynopsis(const CommandSpec *command)
{
    const QString db = QStringLiteral("--db FILE --user NAME");
    const QString host = QStringLiteral("--host URL [--user NAME] | --profile NAME");
    if (command && !command->signsIn)
        return QStringLiteral("--db FILE");
    if (command && !command->overHost())
        return db;
    if (command && !command->overDatabase())
        return QLatin1Char('(') + host + QLatin1Char(')');
    return QLatin1Char('(') + db + QStringLiteral(" | ") + host + QLatin1Char(')');
}

QString CliCommandLine::generalHelp() const
{
    QStringList lines;
    lines << tr("Usage: %1 %2 [options] COMMAND ...").arg(programName(), connectionSynopsis(nullptr))
          << QString()
          << tr("Administers a KohakuRiver platform: its platform database directly (--db), with the same "
                "operations, role checks and audit log as the Riverkeeper desktop app, or the running host "
                "through its REST API (--host, --profile).")
          << QString() << tr("Global options:");
    for (const OptionSpec &o : m_globalOptions) {
        QString label = optionLabel(o);
        if (o.name == QLatin1String("help"))
            label = QStringLiteral("-h, --help");
        else if (o.name == QLatin1String("version"))
            label = QStringLiteral("-v, --version");
        lines << helpLine(label, o.description);
    }
    lines << QString() << tr("Commands:");
    for (const CommandSpec &c : m_commands) {
        QString marker;
        if (!c.overHost() && c.signsIn)
            marker = tr("(--db only)");
        else if (!c.overDatabase())
            marker = tr("(host only)");
        const QString synopsis = QStringLiteral("  ") + c.synopsis();
        lines << (marker.isEmpty() ? synopsis : synopsis + QStringLiteral("  ") + marker);
    }
    lines
        << QString() << tr("Connections:")
        << tr("  --db FILE --user NAME: the platform database itself, signed in as NAME. Every command")
        << tr("  except those marked \"host only\": approving dispatches a task, and output and nodes")
        << tr("  live in the running host.")
        << tr("  --host URL: the host's API with the API token in RIVERKEEPER_TOKEN. --host URL --user NAME:")
        << tr("  signs in with NAME's password for this one command and signs out at exit.")
        << tr("  --profile NAME: a connection saved in the Riverkeeper app; its token comes from the system")
        << tr("  keychain.")
        << tr("  The host's API has no sessions, groups, user creation, password reset, other users' tokens,")
        << tr("  settings or audit log: the commands and options for those (marked \"--db only\") need --db.")
        << tr("  Plain http:// to another machine sends the token unencrypted: prefer https://.") << QString()
        << tr("Passwords:")
        << tr("  Your password: the first line of standard input, or RIVERKEEPER_PASSWORD. For init it is")
        << tr("  the new administrator's password. A new user's password (users create, users")
        << tr("  reset-password): the next line of standard input, or RIVERKEEPER_NEW_PASSWORD. On a")
        << tr("  terminal the CLI asks without echo. Passwords are never accepted as arguments.")
        << tr("  Sample data (init --sample-data): every sample user's password is \"sample-password\".")
        << QString() << tr("Exit status: 0 on success, 1 when the operation fails, 2 for a usage error.");
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString CliCommandLine::groupHelp(const QString &group) const
{
    QStringList lines;
    lines << tr("Usage: %1 %2 %3 ACTION ...").arg(programName(), connectionSynopsis(nullptr), group)
          << QString() << tr("Actions:");
    for (const CommandSpec &c : m_commands) {
        if (c.group == group)
            lines << helpLine(c.action, c.summary);
    }
    lines << QString() << tr("Help on one action: %1 %2 ACTION --help").arg(programName(), group);
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString CliCommandLine::commandHelp(const CommandSpec &command) const
{
    QStringList lines;
    lines << tr("Usage: %1 %2 %3").arg(programName(), connectionSynopsis(&command), command.synopsis())
          << QString() << command.summary;
    if (!command.options.isEmpty()) {
        lines << QString() << tr("Options:");
        for (const OptionSpec &o : command.options)
            lines << helpLine(optionLabel(o), o.description);
    }
    lines << QString();
    if (command.signsIn && command.overDatabase())
        lines << tr("With --db, your password: the first line of standard input, or RIVERKEEPER_PASSWORD.");
    else if (!command.signsIn)
        lines << tr(
            "The administrator's password: the first line of standard input, or RIVERKEEPER_PASSWORD.");
    if (command.overHost()) {
        lines << tr(
            "With --host: the API token in RIVERKEEPER_TOKEN, or with --user your password (the first "
            "line of standard input, or RIVERKEEPER_PASSWORD).");
    } else if (command.signsIn) {
        lines << tr("The host's API cannot do this: it needs the platform database (--db).");
    }
    if (command.path() == QLatin1String("users create")
        || command.path() == QLatin1String("users reset-password"))
        lines << tr("The new password: the next line of standard input, or RIVERKEEPER_NEW_PASSWORD.");
    if (command.path() == QLatin1String("init"))
        lines << tr("With --sample-data every sample user's password is \"sample-password\".");
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString CliCommandLine::helpFor(const QStringList &words) const
{
    const QString group = words.value(0);
    if (group.isEmpty() || !hasGroup(group))
        return generalHelp();
    if (const CommandSpec *c = find(group, QString()))
        return commandHelp(*c);
    if (const CommandSpec *c = find(group, words.value(1)))
        return commandHelp(*c);
    return groupHelp(group);
}

ParseOutcome CliCommandLine::parse(const QStringList &arguments) const
{
    ParseOutcome outcome;
    auto usage = [&outcome](const QString &message) {
        outcome.kind = ParseOutcome::Kind::UsageError;
        outcome.error = message;
        return outcome;
    };

    struct GivenOption
    {
        QString name;
        QString value;
    };
    QStringList words;
    QList<GivenOption> given;
    bool endOfOptions = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        if (endOfOptions || !arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-")) {
            words << arg;
            continue;
        }
        if (arg == QLatin1String("--")) {
            endOfOptions = true;
            continue;
        }
        QString optionName;
        std::optional<QString> inlineValue;
        if (arg == QLatin1String("-h")) {
            optionName = QStringLiteral("help");
        } else if (arg == QLatin1String("-v")) {
            optionName = QStringLiteral("version");
        } else if (arg.startsWith(QLatin1String("--"))) {
            optionName = arg.mid(2);
            const qsizetype eq = optionName.indexOf(QLatin1Char('='));
            if (eq >= 0) {
                inlineValue = optionName.mid(eq + 1);
                optionName.truncate(eq);
            }
        } else {
            return usage(tr("Unknown option %1. Try '%2 --help'.").arg(arg, programName()));
        }
        bool known = false;
        const bool needsValue = takesValue(optionName, &known);
        if (!known)
            return usage(tr("Unknown option --%1. Try '%2 --help'.").arg(optionName, programName()));
        QString value;
        if (needsValue) {
            if (inlineValue) {
                value = *inlineValue;
            } else if (i + 1 < arguments.size()) {
                value = arguments.at(++i);
            } else {
                return usage(tr("--%1 needs a value.").arg(optionName));
            }
        } else if (inlineValue) {
            return usage(tr("--%1 takes no value.").arg(optionName));
        }
        for (const GivenOption &g : std::as_const(given)) {
            if (g.name == optionName)
                return usage(tr("--%1 is given more than once.").arg(optionName));
        }
        given << GivenOption {optionName, value};
    }

    const auto isGiven = [&given](const char *name) {
        return std::any_of(given.cbegin(), given.cend(),
            [name](const GivenOption &g) { return g.name == QLatin1String(name); });
    };
    if (isGiven("help") || words.value(0) == QLatin1String("help")) {
        outcome.kind = ParseOutcome::Kind::Help;
        outcome.helpText = helpFor(words.value(0) == QLatin1String("help") ? words.mid(1) : words);
        return outcome;
    }
    if (isGiven("version")) {
        outcome.kind = ParseOutcome::Kind::Version;
        return outcome;
    }
    if (words.isEmpty())
        return usage(tr("No command given. Try '%1 --help'.").arg(programName()));

    const QString group = words.at(0);
    if (!hasGroup(group))
        return usage(tr("Unknown command \"%1\". Try '%2 --help'.").arg(group, programName()));
    const CommandSpec *command = find(group, QString());
    qsizetype consumed = 1;
    if (!command) {
        if (words.size() < 2)
            return usage(tr("\"%1\" needs an action. Try '%2 %1 --help'.").arg(group, programName()));
        command = find(group, words.at(1));
        if (!command)
            return usage(
                tr("Unknown command \"%1 %2\". Try '%3 %1 --help'.").arg(group, words.at(1), programName()));
        consumed = 2;
    }
    const QString hint = tr("Try '%1 %2 --help'.").arg(programName(), command->path());

    Invocation &inv = outcome.invocation;
    inv.command = command;
    inv.arguments = words.mid(consumed);
    if (inv.arguments.size() < command->arguments.size()) {
        return usage(tr("%1 needs %2. %3")
                         .arg(command->path(),
                             command->arguments.mid(inv.arguments.size()).join(QLatin1Char(' ')), hint));
    }
    if (inv.arguments.size() > command->arguments.size())
        return usage(
            tr("Unexpected argument \"%1\". %2").arg(inv.arguments.at(command->arguments.size()), hint));

    QString busyTimeout;
    bool busyTimeoutGiven = false;
    for (const GivenOption &g : std::as_const(given)) {
        if (g.name == QLatin1String("db")) {
            inv.db = g.value;
        } else if (g.name == QLatin1String("host")) {
            inv.host = g.value;
        } else if (g.name == QLatin1String("profile")) {
            inv.profile = g.value;
        } else if (g.name == QLatin1String("user")) {
            inv.user = g.value;
        } else if (g.name == QLatin1String("read-only")) {
            inv.readOnly = true;
        } else if (g.name == QLatin1String("busy-timeout")) {
            busyTimeout = g.value;
            busyTimeoutGiven = true;
        } else if (command->option(g.name)) {
            inv.options.insert(g.name, g.value);
        } else {
            return usage(tr("--%1 is not an option of \"%2\". %3").arg(g.name, command->path(), hint));
        }
    }
    for (const OptionSpec &o : command->options) {
        if (o.required && !inv.options.contains(o.name))
            return usage(tr("%1 needs %2. %3").arg(command->path(), optionLabel(o), hint));
    }
    const int connections = int(!inv.db.isEmpty()) + int(!inv.host.isEmpty()) + int(!inv.profile.isEmpty());
    if (connections > 1)
        return usage(tr("Give only one of --db FILE, --host URL and --profile NAME."));
    if (!command->signsIn) {
        if (inv.db.isEmpty())
            return usage(tr("--db FILE is required: %1 creates a platform database.").arg(command->path()));
        if (!inv.user.isEmpty())
            return usage(tr("%1 takes no --user: it creates the first administrator.").arg(command->path()));
        if (inv.readOnly)
            return usage(tr("%1 cannot work on a read-only database.").arg(command->path()));
    }
    if (connections == 0) {
        return usage(tr("--db FILE (the platform database), --host URL or --profile NAME is required. Try "
                        "'%1 --help'.")
                         .arg(programName()));
    }
    if (command->signsIn && !inv.db.isEmpty() && inv.user.isEmpty() && command->overDatabase())
        return usage(tr("--user NAME is required: the account you act as."));
    if (!inv.host.isEmpty() && (inv.readOnly || busyTimeoutGiven))
        return usage(
            tr("--read-only and --busy-timeout apply to a platform database (--db), not to --host."));
    if (!busyTimeout.isNull()) {
        bool ok = false;
        inv.busyTimeoutMs = busyTimeout.toInt(&ok);
        if (!ok || inv.busyTimeoutMs < 0)
            return usage(tr("--busy-timeout needs a number of milliseconds, not \"%1\".").arg(busyTimeout));
    }
    outcome.kind = ParseOutcome::Kind::Run;
    return outcome;
}

} // namespace rk::cli
