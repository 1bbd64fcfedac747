#pragma once

// Helpers shared by the widget tests: real platform databases in temporary directories, app
// settings in an INI file there too, and a cheap bcrypt cost where the code under test allows it.

#include "AppSettings.h"
#include "RkTest.h"
#include "core/Secrets.h"
#include "store/PlatformStore.h"

#include <QSettings>
#include <QTemporaryDir>

#include <memory>

namespace uitest {

inline const QString kRootPassword = QStringLiteral("rootpass123");

inline std::unique_ptr<rk::AppSettings> makeSettings(const QTemporaryDir &dir)
{
    return std::make_unique<rk::AppSettings>(
        std::make_unique<QSettings>(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat));
}

inline rk::PasswordHash quickHash(const QString &password)
{
    return rk::Passwords::hash(password, 4).value();
}

// A new platform database at `path` whose first admin is "root" (password kRootPassword).
struct Platform
{
    std::unique_ptr<rk::PlatformStore> store;
    rk::Actor root;
};

inline Platform makePlatform(const QString &path)
{
    Platform p;
    auto created = rk::PlatformStore::create(path);
    if (!created) {
        qWarning("create failed: %s", qPrintable(created.error().message));
        return p;
    }
    p.store = std::move(created).value();
    auto admin = p.store->createFirstAdmin(QStringLiteral("root"), QStringLiteral("Root Admin"),
        quickHash(kRootPassword), QStringLiteral("test@host"));
    if (!admin) {
        qWarning("createFirstAdmin failed: %s", qPrintable(admin.error().message));
        p.store.reset();
        return p;
    }
    p.root = admin.value();
    return p;
}

inline qint64 addUser(rk::PlatformStore &store, const rk::Actor &admin, const QString &name,
    const QString &role, const QString &displayName = {})
{
    rk::NewUser nu;
    nu.username = name;
    nu.displayName = displayName;
    nu.role = role;
    auto id = store.createUser(admin, nu, quickHash(QStringLiteral("password-%1").arg(name)));
    if (!id) {
        qWarning("createUser failed: %s", qPrintable(id.error().message));
        return -1;
    }
    return id.value();
}

} // namespace uitest
