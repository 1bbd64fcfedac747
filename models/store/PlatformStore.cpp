#include "PlatformStore.h"

#include "PlatformSchema.h"
#include "PlatformStore_p.h"
#include "core/HostTime.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QUrl>

// Debug output is off unless QT_LOGGING_RULES="riverkeeper.store.debug=true".
Q_LOGGING_CATEGORY(lcStore, "riverkeeper.store", QtInfoMsg)

namespace rk {

using storedetail::tr;

// --- storedetail ------------------------------------------------------------------------------

namespace storedetail {

QString compactJson(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

qsizetype codePoints(const QString &text)
{
    qsizetype n = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        ++n;
    }
    return n;
}

Status checkText(const QString &value, qsizetype min, qsizetype max, const QString &what)
{
    const qsizetype n = codePoints(value);
    if (n < min) {
        if (min <= 1)
            return Error::make(Error::Code::Invalid, tr("%1 cannot be empty.").arg(what));
        return Error::make(Error::Code::Invalid, tr("%1 needs at least %2 characters.").arg(what).arg(min));
    }
    if (n > max) {
        return Error::make(Error::Code::Invalid,
            tr("%1 can be at most %2 characters long (this one has %3).").arg(what).arg(max).arg(n));
    }
    for (const QChar c : value) {
        if (c.category() == QChar::Other_Control) {
            return Error::make(Error::Code::Invalid,
                tr("%1 cannot contain control characters such as tabs or line breaks.").arg(what));
        }
    }
    if (min >= 1 && value.trimmed().isEmpty())
        return Error::make(Error::Code::Invalid, tr("%1 cannot be blank.").arg(what));
    return {};
}

Status checkRole(const QString &role)
{
    if (roles::assignable().contains(role))
        return {};
    return Error::make(Error::Code::Invalid,
        tr("Invalid role \"%1\". Must be one of: %2.")
            .arg(role, roles::assignable().join(QStringLiteral(", "))));
}

Error notFound(const QString &message)
{
    return Error::make(Error::Code::NotFound, message);
}

} // namespace storedetail

QJsonObject StoredUser::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("username"), username);
    o.insert(QStringLiteral("display_name"), displayName.isNull() ? QJsonValue() : QJsonValue(displayName));
    o.insert(QStringLiteral("role"), role);
    o.insert(QStringLiteral("is_active"), active);
    return o;
}

// --- Private ----------------------------------------------------------------------------------

PlatformStore::Private::Private(
    PlatformStore *owner, std::unique_ptr<SqliteDatabase> database, bool readOnlyAccess)
    : q(owner), db(std::move(database)), readOnly(readOnlyAccess || db->isReadOnly())
{
}

Status PlatformStore::Private::checkWritable() const
{
    if (!readOnly)
        return {};
    return Error::make(Error::Code::ReadOnly, q->readOnlyReason());
}

Status PlatformStore::Private::require(const Actor &actor, Permission permission)
{
    if (roles::allows(actor.role, permission))
        return {};
    return Error::make(Error::Code::Refused,
        tr("You need the %1 role to %2 (you are signed in as %3).")
            .arg(roles::displayName(roles::minimumFor(permission)), roles::describe(permission),
                roles::displayName(actor.role)));
}

Status PlatformStore::Private::guardWrite(const Actor &actor, Permission permission) const
{
    if (auto st = checkWritable(); !st)
        return st;
    return require(actor, permission);
}

Status PlatformStore::Private::write(const std::function<Status()> &body, const QList<StoreTable> &touched)
{
    Status st = db->writeTransaction(body);
    if (!st) {
        qCDebug(lcStore) << "write rolled back:" << st.error().message;
        return st;
    }
    if (touched.isEmpty())
        return st;
    for (const StoreTable table : touched)
        Q_EMIT q->changed(table);
    Q_EMIT q->changed(StoreTable::Audit);
    return st;
}

Status PlatformStore::Private::audit(const Actor &actor, const QString &action, const QString &targetType,
    const QString &target, const std::optional<QJsonObject> &before, const std::optional<QJsonObject> &after)
{
    const QString beforeText = before ? storedetail::compactJson(*before) : QString();
    const QString afterText = after ? storedetail::compactJson(*after) : QString();
    auto done = run(QStringLiteral("INSERT INTO rk_audit (at, actor_id, actor, action, target_type, "
                                   "target, before_json, after_json, origin) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
        hosttime::nowDbText(), actor.userId, actor.username.isNull() ? QStringLiteral("") : actor.username,
        action, targetType, target, beforeText, afterText,
        actor.origin.isNull() ? QStringLiteral("") : actor.origin);
    if (!done)
        return done.error();
    qCDebug(lcStore) << "audit:" << action << targetType << target << "by" << actor.username;
    return {};
}

QString PlatformStore::Private::baseUrl()
{
    QString base = q->setting(QString::fromLatin1(kBaseUrlKey)).trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base;
}

QString PlatformStore::Private::linkFor(const QString &base, const QString &token) const
{
    if (base.isEmpty() || token.isEmpty())
        return {};
    return base + QStringLiteral("/register?token=") + token;
}

// --- PlatformStore: opening -------------------------------------------------------------------

PlatformStore::PlatformStore(std::unique_ptr<SqliteDatabase> db) : QObject(nullptr)
{
    const bool readOnly = db->mode() == SqliteDatabase::OpenMode::ReadOnly;
    d = std::make_unique<Private>(this, std::move(db), readOnly);
    d->hasRkTables = schema::hasRiverkeeperTables(*d->db);
    d->lastDataVersion = d->db->dataVersion();
    d->watchTimer = new QTimer(this);
    connect(d->watchTimer, &QTimer::timeout, this, [this]() { (void)checkForExternalChange(); });
}

PlatformStore::~PlatformStore() = default;

Result<std::unique_ptr<PlatformStore>> PlatformStore::open(
    const QString &path, Access access, int busyTimeoutMs)
{
    const auto mode = access == Access::ReadOnly ? SqliteDatabase::OpenMode::ReadOnly
                                                 : SqliteDatabase::OpenMode::ReadWrite;
    auto opened = SqliteDatabase::open(path, mode, busyTimeoutMs);
    if (!opened) {
        qCDebug(lcStore) << "open failed:" << path << opened.error().message;
        return opened.error();
    }
    std::unique_ptr<SqliteDatabase> db = std::move(opened).value();
    if (auto st = schema::verify(*db); !st) {
        qCDebug(lcStore) << "not a usable platform database:" << path << st.error().message;
        return st.error();
    }
    if (access == Access::ReadWrite && !schema::hasRiverkeeperTables(*db)) {
        // The first write Riverkeeper ever makes to this file. Refuse to add pages to a damaged
        // file: a full quick_check once, only on this first open.
        auto check = db->scalar(QStringLiteral("PRAGMA quick_check(1)"));
        if (!check)
            return check.error();
        if (check->toString() != QLatin1String("ok")) {
            return Error::make(Error::Code::Corrupt,
                tr("%1 is damaged (SQLite reports: %2). Restore it from a backup; "
                   "nothing was changed.")
                    .arg(QFileInfo(path).fileName(), check->toString()));
        }
        if (auto st = schema::ensureRiverkeeperTables(*db); !st) {
            qCDebug(lcStore) << "adding the rk_ tables failed:" << st.error().message;
            return st.error();
        }
        qCDebug(lcStore) << "added Riverkeeper's tables to" << path;
    }
    if (access == Access::ReadWrite) {
        // rk_ tables of an older Riverkeeper: add what this version needs, in one transaction
        // (nothing is written when they are current). A read-only open reads the old version.
        if (auto st = schema::upgradeRiverkeeperTables(*db); !st) {
            qCDebug(lcStore) << "upgrading the rk_ tables failed:" << st.error().message;
            return st.error();
        }
    }
    qCDebug(lcStore) << "opened" << path << (access == Access::ReadOnly ? "read-only" : "read-write");
    return std::unique_ptr<PlatformStore>(new PlatformStore(std::move(db)));
}

Result<std::unique_ptr<PlatformStore>> PlatformStore::create(const QString &path)
{
    auto opened = SqliteDatabase::open(path, SqliteDatabase::OpenMode::CreateNew);
    if (!opened)
        return opened.error();
    std::unique_ptr<SqliteDatabase> db = std::move(opened).value();
    if (auto st = schema::createAll(*db); !st) {
        // CreateNew refuses existing files, so this file is ours: leave nothing half-made.
        db.reset();
        QFile::remove(path);
        QFile::remove(path + QStringLiteral("-journal"));
        qCDebug(lcStore) << "creating" << path << "failed:" << st.error().message;
        return st.error();
    }
    qCDebug(lcStore) << "created" << path;
    return std::unique_ptr<PlatformStore>(new PlatformStore(std::move(db)));
}

QString PlatformStore::path() const
{
    return d->db->path();
}

bool PlatformStore::isReadOnly() const
{
    return d->readOnly;
}

QString PlatformStore::readOnlyReason() const
{
    if (!d->readOnlyReason.isEmpty())
        return d->readOnlyReason;
    return tr("%1 is open read-only, so nothing can be changed. Reopen it read-write "
              "(File \u25b8 Open) to make changes.")
        .arg(QFileInfo(d->db->path()).fileName());
}

void PlatformStore::setReadOnlyReason(const QString &reason)
{
    d->readOnlyReason = reason;
}

SqliteDatabase &PlatformStore::database()
{
    return *d->db;
}

// --- settings ---------------------------------------------------------------------------------

QString PlatformStore::setting(const QString &key, const QString &fallback)
{
    if (!d->hasRkTables)
        return fallback;
    auto stmt = d->query(QStringLiteral("SELECT value FROM rk_settings WHERE key = ?1"), key);
    if (!stmt) {
        qCWarning(lcStore) << "reading setting" << key << "failed:" << stmt.error().message;
        return fallback;
    }
    auto row = stmt->step();
    if (!row) {
        qCWarning(lcStore) << "reading setting" << key << "failed:" << row.error().message;
        return fallback;
    }
    return row.value() ? stmt->text(0) : fallback;
}

namespace {

bool looksSecret(const QString &key)
{
    const QString k = key.toLower();
    return k.contains(QLatin1String("password")) || k.contains(QLatin1String("secret"))
        || k.contains(QLatin1String("token")) || k.contains(QLatin1String("key"));
}

Status checkSettingValue(const QString &key, const QString &value)
{
    if (key == QLatin1String(PlatformStore::kBaseUrlKey) && !value.trimmed().isEmpty()) {
        const QUrl url(value.trimmed(), QUrl::StrictMode);
        const QString scheme = url.scheme();
        if (!url.isValid() || url.host().isEmpty()
            || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
            return Error::make(Error::Code::Invalid,
                tr("The base URL must be an http:// or https:// address such as "
                   "https://cluster.example.org."));
        }
    }
    if (key == QLatin1String("security.password_min_length")) {
        bool ok = false;
        const int n = value.trimmed().toInt(&ok);
        if (!ok || n < 1 || n > 72) {
            return Error::make(
                Error::Code::Invalid, tr("The minimum password length must be a whole number from 1 to 72."));
        }
    }
    return {};
}

} // namespace

Status PlatformStore::setSetting(const Actor &actor, const QString &key, const QString &value)
{
    if (auto st = d->guardWrite(actor, Permission::SystemSettings); !st)
        return st;
    if (auto st = storedetail::checkText(key, 1, 200, tr("The setting's name")); !st)
        return st;
    if (auto st = checkSettingValue(key, value); !st)
        return st;
    const QString stored = value.isNull() ? QStringLiteral("") : value;
    QList<StoreTable> touched = {StoreTable::Settings};
    return d->write(
        [&]() -> Status {
            auto stmt = d->query(QStringLiteral("SELECT value FROM rk_settings WHERE key = ?1"), key);
            if (!stmt)
                return stmt.error();
            auto row = stmt->step();
            if (!row)
                return row.error();
            const bool existed = row.value();
            const QString old = existed ? stmt->text(0) : QString();
            if (existed && old == stored) {
                touched.clear();
                return {};
            }
            auto done = d->run(QStringLiteral("INSERT INTO rk_settings (key, value, updated_at, updated_by) "
                                              "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(key) DO UPDATE SET "
                                              "value = excluded.value, updated_at = excluded.updated_at, "
                                              "updated_by = excluded.updated_by"),
                key, stored, hosttime::nowDbText(), actor.username);
            if (!done)
                return done.error();
            const bool secret = looksSecret(key);
            std::optional<QJsonObject> before;
            if (existed)
                before = QJsonObject {{QStringLiteral("value"), secret ? QStringLiteral("(hidden)") : old}};
            const QJsonObject after {{QStringLiteral("value"), secret ? QStringLiteral("(hidden)") : stored}};
            return d->audit(
                actor, QStringLiteral("setting.set"), QStringLiteral("setting"), key, before, after);
        },
        touched);
}

QString PlatformStore::registrationLink(const QString &token)
{
    return d->linkFor(d->baseUrl(), token);
}

// --- audit ------------------------------------------------------------------------------------

Result<std::vector<AuditEntry>> PlatformStore::listAudit(const Actor &actor, int limit)
{
    if (auto st = Private::require(actor, Permission::ViewAudit); !st)
        return st.error();
    std::vector<AuditEntry> entries;
    if (!d->hasRkTables)
        return entries;
    auto stmt = d->query(QStringLiteral("SELECT id, at, actor_id, actor, action, target_type, target, "
                                        "before_json, after_json, origin FROM rk_audit "
                                        "ORDER BY id DESC LIMIT ?1"),
        qint64(limit > 0 ? limit : -1));
    if (!stmt)
        return stmt.error();
    auto st = storedetail::eachRow(stmt.value(), [&](SqlStatement &row) {
        AuditEntry e;
        e.id = row.int64(0);
        e.at = row.text(1);
        e.actorId = row.int64(2);
        e.actor = row.text(3);
        e.action = row.text(4);
        e.targetType = row.text(5);
        e.target = row.text(6);
        e.before = row.text(7);
        e.after = row.text(8);
        e.origin = row.text(9);
        entries.push_back(std::move(e));
    });
    if (!st)
        return st.error();
    return entries;
}

// --- change notification ----------------------------------------------------------------------

void PlatformStore::setWatchInterval(int ms)
{
    if (ms <= 0) {
        d->watchTimer->stop();
        return;
    }
    // The baseline stays the one taken at open (or at the last check), so a change made before the
    // watch started is still reported at the first tick.
    d->watchTimer->start(ms);
}

bool PlatformStore::checkForExternalChange()
{
    const qint64 version = d->db->dataVersion();
    if (version < 0 || version == d->lastDataVersion)
        return false;
    d->lastDataVersion = version;
    qCDebug(lcStore) << "another program changed" << d->db->path();
    Q_EMIT externalChange();
    return true;
}

} // namespace rk
