#pragma once

#include "BigAllocator.h"

#include <QtGlobal>

#include <functional>
#include <optional>
#include <vector>

class QThreadPool;

namespace rk {

// Orders the (key, id) pairs of one Users query scan: the first screen first (a partial sort,
// O(n)), the complete ordering afterwards in cancellable chunks. The comparison is SQLite's
// `ORDER BY key [DESC], id`: text keys bytewise like the BINARY collation with NULL first,
// integer keys numerically; ties always by ascending id, so equal keys keep their natural order
// in both directions (like a stable sort).
//
// SQLite's own full `ORDER BY` of a million rows takes ~640 ms on the benchmark data and cannot
// hand out the first screen early; this sort runs on compact 24-byte entries in two threads.
class UsersSorter
{
public:
    struct Entry
    {
        quint64 prefix; // integer key (order-preserving) or the first 8 key bytes, big-endian
        qint64 id;
        quint32 offset; // text keys: byte offset in the arena
        quint32 packed; // text keys: arena index (top 8 bits), byte length or kNull (low 24 bits)
    };
    static constexpr quint32 kNull = 0xffffffu;
    static constexpr quint32 kMaxKeyBytes = kNull - 1; // longer keys sort by their first 16 MB
    static constexpr int kMaxArenas = 256;

    static quint64 intPrefix(qint64 key) { return quint64(key) ^ (quint64(1) << 63); }
    static quint64 textPrefix(const char *text, int length);
    // Appends a text key to `arena` and returns its entry.
    using KeyArena = BigVector<char>; // text keys, back to back
    static Entry textEntry(qint64 id, const char *text, int length, int arenaIndex, KeyArena &arena);

    UsersSorter(BigVector<Entry> entries, std::vector<KeyArena> arenas, bool textKeys, bool descending);

    qint64 size() const { return qint64(m_entries.size()); }
    // The ids of the first `k` rows in order. Call once, before sortAll().
    std::vector<qint64> top(int k);
    // Every id in order; nullopt when `cancelled` turned true. Uses one thread of `pool` (if any)
    // beside the calling thread. Frees the entries when done.
    std::optional<IdVector> sortAll(QThreadPool *pool, const std::function<bool()> &cancelled);

private:
    struct Less
    {
        const std::vector<KeyArena> *arenas;
        bool text;
        bool descending;
        bool operator()(const Entry &a, const Entry &b) const;
        int compareKeys(const Entry &a, const Entry &b) const;
    };

    BigVector<Entry> m_entries;
    std::vector<KeyArena> m_arenas;
    Less m_less;
    size_t m_sortedPrefix = 0; // entries [0, m_sortedPrefix) are final after top()
};

} // namespace rk
