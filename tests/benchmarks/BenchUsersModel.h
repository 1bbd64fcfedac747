#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace rk {
class UsersTableModel;
}

namespace rk::bench {

// Drives a UsersTableModel the way a QTableView would (reads data() for a window of rows, waits
// for dataChanged) and measures what the user would feel: time to the first screen after
// opening, sorting and typing a filter, time to load a window after jumping, the longest stall
// of the UI thread (a 5 ms probe timer plus a timer around every data() call), and the
// process's resident memory. Prints a table against the targets. Never asserts timings.
class BenchUsersModel : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        QString path;
        bool quick = false; // smoke run: fewer steps
        int repeat = 3; // rounds; the report shows the median and the worst
        int windowRows = 40; // rows a view shows at once
    };

    explicit BenchUsersModel(const Options &options);
    ~BenchUsersModel() override;
    // Runs everything and prints the report; returns a process exit code.
    int run();

private:
    struct Sample
    {
        QString group;
        QString name;
        double ms = 0;
        double targetMs = 0; // 0: no target
        double cpuMs = -1; // CPU time of the whole process meanwhile (all threads)
        double othersPct = -1; // CPU used by other processes meanwhile, % of all cores
    };

    bool runOnce();
    // Waits until the model has finished the previous query's background work.
    void waitIdle();
    std::unique_ptr<UsersTableModel> openModel(double *firstScreenMs);
    // Calls `action` and waits for windowLoaded(); the milliseconds until it came (-1: timeout
    // or error).
    // `settleFirst`: wait until the model and the machine are idle before starting.
    double timeToFirstScreen(
        const std::function<void()> &action, bool settleFirst = true, int timeoutMs = 60000);
    bool waitOrdering(int timeoutMs = 60000);
    // Reads every column of rows [first, first + windowRows) and waits until they are loaded.
    double loadWindow(int first, int timeoutMs = 60000);
    bool windowLoaded(int first) const;
    void readWindow(int first) const;
    bool waitUntil(const std::function<bool()> &done, int timeoutMs);
    void settle(int ms);
    void record(const QString &group, const QString &name, double ms, double targetMs = 0);
    static double processCpuMs();
    // The machine is shared (other builds, tests): before each measurement wait (up to a few
    // seconds) until other processes use under ~15% of the cores, and record how busy they were
    // during the measurement.
    void waitForQuietMachine();
    void startOthersMeter();
    double othersPercentSinceStart() const;
    void resetStallCounters();
    // Records the longest UI-thread stall (and data() call) since the last reset, then resets.
    void recordStalls(const QString &phase);
    void printReport() const;

    Options m_options;
    std::unique_ptr<UsersTableModel> m_model;
    std::vector<Sample> m_samples;
    QTimer m_probe;
    QElapsedTimer m_probeClock;
    qint64 m_lastProbeNs = 0;
    qint64 m_maxProbeLateNs = 0;
    mutable qint64 m_maxDataNs = 0;
    mutable qint64 m_dataCalls = 0;
    mutable qint64 m_slowDataCalls = 0; // over 1 ms (the thread was preempted, or data() blocked)
    // The UI thread's own CPU time and time spent runnable but waiting for a core
    // (/proc/thread-self/schedstat), to tell its own work from the machine's load.
    qint64 m_uiCpuNs = 0;
    qint64 m_uiWaitNs = 0;
    bool m_error = false;
    double m_lastCpuMs = -1; // CPU time of the last timeToFirstScreen()/loadWindow()
    double m_lastOthersPct = -1;
    qint64 m_meterTotalTicks = 0; // /proc/stat busy ticks of all processes at the meter start
    qint64 m_meterSelfTicks = 0; // ... of this process
    QElapsedTimer m_meterClock;
};

} // namespace rk::bench
