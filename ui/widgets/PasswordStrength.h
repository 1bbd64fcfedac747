#pragma once

#include <QString>

namespace rk::passwordstrength {

// A rough strength estimate for the hint under a password field. Advice only: the store's
// password policy (PlatformStore::checkPasswordPolicy) decides what is accepted.
enum class Level { Empty, VeryWeak, Weak, Fair, Good, Strong };

struct Estimate
{
    Level level = Level::Empty;
    double bits = 0; // estimated entropy
};

// `username` lowers the estimate of a password that contains it.
Estimate estimate(const QString &password, const QString &username = {});
QString describe(Level level); // translated: "Weak", "Strong", ...
// 0 (empty) .. 5 (strong): how many of the meter's segments light up, out of 5.
int segments(Level level);

// A random password from QRandomGenerator::system(): `length` characters without look-alikes
// (0/O, 1/l/I), with at least one lower-case letter, upper-case letter, digit and symbol.
QString generate(int length = 20);

} // namespace rk::passwordstrength
