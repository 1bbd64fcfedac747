#include "UsersTableDelegate.h"

#include "widgets/PlainItemDelegate.h"

#include "core/Role.h"
#include "users/UsersTableModel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

namespace rk {

namespace {

bool isLoaded(const QModelIndex &index)
{
    return index.data(UsersTableModel::LoadedRole).toBool();
}

QColor mixed(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(a.redF() * (1 - t) + b.redF() * t, a.greenF() * (1 - t) + b.greenF() * t,
        a.blueF() * (1 - t) + b.blueF() * t);
}

const QColor kActive(0x2e, 0x7d, 0x32);
const QColor kSuspended(0xc6, 0x28, 0x28);

} // namespace

QString UsersTableDelegate::formatDateTime(const QDateTime &dt)
{
    return PlainItemDelegate::formatDateTime(dt);
}

QString UsersTableDelegate::relativeTo(const QDateTime &dt, const QDateTime &now)
{
    // Compact units, so no plural forms are needed: "3 min ago", "5 h ago", "in 2 d".
    const qint64 secs = dt.secsTo(now);
    const bool future = secs < 0;
    const qint64 s = future ? -secs : secs;
    QString amount;
    if (s < 60)
        return future ? tr("in a moment") : tr("just now");
    if (s < 3600)
        amount = tr("%1 min").arg(s / 60);
    else if (s < 86400)
        amount = tr("%1 h").arg(s / 3600);
    else if (s < 86400 * 60)
        amount = tr("%1 d").arg(s / 86400);
    else if (s < 86400 * 730)
        amount = tr("%1 mo").arg(s / (86400 * 30));
    else
        amount = tr("%1 y").arg(s / (86400 * 365));
    return future ? tr("in %1").arg(amount) : tr("%1 ago").arg(amount);
}

QColor UsersTableDelegate::roleColor(const QString &role)
{
    bool known = false;
    switch (roles::fromString(role, &known)) {
    case Role::Admin: return QColor(0x8e, 0x24, 0xaa);
    case Role::Operator: return QColor(0xc2, 0x5e, 0x00);
    case Role::User: return QColor(0x1f, 0x62, 0xa8);
    case Role::Viewer: return QColor(0x45, 0x7b, 0x74);
    case Role::Anony: return QColor(0x6b, 0x72, 0x80);
    }
    return QColor(0x6b, 0x72, 0x80);
}

QString UsersTableDelegate::roleLabel(const QString &role)
{
    bool known = false;
    const Role r = roles::fromString(role, &known);
    return known ? roles::displayName(r) : role;
}

void UsersTableDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    // Whole rows are selected: no focus frame around the current cell.
    option->state &= ~QStyle::State_HasFocus;
    const QColor muted = option->palette.color(QPalette::PlaceholderText);
    if (!isLoaded(index)) {
        option->palette.setColor(QPalette::Text, muted);
        return;
    }
    const QVariant value = index.data(Qt::DisplayRole);
    switch (index.column()) {
    case UsersTableModel::Created:
    case UsersTableModel::LastSignIn:
        if (value.metaType().id() == QMetaType::QDateTime) {
            option->text = formatDateTime(value.toDateTime());
            option->features.setFlag(QStyleOptionViewItem::HasDisplay, true);
        } else {
            // "never", or a value the model could not parse (shown as stored).
            option->palette.setColor(QPalette::Text, muted);
        }
        break;
    case UsersTableModel::ActiveSessions:
        option->displayAlignment = Qt::AlignRight | Qt::AlignVCenter;
        if (value.toInt() == 0)
            option->palette.setColor(QPalette::Text, muted);
        break;
    case UsersTableModel::DisplayName:
    case UsersTableModel::Groups:
        if (option->text.isEmpty()) {
            option->text = QStringLiteral("\u2014");
            option->palette.setColor(QPalette::Text, muted);
        }
        break;
    default: break;
    }
}

void UsersTableDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int column = index.column();
    if (!isLoaded(index) || (column != UsersTableModel::Role && column != UsersTableModel::Status)) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    // The background and selection as the style draws them, then our content.
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    if (column == UsersTableModel::Role)
        paintChip(painter, opt, roleLabel(index.data(Qt::DisplayRole).toString()),
            roleColor(index.data(Qt::DisplayRole).toString()));
    else
        paintStatus(painter, opt, text, index.data(UsersTableModel::ActiveRole).toBool());
}

void UsersTableDelegate::paintChip(
    QPainter *painter, const QStyleOptionViewItem &option, const QString &text, const QColor &color) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QFont font = option.font;
    font.setPointSizeF(font.pointSizeF() * 0.92);
    font.setWeight(QFont::DemiBold);
    painter->setFont(font);
    const QFontMetricsF fm = QFontMetricsF(painter->font(), painter->device());
    const qreal padX = 8;
    const qreal h = fm.height() + 4;
    const QRectF cell = QRectF(option.rect).adjusted(6, 0, -4, 0);
    const qreal w = qMin(std::ceil(fm.horizontalAdvance(text)) + 2 * padX + 2, cell.width());
    const QRectF chip(cell.left(), cell.center().y() - h / 2.0, w, h);
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    const QColor base = option.palette.color(QPalette::Base);
    painter->setPen(Qt::NoPen);
    painter->setBrush(selected ? QColor(255, 255, 255, 225) : mixed(base, color, 0.13));
    painter->drawRoundedRect(chip, h / 2.0, h / 2.0);
    painter->setPen(color.darker(115));
    const QRectF textRect = chip.adjusted(padX, 0, -padX + 2, 0);
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
        fm.elidedText(text, Qt::ElideRight, textRect.width() + 1));
    painter->restore();
}

void UsersTableDelegate::paintStatus(
    QPainter *painter, const QStyleOptionViewItem &option, const QString &text, bool active) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor color = active ? kActive : kSuspended;
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    const int dot = 8;
    const QRect cell = option.rect.adjusted(8, 0, -4, 0);
    const QRectF dotRect(cell.left(), cell.center().y() - dot / 2.0 + 0.5, dot, dot);
    painter->setPen(selected ? QPen(Qt::white, 1.5) : Qt::NoPen);
    painter->setBrush(color);
    painter->drawEllipse(dotRect);
    QFont font = option.font;
    if (!active)
        font.setWeight(QFont::DemiBold);
    painter->setFont(font);
    painter->setPen(
        selected ? option.palette.color(QPalette::HighlightedText) : (active ? color.darker(110) : color));
    const QRect textRect = cell.adjusted(dot + 7, 0, 0, 0);
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
        QFontMetrics(font).elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

QSize UsersTableDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (index.column() == UsersTableModel::Role)
        size.rwidth() += 20;
    if (index.column() == UsersTableModel::Status)
        size.rwidth() += 16;
    return size;
}

bool UsersTableDelegate::helpEvent(
    QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() != QEvent::ToolTip || !index.isValid() || !isLoaded(index))
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const QVariant value = index.data(Qt::DisplayRole);
    QString tip;
    const QDateTime now = QDateTime::currentDateTime();
    switch (index.column()) {
    case UsersTableModel::Created:
        if (value.metaType().id() == QMetaType::QDateTime)
            tip = tr("Created %1 (%2)")
                      .arg(value.toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                          relativeTo(value.toDateTime(), now));
        break;
    case UsersTableModel::LastSignIn:
        if (value.metaType().id() == QMetaType::QDateTime)
            tip = tr("Newest session started %1 (%2). The host records no sign-in time; this is the start of "
                     "the newest session.")
                      .arg(value.toDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                          relativeTo(value.toDateTime(), now));
        else
            tip = tr(
                "No session on record. The host records no sign-in time; this column comes from sessions.");
        break;
    case UsersTableModel::ActiveSessions: tip = tr("Sessions not yet expired: %1").arg(value.toInt()); break;
    case UsersTableModel::Role: {
        const QString role = value.toString();
        tip = roles::isKnown(role)
            ? tr("Role \u201c%1\u201d").arg(role)
            : tr("Unknown role \u201c%1\u201d: it has no permissions on the host.").arg(role);
        break;
    }
    case UsersTableModel::Status:
        tip = index.data(UsersTableModel::ActiveRole).toBool()
            ? tr("Active: can sign in")
            : tr("Suspended: cannot sign in, and the host treats their sessions and API tokens as anonymous "
                 "until the account is activated again");
        break;
    default: {
        // Elided text: show it whole.
        const QString text = value.toString();
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        if (opt.fontMetrics.horizontalAdvance(text) > opt.rect.width() - 8)
            tip = text;
        break;
    }
    }
    if (tip.isEmpty()) {
        QToolTip::hideText();
        return true;
    }
    QToolTip::showText(event->globalPos(), tip, view);
    return true;
}

} // namespace rk
