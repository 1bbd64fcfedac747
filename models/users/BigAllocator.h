#pragma once

#include <QtGlobal>

#include <cstddef>
#include <new>
#include <vector>

#ifdef Q_OS_UNIX
#include <sys/mman.h>
#endif

namespace rk {

// An allocator for the loader's multi-megabyte buffers (id orderings, sort entries, key arenas,
// per-user aggregates). Blocks of 256 KiB and more are mapped straight from the kernel and
// unmapped when freed, so the memory really goes back: glibc's malloc would raise its mmap
// threshold after the first big free and keep later buffers of up to 32 MiB in its heaps, which
// measured as ~70 MB of resident memory left behind after a few sorts of a million rows.
template<typename T> class BigAllocator
{
public:
    using value_type = T;
    static constexpr std::size_t kDirectBytes = 256 * 1024;

    BigAllocator() noexcept = default;
    template<typename U> BigAllocator(const BigAllocator<U> &) noexcept // NOLINT(google-explicit-constructor)
    {
    }

    T *allocate(std::size_t n)
    {
        const std::size_t bytes = n * sizeof(T);
#ifdef Q_OS_UNIX
        if (bytes >= kDirectBytes) {
            void *p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED)
                throw std::bad_alloc();
            return static_cast<T *>(p);
        }
#endif
        return static_cast<T *>(::operator new(bytes));
    }

    void deallocate(T *p, std::size_t n) noexcept
    {
        const std::size_t bytes = n * sizeof(T);
#ifdef Q_OS_UNIX
        if (bytes >= kDirectBytes) {
            ::munmap(p, bytes);
            return;
        }
#endif
        ::operator delete(p);
    }

    template<typename U> friend bool operator==(const BigAllocator &, const BigAllocator<U> &) noexcept
    {
        return true;
    }
};

template<typename T> using BigVector = std::vector<T, BigAllocator<T>>;
// User ids in display order: 8 bytes per row.
using IdVector = BigVector<qint64>;

} // namespace rk
