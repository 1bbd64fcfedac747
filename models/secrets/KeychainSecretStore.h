#pragma once

#include "SecretStore.h"

namespace rk {

// Secrets in the system keychain through QtKeychain (on Linux: the Secret Service of GNOME
// Keyring or KWallet, through libsecret), under the service name "riverkeeper". Every job has a
// timeout, because a keychain that wants to show an unlock prompt nobody answers (a headless
// session) never returns; a timed-out job reports an Io error and is dropped when it finishes.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT

public:
    static constexpr int kDefaultTimeoutMs = 10000;

    explicit KeychainSecretStore(QObject *parent = nullptr);
    // `service` separates entries (tests use their own).
    KeychainSecretStore(const QString &service, int timeoutMs, QObject *parent = nullptr);

    void read(const QString &key, QObject *context, ReadDone done) override;
    void write(const QString &key, const QString &secret, QObject *context, Done done) override;
    void remove(const QString &key, QObject *context, Done done) override;
    QString description() const override;
    bool isPersistent() const override { return true; }

    QString service() const { return m_service; }

private:
    QString m_service;
    int m_timeoutMs;
};

} // namespace rk
