#pragma once

#include "core/Result.h"
#include "mirror/HostMirror.h"
#include "tasks/TaskLogSource.h"

#include <QDialog>
#include <QHash>
#include <QPointer>
#include <QTimer>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabBar;

namespace rk {

class InlineBanner;

// The output of one task: its stdout and stderr (two tabs over one monospace view), the last N
// lines (a spin box, default 100, 0 for everything), Follow, Copy, Save As. The text comes from a
// TaskLogSource, so the viewer works online (HostTaskLogSource, which keeps each answer in the
// mirror) and offline (MirrorTaskLogSource); an answer from the cache says so under the text
// ("Offline, fetched 14:05"). A failure (403 for viewers and for other users' tasks) shows the
// host's reason in the banner and keeps what was shown.
//
// Follow re-fetches the shown stream every Options::followIntervalMs while the task has not
// finished, and asks the source for the task's status each time (the page may also pass it in
// with setTaskStatus()); a final status stops following after one last fetch. New text keeps the
// view at its end unless the user scrolled up. Big outputs stay responsive: the view keeps at
// most Options::maxBlocks lines (Copy without a selection and Save As use everything fetched),
// text that only grew is appended, not replaced, and long text is appended in chunks from the
// event loop. Nothing here waits: every fetch is asynchronous, one at a time. UI thread.
class TaskOutputViewer : public QDialog
{
    Q_OBJECT

public:
    struct Options
    {
        int followIntervalMs = 3000;
        int defaultLines = 100;
        int maxBlocks = 200000; // lines kept in the view
        int chunkChars = 256 * 1024; // appended per event-loop turn
    };

    // `source` is not owned (when it goes, the viewer keeps its text and stops fetching).
    // `status`: the task's status as last known (tasks.status).
    TaskOutputViewer(TaskLogSource *source, qint64 taskId, const QString &taskName, const QString &status,
        QWidget *parent = nullptr);
    TaskOutputViewer(TaskLogSource *source, qint64 taskId, const QString &taskName, const QString &status,
        const Options &options, QWidget *parent = nullptr);
    ~TaskOutputViewer() override;

    qint64 taskId() const { return m_taskId; }
    TaskLogStream stream() const { return m_stream; }
    int lines() const { return m_lines; }
    QString taskStatus() const { return m_status; }
    // Everything fetched of the shown stream (also lines beyond what the view keeps).
    QString text() const;
    // The line under the output ("Fetched 14:05:03 · last 100 lines", "Offline, fetched 14:05").
    QString statusText() const;
    // Whether the stream shown came from the mirror's cache.
    bool isFromCache() const;
    // Whether the periodic re-fetch is running.
    bool isFollowing() const { return m_followTimer.isActive(); }
    bool isBusy() const { return m_inFlight || !m_pending.isEmpty(); }
    QPlainTextEdit *outputView() const { return m_view; }

    // Writes everything fetched of the shown stream to `path` (UTF-8, as sent).
    Status saveTo(const QString &path) const;

    TaskLogSource *source() const { return m_source; }

public Q_SLOTS:
    // Switches to another source (online <-> offline) and reads the shown stream again.
    void setSource(rk::TaskLogSource *source);
    void setStream(rk::TaskLogStream stream);
    void setLines(int lines);
    // Whether to follow the task while it runs (it only happens while it has not finished and
    // the source reaches a host).
    void setFollow(bool follow);
    void reload();
    // The task's status as the caller knows it now; a final status stops following (after one
    // last fetch). Once final, a non-final status (an out-of-date copy) is ignored.
    void setTaskStatus(const QString &status);
    void copyText();
    void saveAs();

Q_SIGNALS:
    // An answer (text or error) for `stream` is fully on screen.
    void outputShown(rk::TaskLogStream stream);
    void followingChanged(bool following);
    void taskStatusChanged(const QString &status);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void buildUi();
    void updateTitle();
    void updateFollow();
    void onFollowTick();
    void onFetched(quint64 generation, TaskLogStream stream, const Result<TaskLog> &result);
    void display(const TaskLog &log);
    void appendChunk();
    void scrollToEndIfSticking();
    void updateStatusLine();

    QPointer<TaskLogSource> m_source;
    qint64 m_taskId;
    QString m_name;
    QString m_status;
    Options m_options;
    TaskLogStream m_stream = TaskLogStream::Stdout;
    int m_lines = 100;
    bool m_followWanted = false;

    QHash<int, TaskLog> m_logs; // by stream: the last answer
    QString m_shownText; // what the view holds (or is being filled with)
    int m_shownStream = -1;
    QString m_pending; // still to append
    qsizetype m_pendingPos = 0;
    bool m_userScrolledUp = false;
    bool m_scrolling = false; // our own scrolling, not the user's
    QString m_error; // the last failure of the shown stream

    quint64 m_generation = 0;
    bool m_inFlight = false;
    bool m_reloadAgain = false;
    bool m_statusInFlight = false;
    bool m_finalFetchDone = false;

    QTimer m_followTimer;
    QTimer m_appendTimer;
    QTimer m_linesTimer;

    QLabel *m_heading = nullptr;
    QTabBar *m_tabs = nullptr;
    QSpinBox *m_linesSpin = nullptr;
    QCheckBox *m_followCheck = nullptr;
    QPushButton *m_reloadButton = nullptr;
    QPushButton *m_copyButton = nullptr;
    QPushButton *m_saveButton = nullptr;
    InlineBanner *m_banner = nullptr;
    QPlainTextEdit *m_view = nullptr;
    QLabel *m_statusLine = nullptr;
};

} // namespace rk
