#include "FakeHost.h"
#include "RkTest.h"
#include "host/HostClient.h"
#include "mirror/HostMirror.h"
#include "tasks/TaskLogSource.h"
#include "tasks/TaskOutputViewer.h"
#include "widgets/InlineBanner.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabBar>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace rk;
using namespace rk::test;

namespace {

QString logPath(qint64 taskId, const char *stream)
{
    return QStringLiteral("/api/tasks/%1/%2").arg(QString::number(taskId), QString::fromLatin1(stream));
}

// A source under the test's control: answers what `text` holds at the time of each fetch.
class ScriptedSource : public TaskLogSource
{
public:
    QString text;
    QString status = QStringLiteral("running");
    int fetches = 0;

    void fetch(qint64 taskId, TaskLogStream stream, int lines, QObject *context, LogCallback done) override
    {
        ++fetches;
        TaskLog log;
        log.taskId = taskId;
        log.stream = stream;
        log.text = tail(text, lines);
        log.lines = lines;
        log.fetchedAt = hosttime::nowDbText();
        later(context, [log, done = std::move(done)]() { done(log); });
    }
    std::optional<MirrorTaskLog> cached(qint64, TaskLogStream) const override { return std::nullopt; }
    void fetchStatus(qint64, QObject *context, StatusCallback done) override
    {
        const QString s = status;
        later(context, [s, done = std::move(done)]() { done(s); });
    }
    bool isLive() const override { return true; }
};

QString numbered(int from, int to)
{
    QString out;
    for (int i = from; i < to; ++i)
        out += QStringLiteral("line %1\n").arg(i);
    return out;
}

} // namespace

class TestTaskOutputViewer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<HostClient> m_client;
    std::unique_ptr<HostMirror> m_mirror;
    std::unique_ptr<HostTaskLogSource> m_source;
    int m_counter = 0;

    TaskOutputViewer::Options options(int followMs = 60000, int lines = 100)
    {
        TaskOutputViewer::Options o;
        o.followIntervalMs = followMs;
        o.defaultLines = lines;
        return o;
    }
    InlineBanner *banner(TaskOutputViewer &v) const
    {
        return v.findChild<InlineBanner *>(QStringLiteral("outputBanner"));
    }
    QString shown(TaskOutputViewer &v) const { return v.outputView()->toPlainText(); }
    const RecordedRequest *lastRequestTo(const QString &path) const
    {
        const auto &all = m_host->requests();
        for (auto it = all.crbegin(); it != all.crend(); ++it) {
            if (it->path == path)
                return &*it;
        }
        return nullptr;
    }

private Q_SLOTS:
    void init();
    void cleanup();
    void fetchesTheTailAndKeepsItInTheMirror();
    void showsStderr();
    void followRefetchesWhileRunningAndStopsWhenFinished();
    void statusFromThePageStopsFollowing();
    void offlineFallsBackToTheMirror();
    void mirrorSourceReadsOnlyTheCache();
    void switchesToTheOfflineSource();
    void viewerRoleSeesTheHostsReason();
    void missingFileIsEmptyNotAnError();
    void bigOutputIsAppendedInChunksAndFollowsTheEnd();
    void copiesAndSaves();
    void followKeepsTheEndUnlessScrolledUp();
    void tailHelper();
};

void TestTaskOutputViewer::init()
{
    QVERIFY(m_dir.isValid());
    m_host = std::make_unique<FakeHost>();
    QVERIFY(m_host->start());
    m_client = std::make_unique<HostClient>();
    m_client->setBaseUrl(m_host->baseUrl());
    m_client->setAuth(HostAuth::bearer(m_host->seed().userToken)); // owns the running task
    HostClientOptions o;
    o.maxAttempts = 1;
    o.timeout = std::chrono::milliseconds(5000);
    m_client->setOptions(o);
    auto mirror = HostMirror::open(m_dir.filePath(QStringLiteral("mirror-%1.db").arg(++m_counter)));
    QVERIFY(mirror);
    m_mirror = std::move(mirror).value();
    m_source = std::make_unique<HostTaskLogSource>(m_client.get(), m_mirror.get());
}

void TestTaskOutputViewer::cleanup()
{
    m_source.reset();
    m_mirror.reset();
    m_client.reset();
    m_host.reset();
}

void TestTaskOutputViewer::fetchesTheTailAndKeepsItInTheMirror()
{
    const qint64 id = m_host->seed().runningTaskId;
    QVERIFY(id > (qint64(1) << 53));
    TaskOutputViewer viewer(
        m_source.get(), id, QStringLiteral("render"), QStringLiteral("completed"), options(60000, 3));
    QSignalSpy shownSpy(&viewer, &TaskOutputViewer::outputShown);
    QVERIFY(shownSpy.wait());
    QCOMPARE(shown(viewer), QStringLiteral("line 3\nline 4\nline 5\n"));
    const RecordedRequest *request = lastRequestTo(logPath(id, "stdout"));
    QVERIFY(request);
    QCOMPARE(request->query(QStringLiteral("lines")), QStringLiteral("3"));
    QVERIFY(!viewer.isFromCache());
    QVERIFY(viewer.statusText().contains(QStringLiteral("last 3 lines")));
    QVERIFY(!banner(viewer)->isVisibleTo(&viewer));

    auto stored = m_mirror->taskLog(id, TaskLogStream::Stdout);
    QVERIFY(stored);
    QCOMPARE(stored->text, QStringLiteral("line 3\nline 4\nline 5\n"));
    QCOMPARE(stored->lines, 3);

    // 0: the whole file, without ?lines.
    auto *spin = viewer.findChild<QSpinBox *>(QStringLiteral("linesSpin"));
    QVERIFY(spin);
    QCOMPARE(spin->value(), 3);
    viewer.setLines(0);
    QCOMPARE(spin->value(), 0);
    QVERIFY(shownSpy.wait());
    QCOMPARE(shown(viewer), QStringLiteral("line 1\nline 2\nline 3\nline 4\nline 5\n"));
    request = lastRequestTo(logPath(id, "stdout"));
    QVERIFY(request && !request->hasQuery(QStringLiteral("lines")));
    stored = m_mirror->taskLog(id, TaskLogStream::Stdout);
    QVERIFY(stored);
    QCOMPARE(stored->lines, 0);
    QCOMPARE(stored->text, QStringLiteral("line 1\nline 2\nline 3\nline 4\nline 5\n"));
}

void TestTaskOutputViewer::showsStderr()
{
    const qint64 id = m_host->seed().runningTaskId;
    TaskOutputViewer viewer(
        m_source.get(), id, QStringLiteral("render"), QStringLiteral("completed"), options());
    QSignalSpy shownSpy(&viewer, &TaskOutputViewer::outputShown);
    QVERIFY(shownSpy.wait());
    auto *tabs = viewer.findChild<QTabBar *>(QStringLiteral("streamTabs"));
    QVERIFY(tabs);
    tabs->setCurrentIndex(1);
    QCOMPARE(viewer.stream(), TaskLogStream::Stderr);
    QTRY_COMPARE(shown(viewer), QStringLiteral("warning: low disk\n"));
    const RecordedRequest *request = lastRequestTo(logPath(id, "stderr"));
    QVERIFY(request);
    QCOMPARE(request->query(QStringLiteral("lines")), QStringLiteral("100"));
    const auto stored = m_mirror->taskLog(id, TaskLogStream::Stderr);
    QVERIFY(stored);
    QCOMPARE(stored->text, QStringLiteral("warning: low disk\n"));
    // Back to stdout: the text fetched before shows again.
    tabs->setCurrentIndex(0);
    QTRY_VERIFY(shown(viewer).startsWith(QStringLiteral("line 1")));
}

void TestTaskOutputViewer::followRefetchesWhileRunningAndStopsWhenFinished()
{
    const qint64 id = m_host->seed().runningTaskId;
    TaskOutputViewer viewer(
        m_source.get(), id, QStringLiteral("render"), QStringLiteral("running"), options(100));
    auto *follow = viewer.findChild<QCheckBox *>(QStringLiteral("followCheck"));
    QVERIFY(follow);
    QVERIFY(follow->isChecked()); // on by default for a running task
    QVERIFY(viewer.isFollowing());
    const QString statusPath = QStringLiteral("/api/status/%1").arg(QString::number(id));
    QTRY_VERIFY(m_host->server().count("GET", logPath(id, "stdout")) >= 3);
    QTRY_VERIFY(m_host->server().count("GET", statusPath) >= 1);
    QVERIFY(viewer.isFollowing());

    // The task ends on the host (killed): the next status check stops following.
    HostCall<HostMessage> *kill = m_client->killTask(id);
    QSignalSpy killed(kill, &HostJob::finished);
    QVERIFY(killed.wait());
    QTRY_COMPARE(viewer.taskStatus(), QStringLiteral("killed"));
    QTRY_VERIFY(!viewer.isFollowing());
    QTRY_VERIFY(!viewer.isBusy());
    QVERIFY(!follow->isChecked());
    QVERIFY(!follow->isEnabled());
    const int fetches = m_host->server().count("GET", logPath(id, "stdout"));
    QSignalSpy more(&m_host->server(), &FakeHttpServer::requestReceived);
    QVERIFY(!more.wait(500));
    QCOMPARE(m_host->server().count("GET", logPath(id, "stdout")), fetches);
}

void TestTaskOutputViewer::statusFromThePageStopsFollowing()
{
    const qint64 id = m_host->seed().runningTaskId;
    TaskOutputViewer viewer(
        m_source.get(), id, QStringLiteral("render"), QStringLiteral("running"), options(100));
    QSignalSpy following(&viewer, &TaskOutputViewer::followingChanged);
    QTRY_VERIFY(m_host->server().count("GET", logPath(id, "stdout")) >= 2);
    QTRY_VERIFY(!viewer.isBusy());
    const int before = m_host->server().count("GET", logPath(id, "stdout"));
    viewer.setTaskStatus(QStringLiteral("completed"));
    QVERIFY(!viewer.isFollowing());
    QCOMPARE(following.size(), 1);
    QCOMPARE(following.at(0).at(0).toBool(), false);
    // One last read, so the end of the output is not missed.
    QTRY_COMPARE(m_host->server().count("GET", logPath(id, "stdout")), before + 1);
    QVERIFY(viewer.statusText().contains(QStringLiteral("finished")));
    // Asking to follow a finished task does nothing.
    viewer.setFollow(true);
    QVERIFY(!viewer.isFollowing());
    // An out-of-date copy of the task (a mirror not synced yet) does not bring it back.
    viewer.setTaskStatus(QStringLiteral("running"));
    QCOMPARE(viewer.taskStatus(), QStringLiteral("completed"));
    QVERIFY(!viewer.isFollowing());
}

void TestTaskOutputViewer::offlineFallsBackToTheMirror()
{
    const qint64 id = m_host->seed().runningTaskId;
    {
        TaskOutputViewer online(
            m_source.get(), id, QStringLiteral("render"), QStringLiteral("completed"), options());
        QSignalSpy shownSpy(&online, &TaskOutputViewer::outputShown);
        QVERIFY(shownSpy.wait());
        QVERIFY(!online.isFromCache());
    }
    QVERIFY(m_mirror->taskLog(id, TaskLogStream::Stdout));

    // The host goes away: nothing listens there any more.
    m_host.reset();
    TaskOutputViewer offline(
        m_source.get(), id, QStringLiteral("render"), QStringLiteral("running"), options(60000, 2));
    QSignalSpy shownSpy(&offline, &TaskOutputViewer::outputShown);
    QVERIFY(shownSpy.wait(10000));
    QVERIFY(offline.isFromCache());
    // The stored tail was 100 lines (all 5); 2 were asked for.
    QCOMPARE(shown(offline), QStringLiteral("line 4\nline 5\n"));
    QVERIFY2(offline.statusText().startsWith(QStringLiteral("Offline, fetched ")),
        qPrintable(offline.statusText()));
    const QString hhmm = hosttime::toDateTime(m_mirror->taskLog(id, TaskLogStream::Stdout)->fetchedAt)
                             .toString(QStringLiteral("HH:mm"));
    QVERIFY(offline.statusText().contains(hhmm));
    QVERIFY(!banner(offline)->isVisibleTo(&offline));

    // A stream never fetched has no copy: the reason shows.
    offline.setStream(TaskLogStream::Stderr);
    QVERIFY(shownSpy.wait(10000));
    QVERIFY(banner(offline)->isVisibleTo(&offline));
    QVERIFY(!banner(offline)->text().isEmpty());
}

void TestTaskOutputViewer::mirrorSourceReadsOnlyTheCache()
{
    const qint64 id = 7523400000000000001LL;
    QVERIFY(m_mirror->storeTaskLog(id, TaskLogStream::Stdout, QStringLiteral("a\nb\nc\n"), 0));
    MirrorTaskLogSource source(m_mirror.get());
    TaskOutputViewer viewer(&source, id, QString(), QStringLiteral("running"), options(100));
    QSignalSpy shownSpy(&viewer, &TaskOutputViewer::outputShown);
    QVERIFY(shownSpy.wait());
    QCOMPARE(shown(viewer), QStringLiteral("a\nb\nc\n"));
    QVERIFY(viewer.isFromCache());
    QVERIFY(viewer.statusText().startsWith(QStringLiteral("Offline, fetched ")));
    // No host, nothing to follow.
    QVERIFY(!viewer.isFollowing());
    QVERIFY(!viewer.findChild<QCheckBox *>(QStringLiteral("followCheck"))->isEnabled());
    viewer.setStream(TaskLogStream::Stderr);
    QVERIFY(shownSpy.wait());
    QVERIFY(banner(viewer)->text().contains(QStringLiteral("never fetched")));
}

void TestTaskOutputViewer::switchesToTheOfflineSource()
{
    const qint64 id = m_host->seed().runningTaskId;
    TaskOutputViewer viewer(
        m_source.get(), id, QStringLiteral("render"), QStringLiteral("running"), options(100));
    QSignalSpy shownSpy(&viewer, &TaskOutputViewer::outputShown);
    QVERIFY(shownSpy.wait());
    QVERIFY(viewer.isFollowing());
    QVERIFY(!viewer.isFromCache());

    MirrorTaskLogSource offline(m_mirror.get());
    viewer.setSource(&offline);
    QTRY_VERIFY(viewer.isFromCache());
    QVERIFY(!viewer.isFollowing()); // nothing to follow offline
    QCOMPARE(shown(viewer), QStringLiteral("line 1\nline 2\nline 3\nline 4\nline 5\n"));
    QVERIFY(viewer.statusText().startsWith(QStringLiteral("Offline, fetched ")));

    // Back online: following resumes.
    viewer.setSource(m_source.get());
    QVERIFY(viewer.isFollowing());
    QTRY_VERIFY(!viewer.isFromCache());
}

void TestTaskOutputViewer::viewerRoleSeesTheHostsReason()
{
    m_client->setAuth(HostAuth::bearer(m_host->seed().viewerToken));
    const qint64 id = m_host->seed().runningTaskId;
    TaskOutputViewer viewer(
        m_source.get(), id, QStringLiteral("render"), QStringLiteral("completed"), options());
    QSignalSpy shownSpy(&viewer, &TaskOutputViewer::outputShown);
    QVERIFY(shownSpy.wait());
    QVERIFY(shown(viewer).isEmpty());
    InlineBanner *b = banner(viewer);
    QVERIFY(b->isVisibleTo(&viewer));
    QCOMPARE(b->kind(), InlineBanner::Kind::Error);
    QVERIFY2(b->text().contains(QStringLiteral("Permission denied")), qPrintable(b->text()));
    QVERIFY(!m_mirror->taskLog(id, TaskLogStream::Stdout)); // nothing stored from a refusal
}

void TestTaskOutputViewer::missingFileIsEmptyNotAnError()
{
    m_client->setAuth(HostAuth::bearer(m_host->seed().adminToken));
    const qint64 id = m_host->seed().completedTaskId; // no log files on the host
    TaskOutputViewer viewer(
        m_source.get(), id, QStringLiteral("done"), QStringLiteral("completed"), options());
    QSignalSpy shownSpy(&viewer, &TaskOutputViewer::outputShown);
    QVERIFY(shownSpy.wait());
    QVERIFY(shown(viewer).isEmpty());
    QVERIFY(!banner(viewer)->isVisibleTo(&viewer));
    QVERIFY(!viewer.outputView()->placeholderText().isEmpty());
    const auto stored = m_mirror->taskLog(id, TaskLogStream::Stdout);
    QVERIFY(stored && stored->text.isEmpty());
}

void TestTaskOutputViewer::bigOutputIsAppendedInChunksAndFollowsTheEnd()
{
    FakeTask big;
    big.taskId = FakeHost::snowflake(QDateTime::currentMSecsSinceEpoch(), 77);
    big.name = QStringLiteral("chatty");
    big.ownerId = m_host->seed().userId;
    big.status = QStringLiteral("running");
    big.assignedNode = QStringLiteral("node-a");
    big.submittedAt = QStringLiteral("2026-11-22T03:00:00");
    QString text;
    const int lines = 120000;
    text.reserve(lines * 40);
    for (int i = 0; i < lines; ++i)
        text += QStringLiteral("step %1 loss=0.123456 lr=0.0001 ok\n").arg(i);
    big.stdoutText = text;
    m_host->addTask(big);

    TaskOutputViewer::Options o = options(60000, 0);
    o.maxBlocks = 50000;
    o.chunkChars = 64 * 1024;
    TaskOutputViewer viewer(m_source.get(), big.taskId, big.name, QStringLiteral("completed"), o);
    viewer.resize(800, 400);
    viewer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&viewer));
    QSignalSpy shownSpy(&viewer, &TaskOutputViewer::outputShown);
    QVERIFY(shownSpy.wait(30000));
    QCOMPARE(viewer.text().size(), text.size());
    QVERIFY(viewer.outputView()->blockCount() <= o.maxBlocks + 1);
    QVERIFY(viewer.outputView()->toPlainText().endsWith(
        QStringLiteral("step %1 loss=0.123456 lr=0.0001 ok\n").arg(lines - 1)));
    QVERIFY(viewer.statusText().contains(QStringLiteral("Save As")));
    QScrollBar *bar = viewer.outputView()->verticalScrollBar();
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(m_mirror->taskLog(big.taskId, TaskLogStream::Stdout)->text == text);
}

void TestTaskOutputViewer::copiesAndSaves()
{
    const qint64 id = m_host->seed().runningTaskId;
    TaskOutputViewer viewer(
        m_source.get(), id, QStringLiteral("render"), QStringLiteral("completed"), options());
    QSignalSpy shownSpy(&viewer, &TaskOutputViewer::outputShown);
    QVERIFY(shownSpy.wait());
    viewer.copyText();
    QCOMPARE(
        QGuiApplication::clipboard()->text(), QStringLiteral("line 1\nline 2\nline 3\nline 4\nline 5\n"));
    const QString path = m_dir.filePath(QStringLiteral("out.log"));
    QVERIFY(viewer.saveTo(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(file.readAll()), viewer.text());
    QVERIFY(!viewer.saveTo(m_dir.filePath(QStringLiteral("missing/dir/out.log"))));
}

void TestTaskOutputViewer::followKeepsTheEndUnlessScrolledUp()
{
    ScriptedSource source;
    source.text = numbered(0, 500);
    TaskOutputViewer viewer(&source, 42, QStringLiteral("grow"), QStringLiteral("running"), options(80, 0));
    viewer.resize(700, 300);
    viewer.show();
    QVERIFY(QTest::qWaitForWindowExposed(&viewer));
    QVERIFY(viewer.isFollowing());
    QPlainTextEdit *view = viewer.outputView();
    QScrollBar *bar = view->verticalScrollBar();
    QTRY_COMPARE(view->toPlainText(), source.text);
    QTRY_VERIFY(bar->maximum() > 0 && bar->value() == bar->maximum());

    // The output grows: the view follows its end.
    source.text += numbered(500, 800);
    QTRY_COMPARE(view->toPlainText(), source.text);
    QTRY_COMPARE(bar->value(), bar->maximum());

    // The user scrolls up to read: new output no longer moves the view.
    bar->setValue(10);
    source.text += numbered(800, 1200);
    QTRY_COMPARE(view->toPlainText(), source.text);
    QVERIFY(bar->value() < bar->maximum());
    QCOMPARE(bar->value(), 10);

    // Back at the end: following resumes.
    bar->setValue(bar->maximum());
    source.text += numbered(1200, 1300);
    QTRY_COMPARE(view->toPlainText(), source.text);
    QTRY_COMPARE(bar->value(), bar->maximum());

    // The status source says it finished: following stops.
    source.status = QStringLiteral("completed");
    QTRY_VERIFY(!viewer.isFollowing());
    QCOMPARE(viewer.taskStatus(), QStringLiteral("completed"));

    // A tail window (the last 200 lines) is replaced on each fetch; a reader scrolled up keeps
    // their place through several of them.
    ScriptedSource tailing;
    tailing.text = numbered(0, 400);
    TaskOutputViewer window(
        &tailing, 43, QStringLiteral("tail"), QStringLiteral("running"), options(80, 200));
    window.resize(700, 300);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QScrollBar *tailBar = window.outputView()->verticalScrollBar();
    QTRY_COMPARE(window.outputView()->toPlainText(), numbered(200, 400));
    QTRY_VERIFY(tailBar->maximum() > 0 && tailBar->value() == tailBar->maximum());
    tailBar->setValue(5);
    tailing.text += numbered(400, 410);
    QTRY_COMPARE(window.outputView()->toPlainText(), numbered(210, 410));
    QCOMPARE(tailBar->value(), 5);
    tailing.text += numbered(410, 420);
    QTRY_COMPARE(window.outputView()->toPlainText(), numbered(220, 420));
    QCOMPARE(tailBar->value(), 5);
}

void TestTaskOutputViewer::tailHelper()
{
    QCOMPARE(TaskLogSource::tail(QStringLiteral("a\nb\nc\n"), 2), QStringLiteral("b\nc\n"));
    QCOMPARE(TaskLogSource::tail(QStringLiteral("a\nb\nc"), 2), QStringLiteral("b\nc"));
    QCOMPARE(TaskLogSource::tail(QStringLiteral("a\nb\nc\n"), 5), QStringLiteral("a\nb\nc\n"));
    QCOMPARE(TaskLogSource::tail(QStringLiteral("a\nb\nc\n"), 0), QStringLiteral("a\nb\nc\n"));
    QCOMPARE(TaskLogSource::tail(QString(), 3), QString());
}

RK_TEST_WIDGETS_MAIN(TestTaskOutputViewer)
#include "TestTaskOutputViewer.moc"
