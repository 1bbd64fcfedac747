#pragma once

#include <QDateTime>
#include <QStyledItemDelegate>

namespace rk {

// The standard delegate without the focus frame around the current cell: for read-only tables
// that show rows rather than cells (previews, lists of results), where a dotted box around one
// cell looks like a selection that means nothing. Date-times read as in every other table
// (formatDateTime), not in the locale's long format.
class PlainItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // "2026-11-22 14:05": how every table shows a date-time; empty when invalid.
    static QString formatDateTime(const QDateTime &dt);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace rk
