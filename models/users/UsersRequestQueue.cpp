#include "UsersRequestQueue.h"

#include <QMutexLocker>

namespace rk {

void UsersRequestQueue::setQuery(const QueryRequest &request)
{
    QMutexLocker lock(&m_mutex);
    m_query = request;
    m_pages.clear();
    m_generation.store(request.generation, std::memory_order_release);
}

UsersRequestQueue::QueryRequest UsersRequestQueue::latestQuery() const
{
    QMutexLocker lock(&m_mutex);
    return m_query;
}

QList<int> UsersRequestQueue::requestPage(quint64 generation, int page)
{
    QMutexLocker lock(&m_mutex);
    QList<int> dropped;
    for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
        if (it->generation == generation && it->page == page) {
            m_pages.erase(it); // asked again: move it to the front
            break;
        }
    }
    m_pages.push_back({generation, page});
    while (int(m_pages.size()) > m_capacity) {
        dropped.append(m_pages.front().page);
        m_pages.pop_front();
    }
    return dropped;
}

std::optional<UsersRequestQueue::PageRequest> UsersRequestQueue::takeNewest()
{
    QMutexLocker lock(&m_mutex);
    if (m_pages.empty())
        return std::nullopt;
    const PageRequest r = m_pages.back();
    m_pages.pop_back();
    return r;
}

std::optional<UsersRequestQueue::PageRequest> UsersRequestQueue::peekNewest() const
{
    QMutexLocker lock(&m_mutex);
    if (m_pages.empty())
        return std::nullopt;
    return m_pages.back();
}

bool UsersRequestQueue::hasPages() const
{
    QMutexLocker lock(&m_mutex);
    return !m_pages.empty();
}

} // namespace rk
