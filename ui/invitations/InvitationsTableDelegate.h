#pragma once

#include <QStyledItemDelegate>

namespace rk {

// How the Invitations table looks: the model gives plain values (role text, state, QDateTime);
// this shows roles by their names, the status in a colour (valid green, used up amber, expired
// muted), dates as "2026-02-10 14:05" with the time left or since in the tooltip, the full token
// in the token's tooltip, empty cells as a muted dash and rows still loading muted.
class InvitationsTableDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
        const QModelIndex &index) override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace rk
