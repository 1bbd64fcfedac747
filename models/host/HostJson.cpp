#include "HostJson.h"

#include <QCoreApplication>
#include <QJsonParseError>
#include <QMetaType>
#include <QVariant>

#include <cmath>
#include <limits>

namespace rk::hostjson {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::HostJson", text);
}

// Qt's parser keeps a number that is whole and fits in qint64 as an integer (toVariant() gives a
// qlonglong) and everything else as a double. Only the former is an exact integer.
bool isExactInteger(const QJsonValue &value)
{
    return value.isDouble() && value.toVariant().typeId() == QMetaType::LongLong;
}

QString describeNumberProblem(const QJsonValue &value)
{
    const double d = value.toDouble();
    if (std::isfinite(d) && std::trunc(d) != d)
        return tr("expected a whole number, got the fraction %1").arg(d, 0, 'g', 17);
    return tr("the number %1 is out of range (more than 64 bits)").arg(d, 0, 'g', 17);
}

} // namespace

QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return tr("null");
    case QJsonValue::Bool: return value.toBool() ? tr("true") : tr("false");
    case QJsonValue::Double:
        if (isExactInteger(value))
            return tr("the number %1").arg(value.toInteger());
        return tr("the number %1").arg(value.toDouble(), 0, 'g', 17);
    case QJsonValue::String: {
        QString text = value.toString();
        if (text.size() > 40)
            text = text.left(40) + QStringLiteral("…");
        return tr("the text \"%1\"").arg(text);
    }
    case QJsonValue::Array: return tr("a list");
    case QJsonValue::Object: return tr("an object");
    case QJsonValue::Undefined: return tr("nothing");
    }
    return tr("nothing");
}

QString child(const QString &parent, const QString &key)
{
    return parent.isEmpty() ? key : parent + QLatin1Char('.') + key;
}

QString child(const QString &parent, qsizetype index)
{
    return parent + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

Error invalid(const QString &path, const QString &problem)
{
    const QString where = path.isEmpty() ? tr("answer") : QStringLiteral("“%1”").arg(path);
    return Error::make(Error::Code::Corrupt,
        QCoreApplication::translate("rk::HostJson", "The host sent an invalid %1: %2.").arg(where, problem));
}

Result<QJsonDocument> parseDocument(const QByteArray &body)
{
    QJsonParseError parseError {};
    QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Error::make(Error::Code::Corrupt,
            QCoreApplication::translate(
                "rk::HostJson", "The host's answer is not valid JSON (%1 at byte %2).")
                .arg(parseError.errorString())
                .arg(parseError.offset));
    }
    return doc;
}

Result<QJsonValue> parseValue(const QByteArray &body)
{
    // QJsonDocument only takes objects and arrays at the top; wrap so scalars parse too.
    QByteArray wrapped;
    wrapped.reserve(body.size() + 2);
    wrapped.append('[').append(body).append(']');
    QJsonParseError parseError {};
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        const qsizetype offset = qMax<qsizetype>(0, parseError.offset - 1);
        return Error::make(Error::Code::Corrupt,
            QCoreApplication::translate(
                "rk::HostJson", "The host's answer is not valid JSON (%1 at byte %2).")
                .arg(parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                  : tr("more than one value"))
                .arg(offset));
    }
    return doc.array().at(0);
}

Result<qint64> toId(const QJsonValue &value, const QString &path)
{
    if (value.isDouble()) {
        if (isExactInteger(value))
            return value.toInteger();
        return invalid(path, describeNumberProblem(value));
    }
    if (value.isString()) {
        const QString text = value.toString();
        qsizetype start = text.startsWith(QLatin1Char('-')) ? 1 : 0;
        bool digitsOnly = text.size() > start && text.size() - start <= 19;
        for (qsizetype i = start; digitsOnly && i < text.size(); ++i)
            digitsOnly = text.at(i) >= QLatin1Char('0') && text.at(i) <= QLatin1Char('9');
        bool converted = false;
        const qint64 id = digitsOnly ? text.toLongLong(&converted) : 0;
        if (converted)
            return id;
        if (digitsOnly)
            return invalid(path, tr("the id %1 is out of range (more than 64 bits)").arg(text));
        return invalid(path, tr("expected an id, got %1").arg(describe(value)));
    }
    return invalid(path, tr("expected an id, got %1").arg(describe(value)));
}

Result<qint64> toInteger(const QJsonValue &value, const QString &path, qint64 minimum, qint64 maximum)
{
    if (!value.isDouble())
        return invalid(path, tr("expected a whole number, got %1").arg(describe(value)));
    if (!isExactInteger(value))
        return invalid(path, describeNumberProblem(value));
    const qint64 number = value.toInteger();
    if (number < minimum || number > maximum)
        return invalid(path, tr("the number %1 is outside %2..%3").arg(number).arg(minimum).arg(maximum));
    return number;
}

Result<double> toNumber(const QJsonValue &value, const QString &path)
{
    if (!value.isDouble())
        return invalid(path, tr("expected a number, got %1").arg(describe(value)));
    return value.toDouble();
}

// ---------------------------------------------------------------------------------------------

FieldReader::FieldReader(const QJsonValue &value, QString path) : m_path(std::move(path))
{
    if (value.isObject())
        m_object = value.toObject();
    else
        m_error = invalid(m_path, tr("expected an object, got %1").arg(describe(value)));
}

bool FieldReader::present(QLatin1StringView key) const
{
    const QJsonValue v = m_object.value(key);
    return !v.isUndefined() && !v.isNull();
}

bool FieldReader::has(QLatin1StringView key) const
{
    return present(key);
}

QJsonValue FieldReader::value(QLatin1StringView key) const
{
    return m_object.value(key);
}

QString FieldReader::pathOf(QLatin1StringView key) const
{
    return child(m_path, QString(key));
}

void FieldReader::fail(QLatin1StringView key, const QString &problem)
{
    if (!m_error)
        m_error = invalid(pathOf(key), problem);
}

void FieldReader::fail(const Error &error)
{
    if (!m_error)
        m_error = error;
}

bool FieldReader::requirePresent(QLatin1StringView key)
{
    if (m_error)
        return false;
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined()) {
        fail(key, tr("the field is missing"));
        return false;
    }
    if (v.isNull()) {
        fail(key, tr("the field is null"));
        return false;
    }
    return true;
}

QString FieldReader::string(QLatin1StringView key)
{
    if (!requirePresent(key))
        return {};
    const QJsonValue v = m_object.value(key);
    if (!v.isString()) {
        fail(key, tr("expected text, got %1").arg(describe(v)));
        return {};
    }
    return v.toString();
}

QString FieldReader::optString(QLatin1StringView key)
{
    if (m_error || !present(key))
        return {};
    return string(key);
}

bool FieldReader::boolean(QLatin1StringView key)
{
    if (!requirePresent(key))
        return false;
    const QJsonValue v = m_object.value(key);
    if (!v.isBool()) {
        fail(key, tr("expected true or false, got %1").arg(describe(v)));
        return false;
    }
    return v.toBool();
}

std::optional<bool> FieldReader::optBoolean(QLatin1StringView key)
{
    if (m_error || !present(key))
        return std::nullopt;
    const bool b = boolean(key);
    return ok() ? std::optional<bool>(b) : std::nullopt;
}

qint64 FieldReader::id(QLatin1StringView key)
{
    if (!requirePresent(key))
        return 0;
    Result<qint64> r = toId(m_object.value(key), pathOf(key));
    if (!r.ok()) {
        fail(r.error());
        return 0;
    }
    return *r;
}

std::optional<qint64> FieldReader::optId(QLatin1StringView key)
{
    if (m_error || !present(key))
        return std::nullopt;
    const qint64 v = id(key);
    return ok() ? std::optional<qint64>(v) : std::nullopt;
}

qint64 FieldReader::integer(QLatin1StringView key, qint64 minimum, qint64 maximum)
{
    if (!requirePresent(key))
        return 0;
    Result<qint64> r = toInteger(m_object.value(key), pathOf(key), minimum, maximum);
    if (!r.ok()) {
        fail(r.error());
        return 0;
    }
    return *r;
}

std::optional<qint64> FieldReader::optInteger(QLatin1StringView key, qint64 minimum, qint64 maximum)
{
    if (m_error || !present(key))
        return std::nullopt;
    const qint64 v = integer(key, minimum, maximum);
    return ok() ? std::optional<qint64>(v) : std::nullopt;
}

int FieldReader::int32(QLatin1StringView key)
{
    return static_cast<int>(integer(key, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

std::optional<int> FieldReader::optInt32(QLatin1StringView key)
{
    const auto v = optInteger(key, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

double FieldReader::number(QLatin1StringView key)
{
    if (!requirePresent(key))
        return 0;
    Result<double> r = toNumber(m_object.value(key), pathOf(key));
    if (!r.ok()) {
        fail(r.error());
        return 0;
    }
    return *r;
}

std::optional<double> FieldReader::optNumber(QLatin1StringView key)
{
    if (m_error || !present(key))
        return std::nullopt;
    const double v = number(key);
    return ok() ? std::optional<double>(v) : std::nullopt;
}

hosttime::Instant FieldReader::timestamp(QLatin1StringView key)
{
    const QString text = string(key);
    if (!ok())
        return {};
    const auto instant = hosttime::parse(text);
    if (!instant) {
        fail(key,
            tr("expected a date and time like 2026-11-22T02:22:00, got %1")
                .arg(describe(m_object.value(key))));
        return {};
    }
    return *instant;
}

std::optional<hosttime::Instant> FieldReader::optTimestamp(QLatin1StringView key)
{
    if (m_error || !present(key))
        return std::nullopt;
    const hosttime::Instant instant = timestamp(key);
    return ok() ? std::optional<hosttime::Instant>(instant) : std::nullopt;
}

QJsonArray FieldReader::optArray(QLatin1StringView key)
{
    if (m_error || !present(key))
        return {};
    const QJsonValue v = m_object.value(key);
    if (!v.isArray()) {
        fail(key, tr("expected a list, got %1").arg(describe(v)));
        return {};
    }
    return v.toArray();
}

QStringList FieldReader::stringList(QLatin1StringView key)
{
    const QJsonArray array = optArray(key);
    QStringList out;
    out.reserve(array.size());
    for (qsizetype i = 0; ok() && i < array.size(); ++i) {
        if (!array.at(i).isString()) {
            fail(invalid(child(pathOf(key), i), tr("expected text, got %1").arg(describe(array.at(i)))));
            return {};
        }
        out.append(array.at(i).toString());
    }
    return out;
}

QList<int> FieldReader::intList(QLatin1StringView key)
{
    const QJsonArray array = optArray(key);
    QList<int> out;
    out.reserve(array.size());
    for (qsizetype i = 0; ok() && i < array.size(); ++i) {
        Result<qint64> r = toInteger(array.at(i), child(pathOf(key), i), std::numeric_limits<int>::min(),
            std::numeric_limits<int>::max());
        if (!r.ok()) {
            fail(r.error());
            return {};
        }
        out.append(static_cast<int>(*r));
    }
    return out;
}

QList<qint64> FieldReader::idList(QLatin1StringView key)
{
    const QJsonArray array = optArray(key);
    QList<qint64> out;
    out.reserve(array.size());
    for (qsizetype i = 0; ok() && i < array.size(); ++i) {
        Result<qint64> r = toId(array.at(i), child(pathOf(key), i));
        if (!r.ok()) {
            fail(r.error());
            return {};
        }
        out.append(*r);
    }
    return out;
}

QList<QJsonObject> FieldReader::objectList(QLatin1StringView key)
{
    const QJsonArray array = optArray(key);
    QList<QJsonObject> out;
    out.reserve(array.size());
    for (qsizetype i = 0; ok() && i < array.size(); ++i) {
        if (!array.at(i).isObject()) {
            fail(invalid(child(pathOf(key), i), tr("expected an object, got %1").arg(describe(array.at(i)))));
            return {};
        }
        out.append(array.at(i).toObject());
    }
    return out;
}

} // namespace rk::hostjson
