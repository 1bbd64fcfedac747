// Opening and creating: every way a file can be wrong gets its own error, and a file that is
// refused is left exactly as it was.

#include "StoreTestSupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QRandomGenerator>

#include <unistd.h>

using namespace rk;
using namespace rktest;

class TestPlatformStoreOpen : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString nextPath(const QString &stem)
    {
        return m_dir.filePath(QStringLiteral("%1-%2.db").arg(stem).arg(++m_counter));
    }

    // Opens read-write and read-only; both must fail with `code` and a message naming the file
    // (or `mention`), and the file must be byte-for-byte unchanged.
    void expectRefused(const QString &path, Error::Code code, const QString &mention)
    {
        const QByteArray before = fileDigest(path);
        QVERIFY(!before.isEmpty() || QFileInfo(path).size() == 0);
        for (const auto access : {PlatformStore::Access::ReadWrite, PlatformStore::Access::ReadOnly}) {
            auto store = PlatformStore::open(path, access, 200);
            QVERIFY2(!store.ok(), "the open should have failed");
            QCOMPARE(store.error().code, code);
            QVERIFY2(store.error().message.contains(mention), qPrintable(store.error().message));
        }
        QCOMPARE(fileDigest(path), before);
        QVERIFY(!QFile::exists(path + QStringLiteral("-journal")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<rk::StoreTable>();
    }

    void createsANewPlatformDatabase()
    {
        const QString path = nextPath(QStringLiteral("new"));
        auto created = PlatformStore::create(path);
        QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().message));
        QVERIFY(created.value()->needsFirstAdmin());
        QVERIFY(!created.value()->isReadOnly());
        QCOMPARE(created.value()->path(), path);
        created.value().reset();

        auto db = openRaw(path);
        QCOMPARE(scalarOf(*db, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("delete"));
        QCOMPARE(scalarOf(*db, QStringLiteral("PRAGMA user_version")).toLongLong(), qint64(0));
        QVERIFY(schema::verify(*db).ok());
        QVERIFY(schema::hasRiverkeeperTables(*db));

        // Creating over an existing file is refused and leaves it alone.
        const QByteArray before = fileDigest(path);
        auto again = PlatformStore::create(path);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, Error::Code::Conflict);
        QCOMPARE(fileDigest(path), before);
    }

    void createInAMissingFolderLeavesNothing()
    {
        const QString path = m_dir.filePath(QStringLiteral("no/such/folder/x.db"));
        auto created = PlatformStore::create(path);
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, Error::Code::Io);
        QVERIFY(!QFile::exists(path));
    }

    void missingFile()
    {
        auto store = PlatformStore::open(
            m_dir.filePath(QStringLiteral("absent.db")), PlatformStore::Access::ReadWrite);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code, Error::Code::NotFound);
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("absent.db"))));
    }

    void notSqlite()
    {
        const QString path = nextPath(QStringLiteral("random"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray junk(8192, '\0');
        for (char &c : junk)
            c = static_cast<char>(QRandomGenerator::global()->bounded(256));
        file.write(junk);
        file.close();
        expectRefused(path, Error::Code::NotADatabase, QFileInfo(path).fileName());
    }

    void emptySqliteDatabase()
    {
        const QString path = nextPath(QStringLiteral("empty"));
        {
            auto db = openRaw(path, SqliteDatabase::OpenMode::CreateNew);
            QVERIFY(db);
            // A real, initialised but table-less file (a zero-byte file is "empty" too).
            QVERIFY(execOk(*db, QStringLiteral("CREATE TABLE t (x); DROP TABLE t;")));
        }
        QVERIFY(QFileInfo(path).size() > 0);
        expectRefused(path, Error::Code::NotADatabase, QStringLiteral("empty"));

        const QString zero = nextPath(QStringLiteral("zero"));
        {
            QFile f(zero);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        expectRefused(zero, Error::Code::NotADatabase, QStringLiteral("empty"));
    }

    void sqliteWithOtherTables()
    {
        const QString path = nextPath(QStringLiteral("other"));
        {
            auto db = openRaw(path, SqliteDatabase::OpenMode::CreateNew);
            QVERIFY(execOk(*db,
                QStringLiteral("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT);"
                               "INSERT INTO photos (path) VALUES ('a.jpg');")));
        }
        expectRefused(path, Error::Code::NotADatabase, QStringLiteral("photos"));
    }

    void unknownSchema()
    {
        const QString path = nextPath(QStringLiteral("unknown"));
        {
            auto db = openRaw(path, SqliteDatabase::OpenMode::CreateNew);
            for (const QString &sql : schema::hostDdl()) {
                QString ddl = sql;
                // A users table without the role column.
                ddl.replace(QStringLiteral(R"("role" VARCHAR(20) NOT NULL, )"), QString());
                QVERIFY(execOk(*db, ddl));
            }
        }
        expectRefused(path, Error::Code::UnknownSchema, QStringLiteral("role"));
    }

    void missingHostTable()
    {
        const QString path = nextPath(QStringLiteral("notasks"));
        QVERIFY(createHostDb(path));
        {
            auto db = openRaw(path);
            QVERIFY(execOk(*db, QStringLiteral("DROP TABLE tasks")));
        }
        expectRefused(path, Error::Code::UnknownSchema, QStringLiteral("tasks"));
    }

    void newerRiverkeeperSchema()
    {
        const QString path = nextPath(QStringLiteral("newer"));
        QVERIFY(PlatformStore::create(path).ok());
        {
            auto db = openRaw(path);
            QVERIFY(execOk(*db,
                QStringLiteral("UPDATE rk_meta SET value = '%1' WHERE key = 'schema_version'")
                    .arg(schema::kRiverkeeperVersion + 1)));
        }
        expectRefused(path, Error::Code::UnknownSchema, QStringLiteral("newer"));
    }

    void lockedByAnotherProgram()
    {
        const QString path = nextPath(QStringLiteral("locked"));
        QVERIFY(createHostDb(path)); // no rk_ tables yet: opening read-write would add them
        auto holder = openRaw(path);
        QVERIFY(holder);
        QVERIFY(execOk(*holder, QStringLiteral("BEGIN EXCLUSIVE")));
        const QByteArray before = fileDigest(path);

        QElapsedTimer timer;
        timer.start();
        auto store = PlatformStore::open(path, PlatformStore::Access::ReadWrite, 200);
        QVERIFY(!store.ok());
        QCOMPARE(store.error().code, Error::Code::Locked);
        QVERIFY2(store.error().message.contains(QStringLiteral("locked")), qPrintable(store.error().message));
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(fileDigest(path), before);

        QVERIFY(execOk(*holder, QStringLiteral("COMMIT")));
        // Opened while free, then another program takes the write lock: the first write is Locked
        // and changes nothing.
        auto opened = PlatformStore::open(path, PlatformStore::Access::ReadWrite, 200);
        QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
        PlatformStore &s = *opened.value();
        QVERIFY(s.needsFirstAdmin());
        QVERIFY(execOk(*holder, QStringLiteral("BEGIN IMMEDIATE")));
        const QByteArray held = fileDigest(path);
        auto admin = s.createFirstAdmin(QStringLiteral("root"), QString(),
            quickHash(QStringLiteral("rootpass123")), QStringLiteral("test"));
        QVERIFY(!admin.ok());
        QCOMPARE(admin.error().code, Error::Code::Locked);
        QVERIFY(!s.database().inTransaction());
        QCOMPARE(fileDigest(path), held);
        QVERIFY(execOk(*holder, QStringLiteral("ROLLBACK")));
        // And once the lock is gone it works.
        QVERIFY(s.createFirstAdmin(QStringLiteral("root"), QString(),
                     quickHash(QStringLiteral("rootpass123")), QStringLiteral("test"))
                    .ok());
    }

    void readOnlyFile()
    {
        const QString path = nextPath(QStringLiteral("readonly"));
        {
            auto fresh = makeFreshStore(m_dir, QFileInfo(path).fileName());
            QVERIFY(fresh.store);
        }
        // Access::ReadOnly: every mutation is refused up front, whoever asks.
        {
            const QByteArray before = fileDigest(path);
            auto store = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
            QVERIFY(store.ok());
            PlatformStore &s = *store.value();
            QVERIFY(s.isReadOnly());
            const Actor admin = actorFor(1, QStringLiteral("root"), Role::Admin);
            QVERIFY(s.listUsers(admin).ok());
            auto created
                = s.createUser(admin, NewUser {QStringLiteral("x"), {}, QStringLiteral("user"), true},
                    quickHash(QStringLiteral("password123")));
            QCOMPARE(created.error().code, Error::Code::ReadOnly);
            QVERIFY(created.error().message.contains(QStringLiteral("read-only")));
            QCOMPARE(s.setSetting(admin, QStringLiteral("a"), QStringLiteral("b")).error().code,
                Error::Code::ReadOnly);
            QCOMPARE(s.createGroup(admin, QStringLiteral("g")).error().code, Error::Code::ReadOnly);
            QCOMPARE(s.createFirstAdmin(QStringLiteral("y"), {}, quickHash(QStringLiteral("password123")), {})
                         .error()
                         .code,
                Error::Code::ReadOnly);
            // Even a viewer gets ReadOnly (the file is checked before the role).
            const Actor viewer = actorFor(9, QStringLiteral("v"), Role::Viewer);
            QCOMPARE(s.deleteUser(viewer, 1).error().code, Error::Code::ReadOnly);
            store.value().reset();
            QCOMPARE(fileDigest(path), before);
        }
        if (::geteuid() == 0)
            QSKIP("Running as root: chmod 0444 does not stop root from writing, so the file-permission "
                  "half of this test cannot be checked here (the Access::ReadOnly half above ran).");
        QVERIFY(QFile::setPermissions(
            path, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
        const QByteArray before = fileDigest(path);
        auto rw = PlatformStore::open(path, PlatformStore::Access::ReadWrite);
        QVERIFY(!rw.ok());
        QCOMPARE(rw.error().code, Error::Code::ReadOnly);
        QVERIFY(rw.error().message.contains(QStringLiteral("read-only")));
        auto ro = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
        QVERIFY(ro.ok());
        QVERIFY(ro.value()->isReadOnly());
        ro.value().reset();
        QCOMPARE(fileDigest(path), before);
    }

    void corruptFile()
    {
        const QString path = nextPath(QStringLiteral("corrupt"));
        QVERIFY(createHostDb(path));
        {
            auto db = openRaw(path);
            QVERIFY(execOk(*db, QStringLiteral("BEGIN")));
            for (int i = 0; i < 400; ++i) {
                QVERIFY(
                    insertHostUser(*db, QStringLiteral("user%1-%2").arg(i).arg(QString(60, QLatin1Char('x'))),
                        QStringLiteral("user"))
                    > 0);
            }
            QVERIFY(execOk(*db, QStringLiteral("COMMIT")));
        }
        // Overwrite a stretch in the middle of the file.
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            const qint64 size = f.size();
            QVERIFY(size > 40960);
            QVERIFY(f.seek(size / 2 - size / 8));
            f.write(QByteArray(size / 4, '\xA5'));
        }
        const QByteArray before = fileDigest(path);
        for (const auto access : {PlatformStore::Access::ReadWrite, PlatformStore::Access::ReadOnly}) {
            auto store = PlatformStore::open(path, access, 200);
            Error::Code code = Error::Code::Internal;
            if (!store.ok()) {
                code = store.error().code;
            } else {
                auto users = store.value()->listUsers(actorFor(1, QStringLiteral("a"), Role::Admin));
                QVERIFY2(!users.ok(), "reading a damaged table should fail");
                code = users.error().code;
            }
            QVERIFY2(code == Error::Code::Corrupt || code == Error::Code::NotADatabase,
                qPrintable(QString::number(int(code))));
        }
        QCOMPARE(fileDigest(path), before);
    }

    void createFailingHalfWayRemovesTheFile()
    {
        // The only way to make createAll fail after the file exists, without hooks in production
        // code: a folder that stops being writable is not enough as root, so this case uses a
        // path whose journal cannot be created (a directory named like the journal).
        const QString path = nextPath(QStringLiteral("halfway"));
        QVERIFY(QDir().mkpath(path + QStringLiteral("-journal")));
        auto created = PlatformStore::create(path);
        QVERIFY(!created.ok());
        QVERIFY2(!QFile::exists(path), "the half-made file must be removed");
        QVERIFY(QDir().rmdir(path + QStringLiteral("-journal")));
    }
};

RK_TEST_GUILESS_MAIN(TestPlatformStoreOpen)
#include "TestPlatformStoreOpen.moc"
