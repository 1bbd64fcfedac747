#include "GroupLimits.h"

#include "core/PyJson.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

namespace rk {

namespace {

QString jsonTypeName(const QJsonDocument &doc)
{
    if (doc.isArray())
        return GroupLimits::tr("an array");
    return GroupLimits::tr("not an object");
}

bool isQuotaKey(const QString &key)
{
    for (int k = 0; k < GroupLimits::KeyCount; ++k) {
        if (key == GroupLimits::keyName(GroupLimits::Key(k)))
            return true;
    }
    return false;
}

} // namespace

QString GroupLimits::keyName(Key key)
{
    switch (key) {
    case MaxTasks: return QStringLiteral("max_tasks");
    case MaxVps: return QStringLiteral("max_vps");
    case GpuCap: return QStringLiteral("gpu_cap");
    case KeyCount: break;
    }
    return {};
}

QString GroupLimits::label(Key key)
{
    switch (key) {
    case MaxTasks: return tr("Max tasks");
    case MaxVps: return tr("Max VPS");
    case GpuCap: return tr("GPU cap");
    case KeyCount: break;
    }
    return {};
}

GroupLimits GroupLimits::parse(const QString &stored)
{
    GroupLimits limits;
    limits.m_stored = stored;
    const QString text = stored.trimmed().isEmpty() ? QStringLiteral("{}") : stored;
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) {
        // QJsonDocument only reads objects and arrays: a bare "4" or "\"x\"" lands here too.
        limits.m_problem
            = tr("it is not valid JSON (%1 at character %2)").arg(error.errorString()).arg(error.offset);
        return limits;
    }
    if (!doc.isObject()) {
        limits.m_problem = tr("it is JSON, but %1").arg(jsonTypeName(doc));
        return limits;
    }
    limits.m_isObject = true;
    limits.m_object = doc.object();
    return limits;
}

QString GroupLimits::text(Key key) const
{
    const QJsonValue v = m_object.value(keyName(key));
    if (v.isUndefined() || v.isNull())
        return {};
    if (v.isDouble() && double(v.toInteger()) == v.toDouble())
        return QString::number(v.toInteger());
    return pyjson::dumps(v);
}

std::optional<int> GroupLimits::value(Key key) const
{
    const Field field = checkField(key, text(key));
    return field.valid ? field.value : std::nullopt;
}

QList<QPair<QString, QString>> GroupLimits::otherKeys() const
{
    QList<QPair<QString, QString>> keys;
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (!isQuotaKey(it.key()))
            keys.append({it.key(), pyjson::dumps(it.value())});
    }
    return keys;
}

GroupLimits::Field GroupLimits::checkField(Key key, const QString &text)
{
    Field field;
    const QString t = text.trimmed();
    if (t.isEmpty())
        return field;
    bool ok = false;
    const qlonglong n = t.toLongLong(&ok);
    if (!ok) {
        field.valid = false;
        field.error = tr("%1 must be a whole number such as 4, or empty for no limit; %2 is not.")
                          .arg(label(key), QStringLiteral("\u201c%1\u201d").arg(t));
        return field;
    }
    if (n < 0) {
        field.valid = false;
        field.error = tr("%1 cannot be negative; use 0 for none allowed, or leave it empty for no limit.")
                          .arg(label(key));
        return field;
    }
    if (n > kMaxValue) {
        field.valid = false;
        field.error = tr("%1 can be at most %L2.").arg(label(key)).arg(kMaxValue);
        return field;
    }
    field.value = int(n);
    return field;
}

QString GroupLimits::withQuotas(const std::array<std::optional<int>, KeyCount> &values) const
{
    QJsonObject object = m_isObject ? m_object : QJsonObject();
    for (int k = 0; k < KeyCount; ++k) {
        const Key key = Key(k);
        const QString name = keyName(key);
        const std::optional<int> wanted = values[size_t(k)];
        if (m_isObject) {
            const QJsonValue stored = m_object.value(name);
            const bool storedNone = stored.isUndefined() || stored.isNull();
            // Unchanged as the form shows it: keep the stored JSON value exactly.
            if (!wanted && storedNone)
                continue;
            if (wanted && value(key) == wanted)
                continue;
        }
        if (wanted)
            object.insert(name, *wanted);
        else
            object.remove(name);
    }
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString GroupLimits::summary() const
{
    if (!m_isObject)
        return tr("Not a JSON object: %1. Shown as stored in the limits dialog.").arg(m_problem);
    QStringList parts;
    for (int k = 0; k < KeyCount; ++k) {
        const Key key = Key(k);
        const QString t = text(key);
        if (t.isEmpty())
            continue;
        const std::optional<int> v = value(key);
        parts << (v ? tr("%1 %L2").arg(label(key)).arg(*v) : tr("%1 invalid (%2)").arg(label(key), t));
    }
    if (parts.isEmpty())
        parts << tr("No limits set");
    const qsizetype others = otherKeys().size();
    if (others > 0)
        parts << tr("other keys kept: %L1").arg(others);
    return parts.join(QStringLiteral(" \u00b7 "));
}

} // namespace rk
