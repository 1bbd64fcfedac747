#include "TaskTableDelegate.h"

#include "tables/LazySqlTableModel.h"
#include "useradmin/UsersTableDelegate.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QToolTip>

namespace rk {

TaskTableDelegate::TaskTableDelegate(int statusColumn, int statusRole, QObject *parent)
    : QStyledItemDelegate(parent), m_statusColumn(statusColumn), m_statusRole(statusRole)
{
}

TaskTableDelegate::StatusClass TaskTableDelegate::classOf(const QString &status)
{
    static const QStringList success {
        QStringLiteral("running"), QStringLiteral("completed"), QStringLiteral("online")};
    static const QStringList warning {QStringLiteral("pending"), QStringLiteral("paused")};
    static const QStringList danger {QStringLiteral("failed"), QStringLiteral("killed"),
        QStringLiteral("killed_oom"), QStringLiteral("lost"), QStringLiteral("offline")};
    if (success.contains(status))
        return StatusClass::Success;
    if (warning.contains(status))
        return StatusClass::Warning;
    if (status == QLatin1String("assigning"))
        return StatusClass::Info;
    if (danger.contains(status))
        return StatusClass::Danger;
    return StatusClass::Muted; // stopped, pending_approval, rejected and anything unknown
}

QColor TaskTableDelegate::colorOf(StatusClass statusClass, const QPalette &palette)
{
    switch (statusClass) {
    case StatusClass::Success: return QColor(0x2e, 0x7d, 0x32);
    case StatusClass::Warning: return QColor(0xb2, 0x6a, 0x00);
    case StatusClass::Info: return QColor(0x15, 0x65, 0xc0);
    case StatusClass::Danger: return QColor(0xc6, 0x28, 0x28);
    case StatusClass::Muted: break;
    }
    return palette.color(QPalette::PlaceholderText);
}

void TaskTableDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    option->state &= ~QStyle::State_HasFocus; // whole rows are selected
    const QColor muted = option->palette.color(QPalette::PlaceholderText);
    if (!index.data(LazySqlTableModel::LoadedRole).toBool()) {
        option->palette.setColor(QPalette::Text, muted);
        return;
    }
    const QVariant value = index.data(Qt::DisplayRole);
    if (value.metaType().id() == QMetaType::QDateTime) {
        option->text = UsersTableDelegate::formatDateTime(value.toDateTime());
    } else if (index.column() == m_statusColumn) {
        option->palette.setColor(
            QPalette::Text, statusColor(index.data(m_statusRole).toString(), option->palette));
    } else if (option->text.isEmpty()) {
        option->text = QStringLiteral("\u2014");
        option->palette.setColor(QPalette::Text, muted);
    }
}

bool TaskTableDelegate::helpEvent(
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
