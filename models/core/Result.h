#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace rk {

// What went wrong, in a form the UI can show and tests can check. The core never opens a dialog:
// it returns one of these, and the caller decides how to present it.
struct Error
{
    enum class Code {
        Invalid, // the caller's input is not acceptable (a form value, an unknown role)
        NotFound, // the row the caller named does not exist (any more)
        Conflict, // the change collides with existing data (a taken username)
        Refused, // the acting admin's role or a safety rule forbids it
        ReadOnly, // the database (or the file) cannot be written
        Locked, // another program holds a lock longer than the busy timeout
        Corrupt, // SQLite reports a malformed file
        NotADatabase, // the file is not SQLite, or not a platform database
        UnknownSchema, // a platform database whose tables Riverkeeper does not recognise
        Io, // the file cannot be opened, read or written
        Cancelled, // the operation was interrupted on request
        Internal, // anything else (a bug, an unexpected SQLite status)
    };

    Code code = Code::Internal;
    QString message; // one translated sentence, suitable for a banner or stderr

    static Error make(Code code, QString message) { return Error {code, std::move(message)}; }
};

// A value or an Error. Small on purpose: ok(), value(), error(), and nothing clever.
template<typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) { } // NOLINT(google-explicit-constructor)
    Result(Error error) : m_data(std::move(error)) { } // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }

    const Error &error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

template<> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) { } // NOLINT(google-explicit-constructor)

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace rk
