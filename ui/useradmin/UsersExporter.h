#pragma once

#include "core/Result.h"

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <atomic>
#include <memory>
#include <vector>

namespace rk {

// Writes users to a CSV or JSON file on a worker thread, over its own read-only connection to the
// platform database (never the store's), in the order given: the Users table's current filtered
// and sorted order. Rows are read 500 at a time by id, each batch its own short read, so the host
// is never kept from writing for long; a user deleted meanwhile is left out.
//
// The file is written atomically (QSaveFile): after a failure or cancel() nothing is left behind.
// Fields (CSV header and JSON keys alike): id, username, display_name, role, groups, status,
// created_at, last_sign_in, active_sessions. Never a password hash.
// - CSV (RFC 4180): comma-separated, CRLF line ends, a field quoted when it holds a comma, quote,
//   CR or LF, quotes doubled; text starting with = + - @ (or a tab or CR) gets a leading
//   apostrophe so spreadsheets do not run it as a formula. Groups joined with "; ".
// - JSON: an array of objects; groups an array, last_sign_in null when never, display_name null
//   when null.
//
// start() and the signals belong to the UI thread; progress is polled from an atomic counter.
class UsersExporter : public QObject
{
    Q_OBJECT

public:
    enum class Format { Csv, Json };

    explicit UsersExporter(const QString &databasePath, QObject *parent = nullptr);
    // Cancels a running export and waits for it (at most one batch).
    ~UsersExporter() override;

    // Ends with finished() or failed() (Error::Code::Cancelled after cancel()).
    void start(const QString &filePath, Format format, std::vector<qint64> ids);
    void cancel();
    bool isRunning() const;

    static QStringList fieldNames();
    // One CSV field, quoted as RFC 4180 asks and guarded against formula injection.
    static QString csvField(const QString &text);

Q_SIGNALS:
    void progressChanged(qint64 done, qint64 total);
    void finished(qint64 rows, const QString &filePath);
    void failed(const rk::Error &error);

private:
    struct Job;
    QString m_databasePath;
    std::shared_ptr<Job> m_job;
    QFutureWatcher<Result<qint64>> m_watcher;
    QTimer m_progressTimer;
};

} // namespace rk
