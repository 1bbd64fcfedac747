#pragma once

#include "core/Result.h"

#include <QString>
#include <QStringList>
#include <QUrl>

namespace rk {

// One way to reach a cluster, saved under a name the admin chose ("prod", "lab"):
// - Host: the host's REST API at `baseUrl`;
// - Database: the platform's SQLite file at `databasePath` (read-write or read-only);
// - HostAndDatabase: both, on the host machine: the API for what must go through the host
//   (approving a task dispatches it), the file for what the API lacks (sessions, groups, ...).
// A profile holds no secret: the token or admin secret of a Host profile lives in the keychain
// under secretKey(). `username` and `appTokenId` are not secret either: who signed in, and the id
// of the API token the app created for itself on the host (revoked at sign-out). Nor are
// `trustedCertificates`: the fingerprints of certificates the admin looked at and accepted for
// this host although they do not verify (self-signed, a private CA); every use of the profile
// passes them to the HostClient, and a host that presents another certificate is refused.
struct ConnectionProfile
{
    enum class Kind { Host, Database, HostAndDatabase };
    enum class Auth {
        Password, // username + password once; the app then creates and keeps its own API token
        ApiToken, // an existing API token, pasted by the admin
        AdminSecret, // the host's ADMIN_SECRET, sent as X-Admin-Token
    };

    QString id; // stable, generated (a UUID without braces)
    QString name;
    Kind kind = Kind::Host;
    QUrl baseUrl; // Host, HostAndDatabase: "https://river.example.org:8000"
    Auth auth = Auth::Password;
    QString username; // Password: the account signed in as (shown; prefilled next time)
    qint64 appTokenId = -1; // Password: the id of the token the app created on the host
    // Host, HostAndDatabase: SHA-256 fingerprints, "AB:CD:..." (fingerprint::canonical()). The
    // Connect dialog keeps one: trusting a changed certificate replaces the old one.
    QStringList trustedCertificates;
    QString databasePath; // Database, HostAndDatabase
    bool readOnly = false; // Database: open the file read-only

    bool usesHost() const { return kind != Kind::Database; }
    bool usesDatabase() const { return kind != Kind::Host; }
    // Where the profile's secret is in the SecretStore.
    QString secretKey() const { return QStringLiteral("profile/%1/secret").arg(id); }

    // Every field an admin typed, checked: a name, an http(s) URL with a host and no query or
    // credentials in it, a database path, SHA-256 fingerprints. The message names the field.
    Status validate() const;

    static QString kindName(Kind kind); // translated: "Host", "Platform database", "Host + database"
    static QString authName(Auth auth); // translated
};

} // namespace rk
