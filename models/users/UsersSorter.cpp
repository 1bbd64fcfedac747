#include "UsersSorter.h"

#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <cstring>

namespace rk {

namespace {
constexpr size_t kChunk = 64 * 1024; // sorted between two cancellation checks (~5 ms)

inline quint32 lengthOf(const UsersSorter::Entry &e)
{
    return e.packed & UsersSorter::kNull;
}

inline const char *textOf(const std::vector<UsersSorter::KeyArena> &arenas, const UsersSorter::Entry &e)
{
    return arenas[e.packed >> 24].data() + e.offset;
}
} // namespace

quint64 UsersSorter::textPrefix(const char *text, int length)
{
    quint64 prefix = 0;
    const int n = qMin(length, 8);
    for (int i = 0; i < n; ++i)
        prefix |= quint64(static_cast<unsigned char>(text[i])) << (56 - 8 * i);
    return prefix;
}

UsersSorter::Entry UsersSorter::textEntry(
    qint64 id, const char *text, int length, int arenaIndex, KeyArena &arena)
{
    const quint32 arenaBits = quint32(arenaIndex) << 24;
    if (!text)
        return Entry {0, id, 0, arenaBits | kNull};
    const quint32 n = qMin(quint32(length), kMaxKeyBytes);
    const size_t offset = arena.size();
    arena.insert(arena.end(), text, text + n);
    return Entry {textPrefix(text, length), id, quint32(offset), arenaBits | n};
}

UsersSorter::UsersSorter(
    BigVector<Entry> entries, std::vector<KeyArena> arenas, bool textKeys, bool descending)
    : m_entries(std::move(entries)), m_arenas(std::move(arenas))
{
    m_less = Less {&m_arenas, textKeys, descending};
}

int UsersSorter::Less::compareKeys(const Entry &a, const Entry &b) const
{
    if (a.prefix != b.prefix)
        return a.prefix < b.prefix ? -1 : 1;
    if (!text)
        return 0;
    const quint32 la = lengthOf(a);
    const quint32 lb = lengthOf(b);
    if (la == kNull || lb == kNull)
        return (la == kNull ? 0 : 1) - (lb == kNull ? 0 : 1);
    if (la <= 8 && lb <= 8) {
        // Equal zero-padded prefixes of short keys: equal, or the shorter is a prefix.
        return la == lb ? 0 : (la < lb ? -1 : 1);
    }
    const int c = std::memcmp(textOf(*arenas, a), textOf(*arenas, b), std::min(la, lb));
    if (c != 0)
        return c;
    return la == lb ? 0 : (la < lb ? -1 : 1);
}

bool UsersSorter::Less::operator()(const Entry &a, const Entry &b) const
{
    const int c = compareKeys(a, b);
    if (c != 0)
        return descending ? c > 0 : c < 0;
    return a.id < b.id;
}

std::vector<qint64> UsersSorter::top(int k)
{
    const size_t n = m_entries.size();
    const size_t kk = std::min(n, size_t(qMax(0, k)));
    if (kk < n)
        std::nth_element(m_entries.begin(), m_entries.begin() + qsizetype(kk), m_entries.end(), m_less);
    std::sort(m_entries.begin(), m_entries.begin() + qsizetype(kk), m_less);
    m_sortedPrefix = kk;
    std::vector<qint64> ids;
    ids.reserve(kk);
    for (size_t i = 0; i < kk; ++i)
        ids.push_back(m_entries[i].id);
    return ids;
}

std::optional<IdVector> UsersSorter::sortAll(QThreadPool *pool, const std::function<bool()> &cancelled)
{
    const size_t n = m_entries.size();
    // The rest after the sorted prefix, in chunks sorted by two threads (even and odd chunks).
    std::vector<std::pair<size_t, size_t>> runs;
    for (size_t begin = m_sortedPrefix; begin < n; begin += kChunk)
        runs.emplace_back(begin, std::min(n, begin + kChunk));
    std::atomic<bool> stop {false};
    auto sortRuns = [&](size_t first) {
        for (size_t r = first; r < runs.size(); r += 2) {
            if (stop.load(std::memory_order_relaxed) || cancelled()) {
                stop = true;
                return;
            }
            std::sort(m_entries.begin() + qsizetype(runs[r].first),
                m_entries.begin() + qsizetype(runs[r].second), m_less);
        }
    };
    if (pool && runs.size() > 1) {
        QFuture<void> helper = QtConcurrent::run(pool, sortRuns, size_t(1));
        sortRuns(0);
        helper.waitForFinished();
    } else {
        sortRuns(0);
        sortRuns(1);
    }
    if (stop || cancelled())
        return std::nullopt;

    // k-way merge of the sorted runs, straight into the id vector (8 bytes per row).
    IdVector ids;
    ids.reserve(n);
    for (size_t i = 0; i < m_sortedPrefix; ++i)
        ids.push_back(m_entries[i].id);
    const Less less = m_less;
    const BigVector<Entry> &e = m_entries;
    auto heapGreater = [&](const std::pair<size_t, size_t> &x, const std::pair<size_t, size_t> &y) {
        return less(e[y.first], e[x.first]);
    };
    std::vector<std::pair<size_t, size_t>> heap = runs; // (cursor, end)
    std::make_heap(heap.begin(), heap.end(), heapGreater);
    size_t sinceCheck = 0;
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), heapGreater);
        auto &run = heap.back();
        ids.push_back(e[run.first].id);
        if (++run.first == run.second)
            heap.pop_back();
        else
            std::push_heap(heap.begin(), heap.end(), heapGreater);
        if (++sinceCheck == kChunk) {
            sinceCheck = 0;
            if (cancelled())
                return std::nullopt;
        }
    }
    BigVector<Entry>().swap(m_entries);
    std::vector<KeyArena>().swap(m_arenas);
    return ids;
}

} // namespace rk
