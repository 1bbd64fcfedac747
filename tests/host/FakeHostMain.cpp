// rk-fake-host: the tests' fake KohakuRiver host as a program, for trying the desktop app and the
// CLI by hand (sign in, submit a task as a user, approve it from the tray, stop it to see the app go
// offline). Loopback unless --bind names another address of this machine (to see how the app
// treats plain http:// to another machine); --tls serves https with the self-signed test
// certificate, --renewed with the other one (to see a trusted certificate change).
// Usage: rk-fake-host [--bind ADDRESS] [--tls] [--renewed] [PORT]   (default 8765); stop with Ctrl+C.

#include "FakeHost.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A fake KohakuRiver host for trying Riverkeeper by hand."));
    parser.addHelpOption();
    const QCommandLineOption bind(QStringLiteral("bind"),
        QStringLiteral("Listen on ADDRESS instead of 127.0.0.1 (e.g. this machine's LAN address)."),
        QStringLiteral("ADDRESS"));
    const QCommandLineOption tls(
        QStringLiteral("tls"), QStringLiteral("Serve https with the self-signed test certificate."));
    const QCommandLineOption renewed(QStringLiteral("renewed"),
        QStringLiteral("With --tls: the other test certificate (a replaced one)."));
    parser.addOptions({bind, tls, renewed});
    parser.addPositionalArgument(QStringLiteral("port"), QStringLiteral("The port (default 8765)."));
    parser.process(app);

    const QStringList args = parser.positionalArguments();
    bool ok = true;
    const quint16 port = args.isEmpty() ? quint16(8765) : quint16(args.first().toUInt(&ok));
    QHostAddress address(QHostAddress::LocalHost);
    if (parser.isSet(bind))
        ok = ok && address.setAddress(parser.value(bind));
    if (!ok || args.size() > 1) {
        std::fprintf(stderr, "usage: rk-fake-host [--bind ADDRESS] [--tls] [--renewed] [PORT]\n");
        return 2;
    }
    rk::test::FakeHost host;
    const auto certificate = parser.isSet(renewed) ? rk::test::FakeHost::Certificate::Renewed
                                                   : rk::test::FakeHost::Certificate::Standard;
    const bool listening
        = parser.isSet(tls) ? host.startTls(certificate, port, address) : host.start(port, address);
    if (!listening) {
        std::fprintf(stderr, "rk-fake-host: cannot listen on %s port %u\n", qPrintable(address.toString()),
            unsigned(port));
        return 1;
    }
    const auto &seed = host.seed();
    std::printf("fake KohakuRiver host on %s\n", qPrintable(host.baseUrl().toString()));
    if (parser.isSet(tls)) {
        std::printf(
            "  certificate SHA-256 %s\n", qPrintable(rk::test::FakeHost::certificateSha256(certificate)));
    }
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
                "  curl %s-X POST -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\\n"
                "    -d '{\"command\":\"python\",\"arguments\":[\"train.py\"],\"required_cores\":2}' "
                "%s/api/submit\n",
        parser.isSet(tls) ? "-k " : "", qPrintable(seed.userToken), qPrintable(host.baseUrl().toString()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
