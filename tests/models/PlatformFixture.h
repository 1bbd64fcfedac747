#pragma once

#include "store/SqliteDatabase.h"

#include <QList>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace rk::test {

// A real platform database file in a temporary directory, created with the host's exact DDL,
// plus helpers to add users, sessions and groups in the host's formats, and an independent SQL
// computation of what the Users table should show (for checking models against).
class PlatformFixture
{
public:
    PlatformFixture();
    ~PlatformFixture();

    bool isValid() const { return m_db != nullptr; }
    QString path() const { return m_path; }
    // A read-write connection of its own: "the host" writing while a model reads.
    SqliteDatabase &db() { return *m_db; }

    qint64 addUser(const QString &username, const QString &displayName,
        const QString &role = QStringLiteral("user"), bool active = true,
        const QString &createdAt = QStringLiteral("2024-01-01 10:00:00.000001"));
    void addSession(qint64 userId, const QString &createdAt, const QString &expiresAt);
    qint64 addGroup(const QString &name);
    void addMembership(qint64 userId, qint64 groupId);

    // `users` users with deterministic pseudo-random names (some with %, _ and \ in them, some
    // non-ASCII, some without a display name), roles, sessions (expired and active, relative to
    // now), group memberships, and gaps in the ids. In one transaction.
    void populate(int users, quint32 seed = 7);

    // Host datetime text `secs` seconds from now (negative: in the past).
    static QString hostTimeFromNow(qint64 secs);

    // The ids the Users table should show, in order: an independent formulation with
    // instr(lower()) for the filter and correlated subqueries for derived columns.
    QList<qint64> expectedIds(int column, bool descending, const QString &filter);
    // The derived values of one user, computed directly.
    int activeSessionsOf(qint64 userId);
    QString lastSignInOf(qint64 userId);
    QString groupsOf(qint64 userId);

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<SqliteDatabase> m_db;
};

} // namespace rk::test
