#include "PlatformFixture.h"

#include "core/HostTime.h"
#include "store/PlatformSchema.h"

#include <QRandomGenerator>

namespace rk::test {

namespace {
void check(const Status &st, const char *what)
{
    if (!st)
        qFatal("PlatformFixture: %s: %s", what, qPrintable(st.error().message));
}
} // namespace

PlatformFixture::PlatformFixture()
{
    m_path = m_dir.filePath(QStringLiteral("platform.db"));
    auto db = SqliteDatabase::open(m_path, SqliteDatabase::OpenMode::CreateNew);
    if (!db)
        qFatal("PlatformFixture: %s", qPrintable(db.error().message));
    m_db = std::move(db).value();
    check(schema::createAll(*m_db), "schema");
}

PlatformFixture::~PlatformFixture() = default;

QString PlatformFixture::hostTimeFromNow(qint64 secs)
{
    return hosttime::toDbText(hosttime::Instant::now().addSecs(secs));
}

qint64 PlatformFixture::addUser(const QString &username, const QString &displayName, const QString &role,
    bool active, const QString &createdAt)
{
    auto st = m_db->prepare(
        QStringLiteral("INSERT INTO users (username, display_name, password_hash, is_active, role, "
                       "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    if (!st)
        qFatal("addUser: %s", qPrintable(st.error().message));
    st->bind(1, username).bind(2, displayName);
    st->bind(3, QStringLiteral("$2b$12$abcdefghijklmnopqrstuuJ5mJ3mD4Ld2E7nJ9a0Fqzq1C9eW7p8y"));
    st->bind(4, active).bind(5, role).bind(6, createdAt);
    check(st->run(), "insert user");
    return m_db->lastInsertRowId();
}

void PlatformFixture::addSession(qint64 userId, const QString &createdAt, const QString &expiresAt)
{
    static quint64 counter = 0;
    auto st
        = m_db->prepare(QStringLiteral("INSERT INTO sessions (session_id, user_id, expires_at, created_at) "
                                       "VALUES (?1, ?2, ?3, ?4)"));
    if (!st)
        qFatal("addSession: %s", qPrintable(st.error().message));
    st->bind(1, QStringLiteral("%1").arg(++counter, 64, 16, QLatin1Char('0')));
    st->bind(2, userId).bind(3, expiresAt).bind(4, createdAt);
    check(st->run(), "insert session");
}

qint64 PlatformFixture::addGroup(const QString &name)
{
    auto st = m_db->prepare(QStringLiteral("INSERT INTO \"groups\" (name, tier, limits_json, created_at) "
                                           "VALUES (?1, 0, '{}', '2023-01-01 00:00:00')"));
    if (!st)
        qFatal("addGroup: %s", qPrintable(st.error().message));
    st->bind(1, name);
    check(st->run(), "insert group");
    return m_db->lastInsertRowId();
}

void PlatformFixture::addMembership(qint64 userId, qint64 groupId)
{
    auto st = m_db->prepare(
        QStringLiteral("INSERT INTO user_groups (user_id, group_id, role_override, created_at) "
                       "VALUES (?1, ?2, NULL, '2023-06-01 00:00:00')"));
    if (!st)
        qFatal("addMembership: %s", qPrintable(st.error().message));
    st->bind(1, userId).bind(2, groupId);
    check(st->run(), "insert membership");
}

void PlatformFixture::populate(int users, quint32 seed)
{
    QRandomGenerator rng(seed);
    const QStringList first
        = {QStringLiteral("anna"), QStringLiteral("bob"), QStringLiteral("Carla"), QStringLiteral("dmitri"),
            QStringLiteral("Eve"), QStringLiteral("frank"), QStringLiteral("gina"), QStringLiteral("hiro")};
    const QStringList last = {QStringLiteral("Abbott"), QStringLiteral("smith"), QStringLiteral("Tanaka"),
        QStringLiteral("ng"), QStringLiteral("Müller"), QStringLiteral("O'Neil")};
    const QStringList roles = {QStringLiteral("user"), QStringLiteral("user"), QStringLiteral("viewer"),
        QStringLiteral("operator"), QStringLiteral("admin"), QStringLiteral("anony")};
    check(m_db->exec(QStringLiteral("BEGIN")), "begin");
    const QList<qint64> groups = {addGroup(QStringLiteral("gpu")), addGroup(QStringLiteral("research")),
        addGroup(QStringLiteral("Staff")), addGroup(QStringLiteral("alpha, beta")),
        addGroup(QStringLiteral("zeta"))};
    for (int i = 0; i < users; ++i) {
        const QString f = first.at(int(rng.bounded(first.size())));
        const QString l = last.at(int(rng.bounded(last.size())));
        QString username;
        switch (i % 13) {
        case 0: username = f + QStringLiteral("_") + l; break;
        case 1: username = f + QStringLiteral("%") + l; break;
        case 2: username = f + QStringLiteral("\\") + l; break;
        default: username = f + QStringLiteral(".") + l; break;
        }
        username += QString::number(i);
        QString display;
        switch (i % 7) {
        case 0: display = QString(); break; // NULL display name
        case 1: display = f + QStringLiteral(" 100% ") + l; break;
        default: display = f + QLatin1Char(' ') + l; break;
        }
        const qint64 createdSecs = -qint64(rng.bounded(5 * 365 * 86400));
        // Some equal created_at values, to exercise the id tie-break.
        const QString created
            = i % 11 == 0 ? QStringLiteral("2022-02-02 02:02:02") : hostTimeFromNow(createdSecs);
        const qint64 id = addUser(
            username, display, roles.at(int(rng.bounded(roles.size()))), rng.bounded(10) != 0, created);
        const int sessions = int(rng.bounded(4));
        for (int s = 0; s < sessions; ++s) {
            const qint64 start = -qint64(rng.bounded(60 * 86400));
            // expires = start + 30 days: those started in the last 30 days are still active.
            addSession(id, hostTimeFromNow(start), hostTimeFromNow(start + 30 * 86400));
        }
        const int memberships = int(rng.bounded(3));
        for (int m = 0; m < memberships; ++m) {
            auto st = m_db->prepare(
                QStringLiteral("INSERT OR IGNORE INTO user_groups (user_id, group_id, "
                               "role_override, created_at) VALUES (?1, ?2, NULL, '2023-06-01')"));
            st->bind(1, id).bind(2, groups.at(int(rng.bounded(groups.size()))));
            check(st->run(), "membership");
        }
    }
    // Sort-key edge cases: empty text, keys that are prefixes of each other (shorter and longer
    // than the 8 bytes a sort entry keeps inline), non-ASCII bytes, and a very long name.
    const QStringList tricky = {QString(QLatin1String("")), QStringLiteral("Alexandr"),
        QStringLiteral("Alexandra"), QStringLiteral("Alexandr"), QStringLiteral("Alexandria Ocasio"),
        QStringLiteral("Alexandria Ocasio-Cortez"), QStringLiteral("Alexandria Ocasio"),
        QStringLiteral("\u00e9lise"), QStringLiteral("zz top"), QStringLiteral("Al"),
        QString(300, QLatin1Char('x')), QString(300, QLatin1Char('x')) + QLatin1Char('y')};
    for (int i = 0; i < tricky.size(); ++i) {
        const qint64 id = addUser(QStringLiteral("edge%1").arg(i), tricky.at(i), roles.at(i % roles.size()));
        if (i % 2 == 0)
            addSession(id, hostTimeFromNow(-100 - i), hostTimeFromNow(3600));
    }
    // Gaps in the ids, and sessions left behind by deleted users (the host does not cascade).
    check(m_db->exec(QStringLiteral("DELETE FROM users WHERE id % 17 = 5")), "gaps");
    check(m_db->exec(QStringLiteral("COMMIT")), "commit");
}

QList<qint64> PlatformFixture::expectedIds(int column, bool descending, const QString &filter)
{
    static const char *keys[] = {
        "u.username",
        "u.display_name",
        "u.role",
        "(SELECT group_concat(name, ', ') FROM (SELECT g.name FROM user_groups ug JOIN \"groups\" g "
        "ON g.id = ug.group_id WHERE ug.user_id = u.id ORDER BY g.name))",
        "u.created_at",
        "(SELECT max(s.created_at) FROM sessions s WHERE s.user_id = u.id)",
        "(SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?2)",
        "u.is_active",
    };
    QString sql
        = QStringLiteral("SELECT u.id FROM users u WHERE (?1 = '' OR instr(lower(u.username), lower(?1)) > 0 "
                         "OR instr(lower(coalesce(u.display_name, '')), lower(?1)) > 0 "
                         "OR instr(lower(u.role), lower(?1)) > 0) ORDER BY ");
    if (column >= 0 && column < 8)
        sql += QString::fromLatin1(keys[column])
            + (descending ? QStringLiteral(" DESC, ") : QStringLiteral(" ASC, "));
    sql += QStringLiteral("u.id ASC");
    auto st = m_db->prepare(sql);
    if (!st)
        qFatal("expectedIds: %s", qPrintable(st.error().message));
    st->bind(1, filter.isNull() ? QStringLiteral("") : filter).bind(2, hosttime::nowDbText());
    QList<qint64> ids;
    while (st->step().value())
        ids.append(st->int64(0));
    return ids;
}

int PlatformFixture::activeSessionsOf(qint64 userId)
{
    auto st = m_db->prepare(
        QStringLiteral("SELECT count(*) FROM sessions WHERE user_id = ?1 AND expires_at > ?2"));
    st->bind(1, userId).bind(2, hosttime::nowDbText());
    (void)st->step();
    return int(st->int64(0));
}

QString PlatformFixture::lastSignInOf(qint64 userId)
{
    auto st = m_db->prepare(QStringLiteral("SELECT max(created_at) FROM sessions WHERE user_id = ?1"));
    st->bind(1, userId);
    (void)st->step();
    return st->text(0);
}

QString PlatformFixture::groupsOf(qint64 userId)
{
    auto st = m_db->prepare(
        QStringLiteral("SELECT g.name FROM user_groups ug JOIN \"groups\" g ON g.id = ug.group_id "
                       "WHERE ug.user_id = ?1"));
    st->bind(1, userId);
    QStringList names;
    while (st->step().value())
        names.append(st->text(0));
    // Bytewise (UTF-8) order, as SQLite's BINARY collation: fine for these ASCII names.
    std::sort(names.begin(), names.end(),
        [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });
    return names.join(QStringLiteral(", "));
}

} // namespace rk::test
