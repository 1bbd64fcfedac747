// rk-bench-sessions-model DB [--quick]
//
// Opens SessionsTableModel over a platform database (make one with
// `rk-gen-platform-db OUT.db --users 1000000 --sessions 2000000`) and prints how long the model
// takes to show a first screen and to know its complete ordering: on open, after a sort by each
// column, for filter keystrokes, and for jumps to the middle and the end; then the peak RSS.
// Timings only, never asserted (ctest smoke-runs it with --quick on a small file).

#include "tables/SessionsTableModel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>
#include <QThread>

#include <functional>

#include <limits>

using namespace rk;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

double procStatusMb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(f.readAll().split(' ').mid(0, 3).join(' '));
}

// Runs the event loop until `done` holds; the elapsed milliseconds, or -1 after `timeoutMs`.
double waitFor(const std::function<bool()> &done, const QElapsedTimer &since, int timeoutMs = 120000)
{
    QElapsedTimer guard;
    guard.start();
    while (!done()) {
        if (guard.elapsed() > timeoutMs)
            return -1;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    }
    return double(since.nsecsElapsed()) / 1e6;
}

struct Bench
{
    SessionsTableModel *model = nullptr;
    int windows = 0;
    int errors = 0;

    // Starts `action` and reports first screen and complete ordering times.
    void measure(const QString &what, const std::function<void()> &action)
    {
        const int before = windows;
        QElapsedTimer t;
        t.start();
        action();
        const double first = waitFor([&] { return windows > before && !model->isLoading(); }, t);
        // A view asks for the visible rows: touch the first screen like one would.
        for (int r = 0; r < qMin(40, model->rowCount()); ++r)
            (void)model->data(model->index(r, 0));
        const double ordered = waitFor([&] { return model->isOrderingComplete(); }, t);
        out() << QStringLiteral("  %1 first screen %2 ms, ordering %3 ms, %4 rows\n")
                     .arg(what, -34)
                     .arg(first, 8, 'f', 1)
                     .arg(ordered, 8, 'f', 1)
                     .arg(model->rowCount());
        out().flush();
    }

    void jump(const QString &what, int row)
    {
        if (row < 0 || row >= model->rowCount())
            return;
        QElapsedTimer t;
        t.start();
        const bool known = model->isOrderingComplete();
        auto loaded
            = [&] { return model->data(model->index(row, 0), LazySqlTableModel::LoadedRole).toBool(); };
        const double ms = waitFor(loaded, t);
        out() << QStringLiteral("  %1 row %2 loaded in %3 ms%4\n")
                     .arg(what, -24)
                     .arg(row, 8)
                     .arg(ms, 8, 'f', 1)
                     .arg(known ? QString() : QStringLiteral(" (ordering not known yet)"));
        out().flush();
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        QTextStream(stderr) << "usage: rk-bench-sessions-model DB [--quick]\n";
        return 2;
    }
    const QString path = args.at(1);
    const bool quick = args.contains(QStringLiteral("--quick"));
    out() << QStringLiteral("rk-bench-sessions-model %1 (%2 cores, load %3)\n")
                 .arg(path)
                 .arg(QThread::idealThreadCount())
                 .arg(loadAverage());
    out() << QStringLiteral("  RSS before the model: %1 MB\n").arg(procStatusMb("VmRSS"), 0, 'f', 1);

    Bench bench;
    QElapsedTimer open;
    open.start();
    // The model's own loading, without a view: every row at once (views get them in chunks, see
    // ChunkedRowsModel and rk-bench-signin).
    SessionsTableModel::Options options;
    options.chunkRows = std::numeric_limits<int>::max();
    SessionsTableModel model(path, options);
    bench.model = &model;
    QObject::connect(&model, &LazySqlTableModel::windowLoaded, &model, [&] { ++bench.windows; });
    QObject::connect(&model, &LazySqlTableModel::errorOccurred, &model, [&](const Error &e) {
        ++bench.errors;
        QTextStream(stderr) << "error: " << e.message << '\n';
    });
    const double first = waitFor([&] { return bench.windows > 0 || bench.errors > 0; }, open);
    if (bench.errors)
        return 1;
    const double ordered = waitFor([&] { return model.isOrderingComplete(); }, open);
    out() << QStringLiteral("  %1 first screen %2 ms, ordering %3 ms, %4 rows\n")
                 .arg(QStringLiteral("open (created desc)"), -34)
                 .arg(first, 8, 'f', 1)
                 .arg(ordered, 8, 'f', 1)
                 .arg(model.rowCount());

    const int rows = model.rowCount();
    bench.jump(QStringLiteral("jump to the middle"), rows / 2);
    bench.jump(QStringLiteral("jump to the end"), rows - 1);

    const char *names[] = {"user", "created", "expires", "time left", "state"};
    for (int c = 0; c < SessionsTableModel::ColumnCount; ++c) {
        for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            if (quick && order == Qt::DescendingOrder)
                continue;
            if (c == SessionsTableModel::Created && order == Qt::DescendingOrder)
                continue; // the default, measured on open
            bench.measure(
                QStringLiteral("sort by %1 %2")
                    .arg(QLatin1String(names[c]),
                        order == Qt::AscendingOrder ? QStringLiteral("asc") : QStringLiteral("desc")),
                [&] { model.sort(c, order); });
        }
    }
    bench.measure(QStringLiteral("back to id order"), [&] { model.sort(-1, Qt::AscendingOrder); });

    // Before the ordering is known: a jump waits for it.
    model.sort(SessionsTableModel::Expires, Qt::DescendingOrder);
    {
        const int before = bench.windows;
        QElapsedTimer t;
        t.start();
        waitFor([&] { return bench.windows > before; }, t);
        bench.jump(QStringLiteral("jump right after sort"), model.rowCount() / 2);
    }

    // Typing a user name: each prefix as its own query (the user pauses after every key).
    const QStringList keys = {QStringLiteral("j"), QStringLiteral("ja"), QStringLiteral("jam"),
        QStringLiteral("jame"), QStringLiteral("james"), QStringLiteral("james.s")};
    for (const QString &k : keys)
        bench.measure(QStringLiteral("filter \"%1\"").arg(k), [&] { model.setFilterText(k); });
    // The same, typed without waiting: earlier queries are interrupted, only the last one shows.
    bench.measure(QStringLiteral("filter typed in a burst"), [&] {
        model.setFilterText({});
        for (const QString &k : keys)
            model.setFilterText(k + QStringLiteral("m"));
    });
    bench.measure(QStringLiteral("filter cleared"), [&] { model.setFilterText({}); });
    bench.measure(QStringLiteral("filter by user id 1"), [&] { model.setUserFilter(1); });
    bench.measure(QStringLiteral("user filter cleared"), [&] { model.setUserFilter(std::nullopt); });
    bench.measure(QStringLiteral("refresh"), [&] { model.refresh(); });
    bench.jump(QStringLiteral("jump to the end"), model.rowCount() - 1);

    out() << QStringLiteral("  RSS now %1 MB, peak (VmHWM) %2 MB\n")
                 .arg(procStatusMb("VmRSS"), 0, 'f', 1)
                 .arg(procStatusMb("VmHWM"), 0, 'f', 1);
    out().flush();
    return 0;
}
