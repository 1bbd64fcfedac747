#pragma once

#include "RkTest.h"
#include "secrets/SecretStore.h"

#include <QTimer>

#include <optional>

namespace connecttest {

// A keychain that is there but refuses to store anything (locked, no Secret Service): writes fail
// with Io like KeychainSecretStore's; reads find nothing; removes succeed.
class RefusingSecretStore : public rk::SecretStore
{
public:
    using rk::SecretStore::SecretStore;

    void read(const QString &, QObject *context, ReadDone done) override
    {
        QTimer::singleShot(0, context, [done = std::move(done)] {
            done(rk::Error::make(rk::Error::Code::NotFound, QStringLiteral("nothing stored")));
        });
    }
    void write(const QString &, const QString &, QObject *context, Done done) override
    {
        ++writes;
        QTimer::singleShot(0, context, [done = std::move(done)] {
            done(rk::Error::make(rk::Error::Code::Io, QStringLiteral("The keychain is locked.")));
        });
    }
    void remove(const QString &, QObject *context, Done done) override
    {
        QTimer::singleShot(0, context, [done = std::move(done)] { done(rk::Status()); });
    }
    QString description() const override { return QStringLiteral("the refusing test keychain"); }
    bool isPersistent() const override { return true; }

    int writes = 0;
};

// Waits for one asynchronous SecretStore read.
inline std::optional<rk::Result<QString>> readNow(rk::SecretStore &store, const QString &key)
{
    std::optional<rk::Result<QString>> answer;
    QObject context;
    store.read(key, &context, [&](const rk::Result<QString> &result) { answer = result; });
    (void)QTest::qWaitFor([&]() { return answer.has_value(); }, 5000);
    return answer;
}

} // namespace connecttest
