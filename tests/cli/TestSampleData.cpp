#include "RkTest.h"
#include "core/HostTime.h"
#include "core/Secrets.h"
#include "store/PlatformStore.h"
#include "store/SampleData.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace rk;

namespace {

const QString kAdminPassword = QStringLiteral("admin-password-1");

struct Populated
{
    std::unique_ptr<PlatformStore> store;
    Actor admin;
};

SampleDataOptions fastOptions()
{
    SampleDataOptions opts;
    opts.bcryptCost = 4;
    opts.now = hosttime::parse(u"2026-02-10 12:00:00.250000");
    return opts;
}

Populated populate(const QString &path, const SampleDataOptions &opts = fastOptions())
{
    Populated p;
    auto store = PlatformStore::create(path);
    if (!store)
        qFatal("create failed: %s", qPrintable(store.error().message));
    p.store = std::move(store).value();
    auto admin = p.store->createFirstAdmin(
        QStringLiteral("root"), QString(), *Passwords::hash(kAdminPassword, 4), QStringLiteral("test"));
    if (!admin)
        qFatal("createFirstAdmin failed: %s", qPrintable(admin.error().message));
    p.admin = *admin;
    const Status status = SampleData::populate(*p.store, p.admin, opts);
    if (!status)
        qFatal("populate failed: %s", qPrintable(status.error().message));
    return p;
}

qint64 count(PlatformStore &store, const QString &sql)
{
    auto value = store.database().scalar(sql);
    return value ? value->toLongLong() : -1;
}

QStringList column(PlatformStore &store, const QString &sql)
{
    QStringList out;
    auto stmt = store.database().prepare(sql);
    while (stmt && *stmt->step())
        out << stmt->text(0);
    return out;
}

} // namespace

class TestSampleData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void createsTheDocumentedCounts()
    {
        auto p = populate(m_dir.filePath(QStringLiteral("counts.db")));
        PlatformStore &s = *p.store;
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM users")), SampleDataCounts::kUsers + 1);
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM users WHERE is_active = 0")),
            SampleDataCounts::kSuspendedUsers);
        for (const char *role : {"viewer", "user", "operator", "admin"}) {
            QVERIFY2(
                count(s,
                    QStringLiteral("SELECT COUNT(*) FROM users WHERE role = '%1'").arg(QLatin1String(role)))
                    >= 2,
                role);
        }
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM groups")), SampleDataCounts::kGroups);
        QVERIFY(count(s, QStringLiteral("SELECT COUNT(*) FROM user_groups")) >= SampleDataCounts::kUsers / 2);
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM nodes")), SampleDataCounts::kNodes);
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM nodes WHERE status = 'online'")),
            SampleDataCounts::kOnlineNodes);
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM tasks WHERE status = 'pending_approval'")),
            SampleDataCounts::kPendingApprovalTasks);
        QCOMPARE(
            count(s, QStringLiteral("SELECT COUNT(*) FROM invitations")), SampleDataCounts::kInvitations);
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM vps_assignments")),
            SampleDataCounts::kVpsAssignments);
        for (const char *status : {"completed", "running", "failed"})
            QVERIFY2(count(s,
                         QStringLiteral("SELECT COUNT(*) FROM tasks WHERE status = '%1'")
                             .arg(QLatin1String(status)))
                    > 0,
                status);
        QVERIFY(count(s, QStringLiteral("SELECT COUNT(*) FROM tasks WHERE task_type = 'vps'")) > 0);
        QVERIFY(count(s, QStringLiteral("SELECT COUNT(*) FROM tokens")) >= 5);
        QVERIFY(count(s, QStringLiteral("SELECT COUNT(*) FROM tokens WHERE last_used IS NULL")) > 0);
        QVERIFY(count(s, QStringLiteral("SELECT COUNT(*) FROM tokens WHERE last_used IS NOT NULL")) > 0);
    }

    void variesSessionsAndInvitations()
    {
        auto p = populate(m_dir.filePath(QStringLiteral("variety.db")));
        PlatformStore &s = *p.store;
        const QString now = QStringLiteral("'2026-02-10 12:00:00.250000'");
        QVERIFY(count(s, QStringLiteral("SELECT COUNT(*) FROM sessions WHERE expires_at > ") + now) > 5);
        QVERIFY(count(s, QStringLiteral("SELECT COUNT(*) FROM sessions WHERE expires_at <= ") + now) > 0);
        // Some users never signed in, others several times.
        QVERIFY(
            count(s,
                QStringLiteral("SELECT COUNT(*) FROM users WHERE id NOT IN (SELECT user_id FROM sessions)"))
            > 1);
        QVERIFY(count(s,
                    QStringLiteral("SELECT COUNT(*) FROM (SELECT user_id FROM sessions GROUP BY user_id "
                                   "HAVING COUNT(*) > 1)"))
            > 1);
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM invitations WHERE expires_at <= ") + now), 2);
        QCOMPARE(
            count(s, QStringLiteral("SELECT COUNT(*) FROM invitations WHERE usage_count >= max_usage")), 1);
        QCOMPARE(count(s,
                     QStringLiteral("SELECT COUNT(*) FROM invitations WHERE usage_count < max_usage AND "
                                    "expires_at > ")
                         + now),
            3);
    }

    void pendingApprovalTasksComeFromRoleUser()
    {
        auto p = populate(m_dir.filePath(QStringLiteral("pending.db")));
        PlatformStore &s = *p.store;
        QCOMPARE(
            count(s,
                QStringLiteral("SELECT COUNT(*) FROM tasks t JOIN users u ON u.id = t.owner_id "
                               "WHERE t.status = 'pending_approval' AND u.role = 'user' AND u.is_active = 1 "
                               "AND t.approval_status = 'pending' AND t.approved_by_id IS NULL")),
            SampleDataCounts::kPendingApprovalTasks);
        // Viewers never submit.
        QCOMPARE(count(s,
                     QStringLiteral("SELECT COUNT(*) FROM tasks t JOIN users u ON u.id = t.owner_id "
                                    "WHERE u.role = 'viewer'")),
            0);
    }

    void writesTheHostsFormats()
    {
        auto p = populate(m_dir.filePath(QStringLiteral("formats.db")));
        PlatformStore &s = *p.store;
        auto stmt = s.database().prepare(QStringLiteral(
            "SELECT task_id, typeof(task_id), submitted_at, started_at, completed_at, arguments, env_vars, "
            "required_gpus, docker_mount_dirs, stdout_path, stderr_path, assignment_suspicion_count, "
            "docker_privileged, vps_backend, batch_id FROM tasks"));
        QVERIFY(stmt);
        int rows = 0;
        while (*stmt->step()) {
            ++rows;
            const qint64 id = stmt->int64(0);
            QCOMPARE(stmt->text(1), QStringLiteral("integer"));
            const auto submitted = hosttime::parse(stmt->text(2));
            QVERIFY2(submitted, qPrintable(stmt->text(2)));
            // Snowflake: the id's top bits are the submission time in ms.
            QCOMPARE(id >> 22, submitted->secsSinceEpoch * 1000 + submitted->micros / 1000);
            QVERIFY(id > (qint64(1) << 53));
            for (int c : {3, 4}) {
                if (!stmt->isNull(c))
                    QVERIFY2(hosttime::parse(stmt->text(c)), qPrintable(stmt->text(c)));
            }
            QVERIFY(QJsonDocument::fromJson(stmt->text(5).toUtf8()).isArray());
            QVERIFY(QJsonDocument::fromJson(stmt->text(6).toUtf8()).isObject());
            QVERIFY(QJsonDocument::fromJson(stmt->text(7).toUtf8()).isArray());
            QVERIFY(QJsonDocument::fromJson(stmt->text(8).toUtf8()).isArray());
            QCOMPARE(stmt->text(9), QStringLiteral("/mnt/cluster-share/logs/%1/stdout.log").arg(id));
            QCOMPARE(stmt->text(10), QStringLiteral("/mnt/cluster-share/logs/%1/stderr.log").arg(id));
            QCOMPARE(stmt->int64(11), 0);
            QCOMPARE(stmt->int64(12), 0);
            QCOMPARE(stmt->text(13), QStringLiteral("docker"));
            QCOMPARE(stmt->int64(14), id);
        }
        QVERIFY(rows > 20);

        auto nodes = s.database().prepare(
            QStringLiteral("SELECT numa_topology, gpu_info, vm_capable, last_heartbeat FROM nodes"));
        QVERIFY(nodes);
        while (*nodes->step()) {
            const QJsonDocument numa = QJsonDocument::fromJson(nodes->text(0).toUtf8());
            QVERIFY(numa.isObject());
            QVERIFY(numa.object().contains(QStringLiteral("0")));
            const QJsonDocument gpus = QJsonDocument::fromJson(nodes->text(1).toUtf8());
            QVERIFY(gpus.isArray());
            for (const QJsonValue &gpu : gpus.array()) {
                for (const char *key :
                    {"gpu_id", "name", "memory_total_mib", "temperature", "power_limit_mw"})
                    QVERIFY2(gpu.toObject().contains(QLatin1String(key)), key);
            }
            QVERIFY(nodes->int64(2) == 0 || nodes->int64(2) == 1);
            QVERIFY(hosttime::parse(nodes->text(3)));
        }
        const QRegularExpression hostDateTime(
            QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?$"));
        for (const QString &text : column(s,
                 QStringLiteral(
                     "SELECT created_at FROM users UNION ALL SELECT expires_at FROM sessions "
                     "UNION ALL SELECT created_at FROM tokens UNION ALL SELECT last_used FROM tokens "
                     "WHERE last_used IS NOT NULL UNION ALL SELECT expires_at FROM invitations")))
            QVERIFY2(hostDateTime.match(text).hasMatch(), qPrintable(text));
        QVERIFY(count(s, QStringLiteral("SELECT COUNT(*) FROM sessions WHERE length(session_id) = 64")) > 0);
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM sessions WHERE length(session_id) <> 64")), 0);
    }

    void goesThroughTheStoreSoItIsAudited()
    {
        auto p = populate(m_dir.filePath(QStringLiteral("audit.db")));
        PlatformStore &s = *p.store;
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM rk_audit WHERE action = 'user.create'")),
            SampleDataCounts::kUsers);
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM rk_audit WHERE action = 'group.create'")),
            SampleDataCounts::kGroups);
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM rk_audit WHERE action = 'invitation.create'")),
            SampleDataCounts::kInvitations);
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM rk_audit WHERE action = 'token.create'")),
            count(s, QStringLiteral("SELECT COUNT(*) FROM tokens")));
        QCOMPARE(count(s, QStringLiteral("SELECT COUNT(*) FROM rk_audit WHERE actor <> 'root'")), 0);
        // The sample password is never written down, only its hash.
        QCOMPARE(
            count(s,
                QStringLiteral("SELECT COUNT(*) FROM rk_audit WHERE coalesce(before_json, '') || "
                               "coalesce(after_json, '') || coalesce(target, '') LIKE '%sample-password%'")),
            0);
    }

    void sampleUsersSignInWithTheSamplePassword()
    {
        auto p = populate(m_dir.filePath(QStringLiteral("signin.db")));
        const QString name = column(*p.store,
            QStringLiteral("SELECT username FROM users WHERE role = 'operator' "
                           "AND is_active = 1 LIMIT 1"))
                                 .value(0);
        QVERIFY(!name.isEmpty());
        auto actor = p.store->authenticate(name, SampleDataOptions().password, QStringLiteral("test"));
        QVERIFY2(actor, qPrintable(actor ? QString() : actor.error().message));
        QCOMPARE(actor->role, Role::Operator);
        // One hash shared by all sample users.
        QCOMPARE(
            count(*p.store,
                QStringLiteral("SELECT COUNT(DISTINCT password_hash) FROM users WHERE username <> 'root'")),
            1);
    }

    void sameSeedSameData()
    {
        auto a = populate(m_dir.filePath(QStringLiteral("seed-a.db")));
        auto b = populate(m_dir.filePath(QStringLiteral("seed-b.db")));
        const QString users = QStringLiteral(
            "SELECT username || ':' || role || ':' || is_active || ':' || created_at FROM users "
            "WHERE username <> 'root' ORDER BY id");
        QCOMPARE(column(*a.store, users), column(*b.store, users));
        const QString tasks = QStringLiteral("SELECT task_id || ':' || status || ':' || "
                                             "coalesce(assigned_node, '') FROM tasks ORDER BY task_id");
        QCOMPARE(column(*a.store, tasks), column(*b.store, tasks));
        const QString sessions
            = QStringLiteral("SELECT user_id || ':' || created_at FROM sessions ORDER BY id");
        QCOMPARE(column(*a.store, sessions), column(*b.store, sessions));

        SampleDataOptions other = fastOptions();
        other.seed = 7;
        auto c = populate(m_dir.filePath(QStringLiteral("seed-c.db")), other);
        QVERIFY(column(*a.store, users) != column(*c.store, users));
        QCOMPARE(count(*c.store, QStringLiteral("SELECT COUNT(*) FROM users")), SampleDataCounts::kUsers + 1);
    }

    void refusesAReadOnlyStoreAndNonAdmins()
    {
        const QString path = m_dir.filePath(QStringLiteral("ro.db"));
        {
            auto store = PlatformStore::create(path);
            QVERIFY(store);
            QVERIFY((*store)->createFirstAdmin(QStringLiteral("root"), QString(),
                *Passwords::hash(kAdminPassword, 4), QStringLiteral("test")));
        }
        auto ro = PlatformStore::open(path, PlatformStore::Access::ReadOnly);
        QVERIFY(ro);
        const Actor admin {1, QStringLiteral("root"), Role::Admin, QStringLiteral("test")};
        const Status refused = SampleData::populate(**ro, admin, fastOptions());
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Error::Code::ReadOnly);

        auto rw = PlatformStore::open(path, PlatformStore::Access::ReadWrite);
        QVERIFY(rw);
        const Actor op {1, QStringLiteral("root"), Role::Operator, QStringLiteral("test")};
        const Status notAdmin = SampleData::populate(**rw, op, fastOptions());
        QVERIFY(!notAdmin);
        QCOMPARE(notAdmin.error().code, Error::Code::Refused);
        QCOMPARE(count(**rw, QStringLiteral("SELECT COUNT(*) FROM users")), 1);
    }

private:
    QTemporaryDir m_dir;
};

RK_TEST_GUILESS_MAIN(TestSampleData)
#include "TestSampleData.moc"
