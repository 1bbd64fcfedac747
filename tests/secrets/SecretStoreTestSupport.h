#pragma once

#include "RkTest.h"
#include "secrets/SecretStore.h"

#include <optional>

namespace secrettest {

// Runs one asynchronous SecretStore call and waits for its answer (at most `timeoutMs`).
inline std::optional<rk::Result<QString>> readNow(
    rk::SecretStore &store, const QString &key, int timeoutMs = 15000)
{
    std::optional<rk::Result<QString>> answer;
    QObject context;
    store.read(key, &context, [&](const rk::Result<QString> &result) { answer = result; });
    (void)QTest::qWaitFor([&]() { return answer.has_value(); }, timeoutMs);
    return answer;
}

inline std::optional<rk::Status> writeNow(
    rk::SecretStore &store, const QString &key, const QString &secret, int timeoutMs = 15000)
{
    std::optional<rk::Status> answer;
    QObject context;
    store.write(key, secret, &context, [&](const rk::Status &status) { answer = status; });
    (void)QTest::qWaitFor([&]() { return answer.has_value(); }, timeoutMs);
    return answer;
}

inline std::optional<rk::Status> removeNow(rk::SecretStore &store, const QString &key, int timeoutMs = 15000)
{
    std::optional<rk::Status> answer;
    QObject context;
    store.remove(key, &context, [&](const rk::Status &status) { answer = status; });
    (void)QTest::qWaitFor([&]() { return answer.has_value(); }, timeoutMs);
    return answer;
}

} // namespace secrettest
