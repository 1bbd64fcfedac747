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
// Navigation glyphs for the other record pages, in the same monochrome style.
QIcon tokensIcon(const QColor &color); // a key
QIcon sessionsIcon(const QColor &color); // a clock
QIcon groupsIcon(const QColor &color); // three people in a ring
QIcon invitationsIcon(const QColor &color); // an envelope
QIcon vpsIcon(const QColor &color); // a server with two units
QIcon approvalsIcon(const QColor &color); // a clipboard with a check mark
QIcon tasksIcon(const QColor &color); // a terminal prompt
QIcon nodesIcon(const QColor &color); // a chip
// A magnifying glass for search fields.
QIcon searchIcon(const QColor &color);
// A cross in a disc, for the clear button of filter fields.
QIcon clearIcon(const QColor &color);

} // namespace icons
} // namespace rk
