#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace rk::desktop {

// `riverkeeper [--db FILE] [--read-only] [--user NAME] [FILE]`. The positional FILE is what the
// desktop file passes (`Exec=riverkeeper %f`); --db wins when both are given.
struct CommandLine
{
    QString database; // empty: the last used one, else the default
    bool readOnly = false;
    QString username;

    // Parses `arguments` (argv). --help and --version print and exit inside (QCommandLineParser);
    // a usage error prints to stderr and returns nullopt.
    static std::optional<CommandLine> parse(const QStringList &arguments);
};

} // namespace rk::desktop
