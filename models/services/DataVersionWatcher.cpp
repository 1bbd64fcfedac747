#include "DataVersionWatcher.h"

#include "store/PlatformStore.h"

#include <QPointer>

namespace rk {

Result<std::unique_ptr<DataVersionWatcher>> DataVersionWatcher::open(
    const QString &path, int busyTimeoutMs, QObject *parent)
{
    auto store = PlatformStore::open(path, PlatformStore::Access::ReadOnly, busyTimeoutMs);
    if (!store)
        return store.error();
    return std::unique_ptr<DataVersionWatcher>(new DataVersionWatcher(std::move(store).value(), parent));
}

DataVersionWatcher::DataVersionWatcher(std::unique_ptr<PlatformStore> owned, QObject *parent)
    : QObject(parent), m_owned(std::move(owned)), m_store(m_owned.get())
{
}

DataVersionWatcher::DataVersionWatcher(PlatformStore *store, QObject *parent)
    : QObject(parent), m_store(store)
{
}

DataVersionWatcher::~DataVersionWatcher() = default;

bool DataVersionWatcher::checkNow()
{
    if (!m_store || !m_store->checkForExternalChange())
        return false;
    Q_EMIT changed();
    return true;
}

Poller::Check DataVersionWatcher::check()
{
    return [self = QPointer<DataVersionWatcher>(this)](const Poller::Completion &done) {
        if (self)
            self->checkNow();
        done(bool(self));
    };
}

} // namespace rk
