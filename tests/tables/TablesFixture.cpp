#include "TablesFixture.h"

#include "store/PlatformSchema.h"

#include <QCryptographicHash>
#include <QDateTime>

namespace rk::test {

namespace {
QString secretHex(quint64 n, QCryptographicHash::Algorithm algorithm)
{
    return QString::fromLatin1(QCryptographicHash::hash(QByteArray::number(n), algorithm).toHex());
}

void check(const Status &st, const char *what)
{
    if (!st)
        qFatal("TablesFixture: %s: %s", what, qPrintable(st.error().message));
}

SqlStatement prepare(SqliteDatabase &db, const QString &sql)
{
    auto st = db.prepare(sql);
    if (!st)
        qFatal("TablesFixture: %s: %s", qPrintable(sql), qPrintable(st.error().message));
    return std::move(st).value();
}
} // namespace

TablesFixture::TablesFixture()
{
    m_path = m_dir.filePath(QStringLiteral("platform.db"));
    auto db = SqliteDatabase::open(m_path, SqliteDatabase::OpenMode::CreateNew);
    if (!db)
        qFatal("TablesFixture: %s", qPrintable(db.error().message));
    m_db = std::move(db).value();
    for (const QString &sql : schema::hostDdl() + schema::riverkeeperDdl())
        check(m_db->exec(sql), "schema");
    exec(QStringLiteral("INSERT INTO rk_meta (key, value) VALUES ('schema_version', '%1')")
             .arg(schema::kRiverkeeperVersion));
}

TablesFixture::~TablesFixture() = default;

hosttime::Instant TablesFixture::now()
{
    // A fixed local moment with a fraction, away from any DST change.
    static const hosttime::Instant fixed
        = hosttime::Instant::fromDateTime(QDateTime(QDate(2026, 6, 15), QTime(12, 30, 45, 250)));
    return fixed;
}

QString TablesFixture::at(qint64 secondsFromNow, bool fraction)
{
    hosttime::Instant t = now().addSecs(secondsFromNow);
    if (!fraction)
        t.micros = 0;
    return hosttime::toDbText(t);
}

void TablesFixture::exec(const QString &sql)
{
    check(m_db->exec(sql), "exec");
}

qint64 TablesFixture::addUser(const QString &username, const QString &createdAt)
{
    SqlStatement st = prepare(*m_db,
        QStringLiteral("INSERT INTO users (username, display_name, password_hash, "
                       "is_active, role, created_at) VALUES (?1, ?1, 'x', 1, 'user', ?2)"));
    st.bind(1, username).bind(2, createdAt);
    check(st.run(), "user");
    return m_db->lastInsertRowId();
}

qint64 TablesFixture::addSession(qint64 userId, const QString &createdAt, const QString &expiresAt)
{
    SqlStatement st = prepare(*m_db,
        QStringLiteral("INSERT INTO sessions (session_id, user_id, expires_at, created_at) "
                       "VALUES (?1, ?2, ?3, ?4)"));
    st.bind(1, secretHex(++m_secrets, QCryptographicHash::Sha256));
    st.bind(2, userId).bind(3, expiresAt).bind(4, createdAt);
    check(st.run(), "session");
    return m_db->lastInsertRowId();
}

qint64 TablesFixture::addToken(
    qint64 userId, const QString &name, const QString &createdAt, const QString &lastUsed)
{
    SqlStatement st = prepare(*m_db,
        QStringLiteral("INSERT INTO tokens (user_id, token_hash, name, last_used, "
                       "created_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
    st.bind(1, userId).bind(2, secretHex(++m_secrets, QCryptographicHash::Sha3_512));
    st.bind(3, name).bind(4, lastUsed).bind(5, createdAt);
    check(st.run(), "token");
    return m_db->lastInsertRowId();
}

qint64 TablesFixture::addGroup(const QString &name, int tier, const QString &limitsJson)
{
    SqlStatement st = prepare(*m_db,
        QStringLiteral("INSERT INTO \"groups\" (name, tier, limits_json, created_at) "
                       "VALUES (?1, ?2, ?3, '2025-03-01 08:00:00.5')"));
    st.bind(1, name).bind(2, tier).bind(3, limitsJson);
    check(st.run(), "group");
    return m_db->lastInsertRowId();
}

void TablesFixture::addMembership(qint64 userId, qint64 groupId)
{
    SqlStatement st = prepare(*m_db,
        QStringLiteral("INSERT INTO user_groups (user_id, group_id, role_override, "
                       "created_at) VALUES (?1, ?2, NULL, '2025-04-01 00:00:00')"));
    st.bind(1, userId).bind(2, groupId);
    check(st.run(), "membership");
}

qint64 TablesFixture::addInvitation(const QString &role, const QVariant &groupId, int maxUsage,
    int usageCount, const QString &expiresAt, const QVariant &createdById, const QString &createdAt)
{
    SqlStatement st = prepare(*m_db,
        QStringLiteral("INSERT INTO invitations (token, role, group_id, max_usage, "
                       "usage_count, expires_at, created_by_id, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    st.bind(1, secretHex(++m_secrets, QCryptographicHash::Sha256));
    st.bind(2, role).bindVariant(3, groupId).bind(4, maxUsage).bind(5, usageCount);
    st.bind(6, expiresAt).bindVariant(7, createdById).bind(8, createdAt);
    check(st.run(), "invitation");
    return m_db->lastInsertRowId();
}

QList<qint64> TablesFixture::ids(const QString &sql)
{
    SqlStatement st = prepare(*m_db, sql);
    QList<qint64> out;
    for (;;) {
        auto row = st.step();
        if (!row)
            qFatal("TablesFixture::ids: %s", qPrintable(row.error().message));
        if (!*row)
            break;
        out.append(st.int64(0));
    }
    return out;
}

QVariant TablesFixture::scalar(const QString &sql, const QVariant &bind)
{
    SqlStatement st = prepare(*m_db, sql);
    if (bind.isValid())
        st.bindVariant(1, bind);
    auto row = st.step();
    if (!row)
        qFatal("TablesFixture::scalar: %s", qPrintable(row.error().message));
    return *row ? st.value(0) : QVariant();
}

} // namespace rk::test
