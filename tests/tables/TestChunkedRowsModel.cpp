#include "RkTest.h"
#include "tables/ChunkedRowsModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace rk;

namespace {

// The smallest model on ChunkedRowsModel: row r shows r; the protected calls made public.
class Rows : public ChunkedRowsModel
{
public:
    explicit Rows(int chunk) { setChunkRows(chunk); }

    int columnCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : 1;
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        return index.isValid() && role == Qt::DisplayRole ? QVariant(index.row()) : QVariant();
    }

    void reset(int total)
    {
        beginResetModel();
        clearRows();
        endResetModel();
        showRows(total);
    }
    using ChunkedRowsModel::resizeRows;

    int announced = 0; // allRowsAnnounced() calls

protected:
    void allRowsAnnounced() override { ++announced; }
};

} // namespace

class TestChunkedRowsModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsTheFirstChunkAtOnceAndTheRestPerTurn()
    {
        Rows model(100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy allShown(&model, &ChunkedRowsModel::allRowsShown);
        model.reset(250);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.totalRowCount(), 250);
        QVERIFY(!model.areAllRowsShown());
        // One more chunk per event-loop turn.
        QCoreApplication::processEvents();
        QCOMPARE(model.rowCount(), 200);
        QTRY_VERIFY(model.areAllRowsShown());
        QCOMPARE(rk::test::rowRanges(inserted), (QList<QPair<int, int>> {{0, 99}, {100, 199}, {200, 249}}));
        QCOMPARE(allShown.count(), 1);
        QCOMPARE(model.announced, 1);
        QCOMPARE(ChunkedRowsModel::totalRowsOf(&model), 250);

        // A set that fits one chunk (or none at all) is shown whole at once.
        model.reset(40);
        QCOMPARE(model.rowCount(), 40);
        QCOMPARE(allShown.count(), 2);
        model.reset(0);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(allShown.count(), 3);
        QCOMPARE(model.announced, 3);
    }

    void aResetStopsTheRowsOfTheOldSet()
    {
        Rows model(100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset(1000);
        QCoreApplication::processEvents();
        QCOMPARE(model.rowCount(), 200);
        model.reset(150);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QTRY_VERIFY(model.areAllRowsShown());
        QTest::qWait(20);
        QCOMPARE(model.rowCount(), 150);
        QCOMPARE(rk::test::rowRanges(inserted), (QList<QPair<int, int>> {{100, 149}}));
    }

    void showAllRowsAnnouncesTheRestAtOnce()
    {
        Rows model(100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset(1000);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy allShown(&model, &ChunkedRowsModel::allRowsShown);
        model.showAllRows();
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(rk::test::rowRanges(inserted), (QList<QPair<int, int>> {{100, 999}}));
        QCOMPARE(allShown.count(), 1);
        model.showAllRows(); // nothing left
        QTest::qWait(20);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(allShown.count(), 1);
    }

    void resizeGrowsAndShrinksAtTheEnd()
    {
        Rows model(100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.reset(80);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy allShown(&model, &ChunkedRowsModel::allRowsShown);

        // All shown, a few more: announced at once.
        model.resizeRows(85);
        QCOMPARE(model.rowCount(), 85);
        QCOMPARE(rk::test::rowRanges(inserted), (QList<QPair<int, int>> {{80, 84}}));
        QCOMPARE(allShown.count(), 1);
        // Many more: a chunk per turn.
        model.resizeRows(400);
        QCOMPARE(model.rowCount(), 85);
        QVERIFY(!model.areAllRowsShown());
        QCoreApplication::processEvents();
        QCOMPARE(model.rowCount(), 185);
        // Shrunk while growing, below what is shown: the rows past the end go now, and the set
        // is complete.
        model.resizeRows(120);
        QCOMPARE(model.rowCount(), 120);
        QCOMPARE(rk::test::rowRanges(removed), (QList<QPair<int, int>> {{120, 184}}));
        QVERIFY(model.areAllRowsShown());
        QCOMPARE(allShown.count(), 2);
        QTest::qWait(20);
        QCOMPARE(model.rowCount(), 120);
        // Grown while growing: the growth goes on to the new end.
        model.resizeRows(1000);
        model.resizeRows(900);
        QTRY_VERIFY(model.areAllRowsShown());
        QCOMPARE(model.rowCount(), 900);
        QCOMPARE(allShown.count(), 3);
        // Shrunk to nothing.
        model.resizeRows(0);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(allShown.count(), 3); // it was complete already: nothing new to tell
        QCOMPARE(model.announced, 4); // with the reset to 80 rows
    }
};

RK_TEST_GUILESS_MAIN(TestChunkedRowsModel)
#include "TestChunkedRowsModel.moc"
