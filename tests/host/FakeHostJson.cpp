#include "FakeHostJson.h"

#include <QCryptographicHash>
#include <QJsonDocument>

namespace rk::test::fakejson {

QJsonValue nullable(const QString &text)
{
    return text.isNull() ? QJsonValue() : QJsonValue(text);
}

QJsonArray intArray(const QList<int> &values)
{
    QJsonArray array;
    for (const int v : values)
        array.append(v);
    return array;
}

QString apiTime(const QDateTime &local)
{
    const QDateTime t = local.toLocalTime();
    QString text = t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    const int ms = t.time().msec();
    if (ms != 0)
        text += QStringLiteral(".%1").arg(ms * 1000, 6, 10, QLatin1Char('0'));
    return text;
}

QString randomHex(int seed)
{
    const QByteArray input = QByteArray("riverkeeper-fake-host-") + QByteArray::number(seed);
    const QByteArray digest = QCryptographicHash::hash(input, QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex());
}

QJsonObject issue(const QString &type, const QJsonArray &loc, const QString &msg, const QJsonValue &input)
{
    QJsonObject item {
        {QStringLiteral("type"), type}, {QStringLiteral("loc"), loc}, {QStringLiteral("msg"), msg}};
    if (!input.isUndefined())
        item.insert(QStringLiteral("input"), input);
    return item;
}

FakeReply validationError(const QList<QJsonObject> &issues)
{
    QJsonArray detail;
    for (const QJsonObject &item : issues)
        detail.append(item);
    return FakeReply::json(422, QJsonObject {{QStringLiteral("detail"), detail}});
}

std::optional<FakeReply> bodyObject(const RecordedRequest &request, QJsonObject *object)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError) {
        return validationError(
            {issue(QStringLiteral("json_invalid"), QJsonArray {QStringLiteral("body"), error.offset},
                QStringLiteral("JSON decode error"), QJsonObject())});
    }
    if (!doc.isObject()) {
        return validationError(
            {issue(QStringLiteral("model_attributes_type"), QJsonArray {QStringLiteral("body")},
                QStringLiteral("Input should be a valid dictionary or object to extract fields from"))});
    }
    *object = doc.object();
    return std::nullopt;
}

std::optional<FakeReply> pathInt(const QString &segment, const QString &name, qint64 *value)
{
    bool ok = false;
    *value = segment.toLongLong(&ok);
    if (ok)
        return std::nullopt;
    return validationError({issue(QStringLiteral("int_parsing"), QJsonArray {QStringLiteral("path"), name},
        QStringLiteral("Input should be a valid integer, unable to parse string as an integer"), segment)});
}

std::optional<FakeReply> queryInt(const RecordedRequest &request, const QString &name, qint64 *value)
{
    if (!request.hasQuery(name))
        return std::nullopt;
    bool ok = false;
    const QString text = request.query(name);
    *value = text.toLongLong(&ok);
    if (ok)
        return std::nullopt;
    return validationError({issue(QStringLiteral("int_parsing"), QJsonArray {QStringLiteral("query"), name},
        QStringLiteral("Input should be a valid integer, unable to parse string as an integer"), text)});
}

FakeReply message(int status, const QString &text)
{
    return FakeReply::json(status, QJsonObject {{QStringLiteral("message"), text}});
}

// pydantic's string length check for a required `str` field.
std::optional<QJsonObject> checkString(
    const QJsonObject &body, const QString &key, int minLength, int maxLength)
{
    const QJsonValue v = body.value(key);
    if (v.isUndefined())
        return issue(QStringLiteral("missing"), QJsonArray {QStringLiteral("body"), key},
            QStringLiteral("Field required"), body);
    if (!v.isString())
        return issue(QStringLiteral("string_type"), QJsonArray {QStringLiteral("body"), key},
            QStringLiteral("Input should be a valid string"), v);
    if (v.toString().size() < minLength)
        return issue(QStringLiteral("string_too_short"), QJsonArray {QStringLiteral("body"), key},
            (minLength == 1 ? QStringLiteral("String should have at least 1 character")
                            : QStringLiteral("String should have at least %1 characters").arg(minLength)),
            v);
    if (maxLength > 0 && v.toString().size() > maxLength)
        return issue(QStringLiteral("string_too_long"), QJsonArray {QStringLiteral("body"), key},
            QStringLiteral("String should have at most %1 characters").arg(maxLength), v);
    return std::nullopt;
}

// pydantic's int check with bounds for an optional field with a default.
std::optional<QJsonObject> checkInt(
    const QJsonObject &body, const QString &key, qint64 minimum, qint64 maximum, qint64 *value)
{
    const QJsonValue v = body.value(key);
    if (v.isUndefined())
        return std::nullopt;
    if (!v.isDouble() || v.toDouble() != static_cast<double>(v.toInteger()))
        return issue(QStringLiteral("int_type"), QJsonArray {QStringLiteral("body"), key},
            QStringLiteral("Input should be a valid integer"), v);
    *value = v.toInteger();
    if (*value < minimum)
        return issue(QStringLiteral("greater_than_equal"), QJsonArray {QStringLiteral("body"), key},
            QStringLiteral("Input should be greater than or equal to %1").arg(minimum), v);
    if (*value > maximum)
        return issue(QStringLiteral("less_than_equal"), QJsonArray {QStringLiteral("body"), key},
            QStringLiteral("Input should be less than or equal to %1").arg(maximum), v);
    return std::nullopt;
}

QList<QJsonObject> standardNodes()
{
    QJsonObject online {
        {QStringLiteral("hostname"), QStringLiteral("node-a")},
        {QStringLiteral("url"), QStringLiteral("http://10.0.0.11:8001")},
        {QStringLiteral("total_cores"), 16},
        {QStringLiteral("cores_in_use"), 6},
        {QStringLiteral("available_cores"), 10},
        {QStringLiteral("status"), QStringLiteral("online")},
        {QStringLiteral("last_heartbeat"), QStringLiteral("2026-11-22T02:24:37.123456")},
        {QStringLiteral("numa_topology"),
            QJsonObject {{QStringLiteral("0"), QJsonArray {0, 1, 2, 3, 4, 5, 6, 7}},
                {QStringLiteral("1"), QJsonArray {8, 9, 10, 11, 12, 13, 14, 15}}}},
        {QStringLiteral("gpu_info"),
            QJsonArray {QJsonObject {{QStringLiteral("gpu_id"), 0},
                {QStringLiteral("name"), QStringLiteral("RTX 4090")},
                {QStringLiteral("memory_total_mib"), 24564}, {QStringLiteral("gpu_utilization"), 37.5}}}},
        {QStringLiteral("cpu_percent"), 42.5},
        {QStringLiteral("memory_percent"), 61.25},
        {QStringLiteral("memory_used_bytes"), qint64(41'000'000'000)},
        {QStringLiteral("memory_total_bytes"), qint64(67'000'000'000)},
        {QStringLiteral("current_avg_temp"), 55.5},
        {QStringLiteral("current_max_temp"), 71},
        {QStringLiteral("vm_capable"), true},
        {QStringLiteral("vfio_gpus"), QJsonArray()},
        {QStringLiteral("runner_version"), QStringLiteral("0.4.0")},
    };
    QJsonObject offline {
        {QStringLiteral("hostname"), QStringLiteral("node-b")},
        {QStringLiteral("url"), QStringLiteral("http://10.0.0.12:8001")},
        {QStringLiteral("total_cores"), 8},
        {QStringLiteral("cores_in_use"), QStringLiteral("N/A")},
        {QStringLiteral("available_cores"), 0},
        {QStringLiteral("status"), QStringLiteral("offline")},
        {QStringLiteral("last_heartbeat"), QStringLiteral("2026-11-22T01:00:00")},
        {QStringLiteral("numa_topology"), QJsonValue()},
        {QStringLiteral("gpu_info"), QJsonArray()},
        {QStringLiteral("cpu_percent"), QJsonValue()},
        {QStringLiteral("memory_percent"), QJsonValue()},
        {QStringLiteral("memory_used_bytes"), QJsonValue()},
        {QStringLiteral("memory_total_bytes"), QJsonValue()},
        {QStringLiteral("current_avg_temp"), QJsonValue()},
        {QStringLiteral("current_max_temp"), QJsonValue()},
        {QStringLiteral("vm_capable"), false},
        {QStringLiteral("vfio_gpus"), QJsonArray()},
        {QStringLiteral("runner_version"), QJsonValue()},
    };
    return {online, offline};
}

QJsonObject standardHealth()
{
    const auto sampleNode = [](const QString &heartbeat, double cpu) {
        return QJsonObject {{QStringLiteral("hostname"), QStringLiteral("node-a")},
            {QStringLiteral("status"), QStringLiteral("online")},
            {QStringLiteral("last_heartbeat"), heartbeat}, {QStringLiteral("cpu_percent"), cpu},
            {QStringLiteral("memory_percent"), 61.25},
            {QStringLiteral("memory_used_bytes"), qint64(41'000'000'000)},
            {QStringLiteral("memory_total_bytes"), qint64(67'000'000'000)},
            {QStringLiteral("total_cores"), 16},
            {QStringLiteral("numa_topology"), QJsonObject {{QStringLiteral("0"), QJsonArray {0, 1}}}},
            {QStringLiteral("current_avg_temp"), 55.5}, {QStringLiteral("current_max_temp"), 71},
            {QStringLiteral("gpu_info"), QJsonArray()}};
    };
    const auto aggregate = [](const QString &lastUpdated, double cpu) {
        return QJsonObject {{QStringLiteral("totalNodes"), 2}, {QStringLiteral("onlineNodes"), 1},
            {QStringLiteral("totalCores"), 24}, {QStringLiteral("totalMemBytes"), qint64(67'000'000'000)},
            {QStringLiteral("usedMemBytes"), qint64(41'000'000'000)}, {QStringLiteral("avgCpuPercent"), cpu},
            {QStringLiteral("avgMemPercent"), 61.19}, {QStringLiteral("maxAvgCpuTemp"), 55.5},
            {QStringLiteral("maxMaxCpuTemp"), 71.0}, {QStringLiteral("lastUpdated"), lastUpdated}};
    };
    return {{QStringLiteral("nodes"),
                QJsonArray {QJsonArray {sampleNode(QStringLiteral("2026-11-22T02:24:36"), 40.0)},
                    QJsonArray {sampleNode(QStringLiteral("2026-11-22T02:24:37.123456"), 42.5)}}},
        {QStringLiteral("aggregate"),
            QJsonArray {aggregate(QStringLiteral("2026-11-22T02:24:36"), 40.0),
                aggregate(QStringLiteral("2026-11-22T02:24:37.123456"), 42.5)}}};
}

} // namespace rk::test::fakejson
