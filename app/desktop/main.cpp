// riverkeeper: the desktop admin console. Parses the command line and hands over to DesktopApp,
// the composition root.

#include "CommandLine.h"
#include "DesktopApp.h"
#include "IconFactory.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace {

// --help and --version must work without a display: answer them with a QCoreApplication.
bool wantsTextOnly(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" || arg == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    if (wantsTextOnly(argc, argv)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("riverkeeper"));
        QCoreApplication::setApplicationVersion(QStringLiteral(RK_VERSION));
        return rk::desktop::CommandLine::parse(QCoreApplication::arguments()) ? 0 : 2;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("riverkeeper"));
    // No application display name: Qt would append it to every window title ("X — Riverkeeper").
    QApplication::setApplicationVersion(QStringLiteral(RK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.riverkeeper.Riverkeeper"));
    QApplication::setWindowIcon(rk::icons::appIcon());

    // Qt's own strings and ours (embedded under :/i18n by translations/CMakeLists.txt).
    QTranslator qtTranslator;
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);
    // English plural forms first: a translator installed later is asked first, so the user's
    // language wins where it has a translation.
    QTranslator pluralTranslator;
    if (pluralTranslator.load(QStringLiteral("riverkeeper_en"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&pluralTranslator);
    QTranslator appTranslator;
    if (appTranslator.load(
            QLocale(), QStringLiteral("riverkeeper"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&appTranslator);

    const auto commandLine = rk::desktop::CommandLine::parse(QApplication::arguments());
    if (!commandLine)
        return 2;

    rk::DesktopApp desktop(*commandLine);
    desktop.start();
    return QApplication::exec();
}
