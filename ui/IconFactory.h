#pragma once

#include <QColor>
#include <QIcon>
#include <QPixmap>

namespace rk {

// Icons painted in code, so the app needs neither an icon theme nor the Qt SVG module. The app
// icon is the same drawing as packaging/io.github.riverkeeper.Riverkeeper.svg.
namespace icons {

QIcon appIcon();
QPixmap appPixmap(int size, qreal devicePixelRatio = 1.0);
// A monochrome "people" glyph for the Users entry of the navigation.
QIcon usersIcon(const QColor &color);
// A magnifying glass for search fields.
QIcon searchIcon(const QColor &color);

} // namespace icons
} // namespace rk
