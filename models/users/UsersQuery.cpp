#include "UsersQuery.h"

namespace rk {

UsersQuery::KeySource UsersQuery::keySource() const
{
    switch (sortColumn) {
    case Username:
    case DisplayName:
    case Role:
    case Created: return KeySource::UsersText;
    case Status: return KeySource::UsersInt;
    case Groups:
    case LastSignIn:
    case ActiveSessions: return KeySource::Derived;
    default: return KeySource::None;
    }
}

QString UsersQuery::keyColumn() const
{
    switch (sortColumn) {
    case Username: return QStringLiteral("username");
    case DisplayName: return QStringLiteral("display_name");
    case Role: return QStringLiteral("role");
    case Created: return QStringLiteral("created_at");
    case Status: return QStringLiteral("is_active");
    default: return {};
    }
}

QString UsersQuery::likePattern(const QString &text)
{
    QString escaped;
    escaped.reserve(text.size() + 8);
    escaped += QLatin1Char('%');
    for (const QChar c : text) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            escaped += QLatin1Char('\\');
        escaped += c;
    }
    escaped += QLatin1Char('%');
    return escaped;
}

bool UsersQuery::narrows(const QString &narrower, const QString &wider)
{
    auto fold = [](const QString &s) {
        QString folded = s;
        for (QChar &c : folded) {
            if (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
                c = QChar(c.unicode() + ('a' - 'A'));
        }
        return folded;
    };
    return fold(narrower).contains(fold(wider));
}

QString UsersQuery::filterCondition() const
{
    if (!hasFilter())
        return QStringLiteral("1");
    // display_name may be NULL: NULL LIKE x is NULL, and NULL OR true is true, so no coalesce.
    // The ESCAPE clause costs SQLite a few tens of nanoseconds per call (it re-reads the escape
    // argument every row: ~20% of a million-row scan), so it is only added when the text has a
    // character that needs escaping. The pattern is the same either way.
    const bool needsEscape = filterText.contains(QLatin1Char('%')) || filterText.contains(QLatin1Char('_'))
        || filterText.contains(QLatin1Char('\\'));
    if (!needsEscape)
        return QStringLiteral("(username LIKE ?1 OR display_name LIKE ?1 OR role LIKE ?1)");
    return QStringLiteral("(username LIKE ?1 ESCAPE '\\' OR display_name LIKE ?1 ESCAPE '\\' "
                          "OR role LIKE ?1 ESCAPE '\\')");
}

} // namespace rk
