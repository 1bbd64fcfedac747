#pragma once

#include <QString>

namespace rk {

// How a request proves who is calling (kohakuriver-host.md section 2). The secret is never logged.
struct HostAuth
{
    enum class Mode {
        None, // anonymous
        Bearer, // "Authorization: Bearer <API token>"
        AdminSecret, // "X-Admin-Token: <ADMIN_SECRET>": the host's mock admin, user id 0
        Session, // "Cookie: kohakuriver_session=<id>": from POST /api/auth/login
    };

    Mode mode = Mode::None;
    QString secret;

    static HostAuth none() { return {}; }
    static HostAuth bearer(QString token) { return {Mode::Bearer, std::move(token)}; }
    static HostAuth adminSecret(QString secret) { return {Mode::AdminSecret, std::move(secret)}; }
    static HostAuth session(QString sessionId) { return {Mode::Session, std::move(sessionId)}; }

    bool isNone() const { return mode == Mode::None || secret.isEmpty(); }
    friend bool operator==(const HostAuth &, const HostAuth &) = default;
};

} // namespace rk
