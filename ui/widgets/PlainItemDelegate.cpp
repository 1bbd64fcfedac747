#include "PlainItemDelegate.h"

namespace rk {

void PlainItemDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    option->state &= ~QStyle::State_HasFocus;
    const QVariant value = index.data(Qt::DisplayRole);
    if (value.userType() == QMetaType::QDateTime)
        option->text = formatDateTime(value.toDateTime());
}

QString PlainItemDelegate::formatDateTime(const QDateTime &dt)
{
    return dt.isValid() ? dt.toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

} // namespace rk
