#pragma once

#include "core/Secrets.h"
#include "store/PlatformStore.h"

#include <QtTest>

// A small platform database for CLI tests: the admin "root" and one user per other role, all
// hashed at bcrypt cost 4 so that signing in takes milliseconds.
namespace clitest {

inline const QString kRootPassword = QStringLiteral("root-password-1");
inline const QString kUserPassword = QStringLiteral("member-password-1");

inline bool makeFixtureStore(const QString &path)
{
    auto store = rk::PlatformStore::create(path);
    if (!store)
        return false;
    auto rootHash = rk::Passwords::hash(kRootPassword, 4);
    auto root = (*store)->createFirstAdmin(
        QStringLiteral("root"), QStringLiteral("Root Admin"), *rootHash, QStringLiteral("test"));
    if (!root)
        return false;
    auto userHash = rk::Passwords::hash(kUserPassword, 4);
    const QList<std::pair<QString, QString>> members = {{QStringLiteral("vera"), QStringLiteral("viewer")},
        {QStringLiteral("uma"), QStringLiteral("user")},
        {QStringLiteral("otto"), QStringLiteral("operator")}};
    for (const auto &[name, role] : members) {
        rk::NewUser user;
        user.username = name;
        user.role = role;
        if (!(*store)->createUser(*root, user, *userHash))
            return false;
    }
    return true;
}

} // namespace clitest
