#pragma once

#include <QColor>
#include <QCoreApplication>
#include <QIcon>
#include <QImage>
#include <QList>
#include <QPixmap>
#include <QRect>
#include <QString>

namespace rk {

// The app icon (icons::appPixmap) with the number of tasks waiting for approval in a badge at
// its top-right corner: 1..99, then "99+"; no badge for 0. Offline (disconnected, or the host
// unreachable) the icon is greyed, the badge (the last known count) turns grey and a small
// "no connection" mark sits at the bottom-right, so the state reads without colour too.
//
// Everything is painted in device pixels (size × device pixel ratio) on a whole-pixel grid, so
// the digits are as sharp at 2x as at 1x. Pure functions; GUI thread (fonts).
class BadgePainter
{
    Q_DECLARE_TR_FUNCTIONS(BadgePainter)

public:
    enum class State {
        Online,
        Offline, // disconnected or unreachable: the count shown is the last one known
    };

    static constexpr int kMaxCount = 99; // above: "99+"

    // "" for 0 (or less), "1".."99", "99+".
    static QString badgeText(int count);
    // The app icon at `size` logical pixels and `dpr`, with the badge; devicePixelRatio() is set.
    static QImage badgeImage(int size, qreal dpr, int count, State state);
    static QPixmap badgePixmap(int size, qreal dpr, int count, State state);
    // Every size of iconSizes() at 1x and 2x.
    static QIcon badgeIcon(int count, State state);
    static QList<int> iconSizes(); // 16, 22, 24, 32, 48, 64

    // Where the count badge goes in a badgeImage(size, dpr, count, ...), in device pixels;
    // empty when there is no badge.
    static QRect badgeRect(int size, qreal dpr, int count);
    // Where the offline mark goes, in device pixels.
    static QRect offlineMarkRect(int size, qreal dpr);
    static QColor badgeColor(State state);
    static QColor textColor();
};

} // namespace rk
