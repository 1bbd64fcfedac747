#pragma once

#include "ConnectionProfile.h"

#include <QObject>

#include <memory>
#include <optional>

class QSettings;

namespace rk {

// The saved connection profiles and which was used last, in their own settings file
// (~/.config/riverkeeper/profiles.conf), shared by the desktop app and riverkeeper-cli. Never a
// secret: those are in the keychain under each profile's secretKey().
class ProfileStore : public QObject
{
    Q_OBJECT

public:
    // Takes ownership of `settings` (tests pass an INI file in a temporary directory).
    explicit ProfileStore(std::unique_ptr<QSettings> settings, QObject *parent = nullptr);
    ~ProfileStore() override;

    // The user's profiles file.
    static std::unique_ptr<QSettings> openDefaultSettings();

    // Sorted by name (case-insensitive).
    QList<ConnectionProfile> profiles() const;
    std::optional<ConnectionProfile> profile(const QString &id) const;
    // Exact name first, then case-insensitive.
    std::optional<ConnectionProfile> profileNamed(const QString &name) const;

    // Adds or replaces (by id; a new profile gets an id). Refuses an invalid profile and a name
    // another profile has. Returns the saved profile.
    Result<ConnectionProfile> save(ConnectionProfile profile);
    void remove(const QString &id);

    QString lastUsedId() const;
    void setLastUsed(const QString &id);

Q_SIGNALS:
    void profilesChanged();

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace rk
