// rk-gen-platform-db OUT.db --users N --sessions M [--groups G] [--seed S] [--force]
// Builds a synthetic KohakuRiver platform database for benchmarks and manual testing.
#include "PlatformDbGenerator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rk-gen-platform-db"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Generates a synthetic platform database."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("out"), QStringLiteral("The new database file."));
    const QCommandLineOption usersOpt(QStringLiteral("users"), QStringLiteral("Number of users."),
        QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption sessionsOpt(QStringLiteral("sessions"), QStringLiteral("Number of sessions."),
        QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption tokensOpt(QStringLiteral("tokens"), QStringLiteral("Number of API tokens."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption invitationsOpt(QStringLiteral("invitations"),
        QStringLiteral("Number of invitations."), QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption groupsOpt(QStringLiteral("groups"), QStringLiteral("Number of groups."),
        QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Random seed."),
        QStringLiteral("n"), QStringLiteral("20240601"));
    const QCommandLineOption forceOpt(
        QStringLiteral("force"), QStringLiteral("Replace OUT.db if it exists."));
    parser.addOptions({usersOpt, sessionsOpt, tokensOpt, invitationsOpt, groupsOpt, seedOpt, forceOpt});
    parser.process(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    if (parser.positionalArguments().size() != 1) {
        err << "usage: rk-gen-platform-db OUT.db --users N --sessions M [--tokens T] [--invitations I] "
               "[--groups G] [--seed S] [--force]\n";
        return 2;
    }
    rk::bench::PlatformDbGenerator::Options options;
    bool ok1 = false, ok2 = false, ok3 = false, ok4 = false, ok5 = false, ok6 = false;
    options.users = parser.value(usersOpt).toLongLong(&ok1);
    options.sessions = parser.value(sessionsOpt).toLongLong(&ok2);
    options.groups = parser.value(groupsOpt).toInt(&ok3);
    options.seed = parser.value(seedOpt).toULongLong(&ok4);
    options.tokens = parser.value(tokensOpt).toLongLong(&ok5);
    options.invitations = parser.value(invitationsOpt).toLongLong(&ok6);
    if (!ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || options.users < 0 || options.sessions < 0
        || options.groups < 0 || options.tokens < 0 || options.invitations < 0) {
        err << "rk-gen-platform-db: --users, --sessions, --tokens, --invitations, --groups and --seed take "
               "non-negative numbers\n";
        return 2;
    }
    const QString path = parser.positionalArguments().constFirst();
    if (parser.isSet(forceOpt) && QFileInfo::exists(path) && !QFile::remove(path)) {
        err << "rk-gen-platform-db: cannot replace " << path << '\n';
        return 1;
    }
    auto stats = rk::bench::PlatformDbGenerator::generate(path, options);
    if (!stats) {
        err << "rk-gen-platform-db: " << stats.error().message << '\n';
        return 1;
    }
    out << "wrote " << path << ": " << stats->users << " users, " << stats->sessions << " sessions ("
        << stats->activeSessions << " active), " << stats->memberships << " group memberships, "
        << stats->tokens << " tokens, " << stats->invitations << " invitations, " << options.groups
        << " groups in " << stats->elapsedMs << " ms\n";
    return 0;
}
