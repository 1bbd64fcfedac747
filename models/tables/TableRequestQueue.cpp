#include "TableRequestQueue.h"

#include <QMutexLocker>

#include <algorithm>

namespace rk {

void TableRequestQueue::setQuery(const QueryRequest &request)
{
    QMutexLocker lock(&m_mutex);
    m_query = request;
    m_pages.erase(std::remove_if(m_pages.begin(), m_pages.end(),
                      [&](const PageRequest &p) { return p.generation != request.generation; }),
        m_pages.end());
    m_generation.store(request.generation, std::memory_order_release);
}

TableRequestQueue::QueryRequest TableRequestQueue::latestQuery() const
{
    QMutexLocker lock(&m_mutex);
    return m_query;
}

QList<int> TableRequestQueue::requestPage(quint64 generation, int page)
{
    QMutexLocker lock(&m_mutex);
    QList<int> dropped;
    const auto same = std::find_if(m_pages.begin(), m_pages.end(),
        [&](const PageRequest &p) { return p.generation == generation && p.page == page; });
    if (same != m_pages.end())
        m_pages.erase(same); // asked again: it moves to the front of the line
    m_pages.push_back({generation, page});
    while (qsizetype(m_pages.size()) > m_capacity) {
        dropped.append(m_pages.front().page);
        m_pages.pop_front();
    }
    return dropped;
}

std::optional<TableRequestQueue::PageRequest> TableRequestQueue::takeNewest()
{
    QMutexLocker lock(&m_mutex);
    if (m_pages.empty())
        return std::nullopt;
    const PageRequest newest = m_pages.back();
    m_pages.pop_back();
    return newest;
}

std::optional<TableRequestQueue::PageRequest> TableRequestQueue::peekNewest() const
{
    QMutexLocker lock(&m_mutex);
    if (m_pages.empty())
        return std::nullopt;
    return m_pages.back();
}

} // namespace rk
