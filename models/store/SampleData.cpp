#include "SampleData.h"

#include "PlatformStore.h"
#include "SqliteDatabase.h"
#include "core/Role.h"

#include <QCoreApplication>
#include <QHash>
#include <QRandomGenerator>
#include <QSet>
#include <QVariant>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace rk {

namespace {

constexpr qint64 kMinute = 60;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;
constexpr qint64 kSessionLifetime = 720 * kHour; // the host's SESSION_EXPIRE_HOURS default
constexpr qint64 kGiB = qint64(1) << 30;

constexpr std::array<const char *, 40> kFirstNames = {"Hana", "Kenji", "Aiko", "Lukas", "Maria", "Wei",
    "Priya", "Omar", "Sofia", "Mateo", "Yuki", "Elena", "Jonas", "Amara", "Chen", "Fatima", "Noah", "Ingrid",
    "Ravi", "Leila", "Tomas", "Mei", "Daniel", "Zara", "Akira", "Olga", "Samuel", "Nadia", "Haruto", "Clara",
    "Ibrahim", "Sakura", "Felix", "Ana", "Dmitri", "Grace", "Kwame", "Lena", "Arjun", "Emma"};
// UTF-8: a few family names are not ASCII, as in any real user list.
constexpr std::array<const char *, 40> kLastNames
    = {"Sato", "Tanaka", "M\xc3\xbcller", "Rossi", "Zhang", "Patel", "Haddad",
        "Garc\xc3\xad"
        "a",
        "Kowalski", "Nakamura", "Ivanova", "Lindqvist", "Okafor", "Chen", "Rahman", "Dubois", "Yamamoto",
        "Singh", "Novak", "Ferreira", "Kim", "Hoffmann", "Mensah", "Costa", "Watanabe", "Petrov", "Larsen",
        "Ali", "Suzuki", "Martin", "Bauer", "Ito", "Nguyen", "Moreau", "Schmidt", "Kato", "Silva", "Jensen",
        "Khan", "Fischer"};

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::SampleData", text);
}

// JSON text the way Python's json.dumps() writes it (", " and ": " separators), which is what
// the host stores in its JSON columns.
QString pyStr(const QString &s)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : s) {
        if (c == QLatin1Char('"') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\') + QString(c);
        else if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + QLatin1Char('"');
}

QString pyList(const QStringList &encodedItems)
{
    return QLatin1Char('[') + encodedItems.join(QLatin1String(", ")) + QLatin1Char(']');
}

QString pyStrList(const QStringList &items)
{
    QStringList encoded;
    for (const QString &item : items)
        encoded << pyStr(item);
    return pyList(encoded);
}

QString pyIntList(const QList<int> &items)
{
    QStringList encoded;
    for (int item : items)
        encoded << QString::number(item);
    return pyList(encoded);
}

using PyPairs = std::vector<std::pair<QString, QString>>; // key, encoded value

QString pyObj(const PyPairs &pairs)
{
    QStringList parts;
    for (const auto &[key, value] : pairs)
        parts << pyStr(key) + QLatin1String(": ") + value;
    return QLatin1Char('{') + parts.join(QLatin1String(", ")) + QLatin1Char('}');
}

QString pyFloat(double v)
{
    // Python prints a float with at least one decimal.
    QString s = QString::number(v, 'f', 4);
    while (s.endsWith(QLatin1Char('0')) && !s.endsWith(QLatin1String(".0")))
        s.chop(1);
    return s;
}

// Lowercase ASCII letters only: "Müller" -> "muller".
QString asciiFold(const QString &name)
{
    QString out;
    for (const QChar c : name.normalized(QString::NormalizationForm_D)) {
        if (c.unicode() < 0x80 && c.isLetter())
            out += c.toLower();
    }
    return out;
}

struct SampleUser
{
    qint64 id = 0;
    QString username;
    QString displayName;
    QString role;
    bool active = true;
    qint64 createdAgo = 0; // seconds before `now`
};

struct NodeSpec
{
    QString hostname;
    QString url;
    int cores = 0;
    int numaNodes = 1;
    QString gpuName;
    int gpuCount = 0;
    double gpuMemMiB = 0;
    int gpuPowerLimitW = 0;
    qint64 memBytes = 0;
    bool online = true;
    bool vmCapable = false;
};

struct TaskTemplate
{
    const char *name;
    const char *command;
    std::array<const char *, 6> args; // nullptr-terminated
    const char *envKey; // nullptr: no env vars
    const char *envValue;
    int cores;
    int gpus;
    qint64 memGiB; // 0: unset
};

constexpr std::array<TaskTemplate, 10> kTaskTemplates = {{
    {"vit-b16-pretrain", "python",
        {"train.py", "--config", "configs/vit_b16.yaml", "--epochs", "300", nullptr}, "WANDB_MODE", "offline",
        16, 4, 128},
    {"llama-lora-sweep", "torchrun", {"--nproc_per_node=2", "finetune.py", "--lr", "2e-4", nullptr, nullptr},
        "HF_HOME", "/shared/hf-cache", 8, 2, 64},
    {"blender-shot-042", "blender",
        {"-b", "scenes/shot_042.blend", "-o", "//frames/shot042_####", "-a", nullptr}, nullptr, nullptr, 32,
        1, 32},
    {"alphafold-batch-7", "python",
        {"run_alphafold.py", "--fasta_paths=inputs/batch7.fasta", nullptr, nullptr, nullptr, nullptr},
        "TF_FORCE_UNIFIED_MEMORY", "1", 12, 1, 96},
    {"preprocess-imagenet", "python", {"tools/preprocess.py", "--split", "train", "--workers", "16", nullptr},
        "OMP_NUM_THREADS", "16", 16, 0, 48},
    {"gromacs-md-lysozyme", "gmx", {"mdrun", "-deffnm", "md_0_10", "-nt", "16", nullptr}, nullptr, nullptr,
        16, 1, 16},
    {"eval-checkpoints", "bash", {"scripts/eval_all.sh", "runs/2026-02", nullptr, nullptr, nullptr, nullptr},
        "CUDA_LAUNCH_BLOCKING", "0", 4, 1, 24},
    {"dataset-sync", "rsync",
        {"-a", "--delete", "/shared/datasets/coco/", "/local_temp/coco/", nullptr, nullptr}, nullptr, nullptr,
        2, 0, 0},
    {"nightly-report", "python", {"reports/nightly.py", "--since", "24h", nullptr, nullptr, nullptr}, "TZ",
        "UTC", 1, 0, 2},
    {"sd-finetune", "accelerate",
        {"launch", "train_text_to_image.py", "--mixed_precision=fp16", nullptr, nullptr, nullptr},
        "WANDB_PROJECT", "sd-ft", 8, 2, 64},
}};

class Builder
{
public:
    Builder(PlatformStore &store, const Actor &admin, const SampleDataOptions &opts)
        : m_store(store),
          m_admin(admin),
          m_opts(opts),
          m_rng(opts.seed),
          m_now(opts.now.value_or(hosttime::Instant::now()))
    {
    }

    Status run()
    {
        for (auto step :
            {&Builder::createUsers, &Builder::createGroups, &Builder::createSessions, &Builder::createTokens,
                &Builder::createInvitations, &Builder::createNodes, &Builder::createTasks}) {
            const Status status = (this->*step)();
            if (!status)
                return status;
        }
        return {};
    }

private:
    // --- helpers --------------------------------------------------------------------------
    int below(int n) { return n <= 0 ? 0 : static_cast<int>(m_rng.bounded(static_cast<quint32>(n))); }
    qint64 between(qint64 lo, qint64 hi)
    {
        return lo + static_cast<qint64>(m_rng.bounded(static_cast<double>(hi - lo)));
    }
    bool chance(int percent) { return below(100) < percent; }

    hosttime::Instant instantAgo(qint64 secsAgo)
    {
        return hosttime::Instant {m_now.secsSinceEpoch - secsAgo, below(1'000'000)};
    }
    QString ago(qint64 secsAgo) { return hosttime::toDbText(instantAgo(secsAgo)); }
    QString agoWhole(qint64 secsAgo)
    {
        return hosttime::toDbText(hosttime::Instant {m_now.secsSinceEpoch - secsAgo, 0});
    }

    Status insertRows(const QString &sql, const QList<QVariantList> &rows)
    {
        SqliteDatabase &db = m_store.database();
        return db.writeTransaction([&]() -> Status {
            auto stmt = db.prepare(sql);
            if (!stmt)
                return stmt.error();
            for (const QVariantList &row : rows) {
                for (int i = 0; i < row.size(); ++i)
                    stmt->bindVariant(i + 1, row.at(i));
                const Status status = stmt->run();
                if (!status)
                    return status;
                stmt->reset();
            }
            return {};
        });
    }

    std::vector<const SampleUser *> usersWithRole(const QString &role, bool activeOnly = true) const
    {
        std::vector<const SampleUser *> out;
        for (const SampleUser &u : m_users) {
            if (u.role == role && (u.active || !activeOnly))
                out.push_back(&u);
        }
        return out;
    }
    template<typename T> const T &pick(const std::vector<T> &from)
    {
        return from.at(static_cast<size_t>(below(static_cast<int>(from.size()))));
    }

    // --- users ----------------------------------------------------------------------------
    Status createUsers()
    {
        auto hash = Passwords::hash(m_opts.password, m_opts.bcryptCost);
        if (!hash)
            return hash.error();

        std::vector<int> lastIndex(kLastNames.size());
        for (size_t i = 0; i < lastIndex.size(); ++i)
            lastIndex[i] = static_cast<int>(i);
        std::shuffle(lastIndex.begin(), lastIndex.end(), m_rng);

        QStringList roles;
        for (int i = 0; i < 2; ++i)
            roles << QStringLiteral("admin");
        for (int i = 0; i < 6; ++i)
            roles << QStringLiteral("operator");
        for (int i = 0; i < 22; ++i)
            roles << QStringLiteral("user");
        for (int i = 0; i < 10; ++i)
            roles << QStringLiteral("viewer");
        std::shuffle(roles.begin(), roles.end(), m_rng);
        Q_ASSERT(roles.size() == SampleDataCounts::kUsers);

        // Suspend two users, one viewer and one operator: the first of each in the shuffled order.
        QHash<QString, int> toSuspend {
            {QStringLiteral("user"), 2}, {QStringLiteral("viewer"), 1}, {QStringLiteral("operator"), 1}};

        // Accounts were created over the last ~7 months, oldest first (ids grow with time).
        std::vector<qint64> ages;
        for (int i = 0; i < SampleDataCounts::kUsers; ++i)
            ages.push_back(between(2 * kDay, 210 * kDay));
        std::sort(ages.begin(), ages.end(), std::greater<>());

        QSet<QString> taken {m_admin.username};
        for (int i = 0; i < SampleDataCounts::kUsers; ++i) {
            const QString first = QString::fromUtf8(kFirstNames.at(static_cast<size_t>(i)));
            const QString last
                = QString::fromUtf8(kLastNames.at(static_cast<size_t>(lastIndex[static_cast<size_t>(i)])));
            const QString base = asciiFold(first.left(1)) + asciiFold(last);
            QString username = base;
            for (int n = 2; taken.contains(username); ++n)
                username = base + QString::number(n);
            taken.insert(username);

            SampleUser u;
            u.username = username;
            u.displayName = first + QLatin1Char(' ') + last;
            u.role = roles.at(i);
            u.createdAgo = ages[static_cast<size_t>(i)];
            if (toSuspend.value(u.role) > 0) {
                toSuspend[u.role] -= 1;
                u.active = false;
            }
            NewUser nu;
            nu.username = u.username;
            nu.displayName = u.displayName;
            nu.role = u.role;
            nu.active = u.active;
            auto id = m_store.createUser(m_admin, nu, *hash);
            if (!id)
                return id.error();
            u.id = *id;
            m_users.push_back(u);
        }

        QList<QVariantList> rows;
        for (const SampleUser &u : m_users)
            rows << QVariantList {ago(u.createdAgo), u.id};
        return insertRows(QStringLiteral("UPDATE users SET created_at = ?1 WHERE id = ?2"), rows);
    }

    // --- groups ---------------------------------------------------------------------------
    Status createGroups()
    {
        struct GroupSpec
        {
            const char *name;
            int tier;
            int maxTasks;
            int maxVps;
            int gpuCap;
        };
        constexpr std::array<GroupSpec, SampleDataCounts::kGroups> specs = {{
            {"ml-research", 2, 50, 4, 8},
            {"render-farm", 1, 200, 0, 4},
            {"students", 0, 10, 1, 1},
            {"bio-sim", 1, 100, 2, 2},
            {"ops", 3, 500, 20, 32},
        }};
        QHash<QString, qint64> ids;
        for (const GroupSpec &g : specs) {
            const QString limits = pyObj({{QStringLiteral("max_tasks"), QString::number(g.maxTasks)},
                {QStringLiteral("max_vps"), QString::number(g.maxVps)},
                {QStringLiteral("gpu_cap"), QString::number(g.gpuCap)}});
            auto id = m_store.createGroup(m_admin, QString::fromLatin1(g.name), g.tier, limits);
            if (!id)
                return id.error();
            ids.insert(QString::fromLatin1(g.name), *id);
        }

        const QStringList research = {QStringLiteral("ml-research"), QStringLiteral("render-farm"),
            QStringLiteral("bio-sim"), QStringLiteral("students")};
        bool leadChosen = false;
        for (const SampleUser &u : m_users) {
            QStringList groups;
            if (u.role == QLatin1String("admin") || u.role == QLatin1String("operator")) {
                groups << QStringLiteral("ops");
                if (chance(40))
                    groups << research.at(below(3));
            } else if (u.role == QLatin1String("user")) {
                groups << research.at(below(research.size()));
                if (chance(30)) {
                    const QString second = research.at(below(research.size()));
                    if (!groups.contains(second))
                        groups << second;
                }
            } else if (chance(50)) {
                groups << QStringLiteral("students");
            }
            for (const QString &group : std::as_const(groups)) {
                // One research user leads ml-research: an operator within the group.
                QString roleOverride;
                if (!leadChosen && u.active && group == QLatin1String("ml-research")
                    && u.role == QLatin1String("user")) {
                    roleOverride = QStringLiteral("operator");
                    leadChosen = true;
                }
                const Status status = m_store.addGroupMember(m_admin, ids.value(group), u.id, roleOverride);
                if (!status)
                    return status;
            }
        }

        // Groups were set up a while ago; memberships date from when the member joined.
        SqliteDatabase &db = m_store.database();
        return db.writeTransaction([&]() -> Status {
            for (auto it = ids.cbegin(); it != ids.cend(); ++it) {
                auto stmt = db.prepare(QStringLiteral("UPDATE groups SET created_at = ?1 WHERE id = ?2"));
                if (!stmt)
                    return stmt.error();
                stmt->bind(1, agoWhole(240 * kDay - it.value() * kDay)).bind(2, it.value());
                if (const Status s = stmt->run(); !s)
                    return s;
            }
            for (const SampleUser &u : m_users) {
                auto stmt
                    = db.prepare(QStringLiteral("UPDATE user_groups SET created_at = ?1 WHERE user_id = ?2"));
                if (!stmt)
                    return stmt.error();
                stmt->bind(1, ago(std::max<qint64>(u.createdAgo - kDay, kHour))).bind(2, u.id);
                if (const Status s = stmt->run(); !s)
                    return s;
            }
            return {};
        });
    }

    // --- sessions (the host writes these at login; Riverkeeper has no API for them) --------
    Status createSessions()
    {
        QList<QVariantList> rows;
        for (const SampleUser &u : m_users) {
            int count = 0;
            if (!u.active)
                count = 1; // an old session from before the suspension
            else if (!chance(15))
                count = 1 + below(3); // 15% never signed in
            for (int i = 0; i < count; ++i) {
                // Signed in some time after the account was made, within the last 45 days;
                // a suspended user's last session is older.
                const qint64 oldest = std::min(u.active ? 45 * kDay : 60 * kDay, u.createdAgo);
                const qint64 newest = u.active ? std::min(10 * kMinute, oldest / 2) : oldest / 2;
                const qint64 createdAgo = between(newest, oldest);
                const hosttime::Instant created = instantAgo(createdAgo);
                rows << QVariantList {tokens::randomHex64(), u.id,
                    hosttime::toDbText(created.addSecs(kSessionLifetime)), hosttime::toDbText(created)};
            }
        }
        return insertRows(QStringLiteral("INSERT INTO sessions (session_id, user_id, expires_at, created_at) "
                                         "VALUES (?1, ?2, ?3, ?4)"),
            rows);
    }

    // --- API tokens ---------------------------------------------------------------------------
    Status createTokens()
    {
        const QStringList names
            = {QStringLiteral("laptop-cli"), QStringLiteral("ci-pipeline"), QStringLiteral("jupyter-lab"),
                QStringLiteral("sweep-runner"), QStringLiteral("grafana-exporter")};
        QList<QVariantList> rows;
        int made = 0;
        for (const SampleUser &u : m_users) {
            if (!u.active || u.role == QLatin1String("viewer") || made >= 10 || !chance(45))
                continue;
            const int count = u.role == QLatin1String("user") ? 1 : 1 + below(2);
            for (int i = 0; i < count; ++i) {
                auto token = m_store.createToken(m_admin, u.id, names.at((made + i) % names.size()));
                if (!token)
                    return token.error();
                const qint64 createdAgo = std::min(u.createdAgo, between(3 * kDay, 150 * kDay));
                QVariant lastUsed; // never used
                switch ((made + i) % 3) {
                case 0: lastUsed = ago(between(kMinute, 6 * kHour)); break; // in use
                case 1:
                    lastUsed = ago(std::max<qint64>(createdAgo - 2 * kDay, createdAgo / 2));
                    break; // long ago
                default: break;
                }
                rows << QVariantList {ago(createdAgo), lastUsed, token->record.id};
            }
            ++made;
        }
        return insertRows(
            QStringLiteral("UPDATE tokens SET created_at = ?1, last_used = ?2 WHERE id = ?3"), rows);
    }

    // --- invitations --------------------------------------------------------------------------
    Status createInvitations()
    {
        auto groupId = [this](const QString &name) -> std::optional<qint64> {
            auto groups = m_store.listGroups(m_admin);
            if (groups) {
                for (const GroupRecord &g : *groups) {
                    if (g.name == name)
                        return g.id;
                }
            }
            return std::nullopt;
        };
        struct Spec
        {
            const char *role;
            const char *group;
            int uses;
            int hours;
            int used;
            qint64 createdAgo;
        };
        // createdAgo 0: leave as created (valid). Otherwise backdate created_at and expires_at.
        constexpr std::array<Spec, SampleDataCounts::kInvitations> specs = {{
            {"user", "students", 30, 720, 12, 0}, // valid, a course's shared link
            {"viewer", nullptr, 1, 72, 0, 0}, // valid
            {"user", "ml-research", 5, 168, 2, 0}, // valid
            {"operator", nullptr, 1, 24, 0, 10 * kDay}, // expired, never used
            {"user", "render-farm", 3, 72, 3, 5 * kDay / 2}, // used up
            {"viewer", nullptr, 10, 72, 4, 20 * kDay}, // expired
        }};
        QList<QVariantList> rows;
        for (const Spec &s : specs) {
            NewInvitation inv;
            inv.role = QString::fromLatin1(s.role);
            if (s.group)
                inv.groupId = groupId(QString::fromLatin1(s.group));
            inv.maxUsage = s.uses;
            inv.expiresHours = s.hours;
            auto created = m_store.createInvitation(m_admin, inv);
            if (!created)
                return created.error();
            const qint64 createdAgo = s.createdAgo ? s.createdAgo : between(kHour, 2 * kDay);
            const hosttime::Instant at = instantAgo(createdAgo);
            rows << QVariantList {
                hosttime::toDbText(at), hosttime::toDbText(at.addSecs(s.hours * kHour)), s.used, created->id};
        }
        return insertRows(QStringLiteral("UPDATE invitations SET created_at = ?1, expires_at = ?2, "
                                         "usage_count = ?3 WHERE id = ?4"),
            rows);
    }

    // --- nodes (registered by runners) --------------------------------------------------------
    Status createNodes()
    {
        m_nodes = {
            {QStringLiteral("gpu-a100-01"), QStringLiteral("http://10.20.0.11:8001"), 64, 2,
                QStringLiteral("NVIDIA A100-SXM4-80GB"), 4, 81920.0, 400, 512 * kGiB, true, false},
            {QStringLiteral("gpu-rtx-02"), QStringLiteral("http://10.20.0.12:8001"), 32, 1,
                QStringLiteral("NVIDIA GeForce RTX 4090"), 2, 24564.0, 450, 128 * kGiB, true, true},
            {QStringLiteral("cpu-epyc-03"), QStringLiteral("http://10.20.0.13:8001"), 128, 4, QString(), 0,
                0.0, 0, 1024 * kGiB, true, true},
            {QStringLiteral("gpu-v100-04"), QStringLiteral("http://10.20.0.14:8001"), 40, 2,
                QStringLiteral("Tesla V100-SXM2-32GB"), 8, 32768.0, 300, 384 * kGiB, false, false},
        };
        QList<QVariantList> rows;
        for (const NodeSpec &n : m_nodes) {
            PyPairs numa;
            const int perNode = n.cores / n.numaNodes;
            for (int node = 0; node < n.numaNodes; ++node) {
                QList<int> cores;
                for (int c = node * perNode; c < (node + 1) * perNode; ++c)
                    cores << c;
                numa.emplace_back(QString::number(node), pyIntList(cores));
            }
            QStringList gpus;
            for (int g = 0; g < n.gpuCount; ++g) {
                const int util = n.online ? below(101) : 0;
                const double used = n.online ? n.gpuMemMiB * below(95) / 100.0 + 512.0 : 4.0;
                gpus << pyObj({
                    {QStringLiteral("gpu_id"), QString::number(g)},
                    {QStringLiteral("name"), pyStr(n.gpuName)},
                    {QStringLiteral("driver_version"), pyStr(QStringLiteral("550.127.05"))},
                    {QStringLiteral("pci_bus_id"),
                        pyStr(QStringLiteral("00000000:%1:00.0")
                                  .arg(0x17 + g * 0x14, 2, 16, QLatin1Char('0'))
                                  .toUpper())},
                    {QStringLiteral("gpu_utilization"), QString::number(util)},
                    {QStringLiteral("graphics_clock_mhz"), QString::number(util > 0 ? 1410 : 210)},
                    {QStringLiteral("mem_utilization"), QString::number(util / 2)},
                    {QStringLiteral("mem_clock_mhz"), QString::number(1593)},
                    {QStringLiteral("memory_total_mib"), pyFloat(n.gpuMemMiB)},
                    {QStringLiteral("memory_used_mib"), pyFloat(used)},
                    {QStringLiteral("memory_free_mib"), pyFloat(n.gpuMemMiB - used)},
                    {QStringLiteral("temperature"), QString::number(34 + util / 2)},
                    {QStringLiteral("fan_speed"),
                        QString::number(n.gpuName.contains(QLatin1String("RTX")) ? 30 + util / 2 : -1)},
                    {QStringLiteral("power_usage_mw"),
                        QString::number((60 + util * (n.gpuPowerLimitW - 60) / 100) * 1000)},
                    {QStringLiteral("power_limit_mw"), QString::number(n.gpuPowerLimitW * 1000)},
                });
            }
            const double cpu = n.online ? 5.0 + below(900) / 10.0 : 0.0;
            const double memPercent = n.online ? 10.0 + below(700) / 10.0 : 0.0;
            rows << QVariantList {n.hostname, n.url, n.cores, n.memBytes,
                n.online ? QStringLiteral("online") : QStringLiteral("offline"),
                n.online ? ago(between(1, 5)) : ago(3 * kDay + 7 * kHour), cpu, memPercent,
                static_cast<qint64>(static_cast<double>(n.memBytes) * memPercent / 100.0),
                40.0 + below(200) / 10.0, 55.0 + below(250) / 10.0, pyObj(numa), pyList(gpus),
                n.vmCapable ? 1 : 0, QStringLiteral("[]"), QStringLiteral("0.4.0")};
        }
        return insertRows(
            QStringLiteral(
                "INSERT INTO nodes (hostname, url, total_cores, memory_total_bytes, status, "
                "last_heartbeat, cpu_percent, memory_percent, memory_used_bytes, current_avg_temp, "
                "current_max_temp, numa_topology, gpu_info, vm_capable, vfio_gpus, runner_version) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
            rows);
    }

    // --- tasks and VPS --------------------------------------------------------------------------
    Status createTasks();

    struct TaskRow; // defined below
    QVariantList taskRow(const TaskRow &t);
    qint64 snowflake(const hosttime::Instant &at)
    {
        const qint64 ms = at.secsSinceEpoch * 1000 + at.micros / 1000;
        return (ms << 22) | (qint64(1) << 12) | (m_sequence++ & 0xfff);
    }

    PlatformStore &m_store;
    const Actor &m_admin;
    const SampleDataOptions &m_opts;
    QRandomGenerator m_rng;
    hosttime::Instant m_now;
    std::vector<SampleUser> m_users;
    std::vector<NodeSpec> m_nodes;
    qint64 m_sequence = 0;
};

struct Builder::TaskRow
{
    qint64 id = 0;
    QString type = QStringLiteral("command");
    QString name;
    QString command;
    QString arguments = QStringLiteral("[]");
    QString envVars = QStringLiteral("{}");
    int cores = 1;
    QString gpus = QStringLiteral("[]");
    QVariant memory;
    qint64 ownerId = 0;
    QVariant approvalStatus;
    QVariant approvedById;
    QVariant approvedAt;
    QVariant rejectionReason;
    QString status;
    QVariant node;
    QVariant sshPort;
    QVariant exitCode;
    QVariant errorMessage;
    QString submittedAt;
    QVariant startedAt;
    QVariant completedAt;
};

QVariantList Builder::taskRow(const TaskRow &t)
{
    const QString logDir = QStringLiteral("/mnt/cluster-share/logs/%1/").arg(t.id);
    return QVariantList {t.id, t.type, t.id /* batch_id: the first task of the batch */, t.command,
        t.arguments, t.envVars, t.cores, t.gpus, t.memory, QVariant() /* numa */, t.name, t.ownerId,
        t.approvalStatus, t.approvedById, t.approvedAt, t.rejectionReason, t.status, t.node,
        0 /* assignment_suspicion_count */, QStringLiteral("kohakuriver-base"),
        QVariant() /* registry_image */, QStringLiteral("kohakuriver/kohakuriver-base:base"),
        0 /* docker_privileged */, QStringLiteral("[]"), t.sshPort, QStringLiteral("docker"), QVariant(),
        QVariant(), QVariant(), QString(logDir + QLatin1String("stdout.log")),
        QString(logDir + QLatin1String("stderr.log")), t.exitCode, t.errorMessage, t.submittedAt, t.startedAt,
        t.completedAt};
}

Status Builder::createTasks()
{
    const auto users = usersWithRole(QStringLiteral("user"));
    std::vector<const SampleUser *> staff = usersWithRole(QStringLiteral("operator"));
    const auto admins = usersWithRole(QStringLiteral("admin"));
    staff.insert(staff.end(), admins.begin(), admins.end());
    std::vector<const SampleUser *> submitters = users;
    submitters.insert(submitters.end(), staff.begin(), staff.end());

    // status, how many, submitted between [lo, hi] seconds ago
    struct Plan
    {
        const char *status;
        int count;
        qint64 lo;
        qint64 hi;
    };
    constexpr std::array<Plan, 9> plans = {{
        {"completed", 14, 20 * kHour, 14 * kDay},
        {"failed", 4, 6 * kHour, 10 * kDay},
        {"killed", 1, 2 * kDay, 6 * kDay},
        {"killed_oom", 1, 1 * kDay, 4 * kDay},
        {"lost", 1, 3 * kDay + 8 * kHour, 4 * kDay},
        {"running", 5, 10 * kMinute, 20 * kHour},
        {"pending", 1, 5 * kMinute, 30 * kMinute},
        {"rejected", 1, 1 * kDay, 3 * kDay},
        {"pending_approval", SampleDataCounts::kPendingApprovalTasks - 1, 10 * kMinute, 2 * kDay},
    }};

    // Where a task ran: GPU work on nodes with enough GPUs, anything still active on an online
    // node, lost tasks on the offline one. Running work holds its GPUs exclusively (the running
    // VPS below has GPU 0 of gpu-rtx-02); finished and waiting tasks may name any GPUs.
    struct Placement
    {
        const TaskTemplate *tpl = nullptr;
        const NodeSpec *node = nullptr;
        QList<int> gpus;
    };
    QHash<QString, QSet<int>> busyGpus {{QStringLiteral("gpu-rtx-02"), {0}}};
    const auto place = [&](const QString &status) {
        const bool running = status == QLatin1String("running");
        const bool active = running || status == QLatin1String("pending_approval");
        const bool lost = status == QLatin1String("lost");
        for (;;) { // ends: CPU-only templates always fit on the online CPU node
            Placement p;
            p.tpl = &kTaskTemplates.at(static_cast<size_t>(below(kTaskTemplates.size())));
            std::vector<const NodeSpec *> candidates;
            for (const NodeSpec &n : m_nodes) {
                const auto freeGpus = n.gpuCount - (running ? busyGpus.value(n.hostname).size() : 0);
                if ((p.tpl->gpus == 0 || freeGpus >= p.tpl->gpus) && (n.online || !active)
                    && (n.online != lost))
                    candidates.push_back(&n);
            }
            if (candidates.empty())
                continue;
            p.node = pick(candidates);
            if (running) {
                QSet<int> &busy = busyGpus[p.node->hostname];
                for (int g = 0; g < p.node->gpuCount && p.gpus.size() < p.tpl->gpus; ++g) {
                    if (!busy.contains(g)) {
                        busy.insert(g);
                        p.gpus << g;
                    }
                }
            } else if (p.tpl->gpus > 0) {
                const int first = below(p.node->gpuCount - p.tpl->gpus + 1);
                for (int g = first; g < first + p.tpl->gpus; ++g)
                    p.gpus << g;
            }
            return p;
        }
    };

    std::vector<TaskRow> rows;
    for (const Plan &plan : plans) {
        const QString status = QString::fromLatin1(plan.status);
        const bool needsUserRole
            = status == QLatin1String("pending_approval") || status == QLatin1String("rejected");
        for (int i = 0; i < plan.count; ++i) {
            const Placement where = place(status);
            const TaskTemplate &tpl = *where.tpl;
            const SampleUser *owner = needsUserRole ? pick(users) : pick(submitters);
            const bool ownerIsUser = owner->role == QLatin1String("user");
            const qint64 submittedAgo = between(plan.lo, plan.hi);
            const hosttime::Instant submitted = instantAgo(submittedAgo);

            TaskRow t;
            t.id = snowflake(submitted);
            t.name = QString::fromLatin1(tpl.name);
            t.command = QString::fromLatin1(tpl.command);
            QStringList args;
            for (const char *a : tpl.args) {
                if (!a)
                    break;
                args << QString::fromLatin1(a);
            }
            t.arguments = pyStrList(args);
            if (tpl.envKey)
                t.envVars
                    = pyObj({{QString::fromLatin1(tpl.envKey), pyStr(QString::fromLatin1(tpl.envValue))}});
            t.cores = tpl.cores;
            if (tpl.memGiB)
                t.memory = tpl.memGiB * kGiB;
            t.ownerId = owner->id;
            t.submittedAt = hosttime::toDbText(submitted);

            if (!where.gpus.isEmpty())
                t.gpus = pyIntList(where.gpus);
            const NodeSpec *node = where.node;
            t.status = status;
            t.node = node->hostname;

            hosttime::Instant start = submitted;
            if (status == QLatin1String("pending_approval")) {
                t.approvalStatus = QStringLiteral("pending");
            } else if (status == QLatin1String("rejected")) {
                const SampleUser *by = pick(staff);
                t.approvalStatus = QStringLiteral("rejected");
                t.approvedById = by->id;
                t.approvedAt = hosttime::toDbText(submitted.addSecs(between(10 * kMinute, 8 * kHour)));
                t.rejectionReason
                    = QStringLiteral("Please request at most 2 GPUs during the paper deadline week.");
            } else {
                t.approvalStatus = QStringLiteral("approved");
                if (ownerIsUser) {
                    const SampleUser *by = pick(staff);
                    t.approvedById = by->id;
                    start = submitted.addSecs(between(5 * kMinute, 3 * kHour));
                    t.approvedAt = hosttime::toDbText(start);
                } else {
                    t.approvedById = owner->id; // operators and admins approve their own
                    t.approvedAt = t.submittedAt;
                }
                start = start.addSecs(between(2, 40));
                if (start.secsSinceEpoch > m_now.secsSinceEpoch)
                    start = m_now;
            }

            if (status == QLatin1String("pending")) {
                t.node = QVariant(); // approved while its node was offline: waits for a node
            } else if (status == QLatin1String("running")) {
                t.startedAt = hosttime::toDbText(start);
            } else if (status != QLatin1String("pending_approval") && status != QLatin1String("rejected")) {
                t.startedAt = hosttime::toDbText(start);
                const qint64 room = std::max<qint64>(m_now.secsSinceEpoch - start.secsSinceEpoch - 60, 120);
                const qint64 runFor = std::min(room, between(3 * kMinute, 10 * kHour));
                t.completedAt = hosttime::toDbText(start.addSecs(runFor));
                if (status == QLatin1String("completed")) {
                    t.exitCode = 0;
                } else if (status == QLatin1String("failed")) {
                    t.exitCode = 1;
                    t.errorMessage = chance(50)
                        ? QVariant(QStringLiteral("Process exited with code 1"))
                        : QVariant(QStringLiteral("torch.OutOfMemoryError: CUDA out of memory"));
                } else if (status == QLatin1String("killed")) {
                    t.exitCode = -9;
                    t.errorMessage = QStringLiteral("Killed by user request");
                } else if (status == QLatin1String("killed_oom")) {
                    t.exitCode = 137;
                    t.errorMessage = QStringLiteral("Container killed: out of memory");
                } else if (status == QLatin1String("lost")) {
                    t.completedAt = QVariant();
                    t.errorMessage = QStringLiteral("Node gpu-v100-04 went offline; task state unknown");
                }
            }
            rows.push_back(t);
        }
    }

    // VPS: a running dev box shared with two users, an old stopped one, and one awaiting approval.
    auto vps = [&](const SampleUser *owner, const QString &status, qint64 submittedAgo, int port) {
        const hosttime::Instant submitted = instantAgo(submittedAgo);
        TaskRow t;
        t.id = snowflake(submitted);
        t.type = QStringLiteral("vps");
        t.name = QStringLiteral("vps-") + owner->username;
        QByteArray keyBytes(32, Qt::Uninitialized);
        for (char &b : keyBytes)
            b = static_cast<char>(below(256));
        t.command = QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")
            + QString::fromLatin1(keyBytes.toBase64()).left(43) + QLatin1Char(' ') + owner->username
            + QStringLiteral("@laptop");
        t.cores = 8;
        t.gpus = QStringLiteral("[0]");
        t.memory = 32 * kGiB;
        t.ownerId = owner->id;
        t.status = status;
        t.node = QStringLiteral("gpu-rtx-02");
        t.sshPort = port;
        t.submittedAt = hosttime::toDbText(submitted);
        if (status == QLatin1String("pending_approval")) {
            t.approvalStatus = QStringLiteral("pending");
        } else {
            t.approvalStatus = QStringLiteral("approved");
            t.approvedById = owner->id;
            t.approvedAt = t.submittedAt;
            t.startedAt = hosttime::toDbText(submitted.addSecs(between(5, 30)));
            if (status == QLatin1String("stopped"))
                t.completedAt = hosttime::toDbText(submitted.addSecs(between(2 * kDay, 6 * kDay)));
        }
        return t;
    };
    const TaskRow running = vps(pick(staff), QStringLiteral("running"), between(3 * kDay, 9 * kDay), 2222);
    const TaskRow stopped = vps(pick(staff), QStringLiteral("stopped"), between(20 * kDay, 30 * kDay), 2222);
    rows.push_back(running);
    rows.push_back(stopped);
    rows.push_back(vps(pick(users), QStringLiteral("pending_approval"), between(kHour, 20 * kHour), 2223));

    QList<QVariantList> taskRows;
    for (const TaskRow &t : rows)
        taskRows << taskRow(t);
    Status status = insertRows(
        QStringLiteral(
            "INSERT INTO tasks (task_id, task_type, batch_id, command, arguments, env_vars, "
            "required_cores, required_gpus, required_memory_bytes, target_numa_node_id, name, owner_id, "
            "approval_status, approved_by_id, approved_at, rejection_reason, status, assigned_node, "
            "assignment_suspicion_count, container_name, registry_image, docker_image_name, "
            "docker_privileged, docker_mount_dirs, ssh_port, vps_backend, vm_image, vm_disk_size, vm_ip, "
            "stdout_path, stderr_path, exit_code, error_message, submitted_at, started_at, completed_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
            "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36)"),
        taskRows);
    if (!status)
        return status;

    // Two users share the running VPS; one had the stopped one.
    std::vector<const SampleUser *> assignees = users;
    std::shuffle(assignees.begin(), assignees.end(), m_rng);
    QList<QVariantList> assignmentRows;
    for (int i = 0; i < SampleDataCounts::kVpsAssignments; ++i) {
        const TaskRow &box = i < 2 ? running : stopped;
        const QString boxStart = box.startedAt.toString();
        const auto startInstant = hosttime::parse(boxStart);
        const qint64 sinceStart = startInstant ? m_now.secsSinceEpoch - startInstant->secsSinceEpoch : kDay;
        assignmentRows << QVariantList {box.id, assignees.at(static_cast<size_t>(i))->id,
            ago(std::max<qint64>(sinceStart - between(kMinute, kHour), 1))};
    }
    return insertRows(
        QStringLiteral("INSERT INTO vps_assignments (vps_task_id, user_id, created_at) VALUES (?1, ?2, ?3)"),
        assignmentRows);
}

} // namespace

Status SampleData::populate(PlatformStore &store, const Actor &admin, const SampleDataOptions &opts)
{
    if (store.isReadOnly())
        return Error::make(Error::Code::ReadOnly, tr("Sample data needs a writable database."));
    if (!roles::atLeast(admin.role, Role::Admin))
        return Error::make(Error::Code::Refused, tr("Only an administrator can add sample data."));
    Builder builder(store, admin, opts);
    return builder.run();
}

} // namespace rk
