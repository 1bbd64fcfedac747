#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace rk::desktop {

// `riverkeeper [--db FILE] [--read-only] [--user NAME] [--stall-probe MS] [FILE]`. The positional FILE is
// what the desktop file passes (`Exec=riverkeeper %f`); --db wins when both are given.
struct CommandLine
{
    QString database; // empty: the last used one, else the default
    bool readOnly = false;
    QString username;
    // --stall-probe[=MS]: log every time the window freezes for more than MS (16) milliseconds,
    // and a summary at exit (riverkeeper.perf). 0: off.
    int stallProbeMs = 0;

    // Parses `arguments` (argv). --help and --version print and exit inside (QCommandLineParser);
    // a usage error prints to stderr and returns nullopt.
    static std::optional<CommandLine> parse(const QStringList &arguments);
};

} // namespace rk::desktop
