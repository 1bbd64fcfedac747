#pragma once

#include "core/HostTime.h"
#include "core/Result.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// Strict, tolerant-where-the-contract-says JSON reading for the host's answers.
//
// Tolerant: an id may be a JSON string of digits or a JSON integer (snowflakes are both, see
// kohakuriver-host.md section 2); a nullable field may be null or absent; a timestamp may carry
// microseconds or not. Strict: everything else of the wrong type is an Error that names the field
// by its path ("tasks[3].task_id"), never a crash and never a silent 0. Numbers that are not whole
// or do not fit are refused, and nothing goes through a double that could lose digits.
//
// Errors use Error::Code::Corrupt ("the data is malformed"). Messages are translated in the
// "rk::HostJson" context. Everything here is reentrant and runs on any thread.

namespace rk::hostjson {

// The body as a JSON document; Corrupt with the parser's reason and offset when it is not JSON.
Result<QJsonDocument> parseDocument(const QByteArray &body);
// The body as a JSON value of any kind (object, array, or a scalar).
Result<QJsonValue> parseValue(const QByteArray &body);

// An integer id: a JSON integer, or a string of ASCII digits with an optional leading '-'.
// Refuses fractions, values beyond qint64, empty strings, signs, spaces, exponents and hex.
Result<qint64> toId(const QJsonValue &value, const QString &path);
// A JSON number that is a whole number within [minimum, maximum] (strings are refused).
Result<qint64> toInteger(const QJsonValue &value, const QString &path, qint64 minimum, qint64 maximum);
// Any JSON number.
Result<double> toNumber(const QJsonValue &value, const QString &path);
// "a string", "null", "the number 1.5", ... for error messages.
QString describe(const QJsonValue &value);
// "tasks[3]" from ("tasks", 3) and "task.id" from ("task", "id"); empty parents are left out.
QString child(const QString &parent, const QString &key);
QString child(const QString &parent, qsizetype index);

// Corrupt: "The host sent an invalid <path>: <problem>".
Error invalid(const QString &path, const QString &problem);

// Reads the fields of one JSON object. The first problem is kept and every later read returns a
// default, so a parser reads all its fields and checks ok() once at the end:
//
//     FieldReader r(value, path);
//     user.id = r.id("id");
//     user.displayName = r.optString("display_name");
//     if (!r.ok())
//         return r.error();
class FieldReader
{
public:
    FieldReader(const QJsonValue &value, QString path);

    bool ok() const { return !m_error.has_value(); }
    const Error &error() const { return *m_error; }
    const QString &path() const { return m_path; }
    const QJsonObject &object() const { return m_object; }

    bool has(QLatin1StringView key) const; // present and not null
    QJsonValue value(QLatin1StringView key) const;
    QString pathOf(QLatin1StringView key) const;
    // Records a problem with a field (only the first one is kept).
    void fail(QLatin1StringView key, const QString &problem);
    void fail(const Error &error);

    QString string(QLatin1StringView key); // required, not null
    QString optString(QLatin1StringView key); // string, null or absent (a null QString then)
    bool boolean(QLatin1StringView key); // required JSON true/false
    std::optional<bool> optBoolean(QLatin1StringView key);
    qint64 id(QLatin1StringView key); // required id (string or integer)
    std::optional<qint64> optId(QLatin1StringView key);
    qint64 integer(QLatin1StringView key, qint64 minimum = std::numeric_limits<qint64>::min(),
        qint64 maximum = std::numeric_limits<qint64>::max());
    std::optional<qint64> optInteger(QLatin1StringView key,
        qint64 minimum = std::numeric_limits<qint64>::min(),
        qint64 maximum = std::numeric_limits<qint64>::max());
    int int32(QLatin1StringView key);
    std::optional<int> optInt32(QLatin1StringView key);
    double number(QLatin1StringView key);
    std::optional<double> optNumber(QLatin1StringView key);
    hosttime::Instant timestamp(QLatin1StringView key); // required naive local time
    std::optional<hosttime::Instant> optTimestamp(QLatin1StringView key);
    QStringList stringList(QLatin1StringView key); // array of strings; null or absent: empty
    QList<int> intList(QLatin1StringView key); // array of ints; null or absent: empty
    QList<qint64> idList(QLatin1StringView key); // array of ids; null or absent: empty
    QJsonArray optArray(QLatin1StringView key); // null or absent: empty
    QList<QJsonObject> objectList(QLatin1StringView key); // array of objects; null or absent: empty

private:
    bool present(QLatin1StringView key) const;
    bool requirePresent(QLatin1StringView key);

    QJsonObject m_object;
    QString m_path;
    std::optional<Error> m_error;
};

// Each item of a JSON array through a parser `Result<T>(const QJsonValue &, const QString &path)`;
// the first failing item's error is returned.
template<typename T, typename ItemParser>
Result<QList<T>> list(const QJsonValue &value, const QString &path, ItemParser parseItem)
{
    if (!value.isArray())
        return invalid(path,
            QCoreApplication::translate("rk::HostJson", "expected a list, got %1").arg(describe(value)));
    const QJsonArray array = value.toArray();
    QList<T> items;
    items.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        Result<T> item = parseItem(array.at(i), child(path, i));
        if (!item.ok())
            return item.error();
        items.append(std::move(item).value());
    }
    return items;
}

} // namespace rk::hostjson
