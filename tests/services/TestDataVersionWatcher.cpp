#include "RkTest.h"
#include "core/Secrets.h"
#include "services/DataVersionWatcher.h"
#include "store/PlatformStore.h"
#include "store/SqliteDatabase.h"

#include <QSignalSpy>
#include <QTemporaryDir>

using namespace rk;

namespace {
// Fires only when told to.
class ManualScheduler final : public PollScheduler
{
public:
    explicit ManualScheduler(std::function<void()> *slot) : m_slot(slot) { }
    void schedule(int, std::function<void()> fire) override { *m_slot = std::move(fire); }
    void cancel() override { *m_slot = nullptr; }

private:
    std::function<void()> *m_slot;
};
} // namespace

class TestDataVersionWatcher : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<PlatformStore> m_store;
    Actor m_admin;

    // "The host" writing: a separate connection, as another process would have.
    void hostWrites()
    {
        auto db = SqliteDatabase::open(m_path, SqliteDatabase::OpenMode::ReadWrite);
        QVERIFY(db);
        QVERIFY(db.value()->exec(QStringLiteral("UPDATE users SET display_name = display_name || '!'")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_path = m_dir.filePath(QStringLiteral("platform.db"));
        auto store = PlatformStore::create(m_path);
        QVERIFY(store);
        m_store = std::move(store).value();
        auto admin = m_store->createFirstAdmin(QStringLiteral("root"), QStringLiteral("Root"),
            Passwords::hash(QStringLiteral("rootpass123"), 4).value(), QStringLiteral("test@host"));
        QVERIFY(admin);
        m_admin = admin.value();
    }

    void seesOtherConnectionsCommit()
    {
        auto watcher = DataVersionWatcher::open(m_path);
        QVERIFY2(watcher, watcher ? "" : qPrintable(watcher.error().message));
        QSignalSpy changed(watcher->get(), &DataVersionWatcher::changed);
        QVERIFY(!watcher.value()->checkNow());
        hostWrites();
        QVERIFY(watcher.value()->checkNow());
        QCOMPARE(changed.count(), 1);
        QVERIFY(!watcher.value()->checkNow()); // once per change
        // Its own connection also sees the app's store commit.
        QVERIFY(m_store->setSetting(m_admin, QStringLiteral("general.platform_name"), QStringLiteral("Lab")));
        QVERIFY(watcher.value()->checkNow());
        QCOMPARE(changed.count(), 2);
    }

    void borrowedStoreSeesOnlyOthers()
    {
        DataVersionWatcher watcher(m_store.get());
        (void)watcher.checkNow(); // settle the baseline
        QSignalSpy changed(&watcher, &DataVersionWatcher::changed);
        QVERIFY(
            m_store->setSetting(m_admin, QStringLiteral("general.platform_name"), QStringLiteral("Lab 2")));
        QVERIFY(!watcher.checkNow()); // its own commits: reported by PlatformStore::changed instead
        hostWrites();
        QVERIFY(watcher.checkNow());
        QCOMPARE(changed.count(), 1);
    }

    void drivesAPoller()
    {
        auto watcher = DataVersionWatcher::open(m_path);
        QVERIFY(watcher);
        std::function<void()> due;
        Poller poller(watcher.value()->check(), std::make_unique<ManualScheduler>(&due));
        QSignalSpy changed(watcher->get(), &DataVersionWatcher::changed);
        QSignalSpy finished(&poller, &Poller::checkFinished);
        poller.start();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(changed.count(), 0);
        QVERIFY(due);
        hostWrites();
        std::exchange(due, nullptr)();
        QCOMPARE(finished.count(), 2);
        QVERIFY(finished.at(1).at(0).toBool());
        QCOMPARE(changed.count(), 1);
        std::exchange(due, nullptr)();
        QCOMPARE(changed.count(), 1);
        // The watcher going away first leaves a failing check, not a crash.
        watcher.value().reset();
        std::exchange(due, nullptr)();
        QCOMPARE(finished.count(), 4);
        QVERIFY(!finished.at(3).at(0).toBool());
    }

    void refusesWhatIsNotAPlatformDatabase()
    {
        QVERIFY(!DataVersionWatcher::open(m_dir.filePath(QStringLiteral("missing.db"))));
    }
};

RK_TEST_GUILESS_MAIN(TestDataVersionWatcher)
#include "TestDataVersionWatcher.moc"
