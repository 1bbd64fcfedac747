#pragma once

#include "Poller.h"
#include "core/Result.h"

#include <QObject>
#include <QString>

#include <memory>

namespace rk {

class PlatformStore;

// The cheap change check of a platform database for a Poller: PRAGMA data_version, which moves
// when another connection (the host, or Riverkeeper's own store) commits to the file. No table
// is read; a page refreshes its models only when changed() says so.
//
// The comparison itself is PlatformStore::checkForExternalChange(); this class gives it a
// connection of its own (a read-only PlatformStore, so the app's store and the watcher do not
// share a connection and the watcher sees the app's own commits too) and the shape of a
// Poller::Check. Lives on the thread that creates it.
class DataVersionWatcher : public QObject
{
    Q_OBJECT

public:
    // Opens `path` read-only on a connection of its own. Fails as PlatformStore::open() does (not
    // a platform database, missing, locked beyond `busyTimeoutMs`).
    static Result<std::unique_ptr<DataVersionWatcher>> open(
        const QString &path, int busyTimeoutMs = 1000, QObject *parent = nullptr);
    // Watches through `store` (not owned; must outlive the watcher). Commits made through that
    // same store are not seen: its own changed() signal reports those.
    explicit DataVersionWatcher(PlatformStore *store, QObject *parent = nullptr);
    ~DataVersionWatcher() override;

    // Compares now; emits changed() and returns true when another connection committed since
    // the last check (or since opening).
    bool checkNow();
    // checkNow() as a Poller check: completes at once, always successfully (a file that cannot
    // be read reports "no change"; PlatformStore does not tell that apart).
    Poller::Check check();

Q_SIGNALS:
    void changed();

private:
    DataVersionWatcher(std::unique_ptr<PlatformStore> owned, QObject *parent);

    std::unique_ptr<PlatformStore> m_owned;
    PlatformStore *m_store = nullptr;
};

} // namespace rk
