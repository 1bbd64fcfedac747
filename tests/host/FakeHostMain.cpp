// rk-fake-host: the tests' fake KohakuRiver host as a program, for trying the desktop app and the
// CLI by hand (sign in, submit a task as a user, approve it from the tray, stop it to see the app go
// offline). Loopback only.
// Usage: rk-fake-host [PORT]   (default 8765); stop with Ctrl+C.

#include "FakeHost.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    bool ok = true;
    const quint16 port = args.size() > 1 ? quint16(args.at(1).toUInt(&ok)) : quint16(8765);
    if (!ok) {
        std::fprintf(stderr, "usage: rk-fake-host [PORT]\n");
        return 2;
    }
    rk::test::FakeHost host;
    if (!host.start(port)) {
        std::fprintf(stderr, "rk-fake-host: cannot listen on 127.0.0.1:%u\n", unsigned(port));
        return 1;
    }
    const auto &seed = host.seed();
    std::printf("fake KohakuRiver host on %s\n", qPrintable(host.baseUrl().toString()));
    std::printf("  sign in as admin / %s, or with the token %s\n", qPrintable(seed.adminPassword),
        qPrintable(seed.adminToken));
    std::printf("  admin secret (X-Admin-Token): %s\n", qPrintable(seed.adminSecret));
    const auto account = [&host](const char *role, qint64 id, const QString &token) {
        const auto user = host.user(id);
        std::printf("  %s %s / %s, token %s\n", role, qPrintable(user->username), qPrintable(user->password),
            qPrintable(token));
    };
    account("operator", seed.operatorId, seed.operatorToken);
    account("user", seed.userId, seed.userToken);
    std::printf("submit a task as the user (it waits for approval):\n"
                "  curl -X POST -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\\n"
                "    -d '{\"command\":\"python\",\"arguments\":[\"train.py\"],\"required_cores\":2}' "
                "%s/api/submit\n",
        qPrintable(seed.userToken), qPrintable(host.baseUrl().toString()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
