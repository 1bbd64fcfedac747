#pragma once

#include <QStyledItemDelegate>

namespace rk {

// The standard delegate without the focus frame around the current cell: for read-only tables
// that show rows rather than cells (previews, lists of results), where a dotted box around one
// cell looks like a selection that means nothing.
class PlainItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace rk
