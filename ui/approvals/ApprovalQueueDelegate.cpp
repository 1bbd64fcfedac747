#include "ApprovalQueueDelegate.h"

#include "tasks/ApprovalQueueModel.h"

namespace rk {

ApprovalQueueDelegate::ApprovalQueueDelegate(std::function<bool(qint64)> inFlight, QObject *parent)
    : PlainItemDelegate(parent), m_inFlight(std::move(inFlight))
{
}

void ApprovalQueueDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    PlainItemDelegate::initStyleOption(option, index);
    if (!index.data(LazySqlTableModel::LoadedRole).toBool())
        return;
    if (index.column() == ApprovalQueueModel::Risk
        && index.data(ApprovalQueueModel::RiskFlagsRole).toInt() != 0) {
        option->font.setBold(true);
        option->palette.setColor(QPalette::Text, alertColor());
    }
    if (m_inFlight && m_inFlight(index.data(LazySqlTableModel::IdRole).toLongLong())) {
        option->font.setItalic(true);
        option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
    }
}

} // namespace rk
