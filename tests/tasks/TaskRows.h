#pragma once

#include "TablesFixture.h"
#include "core/Secrets.h"
#include "store/PlatformStore.h"
#include "store/SampleData.h"

#include <QString>
#include <QVariant>
#include <QtTest>

namespace rk::test {

// One row of the host's `tasks` table with the host's defaults; tests change what they need.
struct TaskRow
{
    qint64 id = 0;
    QString type = QStringLiteral("command");
    QVariant name;
    QString command = QStringLiteral("python");
    QString arguments = QStringLiteral("[]");
    QString envVars = QStringLiteral("{}");
    int cores = 1;
    QString gpus = QStringLiteral("[]");
    QVariant memory;
    QVariant numa;
    QVariant ownerId;
    QVariant approvalStatus = QStringLiteral("pending");
    QString status = QStringLiteral("pending_approval");
    QVariant node = QStringLiteral("gpu-a100-01");
    QVariant container = QStringLiteral("kohakuriver-base");
    QVariant registryImage;
    QVariant dockerImage = QStringLiteral("kohakuriver/kohakuriver-base:base");
    int privileged = 0;
    QVariant mounts = QStringLiteral("[]");
    QString vpsBackend = QStringLiteral("docker");
    QVariant exitCode;
    QString submittedAt;
    QVariant startedAt;
    QVariant completedAt;
};

inline void addTask(TablesFixture &fixture, const TaskRow &t)
{
    auto st = fixture.db().prepare(QStringLiteral(
        "INSERT INTO tasks (task_id, task_type, batch_id, command, arguments, env_vars, required_cores, "
        "required_gpus, required_memory_bytes, target_numa_node_id, name, owner_id, approval_status, "
        "status, assigned_node, assignment_suspicion_count, container_name, registry_image, "
        "docker_image_name, docker_privileged, docker_mount_dirs, vps_backend, stdout_path, stderr_path, "
        "exit_code, submitted_at, started_at, completed_at) VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9, ?10, ?11, ?12, ?13, ?14, 0, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)"));
    if (!st)
        qFatal("addTask: %s", qPrintable(st.error().message));
    const QString logs = QStringLiteral("/mnt/cluster-share/logs/%1/").arg(t.id);
    st->bind(1, t.id).bind(2, t.type).bind(3, t.command).bind(4, t.arguments).bind(5, t.envVars);
    st->bind(6, t.cores).bind(7, t.gpus).bindVariant(8, t.memory).bindVariant(9, t.numa);
    st->bindVariant(10, t.name).bindVariant(11, t.ownerId).bindVariant(12, t.approvalStatus);
    st->bind(13, t.status).bindVariant(14, t.node).bindVariant(15, t.container);
    st->bindVariant(16, t.registryImage).bindVariant(17, t.dockerImage).bind(18, t.privileged);
    st->bindVariant(19, t.mounts).bind(20, t.vpsBackend);
    st->bind(21, QString(logs + QStringLiteral("stdout.log")))
        .bind(22, QString(logs + QStringLiteral("stderr.log")));
    st->bindVariant(23, t.exitCode).bind(24, t.submittedAt).bindVariant(25, t.startedAt);
    st->bindVariant(26, t.completedAt);
    if (auto ran = st->run(); !ran)
        qFatal("addTask %lld: %s", t.id, qPrintable(ran.error().message));
}

// A snowflake as the host makes them (ms << 22 | instance << 12 | seq): about 7.5e18, far above
// 2^53, where a double cannot tell neighbouring ids apart.
inline qint64 snowflake(qint64 secondsFromFixtureNow, int seq)
{
    const qint64 ms = (TablesFixture::now().secsSinceEpoch + secondsFromFixtureNow) * 1000;
    return (ms << 22) | (qint64(1) << 12) | qint64(seq & 0xfff);
}

constexpr qint64 kTwoTo53 = qint64(1) << 53;
constexpr qint64 kGiB = qint64(1) << 30;

// A new platform database at `path` filled with SampleData (cheap bcrypt), closed again.
inline bool makeSamplePlatform(const QString &path)
{
    auto created = PlatformStore::create(path);
    if (!created)
        return false;
    auto hash = Passwords::hash(QStringLiteral("rootpass123"), 4);
    if (!hash)
        return false;
    auto admin = created.value()->createFirstAdmin(
        QStringLiteral("root"), QStringLiteral("Root"), hash.value(), QStringLiteral("test@host"));
    if (!admin)
        return false;
    SampleDataOptions options;
    options.bcryptCost = 4;
    options.now = TablesFixture::now();
    const Status populated = SampleData::populate(*created.value(), admin.value(), options);
    if (!populated)
        qWarning("SampleData: %s", qPrintable(populated.error().message));
    return populated.ok();
}

} // namespace rk::test
