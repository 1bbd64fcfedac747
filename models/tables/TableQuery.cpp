#include "TableQuery.h"

#include <algorithm>

namespace rk {

namespace {
bool isLikeSpecial(QChar c)
{
    return c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\');
}
} // namespace

QString TableQuery::likePattern(const QString &text)
{
    QString pattern;
    pattern.reserve(text.size() + 8);
    pattern += QLatin1Char('%');
    for (const QChar c : text) {
        if (isLikeSpecial(c))
            pattern += QLatin1Char('\\');
        pattern += c;
    }
    pattern += QLatin1Char('%');
    return pattern;
}

bool TableQuery::needsEscape(const QString &text)
{
    return std::any_of(text.begin(), text.end(), isLikeSpecial);
}

} // namespace rk
