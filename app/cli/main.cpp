// riverkeeper-cli: the platform store's operations for scripts and terminals. All the work is in
// CliApplication (riverkeeper_cli_lib); this file only wires the process's streams to it.

#include "CliApplication.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcessEnvironment>
#include <QSysInfo>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace {

// Qt's own warnings (plugins, locale...) would break the "one error line" contract on stderr.
// RIVERKEEPER_CLI_DEBUG=1 lets them through.
void quietMessageHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    static const bool verbose = qEnvironmentVariableIntValue("RIVERKEEPER_CLI_DEBUG") != 0;
    if (verbose || type == QtFatalMsg)
        std::fprintf(stderr, "%s\n", message.toLocal8Bit().constData());
}

// Reads one line from the terminal without echo; the prompt goes to stderr.
std::optional<QString> askOnTerminal(const QString &prompt)
{
    std::fputs(prompt.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
    termios saved {};
    const bool haveTerm = tcgetattr(STDIN_FILENO, &saved) == 0;
    if (haveTerm) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    QByteArray line;
    int c = 0;
    while ((c = std::fgetc(stdin)) != EOF && c != '\n')
        line.append(static_cast<char>(c));
    if (haveTerm)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fputc('\n', stderr);
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty())
        return std::nullopt;
    return QString::fromLocal8Bit(line);
}

} // namespace

int main(int argc, char **argv)
{
    qInstallMessageHandler(quietMessageHandler);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("riverkeeper-cli"));
    QCoreApplication::setApplicationVersion(rk::cli::CliApplication::version());

    QFile in;
    QFile out;
    QFile err;
    in.open(stdin, QIODevice::ReadOnly);
    out.open(stdout, QIODevice::WriteOnly);
    err.open(stderr, QIODevice::WriteOnly | QIODevice::Unbuffered);

    rk::cli::CliIo io;
    io.in = &in;
    io.out = &out;
    io.err = &err;
    if (isatty(STDIN_FILENO))
        io.askSecret = askOnTerminal;

    rk::cli::CliApplication cli(io, QProcessEnvironment::systemEnvironment(), QSysInfo::machineHostName());
    const int status = cli.run(QCoreApplication::arguments());
    out.flush();
    err.flush();
    return status;
}
