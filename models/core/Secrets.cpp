#include "Secrets.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QRandomGenerator>

#include <crypt.h>

#include <array>
#include <cstring>
#include <memory>

namespace rk {

namespace {
// libxcrypt's crypt_data is 32 KiB: keep it off the stack and wipe it afterwards.
struct CryptScratch
{
    crypt_data data;
    CryptScratch() { std::memset(&data, 0, sizeof data); }
    ~CryptScratch() { std::memset(&data, 0, sizeof data); }
};
} // namespace

Result<PasswordHash> Passwords::hash(const QString &password, int cost)
{
    std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> salt {};
    if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, salt.data(),
            static_cast<int>(salt.size()))) {
        return Error::make(Error::Code::Internal,
            QCoreApplication::translate("rk::Passwords", "The system could not generate a password salt."));
    }
    const QByteArray utf8 = password.toUtf8();
    auto scratch = std::make_unique<CryptScratch>();
    const char *out = crypt_r(utf8.constData(), salt.data(), &scratch->data);
    if (!out || out[0] == '*') {
        return Error::make(Error::Code::Internal,
            QCoreApplication::translate("rk::Passwords", "The system could not hash the password."));
    }
    return PasswordHash(QString::fromLatin1(out));
}

bool Passwords::verify(const QString &password, const QString &stored)
{
    if (!isBcrypt(stored))
        return false;
    const QByteArray utf8 = password.toUtf8();
    const QByteArray setting = stored.toLatin1();
    auto scratch = std::make_unique<CryptScratch>();
    const char *out = crypt_r(utf8.constData(), setting.constData(), &scratch->data);
    if (!out || out[0] == '*')
        return false;
    // Constant-time comparison of the whole hash.
    const size_t n = std::strlen(out);
    if (n != static_cast<size_t>(setting.size()))
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; ++i)
        diff |= static_cast<unsigned char>(out[i] ^ setting.at(static_cast<qsizetype>(i)));
    return diff == 0;
}

bool Passwords::isBcrypt(const QString &stored)
{
    return stored.size() == 60
        && (stored.startsWith(QLatin1String("$2b$")) || stored.startsWith(QLatin1String("$2a$"))
            || stored.startsWith(QLatin1String("$2y$")));
}

namespace tokens {

QString randomHex64()
{
    std::array<quint32, 8> words {};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray bytes(reinterpret_cast<const char *>(words.data()), sizeof words);
    return QString::fromLatin1(bytes.toHex());
}

QString sha3_512Hex(const QString &token)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha3_512).toHex());
}

} // namespace tokens
} // namespace rk
