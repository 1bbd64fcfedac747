#pragma once

#include <QHash>
#include <QSet>
#include <QtGlobal>

#include <algorithm>
#include <utility>
#include <vector>

namespace rk {

// The pages of rows a lazy table model keeps (LazySqlTableModel, UsersTableModel), by page index:
// - at most `capacity` pages, the least recently used dropped first;
// - after an in-place refresh every page is stale: still shown, until its new version arrives;
// - which pages were asked for and not answered yet, so a view's many data() calls for one page
//   ask once.
// `PagePtr` points to a page with `int index`, `int firstRow` and `rows` (a vector). For the
// model's thread only.
template<typename PagePtr> class PageCache
{
public:
    struct Entry
    {
        PagePtr page;
        quint64 lastUse = 0;
        bool stale = false; // from before an in-place refresh

        // The row at `row` of the table, or nullptr when this page does not hold it.
        const auto *rowAt(int row) const
        {
            const qsizetype offset = row - page->firstRow;
            return offset >= 0 && offset < qsizetype(page->rows.size()) ? &page->rows[size_t(offset)]
                                                                        : nullptr;
        }
    };

    explicit PageCache(int capacity) : m_capacity(qMax(1, capacity)) { }

    // The page `index` when kept (its use is not noted).
    const Entry *find(int index) const
    {
        const auto it = m_entries.constFind(index);
        return it == m_entries.constEnd() ? nullptr : &*it;
    }
    // The page `index` when kept, noted as just used (a view reads it).
    const Entry *use(int index)
    {
        const auto it = m_entries.find(index);
        if (it == m_entries.end())
            return nullptr;
        it->lastUse = ++m_clock;
        return &*it;
    }
    // Keeps `page`, fresh and just used, in place of an older version; drops the least recently
    // used other pages beyond the capacity.
    void insert(const PagePtr &page)
    {
        m_entries.insert(page->index, Entry {page, ++m_clock, false});
        while (m_entries.size() > m_capacity) {
            auto oldest = m_entries.end();
            for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
                if (it.key() != page->index && (oldest == m_entries.end() || it->lastUse < oldest->lastUse))
                    oldest = it;
            }
            m_entries.erase(oldest);
        }
    }
    // After an in-place refresh: marks every page stale and returns up to `count` of their
    // indexes, the ones used last first, leaving out `except` (pages the refresh brings anyway).
    std::vector<int> markStale(int count, const QSet<int> &except = {})
    {
        std::vector<std::pair<quint64, int>> recent;
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            it->stale = true;
            if (!except.contains(it.key()))
                recent.emplace_back(it->lastUse, it.key());
        }
        std::sort(recent.rbegin(), recent.rend());
        std::vector<int> indexes;
        for (size_t i = 0; i < recent.size() && i < size_t(qMax(0, count)); ++i)
            indexes.push_back(recent[i].second);
        return indexes;
    }
    // Drops every page and returns them (a model may free them on another thread).
    std::vector<PagePtr> takeAll()
    {
        std::vector<PagePtr> pages;
        pages.reserve(size_t(m_entries.size()));
        for (const Entry &e : std::as_const(m_entries))
            pages.push_back(e.page);
        m_entries.clear();
        return pages;
    }
    const QHash<int, Entry> &entries() const { return m_entries; }

    // Notes a request for page `index`; false when one is pending already.
    bool request(int index)
    {
        if (m_requested.contains(index))
            return false;
        m_requested.insert(index);
        return true;
    }
    // The page came, or its request was dropped.
    void answered(int index) { m_requested.remove(index); }
    // A new query: the pending requests belong to the old one.
    void forgetRequests() { m_requested.clear(); }

private:
    int m_capacity;
    quint64 m_clock = 0;
    QHash<int, Entry> m_entries;
    QSet<int> m_requested;
};

} // namespace rk
