#include "IconFactory.h"

#include <QHash>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

namespace rk::icons {

namespace {

// One wave of the logo in the SVG's 128-unit space, `dy` below the first.
QPainterPath wave(qreal dy)
{
    QPainterPath path(QPointF(20, 58 + dy));
    path.cubicTo(QPointF(40, 44 + dy), QPointF(56, 72 + dy), QPointF(76, 58 + dy));
    // "S" reflects the previous control point (56,72) about (76,58).
    path.cubicTo(QPointF(96, 44 + dy), QPointF(104, 46 + dy), QPointF(108, 52 + dy));
    return path;
}

QPainterPath shield()
{
    QPainterPath path(QPointF(64, 20));
    path.lineTo(90, 30);
    path.lineTo(90, 50);
    path.cubicTo(QPointF(90, 62), QPointF(78, 70), QPointF(64, 74));
    path.cubicTo(QPointF(50, 70), QPointF(38, 62), QPointF(38, 50));
    path.lineTo(38, 30);
    path.closeSubpath();
    return path;
}

// A monochrome glyph drawn on a `grid`-unit square at each of `sizes` (by default, every size
// the navigation asks for).
template<class Draw>
QIcon glyphIcon(
    const QColor &color, Draw draw, qreal grid = 24, std::initializer_list<int> sizes = {16, 20, 24, 32, 48})
{
    QIcon icon;
    for (int size : sizes) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / grid, size / grid);
        draw(p, color);
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

// A filter field's glyph, on a 16-unit grid: every table page's field has one, so each is
// painted once per colour (in `cache`), not once per page.
template<class Draw> QIcon fieldIcon(QHash<QRgb, QIcon> &cache, const QColor &color, Draw draw)
{
    auto found = cache.constFind(color.rgba());
    if (found == cache.cend())
        found = cache.insert(color.rgba(), glyphIcon(color, draw, 16, {16, 20, 24, 32}));
    return *found;
}

} // namespace

QPixmap appPixmap(int size, qreal devicePixelRatio)
{
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 128.0, size / 128.0);

    QLinearGradient background(0, 8, 0, 120);
    background.setColorAt(0, QColor(0x2b, 0x6c, 0xb0));
    background.setColorAt(1, QColor(0x1a, 0x4a, 0x7a));
    p.setPen(Qt::NoPen);
    p.setBrush(background);
    p.drawRoundedRect(QRectF(8, 8, 112, 112), 24, 24);

    QPen line(QColor(0x9f, 0xd3, 0xff), 8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setBrush(Qt::NoBrush);
    p.setPen(line);
    p.drawPath(wave(0));
    line.setColor(Qt::white);
    p.setPen(line);
    p.drawPath(wave(22));

    QColor fill(Qt::white);
    fill.setAlphaF(0.18);
    p.setBrush(fill);
    p.setPen(QPen(Qt::white, 4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.drawPath(shield());
    return pixmap;
}

QIcon appIcon()
{
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256})
        icon.addPixmap(appPixmap(size));
    return icon;
}

QIcon usersIcon(const QColor &color)
{
    return glyphIcon(color, [](QPainter &p, const QColor &c) {
        p.setPen(Qt::NoPen);
        // The person behind, a little lighter.
        QColor back = c;
        back.setAlphaF(0.55);
        p.setBrush(back);
        p.drawEllipse(QPointF(16.5, 8), 3.2, 3.2);
        QPainterPath backBody;
        backBody.moveTo(11.5, 19);
        backBody.cubicTo(QPointF(11.5, 14.5), QPointF(13.5, 12.5), QPointF(16.5, 12.5));
        backBody.cubicTo(QPointF(19.5, 12.5), QPointF(22, 14.5), QPointF(22, 19));
        backBody.closeSubpath();
        p.drawPath(backBody);
        // The person in front.
        p.setBrush(c);
        p.drawEllipse(QPointF(9, 8.5), 3.8, 3.8);
        QPainterPath body;
        body.moveTo(2, 21);
        body.cubicTo(QPointF(2, 16), QPointF(5, 13.5), QPointF(9, 13.5));
        body.cubicTo(QPointF(13, 13.5), QPointF(16, 16), QPointF(16, 21));
        body.closeSubpath();
        p.drawPath(body);
    });
}

namespace {

QPen strokePen(const QColor &color, qreal width = 2.0)
{
    QPen pen(color, width);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    return pen;
}

} // namespace

QIcon tokensIcon(const QColor &color)
{
    return glyphIcon(color, [](QPainter &p, const QColor &c) {
        p.setPen(strokePen(c, 2.2));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QPointF(7.5, 12), 4.5, 4.5);
        p.drawLine(QPointF(12, 12), QPointF(21.5, 12));
        p.drawLine(QPointF(18, 12), QPointF(18, 16));
        p.drawLine(QPointF(21.5, 12), QPointF(21.5, 15.5));
    });
}

QIcon sessionsIcon(const QColor &color)
{
    return glyphIcon(color, [](QPainter &p, const QColor &c) {
        p.setPen(strokePen(c, 2.0));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QPointF(12, 12), 9, 9);
        p.drawLine(QPointF(12, 12), QPointF(12, 6.5));
        p.drawLine(QPointF(12, 12), QPointF(16, 14.5));
    });
}

QIcon groupsIcon(const QColor &color)
{
    return glyphIcon(color, [](QPainter &p, const QColor &c) {
        p.setPen(Qt::NoPen);
        QColor side = c;
        side.setAlphaF(0.6);
        p.setBrush(side);
        p.drawEllipse(QPointF(5, 9.5), 2.6, 2.6);
        p.drawEllipse(QPointF(19, 9.5), 2.6, 2.6);
        p.drawRoundedRect(QRectF(1.5, 13.5, 7, 6), 3, 3);
        p.drawRoundedRect(QRectF(15.5, 13.5, 7, 6), 3, 3);
        p.setBrush(c);
        p.drawEllipse(QPointF(12, 7.5), 3.4, 3.4);
        p.drawRoundedRect(QRectF(7, 12.5, 10, 8.5), 4, 4);
    });
}

QIcon invitationsIcon(const QColor &color)
{
    return glyphIcon(color, [](QPainter &p, const QColor &c) {
        p.setPen(strokePen(c, 2.0));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(QRectF(2.5, 5.5, 19, 13), 2, 2);
        QPainterPath flap;
        flap.moveTo(3.5, 6.5);
        flap.lineTo(12, 13);
        flap.lineTo(20.5, 6.5);
        p.drawPath(flap);
    });
}

QIcon vpsIcon(const QColor &color)
{
    return glyphIcon(color, [](QPainter &p, const QColor &c) {
        p.setPen(strokePen(c, 2.0));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(QRectF(3, 3.5, 18, 7), 1.5, 1.5);
        p.drawRoundedRect(QRectF(3, 13.5, 18, 7), 1.5, 1.5);
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawEllipse(QPointF(7, 7), 1.3, 1.3);
        p.drawEllipse(QPointF(7, 17), 1.3, 1.3);
    });
}

QIcon approvalsIcon(const QColor &color)
{
    return glyphIcon(color, [](QPainter &p, const QColor &c) {
        p.setPen(strokePen(c, 2.0));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(QRectF(5, 4, 14, 17), 2, 2);
        p.drawLine(QPointF(9, 4), QPointF(15, 4));
        p.drawPolyline(QPolygonF({QPointF(8.5, 13), QPointF(11, 15.5), QPointF(15.5, 10)}));
    });
}

QIcon tasksIcon(const QColor &color)
{
    return glyphIcon(color, [](QPainter &p, const QColor &c) {
        p.setPen(strokePen(c, 2.0));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(QRectF(2.5, 4, 19, 16), 2, 2);
        p.drawPolyline(QPolygonF({QPointF(6.5, 9), QPointF(9.5, 12), QPointF(6.5, 15)}));
        p.drawLine(QPointF(12, 15.5), QPointF(17, 15.5));
    });
}

QIcon nodesIcon(const QColor &color)
{
    return glyphIcon(color, [](QPainter &p, const QColor &c) {
        p.setPen(strokePen(c, 2.0));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(QRectF(6, 6, 12, 12), 1.5, 1.5);
        for (qreal x : {9.5, 14.5}) {
            p.drawLine(QPointF(x, 2.5), QPointF(x, 6));
            p.drawLine(QPointF(x, 18), QPointF(x, 21.5));
            p.drawLine(QPointF(2.5, x), QPointF(6, x));
            p.drawLine(QPointF(18, x), QPointF(21.5, x));
        }
    });
}

QIcon searchIcon(const QColor &color)
{
    static QHash<QRgb, QIcon> cache;
    return fieldIcon(cache, color, [](QPainter &p, const QColor &c) {
        p.setPen(QPen(c, 1.6, Qt::SolidLine, Qt::RoundCap));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(QPointF(6.8, 6.8), 4.3, 4.3);
        p.drawLine(QPointF(10.0, 10.0), QPointF(14.0, 14.0));
    });
}

QIcon clearIcon(const QColor &color)
{
    // Painted, not asked of the style: the style looks "edit-clear" up in the icon theme, 6 ms of
    // the GUI thread at the first table page, that is at sign-in.
    static QHash<QRgb, QIcon> cache;
    return fieldIcon(cache, color, [](QPainter &p, const QColor &c) {
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawEllipse(QPointF(8.0, 8.0), 6.5, 6.5);
        // The cross is cut out of the disc.
        p.setCompositionMode(QPainter::CompositionMode_Clear);
        p.setPen(QPen(Qt::black, 1.6, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(5.5, 5.5), QPointF(10.5, 10.5));
        p.drawLine(QPointF(10.5, 5.5), QPointF(5.5, 10.5));
    });
}

} // namespace rk::icons
