#include "AccessTableDelegate.h"

#include "OwnerLabel.h"
#include "tables/LazySqlTableModel.h"
#include "useradmin/UsersTableDelegate.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QToolTip>

namespace rk {

namespace {

bool isLoaded(const QModelIndex &index)
{
    return index.data(LazySqlTableModel::LoadedRole).toBool();
}

QColor mixed(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(a.redF() * (1 - t) + b.redF() * t, a.greenF() * (1 - t) + b.greenF() * t,
        a.blueF() * (1 - t) + b.blueF() * t);
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

QString fullTime(const QDateTime &dt)
{
    return dt.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

AccessTableDelegate::AccessTableDelegate(const Layout &layout, qint64 actingUserId, QObject *parent)
    : QStyledItemDelegate(parent), m_layout(layout), m_actingUserId(actingUserId)
{
}

QColor AccessTableDelegate::attentionColor(const QPalette &palette)
{
    // Amber, mixed into the base so that text keeps its contrast: lighter on light palettes,
    // a warm dark on dark ones.
    const QColor amber(0xf0, 0xa0, 0x20);
    return mixed(palette.color(QPalette::Base), amber, isDark(palette) ? 0.28 : 0.22);
}

void AccessTableDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    // Whole rows are selected: no focus frame around the current cell.
    option->state &= ~QStyle::State_HasFocus;
    const QColor muted = option->palette.color(QPalette::PlaceholderText);
    if (!isLoaded(index)) {
        option->palette.setColor(QPalette::Text, muted);
        return;
    }
    if (m_layout.attentionRole >= 0 && index.data(m_layout.attentionRole).toBool())
        option->backgroundBrush = attentionColor(option->palette);
    const bool inactive = m_layout.activeRole >= 0 && !index.data(m_layout.activeRole).toBool();
    if (inactive)
        option->palette.setColor(QPalette::Text, muted);

    const int column = index.column();
    const QVariant value = index.data(Qt::DisplayRole);
    if (column == m_layout.userColumn) {
        const QString username = value.toString();
        const qint64 userId = index.data(m_layout.userIdRole).toLongLong();
        if (owners::isOrphan(username)) {
            option->text = owners::label(userId, username);
            option->font.setItalic(true);
            option->palette.setColor(QPalette::Text, muted);
        } else if (userId == m_actingUserId) {
            option->text = tr("%1 (you)").arg(username);
        }
        option->features.setFlag(QStyleOptionViewItem::HasDisplay, true);
    } else if (m_layout.dateColumns.contains(column)) {
        if (value.metaType().id() == QMetaType::QDateTime) {
            option->text = UsersTableDelegate::formatDateTime(value.toDateTime());
        } else {
            // "never", or a value the model could not parse (shown as stored).
            option->palette.setColor(QPalette::Text, muted);
        }
    }
}

QString AccessTableDelegate::attentionTip(const QModelIndex &index) const
{
    const QDateTime now = QDateTime::currentDateTime();
    const QVariant lastUsed = index.siblingAtColumn(m_layout.lastUsedColumn).data(Qt::DisplayRole);
    const QVariant created = index.siblingAtColumn(m_layout.createdColumn).data(Qt::DisplayRole);
    QString when;
    if (lastUsed.metaType().id() == QMetaType::QDateTime)
        when = tr("Last used %1 (%2).")
                   .arg(UsersTableDelegate::formatDateTime(lastUsed.toDateTime()),
                       UsersTableDelegate::relativeTo(lastUsed.toDateTime(), now));
    else if (created.metaType().id() == QMetaType::QDateTime)
        when = tr("Never used since it was created %1 (%2).")
                   .arg(UsersTableDelegate::formatDateTime(created.toDateTime()),
                       UsersTableDelegate::relativeTo(created.toDateTime(), now));
    return tr("Not used for more than 90 days. %1 Tokens never expire on the host; one nobody uses is "
              "worth revoking.")
        .arg(when);
}

bool AccessTableDelegate::helpEvent(
    QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid() || !isLoaded(index))
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const int column = index.column();
    const QVariant value = index.data(Qt::DisplayRole);
    QStringList tips;
    if (column == m_layout.userColumn) {
        const QString why
            = owners::explanation(index.data(m_layout.userIdRole).toLongLong(), value.toString());
        if (!why.isEmpty())
            tips << why;
    } else if (m_layout.dateColumns.contains(column) && value.metaType().id() == QMetaType::QDateTime) {
        tips << tr("%1 (%2)").arg(fullTime(value.toDateTime()),
            UsersTableDelegate::relativeTo(value.toDateTime(), QDateTime::currentDateTime()));
    }
    if (m_layout.attentionRole >= 0 && index.data(m_layout.attentionRole).toBool())
        tips << attentionTip(index);
    if (tips.isEmpty()) {
        QToolTip::hideText();
        return true;
    }
    QToolTip::showText(event->globalPos(), tips.join(QStringLiteral("\n\n")), view);
    return true;
}

} // namespace rk
