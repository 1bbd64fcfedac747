// rk-bench-users-model DB [--quick] [--repeat N]
// Measures UsersTableModel over a platform database (see rk-gen-platform-db) and prints a table
// of results against the targets. Timings are printed, never asserted.
#include "BenchUsersModel.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rk-bench-users-model"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Benchmarks the lazy Users table model."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("db"), QStringLiteral("A platform database."));
    const QCommandLineOption quick(QStringLiteral("quick"), QStringLiteral("A short smoke run."));
    parser.addOption(quick);
    const QCommandLineOption repeat(QStringLiteral("repeat"),
        QStringLiteral("Rounds (median and worst are reported)."), QStringLiteral("n"), QStringLiteral("3"));
    parser.addOption(repeat);
    parser.process(app);
    if (parser.positionalArguments().size() != 1
        || !QFileInfo::exists(parser.positionalArguments().constFirst())) {
        QTextStream(stderr) << "usage: rk-bench-users-model DB [--quick] [--repeat N]\n";
        return 2;
    }
    rk::bench::BenchUsersModel::Options options;
    options.path = parser.positionalArguments().constFirst();
    options.quick = parser.isSet(quick);
    options.repeat = qMax(1, parser.value(repeat).toInt());
    if (options.quick && !parser.isSet(repeat))
        options.repeat = 1;
    rk::bench::BenchUsersModel bench(options);
    return bench.run();
}
