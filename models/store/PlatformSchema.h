#pragma once

#include "core/Result.h"

#include <QStringList>

namespace rk {

class SqliteDatabase;

// The KohakuRiver host's tables, exactly as the host creates them, and Riverkeeper's own `rk_`
// tables beside them. The host leaves unknown tables alone, so the `rk_` tables live in the
// platform database itself.
namespace schema {

// Riverkeeper's own schema version, kept in rk_meta (never in PRAGMA user_version, which is the
// host's and stays 0).
constexpr int kRiverkeeperVersion = 1;

// The host's DDL, statement by statement, byte for byte as peewee emits it.
const QStringList &hostDdl();
// Riverkeeper's tables (`CREATE TABLE IF NOT EXISTS rk_...`).
const QStringList &riverkeeperDdl();

// Checks that `db` is a platform database Riverkeeper understands: every host table with the
// columns Riverkeeper reads and writes (extra columns are fine: the host migrates with ADD COLUMN),
// and no rk_ schema newer than this build. Reads only.
Status verify(SqliteDatabase &db);
// Creates the host tables and the rk_ tables in an empty database, in one transaction.
Status createAll(SqliteDatabase &db);
// Adds the rk_ tables to a verified, writable platform database if they are missing.
Status ensureRiverkeeperTables(SqliteDatabase &db);
// Whether the rk_ tables exist (a read-only copy may lack them).
bool hasRiverkeeperTables(SqliteDatabase &db);

} // namespace schema
} // namespace rk
