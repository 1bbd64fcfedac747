#pragma once

#include "UsersQuery.h"

#include <QList>
#include <QMutex>

#include <atomic>
#include <deque>
#include <optional>

namespace rk {

// What the model wants from its loader, shared between the UI thread (which writes) and the
// loader thread (which reads). Only the latest query matters, and among page requests the newest
// come first: when the user drags the scroll bar, the window they stopped at is loaded before
// the ones they passed, and requests beyond a small capacity are dropped (and reported back, so
// the model asks again if those rows become visible again).
class UsersRequestQueue
{
public:
    struct QueryRequest
    {
        quint64 generation = 0;
        UsersQuery query;
        bool refresh = false; // same query again: the model keeps its rows until new ones arrive
    };
    struct PageRequest
    {
        quint64 generation = 0;
        int page = 0;
    };

    explicit UsersRequestQueue(int pageCapacity = 8) : m_capacity(pageCapacity) { }

    // UI thread. Clears page requests of older generations.
    void setQuery(const QueryRequest &request);
    QueryRequest latestQuery() const;
    // Any thread; lock-free. The loader polls it to abandon work for a superseded query.
    quint64 generation() const { return m_generation.load(std::memory_order_acquire); }

    // UI thread. Returns the pages dropped to stay within capacity.
    QList<int> requestPage(quint64 generation, int page);
    // Loader thread: the newest request, if any.
    std::optional<PageRequest> takeNewest();
    std::optional<PageRequest> peekNewest() const;
    bool hasPages() const;

private:
    mutable QMutex m_mutex;
    QueryRequest m_query;
    std::deque<PageRequest> m_pages;
    int m_capacity;
    std::atomic<quint64> m_generation {0};
};

} // namespace rk
