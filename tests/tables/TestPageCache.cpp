#include "RkTest.h"
#include "tables/PageCache.h"

#include <memory>

using namespace rk;

namespace {
struct Page
{
    int index = 0;
    int firstRow = 0;
    std::vector<int> rows;
};
using PagePtr = std::shared_ptr<const Page>;

PagePtr page(int index, int size = 10)
{
    auto p = std::make_shared<Page>();
    p->index = index;
    p->firstRow = index * size;
    for (int r = 0; r < size; ++r)
        p->rows.push_back(p->firstRow + r);
    return p;
}
} // namespace

class TestPageCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dropsTheLeastRecentlyUsed()
    {
        PageCache<PagePtr> cache(3);
        cache.insert(page(0));
        cache.insert(page(1));
        cache.insert(page(2));
        QVERIFY(cache.use(0)); // 1 is now the least recently used
        QVERIFY(!cache.use(7));
        cache.insert(page(3));
        QCOMPARE(cache.entries().size(), 3);
        QVERIFY(cache.find(0) && cache.find(2) && cache.find(3));
        QVERIFY(!cache.find(1));
        // find() does not count as a use: 2 goes next, not 0 (used before it but found after).
        QVERIFY(cache.find(2));
        QVERIFY(cache.use(0));
        cache.insert(page(4));
        QVERIFY(!cache.find(2));
        // A page's rows by table row.
        const auto *e = cache.find(4);
        QCOMPARE(*e->rowAt(45), 45);
        QVERIFY(!e->rowAt(50));
        QVERIFY(!e->rowAt(39));
    }

    void marksStaleAndPicksTheRecentOnesToRefetch()
    {
        PageCache<PagePtr> cache(8);
        for (int i = 0; i < 6; ++i)
            cache.insert(page(i));
        cache.use(2);
        cache.use(4);
        const std::vector<int> refetch = cache.markStale(3, {4});
        QCOMPARE(refetch, (std::vector<int> {2, 5, 3})); // most recent first, 4 left out
        for (const auto &e : cache.entries())
            QVERIFY(e.stale);
        cache.insert(page(2));
        QVERIFY(!cache.find(2)->stale);
        QCOMPARE(cache.takeAll().size(), size_t(6));
        QVERIFY(cache.entries().isEmpty());
    }

    void asksOnceUntilAnswered()
    {
        PageCache<PagePtr> cache(4);
        QVERIFY(cache.request(5));
        QVERIFY(!cache.request(5));
        cache.answered(5);
        QVERIFY(cache.request(5));
        cache.forgetRequests();
        QVERIFY(cache.request(5));
    }
};

RK_TEST_GUILESS_MAIN(TestPageCache)
#include "TestPageCache.moc"
