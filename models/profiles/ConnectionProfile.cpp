#include "ConnectionProfile.h"

#include "core/Fingerprint.h"

namespace rk {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("rk::ConnectionProfile", text);
}
} // namespace

Status ConnectionProfile::validate() const
{
    if (name.trimmed().isEmpty())
        return Error::make(Error::Code::Invalid, tr("The connection needs a name."));
    if (name.size() > 80)
        return Error::make(Error::Code::Invalid, tr("The connection's name is longer than 80 characters."));
    if (usesHost()) {
        if (!baseUrl.isValid() || baseUrl.host().isEmpty())
            return Error::make(Error::Code::Invalid,
                tr("The host address is not a URL; write it as http://host:8000 or https://host."));
        const QString scheme = baseUrl.scheme().toLower();
        if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
            return Error::make(
                Error::Code::Invalid, tr("The host address must start with http:// or https://."));
        if (!baseUrl.userInfo().isEmpty())
            return Error::make(Error::Code::Invalid,
                tr("The host address must not contain a user name or password; sign in instead."));
        if (baseUrl.hasQuery() || baseUrl.hasFragment())
            return Error::make(Error::Code::Invalid, tr("The host address must not contain ? or #."));
        for (const QString &trusted : trustedCertificates) {
            if (!fingerprint::isSha256(trusted))
                return Error::make(Error::Code::Invalid,
                    tr("The trusted certificate \"%1\" is not a SHA-256 fingerprint (32 hex pairs).")
                        .arg(trusted));
        }
    }
    if (usesDatabase() && databasePath.trimmed().isEmpty())
        return Error::make(Error::Code::Invalid, tr("Choose the platform database file."));
    return {};
}

QString ConnectionProfile::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Host: return tr("Host");
    case Kind::Database: return tr("Platform database");
    case Kind::HostAndDatabase: return tr("Host + database");
    }
    return {};
}

QString ConnectionProfile::authName(Auth auth)
{
    switch (auth) {
    case Auth::Password: return tr("Username and password");
    case Auth::ApiToken: return tr("API token");
    case Auth::AdminSecret: return tr("Admin secret");
    }
    return {};
}

} // namespace rk
