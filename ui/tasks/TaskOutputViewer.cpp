#include "TaskOutputViewer.h"

#include "core/HostTime.h"
#include "tasks/TaskStatus.h"
#include "widgets/InlineBanner.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QKeySequence>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabBar>
#include <QTextCursor>

namespace rk {

namespace {

constexpr int kMaxLines = 10000000;

int streamKey(TaskLogStream stream)
{
    return stream == TaskLogStream::Stdout ? 0 : 1;
}

// "14:05" today, "2026-12-01 14:05" on another day.
QString whenText(const QString &dbText, bool seconds)
{
    const QDateTime at = hosttime::toDateTime(dbText);
    if (!at.isValid())
        return dbText;
    const QString time = at.toString(seconds ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm"));
    if (at.date() == QDate::currentDate())
        return time;
    return at.toString(QStringLiteral("yyyy-MM-dd ")) + time;
}

} // namespace

TaskOutputViewer::TaskOutputViewer(
    TaskLogSource *source, qint64 taskId, const QString &taskName, const QString &status, QWidget *parent)
    : TaskOutputViewer(source, taskId, taskName, status, Options {}, parent)
{
}

TaskOutputViewer::TaskOutputViewer(TaskLogSource *source, qint64 taskId, const QString &taskName,
    const QString &status, const Options &options, QWidget *parent)
    : QDialog(parent),
      m_source(source),
      m_taskId(taskId),
      m_name(taskName),
      m_status(status),
      m_options(options),
      m_lines(qMax(0, options.defaultLines))
{
    setObjectName(QStringLiteral("taskOutputViewer"));
    // Follow by default while the task runs: that is what one opens a running task's output for.
    m_followWanted = status == QLatin1String("running");
    buildUi();
    updateTitle();

    m_followTimer.setInterval(qMax(50, m_options.followIntervalMs));
    connect(&m_followTimer, &QTimer::timeout, this, &TaskOutputViewer::onFollowTick);
    m_appendTimer.setInterval(0);
    m_appendTimer.setSingleShot(true);
    connect(&m_appendTimer, &QTimer::timeout, this, &TaskOutputViewer::appendChunk);
    m_linesTimer.setInterval(400);
    m_linesTimer.setSingleShot(true);
    connect(&m_linesTimer, &QTimer::timeout, this, [this]() { setLines(m_linesSpin->value()); });

    updateFollow();
    reload();
}

TaskOutputViewer::~TaskOutputViewer() = default;

void TaskOutputViewer::buildUi()
{
    resize(900, 600);
    auto *layout = new QVBoxLayout(this);

    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("outputHeading"));
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_heading);

    auto *bar = new QHBoxLayout;
    m_tabs = new QTabBar(this);
    m_tabs->setObjectName(QStringLiteral("streamTabs"));
    m_tabs->addTab(tr("Standard output"));
    m_tabs->addTab(tr("Standard error"));
    m_tabs->setDrawBase(false);
    connect(m_tabs, &QTabBar::currentChanged, this,
        [this](int index) { setStream(index == 0 ? TaskLogStream::Stdout : TaskLogStream::Stderr); });
    bar->addWidget(m_tabs);
    bar->addStretch(1);

    auto *linesLabel = new QLabel(tr("&Last"), this);
    linesLabel->setObjectName(QStringLiteral("linesLabel"));
    m_linesSpin = new QSpinBox(this);
    m_linesSpin->setObjectName(QStringLiteral("linesSpin"));
    m_linesSpin->setRange(0, kMaxLines);
    m_linesSpin->setSingleStep(100);
    m_linesSpin->setSpecialValueText(tr("all lines"));
    m_linesSpin->setSuffix(tr(" lines"));
    m_linesSpin->setValue(m_lines);
    m_linesSpin->setToolTip(tr("How many lines from the end to fetch; 0 fetches the whole output"));
    linesLabel->setBuddy(m_linesSpin);
    connect(m_linesSpin, &QSpinBox::valueChanged, this, [this]() { m_linesTimer.start(); });
    connect(m_linesSpin, &QSpinBox::editingFinished, this, [this]() {
        m_linesTimer.stop();
        setLines(m_linesSpin->value());
    });
    bar->addWidget(linesLabel);
    bar->addWidget(m_linesSpin);

    m_followCheck = new QCheckBox(tr("&Follow"), this);
    m_followCheck->setObjectName(QStringLiteral("followCheck"));
    m_followCheck->setChecked(m_followWanted);
    connect(m_followCheck, &QCheckBox::toggled, this, &TaskOutputViewer::setFollow);
    bar->addWidget(m_followCheck);

    m_reloadButton = new QPushButton(tr("&Reload"), this);
    m_reloadButton->setObjectName(QStringLiteral("reloadButton"));
    m_reloadButton->setAutoDefault(false);
    m_reloadButton->setShortcut(QKeySequence::Refresh);
    m_reloadButton->setToolTip(
        tr("Fetch the output again now (%1)")
            .arg(QKeySequence(QKeySequence::Refresh).toString(QKeySequence::NativeText)));
    connect(m_reloadButton, &QPushButton::clicked, this, &TaskOutputViewer::reload);
    bar->addWidget(m_reloadButton);
    layout->addLayout(bar);

    m_banner = new InlineBanner(this);
    m_banner->setObjectName(QStringLiteral("outputBanner"));
    layout->addWidget(m_banner);
    m_banner->clear();

    m_view = new QPlainTextEdit(this);
    m_view->setObjectName(QStringLiteral("outputView"));
    m_view->setReadOnly(true);
    m_view->setUndoRedoEnabled(false);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setMaximumBlockCount(qMax(1, m_options.maxBlocks));
    m_view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    QScrollBar *vertical = m_view->verticalScrollBar();
    connect(vertical, &QScrollBar::valueChanged, this, [this, vertical](int value) {
        if (!m_scrolling)
            m_userScrolledUp = value < vertical->maximum();
    });
    layout->addWidget(m_view, 1);

    m_statusLine = new QLabel(this);
    m_statusLine->setObjectName(QStringLiteral("outputStatusLabel"));
    m_statusLine->setWordWrap(true);
    layout->addWidget(m_statusLine);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("outputButtons"));
    m_copyButton = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
    m_copyButton->setObjectName(QStringLiteral("copyButton"));
    m_copyButton->setToolTip(tr("Copy the selected text, or the whole output when nothing is selected"));
    m_saveButton = buttons->addButton(tr("&Save As\u2026"), QDialogButtonBox::ActionRole);
    m_saveButton->setObjectName(QStringLiteral("saveButton"));
    m_saveButton->setShortcut(QKeySequence::Save);
    m_saveButton->setToolTip(tr("Save everything fetched of this stream to a file"));
    buttons->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("closeButton"));
    connect(m_copyButton, &QPushButton::clicked, this, &TaskOutputViewer::copyText);
    connect(m_saveButton, &QPushButton::clicked, this, &TaskOutputViewer::saveAs);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

void TaskOutputViewer::updateTitle()
{
    const QString id = QString::number(m_taskId);
    const QString who = m_name.isEmpty() ? id : tr("%1 (%2)").arg(m_name, id);
    setWindowTitle(tr("Output of %1").arg(who));
    m_heading->setText(tr("Task %1 \u00b7 %2").arg(who, TaskStatus::label(m_status)));
}

QString TaskOutputViewer::text() const
{
    const auto it = m_logs.constFind(streamKey(m_stream));
    return it == m_logs.cend() ? QString() : it->text;
}

QString TaskOutputViewer::statusText() const
{
    return m_statusLine->text();
}

bool TaskOutputViewer::isFromCache() const
{
    const auto it = m_logs.constFind(streamKey(m_stream));
    return it != m_logs.cend() && it->fromCache;
}

void TaskOutputViewer::setStream(TaskLogStream stream)
{
    if (m_tabs->currentIndex() != streamKey(stream)) {
        m_tabs->setCurrentIndex(streamKey(stream)); // comes back here
        return;
    }
    if (stream == m_stream && m_shownStream == streamKey(stream))
        return;
    m_stream = stream;
    m_error.clear();
    m_banner->clear();
    // What this stream showed last, at once; then a fresh read.
    if (const auto it = m_logs.constFind(streamKey(stream)); it != m_logs.cend())
        display(*it);
    else {
        m_pending.clear();
        m_appendTimer.stop();
        m_scrolling = true;
        m_view->clear();
        m_scrolling = false;
        m_userScrolledUp = false;
        m_shownText.clear();
        m_shownStream = streamKey(stream);
        updateStatusLine();
    }
    reload();
}

void TaskOutputViewer::setSource(TaskLogSource *source)
{
    if (source == m_source)
        return;
    m_source = source;
    // An answer of the old source is out of date.
    ++m_generation;
    m_inFlight = false;
    m_statusInFlight = false;
    m_reloadButton->setEnabled(true);
    updateFollow();
    reload();
}

void TaskOutputViewer::setLines(int lines)
{
    lines = qBound(0, lines, kMaxLines);
    if (m_linesSpin->value() != lines) {
        const QSignalBlocker block(m_linesSpin);
        m_linesSpin->setValue(lines);
    }
    if (lines == m_lines)
        return;
    m_lines = lines;
    reload();
}

void TaskOutputViewer::setFollow(bool follow)
{
    m_followWanted = follow;
    if (m_followCheck->isChecked() != follow) {
        const QSignalBlocker block(m_followCheck);
        m_followCheck->setChecked(follow);
    }
    updateFollow();
    if (follow && isFollowing())
        reload();
}

void TaskOutputViewer::setTaskStatus(const QString &status)
{
    if (status.isEmpty() || status == m_status)
        return;
    // A task never leaves a final state: an older copy (a mirror not synced yet) saying it still
    // runs is out of date.
    if (TaskStatus::isFinal(m_status) && !TaskStatus::isFinal(status))
        return;
    m_status = status;
    updateTitle();
    Q_EMIT taskStatusChanged(status);
    const bool wasFollowing = isFollowing();
    updateFollow();
    // The output a finished task left: read once more, so the end is not missed.
    if (wasFollowing && TaskStatus::isFinal(status) && !m_finalFetchDone) {
        m_finalFetchDone = true;
        reload();
    }
}

void TaskOutputViewer::updateFollow()
{
    const bool finished = TaskStatus::isFinal(m_status);
    const bool live = m_source && m_source->isLive();
    const bool possible = live && !finished;
    m_followCheck->setEnabled(possible);
    if (!live)
        m_followCheck->setToolTip(
            tr("Following needs a connection to the host; this is the copy kept offline."));
    else if (finished)
        m_followCheck->setToolTip(tr("The task has finished (%1): there is nothing more to follow.")
                                      .arg(TaskStatus::label(m_status)));
    else
        m_followCheck->setToolTip(
            tr("Fetch the output again every %L1 s while the task runs, and keep the end "
               "in view unless you scroll up")
                .arg(qMax(1, m_options.followIntervalMs / 1000)));
    if (!possible && m_followCheck->isChecked()) {
        const QSignalBlocker block(m_followCheck);
        m_followCheck->setChecked(false);
    }
    const bool run
        = possible && m_followWanted && (isVisible() || !testAttribute(Qt::WA_WState_ExplicitShowHide));
    const bool was = m_followTimer.isActive();
    if (run && !was)
        m_followTimer.start();
    else if (!run && was)
        m_followTimer.stop();
    if (run != was)
        Q_EMIT followingChanged(run);
    updateStatusLine();
}

void TaskOutputViewer::onFollowTick()
{
    if (!m_inFlight && m_pending.isEmpty())
        reload();
    if (m_statusInFlight || !m_source)
        return;
    m_statusInFlight = true;
    m_source->fetchStatus(m_taskId, this, [this](const Result<QString> &status) {
        m_statusInFlight = false;
        // A source that cannot tell leaves the status to the page (setTaskStatus()).
        if (status.ok())
            setTaskStatus(status.value());
    });
}

void TaskOutputViewer::reload()
{
    if (!m_source)
        return;
    if (m_inFlight) {
        m_reloadAgain = true;
        return;
    }
    m_inFlight = true;
    m_reloadAgain = false;
    const quint64 generation = ++m_generation;
    const TaskLogStream stream = m_stream;
    m_reloadButton->setEnabled(false);
    m_source->fetch(m_taskId, stream, m_lines, this,
        [this, generation, stream](const Result<TaskLog> &result) { onFetched(generation, stream, result); });
}

void TaskOutputViewer::onFetched(quint64 generation, TaskLogStream stream, const Result<TaskLog> &result)
{
    // Only setSource() leaves an older fetch behind: its answer is dropped.
    if (generation != m_generation)
        return;
    m_inFlight = false;
    m_reloadButton->setEnabled(true);
    // Asked again meanwhile (another stream or tail length): this answer is out of date.
    if (m_reloadAgain || stream != m_stream) {
        if (result.ok())
            m_logs.insert(streamKey(stream), result.value());
        reload();
        return;
    }
    if (!result.ok()) {
        m_error = result.error().message;
        m_banner->showError(
            tr("Could not read the %1 of task %2: %3")
                .arg(stream == TaskLogStream::Stdout ? tr("standard output") : tr("standard error"),
                    QString::number(m_taskId), m_error));
        updateStatusLine();
        Q_EMIT outputShown(stream);
        return;
    }
    m_error.clear();
    m_banner->clear();
    m_logs.insert(streamKey(stream), result.value());
    display(result.value());
}

void TaskOutputViewer::display(const TaskLog &log)
{
    const int key = streamKey(log.stream);
    QScrollBar *vertical = m_view->verticalScrollBar();
    if (key == m_shownStream && log.text == m_shownText && m_pending.isEmpty()) {
        updateStatusLine();
        Q_EMIT outputShown(log.stream);
        return;
    }
    if (key == m_shownStream && !m_shownText.isEmpty() && log.text.startsWith(m_shownText)) {
        // Only grew (the whole output, followed): append the new end.
        m_pending += log.text.mid(m_shownText.size());
    } else {
        const int keep = m_userScrolledUp ? vertical->value() : -1;
        m_appendTimer.stop();
        m_scrolling = true; // clearing moves the scroll bar; the user did not
        m_view->clear();
        m_scrolling = false;
        m_pending = log.text;
        m_pendingPos = 0;
        if (keep >= 0) {
            // Appending restores the position where the user was reading, as far as it goes.
            m_view->setProperty("rkKeepScroll", keep);
        }
    }
    m_shownText = log.text;
    m_shownStream = key;
    m_view->setPlaceholderText(log.text.isEmpty()
            ? tr("No output. The host has no log file for this stream yet, or it is empty.")
            : QString());
    updateStatusLine();
    appendChunk();
}

void TaskOutputViewer::appendChunk()
{
    if (m_pendingPos >= m_pending.size()) {
        m_pending.clear();
        m_pendingPos = 0;
        Q_EMIT outputShown(m_stream);
        return;
    }
    qsizetype n = qMin<qsizetype>(qMax(1024, m_options.chunkChars), m_pending.size() - m_pendingPos);
    const qsizetype end = m_pendingPos + n;
    if (end < m_pending.size()) {
        // End the chunk at a line break when there is one, and never inside a surrogate pair.
        const qsizetype nl = m_pending.lastIndexOf(QLatin1Char('\n'), end - 1);
        if (nl >= m_pendingPos)
            n = nl + 1 - m_pendingPos;
        else if (m_pending.at(end - 1).isHighSurrogate())
            --n;
    }
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(m_pending.mid(m_pendingPos, n));
    m_pendingPos += n;

    QScrollBar *vertical = m_view->verticalScrollBar();
    const QVariant keep = m_view->property("rkKeepScroll");
    m_scrolling = true;
    if (keep.isValid()) {
        vertical->setValue(qMin(keep.toInt(), vertical->maximum()));
        if (m_pendingPos >= m_pending.size())
            m_view->setProperty("rkKeepScroll", QVariant());
    } else {
        scrollToEndIfSticking();
    }
    m_scrolling = false;

    if (m_pendingPos < m_pending.size())
        m_appendTimer.start();
    else
        appendChunk(); // done: clears and emits
}

void TaskOutputViewer::scrollToEndIfSticking()
{
    if (m_userScrolledUp)
        return;
    QScrollBar *vertical = m_view->verticalScrollBar();
    vertical->setValue(vertical->maximum());
}

void TaskOutputViewer::updateStatusLine()
{
    const auto it = m_logs.constFind(streamKey(m_stream));
    QStringList parts;
    if (it == m_logs.cend()) {
        parts << (m_error.isEmpty() ? tr("Fetching\u2026") : tr("Nothing to show"));
    } else {
        const TaskLog &log = *it;
        if (log.fromCache) {
            parts << tr("Offline, fetched %1").arg(whenText(log.fetchedAt, false));
            m_statusLine->setToolTip(log.offlineReason);
        } else {
            parts << tr("Fetched %1").arg(whenText(log.fetchedAt, true));
            m_statusLine->setToolTip({});
        }
        parts << (log.lines > 0 ? tr("last %L1 lines").arg(log.lines) : tr("the whole output"));
        if (log.fromCache && log.lines > 0 && (m_lines <= 0 || m_lines > log.lines))
            parts << tr("only the last %L1 lines were fetched while online").arg(log.lines);
        const qsizetype lineCount = log.text.count(QLatin1Char('\n'));
        if (lineCount > m_options.maxBlocks)
            parts << tr("the view keeps the last %L1 lines; Copy and Save As take all %L2")
                         .arg(m_options.maxBlocks)
                         .arg(lineCount);
    }
    if (isFollowing())
        parts << tr("following every %L1 s").arg(qMax(1, m_options.followIntervalMs / 1000));
    else if (m_followWanted && TaskStatus::isFinal(m_status))
        parts << tr("the task has finished");
    m_statusLine->setText(parts.join(QStringLiteral(" \u00b7 ")));
}

void TaskOutputViewer::copyText()
{
    if (m_view->textCursor().hasSelection()) {
        m_view->copy();
        return;
    }
    QGuiApplication::clipboard()->setText(text());
}

void TaskOutputViewer::saveAs()
{
    const QString suggested
        = QStringLiteral("task-%1-%2.log")
              .arg(QString::number(m_taskId),
                  m_stream == TaskLogStream::Stdout ? QStringLiteral("stdout") : QStringLiteral("stderr"));
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    auto *dialog = new QFileDialog(this, tr("Save Task Output"), dir + QLatin1Char('/') + suggested);
    dialog->setObjectName(QStringLiteral("saveOutputDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setNameFilters({tr("Log files (*.log *.txt)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        if (auto saved = saveTo(path); !saved)
            m_banner->showError(saved.error().message);
    });
    dialog->open();
}

Status TaskOutputViewer::saveTo(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::make(Error::Code::Io, tr("Could not write %1: %2").arg(path, file.errorString()));
    file.write(text().toUtf8());
    if (!file.commit())
        return Error::make(Error::Code::Io, tr("Could not write %1: %2").arg(path, file.errorString()));
    return {};
}

void TaskOutputViewer::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    updateFollow();
}

void TaskOutputViewer::hideEvent(QHideEvent *event)
{
    QDialog::hideEvent(event);
    updateFollow();
}

} // namespace rk
