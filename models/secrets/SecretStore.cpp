#include "SecretStore.h"

#include <QTimer>

namespace rk {

namespace {

// Runs `call` on the next turn of the event loop if `context` still exists then.
void later(QObject *context, std::function<void()> call)
{
    QTimer::singleShot(0, context, std::move(call));
}

} // namespace

void MemorySecretStore::read(const QString &key, QObject *context, ReadDone done)
{
    Result<QString> result = m_secrets.contains(key)
        ? Result<QString>(m_secrets.value(key))
        : Result<QString>(Error::make(Error::Code::NotFound, tr("No secret is stored for this connection.")));
    later(context, [done = std::move(done), result = std::move(result)]() { done(result); });
}

void MemorySecretStore::write(const QString &key, const QString &secret, QObject *context, Done done)
{
    m_secrets.insert(key, secret);
    later(context, [done = std::move(done)]() { done(Status()); });
}

void MemorySecretStore::remove(const QString &key, QObject *context, Done done)
{
    m_secrets.remove(key);
    later(context, [done = std::move(done)]() { done(Status()); });
}

QString MemorySecretStore::description() const
{
    return tr("memory (this session only)");
}

} // namespace rk
