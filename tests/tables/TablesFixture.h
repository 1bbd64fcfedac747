#pragma once

#include "core/HostTime.h"
#include "store/SqliteDatabase.h"

#include <QList>
#include <QString>
#include <QTemporaryDir>
#include <QVariant>

#include <memory>

namespace rk::test {

// A real platform database file in a temporary directory, made with the host's exact DDL
// (schema::hostDdl()) and Riverkeeper's tables, with helpers that write rows in the host's
// formats over a read-write connection of its own ("the host" writing while a model reads).
class TablesFixture
{
public:
    TablesFixture();
    ~TablesFixture();

    QString path() const { return m_path; }
    QString dirPath() const { return m_dir.path(); }
    SqliteDatabase &db() { return *m_db; }

    // A fixed "now" for models under test (Options::clock) and the texts around it.
    static hosttime::Instant now();
    static QString at(qint64 secondsFromNow, bool fraction = true);

    qint64 addUser(
        const QString &username, const QString &createdAt = QStringLiteral("2024-01-01 10:00:00.000001"));
    qint64 addSession(qint64 userId, const QString &createdAt, const QString &expiresAt);
    qint64 addToken(qint64 userId, const QString &name, const QString &createdAt, const QString &lastUsed);
    qint64 addGroup(const QString &name, int tier = 0, const QString &limitsJson = QStringLiteral("{}"));
    void addMembership(qint64 userId, qint64 groupId);
    qint64 addInvitation(const QString &role, const QVariant &groupId, int maxUsage, int usageCount,
        const QString &expiresAt, const QVariant &createdById, const QString &createdAt);
    void exec(const QString &sql);
    // The first column of every row of `sql` as qint64.
    QList<qint64> ids(const QString &sql);

    // Runs `sql` with `bind` as ?1 and returns the first column of the first row.
    QVariant scalar(const QString &sql, const QVariant &bind = {});

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<SqliteDatabase> m_db;
    quint64 m_secrets = 0;
};

} // namespace rk::test
