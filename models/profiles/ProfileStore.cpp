#include "ProfileStore.h"

#include "core/Fingerprint.h"

#include <QSettings>
#include <QUuid>

#include <algorithm>

namespace rk {

namespace {

const QString kGroup = QStringLiteral("profiles");
const QString kLastUsed = QStringLiteral("lastUsed");

QString kindKey(ConnectionProfile::Kind kind)
{
    switch (kind) {
    case ConnectionProfile::Kind::Host: return QStringLiteral("host");
    case ConnectionProfile::Kind::Database: return QStringLiteral("database");
    case ConnectionProfile::Kind::HostAndDatabase: return QStringLiteral("host+database");
    }
    return {};
}

QString authKey(ConnectionProfile::Auth auth)
{
    switch (auth) {
    case ConnectionProfile::Auth::Password: return QStringLiteral("password");
    case ConnectionProfile::Auth::ApiToken: return QStringLiteral("token");
    case ConnectionProfile::Auth::AdminSecret: return QStringLiteral("admin-secret");
    }
    return {};
}

ConnectionProfile read(QSettings &s, const QString &id)
{
    ConnectionProfile p;
    p.id = id;
    p.name = s.value(QStringLiteral("name")).toString();
    const QString kind = s.value(QStringLiteral("kind")).toString();
    p.kind = kind == QLatin1String("database")   ? ConnectionProfile::Kind::Database
        : kind == QLatin1String("host+database") ? ConnectionProfile::Kind::HostAndDatabase
                                                 : ConnectionProfile::Kind::Host;
    p.baseUrl = QUrl(s.value(QStringLiteral("baseUrl")).toString());
    const QString auth = s.value(QStringLiteral("auth")).toString();
    p.auth = auth == QLatin1String("token")     ? ConnectionProfile::Auth::ApiToken
        : auth == QLatin1String("admin-secret") ? ConnectionProfile::Auth::AdminSecret
                                                : ConnectionProfile::Auth::Password;
    p.username = s.value(QStringLiteral("username")).toString();
    p.appTokenId = s.value(QStringLiteral("appTokenId"), -1).toLongLong();
    p.trustedCertificates = s.value(QStringLiteral("trustedCertificates")).toStringList();
    p.databasePath = s.value(QStringLiteral("databasePath")).toString();
    p.readOnly = s.value(QStringLiteral("readOnly"), false).toBool();
    return p;
}

} // namespace

ProfileStore::ProfileStore(std::unique_ptr<QSettings> settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings))
{
}

ProfileStore::~ProfileStore() = default;

std::unique_ptr<QSettings> ProfileStore::openDefaultSettings()
{
    return std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope,
        QStringLiteral("riverkeeper"), QStringLiteral("profiles"));
}

QList<ConnectionProfile> ProfileStore::profiles() const
{
    QList<ConnectionProfile> result;
    m_settings->beginGroup(kGroup);
    const QStringList ids = m_settings->childGroups();
    for (const QString &id : ids) {
        m_settings->beginGroup(id);
        result << read(*m_settings, id);
        m_settings->endGroup();
    }
    m_settings->endGroup();
    std::sort(result.begin(), result.end(), [](const ConnectionProfile &a, const ConnectionProfile &b) {
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    return result;
}

std::optional<ConnectionProfile> ProfileStore::profile(const QString &id) const
{
    for (const ConnectionProfile &p : profiles()) {
        if (p.id == id)
            return p;
    }
    return std::nullopt;
}

std::optional<ConnectionProfile> ProfileStore::profileNamed(const QString &name) const
{
    const QList<ConnectionProfile> all = profiles();
    for (const ConnectionProfile &p : all) {
        if (p.name == name)
            return p;
    }
    for (const ConnectionProfile &p : all) {
        if (p.name.compare(name, Qt::CaseInsensitive) == 0)
            return p;
    }
    return std::nullopt;
}

Result<ConnectionProfile> ProfileStore::save(ConnectionProfile profile)
{
    profile.name = profile.name.trimmed();
    if (Status valid = profile.validate(); !valid)
        return valid.error();
    for (const ConnectionProfile &other : profiles()) {
        if (other.id != profile.id && other.name.compare(profile.name, Qt::CaseInsensitive) == 0)
            return Error::make(Error::Code::Conflict,
                tr("A connection named %1 exists already; choose another name.").arg(other.name));
    }
    if (profile.id.isEmpty())
        profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QStringList trusted;
    for (const QString &fingerprint : std::as_const(profile.trustedCertificates)) {
        const QString canonical = fingerprint::canonical(fingerprint);
        if (!trusted.contains(canonical))
            trusted.append(canonical);
    }
    profile.trustedCertificates = profile.usesHost() ? trusted : QStringList();
    m_settings->beginGroup(kGroup);
    m_settings->remove(profile.id);
    m_settings->beginGroup(profile.id);
    m_settings->setValue(QStringLiteral("name"), profile.name);
    m_settings->setValue(QStringLiteral("kind"), kindKey(profile.kind));
    if (profile.usesHost()) {
        m_settings->setValue(QStringLiteral("baseUrl"), profile.baseUrl.toString());
        m_settings->setValue(QStringLiteral("auth"), authKey(profile.auth));
        if (!profile.username.isEmpty())
            m_settings->setValue(QStringLiteral("username"), profile.username);
        if (profile.appTokenId >= 0)
            m_settings->setValue(QStringLiteral("appTokenId"), profile.appTokenId);
        // Not a secret: a certificate's fingerprint is what any client of the host can see.
        if (!profile.trustedCertificates.isEmpty())
            m_settings->setValue(QStringLiteral("trustedCertificates"), profile.trustedCertificates);
    }
    if (profile.usesDatabase()) {
        m_settings->setValue(QStringLiteral("databasePath"), profile.databasePath);
        m_settings->setValue(QStringLiteral("readOnly"), profile.readOnly);
    }
    m_settings->endGroup();
    m_settings->endGroup();
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError)
        return Error::make(
            Error::Code::Io, tr("Could not save the connection to %1.").arg(m_settings->fileName()));
    Q_EMIT profilesChanged();
    return profile;
}

void ProfileStore::remove(const QString &id)
{
    if (id.isEmpty())
        return;
    m_settings->beginGroup(kGroup);
    m_settings->remove(id);
    m_settings->endGroup();
    if (lastUsedId() == id)
        m_settings->remove(kLastUsed);
    m_settings->sync();
    Q_EMIT profilesChanged();
}

QString ProfileStore::lastUsedId() const
{
    return m_settings->value(kLastUsed).toString();
}

void ProfileStore::setLastUsed(const QString &id)
{
    m_settings->setValue(kLastUsed, id);
    m_settings->sync();
}

} // namespace rk
