#include "ChunkedRowsModel.h"

namespace rk {

ChunkedRowsModel::ChunkedRowsModel(QObject *parent) : QAbstractTableModel(parent)
{
    // A zero timer fires once the events queued meanwhile (paints, input) are handled.
    m_timer.setInterval(0);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ChunkedRowsModel::showNextChunk);
}

int ChunkedRowsModel::totalRowsOf(const QAbstractItemModel *model)
{
    if (!model)
        return 0;
    const auto *chunked = qobject_cast<const ChunkedRowsModel *>(model);
    return chunked ? chunked->totalRowCount() : model->rowCount();
}

int ChunkedRowsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_shown;
}

void ChunkedRowsModel::setChunkRows(int rows)
{
    m_chunkRows = qMax(1, rows);
}

void ChunkedRowsModel::clearRows()
{
    m_timer.stop();
    m_shown = 0;
    m_total = 0;
}

void ChunkedRowsModel::showRows(int total)
{
    Q_ASSERT(m_shown == 0);
    m_timer.stop();
    m_total = qMax(0, total);
    announceThrough(qMin(m_total, m_chunkRows) - 1);
}

void ChunkedRowsModel::resizeRows(int total)
{
    total = qMax(0, total);
    const bool wasComplete = areAllRowsShown();
    m_total = total;
    if (total < m_shown) {
        beginRemoveRows(QModelIndex(), total, m_shown - 1);
        m_shown = total;
        endRemoveRows();
    }
    if (m_shown == m_total) {
        m_timer.stop();
        if (!wasComplete)
            finish(); // the rows still to come went away
        return;
    }
    // A few rows more (the host added a session): announce them now. A row set still growing
    // goes on at its own pace.
    if (wasComplete && m_total - m_shown <= m_chunkRows)
        announceThrough(m_total - 1);
    else if (!m_timer.isActive())
        m_timer.start();
}

void ChunkedRowsModel::showAllRows()
{
    if (m_shown < m_total)
        announceThrough(m_total - 1);
}

void ChunkedRowsModel::showNextChunk()
{
    if (m_shown < m_total)
        announceThrough(qMin<qint64>(m_total, qint64(m_shown) + m_chunkRows) - 1);
}

void ChunkedRowsModel::announceThrough(int last)
{
    if (last >= m_shown) {
        beginInsertRows(QModelIndex(), m_shown, last);
        m_shown = last + 1;
        endInsertRows();
    }
    if (m_shown < m_total) {
        m_timer.start();
        return;
    }
    m_timer.stop();
    finish();
}

void ChunkedRowsModel::finish()
{
    allRowsAnnounced();
    Q_EMIT allRowsShown();
}

} // namespace rk
