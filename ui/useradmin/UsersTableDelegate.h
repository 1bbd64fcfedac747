#pragma once

#include <QStyledItemDelegate>

namespace rk {

// How the Users table looks: the model gives plain values (role text, QDateTime, bool active),
// this decides the presentation: a coloured role chip, a status dot with its word, dates as
// "2026-02-10 14:05" with the full time and age in the tooltip, counts right-aligned, empty
// cells as a muted dash, placeholder rows muted.
class UsersTableDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(
        QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
        const QModelIndex &index) override;

    // "2026-02-10 14:05", the same in every locale: admins compare these with the host's logs.
    static QString formatDateTime(const QDateTime &dt);
    // "3 hours ago", "in 2 days".
    static QString relativeTo(const QDateTime &dt, const QDateTime &now);
    static QColor roleColor(const QString &role);
    static QString roleLabel(const QString &role);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    void paintChip(QPainter *painter, const QStyleOptionViewItem &option, const QString &text,
        const QColor &color) const;
    void paintStatus(
        QPainter *painter, const QStyleOptionViewItem &option, const QString &text, bool active) const;
};

} // namespace rk
