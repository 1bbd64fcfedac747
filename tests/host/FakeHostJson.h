#pragma once

#include "FakeHttpServer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// JSON helpers of the fake host: the host's value formats and FastAPI's validation answers.
namespace rk::test::fakejson {

QJsonValue nullable(const QString &text); // a null QString is JSON null
QJsonArray intArray(const QList<int> &values);
// Python's datetime.isoformat() of a naive local time: microseconds only when not zero.
QString apiTime(const QDateTime &local);
// 64 lower-case hex characters, distinct per seed (tokens, sessions, invitations).
QString randomHex(int seed);

// One item of a 422 `detail` list, as pydantic v2 writes it. `loc` items are strings or ints.
QJsonObject issue(
    const QString &type, const QJsonArray &loc, const QString &msg, const QJsonValue &input = {});
FakeReply validationError(const QList<QJsonObject> &issues);

// The request body as a JSON object; a 422 reply when it is not JSON or not an object.
std::optional<FakeReply> bodyObject(const RecordedRequest &request, QJsonObject *object);
// A path segment as an int, like FastAPI's `task_id: int`; a 422 reply naming `name` otherwise.
std::optional<FakeReply> pathInt(const QString &segment, const QString &name, qint64 *value);
// An optional query int (`limit`, `offset`, `lines`), with FastAPI's 422 for a non-integer.
std::optional<FakeReply> queryInt(const RecordedRequest &request, const QString &name, qint64 *value);

// FastAPI's {"message": text}.
FakeReply message(int status, const QString &text);
// pydantic's check of a required `str` field with a length range (maxLength 0: no maximum).
std::optional<QJsonObject> checkString(
    const QJsonObject &body, const QString &key, int minLength, int maxLength);
// pydantic's check of an optional int field with bounds; `value` is left alone when absent.
std::optional<QJsonObject> checkInt(
    const QJsonObject &body, const QString &key, qint64 minimum, qint64 maximum, qint64 *value);

// Two nodes: node-a online (NUMA keys as strings, a GPU), node-b offline ("N/A" cores in use).
QList<QJsonObject> standardNodes();
// Two one-second health samples.
QJsonObject standardHealth();

} // namespace rk::test::fakejson
