#pragma once

#include <QStyledItemDelegate>

namespace rk {

// How the VPS tables look (the VPS list and the assignments below it): dates as
// "2026-02-10 14:05" with their age in the tooltip, empty cells as a muted dash, a VPS status in
// the dashboard's colours (running green, pending and paused amber, failed red, stopped muted),
// and, over a lazy model, rows still loading muted.
class VpsTableDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    // `statusColumn`: the column holding a task status (-1: none). `lazy`: the model is a
    // LazySqlTableModel (its LoadedRole says whether a row is a placeholder).
    VpsTableDelegate(int statusColumn, bool lazy, QObject *parent = nullptr);

    static QColor statusColor(const QString &status, const QPalette &palette);

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
        const QModelIndex &index) override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_statusColumn;
    bool m_lazy;
};

} // namespace rk
