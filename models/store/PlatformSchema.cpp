#include "PlatformSchema.h"

#include "SqliteDatabase.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSet>

#include <array>

namespace rk::schema {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::schema", text);
}

struct TableSpec
{
    const char *name;
    std::initializer_list<const char *> columns; // the ones Riverkeeper relies on
};

// What Riverkeeper needs of each host table. The host's own migrations only ever add columns.
const std::array<TableSpec, 9> kHostTables = {{
    {"users", {"id", "username", "display_name", "password_hash", "is_active", "role", "created_at"}},
    {"sessions", {"id", "session_id", "user_id", "expires_at", "created_at"}},
    {"tokens", {"id", "user_id", "token_hash", "name", "last_used", "created_at"}},
    {"groups", {"id", "name", "tier", "limits_json", "created_at"}},
    {"user_groups", {"id", "user_id", "group_id", "role_override", "created_at"}},
    {"invitations",
        {"id", "token", "role", "group_id", "max_usage", "usage_count", "expires_at", "created_by_id",
            "created_at"}},
    {"vps_assignments", {"id", "vps_task_id", "user_id", "created_at"}},
    {"tasks",
        {"task_id", "task_type", "command", "arguments", "env_vars", "required_cores", "required_gpus",
            "name", "owner_id", "approval_status", "status", "assigned_node", "submitted_at"}},
    {"nodes", {"hostname", "url", "total_cores", "status", "last_heartbeat", "vm_capable"}},
}};

} // namespace

const QStringList &hostDdl()
{
    static const QStringList ddl = {
        QStringLiteral(
            R"(CREATE TABLE IF NOT EXISTS "groups" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(100) NOT NULL, "tier" INTEGER NOT NULL, "limits_json" TEXT NOT NULL, "created_at" DATETIME NOT NULL))"),
        QStringLiteral(R"(CREATE UNIQUE INDEX "group_name" ON "groups" ("name"))"),
        QStringLiteral(
            R"(CREATE TABLE IF NOT EXISTS "users" ("id" INTEGER NOT NULL PRIMARY KEY, "username" VARCHAR(50) NOT NULL, "display_name" VARCHAR(100), "password_hash" VARCHAR(255) NOT NULL, "is_active" INTEGER NOT NULL, "role" VARCHAR(20) NOT NULL, "created_at" DATETIME NOT NULL))"),
        QStringLiteral(R"(CREATE UNIQUE INDEX "user_username" ON "users" ("username"))"),
        QStringLiteral(
            R"(CREATE TABLE IF NOT EXISTS "invitations" ("id" INTEGER NOT NULL PRIMARY KEY, "token" VARCHAR(64) NOT NULL, "role" VARCHAR(20) NOT NULL, "group_id" INTEGER, "max_usage" INTEGER NOT NULL, "usage_count" INTEGER NOT NULL, "expires_at" DATETIME NOT NULL, "created_by_id" INTEGER, "created_at" DATETIME NOT NULL, FOREIGN KEY ("group_id") REFERENCES "groups" ("id") ON DELETE SET NULL, FOREIGN KEY ("created_by_id") REFERENCES "users" ("id") ON DELETE SET NULL))"),
        QStringLiteral(R"(CREATE UNIQUE INDEX "invitation_token" ON "invitations" ("token"))"),
        QStringLiteral(R"(CREATE INDEX "invitation_group_id" ON "invitations" ("group_id"))"),
        QStringLiteral(R"(CREATE INDEX "invitation_created_by_id" ON "invitations" ("created_by_id"))"),
        QStringLiteral(
            R"(CREATE TABLE IF NOT EXISTS "nodes" ("hostname" VARCHAR(255) NOT NULL PRIMARY KEY, "url" VARCHAR(255) NOT NULL, "total_cores" INTEGER NOT NULL, "memory_total_bytes" INTEGER, "status" VARCHAR(255) NOT NULL, "last_heartbeat" DATETIME NOT NULL, "cpu_percent" REAL, "memory_percent" REAL, "memory_used_bytes" INTEGER, "current_avg_temp" REAL, "current_max_temp" REAL, "numa_topology" TEXT, "gpu_info" TEXT, "vm_capable" INTEGER NOT NULL, "vfio_gpus" TEXT, "runner_version" VARCHAR(255)))"),
        QStringLiteral(
            R"(CREATE TABLE IF NOT EXISTS "sessions" ("id" INTEGER NOT NULL PRIMARY KEY, "session_id" VARCHAR(64) NOT NULL, "user_id" INTEGER NOT NULL, "expires_at" DATETIME NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE))"),
        QStringLiteral(R"(CREATE UNIQUE INDEX "session_session_id" ON "sessions" ("session_id"))"),
        QStringLiteral(R"(CREATE INDEX "session_user_id" ON "sessions" ("user_id"))"),
        QStringLiteral(
            R"(CREATE TABLE IF NOT EXISTS "tasks" ("task_id" INTEGER NOT NULL PRIMARY KEY, "task_type" VARCHAR(255) NOT NULL, "batch_id" INTEGER, "command" TEXT NOT NULL, "arguments" TEXT NOT NULL, "env_vars" TEXT NOT NULL, "required_cores" INTEGER NOT NULL, "required_gpus" TEXT NOT NULL, "required_memory_bytes" INTEGER, "target_numa_node_id" INTEGER, "name" VARCHAR(255), "owner_id" INTEGER, "approval_status" VARCHAR(255), "approved_by_id" INTEGER, "approved_at" DATETIME, "rejection_reason" TEXT, "status" VARCHAR(255) NOT NULL, "assigned_node" VARCHAR(255), "assignment_suspicion_count" INTEGER NOT NULL, "container_name" VARCHAR(255), "registry_image" VARCHAR(255), "docker_image_name" VARCHAR(255), "docker_privileged" INTEGER NOT NULL, "docker_mount_dirs" TEXT, "ssh_port" INTEGER, "vps_backend" VARCHAR(255) NOT NULL, "vm_image" VARCHAR(255), "vm_disk_size" VARCHAR(255), "vm_ip" VARCHAR(255), "stdout_path" TEXT NOT NULL, "stderr_path" TEXT NOT NULL, "exit_code" INTEGER, "error_message" TEXT, "submitted_at" DATETIME NOT NULL, "started_at" DATETIME, "completed_at" DATETIME))"),
        QStringLiteral(R"(CREATE INDEX "task_batch_id" ON "tasks" ("batch_id"))"),
        QStringLiteral(R"(CREATE INDEX "task_owner_id" ON "tasks" ("owner_id"))"),
        QStringLiteral(R"(CREATE INDEX "task_approval_status" ON "tasks" ("approval_status"))"),
        QStringLiteral(R"(CREATE INDEX "task_assigned_node" ON "tasks" ("assigned_node"))"),
        QStringLiteral(
            R"(CREATE TABLE IF NOT EXISTS "tokens" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "token_hash" VARCHAR(128) NOT NULL, "name" VARCHAR(100) NOT NULL, "last_used" DATETIME, "created_at" DATETIME NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE))"),
        QStringLiteral(R"(CREATE INDEX "token_user_id" ON "tokens" ("user_id"))"),
        QStringLiteral(R"(CREATE UNIQUE INDEX "token_token_hash" ON "tokens" ("token_hash"))"),
        QStringLiteral(
            R"(CREATE TABLE IF NOT EXISTS "user_groups" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "group_id" INTEGER NOT NULL, "role_override" VARCHAR(20), "created_at" DATETIME NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE, FOREIGN KEY ("group_id") REFERENCES "groups" ("id") ON DELETE CASCADE))"),
        QStringLiteral(R"(CREATE INDEX "usergroup_user_id" ON "user_groups" ("user_id"))"),
        QStringLiteral(R"(CREATE INDEX "usergroup_group_id" ON "user_groups" ("group_id"))"),
        QStringLiteral(
            R"(CREATE UNIQUE INDEX "usergroup_user_id_group_id" ON "user_groups" ("user_id", "group_id"))"),
        QStringLiteral(
            R"(CREATE TABLE IF NOT EXISTS "vps_assignments" ("id" INTEGER NOT NULL PRIMARY KEY, "vps_task_id" INTEGER NOT NULL, "user_id" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE))"),
        QStringLiteral(R"(CREATE INDEX "vpsassignment_vps_task_id" ON "vps_assignments" ("vps_task_id"))"),
        QStringLiteral(R"(CREATE INDEX "vpsassignment_user_id" ON "vps_assignments" ("user_id"))"),
        QStringLiteral(
            R"(CREATE UNIQUE INDEX "vpsassignment_vps_task_id_user_id" ON "vps_assignments" ("vps_task_id", "user_id"))"),
    };
    return ddl;
}

namespace {

// Version 1: the audit log, settings and the schema version itself.
const QStringList &riverkeeperDdlV1()
{
    static const QStringList ddl = {
        QStringLiteral(
            "CREATE TABLE IF NOT EXISTS rk_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)"),
        // Every admin action: who (id and name at the time), what, on what, before -> after
        // (JSON, never a secret), when (host datetime text), from where.
        QStringLiteral("CREATE TABLE IF NOT EXISTS rk_audit (id INTEGER NOT NULL PRIMARY KEY, "
                       "at TEXT NOT NULL, actor_id INTEGER, actor TEXT NOT NULL, action TEXT NOT NULL, "
                       "target_type TEXT NOT NULL, target TEXT, before_json TEXT, after_json TEXT, "
                       "origin TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS rk_audit_at ON rk_audit (at)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS rk_settings (key TEXT NOT NULL PRIMARY KEY, "
                       "value TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT)"),
    };
    return ddl;
}

// Version 2: VPS assignments of whole groups. The host knows only vps_assignments(vps_task_id,
// user_id); a group assignment is Riverkeeper's concept, so it lives here:
// - rk_vps_group_assignments: group G is assigned to VPS V (its members get vps_assignments rows,
//   also members who join later);
// - rk_vps_assignment_sources: why a vps_assignments row exists: one row per group it came from,
//   and group_id 0 when it was (also) assigned directly. A vps_assignments row with no source rows
//   at all was made by someone else (the host's API, an older Riverkeeper) and counts as direct.
//   Group ids are the host's rowids, which start at 1, so 0 never names a group.
// task ids are 64-bit snowflakes: INTEGER columns, never REAL.
const QStringList &riverkeeperDdlV2()
{
    static const QStringList ddl = {
        QStringLiteral("CREATE TABLE IF NOT EXISTS rk_vps_group_assignments (vps_task_id INTEGER NOT NULL, "
                       "group_id INTEGER NOT NULL, created_at TEXT NOT NULL, created_by TEXT, "
                       "PRIMARY KEY (vps_task_id, group_id))"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS rk_vps_group_assignments_group "
                       "ON rk_vps_group_assignments (group_id)"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS rk_vps_assignment_sources (vps_task_id INTEGER NOT NULL, "
                       "user_id INTEGER NOT NULL, group_id INTEGER NOT NULL, created_at TEXT NOT NULL, "
                       "PRIMARY KEY (vps_task_id, user_id, group_id))"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS rk_vps_assignment_sources_user "
                       "ON rk_vps_assignment_sources (user_id)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS rk_vps_assignment_sources_group "
                       "ON rk_vps_assignment_sources (group_id, vps_task_id)"),
    };
    return ddl;
}

// The statements that take the rk_ schema from `version - 1` to `version` (2..current).
const QStringList &upgradeStepTo(int version)
{
    static const QStringList none;
    switch (version) {
    case 2: return riverkeeperDdlV2();
    default: return none;
    }
}

} // namespace

const QStringList &riverkeeperDdl()
{
    static const QStringList ddl = riverkeeperDdlV1() + riverkeeperDdlV2();
    return ddl;
}

namespace {

Result<QSet<QString>> tableNames(SqliteDatabase &db)
{
    auto stmt = db.prepare(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"));
    if (!stmt)
        return stmt.error();
    QSet<QString> names;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        names.insert(stmt->text(0));
    }
    return names;
}

Result<QSet<QString>> columnNames(SqliteDatabase &db, const QString &table)
{
    auto stmt = db.prepare(QStringLiteral("SELECT name FROM pragma_table_info(?1)"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, table);
    QSet<QString> names;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        names.insert(stmt->text(0));
    }
    return names;
}

} // namespace

Status verify(SqliteDatabase &db)
{
    const QString file = QFileInfo(db.path()).fileName();
    auto tables = tableNames(db);
    if (!tables)
        return tables.error();
    if (tables->isEmpty()) {
        return Error::make(Error::Code::NotADatabase,
            tr("%1 is an empty SQLite database, not a KohakuRiver platform database. "
               "Create a new platform database instead.")
                .arg(file));
    }
    if (!tables->contains(QStringLiteral("users"))) {
        QStringList found(tables->begin(), tables->end());
        found.sort();
        if (found.size() > 5)
            found = found.mid(0, 5) << QStringLiteral("…");
        return Error::make(Error::Code::NotADatabase,
            tr("%1 is not a KohakuRiver platform database: it has no users table "
               "(it has: %2).")
                .arg(file, found.join(QStringLiteral(", "))));
    }
    for (const TableSpec &spec : kHostTables) {
        const QString table = QString::fromLatin1(spec.name);
        if (!tables->contains(table)) {
            return Error::make(Error::Code::UnknownSchema,
                tr("%1 has an unknown schema: the host's table \"%2\" is missing. "
                   "Riverkeeper supports databases of KohakuRiver host 0.4.")
                    .arg(file, table));
        }
        auto columns = columnNames(db, table);
        if (!columns)
            return columns.error();
        for (const char *column : spec.columns) {
            if (!columns->contains(QString::fromLatin1(column))) {
                return Error::make(Error::Code::UnknownSchema,
                    tr("%1 has an unknown schema: table \"%2\" has no column \"%3\". "
                       "Riverkeeper supports databases of KohakuRiver host 0.4.")
                        .arg(file, table, QString::fromLatin1(column)));
            }
        }
    }
    if (tables->contains(QStringLiteral("rk_meta"))) {
        auto version = db.scalar(QStringLiteral("SELECT value FROM rk_meta WHERE key = 'schema_version'"));
        if (!version)
            return version.error();
        bool numeric = false;
        const int v = version->toString().toInt(&numeric);
        if (version->isValid() && (!numeric || v > kRiverkeeperVersion)) {
            return Error::make(Error::Code::UnknownSchema,
                tr("%1 was written by a newer Riverkeeper (its schema version is %2, "
                   "this build knows %3). Update Riverkeeper to open it.")
                    .arg(file, version->toString())
                    .arg(kRiverkeeperVersion));
        }
    }
    return {};
}

namespace {
Status runAll(SqliteDatabase &db, const QStringList &statements)
{
    for (const QString &sql : statements) {
        if (auto st = db.exec(sql); !st)
            return st;
    }
    return {};
}

Status writeVersion(SqliteDatabase &db)
{
    auto stmt = db.prepare(QStringLiteral("INSERT INTO rk_meta (key, value) VALUES ('schema_version', ?1) "
                                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    if (!stmt)
        return stmt.error();
    stmt->bind(1, QString::number(kRiverkeeperVersion));
    return stmt->run();
}
} // namespace

Status createAll(SqliteDatabase &db)
{
    return db.writeTransaction([&]() -> Status {
        if (auto st = runAll(db, hostDdl()); !st)
            return st;
        if (auto st = runAll(db, riverkeeperDdl()); !st)
            return st;
        return writeVersion(db);
    });
}

bool hasTable(SqliteDatabase &db, const QString &table)
{
    auto tables = tableNames(db);
    return tables && tables->contains(table);
}

int riverkeeperVersion(SqliteDatabase &db)
{
    if (!hasTable(db, QStringLiteral("rk_meta")))
        return 0;
    auto version = db.scalar(QStringLiteral("SELECT value FROM rk_meta WHERE key = 'schema_version'"));
    if (!version || !version->isValid())
        return 0;
    return version->toString().toInt();
}

bool hasRiverkeeperTables(SqliteDatabase &db)
{
    auto tables = tableNames(db);
    return tables && tables->contains(QStringLiteral("rk_audit"))
        && tables->contains(QStringLiteral("rk_settings")) && tables->contains(QStringLiteral("rk_meta"));
}

Status ensureRiverkeeperTables(SqliteDatabase &db)
{
    if (hasRiverkeeperTables(db))
        return {};
    return db.writeTransaction([&]() -> Status {
        if (auto st = runAll(db, riverkeeperDdl()); !st)
            return st;
        return writeVersion(db);
    });
}

Status upgradeRiverkeeperTables(SqliteDatabase &db)
{
    if (!hasRiverkeeperTables(db))
        return ensureRiverkeeperTables(db);
    if (riverkeeperVersion(db) >= kRiverkeeperVersion)
        return {};
    return db.writeTransaction([&]() -> Status {
        // Read again under the write lock: another Riverkeeper may have upgraded meanwhile.
        // A file without a version row has the version 1 tables (hasRiverkeeperTables()).
        const int from = qMax(1, riverkeeperVersion(db));
        for (int version = from + 1; version <= kRiverkeeperVersion; ++version) {
            if (auto st = runAll(db, upgradeStepTo(version)); !st)
                return st;
        }
        return writeVersion(db);
    });
}

} // namespace rk::schema
