#include "PlatformDbGenerator.h"

#include "core/Secrets.h"
#include "store/PlatformSchema.h"
#include "store/SqliteDatabase.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <sqlite3.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

namespace rk::bench {

namespace {

// Fast deterministic randomness: the generator must write millions of rows in seconds, so no
// QRandomGenerator::system() and no QDateTime per row.
struct Rng
{
    quint64 state;
    quint64 next()
    {
        quint64 z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    qint64 below(qint64 n) { return qint64(next() % quint64(n)); }
};

// Naive (time zone free) seconds since 1970-01-01 00:00:00 of a civil date and time. The host's
// datetimes are naive local text, so the generator does all its arithmetic in that naive space.
qint64 daysFromCivil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return qint64(era) * 146097 + qint64(doe) - 719468;
}

void civilFromDays(qint64 z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = static_cast<int>(qint64(yoe) + era * 400 + (*m <= 2));
}

// Writes `YYYY-MM-DD HH:MM:SS[.ffffff]` (the fraction left out when zero, as Python does).
int formatNaive(qint64 micros, char *out)
{
    qint64 secs = micros / 1000000;
    int frac = int(micros % 1000000);
    const qint64 days = secs / 86400;
    int sod = int(secs % 86400);
    int y;
    unsigned m, d;
    civilFromDays(days, &y, &m, &d);
    const int n = std::snprintf(
        out, 32, "%04d-%02u-%02u %02d:%02d:%02d", y, m, d, sod / 3600, (sod / 60) % 60, sod % 60);
    if (frac == 0)
        return n;
    return n + std::snprintf(out + n, 12, ".%06d", frac);
}

const std::array<const char *, 64> kFirst = {"James", "Mary", "Robert", "Patricia", "John", "Jennifer",
    "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
    "Thomas", "Sarah", "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark",
    "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua",
    "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy",
    "Stephanie", "Ronald", "Rebecca", "Jason", "Sharon", "Edward", "Laura", "Jeffrey", "Cynthia", "Ryan",
    "Dorothy", "Jacob", "Amy", "Gary", "Kathleen", "Nicholas", "Angela"};
const std::array<const char *, 64> kLast = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia",
    "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
    "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris",
    "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
    "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
    "Mitchell", "Carter", "Roberts", "Abbott", "Tanaka", "Suzuki", "Kowalski", "Novak", "Fischer", "Weber",
    "Rossi", "Costa", "Silva", "Kim", "Park", "Chen", "Wang"};
// Display names outside ASCII, as real user bases have them.
const std::array<const char *, 12> kUnicodeFirst = {"Zoë", "José", "Łukasz", "Søren", "Björn", "Renée",
    "Jürgen", "Çağla", "Ólafur", "Ana María", "François", "Małgorzata"};
const std::array<const char *, 8> kUnicodeLast
    = {"Müller", "Ñúñez", "Østergaard", "Dvořák", "Šimková", "Gómez", "Ærø", "Kovačević"};
const std::array<const char *, 20> kGroupWords
    = {"research", "gpu", "students", "staff", "ml", "vision", "nlp", "robotics", "infra", "data", "bio",
        "physics", "chem", "hpc", "interns", "ops", "audio", "graphics", "security", "admins"};

struct Stmt
{
    sqlite3_stmt *s = nullptr;
    ~Stmt() { sqlite3_finalize(s); }
};

Error sqlError(sqlite3 *db, int rc)
{
    return SqliteDatabase::errorFromCode(rc, QString::fromUtf8(sqlite3_errmsg(db)), QString());
}

} // namespace

Result<PlatformDbGenerator::Stats> PlatformDbGenerator::generate(const QString &path, const Options &options)
{
    QElapsedTimer timer;
    timer.start();
    auto opened = SqliteDatabase::open(path, SqliteDatabase::OpenMode::CreateNew);
    if (!opened)
        return opened.error();
    SqliteDatabase &db = **opened;
    sqlite3 *h = db.handle();

    // A brand-new private file: no journal and no fsync while it is built. journal_mode=OFF is
    // not persistent, so the finished file is in the host's default rollback-journal mode.
    if (auto st = db.exec(QStringLiteral("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                                         "PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY"));
        !st)
        return st.error();

    // Tables first, indexes after the bulk load (building an index from sorted data is much
    // faster than maintaining it row by row). The statements are the host's, byte for byte.
    QStringList tables, indexes;
    for (const QString &sql : schema::hostDdl())
        (sql.startsWith(QLatin1String("CREATE TABLE")) ? tables : indexes).append(sql);
    for (const QString &sql : tables + schema::riverkeeperDdl()) {
        if (auto st = db.exec(sql); !st)
            return st.error();
    }
    if (auto st = db.exec(QStringLiteral("INSERT INTO rk_meta (key, value) VALUES ('schema_version', '%1')")
                              .arg(schema::kRiverkeeperVersion));
        !st)
        return st.error();

    // One real bcrypt hash (cost 12, as the host writes), reused for every user.
    auto hash = Passwords::hash(QStringLiteral("correct horse battery staple"));
    if (!hash)
        return hash.error();
    const QByteArray passwordHash = hash->text().toLatin1();

    Rng rng {options.seed};
    Stats stats;
    const QDateTime nowLocal = QDateTime::currentDateTime();
    const QDate nd = nowLocal.date();
    const QTime nt = nowLocal.time();
    const qint64 nowSecs = daysFromCivil(nd.year(), unsigned(nd.month()), unsigned(nd.day())) * 86400
        + nt.msecsSinceStartOfDay() / 1000;
    const qint64 nowMicros = nowSecs * 1000000;
    const qint64 span = qint64(5) * 365 * 86400 * 1000000; // users registered over five years
    const qint64 firstMicros = nowMicros - span;
    const qint64 n = qMax<qint64>(1, options.users);
    auto userCreated = [&](qint64 id) {
        // Mostly in id order (ids are handed out in registration order), with some jitter.
        const quint64 jitter = (quint64(id) * 0x9e3779b97f4a7c15ULL) >> 40; // 0..16.7M us
        return firstMicros + span / n * (id - 1) + qint64(jitter);
    };
    auto randomMicros = [&](qint64 from, qint64 to) {
        qint64 t = from + (to > from ? rng.below(to - from) : 0);
        if (rng.below(50) == 0)
            t -= t % 1000000; // some values without a fraction, as Python writes them
        return t;
    };

    if (auto st = db.exec(QStringLiteral("BEGIN")); !st)
        return st.error();
    char buf[64];
    char buf2[64];

    // --- groups ---
    const int groupCount = qMax(0, options.groups);
    {
        Stmt ins;
        sqlite3_prepare_v2(h,
            "INSERT INTO \"groups\" (id, name, tier, limits_json, created_at) VALUES (?,?,?,?,?)", -1, &ins.s,
            nullptr);
        for (int g = 1; g <= groupCount; ++g) {
            QByteArray name;
            if (g <= int(kGroupWords.size()))
                name = QByteArray("team-") + kGroupWords[size_t(g - 1)];
            else
                name = QByteArray(kGroupWords[size_t(g) % kGroupWords.size()]) + '-' + QByteArray::number(g);
            sqlite3_bind_int64(ins.s, 1, g);
            sqlite3_bind_text(ins.s, 2, name.constData(), int(name.size()), SQLITE_TRANSIENT);
            sqlite3_bind_int(ins.s, 3, g % 4);
            const char *limits = g % 3 == 0 ? "{\"max_tasks\":10,\"gpu_cap\":2}" : "{}";
            sqlite3_bind_text(ins.s, 4, limits, -1, SQLITE_STATIC);
            const int len = formatNaive(firstMicros - qint64(g) * 3600 * 1000000, buf);
            sqlite3_bind_text(ins.s, 5, buf, len, SQLITE_STATIC);
            if (int rc = sqlite3_step(ins.s); rc != SQLITE_DONE)
                return sqlError(h, rc);
            sqlite3_reset(ins.s);
        }
    }

    // --- users and their group memberships ---
    {
        Stmt ins, member;
        sqlite3_prepare_v2(h,
            "INSERT INTO \"users\" (id, username, display_name, password_hash, is_active, "
            "role, created_at) VALUES (?,?,?,?,?,?,?)",
            -1, &ins.s, nullptr);
        sqlite3_prepare_v2(h,
            "INSERT INTO \"user_groups\" (user_id, group_id, role_override, created_at) "
            "VALUES (?,?,?,?)",
            -1, &member.s, nullptr);
        QByteArray username, display;
        for (qint64 id = 1; id <= options.users; ++id) {
            const char *first = kFirst[size_t(rng.below(kFirst.size()))];
            const char *last = kLast[size_t(rng.below(kLast.size()))];
            const double u = rng.uniform();
            // Three username styles; each ends in the id so they are unique by construction.
            username.clear();
            if (u < 0.5)
                username.append(first).append('.').append(last);
            else if (u < 0.8)
                username.append(first).append('_').append(last);
            else
                username.append(first[0]).append(last);
            username = username.toLower();
            username.append(QByteArray::number(id));

            const double d = rng.uniform();
            display.clear();
            bool nullDisplay = false;
            if (d < 0.04)
                nullDisplay = true;
            else if (d < 0.12)
                display.append(kUnicodeFirst[size_t(rng.below(kUnicodeFirst.size()))])
                    .append(' ')
                    .append(kUnicodeLast[size_t(rng.below(kUnicodeLast.size()))]);
            else
                display.append(first).append(' ').append(last);

            const double r = rng.uniform();
            const char *role = r < 0.02 ? "admin"
                : r < 0.08              ? "operator"
                : r < 0.25              ? "viewer"
                : r < 0.252             ? "anony"
                                        : "user";
            const qint64 created = userCreated(id);
            const int len = formatNaive(created, buf);

            sqlite3_bind_int64(ins.s, 1, id);
            sqlite3_bind_text(ins.s, 2, username.constData(), int(username.size()), SQLITE_STATIC);
            if (nullDisplay)
                sqlite3_bind_null(ins.s, 3);
            else
                sqlite3_bind_text(ins.s, 3, display.constData(), int(display.size()), SQLITE_STATIC);
            sqlite3_bind_text(ins.s, 4, passwordHash.constData(), int(passwordHash.size()), SQLITE_STATIC);
            sqlite3_bind_int(ins.s, 5, rng.below(100) < 93 ? 1 : 0);
            sqlite3_bind_text(ins.s, 6, role, -1, SQLITE_STATIC);
            sqlite3_bind_text(ins.s, 7, buf, len, SQLITE_STATIC);
            if (int rc = sqlite3_step(ins.s); rc != SQLITE_DONE)
                return sqlError(h, rc);
            sqlite3_reset(ins.s);
            ++stats.users;

            if (groupCount == 0)
                continue;
            const double m = rng.uniform();
            const int memberships = qMin(groupCount, m < 0.45 ? 0 : m < 0.80 ? 1 : m < 0.95 ? 2 : 3);
            int chosen[3] = {0, 0, 0};
            for (int k = 0; k < memberships; ++k) {
                int g;
                do {
                    // Low group ids are the popular ones.
                    g = 1 + int(double(groupCount) * std::pow(rng.uniform(), 1.7));
                    g = qMin(g, groupCount);
                } while ((k > 0 && chosen[0] == g) || (k > 1 && chosen[1] == g));
                chosen[k] = g;
                sqlite3_bind_int64(member.s, 1, id);
                sqlite3_bind_int(member.s, 2, g);
                if (rng.below(50) == 0)
                    sqlite3_bind_text(member.s, 3, "operator", -1, SQLITE_STATIC);
                else
                    sqlite3_bind_null(member.s, 3);
                const int l2 = formatNaive(randomMicros(created, nowMicros), buf2);
                sqlite3_bind_text(member.s, 4, buf2, l2, SQLITE_STATIC);
                if (int rc = sqlite3_step(member.s); rc != SQLITE_DONE)
                    return sqlError(h, rc);
                sqlite3_reset(member.s);
                ++stats.memberships;
            }
        }
    }

    // Random lowercase hex of 16 * quads characters (session ids, token hashes, invitation tokens).
    static const char hex[] = "0123456789abcdef";
    auto randomHex = [&rng](char *out, int quads) {
        for (int w = 0; w < quads; ++w) {
            quint64 bits = rng.next();
            for (int k = 0; k < 16; ++k, bits >>= 4)
                out[w * 16 + k] = hex[bits & 15];
        }
    };

    // --- sessions: skewed towards a minority of heavy users, mostly expired ---
    {
        Stmt ins;
        sqlite3_prepare_v2(h,
            "INSERT INTO \"sessions\" (session_id, user_id, expires_at, created_at) "
            "VALUES (?,?,?,?)",
            -1, &ins.s, nullptr);
        const qint64 lifetime = qint64(720) * 3600 * 1000000; // SESSION_EXPIRE_HOURS
        char sid[64];
        for (qint64 i = 0; i < options.sessions && options.users > 0; ++i) {
            const double r = rng.uniform();
            const qint64 rank = qint64(double(options.users) * r * r);
            const qint64 userId = 1 + qint64((quint64(rank) * 2654435761ULL) % quint64(options.users));
            const qint64 born = userCreated(userId);
            qint64 created;
            // About one session in eight was opened within the session lifetime, so it is still active.
            if (rng.uniform() < 0.12 && born < nowMicros - 3600LL * 1000000)
                created = randomMicros(qMax(born, nowMicros - lifetime + 60LL * 1000000), nowMicros);
            else
                created = randomMicros(born, nowMicros);
            const qint64 expires = created + lifetime;
            if (expires > nowMicros)
                ++stats.activeSessions;
            randomHex(sid, 4);
            const int l1 = formatNaive(expires, buf);
            const int l2 = formatNaive(created, buf2);
            sqlite3_bind_text(ins.s, 1, sid, 64, SQLITE_STATIC);
            sqlite3_bind_int64(ins.s, 2, userId);
            sqlite3_bind_text(ins.s, 3, buf, l1, SQLITE_STATIC);
            sqlite3_bind_text(ins.s, 4, buf2, l2, SQLITE_STATIC);
            if (int rc = sqlite3_step(ins.s); rc != SQLITE_DONE)
                return sqlError(h, rc);
            sqlite3_reset(ins.s);
            ++stats.sessions;
        }
    }

    // --- API tokens: the hash is random hex of the host's length (nobody signs in with them) ---
    {
        Stmt ins;
        sqlite3_prepare_v2(h,
            "INSERT INTO \"tokens\" (user_id, token_hash, name, last_used, created_at) VALUES (?,?,?,?,?)",
            -1, &ins.s, nullptr);
        static const char *const kNames[] = {"ci", "laptop", "notebook", "cron", "cli", "grafana", "backup"};
        char tokenHash[128];
        char name[48];
        for (qint64 i = 0; i < options.tokens && options.users > 0; ++i) {
            const qint64 userId = 1 + rng.below(options.users);
            const qint64 created = randomMicros(userCreated(userId), nowMicros);
            randomHex(tokenHash, 8);
            const int ln
                = std::snprintf(name, sizeof name, "%s-%lld", kNames[rng.below(7)], (long long)i + 1);
            sqlite3_bind_int64(ins.s, 1, userId);
            sqlite3_bind_text(ins.s, 2, tokenHash, 128, SQLITE_STATIC);
            sqlite3_bind_text(ins.s, 3, name, ln, SQLITE_STATIC);
            if (rng.below(3) == 0) {
                sqlite3_bind_null(ins.s, 4);
            } else {
                const int l1 = formatNaive(randomMicros(created, nowMicros), buf);
                sqlite3_bind_text(ins.s, 4, buf, l1, SQLITE_STATIC);
            }
            const int l2 = formatNaive(created, buf2);
            sqlite3_bind_text(ins.s, 5, buf2, l2, SQLITE_STATIC);
            if (int rc = sqlite3_step(ins.s); rc != SQLITE_DONE)
                return sqlError(h, rc);
            sqlite3_reset(ins.s);
            ++stats.tokens;
        }
    }

    // --- invitations: valid, used up and expired ones, made by random users ---
    {
        Stmt ins;
        sqlite3_prepare_v2(h,
            "INSERT INTO \"invitations\" (token, role, group_id, max_usage, usage_count, expires_at, "
            "created_by_id, created_at) VALUES (?,?,?,?,?,?,?,?)",
            -1, &ins.s, nullptr);
        static const char *const kRoles[] = {"viewer", "user", "user", "user", "operator"};
        char token[64];
        for (qint64 i = 0; i < options.invitations; ++i) {
            const qint64 created = randomMicros(nowMicros - qint64(400) * 86400 * 1000000, nowMicros);
            const int maxUsage = 1 + int(rng.below(20));
            const int used = int(rng.below(maxUsage + 1));
            const qint64 expires = created + (1 + rng.below(720)) * qint64(3600) * 1000000;
            randomHex(token, 4);
            sqlite3_bind_text(ins.s, 1, token, 64, SQLITE_STATIC);
            sqlite3_bind_text(ins.s, 2, kRoles[rng.below(5)], -1, SQLITE_STATIC);
            if (groupCount > 0 && rng.below(3) == 0)
                sqlite3_bind_int(ins.s, 3, 1 + int(rng.below(groupCount)));
            else
                sqlite3_bind_null(ins.s, 3);
            sqlite3_bind_int(ins.s, 4, maxUsage);
            sqlite3_bind_int(ins.s, 5, used);
            const int l1 = formatNaive(expires, buf);
            sqlite3_bind_text(ins.s, 6, buf, l1, SQLITE_STATIC);
            if (options.users > 0)
                sqlite3_bind_int64(ins.s, 7, 1 + rng.below(qMin<qint64>(options.users, 50)));
            else
                sqlite3_bind_null(ins.s, 7);
            const int l2 = formatNaive(created, buf2);
            sqlite3_bind_text(ins.s, 8, buf2, l2, SQLITE_STATIC);
            if (int rc = sqlite3_step(ins.s); rc != SQLITE_DONE)
                return sqlError(h, rc);
            sqlite3_reset(ins.s);
            ++stats.invitations;
        }
    }

    for (const QString &sql : indexes) {
        if (auto st = db.exec(sql); !st)
            return st.error();
    }
    if (auto st = db.exec(QStringLiteral("COMMIT")); !st)
        return st.error();
    // ANALYZE is not run: the host never runs it, and the model must be fast without stats.
    stats.elapsedMs = timer.elapsed();
    return stats;
}

} // namespace rk::bench
