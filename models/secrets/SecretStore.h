#pragma once

#include "core/Result.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>

namespace rk {

// Where Riverkeeper keeps secrets (API tokens, admin secrets): the system keychain through
// QtKeychain (KeychainSecretStore), or memory for "this session only" and for tests
// (MemorySecretStore). Nothing secret goes anywhere else: not QSettings, not a log, not the
// mirror. Keys are opaque names ("profile/<id>/token"); the values are never logged.
//
// The interface is asynchronous because the keychain answers over D-Bus and may ask the user
// to unlock it: each call returns at once and later runs `done` on the caller's thread, unless
// `context` was destroyed meanwhile. Failures are Errors: NotFound for a missing entry, Io for a
// keychain that is missing, locked, refuses or does not answer in time (the message says which).
class SecretStore : public QObject
{
    Q_OBJECT

public:
    using ReadDone = std::function<void(const Result<QString> &)>;
    using Done = std::function<void(const Status &)>;

    using QObject::QObject;

    virtual void read(const QString &key, QObject *context, ReadDone done) = 0;
    virtual void write(const QString &key, const QString &secret, QObject *context, Done done) = 0;
    // Removing an entry that does not exist succeeds.
    virtual void remove(const QString &key, QObject *context, Done done) = 0;

    // "the system keychain (Secret Service)", "memory (this session only)": for messages.
    virtual QString description() const = 0;
    // Whether secrets survive a restart.
    virtual bool isPersistent() const = 0;
};

// Secrets in this process's memory only: gone when the app quits. Used when no keychain is
// available and the admin chose to keep the token for this session, and by tests. Answers on
// the next turn of the event loop, like the keychain.
class MemorySecretStore : public SecretStore
{
    Q_OBJECT

public:
    using SecretStore::SecretStore;

    void read(const QString &key, QObject *context, ReadDone done) override;
    void write(const QString &key, const QString &secret, QObject *context, Done done) override;
    void remove(const QString &key, QObject *context, Done done) override;
    QString description() const override;
    bool isPersistent() const override { return false; }

    // For tests: what is stored now.
    int count() const { return static_cast<int>(m_secrets.size()); }
    bool contains(const QString &key) const { return m_secrets.contains(key); }

private:
    QHash<QString, QString> m_secrets;
};

} // namespace rk
