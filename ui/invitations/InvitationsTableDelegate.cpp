#include "InvitationsTableDelegate.h"

#include "store/StoreTypes.h"
#include "tables/InvitationsTableModel.h"
#include "useradmin/UsersTableDelegate.h"

#include <QAbstractItemView>
#include <QHelpEvent>
#include <QToolTip>

namespace rk {

namespace {
const QColor kValid(0x2e, 0x7d, 0x32);
const QColor kUsedUp(0xb2, 0x6a, 0x00);
} // namespace

void InvitationsTableDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    // Whole rows are selected: no focus frame around the current cell.
    option->state &= ~QStyle::State_HasFocus;
    const QColor muted = option->palette.color(QPalette::PlaceholderText);
    if (!index.data(LazySqlTableModel::LoadedRole).toBool()) {
        option->palette.setColor(QPalette::Text, muted);
        return;
    }
    const QVariant value = index.data(Qt::DisplayRole);
    switch (index.column()) {
    case InvitationsTableModel::Expires:
    case InvitationsTableModel::Created:
        if (value.metaType().id() == QMetaType::QDateTime)
            option->text = UsersTableDelegate::formatDateTime(value.toDateTime());
        else
            option->palette.setColor(QPalette::Text, muted); // malformed: shown as stored
        break;
    case InvitationsTableModel::Role: option->text = UsersTableDelegate::roleLabel(value.toString()); break;
    case InvitationsTableModel::Status:
        switch (InvitationRecord::State(index.data(InvitationsTableModel::StateRole).toInt())) {
        case InvitationRecord::State::Valid: option->palette.setColor(QPalette::Text, kValid); break;
        case InvitationRecord::State::UsedUp: option->palette.setColor(QPalette::Text, kUsedUp); break;
        case InvitationRecord::State::Expired: option->palette.setColor(QPalette::Text, muted); break;
        }
        break;
    case InvitationsTableModel::Token: option->font.setFamilies({QStringLiteral("monospace")}); break;
    case InvitationsTableModel::Group:
    case InvitationsTableModel::CreatedBy:
        if (option->text.isEmpty()) {
            option->text = QStringLiteral("\u2014");
            option->palette.setColor(QPalette::Text, muted);
        }
        break;
    default: break;
    }
}

bool InvitationsTableDelegate::helpEvent(
    QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid()
        || !index.data(LazySqlTableModel::LoadedRole).toBool())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const QVariant value = index.data(Qt::DisplayRole);
    const QDateTime now = QDateTime::currentDateTime();
    QString tip;
    switch (index.column()) {
    case InvitationsTableModel::Token:
        tip = index.data(InvitationsTableModel::FullTokenRole).toString();
        break;
    case InvitationsTableModel::Expires:
        if (value.metaType().id() == QMetaType::QDateTime)
            tip = tr("Expires %1 (%2)")
                      .arg(value.toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                          UsersTableDelegate::relativeTo(value.toDateTime(), now));
        else
            tip = tr("Not a time the host can read (%1): the host treats this invitation as invalid.")
                      .arg(index.data(LazySqlTableModel::RawValueRole).toString());
        break;
    case InvitationsTableModel::Created:
        if (value.metaType().id() == QMetaType::QDateTime)
            tip = tr("Created %1 (%2)")
                      .arg(value.toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                          UsersTableDelegate::relativeTo(value.toDateTime(), now));
        break;
    case InvitationsTableModel::Status:
        switch (InvitationRecord::State(index.data(InvitationsTableModel::StateRole).toInt())) {
        case InvitationRecord::State::Valid: tip = tr("Can still be used to register"); break;
        case InvitationRecord::State::UsedUp: tip = tr("Every allowed use has been taken"); break;
        case InvitationRecord::State::Expired: tip = tr("Past its expiry: the host refuses it"); break;
        }
        break;
    case InvitationsTableModel::CreatedBy:
        if (value.toString().isEmpty())
            tip = tr("Created with the host's admin secret, or by an account deleted since");
        break;
    default: break;
    }
    if (tip.isEmpty())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    QToolTip::showText(event->globalPos(), tip, view);
    return true;
}

} // namespace rk
