#pragma once

#include <QString>

namespace rk {

// How a session's or token's owner is named on the pages. The host enforces no foreign keys and
// has pseudo-users, so `users.id` may name nobody: tokens made anonymously belong to -1, tokens
// made through X-Admin-Token to 0, and a deleted user leaves rows with their old id behind.
namespace owners {

// "bob"; for rows without an existing user: "anonymous (user -1)", "admin secret (user 0)",
// "deleted user #12".
QString label(qint64 userId, const QString &username);
// Why an owner cell looks as it does (for tooltips); empty for existing users.
QString explanation(qint64 userId, const QString &username);
// True when `username` is empty: the row belongs to no existing user.
inline bool isOrphan(const QString &username)
{
    return username.isEmpty();
}

} // namespace owners
} // namespace rk
