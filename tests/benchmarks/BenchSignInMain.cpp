// rk-bench-signin DB [--settle-ms N] [--quick]: how long the main window's GUI thread freezes when
// an admin signs in to a big platform database and then visits every page.
//
// It opens DB as the desktop app does, acts as its first active admin (no bcrypt: the sign-in
// dialog hashes on a worker anyway), shows the main window, hands it the session, and measures
// with a StallProbe (a 5 ms timer that notes how late each tick comes):
// - the time MainWindow::setSession() itself takes (building the pages);
// - the worst freeze while the first page loads and the others wait (settle time);
// - for each page in turn: the time to switch to it and the worst freeze until its table has
//   loaded its first screen and shown all its rows (or the settle time has passed);
// - then a re-sort of that table, until its new row set is shown whole.
// Timings are printed, never asserted: ctest only smoke-runs it on a small database.
#include "AppSettings.h"
#include "MainWindow.h"
#include "Session.h"
#include "pages/Page.h"
#include "pages/RecordsPage.h"
#include "services/StallProbe.h"
#include "store/PlatformStore.h"
#include "tables/ChunkedRowsModel.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
#include <QLineEdit>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <sqlite3.h>

#include <functional>
#include <memory>

namespace {

// Runs the event loop until `done()` holds or `maxMs` have passed; the probe then holds the
// worst stall meanwhile, and how much of it was the GUI thread's own work.
void settle(rk::StallProbe &probe, int maxMs, const std::function<bool()> &done = {})
{
    probe.start();
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&]() {
        if (clock.elapsed() >= maxMs || (done && done()))
            loop.quit();
    });
    check.start(20);
    loop.exec();
    probe.stop();
}

QString freeze(const rk::StallProbe &probe)
{
    return QStringLiteral("worst freeze %1 ms (GUI thread busy %2 ms), %3 over %4 ms")
        .arg(probe.worstLateMs())
        .arg(probe.worstBusyMs())
        .arg(probe.stalls())
        .arg(probe.thresholdMs());
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rk-bench-signin"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Measures GUI freezes when signing in to a big database."));
    parser.addHelpOption();
    parser.addPositionalArgument(
        QStringLiteral("db"), QStringLiteral("A platform database (rk-gen-platform-db)."));
    const QCommandLineOption settleOpt(QStringLiteral("settle-ms"),
        QStringLiteral("How long to wait for each page at most (default 6000)."), QStringLiteral("ms"),
        QStringLiteral("6000"));
    const QCommandLineOption quickOpt(QStringLiteral("quick"), QStringLiteral("A short smoke run."));
    parser.addOptions({settleOpt, quickOpt});
    parser.process(app);
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (parser.positionalArguments().size() != 1) {
        err << "usage: rk-bench-signin DB [--settle-ms N] [--quick]\n";
        return 2;
    }
    const int settleMs = parser.isSet(quickOpt) ? 1500 : qMax(500, parser.value(settleOpt).toInt());

    auto opened = rk::PlatformStore::open(
        parser.positionalArguments().constFirst(), rk::PlatformStore::Access::ReadWrite);
    if (!opened) {
        err << "rk-bench-signin: " << opened.error().message << '\n';
        return 1;
    }
    auto session = std::make_unique<rk::Session>();
    session->store = std::move(opened).value();
    {
        sqlite3_stmt *stmt = nullptr;
        sqlite3_prepare_v2(session->store->database().handle(),
            "SELECT id, username FROM users WHERE role = 'admin' AND is_active = 1 ORDER BY id LIMIT 1", -1,
            &stmt, nullptr);
        if (!stmt || sqlite3_step(stmt) != SQLITE_ROW) {
            sqlite3_finalize(stmt);
            err << "rk-bench-signin: the database has no active admin\n";
            return 1;
        }
        session->actor.userId = sqlite3_column_int64(stmt, 0);
        session->actor.username
            = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 1)));
        session->actor.role = rk::Role::Admin;
        session->actor.origin = QStringLiteral("bench@localhost");
        sqlite3_finalize(stmt);
    }

    // Settings of its own: no remembered column state or window geometry from a real profile.
    QTemporaryDir settingsDir;
    rk::AppSettings settings(
        std::make_unique<QSettings>(settingsDir.filePath(QStringLiteral("bench.ini")), QSettings::IniFormat));
    rk::MainWindow window(settings);
    window.resize(1280, 800);
    window.show();
    rk::StallProbe probe;
    probe.setThresholdMs(16);
    settle(probe, 300); // the empty window is up

    QElapsedTimer timer;
    timer.start();
    window.setSession(session.get());
    const qint64 setSessionMs = timer.elapsed();
    out << "setSession (" << window.pageCount() << " pages listed, " << window.pages().size()
        << " built): " << setSessionMs << " ms\n";

    // Rows there, and all of them shown (a large row set reaches the view a chunk at a time).
    auto allShown = [](const QAbstractItemModel *model) {
        return model && model->rowCount() > 0
            && model->rowCount() == rk::ChunkedRowsModel::totalRowsOf(model);
    };
    auto loaded = [&allShown](rk::Page *page) {
        auto *records = qobject_cast<rk::RecordsPage *>(page);
        return [records, &allShown]() { return !records || allShown(records->boundModel()); };
    };
    settle(probe, settleMs);
    out << "first page shown, " << settleMs << " ms settle: " << freeze(probe) << '\n';

    qint64 overallWorst = qMax(setSessionMs, probe.worstLateMs());
    qint64 overallBusy = qMax(setSessionMs, probe.worstBusyMs());
    for (int i = 0; i < window.pageCount(); ++i) {
        // The first visit to a page builds it: part of the switch.
        timer.restart();
        window.showPage(i);
        const qint64 switchMs = timer.elapsed();
        rk::Page *page = window.currentPage();
        timer.restart();
        settle(probe, settleMs, loaded(page));
        const qint64 loadMs = timer.elapsed();
        auto *records = qobject_cast<rk::RecordsPage *>(page);
        const int rows = records ? rk::ChunkedRowsModel::totalRowsOf(records->boundModel()) : 0;
        out << "  " << page->title() << ": switch " << switchMs << " ms, " << rows << " rows shown in "
            << loadMs << " ms; while loading: " << freeze(probe) << '\n';
        overallWorst = qMax(overallWorst, qMax(switchMs, probe.worstLateMs()));
        overallBusy = qMax(overallBusy, qMax(switchMs, probe.worstBusyMs()));
        if (rows == 0)
            continue;
        // A new row set on a table the view has sized before: sort by the second column.
        bool resorted = false;
        const QAbstractItemModel *model = records->boundModel();
        const QMetaObject::Connection done = QObject::connect(
            model, &QAbstractItemModel::modelReset, records, [&resorted]() { resorted = true; });
        timer.restart();
        // (the other way round when the page already sorts by it that way)
        const QHeaderView *header = records->tableView()->horizontalHeader();
        const bool sortedSo
            = header->sortIndicatorSection() == 1 && header->sortIndicatorOrder() == Qt::DescendingOrder;
        records->tableView()->sortByColumn(1, sortedSo ? Qt::AscendingOrder : Qt::DescendingOrder);
        settle(probe, settleMs, [&]() { return resorted && allShown(model); });
        QObject::disconnect(done);
        out << "    sorted by its second column, shown in " << timer.elapsed() << " ms: " << freeze(probe)
            << '\n';
        overallWorst = qMax(overallWorst, probe.worstLateMs());
        overallBusy = qMax(overallBusy, probe.worstBusyMs());
        // Select All (what Ctrl+A does), then the header repainted as when the mouse moves over it.
        QTimer::singleShot(20, records, [records]() {
            records->selectAllRows();
            records->tableView()->horizontalHeader()->viewport()->update();
        });
        settle(probe, 300);
        out << "    Select All (" << records->selectedCount()
            << " rows) and a header repaint: " << freeze(probe) << '\n';
        records->tableView()->clearSelection();
        overallWorst = qMax(overallWorst, probe.worstLateMs());
        overallBusy = qMax(overallBusy, probe.worstBusyMs());
        // Typing "ar" into the filter, a key every 120 ms, until the matching rows are shown; then
        // clearing it, until every row is back.
        qint64 typingLate = 0;
        qint64 typingBusy = 0;
        timer.restart();
        for (const QString &text : {QStringLiteral("a"), QStringLiteral("ar"), QString()}) {
            bool reset = false;
            const QMetaObject::Connection c = QObject::connect(
                model, &QAbstractItemModel::modelReset, records, [&reset]() { reset = true; });
            records->filterField()->setText(text);
            settle(probe, text.isEmpty() ? settleMs : 120,
                [&]() { return text.isEmpty() && reset && allShown(model); });
            QObject::disconnect(c);
            typingLate = qMax(typingLate, probe.worstLateMs());
            typingBusy = qMax(typingBusy, probe.worstBusyMs());
        }
        out << "    typed \"ar\" into the filter, then cleared it: every row back after " << timer.elapsed()
            << " ms; worst freeze " << typingLate << " ms (GUI thread busy " << typingBusy << " ms)\n";
        overallWorst = qMax(overallWorst, typingLate);
        overallBusy = qMax(overallBusy, typingBusy);
    }
    out << "worst freeze overall: " << overallWorst << " ms, of which the GUI thread's own work at most "
        << overallBusy << " ms\n";
    window.setSession(nullptr);
    return 0;
}
