#include "BenchUsersModel.h"

#include "users/UsersTableModel.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QRandomGenerator>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

#include <time.h>

namespace rk::bench {

namespace {

// VmRSS / VmHWM from /proc/self/status, in MB.
double procStatusMb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(key)) {
            const QByteArray kb = line.mid(key.size()).trimmed().split(' ').value(0);
            return kb.toDouble() / 1024.0;
        }
    }
    return -1;
}

// Other processes on the machine (builds) inflate wall-clock times: print the load with results.
QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    return QString::fromLatin1(f.readAll().split(' ').mid(0, 3).join(' '));
}

// Busy clock ticks (USER_HZ) of the whole machine, and of this process.
qint64 machineBusyTicks()
{
    QFile f(QStringLiteral("/proc/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = f.readLine().simplified().split(' ');
    // cpu user nice system idle iowait irq softirq steal ...
    qint64 busy = 0;
    for (int i = 1; i < fields.size(); ++i) {
        if (i != 4 && i != 5)
            busy += fields.at(i).toLongLong();
    }
    return busy;
}

qint64 selfTicks()
{
    QFile f(QStringLiteral("/proc/self/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = f.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    // After the command: state(0) ... utime(11) stime(12).
    return fields.value(11).toLongLong() + fields.value(12).toLongLong();
}

const char *columnName(int c)
{
    static const char *names[] = {
        "username", "display name", "role", "groups", "created", "last sign-in", "active sessions", "status"};
    return c >= 0 && c < 8 ? names[c] : "?";
}

} // namespace

BenchUsersModel::BenchUsersModel(const Options &options) : m_options(options)
{
    // The UI-thread latency probe: a timer that should fire every 5 ms; how late it fires is how
    // long the thread was busy with something else.
    m_probe.setTimerType(Qt::PreciseTimer);
    m_probe.setInterval(5);
    connect(&m_probe, &QTimer::timeout, this, [this] {
        const qint64 now = m_probeClock.nsecsElapsed();
        const qint64 late = now - m_lastProbeNs - 5'000'000;
        m_maxProbeLateNs = std::max(m_maxProbeLateNs, late);
        m_lastProbeNs = now;
    });
    m_probeClock.start();
}

BenchUsersModel::~BenchUsersModel() = default;

namespace {
// The calling thread's (cpu ns, run-queue wait ns).
std::pair<qint64, qint64> threadSchedStat()
{
    QFile f(QStringLiteral("/proc/thread-self/schedstat"));
    if (!f.open(QIODevice::ReadOnly))
        return {0, 0};
    const QList<QByteArray> fields = f.readAll().simplified().split(' ');
    return {fields.value(0).toLongLong(), fields.value(1).toLongLong()};
}
} // namespace

void BenchUsersModel::recordStalls(const QString &phase)
{
    const auto [cpu, wait] = threadSchedStat();
    QTextStream(stdout) << "  UI thread while " << phase << ": " << double(cpu - m_uiCpuNs) / 1e6
                        << " ms CPU, " << double(wait - m_uiWaitNs) / 1e6
                        << " ms runnable but waiting for a core\n";
    m_lastOthersPct = -1;
    m_lastCpuMs = -1;
    record(QStringLiteral("ui"), QStringLiteral("longest UI-thread stall while %1 (5 ms probe)").arg(phase),
        double(m_maxProbeLateNs) / 1e6);
    record(QStringLiteral("ui"), QStringLiteral("longest data() call while %1").arg(phase),
        double(m_maxDataNs) / 1e6);
    QTextStream(stdout) << "  data() calls while " << phase << ": " << m_dataCalls
                        << ", over 1 ms: " << m_slowDataCalls << '\n';
    resetStallCounters();
}

void BenchUsersModel::resetStallCounters()
{
    std::tie(m_uiCpuNs, m_uiWaitNs) = threadSchedStat();
    m_lastProbeNs = m_probeClock.nsecsElapsed();
    m_maxProbeLateNs = 0;
    m_maxDataNs = 0;
    m_dataCalls = 0;
    m_slowDataCalls = 0;
}

double BenchUsersModel::processCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

void BenchUsersModel::startOthersMeter()
{
    m_meterTotalTicks = machineBusyTicks();
    m_meterSelfTicks = selfTicks();
    m_meterClock.start();
}

double BenchUsersModel::othersPercentSinceStart() const
{
    const double elapsedTicks = double(m_meterClock.elapsed()) / 10.0; // USER_HZ is 100
    if (elapsedTicks < 1)
        return 0;
    const qint64 others = (machineBusyTicks() - m_meterTotalTicks) - (selfTicks() - m_meterSelfTicks);
    return qMax(0.0, 100.0 * double(others) / (elapsedTicks * QThread::idealThreadCount()));
}

void BenchUsersModel::waitForQuietMachine()
{
    if (m_options.quick) {
        startOthersMeter(); // a smoke run proves the program works; its timings mean nothing
        return;
    }
    QElapsedTimer waited;
    waited.start();
    int quiet = 0;
    while (waited.elapsed() < 15000 && quiet < 2) {
        startOthersMeter();
        settle(100);
        quiet = othersPercentSinceStart() < 15 ? quiet + 1 : 0;
    }
    startOthersMeter();
}

void BenchUsersModel::record(const QString &group, const QString &name, double ms, double targetMs)
{
    m_samples.push_back({group, name, ms, targetMs, m_lastCpuMs, m_lastOthersPct});
    m_lastOthersPct = -1;
    QTextStream(stdout) << "  " << group << " / " << name << ": " << QString::number(ms, 'f', 1)
                        << " ms (cpu " << QString::number(m_lastCpuMs, 'f', 1) << " ms)\n";
    m_lastCpuMs = -1;
}

bool BenchUsersModel::waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs || m_error)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents); // the probe timer wakes it every 5 ms
    }
    return true;
}

void BenchUsersModel::settle(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents); // the probe timer wakes it every 5 ms
}

std::unique_ptr<UsersTableModel> BenchUsersModel::openModel(double *firstScreenMs)
{
    waitForQuietMachine();
    QElapsedTimer t;
    const double cpu0 = processCpuMs();
    t.start();
    // The model's own loading, without a view: every row at once (views get them in chunks, see
    // ChunkedRowsModel and rk-bench-signin).
    UsersTableModel::Options options;
    options.chunkRows = std::numeric_limits<int>::max();
    auto model = std::make_unique<UsersTableModel>(m_options.path, options);
    double at = -1;
    const auto c = connect(model.get(), &UsersTableModel::windowLoaded, this, [&] {
        if (at < 0) {
            at = double(t.nsecsElapsed()) / 1e6;
            m_lastCpuMs = processCpuMs() - cpu0;
        }
    });
    connect(model.get(), &UsersTableModel::errorOccurred, this, [this](const rk::Error &e) {
        QTextStream(stderr) << "model error: " << e.message << '\n';
        m_error = true;
    });
    waitUntil([&] { return at >= 0; }, 60000);
    m_lastOthersPct = othersPercentSinceStart();
    disconnect(c);
    *firstScreenMs = at;
    return model;
}

double BenchUsersModel::timeToFirstScreen(
    const std::function<void()> &action, bool settleFirst, int timeoutMs)
{
    QElapsedTimer t;
    double at = -1;
    const auto c = connect(m_model.get(), &UsersTableModel::windowLoaded, this, [&] {
        if (at < 0)
            at = double(t.nsecsElapsed()) / 1e6;
    });
    double cpuAt = -1;
    double cpu0 = 0;
    const auto c2 = connect(m_model.get(), &UsersTableModel::windowLoaded, this, [&] {
        if (cpuAt < 0)
            cpuAt = processCpuMs() - cpu0;
    });
    if (settleFirst) {
        waitIdle();
        waitForQuietMachine();
    } else {
        startOthersMeter();
    }
    cpu0 = processCpuMs();
    t.start();
    action();
    waitUntil([&] { return at >= 0; }, timeoutMs);
    m_lastOthersPct = othersPercentSinceStart();
    disconnect(c);
    disconnect(c2);
    m_lastCpuMs = cpuAt;
    // What a view would do right away: paint the first rows (already loaded with the signal).
    readWindow(0);
    return at;
}

bool BenchUsersModel::waitOrdering(int timeoutMs)
{
    return waitUntil([this] { return m_model->isOrderingComplete(); }, timeoutMs);
}

void BenchUsersModel::readWindow(int first) const
{
    const int rows = m_model->rowCount();
    for (int r = first; r < std::min(rows, first + m_options.windowRows); ++r) {
        for (int c = 0; c < UsersTableModel::ColumnCount; ++c) {
            QElapsedTimer t;
            t.start();
            const QModelIndex idx = m_model->index(r, c);
            (void)m_model->data(idx, Qt::DisplayRole);
            (void)m_model->data(idx, UsersTableModel::LoadedRole);
            const qint64 ns = t.nsecsElapsed();
            m_maxDataNs = std::max(m_maxDataNs, ns);
            m_slowDataCalls += ns > 1'000'000 ? 1 : 0;
            m_dataCalls += 2;
        }
    }
}

bool BenchUsersModel::windowLoaded(int first) const
{
    const int rows = m_model->rowCount();
    for (int r = first; r < std::min(rows, first + m_options.windowRows); ++r) {
        if (!m_model->data(m_model->index(r, 0), UsersTableModel::LoadedRole).toBool())
            return false;
    }
    return true;
}

double BenchUsersModel::loadWindow(int first, int timeoutMs)
{
    waitForQuietMachine();
    QElapsedTimer t;
    const double cpu0 = processCpuMs();
    t.start();
    readWindow(first); // asks for the pages, as a view painting these rows would
    bool repaint = false;
    const auto c = connect(m_model.get(), &QAbstractItemModel::dataChanged, this, [&] { repaint = true; });
    const bool ok = waitUntil(
        [&] {
            if (repaint) {
                repaint = false;
                readWindow(first); // the view repaints the rows that changed
            }
            return windowLoaded(first);
        },
        timeoutMs);
    disconnect(c);
    m_lastCpuMs = processCpuMs() - cpu0;
    m_lastOthersPct = othersPercentSinceStart();
    return ok ? double(t.nsecsElapsed()) / 1e6 : -1;
}

int BenchUsersModel::run()
{
    QTextStream out(stdout);
    out << "load average at start: " << loadAverage() << '\n';
    m_probe.start();
    for (int rep = 0; rep < m_options.repeat; ++rep) {
        out << "--- round " << (rep + 1) << " of " << m_options.repeat << " ---\n";
        if (!runOnce())
            return 1;
    }

    // --- a cold derived sort: last sign-in right after opening, before the background build of
    // the per-user aggregates is done (so this sort waits for it) ---------------------------
    {
        m_model.reset();
        double reopenMs = 0;
        m_model = openModel(&reopenMs);
        if (m_error)
            return 1;
        // No settling: the point is to sort while the background build has only just begun.
        const double ms = timeToFirstScreen(
            [this] { m_model->sort(UsersTableModel::LastSignIn, Qt::DescendingOrder); }, false);
        record(QStringLiteral("cold"),
            QStringLiteral("sort by last sign-in right after open (builds aggregates)"), ms);
    }
    m_model.reset();
    printReport();
    return m_error ? 1 : 0;
}

bool BenchUsersModel::runOnce()
{
    QTextStream out(stdout);
    const bool quick = m_options.quick;
    m_model.reset();
    resetStallCounters();

    // --- open -------------------------------------------------------------------------------
    double openMs = 0;
    m_model = openModel(&openMs);
    if (m_error || openMs < 0)
        return false;
    const int total = m_model->rowCount();
    out << "rows: " << total << '\n';
    record(QStringLiteral("open"), QStringLiteral("first screen after creating the model"), openMs, 50);
    QElapsedTimer ot;
    ot.start();
    waitOrdering();
    record(QStringLiteral("open"), QStringLiteral("+ every row id known (background)"),
        double(ot.nsecsElapsed()) / 1e6);
    {
        // What an export takes on the GUI thread before its worker starts: every id in order.
        QElapsedTimer t;
        t.start();
        const std::vector<qint64> ids = m_model->userIdsInOrder();
        record(QStringLiteral("open"),
            QStringLiteral("every row id in order, for an export (%L1)").arg(ids.size()),
            double(t.nsecsElapsed()) / 1e6, 16);
    }
    settle(quick ? 200 : 3000); // the background aggregates (for derived sorts) finish meanwhile
    out << "  memory after open: VmRSS " << procStatusMb("VmRSS") << " MB, VmHWM " << procStatusMb("VmHWM")
        << " MB\n";
    recordStalls(QStringLiteral("opening"));

    // --- sorting ----------------------------------------------------------------------------
    for (int c = 0; c < UsersTableModel::ColumnCount; ++c) {
        for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            const double ms = timeToFirstScreen([&] { m_model->sort(c, order); });
            record(QStringLiteral("sort"),
                QStringLiteral("%1 %2").arg(QLatin1String(columnName(c)),
                    order == Qt::AscendingOrder ? QStringLiteral("asc") : QStringLiteral("desc")),
                ms, 300);
            if (m_error)
                return false;
        }
    }
    {
        // The whole ordering (every row's position) after a sort: the first screen, then the
        // background sort of the rest.
        waitIdle();
        waitForQuietMachine();
        QElapsedTimer t;
        t.start();
        bool shown = false;
        const auto c = connect(m_model.get(), &UsersTableModel::windowLoaded, this, [&] { shown = true; });
        m_model->sort(UsersTableModel::DisplayName, Qt::AscendingOrder);
        waitUntil([&] { return shown && m_model->isOrderingComplete(); }, 60000);
        disconnect(c);
        m_lastOthersPct = othersPercentSinceStart();
        record(QStringLiteral("sort"),
            QStringLiteral("display name asc: every row's position known (background)"),
            double(t.nsecsElapsed()) / 1e6);
    }
    out << "  memory after sorting: VmRSS " << procStatusMb("VmRSS") << " MB, VmHWM " << procStatusMb("VmHWM")
        << " MB\n";
    recordStalls(QStringLiteral("sorting"));

    // --- typing a filter (one keystroke at a time, each measured from an idle model) --------
    timeToFirstScreen([&] { m_model->sort(-1, Qt::AscendingOrder); });
    const QStringList words = quick
        ? QStringList {QStringLiteral("ab")}
        : QStringList {QStringLiteral("abc"), QStringLiteral("smith"), QStringLiteral("zqx"),
            QStringLiteral("ja.r"), QStringLiteral("50%"), QStringLiteral("_w")};
    for (const QString &word : words) {
        for (int n = 1; n <= word.size(); ++n) {
            const QString text = word.left(n);
            const double ms = timeToFirstScreen([&] { m_model->setFilterText(text); });
            record(QStringLiteral("filter"),
                QStringLiteral("\"%1\" -> %2 rows").arg(text).arg(m_model->rowCount()), ms, 150);
        }
        timeToFirstScreen([&] { m_model->setFilterText(QString()); });
    }
    if (!quick) {
        // Fast typing: a keystroke every 40 ms without waiting for results (each one supersedes
        // the running scan); measured from the last keystroke to its first screen.
        const QString word = QStringLiteral("thompson");
        double at = -1;
        QElapsedTimer t;
        const auto c = connect(m_model.get(), &UsersTableModel::windowLoaded, this, [&] {
            if (m_model->filterText() == word && at < 0)
                at = double(t.nsecsElapsed()) / 1e6;
        });
        waitIdle();
        waitForQuietMachine();
        const double cpu0 = processCpuMs();
        for (int n = 1; n <= word.size(); ++n) {
            if (n == word.size())
                t.start();
            m_model->setFilterText(word.left(n));
            if (n < word.size())
                settle(40);
        }
        waitUntil([&] { return at >= 0; }, 60000);
        m_lastOthersPct = othersPercentSinceStart();
        m_lastCpuMs = processCpuMs() - cpu0;
        disconnect(c);
        record(QStringLiteral("filter"),
            QStringLiteral("typing \"%1\", a key every 40 ms: last key -> %2 rows")
                .arg(word)
                .arg(m_model->rowCount()),
            at, 150);
        timeToFirstScreen([&] { m_model->setFilterText(QString()); });
    }
    {
        // Filter and sort together: sorted by display name, typing "mar".
        timeToFirstScreen([&] { m_model->sort(UsersTableModel::DisplayName, Qt::AscendingOrder); });
        for (const QString &text : {QStringLiteral("m"), QStringLiteral("ma"), QStringLiteral("mar")}) {
            const double ms = timeToFirstScreen([&] { m_model->setFilterText(text); });
            record(QStringLiteral("filter"),
                QStringLiteral("\"%1\" sorted by display name -> %2 rows").arg(text).arg(m_model->rowCount()),
                ms, 150);
        }
        timeToFirstScreen([&] { m_model->setFilterText(QString()); });
        timeToFirstScreen([&] { m_model->sort(-1, Qt::AscendingOrder); });
    }
    out << "  memory after filtering: VmRSS " << procStatusMb("VmRSS") << " MB, VmHWM "
        << procStatusMb("VmHWM") << " MB\n";
    recordStalls(QStringLiteral("filtering"));

    // --- jumping ----------------------------------------------------------------------------
    const int rows = m_model->rowCount();
    waitOrdering();
    std::vector<int> targets = {0, rows / 2, std::max(0, rows - 100)};
    QRandomGenerator rng(42);
    for (int i = 0; i < (quick ? 2 : 6); ++i)
        targets.push_back(int(rng.bounded(std::max(1, rows))));
    for (int row : targets) {
        const double ms = loadWindow(row);
        record(QStringLiteral("jump"), QStringLiteral("to row %1 (id order)").arg(row), ms);
    }
    timeToFirstScreen([&] { m_model->sort(UsersTableModel::Created, Qt::DescendingOrder); });
    waitOrdering();
    for (int row : targets) {
        const double ms = loadWindow(row);
        record(QStringLiteral("jump"), QStringLiteral("to row %1 (sorted by created desc)").arg(row), ms);
    }
    {
        // Dragging the scroll bar: a new position every event-loop turn, then the last one loads.
        int last = 0;
        for (int i = 0; i < (quick ? 20 : 300); ++i) {
            last = int(rng.bounded(std::max(1, rows)));
            readWindow(last);
            QCoreApplication::processEvents();
        }
        const double ms = loadWindow(last);
        record(QStringLiteral("jump"),
            QStringLiteral("after a scroll-bar drag over 300 positions: last window"), ms);
    }
    recordStalls(QStringLiteral("jumping"));
    return !m_error;
}

void BenchUsersModel::waitIdle()
{
    // The previous measurement's background work (a full sort) would compete with this one.
    waitUntil([this] { return !m_model->isLoading() && m_model->isOrderingComplete(); }, 20000);
}

void BenchUsersModel::printReport() const
{
    QTextStream out(stdout);
    const double rss = procStatusMb("VmRSS");
    const double hwm = procStatusMb("VmHWM");
    out << "\n=== Riverkeeper UsersTableModel benchmark: " << m_options.path << " ===\n";
    out << "load average at the end: " << loadAverage() << " (" << QThread::idealThreadCount() << " cores), "
        << m_options.repeat << " round(s)\n";
    out << "median / worst over the rounds. ms: wall clock (the target applies to the median); cpu: this\n"
           "process, all threads, median; others: CPU used by other processes during the measurement, worst\n"
           "round, % of all cores (each measurement first waits up to 15 s for the machine to be quiet)\n";
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
               .arg(QStringLiteral("measurement"), -66)
               .arg(QStringLiteral("median"), 8)
               .arg(QStringLiteral("worst"), 8)
               .arg(QStringLiteral("cpu"), 7)
               .arg(QStringLiteral("others"), 6)
               .arg(QStringLiteral("target"), 6)
               .arg(QStringLiteral("ok"), 3);
    // Group the rounds' samples by measurement, in first-seen order.
    QStringList order;
    QHash<QString, QList<Sample>> byName;
    for (const Sample &s : m_samples) {
        const QString key = s.group + QStringLiteral(": ") + s.name;
        if (!byName.contains(key))
            order.append(key);
        byName[key].append(s);
    }
    auto median = [](QList<double> v) {
        std::sort(v.begin(), v.end());
        return v.isEmpty() ? -1.0 : v.at(v.size() / 2);
    };
    int failures = 0;
    int worstOver = 0;
    for (const QString &key : std::as_const(order)) {
        const QList<Sample> &samples = byName[key];
        QList<double> ms, cpu;
        double worst = 0, others = -1;
        bool missing = false;
        for (const Sample &s : samples) {
            ms.append(s.ms);
            if (s.cpuMs >= 0)
                cpu.append(s.cpuMs);
            worst = std::max(worst, s.ms);
            others = std::max(others, s.othersPct);
            missing = missing || s.ms < 0;
        }
        const double target = samples.first().targetMs;
        const double med = median(ms);
        const bool ok = !missing && (target <= 0 || med <= target);
        failures += ok ? 0 : 1;
        worstOver += target > 0 && worst > target ? 1 : 0;
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                   .arg(key.left(66), -66)
                   .arg(med, 8, 'f', 1)
                   .arg(worst, 8, 'f', 1)
                   .arg(cpu.isEmpty() ? QStringLiteral("-") : QString::number(median(cpu), 'f', 0), 7)
                   .arg(
                       others >= 0 ? QString::number(others, 'f', 0) + QLatin1Char('%') : QStringLiteral("-"),
                       6)
                   .arg(target > 0 ? QString::number(target, 'f', 0) : QStringLiteral("-"), 6)
                   .arg(ok ? QStringLiteral("yes") : QStringLiteral("NO"), 3);
    }
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
               .arg(QStringLiteral("memory: peak resident of the process (VmHWM), MB"), -66)
               .arg(hwm, 8, 'f', 1)
               .arg(QString(), 8)
               .arg(QString(), 7)
               .arg(QString(), 6)
               .arg(QStringLiteral("150"), 6)
               .arg(hwm <= 150 ? QStringLiteral("yes") : QStringLiteral("NO"), 3);
    out << QStringLiteral("%1 %2\n")
               .arg(QStringLiteral("memory: resident at the end (VmRSS), MB"), -66)
               .arg(rss, 8, 'f', 1);
    out << (failures + (hwm > 150 ? 1 : 0)) << " median(s) over target; " << worstOver
        << " measurement(s) with a round over target\n";
}

} // namespace rk::bench
