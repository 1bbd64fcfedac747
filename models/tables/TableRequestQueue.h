#pragma once

#include "TableQuery.h"

#include <QList>
#include <QMutex>

#include <atomic>
#include <deque>
#include <optional>

namespace rk {

// What a LazySqlTableModel wants from its worker, shared between the UI thread (which writes) and
// the worker thread (which reads). Only the latest query matters; among page requests the newest
// come first (after a scroll-bar drag, the window the user stopped at loads before the ones
// passed on the way), and requests beyond a small capacity are dropped and reported back so the
// model can ask again when those rows are still visible.
//
// Generic counterpart of users/UsersRequestQueue (which could later be replaced by this class
// with UsersQuery as a template parameter or a variant).
class TableRequestQueue
{
public:
    struct QueryRequest
    {
        quint64 generation = 0;
        TableQuery query;
        QString now; // host datetime text bound to :now for this generation
        bool refresh = false; // same query again: the model keeps its rows until new ones arrive
    };
    struct PageRequest
    {
        quint64 generation = 0;
        int page = 0;
    };

    explicit TableRequestQueue(int pageCapacity = 8) : m_capacity(pageCapacity) { }

    // UI thread. Drops page requests of older generations.
    void setQuery(const QueryRequest &request);
    QueryRequest latestQuery() const;
    // Any thread; lock-free. The worker polls it to abandon work for a superseded query.
    quint64 generation() const { return m_generation.load(std::memory_order_acquire); }

    // UI thread. Returns the pages dropped to stay within capacity.
    QList<int> requestPage(quint64 generation, int page);
    // Worker thread.
    std::optional<PageRequest> takeNewest();
    std::optional<PageRequest> peekNewest() const;

private:
    mutable QMutex m_mutex;
    QueryRequest m_query;
    std::deque<PageRequest> m_pages; // newest at the back
    int m_capacity;
    std::atomic<quint64> m_generation {0};
};

} // namespace rk
