#include "PasswordStrength.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace rk::passwordstrength {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::PasswordStrength", text);
}

// A few of the most common passwords: an estimate must never call these anything but very weak.
bool isNotorious(const QString &lower)
{
    static const QSet<QString> kCommon = {
        QStringLiteral("password"),
        QStringLiteral("password1"),
        QStringLiteral("12345678"),
        QStringLiteral("123456789"),
        QStringLiteral("1234567890"),
        QStringLiteral("qwertyui"),
        QStringLiteral("qwerty123"),
        QStringLiteral("letmein1"),
        QStringLiteral("iloveyou"),
        QStringLiteral("admin123"),
        QStringLiteral("administrator"),
        QStringLiteral("changeme"),
        QStringLiteral("welcome1"),
        QStringLiteral("passw0rd"),
        QStringLiteral("11111111"),
        QStringLiteral("00000000"),
        QStringLiteral("abcdefgh"),
        QStringLiteral("abc12345"),
    };
    return kCommon.contains(lower);
}

} // namespace

Estimate estimate(const QString &password, const QString &username)
{
    Estimate result;
    if (password.isEmpty())
        return result;
    bool lower = false, upper = false, digit = false, symbol = false, other = false;
    QSet<QChar> distinct;
    for (const QChar c : password) {
        distinct.insert(c);
        if (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            lower = true;
        else if (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            upper = true;
        else if (c.isDigit())
            digit = true;
        else if (c.unicode() < 128)
            symbol = true;
        else
            other = true;
    }
    int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
    pool = std::max(pool, 2);
    // Repetition adds little: count at most 1.5 characters per distinct one.
    const double effective = std::min<double>(password.size(), distinct.size() * 1.5);
    result.bits = effective * std::log2(static_cast<double>(pool));

    const QString folded = password.toLower();
    if (!username.isEmpty() && folded.contains(username.toLower()))
        result.bits = std::min(result.bits, 30.0);
    if (isNotorious(folded))
        result.bits = std::min(result.bits, 10.0);

    if (result.bits < 28)
        result.level = Level::VeryWeak;
    else if (result.bits < 40)
        result.level = Level::Weak;
    else if (result.bits < 60)
        result.level = Level::Fair;
    else if (result.bits < 80)
        result.level = Level::Good;
    else
        result.level = Level::Strong;
    return result;
}

QString describe(Level level)
{
    switch (level) {
    case Level::Empty: return {};
    case Level::VeryWeak: return tr("Very weak");
    case Level::Weak: return tr("Weak");
    case Level::Fair: return tr("Fair");
    case Level::Good: return tr("Good");
    case Level::Strong: return tr("Strong");
    }
    return {};
}

int segments(Level level)
{
    return static_cast<int>(level);
}

QString generate(int length)
{
    static const QString kLower = QStringLiteral("abcdefghijkmnopqrstuvwxyz");
    static const QString kUpper = QStringLiteral("ABCDEFGHJKLMNPQRSTUVWXYZ");
    static const QString kDigits = QStringLiteral("23456789");
    static const QString kSymbols = QStringLiteral("-_.:!?#%+=@*");
    static const QString kAll = kLower + kUpper + kDigits + kSymbols;
    length = std::max(length, 8);
    QRandomGenerator *rng = QRandomGenerator::system();
    auto pick = [rng](const QString &set) { return set.at(rng->bounded(static_cast<int>(set.size()))); };
    QString out;
    out.reserve(length);
    out.append(pick(kLower));
    out.append(pick(kUpper));
    out.append(pick(kDigits));
    out.append(pick(kSymbols));
    while (out.size() < length)
        out.append(pick(kAll));
    // Fisher-Yates, so the guaranteed classes are not always in front.
    for (qsizetype i = out.size() - 1; i > 0; --i) {
        const qsizetype j = rng->bounded(static_cast<int>(i + 1));
        const QChar tmp = out.at(i);
        out[i] = out.at(j);
        out[j] = tmp;
    }
    return out;
}

} // namespace rk::passwordstrength
