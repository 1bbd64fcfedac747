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
// host's and stays 0). History:
//   1: rk_meta, rk_audit, rk_settings;
//   2: rk_vps_group_assignments and rk_vps_assignment_sources (VPS assignments of whole groups,
//      and which group each vps_assignments row came from).
constexpr int kRiverkeeperVersion = 2;

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
// Whether the base rk_ tables exist (rk_meta, rk_audit, rk_settings; a read-only copy may lack
// them). Tables of later versions may still be missing: see riverkeeperVersion().
bool hasRiverkeeperTables(SqliteDatabase &db);
// The rk_ schema version recorded in the file (0: no rk_ tables, or no version row).
int riverkeeperVersion(SqliteDatabase &db);
// Brings the rk_ tables of a verified, writable platform database that has them up to
// kRiverkeeperVersion, one version step after the other, in ONE write transaction (all steps or
// none), and records the new version. Reads one row and writes nothing when the file is current.
// A read-only open never calls this: it works with the version it finds (features of later
// versions read as empty).
Status upgradeRiverkeeperTables(SqliteDatabase &db);
// Whether `table` exists in `db`.
bool hasTable(SqliteDatabase &db, const QString &table);

} // namespace schema
} // namespace rk
