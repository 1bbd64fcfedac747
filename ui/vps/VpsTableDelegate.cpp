#include "VpsTableDelegate.h"

#include "tables/LazySqlTableModel.h"
#include "useradmin/UsersTableDelegate.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QToolTip>

namespace rk {

VpsTableDelegate::VpsTableDelegate(int statusColumn, bool lazy, QObject *parent)
    : QStyledItemDelegate(parent), m_statusColumn(statusColumn), m_lazy(lazy)
{
}

QColor VpsTableDelegate::statusColor(const QString &status, const QPalette &palette)
{
    if (status == QLatin1String("running") || status == QLatin1String("completed"))
        return QColor(0x2e, 0x7d, 0x32);
    if (status == QLatin1String("pending") || status == QLatin1String("paused")
        || status == QLatin1String("pending_approval") || status == QLatin1String("assigning"))
        return QColor(0xb2, 0x6a, 0x00);
    if (status == QLatin1String("failed") || status == QLatin1String("killed")
        || status == QLatin1String("killed_oom") || status == QLatin1String("lost")
        || status == QLatin1String("rejected"))
        return QColor(0xc6, 0x28, 0x28);
    return palette.color(QPalette::PlaceholderText); // stopped, and anything unknown
}

void VpsTableDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    option->state &= ~QStyle::State_HasFocus; // whole rows are selected
    const QColor muted = option->palette.color(QPalette::PlaceholderText);
    if (m_lazy && !index.data(LazySqlTableModel::LoadedRole).toBool()) {
        option->palette.setColor(QPalette::Text, muted);
        return;
    }
    const QVariant value = index.data(Qt::DisplayRole);
    if (value.metaType().id() == QMetaType::QDateTime) {
        option->text = UsersTableDelegate::formatDateTime(value.toDateTime());
    } else if (index.column() == m_statusColumn) {
        option->palette.setColor(QPalette::Text, statusColor(value.toString(), option->palette));
    } else if (option->text.isEmpty()) {
        option->text = QStringLiteral("\u2014");
        option->palette.setColor(QPalette::Text, muted);
    }
}

bool VpsTableDelegate::helpEvent(
    QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::ToolTip && index.isValid()) {
        const QVariant value = index.data(Qt::DisplayRole);
        if (value.metaType().id() == QMetaType::QDateTime) {
            QToolTip::showText(event->globalPos(),
                tr("%1 (%2)").arg(value.toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                    UsersTableDelegate::relativeTo(value.toDateTime(), QDateTime::currentDateTime())),
                view);
            return true;
        }
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

} // namespace rk
