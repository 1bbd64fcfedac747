#pragma once

#include "store/SqliteDatabase.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace rk::cli {

class CliContext;

// Exit statuses, as documented in --help.
enum ExitStatus : int { ExitOk = 0, ExitFailed = 1, ExitUsage = 2 };

using CommandHandler = int (*)(CliContext &context);

struct OptionSpec
{
    QString name; // without the leading dashes
    QString valueName; // "NAME"; empty for a flag
    QString description; // translated
    bool required = false;
};

struct CommandSpec
{
    QString group; // "users"
    QString action; // "create"; empty for a command without actions ("init")
    QStringList arguments; // positional argument names, all required ("NAME")
    QList<OptionSpec> options;
    QString summary; // translated, one sentence
    bool signsIn = true; // needs --user and the acting user's password
    CommandHandler handler = nullptr; // over a platform database (--db); nullptr: the host only
    QString optionsSynopsis; // replaces the generated "[--a A] [--b B]" when the options combine otherwise
    CommandHandler hostHandler = nullptr; // over the host's API (--host, --profile); nullptr: --db only

    bool overDatabase() const { return handler != nullptr; }
    bool overHost() const { return hostHandler != nullptr; }

    QString path() const { return action.isEmpty() ? group : group + QLatin1Char(' ') + action; }
    // "users create NAME --role ROLE [--display-name X]"
    QString synopsis() const;
    const OptionSpec *option(const QString &name) const;
};

// A parsed command line.
struct Invocation
{
    const CommandSpec *command = nullptr;
    QStringList arguments;
    QHash<QString, QString> options; // option name -> value ("" for a flag)

    QString db; // --db FILE
    QString host; // --host URL
    QString profile; // --profile NAME: a saved connection, resolved by CliApplication
    QString user;
    bool readOnly = false;
    int busyTimeoutMs = SqliteDatabase::kDefaultBusyTimeoutMs;

    bool has(const QString &name) const { return options.contains(name); }
    QString value(const QString &name) const { return options.value(name); }
};

// What the parser decided: run a command, show help or the version, or a usage error.
struct ParseOutcome
{
    enum class Kind { Run, Help, Version, UsageError };
    Kind kind = Kind::UsageError;
    Invocation invocation;
    QString helpText; // Kind::Help
    QString error; // Kind::UsageError: one sentence
};

// riverkeeper-cli's commands and a small hand-written parser for them: global options anywhere,
// `--name value` or `--name=value`, `--` ends the options, and help for every level
// (`--help`, `users --help`, `users create --help`, `help users create`).
class CliCommandLine
{
    Q_DECLARE_TR_FUNCTIONS(rk::cli)

public:
    CliCommandLine();

    ParseOutcome parse(const QStringList &arguments) const; // arguments[0] is the program name

    QString generalHelp() const;
    QString groupHelp(const QString &group) const;
    QString commandHelp(const CommandSpec &command) const;
    const QList<CommandSpec> &commands() const { return m_commands; }

    static QString programName() { return QStringLiteral("riverkeeper-cli"); }
    // "(--db FILE --user NAME | --host URL [--user NAME] | --profile NAME)", or the part that
    // applies to `command` (nullptr: every command).
    static QString connectionSynopsis(const CommandSpec *command);

private:
    const CommandSpec *find(const QString &group, const QString &action) const;
    bool hasGroup(const QString &group) const;
    bool takesValue(const QString &option, bool *known) const;
    QString helpFor(const QStringList &words) const;

    QList<CommandSpec> m_commands;
    QList<OptionSpec> m_globalOptions;
};

} // namespace rk::cli
