#pragma once

#include <QAbstractTableModel>
#include <QTimer>

namespace rk {

// A table model whose views learn a large row count a chunk at a time.
//
// QHeaderView keeps an item per row, and a view builds them on the GUI thread for every row the
// model announces at once: for a million rows that is about 8 MB written in one go, 15 ms on an
// idle machine and 40–90 ms while the model's own worker threads run (each first write to a
// fresh page costs a page fault, and with sibling threads on other cores a TLB shootdown). So a
// new row set is announced in chunks, one per event-loop turn: the first chunk at once (what
// the view shows first), the rest as further beginInsertRows() at the end.
//
// rowCount() is what the views see; totalRowCount() is the row set's size. Summaries report the
// total; a row beyond rowCount() is not shown yet (showAllRows() shows every row at once, for
// Select All). All methods are for the model's thread.
class ChunkedRowsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int kDefaultChunkRows = 100000;

    // totalRowCount() of a ChunkedRowsModel, rowCount() of any other model.
    static int totalRowsOf(const QAbstractItemModel *model);

    int rowCount(const QModelIndex &parent = QModelIndex()) const final;
    // The size of the current row set (rowCount() once every row is shown).
    int totalRowCount() const { return m_total; }
    bool areAllRowsShown() const { return m_shown == m_total; }
    // Announces the rows not shown yet at once (one longer GUI-thread step).
    void showAllRows();

Q_SIGNALS:
    // Every row of the current row set is shown (after the last chunk of a growing one).
    void allRowsShown();

protected:
    explicit ChunkedRowsModel(QObject *parent = nullptr);

    // Rows announced per event-loop turn; at least 1 (tests use small chunks).
    void setChunkRows(int rows);
    // Between beginResetModel() and endResetModel(): the new row set is empty for now.
    void clearRows();
    // After endResetModel() (rowCount() 0): `total` rows, the first chunk announced now.
    void showRows(int total);
    // The same row set with a new size (an in-place refresh): rows past the new end go now, new
    // rows are announced at the end (at once when every row was shown and they fit one chunk).
    void resizeRows(int total);
    // Every row of the row set is announced now: after its last chunk, after showRows() of a set
    // that fits one chunk, or after resizeRows() took away the rows still to come. Before
    // allRowsShown().
    virtual void allRowsAnnounced() { }

private:
    void showNextChunk();
    void announceThrough(int last);
    void finish();

    int m_chunkRows = kDefaultChunkRows;
    int m_shown = 0;
    int m_total = 0;
    QTimer m_timer;
};

} // namespace rk
