#include "Fingerprint.h"

#include <algorithm>

namespace rk::fingerprint {

QString canonical(QStringView text)
{
    QString hex;
    hex.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char(':') || c.isSpace())
            continue;
        const char16_t u = c.unicode();
        const bool digit = u >= u'0' && u <= u'9';
        const bool letter = (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
        if (!digit && !letter)
            return {};
        hex.append(c.toUpper());
    }
    if (hex.isEmpty() || hex.size() % 2 != 0)
        return {};
    QString out;
    out.reserve(hex.size() / 2 * 3);
    for (qsizetype i = 0; i < hex.size(); i += 2) {
        if (i > 0)
            out.append(QLatin1Char(':'));
        out.append(QStringView(hex).mid(i, 2));
    }
    return out;
}

bool isSha256(QStringView text)
{
    // 32 pairs and 31 colons.
    return canonical(text).size() == 32 * 3 - 1;
}

bool contains(const QStringList &list, QStringView text)
{
    const QString wanted = canonical(text);
    if (wanted.isEmpty())
        return false;
    return std::any_of(
        list.cbegin(), list.cend(), [&wanted](const QString &item) { return canonical(item) == wanted; });
}

} // namespace rk::fingerprint
