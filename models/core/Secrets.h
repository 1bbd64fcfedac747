#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

namespace rk {

// A bcrypt hash in the host's format (`$2b$12$` + 53 chars). Only Passwords::hash() makes one
// from a password, so a store method that takes a PasswordHash cannot be handed plain text.
class PasswordHash
{
public:
    PasswordHash() = default;
    static PasswordHash fromStored(const QString &stored) { return PasswordHash(stored); }
    const QString &text() const { return m_text; }
    bool isEmpty() const { return m_text.isEmpty(); }

private:
    explicit PasswordHash(QString text) : m_text(std::move(text)) { }
    QString m_text;
    friend class Passwords;
};

class Passwords
{
public:
    static constexpr int kHostCost = 12;

    // bcrypt as the host does it (`bcrypt.hashpw(pw, gensalt(rounds=12))`), through libxcrypt's
    // crypt_gensalt_rn("$2b$", 12) and crypt_r. Takes about 0.25 s at cost 12: call it off the UI
    // thread. Thread-safe. `cost` is for tests and sample data only.
    static Result<PasswordHash> hash(const QString &password, int cost = kHostCost);
    // bcrypt.checkpw: true when `password` matches `stored`. Same cost and threading as hash().
    static bool verify(const QString &password, const QString &stored);
    // Whether `stored` looks like a bcrypt hash the host can verify.
    static bool isBcrypt(const QString &stored);
};

namespace tokens {
// 32 random bytes as 64 lowercase hex chars (`secrets.token_hex(32)`): API tokens, session ids,
// invitation tokens.
QString randomHex64();
// Lowercase hex SHA3-512 of the token text, as stored in `tokens.token_hash`.
QString sha3_512Hex(const QString &token);
} // namespace tokens

} // namespace rk
