#pragma once

#include "CliContext.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QStringList>

#include <memory>

class QNetworkAccessManager;

namespace rk {
class ProfileStore;
class SecretStore;
} // namespace rk

namespace rk::cli {

struct HostSignIn;

// riverkeeper-cli without main(): parses the command line, reads the passwords, opens the store
// or connects to the host, signs in and runs one command. Writes results to io.out and at most one
// error line to io.err (plus "warning:" lines). Runs on the calling thread and returns the exit
// status (see ExitStatus).
class CliApplication
{
    Q_DECLARE_TR_FUNCTIONS(rk::cli)

public:
    CliApplication(CliIo io, QProcessEnvironment environment, QString hostName);
    ~CliApplication();

    // The saved profiles and the keychain for --profile; not owned. When unset, the user's
    // profiles file and the system keychain are opened on first use.
    void setProfileStore(ProfileStore *profiles) { m_profiles = profiles; }
    void setSecretStore(SecretStore *secrets) { m_secrets = secrets; }
    // The network access manager for --host; not owned. Unset: the host client makes its own.
    void setNetworkAccessManager(QNetworkAccessManager *nam) { m_nam = nam; }

    int run(const QStringList &arguments); // arguments[0] is the program name

    static QString version();

private:
    int runSignedIn(CliContext &ctx);
    int runOverHost(CliContext &ctx, const HostSignIn &how);
    int runWithProfile(CliContext &ctx);
    int runCommand(CliContext &ctx);

    CliIo m_io;
    QProcessEnvironment m_env;
    QString m_hostName;
    ProfileStore *m_profiles = nullptr;
    SecretStore *m_secrets = nullptr;
    QNetworkAccessManager *m_nam = nullptr;
    std::unique_ptr<ProfileStore> m_ownProfiles;
    std::unique_ptr<SecretStore> m_ownSecrets;
};

} // namespace rk::cli
