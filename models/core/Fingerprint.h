#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

namespace rk::fingerprint {

// A certificate fingerprint in the one spelling Riverkeeper shows and saves: upper-case hex
// pairs joined by colons ("AB:CD:..."), from any spelling an admin may paste (colons or spaces
// optional, any case). Empty when `text` is empty or holds anything but hex digits, or an odd
// number of them.
QString canonical(QStringView text);
// True when `text` is a SHA-256 fingerprint (32 bytes) in a spelling canonical() accepts.
bool isSha256(QStringView text);
// Whether `list` holds `text`, compared in canonical form.
bool contains(const QStringList &list, QStringView text);

} // namespace rk::fingerprint
