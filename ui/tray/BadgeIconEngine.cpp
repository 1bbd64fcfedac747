#include "BadgeIconEngine.h"

#include <QPaintDevice>
#include <QPainter>

namespace rk {

namespace {
// A tray asks for a handful of sizes; this bounds the cache of an icon kept for long.
constexpr qsizetype kMaxCached = 32;
} // namespace

BadgeIconEngine::BadgeIconEngine(int count, BadgePainter::State state) : m_count(count), m_state(state)
{
}

QIcon BadgeIconEngine::icon(int count, BadgePainter::State state)
{
    return QIcon(new BadgeIconEngine(count, state));
}

QPixmap BadgeIconEngine::cached(int side, qreal scale)
{
    if (side <= 0 || scale <= 0)
        return {};
    const QPair<int, int> key(side, qRound(scale * 100));
    if (auto it = m_cache.constFind(key); it != m_cache.constEnd())
        return it.value();
    if (m_cache.size() >= kMaxCached)
        m_cache.clear();
    const QPixmap pixmap = BadgePainter::badgePixmap(side, scale, m_count, m_state);
    m_cache.insert(key, pixmap);
    return pixmap;
}

void BadgeIconEngine::paint(QPainter *painter, const QRect &rect, QIcon::Mode, QIcon::State)
{
    const int side = qMin(rect.width(), rect.height());
    const qreal scale = painter->device() ? painter->device()->devicePixelRatio() : 1.0;
    const QPixmap pixmap = cached(side, scale);
    if (pixmap.isNull())
        return;
    const QRect target(
        rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side);
    painter->drawPixmap(target, pixmap);
}

QSize BadgeIconEngine::actualSize(const QSize &size, QIcon::Mode, QIcon::State)
{
    const int side = qMin(size.width(), size.height());
    return QSize(side, side);
}

QPixmap BadgeIconEngine::pixmap(const QSize &size, QIcon::Mode, QIcon::State)
{
    QPixmap pixmap = cached(qMin(size.width(), size.height()), 1.0);
    return pixmap;
}

QPixmap BadgeIconEngine::scaledPixmap(const QSize &size, QIcon::Mode, QIcon::State, qreal scale)
{
    // Qt 6.4's QIcon::pixmap(size, ratio) passes the size in device pixels (size × ratio), despite
    // the documentation: paint the logical size at the ratio, which lands on those device pixels.
    if (scale <= 0)
        return {};
    const int device = qMin(size.width(), size.height());
    return cached(qMax(1, qRound(device / scale)), scale);
}

QList<QSize> BadgeIconEngine::availableSizes(QIcon::Mode, QIcon::State)
{
    QList<QSize> sizes;
    for (int side : BadgePainter::iconSizes())
        sizes.append(QSize(side, side));
    return sizes;
}

QString BadgeIconEngine::key() const
{
    return QStringLiteral("rk.BadgeIconEngine");
}

QIconEngine *BadgeIconEngine::clone() const
{
    return new BadgeIconEngine(m_count, m_state);
}

} // namespace rk
