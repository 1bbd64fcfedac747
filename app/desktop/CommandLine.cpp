#include "CommandLine.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

namespace rk::desktop {

std::optional<CommandLine> CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "rk::desktop", "Riverkeeper: the desktop admin console for KohakuRiver clusters."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption db(QStringList {QStringLiteral("db")},
        QCoreApplication::translate("rk::desktop",
            "The platform database to open (the host's kohakuriver.db). "
            "Default: the last one used, else kohakuriver.db in the app's "
            "data folder, created on first run."),
        QCoreApplication::translate("rk::desktop", "FILE"));
    const QCommandLineOption readOnly(QStringList {QStringLiteral("read-only")},
        QCoreApplication::translate("rk::desktop", "Open the database read-only (review a copy or backup)."));
    const QCommandLineOption user(QStringList {QStringLiteral("user")},
        QCoreApplication::translate("rk::desktop", "Prefill the sign-in username."),
        QCoreApplication::translate("rk::desktop", "NAME"));
    const QCommandLineOption stallProbe(QStringList {QStringLiteral("stall-probe")},
        QCoreApplication::translate("rk::desktop",
            "Log each time the window does not respond for more than MS milliseconds, and a summary "
            "at exit (diagnostics; category riverkeeper.perf)."),
        QCoreApplication::translate("rk::desktop", "MS"));
    parser.addOption(db);
    parser.addOption(stallProbe);
    parser.addOption(readOnly);
    parser.addOption(user);
    parser.addPositionalArgument(QStringLiteral("file"),
        QCoreApplication::translate("rk::desktop", "The platform database (like --db)."),
        QStringLiteral("[FILE]"));
    parser.process(arguments); // exits for --help, --version and unknown options
    if (parser.positionalArguments().size() > 1) {
        std::fprintf(stderr, "%s\n",
            qPrintable(QCoreApplication::translate("rk::desktop", "Give at most one database file.")));
        return std::nullopt;
    }

    CommandLine cmd;
    cmd.database = parser.value(db);
    if (cmd.database.isEmpty() && !parser.positionalArguments().isEmpty())
        cmd.database = parser.positionalArguments().constFirst();
    cmd.readOnly = parser.isSet(readOnly);
    cmd.username = parser.value(user);
    if (parser.isSet(stallProbe)) {
        bool ok = false;
        cmd.stallProbeMs = parser.value(stallProbe).toInt(&ok);
        if (!ok || cmd.stallProbeMs < 1) {
            std::fprintf(stderr, "%s\n",
                qPrintable(QCoreApplication::translate(
                    "rk::desktop", "--stall-probe needs a number of milliseconds, such as 16.")));
            return std::nullopt;
        }
    }
    return cmd;
}

} // namespace rk::desktop
