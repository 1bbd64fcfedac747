// HostMirror on real SQLite files: the schema (the host's own tables plus rk_mirror_*), refusing
// damaged or foreign files, every dataset write as one all-or-nothing transaction, snowflake ids,
// task logs, the audit and keeping secrets out of the file.
#include "RkTest.h"
#include "mirror/HostMirror.h"
#include "store/PlatformSchema.h"
#include "store/SqliteDatabase.h"
#include "tasks/TasksTableModel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <limits>
#include <memory>

using namespace rk;

namespace {

// Not representable in a double: a double round trip would change it.
constexpr qint64 kBigId = (qint64(1) << 62) + 12345;
const QString kToken = QStringLiteral("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

hosttime::Instant fixedNow()
{
    return {QDateTime(QDate(2026, 12, 1), QTime(14, 5, 30)).toSecsSinceEpoch(), 250000};
}

HostUser user(qint64 id, const QString &name, const QString &role = QStringLiteral("user"))
{
    HostUser u;
    u.id = id;
    u.username = name;
    u.displayName = name.toUpper();
    u.role = role;
    u.createdAt = hosttime::parse(u"2026-11-20T09:00:00.5");
    return u;
}

HostTask task(qint64 id, const QString &status, const QString &type = QStringLiteral("command"))
{
    HostTask t;
    t.taskId = id;
    t.taskType = type;
    t.name = QStringLiteral("task-%1").arg(id);
    t.ownerId = 3;
    t.command = QStringLiteral("python");
    t.arguments = {QStringLiteral("train.py")};
    t.envVars = {{QStringLiteral("SEED"), QStringLiteral("42")}};
    t.requiredCores = 2;
    t.requiredGpus = {0, 1};
    t.statusText = status;
    t.status = hoststatus::fromString(status);
    t.approvalStatus = status == QLatin1String("pending_approval") ? QStringLiteral("pending") : QString();
    t.vpsBackend = QStringLiteral("docker");
    t.stdoutPath = QStringLiteral("/logs/out");
    t.stderrPath = QStringLiteral("/logs/err");
    t.submittedAt = hosttime::parse(u"2026-11-22T02:00:05.123456");
    return t;
}

HostVps vps(qint64 id, QList<qint64> assignees)
{
    HostVps v;
    v.taskId = id;
    v.name = QStringLiteral("box-%1").arg(id);
    v.ownerId = 2;
    v.requiredCores = 2;
    v.statusText = QStringLiteral("running");
    v.status = HostTaskStatus::Running;
    v.vpsBackend = QStringLiteral("docker");
    v.submittedAt = hosttime::parse(u"2026-11-22T02:00:01");
    for (qint64 a : assignees)
        v.assignees.append({a, QStringLiteral("u%1").arg(a), QString()});
    return v;
}

} // namespace

class TestHostMirror : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<HostMirror> m_mirror;

    std::unique_ptr<SqliteDatabase> reader()
    {
        auto db = SqliteDatabase::open(m_path, SqliteDatabase::OpenMode::ReadOnly);
        if (!db)
            return nullptr;
        return std::move(db).value();
    }
    QVariant scalar(const QString &sql)
    {
        auto db = reader();
        if (!db)
            return {};
        auto v = db->scalar(sql);
        return v ? *v : QVariant();
    }
    qint64 count(const QString &table)
    {
        return scalar(QStringLiteral("SELECT count(*) FROM ") + table).toLongLong();
    }
    static void writeFile(const QString &path, const QByteArray &bytes)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(bytes), bytes.size());
    }
    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(
            QStringLiteral("sub/folder/mirror-%1.db").arg(QString::fromLatin1(QTest::currentTestFunction())));
        auto mirror = HostMirror::open(m_path);
        QVERIFY2(mirror.ok(), qPrintable(mirror.ok() ? QString() : mirror.error().message));
        m_mirror = std::move(mirror).value();
        m_mirror->setClock(&fixedNow);
    }
    void cleanup() { m_mirror.reset(); }

    void defaultPathIsPerProfileUnderAppData()
    {
        const QString path = HostMirror::defaultPath(QStringLiteral("profile-42"));
        QVERIFY(path.startsWith(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
        QVERIFY(path.endsWith(QStringLiteral("/mirrors/profile-42.db")));
    }

    void createsTheHostSchemaAndItsOwnTables()
    {
        QVERIFY(QFile::exists(m_path)); // the folders were made too
        const auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
        QCOMPARE(QFile::permissions(m_path) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser), ownerOnly);
        QCOMPARE(QFile::permissions(QFileInfo(m_path).absolutePath())
                & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::ExeOther),
            QFileDevice::Permissions());
        auto db = reader();
        QVERIFY(db);
        QVERIFY(schema::verify(*db).ok());
        for (const char *table : {"users", "sessions", "tokens", "groups", "user_groups", "invitations",
                 "vps_assignments", "tasks", "nodes", "rk_mirror_meta", "rk_mirror_audit", "rk_task_logs"})
            QVERIFY2(schema::hasTable(*db, QString::fromLatin1(table)), table);
        QCOMPARE(scalar(QStringLiteral("SELECT value FROM rk_mirror_meta WHERE key = 'schema_version'"))
                     .toString(),
            QString::number(HostMirror::kSchemaVersion));
        // The host's DDL byte for byte: the tasks table as peewee creates it.
        QVERIFY(scalar(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'tasks'"))
                    .toString()
                    .startsWith(
                        QStringLiteral(R"(CREATE TABLE "tasks" ("task_id" INTEGER NOT NULL PRIMARY KEY)")));
        // Reopening an existing mirror keeps its data.
        QVERIFY(m_mirror->storeUsers({user(1, QStringLiteral("admin"))}).ok());
        m_mirror.reset();
        auto again = HostMirror::open(m_path);
        QVERIFY(again.ok());
        QCOMPARE(count(QStringLiteral("users")), 1);
    }

    void refusesAFileThatIsNotSqlite()
    {
        m_mirror.reset();
        const QByteArray junk = QByteArray("this is not a database at all ").repeated(200);
        writeFile(m_path, junk);
        auto opened = HostMirror::open(m_path);
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, Error::Code::NotADatabase);
        QVERIFY(opened.error().message.contains(QStringLiteral("Recreate")));
        QCOMPARE(readFile(m_path), junk); // left untouched
        auto recreated = HostMirror::recreate(m_path);
        QVERIFY2(recreated.ok(), qPrintable(recreated.ok() ? QString() : recreated.error().message));
        QVERIFY((*recreated)->storeUsers({user(1, QStringLiteral("admin"))}).ok());
    }

    void refusesADamagedMirror()
    {
        QList<HostTask> tasks;
        for (int i = 1; i <= 400; ++i)
            tasks.append(task(kBigId + i, QStringLiteral("running")));
        QVERIFY(m_mirror->storeTasks(tasks).ok());
        m_mirror.reset();
        QByteArray bytes = readFile(m_path);
        QVERIFY(bytes.size() > 16384);
        // Keep the 100-byte header, scribble over the rest of the first pages (the schema's b-tree).
        for (qsizetype i = 100; i < 12288; ++i)
            bytes[i] = static_cast<char>(0xA5 ^ (i & 0xff));
        writeFile(m_path, bytes);
        auto opened = HostMirror::open(m_path);
        QVERIFY(!opened.ok());
        QVERIFY2(
            opened.error().code == Error::Code::Corrupt || opened.error().code == Error::Code::NotADatabase,
            qPrintable(opened.error().message));
        auto recreated = HostMirror::recreate(m_path);
        QVERIFY(recreated.ok());
        QCOMPARE(count(QStringLiteral("tasks")), 0);
    }

    void refusesAnUnknownSchema_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::newRow("foreign database") << QStringLiteral("CREATE TABLE notes (id INTEGER, text TEXT)");
        QTest::newRow("newer mirror")
            << QStringLiteral("UPDATE rk_mirror_meta SET value = '99' WHERE key = 'schema_version'");
        QTest::newRow("missing host table") << QStringLiteral("DROP TABLE vps_assignments");
        QTest::newRow("missing mirror column")
            << QStringLiteral("DROP TABLE rk_task_logs; CREATE TABLE rk_task_logs (task_id INTEGER)");
    }
    void refusesAnUnknownSchema()
    {
        QFETCH(QString, sql);
        m_mirror.reset();
        if (sql.startsWith(QStringLiteral("CREATE TABLE notes")))
            QVERIFY(QFile::remove(m_path));
        {
            auto db = SqliteDatabase::open(m_path,
                QFile::exists(m_path) ? SqliteDatabase::OpenMode::ReadWrite
                                      : SqliteDatabase::OpenMode::CreateNew);
            QVERIFY(db.ok());
            QVERIFY((*db)->exec(sql).ok());
        }
        const QByteArray before = readFile(m_path);
        auto opened = HostMirror::open(m_path);
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().code, Error::Code::UnknownSchema);
        QCOMPARE(readFile(m_path), before);
        QVERIFY(HostMirror::recreate(m_path).ok());
    }

    void usersAreReplacedWithoutPasswordHashes()
    {
        QVERIFY(m_mirror
                    ->storeUsers({user(1, QStringLiteral("admin"), QStringLiteral("admin")),
                        user(2, QStringLiteral("olivia")), user(3, QStringLiteral("ulrich"))})
                    .ok());
        QCOMPARE(count(QStringLiteral("users")), 3);
        QVERIFY(
            m_mirror->storeUsers({user(2, QStringLiteral("olivia")), user(7, QStringLiteral("new"))}).ok());
        QCOMPARE(count(QStringLiteral("users")), 2);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM users WHERE password_hash = ''")).toInt(), 2);
        QCOMPARE(scalar(QStringLiteral("SELECT created_at FROM users WHERE id = 7")).toString(),
            QStringLiteral("2026-11-20 09:00:00.500000"));
        QCOMPARE(m_mirror->lastSynced(MirrorDataset::Users), std::optional<hosttime::Instant>(fixedNow()));
    }

    // Two users with the same id (or username) cannot both be stored: the whole list is refused
    // and the previous rows stay, sync time included.
    void aHostileUserListKeepsThePreviousRows()
    {
        QVERIFY(
            m_mirror->storeUsers({user(1, QStringLiteral("admin")), user(2, QStringLiteral("olivia"))}).ok());
        const auto syncedAt = m_mirror->lastSynced(MirrorDataset::Users);
        m_mirror->setClock([] { return fixedNow().addSecs(60); });
        QVERIFY(!m_mirror->storeUsers({user(5, QStringLiteral("x")), user(5, QStringLiteral("y"))}).ok());
        QVERIFY(
            !m_mirror->storeUsers({user(5, QStringLiteral("same")), user(6, QStringLiteral("same"))}).ok());
        QVERIFY(!m_mirror->storeUsers({user(5, QString())}).ok());
        QCOMPARE(count(QStringLiteral("users")), 2);
        QCOMPARE(scalar(QStringLiteral(
                            "SELECT group_concat(username) FROM (SELECT username FROM users ORDER BY id)"))
                     .toString(),
            QStringLiteral("admin,olivia"));
        QCOMPARE(m_mirror->lastSynced(MirrorDataset::Users), syncedAt);
    }

    void snowflakeIdsSurviveExactly()
    {
        QVERIFY(static_cast<qint64>(static_cast<double>(kBigId + 1)) != kBigId + 1);
        QVERIFY(m_mirror
                    ->storeTasks({task(kBigId + 1, QStringLiteral("running")),
                        task(std::numeric_limits<qint64>::max(), QStringLiteral("completed"))})
                    .ok());
        QCOMPARE(scalar(QStringLiteral("SELECT min(task_id) FROM tasks")).toLongLong(), kBigId + 1);
        QCOMPARE(scalar(QStringLiteral("SELECT typeof(task_id) FROM tasks LIMIT 1")).toString(),
            QStringLiteral("integer"));
        QCOMPARE(scalar(QStringLiteral("SELECT max(task_id) FROM tasks")).toLongLong(),
            std::numeric_limits<qint64>::max());

        // And through the model the task pages use.
        TasksTableModel model(m_path);
        new QAbstractItemModelTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest, &model);
        QTRY_VERIFY(!model.isLoading() && model.rowCount() == 2);
        QList<qint64> ids;
        for (int r = 0; r < model.rowCount(); ++r) {
            QTRY_VERIFY(model.data(model.index(r, 0), LazySqlTableModel::LoadedRole).toBool());
            ids.append(model.data(model.index(r, 0), LazySqlTableModel::IdRole).toLongLong());
            QCOMPARE(model.data(model.index(r, 0), TasksTableModel::TaskIdTextRole).toString(),
                QString::number(ids.last()));
        }
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids, (QList<qint64> {kBigId + 1, std::numeric_limits<qint64>::max()}));
    }

    void tasksAreUpsertedAndNeverDeletedBecauseTheyWereNotOnAPage()
    {
        HostTask a = task(kBigId + 1, QStringLiteral("running"));
        QVERIFY(m_mirror->storeTasks({a, task(kBigId + 2, QStringLiteral("completed"))}).ok());
        // Fields the API does not send keep their stored value.
        a.statusText = QStringLiteral("completed");
        a.status = HostTaskStatus::Completed;
        a.exitCode = 0;
        QVERIFY(m_mirror->storeTasks({a}).ok());
        QCOMPARE(count(QStringLiteral("tasks")), 2);
        QCOMPARE(scalar(QStringLiteral("SELECT status || ':' || exit_code FROM tasks WHERE task_id = %1")
                            .arg(kBigId + 1))
                     .toString(),
            QStringLiteral("completed:0"));
        QCOMPARE(scalar(QStringLiteral(
                            "SELECT arguments || env_vars || required_gpus FROM tasks WHERE task_id = %1")
                            .arg(kBigId + 1))
                     .toString(),
            QStringLiteral(R"(["train.py"]{"SEED": "42"}[0, 1])"));
        QCOMPARE(scalar(QStringLiteral("SELECT submitted_at FROM tasks WHERE task_id = %1").arg(kBigId + 1))
                     .toString(),
            QStringLiteral("2026-11-22 02:00:05.123456"));
        // A task without an id fails the page; the stored rows stay.
        QVERIFY(!m_mirror
                     ->storeTasks(
                         {task(kBigId + 3, QStringLiteral("running")), task(0, QStringLiteral("running"))})
                     .ok());
        QCOMPARE(count(QStringLiteral("tasks")), 2);
    }

    void pendingApprovalsThatLeftTheQueue()
    {
        const qint64 stays = kBigId + 1, approved = kBigId + 2, unknown = kBigId + 3, running = kBigId + 4;
        QVERIFY(m_mirror
                    ->storePendingApprovals({task(stays, QStringLiteral("pending_approval")),
                                                task(approved, QStringLiteral("pending_approval")),
                                                task(unknown, QStringLiteral("pending_approval"))},
                        true)
                    .ok());
        QVERIFY(m_mirror->storeTasks({task(running, QStringLiteral("running"))}).ok());
        QCOMPARE(*m_mirror->pendingApprovalIds(), (QList<qint64> {stays, approved, unknown}));

        // Not read to its end: nothing is concluded about the tasks not listed.
        QVERIFY(
            m_mirror->storePendingApprovals({task(stays, QStringLiteral("pending_approval"))}, false).ok());
        QCOMPARE(*m_mirror->pendingApprovalIds(), (QList<qint64> {stays, approved, unknown}));

        // Complete: one was resolved (approved: assigning), the other's state is unknown: removed.
        QVERIFY(m_mirror
                    ->storePendingApprovals({task(stays, QStringLiteral("pending_approval"))}, true,
                        {task(approved, QStringLiteral("assigning"))})
                    .ok());
        QCOMPARE(*m_mirror->pendingApprovalIds(), (QList<qint64> {stays}));
        QCOMPARE(
            scalar(QStringLiteral("SELECT status FROM tasks WHERE task_id = %1").arg(approved)).toString(),
            QStringLiteral("assigning"));
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM tasks WHERE task_id = %1").arg(unknown)).toInt(), 0);
        QCOMPARE(
            scalar(QStringLiteral("SELECT status FROM tasks WHERE task_id = %1").arg(running)).toString(),
            QStringLiteral("running")); // other tasks are never touched
    }

    void invitationsKeepOnlyATokenPrefix()
    {
        HostInvitation a;
        a.id = 1;
        a.token = kToken;
        a.role = QStringLiteral("viewer");
        a.maxUsage = 2;
        a.expiresAt = hosttime::parse(u"2026-12-24T10:00:00");
        a.createdAt = hosttime::parse(u"2026-11-21T08:00:00");
        HostInvitation b = a; // same first 8 characters: still both stored
        b.id = 2;
        b.token = kToken.left(8) + QStringLiteral("ffffffff").repeated(7);
        QVERIFY(m_mirror->storeInvitations({a, b}).ok());
        QCOMPARE(count(QStringLiteral("invitations")), 2);
        QCOMPARE(
            scalar(QStringLiteral("SELECT token FROM invitations WHERE id = 1")).toString(), kToken.left(8));
        QCOMPARE(scalar(QStringLiteral("SELECT max(length(token)) FROM invitations")).toInt() < 16, true);
        m_mirror.reset();
        const QByteArray bytes = readFile(m_path);
        QVERIFY(bytes.contains(kToken.left(8).toLatin1()));
        QVERIFY(!bytes.contains(kToken.toLatin1()));
        QVERIFY(!bytes.contains(kToken.left(16).toLatin1()));
        QVERIFY(!bytes.contains(b.token.toLatin1()));
    }

    void vpsAndAssignmentsAreReplaced()
    {
        QVERIFY(m_mirror->storeTasks({task(kBigId + 9, QStringLiteral("running"))}).ok());
        QVERIFY(m_mirror->storeVps({vps(kBigId + 1, {3, 4}), vps(kBigId + 2, {})}).ok());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tasks WHERE task_type = 'vps'")).toInt(), 2);
        QCOMPARE(count(QStringLiteral("vps_assignments")), 2);
        QCOMPARE(
            scalar(QStringLiteral("SELECT min(vps_task_id) FROM vps_assignments")).toLongLong(), kBigId + 1);
        const QString firstTime
            = scalar(QStringLiteral("SELECT created_at FROM vps_assignments WHERE user_id = 3")).toString();
        QCOMPARE(firstTime, hosttime::toDbText(fixedNow()));

        m_mirror->setClock([] { return fixedNow().addSecs(3600); });
        HostVps changed = vps(kBigId + 1, {3, 5});
        changed.statusText = QStringLiteral("stopped");
        changed.status = HostTaskStatus::Stopped;
        QVERIFY(m_mirror->storeVps({changed}).ok());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tasks WHERE task_type = 'vps'")).toInt(), 1);
        QCOMPARE(
            scalar(QStringLiteral("SELECT status FROM tasks WHERE task_id = %1").arg(kBigId + 1)).toString(),
            QStringLiteral("stopped"));
        QCOMPARE(scalar(QStringLiteral("SELECT group_concat(user_id) FROM (SELECT user_id FROM "
                                       "vps_assignments ORDER BY user_id)"))
                     .toString(),
            QStringLiteral("3,5"));
        // A pair that was there keeps its time; the list has no assignment times.
        QCOMPARE(
            scalar(QStringLiteral("SELECT created_at FROM vps_assignments WHERE user_id = 3")).toString(),
            firstTime);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tasks WHERE task_type = 'command'")).toInt(), 1);
        // The same VPS twice is a hostile list: refused, rows kept.
        QVERIFY(!m_mirror->storeVps({vps(kBigId + 7, {}), vps(kBigId + 7, {})}).ok());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM tasks WHERE task_type = 'vps'")).toInt(), 1);
    }

    void exactAssignmentsAreUsedWhereFetched()
    {
        HostVpsAssignments exact;
        exact.taskId = kBigId + 1;
        exact.assignments.append({4, QStringLiteral("vera"), QStringLiteral("Vera"),
            hosttime::parse(u"2026-11-22T02:10:00.0001")});
        QHash<qint64, HostVpsAssignments> fetched {{kBigId + 1, exact}};
        QVERIFY(m_mirror->storeVps({vps(kBigId + 1, {3}), vps(kBigId + 2, {5})}, fetched).ok());
        QCOMPARE(
            scalar(QStringLiteral(
                       "SELECT group_concat(x) FROM (SELECT (vps_task_id - %1) || ':' || user_id || '@' || "
                       "created_at AS x FROM vps_assignments ORDER BY 1)")
                       .arg(kBigId))
                .toString(),
            QStringLiteral("1:4@2026-11-22 02:10:00.000100,2:5@%1").arg(hosttime::toDbText(fixedNow())));
        // Assignments said to be of another VPS than asked for: refused.
        fetched.insert(kBigId + 2, exact);
        QVERIFY(!m_mirror->storeVps({vps(kBigId + 1, {}), vps(kBigId + 2, {})}, fetched).ok());
        QCOMPARE(count(QStringLiteral("vps_assignments")), 2);
    }

    // Below operator the users list is not readable: owners and assignees the task and VPS lists
    // name become placeholder rows, so the models still show who owns what; the real list
    // replaces them.
    void ownersBecomePlaceholderUsersUntilTheUsersAreSynced()
    {
        HostTask t = task(kBigId + 1, QStringLiteral("running"));
        t.ownerUsername = QStringLiteral("ulrich");
        t.approvedById = 0; // the host's mock admin: no row
        t.approvedByUsername = QStringLiteral("_system");
        QVERIFY(m_mirror->storeTasks({t}).ok());
        HostVps v = vps(kBigId + 2, {4});
        v.ownerUsername = QStringLiteral("olivia");
        v.assignees.first().username = QStringLiteral("vera");
        QVERIFY(m_mirror->storeVps({v}).ok());
        QCOMPARE(scalar(QStringLiteral(
                            "SELECT group_concat(x) FROM (SELECT id || ':' || username || ':' || role AS x "
                            "FROM users ORDER BY id)"))
                     .toString(),
            QStringLiteral("2:olivia:,3:ulrich:,4:vera:"));
        QVERIFY(m_mirror->storeUsers({user(3, QStringLiteral("ulrich"))}).ok());
        QCOMPARE(count(QStringLiteral("users")), 1);
        QVERIFY(m_mirror->storeVps({v}).ok()); // no placeholders once the real list is there
        QCOMPARE(count(QStringLiteral("users")), 1);
        QCOMPARE(scalar(QStringLiteral("SELECT role FROM users")).toString(), QStringLiteral("user"));
    }

    void nodesAreReplaced()
    {
        HostNode a;
        a.hostname = QStringLiteral("node-a");
        a.url = QStringLiteral("http://10.0.0.11:8001");
        a.totalCores = 16;
        a.coresInUse = 6;
        a.availableCores = 10;
        a.status = QStringLiteral("online");
        a.lastHeartbeat = hosttime::parse(u"2026-11-22T02:24:37.123456");
        a.hasNumaTopology = true;
        a.numaTopology = {{0, {0, 1}}, {1, {2, 3}}};
        a.cpuPercent = 42.5;
        a.vmCapable = true;
        HostNode b;
        b.hostname = QStringLiteral("node-b");
        b.url = QStringLiteral("http://10.0.0.12:8001");
        b.totalCores = 8;
        b.status = QStringLiteral("offline");
        QVERIFY(m_mirror->storeNodes({a, b}).ok());
        QCOMPARE(count(QStringLiteral("nodes")), 2);
        QCOMPARE(
            scalar(QStringLiteral("SELECT numa_topology FROM nodes WHERE hostname = 'node-a'")).toString(),
            QStringLiteral(R"({"0": [0, 1], "1": [2, 3]})"));
        QVERIFY(scalar(QStringLiteral("SELECT numa_topology FROM nodes WHERE hostname = 'node-b'")).isNull());
        QCOMPARE(m_mirror->coresInUse(QStringLiteral("node-a")), std::optional<int>(6));
        QCOMPARE(m_mirror->coresInUse(QStringLiteral("node-b")), std::nullopt);
        QVERIFY(m_mirror->storeNodes({b}).ok());
        QCOMPARE(count(QStringLiteral("nodes")), 1);
        QCOMPARE(m_mirror->coresInUse(QStringLiteral("node-a")), std::nullopt);
        QVERIFY(!m_mirror->storeNodes({b, b}).ok());
        QCOMPARE(count(QStringLiteral("nodes")), 1);
    }

    void clearingADatasetForgetsItsRowsAndTime()
    {
        QVERIFY(m_mirror->storeUsers({user(1, QStringLiteral("admin"))}).ok());
        QVERIFY(m_mirror->storeTasks({task(kBigId, QStringLiteral("pending_approval"))}).ok());
        QVERIFY(m_mirror->clearDataset(MirrorDataset::Users).ok());
        QCOMPARE(count(QStringLiteral("users")), 0);
        QCOMPARE(m_mirror->lastSynced(MirrorDataset::Users), std::nullopt);
        QVERIFY(m_mirror->lastSynced(MirrorDataset::Tasks).has_value());
        QCOMPARE(m_mirror->lastSynced(), m_mirror->lastSynced(MirrorDataset::Tasks));
        QVERIFY(m_mirror->clearDataset(MirrorDataset::PendingApprovals).ok());
        QCOMPARE(count(QStringLiteral("tasks")), 1); // the queue's rows are tasks too
    }

    void accountIsStoredWithoutUserInfo()
    {
        MirrorAccount account;
        account.baseUrl
            = QStringLiteral("https://someone:hunter2-password@cluster.example:8000/kohaku?key=abc#x");
        account.userId = 1;
        account.username = QStringLiteral("admin");
        account.role = QStringLiteral("admin");
        QVERIFY(m_mirror->storeAccount(account).ok());
        const auto stored = m_mirror->account();
        QVERIFY(stored);
        QCOMPARE(stored->baseUrl, QStringLiteral("https://cluster.example:8000/kohaku"));
        QCOMPARE(stored->username, QStringLiteral("admin"));
        QCOMPARE(stored->role, QStringLiteral("admin"));
        QCOMPARE(stored->userId, 1);
        m_mirror.reset();
        QVERIFY(!readFile(m_path).contains("hunter2"));
    }

    void taskLogsAreStoredPerStream()
    {
        QCOMPARE(m_mirror->taskLog(kBigId, TaskLogStream::Stdout), std::nullopt);
        QVERIFY(m_mirror->storeTaskLog(kBigId, TaskLogStream::Stdout, QStringLiteral("line 1\nline 2\n"), 100)
                    .ok());
        QVERIFY(m_mirror->storeTaskLog(kBigId, TaskLogStream::Stderr, QString(), 0).ok());
        m_mirror->setClock([] { return fixedNow().addSecs(5); });
        QVERIFY(m_mirror->storeTaskLog(kBigId, TaskLogStream::Stdout, QStringLiteral("line 2\nline 3\n"), 2)
                    .ok());
        const auto out = m_mirror->taskLog(kBigId, TaskLogStream::Stdout);
        QVERIFY(out);
        QCOMPARE(out->taskId, kBigId);
        QCOMPARE(out->text, QStringLiteral("line 2\nline 3\n"));
        QCOMPARE(out->lines, 2);
        QCOMPARE(out->fetchedAt, hosttime::toDbText(fixedNow().addSecs(5)));
        const auto err = m_mirror->taskLog(kBigId, TaskLogStream::Stderr);
        QVERIFY(err);
        QCOMPARE(err->text, QString());
        QCOMPARE(count(QStringLiteral("rk_task_logs")), 2);
    }

    void actionsAreAuditedWithoutTokens()
    {
        QVERIFY(m_mirror
                    ->recordAction(QStringLiteral("olivia"), QStringLiteral("approve"),
                        QStringLiteral("task %1").arg(kBigId), true)
                    .ok());
        QVERIFY(m_mirror
                    ->recordAction(QStringLiteral("olivia"), QStringLiteral("create invitation"),
                        QStringLiteral("invitation 4"), false,
                        QStringLiteral("link /register?token=%1 refused: 403").arg(kToken))
                    .ok());
        const auto entries = m_mirror->auditEntries();
        QVERIFY(entries.ok());
        QCOMPARE(entries->size(), 2);
        const MirrorAuditEntry &last = entries->first(); // newest first
        QCOMPARE(last.action, QStringLiteral("create invitation"));
        QVERIFY(!last.ok);
        QCOMPARE(last.at, hosttime::toDbText(fixedNow()));
        QCOMPARE(last.detail, QStringLiteral("link /register?token=%1… refused: 403").arg(kToken.left(8)));
        QCOMPARE(entries->last().target, QStringLiteral("task %1").arg(kBigId)); // decimal ids are kept
        QVERIFY(entries->last().ok);
        QCOMPARE(scalar(QStringLiteral("SELECT group_concat(result) FROM rk_mirror_audit")).toString(),
            QStringLiteral("ok,failed"));
        m_mirror.reset();
        QVERIFY(!readFile(m_path).contains(kToken.toLatin1()));
    }
};

RK_TEST_GUILESS_MAIN(TestHostMirror)
#include "TestHostMirror.moc"
