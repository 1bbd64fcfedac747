#pragma once

#include "CliContext.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QStringList>

namespace rk::cli {

// riverkeeper-cli without main(): parses the command line, reads the passwords, opens the store,
// signs in and runs one command. Writes results to io.out and at most one error line to io.err.
// Runs on the calling thread and returns the exit status (see ExitStatus).
class CliApplication
{
    Q_DECLARE_TR_FUNCTIONS(rk::cli)

public:
    CliApplication(CliIo io, QProcessEnvironment environment, QString hostName);

    int run(const QStringList &arguments); // arguments[0] is the program name

    static QString version();

private:
    int runSignedIn(CliContext &ctx);

    CliIo m_io;
    QProcessEnvironment m_env;
    QString m_hostName;
};

} // namespace rk::cli
