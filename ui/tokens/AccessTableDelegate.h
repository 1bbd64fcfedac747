#pragma once

#include <QList>
#include <QStyledItemDelegate>

namespace rk {

// How the Sessions and API Tokens tables look. The models give plain values (usernames,
// QDateTime, flags in roles); this decides the presentation:
// - the owner column names rows without an existing user ("deleted user #12", "anonymous
//   (user -1)") in muted italics with the reason as tooltip, and marks the acting admin's own
//   rows "(you)";
// - dates as "2026-02-10 14:05", the full time and age in the tooltip;
// - rows flagged by `attentionRole` (tokens unused for 90 days) get an amber tint mixed into the
//   palette's base colour, so it reads in light and dark palettes, with the reason as tooltip;
// - rows whose `activeRole` is false (expired sessions) are muted.
class AccessTableDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    struct Layout
    {
        int userColumn = -1; // the owner's username (empty when none exists)
        int userIdRole = -1; // users.id of the row (any column)
        QList<int> dateColumns; // QDateTime columns
        int attentionRole = -1; // bool: tint the row (-1: none)
        int activeRole = -1; // bool: false mutes the row (-1: none)
        int createdColumn = -1; // for the attention tooltip
        int lastUsedColumn = -1; // for the attention tooltip (QDateTime, or text when never)
    };

    AccessTableDelegate(const Layout &layout, qint64 actingUserId, QObject *parent = nullptr);

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
        const QModelIndex &index) override;

    // The tint of rows that need attention, for `palette` (also used by the page's legend).
    static QColor attentionColor(const QPalette &palette);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    QString attentionTip(const QModelIndex &index) const;

    Layout m_layout;
    qint64 m_actingUserId;
};

} // namespace rk
