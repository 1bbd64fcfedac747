#pragma once

#include "FakeHost.h"
#include "core/Secrets.h"
#include "services/PollScheduler.h"
#include "store/PlatformStore.h"
#include "store/SqliteDatabase.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace rk::test {

// A poll scheduler the test drives: it records the delays asked for and fires when told.
class ManualScheduler final : public PollScheduler
{
public:
    struct State
    {
        std::function<void()> fire;
        QList<int> delays; // every schedule() so far
        bool pending() const { return bool(fire); }
        // Runs the pending check; false when none was scheduled.
        bool fireNow()
        {
            auto f = std::exchange(fire, nullptr);
            if (!f)
                return false;
            f();
            return true;
        }
    };

    explicit ManualScheduler(std::shared_ptr<State> state) : m_state(std::move(state)) { }
    void schedule(int delayMs, std::function<void()> f) override
    {
        m_state->fire = std::move(f);
        m_state->delays.append(delayMs);
    }
    void cancel() override { m_state->fire = nullptr; }

private:
    std::shared_ptr<State> m_state;
};

// A pending command task for the fake host, submitted `second` seconds after 09:00 on a day
// after the seed's tasks (so it is the newest).
inline FakeTask pendingFakeTask(qint64 ownerId, int second, const QString &name)
{
    FakeTask task;
    task.taskId = FakeHost::snowflake(
        QDateTime(QDate(2026, 11, 23), QTime(9, 0), Qt::UTC).toMSecsSinceEpoch() + second * 1000,
        second & 0xfff);
    task.name = name;
    task.ownerId = ownerId;
    task.approvalStatus = QStringLiteral("pending");
    task.status = QStringLiteral("pending_approval");
    task.command = QStringLiteral("python");
    task.arguments = {QStringLiteral("train.py"), QStringLiteral("--lr=0.1")};
    task.submittedAt = QStringLiteral("2026-11-23T09:%1:%2")
                           .arg(second / 60, 2, 10, QLatin1Char('0'))
                           .arg(second % 60, 2, 10, QLatin1Char('0'));
    return task;
}

// A platform database with its first admin (cheap bcrypt); returns the admin's id, or -1.
inline qint64 makePlatformDatabase(const QString &path)
{
    auto store = PlatformStore::create(path);
    if (!store)
        return -1;
    auto hash = Passwords::hash(QStringLiteral("rootpass123"), 4);
    if (!hash)
        return -1;
    auto admin = store.value()->createFirstAdmin(
        QStringLiteral("root"), QStringLiteral("Root"), hash.value(), QStringLiteral("test@host"));
    return admin ? admin.value().userId : -1;
}

// "The host" adding a task row on a connection of its own, as another process would.
inline Status insertTaskRow(const QString &path, qint64 id, const QString &status, const QString &name,
    qint64 ownerId, const QString &submittedAt)
{
    auto db = SqliteDatabase::open(path, SqliteDatabase::OpenMode::ReadWrite);
    if (!db)
        return db.error();
    auto st = db.value()->prepare(QStringLiteral(
        "INSERT INTO tasks (task_id, task_type, command, arguments, env_vars, required_cores, required_gpus, "
        "name, owner_id, approval_status, status, assignment_suspicion_count, docker_privileged, "
        "vps_backend, "
        "stdout_path, stderr_path, submitted_at) VALUES (?1, 'command', 'python', '[\"run.py\"]', '{}', 1, "
        "'[]', ?2, ?3, 'pending', ?4, 0, 0, 'docker', '/logs/out', '/logs/err', ?5)"));
    if (!st)
        return st.error();
    st->bind(1, id).bind(2, name).bind(3, ownerId).bind(4, status).bind(5, submittedAt);
    return st->run();
}

inline Status updateTaskStatus(const QString &path, qint64 id, const QString &status)
{
    auto db = SqliteDatabase::open(path, SqliteDatabase::OpenMode::ReadWrite);
    if (!db)
        return db.error();
    auto st = db.value()->prepare(QStringLiteral("UPDATE tasks SET status = ?1 WHERE task_id = ?2"));
    if (!st)
        return st.error();
    st->bind(1, status).bind(2, id);
    return st->run();
}

} // namespace rk::test
