#pragma once

// Helpers shared by the store tests: real SQLite files built the way the KohakuRiver host builds
// them (its exact DDL, its value formats), never a mock.

#include "RkTest.h"
#include "core/HostTime.h"
#include "core/Secrets.h"
#include "store/PlatformSchema.h"
#include "store/PlatformStore.h"
#include "store/SqliteDatabase.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>

#include <memory>

namespace rktest {

// The host's example row: password "adminpass123", cost 12.
inline const QString kHostExampleHash
    = QStringLiteral("$2b$12$bXLfPXixMQaibIzw/28FCueTN3p1yEpBPI9G4Les6SB6eN5k/Y99e");

inline QByteArray fileDigest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex();
}

// A raw connection for arranging and inspecting files behind the store's back.
inline std::unique_ptr<rk::SqliteDatabase> openRaw(
    const QString &path, rk::SqliteDatabase::OpenMode mode = rk::SqliteDatabase::OpenMode::ReadWrite)
{
    auto db = rk::SqliteDatabase::open(path, mode, 2000);
    if (!db) {
        qWarning("openRaw failed: %s", qPrintable(db.error().message));
        return nullptr;
    }
    return std::move(db).value();
}

inline bool execOk(rk::SqliteDatabase &db, const QString &sql)
{
    auto st = db.exec(sql);
    if (!st)
        qWarning("exec failed: %s: %s", qPrintable(sql), qPrintable(st.error().message));
    return st.ok();
}

inline QVariant scalarOf(rk::SqliteDatabase &db, const QString &sql)
{
    auto v = db.scalar(sql);
    if (!v) {
        qWarning("scalar failed: %s: %s", qPrintable(sql), qPrintable(v.error().message));
        return {};
    }
    return v.value();
}

// A file with exactly the host's tables, as `create_tables(safe=True)` leaves it: no rk_ tables,
// journal_mode delete, user_version 0.
inline bool createHostDb(const QString &path)
{
    auto db = openRaw(path, rk::SqliteDatabase::OpenMode::CreateNew);
    if (!db)
        return false;
    for (const QString &sql : rk::schema::hostDdl()) {
        if (!execOk(*db, sql))
            return false;
    }
    return true;
}

// Inserts a user the way the host's registration does. Returns the new id (0 on failure).
inline qint64 insertHostUser(rk::SqliteDatabase &db, const QString &username, const QString &role,
    bool active = true, const QString &hash = kHostExampleHash,
    const QString &createdAt = QStringLiteral("2026-11-22 02:24:37"))
{
    auto stmt = db.prepare(QStringLiteral("INSERT INTO users (username, display_name, password_hash, "
                                          "is_active, role, created_at) VALUES (?1, ?1, ?2, ?3, ?4, ?5)"));
    if (!stmt)
        return 0;
    stmt->bind(1, username).bind(2, hash).bind(3, active).bind(4, role).bind(5, createdAt);
    if (!stmt->run())
        return 0;
    return db.lastInsertRowId();
}

inline qint64 insertHostSession(rk::SqliteDatabase &db, qint64 userId, const QString &expiresAt,
    const QString &createdAt = QStringLiteral("2026-11-22 02:24:37.123456"))
{
    auto stmt
        = db.prepare(QStringLiteral("INSERT INTO sessions (session_id, user_id, expires_at, created_at) "
                                    "VALUES (?1, ?2, ?3, ?4)"));
    if (!stmt)
        return 0;
    stmt->bind(1, rk::tokens::randomHex64()).bind(2, userId).bind(3, expiresAt).bind(4, createdAt);
    if (!stmt->run())
        return 0;
    return db.lastInsertRowId();
}

inline qint64 insertHostToken(
    rk::SqliteDatabase &db, qint64 userId, const QString &name, QString *plaintext = nullptr)
{
    const QString token = rk::tokens::randomHex64();
    if (plaintext)
        *plaintext = token;
    auto stmt
        = db.prepare(QStringLiteral("INSERT INTO tokens (user_id, token_hash, name, last_used, created_at) "
                                    "VALUES (?1, ?2, ?3, NULL, '2026-11-22 02:30:00.5')"));
    if (!stmt)
        return 0;
    stmt->bind(1, userId).bind(2, rk::tokens::sha3_512Hex(token)).bind(3, name);
    if (!stmt->run())
        return 0;
    return db.lastInsertRowId();
}

inline bool insertHostTask(
    rk::SqliteDatabase &db, qint64 taskId, qint64 ownerId, const QString &type = QStringLiteral("command"))
{
    auto stmt = db.prepare(QStringLiteral(
        "INSERT INTO tasks (task_id, task_type, command, arguments, env_vars, required_cores, required_gpus, "
        "owner_id, status, assignment_suspicion_count, docker_privileged, vps_backend, stdout_path, "
        "stderr_path, submitted_at) VALUES (?1, ?2, 'echo hi', '[]', '{}', 1, '[]', ?3, 'completed', 0, 0, "
        "'docker', '/shared/logs/out', '/shared/logs/err', '2026-11-22 02:40:00')"));
    if (!stmt)
        return false;
    stmt->bind(1, taskId).bind(2, type).bind(3, ownerId);
    return stmt->run().ok();
}

// Host datetime text `hours` from now.
inline QString hoursFromNow(qint64 hours)
{
    return rk::hosttime::toDbText(rk::hosttime::Instant::now().addSecs(hours * 3600));
}

inline rk::Actor actorFor(qint64 id, const QString &name, rk::Role role)
{
    return rk::Actor {id, name, role, QStringLiteral("test@host")};
}

// A new platform database with a first admin "root" (cost-4 hash of "rootpass123").
struct FreshStore
{
    std::unique_ptr<rk::PlatformStore> store;
    rk::Actor admin;
    QString path;
};

inline FreshStore makeFreshStore(
    const QTemporaryDir &dir, const QString &name = QStringLiteral("platform.db"))
{
    FreshStore fresh;
    fresh.path = dir.filePath(name);
    auto created = rk::PlatformStore::create(fresh.path);
    if (!created) {
        qWarning("create failed: %s", qPrintable(created.error().message));
        return fresh;
    }
    fresh.store = std::move(created).value();
    auto hash = rk::Passwords::hash(QStringLiteral("rootpass123"), 4);
    auto admin = fresh.store->createFirstAdmin(
        QStringLiteral("root"), QStringLiteral("Root"), hash.value(), QStringLiteral("test@host"));
    if (!admin) {
        qWarning("createFirstAdmin failed: %s", qPrintable(admin.error().message));
        fresh.store.reset();
        return fresh;
    }
    fresh.admin = admin.value();
    return fresh;
}

inline rk::PasswordHash quickHash(const QString &password)
{
    return rk::Passwords::hash(password, 4).value();
}

} // namespace rktest
