#pragma once

#include "tray/BadgePainter.h"

#include <QHash>
#include <QIconEngine>
#include <QPixmap>

namespace rk {

// A QIcon that paints the badge (BadgePainter) for whatever size and device pixel ratio it is
// asked for, instead of scaling one of a fixed set of pixmaps: a tray slot of 22 px at 1.25 or
// 1.5 gets 28 or 33 device pixels painted on their own grid, as crisp as 1x and 2x. Pixmaps are
// cached per size and ratio. GUI thread (fonts).
class BadgeIconEngine : public QIconEngine
{
public:
    BadgeIconEngine(int count, BadgePainter::State state);

    static QIcon icon(int count, BadgePainter::State state);

    int count() const { return m_count; }
    BadgePainter::State state() const { return m_state; }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override;
    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    // `size` in device pixels (what QIcon::pixmap(size, dpr) asks for: logical size × ratio).
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override;
    // `size` in device pixels too (Qt 6.4 passes logical size × scale); painted at `scale`.
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override;
    QList<QSize> availableSizes(QIcon::Mode mode, QIcon::State state) override;
    QString key() const override;
    QIconEngine *clone() const override;
    bool isNull() override { return false; }

private:
    QPixmap cached(int side, qreal scale);

    int m_count;
    BadgePainter::State m_state;
    QHash<QPair<int, int>, QPixmap> m_cache; // (logical side, scale × 100)
};

} // namespace rk
