#include "PyJson.h"

#include <QCborValue>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

namespace rk::pyjson {

namespace {

void appendString(QString &out, const QString &s)
{
    out += QLatin1Char('"');
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        switch (u) {
        case u'"': out += QLatin1String("\\\""); break;
        case u'\\': out += QLatin1String("\\\\"); break;
        case u'\n': out += QLatin1String("\\n"); break;
        case u'\r': out += QLatin1String("\\r"); break;
        case u'\t': out += QLatin1String("\\t"); break;
        case u'\b': out += QLatin1String("\\b"); break;
        case u'\f': out += QLatin1String("\\f"); break;
        default:
            if (u < 0x20 || u > 0x7e)
                out += QStringLiteral("\\u%1").arg(static_cast<uint>(u), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
}

// Python's float repr: the shortest text that round-trips, with ".0" for whole numbers and an
// exponent of at least two digits ("1e-05", "1e+16").
QString pythonFloat(double d)
{
    if (std::isnan(d))
        return QStringLiteral("NaN");
    if (std::isinf(d))
        return d > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    const double magnitude = std::fabs(d);
    if (magnitude != 0 && (magnitude >= 1e16 || magnitude < 1e-4)) {
        QString text = QString::number(d, 'e', QLocale::FloatingPointShortest); // 1e+16, 1e-05
        return text;
    }
    QString text = QString::number(d, 'f', QLocale::FloatingPointShortest);
    if (!text.contains(QLatin1Char('.')))
        text += QLatin1String(".0");
    return text;
}

void append(QString &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: out += QLatin1String("null"); break;
    case QJsonValue::Bool: out += value.toBool() ? QLatin1String("true") : QLatin1String("false"); break;
    case QJsonValue::Double: {
        const QCborValue cbor = QCborValue::fromJsonValue(value);
        if (cbor.isInteger())
            out += QString::number(cbor.toInteger());
        else
            out += pythonFloat(value.toDouble());
        break;
    }
    case QJsonValue::String: appendString(out, value.toString()); break;
    case QJsonValue::Array: {
        out += QLatin1Char('[');
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i)
                out += QLatin1String(", ");
            append(out, array.at(i));
        }
        out += QLatin1Char(']');
        break;
    }
    case QJsonValue::Object: {
        out += QLatin1Char('{');
        const QJsonObject object = value.toObject();
        bool first = true;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!first)
                out += QLatin1String(", ");
            first = false;
            appendString(out, it.key());
            out += QLatin1String(": ");
            append(out, it.value());
        }
        out += QLatin1Char('}');
        break;
    }
    }
}

} // namespace

QString dumps(const QJsonValue &value)
{
    QString out;
    append(out, value);
    return out;
}

} // namespace rk::pyjson
