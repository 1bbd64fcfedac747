#include "BadgePainter.h"

#include "IconFactory.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace rk {

namespace {

// The badge's layout in device pixels: a pill (a circle for one digit), the digits' font and,
// above kMaxCount, a "+" drawn as a shape beside "99" (a "+" glyph in the same tiny font would
// cost the digits their size on a 16 or 22 pixel icon).
struct BadgeLayout
{
    QRect rect;
    QFont font;
    QString digits;
    int plusSize = 0; // 0: no "+"
    int plusStroke = 0;
    int gap = 0;
};

QFont badgeFont(int pixelSize)
{
    QFont font;
    font.setPixelSize(qMax(1, pixelSize));
    font.setBold(true);
    font.setStyleStrategy(QFont::PreferAntialias);
    font.setHintingPreference(QFont::PreferFullHinting);
    return font;
}

int devicePixels(int size, qreal dpr)
{
    return qMax(1, qRound(size * dpr));
}

BadgeLayout layoutFor(int deviceSize, int count)
{
    BadgeLayout layout;
    if (count <= 0)
        return layout;
    const int s = deviceSize;
    const bool plus = count > BadgePainter::kMaxCount;
    layout.digits = QString::number(plus ? BadgePainter::kMaxCount : count);
    // Relatively larger on small icons, where legibility is the whole point.
    const qreal share = s <= 16 ? 0.6875 : (s <= 24 ? 0.625 : (s <= 48 ? 0.5 : 0.46));
    const int height = qMin(s, qMax(9, qRound(s * share)));
    const bool single = layout.digits.size() == 1 && !plus;
    int width = height;
    for (int fontPx = qMax(6, qRound(height * 0.8));; --fontPx) {
        layout.font = badgeFont(fontPx);
        const qreal digitsWidth = QFontMetricsF(layout.font).tightBoundingRect(layout.digits).width();
        if (plus) {
            layout.plusStroke = qMax(1, qRound(fontPx * 0.15));
            layout.plusSize = qMax(3, qRound(fontPx * (s < 20 ? 0.4 : 0.5)));
            if ((layout.plusSize - layout.plusStroke) % 2 != 0)
                ++layout.plusSize; // the bars cross on a whole pixel
            layout.gap = qMax(1, qRound(fontPx * 0.08));
        }
        const qreal padding = single ? height * 0.22 : (s < 20 ? 1.0 : qMax<qreal>(1.0, height * 0.16));
        width = qMax(height, int(std::ceil(digitsWidth + layout.gap + layout.plusSize + 2 * padding)));
        if (width <= s || fontPx <= 5)
            break;
    }
    width = qMin(width, s);
    layout.rect = QRect(s - width, 0, width, height);
    return layout;
}

// A lighter grey version of the icon, alpha kept (premultiplied, so grey scales with alpha).
void greyOut(QImage &image)
{
    for (int y = 0; y < image.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            const QRgb p = line[x];
            const int a = qAlpha(p);
            if (a == 0)
                continue;
            // Luma, lifted toward a mid grey so the dark blue does not turn black.
            const int grey = qMin(a, (qGray(p) * 3 + a * 2) / 5 * 9 / 10);
            const int fadedAlpha = a * 4 / 5;
            const int g = grey * 4 / 5;
            line[x] = qRgba(g, g, g, fadedAlpha);
        }
    }
}

// Clears a ring around `shape` so the badge stands apart from the icon beneath.
void cutOut(QPainter &p, const QPainterPath &shape, qreal ring)
{
    p.save();
    p.setCompositionMode(QPainter::CompositionMode_Clear);
    p.setPen(QPen(Qt::black, 2 * ring));
    p.setBrush(Qt::black);
    p.drawPath(shape);
    p.restore();
}

QPainterPath pill(const QRectF &rect)
{
    QPainterPath path;
    const qreal r = rect.height() / 2;
    path.addRoundedRect(rect, r, r);
    return path;
}

void paintCount(QPainter &p, const BadgeLayout &layout, const QColor &fill, qreal ring)
{
    const QRectF rect(layout.rect);
    const QPainterPath shape = pill(rect);
    cutOut(p, shape, ring);
    p.setPen(Qt::NoPen);
    p.setBrush(fill);
    p.drawPath(shape);

    // Centre the ink of the text (not its line box) and put the baseline on a whole pixel.
    const QRectF ink = QFontMetricsF(layout.font).tightBoundingRect(layout.digits);
    const qreal inkWidth = ink.width() + layout.gap + layout.plusSize;
    const qreal left = std::round(rect.center().x() - inkWidth / 2);
    const qreal baseline = std::round(rect.center().y() + ink.height() / 2 - ink.bottom());
    p.setFont(layout.font);
    p.setPen(BadgePainter::textColor());
    p.drawText(QPointF(left - ink.left(), baseline), layout.digits);
    if (layout.plusSize > 0) {
        // Whole-pixel bars, centred on the digits' height.
        const int size = layout.plusSize;
        const int stroke = layout.plusStroke;
        const int x = int(std::round(left + ink.width())) + layout.gap;
        const int middle = int(std::round(baseline + ink.top() + ink.height() / 2));
        const int top = middle - size / 2;
        const int offset = (size - stroke) / 2;
        p.setPen(Qt::NoPen);
        p.setBrush(BadgePainter::textColor());
        p.drawRect(QRect(x, top + offset, size, stroke));
        p.drawRect(QRect(x + offset, top, stroke, size));
    }
}

void paintOfflineMark(QPainter &p, const QRect &rect, qreal ring)
{
    const QRectF r(rect);
    QPainterPath circle;
    circle.addEllipse(r);
    cutOut(p, circle, ring);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x4a, 0x4a, 0x4a));
    p.drawPath(circle);
    // A slash through it: "no connection".
    const qreal inset = r.width() * 0.27;
    p.setPen(QPen(Qt::white, qMax<qreal>(1.0, r.width() / 6.0), Qt::SolidLine, Qt::RoundCap));
    p.drawLine(QPointF(r.left() + inset, r.top() + inset), QPointF(r.right() - inset, r.bottom() - inset));
}

} // namespace

QString BadgePainter::badgeText(int count)
{
    if (count <= 0)
        return {};
    if (count > kMaxCount)
        return tr("%1+").arg(kMaxCount);
    return QString::number(count);
}

QList<int> BadgePainter::iconSizes()
{
    return {16, 22, 24, 32, 48, 64};
}

QColor BadgePainter::badgeColor(State state)
{
    // Offline greys are neutral (r = g = b), like the greyed icon beneath them.
    return state == State::Online ? QColor(0xd9, 0x30, 0x25) : QColor(0x70, 0x70, 0x70);
}

QColor BadgePainter::textColor()
{
    return QColor(Qt::white);
}

QRect BadgePainter::badgeRect(int size, qreal dpr, int count)
{
    return layoutFor(devicePixels(size, dpr), count).rect;
}

QRect BadgePainter::offlineMarkRect(int size, qreal dpr)
{
    const int s = devicePixels(size, dpr);
    const int d = qMin(s, qMax(7, qRound(s * (s <= 24 ? 0.5 : 0.42))));
    return QRect(s - d, s - d, d, d);
}

QImage BadgePainter::badgeImage(int size, qreal dpr, int count, State state)
{
    const int s = devicePixels(size, dpr);
    QImage image = icons::appPixmap(size, dpr).toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
    if (image.width() != s || image.height() != s)
        image = image.scaled(s, s, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    // Paint in device pixels; the ratio is set again at the end.
    image.setDevicePixelRatio(1.0);
    if (state == State::Offline)
        greyOut(image);

    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    const qreal ring = qMax<qreal>(1.0, std::round(s / 24.0));
    if (state == State::Offline)
        paintOfflineMark(p, offlineMarkRect(size, dpr), ring);
    if (count > 0)
        paintCount(p, layoutFor(s, count), badgeColor(state), ring);
    p.end();
    image.setDevicePixelRatio(dpr);
    return image;
}

QPixmap BadgePainter::badgePixmap(int size, qreal dpr, int count, State state)
{
    return QPixmap::fromImage(badgeImage(size, dpr, count, state));
}

QIcon BadgePainter::badgeIcon(int count, State state)
{
    QIcon icon;
    for (int size : iconSizes()) {
        for (qreal dpr : {1.0, 2.0})
            icon.addPixmap(badgePixmap(size, dpr, count, state));
    }
    return icon;
}

} // namespace rk
