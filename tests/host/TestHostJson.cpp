#include "RkTest.h"
#include "host/HostClient.h"
#include "host/HostErrors.h"
#include "host/HostJson.h"
#include "host/HostParsers.h"

#include <QFile>
#include <QJsonArray>

using namespace rk;
using namespace Qt::StringLiterals;

namespace {

// A snowflake as the host makes them, far above 2^53 (9007199254740992).
constexpr qint64 kSnowflake = 7436483919073538049LL;

QJsonValue parsed(const QByteArray &json)
{
    return hostjson::parseValue(json).value();
}

QByteArray taskJson(const QByteArray &taskId, const QByteArray &extra = {})
{
    return "{\"task_id\": " + taskId
        + ", \"task_type\": \"command\", \"batch_id\": null, \"name\": \"n\", \"owner_id\": 3, "
          "\"owner_username\": "
          "\"ulrich\", \"approval_status\": null, \"approved_by_id\": null, \"approved_by_username\": null, "
          "\"approved_at\": null, \"rejection_reason\": null, \"command\": \"echo\", \"arguments\": [\"a\", "
          "\"b\"], "
          "\"env_vars\": {\"K\": \"V\"}, \"required_cores\": 2, \"required_gpus\": [0, 1], "
          "\"required_memory_bytes\": null, \"target_numa_node_id\": null, \"status\": \"running\", "
          "\"assigned_node\": \"node-a\", \"container_name\": \"c\", \"docker_image_name\": \"i\", "
          "\"docker_privileged\": false, \"docker_mount_dirs\": [], \"ssh_port\": null, \"vps_backend\": "
          "\"docker\", "
          "\"vm_image\": null, \"vm_disk_size\": null, \"vm_ip\": null, \"stdout_path\": \"/o\", "
          "\"stderr_path\": "
          "\"/e\", \"exit_code\": null, \"error_message\": null, \"submitted_at\": \"2026-11-22T02:22:00\", "
          "\"started_at\": \"2026-11-22T02:24:37.123456\", \"completed_at\": null"
        + extra + "}";
}

} // namespace

class TestHostJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void idsAcceptStringsAndIntegers_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("snowflake as string") << QByteArray("\"7436483919073538049\"") << kSnowflake;
        QTest::newRow("snowflake as number") << QByteArray("7436483919073538049") << kSnowflake;
        QTest::newRow("2^53 + 1 as number") << QByteArray("9007199254740993") << qint64(9007199254740993LL);
        QTest::newRow("small") << QByteArray("3") << qint64(3);
        QTest::newRow("anonymous") << QByteArray("-1") << qint64(-1);
        QTest::newRow("max") << QByteArray("\"9223372036854775807\"") << std::numeric_limits<qint64>::max();
    }
    void idsAcceptStringsAndIntegers()
    {
        QFETCH(QByteArray, json);
        QFETCH(qint64, expected);
        const Result<qint64> id = hostjson::toId(parsed(json), u"x"_s);
        QVERIFY2(id.ok(), qPrintable(id.ok() ? QString() : id.error().message));
        QCOMPARE(*id, expected);
    }

    void idsRefuseEverythingElse_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("fraction") << QByteArray("1.5") << u"fraction"_s;
        QTest::newRow("overflowing number") << QByteArray("9223372036854775808") << u"out of range"_s;
        QTest::newRow("huge exponent") << QByteArray("1e30") << u"out of range"_s;
        QTest::newRow("overflowing string") << QByteArray("\"9223372036854775808\"") << u"out of range"_s;
        QTest::newRow("empty string") << QByteArray("\"\"") << u"expected an id"_s;
        QTest::newRow("letters") << QByteArray("\"12a\"") << u"expected an id"_s;
        QTest::newRow("space") << QByteArray("\" 12\"") << u"expected an id"_s;
        QTest::newRow("plus") << QByteArray("\"+12\"") << u"expected an id"_s;
        QTest::newRow("hex") << QByteArray("\"0x10\"") << u"expected an id"_s;
        QTest::newRow("exponent string") << QByteArray("\"1e3\"") << u"expected an id"_s;
        QTest::newRow("null") << QByteArray("null") << u"null"_s;
        QTest::newRow("bool") << QByteArray("true") << u"true"_s;
        QTest::newRow("object") << QByteArray("{}") << u"an object"_s;
    }
    void idsRefuseEverythingElse()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        const Result<qint64> id = hostjson::toId(parsed(json), u"tasks[2].task_id"_s);
        QVERIFY(!id.ok());
        QCOMPARE(id.error().code, Error::Code::Corrupt);
        QVERIFY2(id.error().message.contains(u"tasks[2].task_id"_s), qPrintable(id.error().message));
        QVERIFY2(id.error().message.contains(mentions), qPrintable(id.error().message));
    }

    void integersRefuseStringsAndRanges()
    {
        QVERIFY(!hostjson::toInteger(parsed("\"4\""), u"n"_s, 0, 10).ok());
        QVERIFY(!hostjson::toInteger(parsed("11"), u"n"_s, 0, 10).ok());
        QVERIFY(!hostjson::toInteger(parsed("2.5"), u"n"_s, 0, 10).ok());
        QCOMPARE(*hostjson::toInteger(parsed("10"), u"n"_s, 0, 10), qint64(10));
    }

    void malformedJsonIsAnErrorNotACrash()
    {
        const auto bad = hostjson::parseValue("{\"id\": 1, ");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, Error::Code::Corrupt);
        QVERIFY2(bad.error().message.contains(u"not valid JSON"_s), qPrintable(bad.error().message));
        QVERIFY(!hostjson::parseValue("").ok());
        QVERIFY(!hostjson::parseValue("[1] [2]").ok());
        QCOMPARE(hostjson::parseValue("\"text\"")->toString(), u"text"_s);
    }

    void taskKeepsSnowflakesExactFromStringsOrNumbers()
    {
        const auto fromString = hostparse::taskBody(taskJson("\"7436483919073538049\""));
        QVERIFY2(fromString.ok(), qPrintable(fromString.ok() ? QString() : fromString.error().message));
        QCOMPARE(fromString->taskId, kSnowflake);
        const auto fromNumber = hostparse::taskBody(taskJson("7436483919073538049"));
        QVERIFY(fromNumber.ok());
        QCOMPARE(fromNumber->taskId, kSnowflake);
        // The value is a real trap: through a double it would come back different.
        QVERIFY(static_cast<qint64>(static_cast<double>(kSnowflake)) != kSnowflake);

        const HostTask &t = *fromString;
        QCOMPARE(t.status, HostTaskStatus::Running);
        QCOMPARE(t.statusText, u"running"_s);
        QCOMPARE(t.arguments, QStringList({u"a"_s, u"b"_s}));
        QCOMPARE(t.envVars.value(u"K"_s), u"V"_s);
        QCOMPARE(t.requiredGpus, QList<int>({0, 1}));
        QVERIFY(!t.batchId.has_value());
        QVERIFY(!t.exitCode.has_value());
        QCOMPARE(t.ownerId, std::optional<qint64>(3));
        QVERIFY(t.approvalStatus.isNull());
        // Timestamps with and without microseconds.
        QVERIFY(t.submittedAt.has_value());
        QCOMPARE(t.submittedAt->micros, 0);
        QCOMPARE(t.startedAt->micros, 123456);
        QCOMPARE(hosttime::toDbText(*t.startedAt), u"2026-11-22 02:24:37.123456"_s);
        QCOMPARE(hosttime::toDbText(*t.submittedAt), u"2026-11-22 02:22:00"_s);
        QVERIFY(!t.completedAt.has_value());
    }

    void unknownStatusKeepsItsText()
    {
        const QByteArray json = taskJson("\"1\"").replace("\"running\"", "\"hibernating\"");
        const auto t = hostparse::taskBody(json);
        QVERIFY(t.ok());
        QCOMPARE(t->status, HostTaskStatus::Unknown);
        QCOMPARE(t->statusText, u"hibernating"_s);
        QCOMPARE(hoststatus::fromString(u"killed_oom"), HostTaskStatus::KilledOom);
        QCOMPARE(hoststatus::toString(HostTaskStatus::PendingApproval), u"pending_approval"_s);
    }

    void malformedFieldsNameTheirPath_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("path");
        const QByteArray good = taskJson("\"1\"");
        QTest::newRow("cores as text") << "[" + good + ", "
                + QByteArray(good).replace("\"required_cores\": 2", "\"required_cores\": \"2\"")
                + "]" << u"[1].required_cores"_s;
        QTest::newRow("fractional cores")
            << "[" + QByteArray(good).replace("\"required_cores\": 2", "\"required_cores\": 2.5") + "]"
            << u"[0].required_cores"_s;
        QTest::newRow("gpu list item")
            << "[" + QByteArray(good).replace("[0, 1]", "[0, \"1\"]") + "]" << u"[0].required_gpus[1]"_s;
        QTest::newRow("bad timestamp") << "[" + QByteArray(good).replace("2026-11-22T02:22:00", "yesterday")
                + "]" << u"[0].submitted_at"_s;
        QTest::newRow("env value") << "[" + QByteArray(good).replace("\"V\"", "3") + "]"
                                   << u"[0].env_vars.K"_s;
        QTest::newRow("missing status")
            << "[" + QByteArray(good).replace("\"status\": \"running\",", "") + "]" << u"[0].status"_s;
        QTest::newRow("fractional id") << "[" + taskJson("1.5") + "]" << u"[0].task_id"_s;
        QTest::newRow("privileged as int") << "["
                + QByteArray(good).replace("\"docker_privileged\": false", "\"docker_privileged\": 0")
                + "]" << u"[0].docker_privileged"_s;
        QTest::newRow("not a list") << QByteArray("{\"detail\": \"x\"}") << u"answer"_s;
        QTest::newRow("item not an object") << QByteArray("[1]") << u"[0]"_s;
    }
    void malformedFieldsNameTheirPath()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, path);
        const auto tasks = hostparse::tasksBody(json);
        QVERIFY(!tasks.ok());
        QCOMPARE(tasks.error().code, Error::Code::Corrupt);
        QVERIFY2(tasks.error().message.contains(path), qPrintable(tasks.error().message));
    }

    void usersAreStrict()
    {
        const auto ok = hostparse::usersBody(R"([{"id": 3, "username": "ulrich", "display_name": null,
            "role": "user", "is_active": true, "created_at": "2026-11-21T10:00:00.000001"}])");
        QVERIFY(ok.ok());
        QCOMPARE(ok->size(), 1);
        QVERIFY(ok->first().displayName.isNull());
        QCOMPARE(ok->first().createdAt->micros, 1);
        QCOMPARE(ok->first().roleLevel(), Role::User);
        QVERIFY(!ok->first().isAnonymous());

        const auto missing = hostparse::userBody(R"({"id": 3, "role": "user", "is_active": true})");
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(u"username"_s), qPrintable(missing.error().message));
        QVERIFY(missing.error().message.contains(u"missing"_s));
        const auto activeText
            = hostparse::userBody(R"({"id": 3, "username": "u", "role": "user", "is_active": "yes"})");
        QVERIFY(!activeText.ok());
        QVERIFY(activeText.error().message.contains(u"is_active"_s));
    }

    void anonymousMeIsRecognised()
    {
        const auto anon
            = hostparse::userBody(R"({"id": -1, "username": "_anonymous", "display_name": "Anonymous",
            "role": "anony", "is_active": true, "created_at": null})");
        QVERIFY(anon.ok());
        QVERIFY(anon->isAnonymous());
        QCOMPARE(anon->roleLevel(), Role::Anony);
    }

    void nodesHandleNotAvailableAndStringKeys()
    {
        const QByteArray json = R"([
            {"hostname": "a", "url": "a:8001", "total_cores": 8, "cores_in_use": 3, "available_cores": 5,
             "status": "online", "last_heartbeat": "2026-11-22T02:24:37.5", "numa_topology": {"0": [0, 1], "1": [2, 3]},
             "gpu_info": [{"gpu_id": 0, "name": "X"}], "cpu_percent": 12, "memory_percent": 5.5,
             "memory_used_bytes": 1, "memory_total_bytes": 2, "current_avg_temp": null, "current_max_temp": 70.5,
             "vm_capable": true, "vfio_gpus": [], "runner_version": "0.4.0"},
            {"hostname": "b", "url": "b:8001", "total_cores": 4, "cores_in_use": "N/A", "available_cores": 0,
             "status": "offline", "last_heartbeat": "2026-11-22T01:00:00", "numa_topology": null, "gpu_info": [],
             "vm_capable": false}])";
        const auto nodes = hostparse::nodesBody(json);
        QVERIFY2(nodes.ok(), qPrintable(nodes.ok() ? QString() : nodes.error().message));
        QCOMPARE(nodes->size(), 2);
        const HostNode &a = nodes->at(0);
        QCOMPARE(a.coresInUse, std::optional<int>(3));
        QVERIFY(a.hasNumaTopology);
        QCOMPARE(a.numaTopology.value(1), QList<int>({2, 3}));
        QCOMPARE(a.cpuPercent, std::optional<double>(12.0));
        QVERIFY(!a.currentAvgTemp.has_value());
        QCOMPARE(a.gpuInfo.size(), 1);
        QVERIFY(a.isOnline());
        const HostNode &b = nodes->at(1);
        QVERIFY(!b.coresInUse.has_value());
        QVERIFY(!b.hasNumaTopology);
        QVERIFY(!b.isOnline());

        const auto busy = hostparse::nodesBody(QByteArray(json).replace("\"N/A\"", "\"busy\""));
        QVERIFY(!busy.ok());
        QVERIFY2(busy.error().message.contains(u"[1].cores_in_use"_s), qPrintable(busy.error().message));
        const auto badKey
            = hostparse::nodesBody(QByteArray(json).replace("\"1\": [2, 3]", "\"one\": [2, 3]"));
        QVERIFY(!badKey.ok());
        QVERIFY2(badKey.error().message.contains(u"numa_topology.one"_s), qPrintable(badKey.error().message));
    }

    void vpsAssignmentsUseNumbers()
    {
        const auto a = hostparse::vpsAssignmentsBody(R"({"task_id": 7436483919073538049, "assignments": [
            {"user_id": 3, "username": "ulrich", "display_name": null, "assigned_at": "2026-11-22T02:10:00.000100"}]})");
        QVERIFY(a.ok());
        QCOMPARE(a->taskId, kSnowflake);
        QCOMPARE(a->assignments.first().userId, qint64(3));
        QCOMPARE(a->assignments.first().assignedAt->micros, 100);
        const auto assigned = hostparse::vpsAssignResultBody(
            R"({"message": "VPS 7436483919073538049 assigned to 2 user(s).", "task_id": 7436483919073538049, "assigned_users": [3, 4]})");
        QVERIFY(assigned.ok());
        QCOMPARE(assigned->taskId, kSnowflake);
        QCOMPARE(assigned->assignedUsers, QList<qint64>({3, 4}));
    }

    void healthSamples()
    {
        const auto h = hostparse::healthBody(R"({"nodes": [[{"hostname": "a", "status": "online",
            "last_heartbeat": "2026-11-22T02:24:36", "cpu_percent": 40.0, "memory_percent": 1, "memory_used_bytes": 5,
            "memory_total_bytes": 10, "total_cores": 16, "numa_topology": {"0": [0]}, "current_avg_temp": 50,
            "current_max_temp": 60, "gpu_info": []}]],
            "aggregate": [{"totalNodes": 1, "onlineNodes": 1, "totalCores": 16, "totalMemBytes": 10, "usedMemBytes": 5,
            "avgCpuPercent": 0, "avgMemPercent": 50.0, "maxAvgCpuTemp": 50, "maxMaxCpuTemp": 60,
            "lastUpdated": "2026-11-22T02:24:36.000001"}]})");
        QVERIFY2(h.ok(), qPrintable(h.ok() ? QString() : h.error().message));
        QCOMPARE(h->nodes.size(), 1);
        QCOMPARE(h->nodes.first().first().totalCores, std::optional<int>(16));
        QCOMPARE(h->aggregate.first().totalCores, qint64(16));
        QCOMPARE(h->aggregate.first().avgCpuPercent, 0.0);
        QCOMPARE(h->aggregate.first().lastUpdated->micros, 1);
    }

    void invitationsAndTokens()
    {
        const auto inv
            = hostparse::invitationsBody(R"([{"id": 1, "token": "ab", "role": "viewer", "group_id": null,
            "max_usage": 2, "usage_count": 2, "remaining_uses": 0, "expires_at": "2026-11-25T00:00:00",
            "is_valid": false, "created_by_id": null, "created_at": "2026-11-21T08:00:00.25"}])");
        QVERIFY(inv.ok());
        QVERIFY(!inv->first().valid);
        QVERIFY(!inv->first().createdById.has_value());
        QVERIFY(!inv->first().groupId.has_value());
        const auto created = hostparse::createdTokenBody(
            R"({"id": 9, "name": "cli", "token": "", "created_at": "2026-11-21T08:00:00"})");
        QVERIFY(!created.ok()); // an empty plaintext token is useless: refuse it
        const auto tokens = hostparse::tokensBody(
            R"([{"id": 2, "name": "cli", "last_used": null, "created_at": "2026-11-21T08:00:00"}])");
        QVERIFY(tokens.ok());
        QVERIFY(!tokens->first().lastUsed.has_value());
    }

    void detailTextFlattensBothShapes()
    {
        QCOMPARE(hosterrors::detailText(R"({"detail": "Token not found"})"), u"Token not found"_s);
        // pydantic v2
        QCOMPARE(hosterrors::detailText(R"({"detail": [{"type": "missing", "loc": ["body", "password"],
            "msg": "Field required", "input": {}}, {"type": "missing", "loc": ["query", "token"], "msg": "Field required"}]})"),
            u"password: Field required; query.token: Field required"_s);
        // pydantic v1
        QCOMPARE(
            hosterrors::detailText(
                R"({"detail": [{"loc": ["body", "max_usage"], "msg": "ensure this value is greater than or equal to 1", "type": "value_error.number.not_ge"}]})"),
            u"max_usage: ensure this value is greater than or equal to 1"_s);
        QCOMPARE(hosterrors::detailText("<html>Bad Gateway</html>"), QString());
        QCOMPARE(hosterrors::detailText(R"({"message": "x"})"), QString());
    }

    void httpStatusesMapToCodesAndSentences_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::addColumn<bool>("transient");
        using C = Error::Code;
        QTest::newRow("400") << 400 << QByteArray(R"({"detail": "Cannot demote yourself"})")
                             << int(C::Invalid) << u"Cannot demote yourself"_s << false;
        QTest::newRow("401") << 401 << QByteArray(R"({"detail": "Not authenticated"})") << int(C::Refused)
                             << u"Not signed in"_s << false;
        QTest::newRow("403") << 403 << QByteArray(R"({"detail": "Admin access required"})") << int(C::Refused)
                             << u"Admin access required"_s << false;
        QTest::newRow("404 row") << 404 << QByteArray(R"({"detail": "User not found"})") << int(C::NotFound)
                                 << u"User not found"_s << false;
        QTest::newRow("404 route") << 404 << QByteArray(R"({"detail": "Not Found"})") << int(C::NotFound)
                                   << u"no endpoint for GET /api/x"_s << false;
        QTest::newRow("409") << 409
                             << QByteArray(
                                    R"x({"detail": "Task is not pending approval (status: running)"})x")
                             << int(C::Conflict) << u"status: running"_s << false;
        QTest::newRow("422")
            << 422
            << QByteArray(
                   R"({"detail": [{"loc": ["body", "name"], "msg": "String should have at least 1 character"}]})")
            << int(C::Invalid) << u"name: String should have at least 1 character"_s << false;
        QTest::newRow("500") << 500 << QByteArray("Internal Server Error") << int(C::Internal) << u"500"_s
                             << false;
        QTest::newRow("502") << 502 << QByteArray("<html>") << int(C::Io) << u"502"_s << true;
        QTest::newRow("503 proxy") << 503 << QByteArray("<html>") << int(C::Io) << u"503"_s << true;
        QTest::newRow("503 host") << 503 << QByteArray(R"({"detail": "Authentication is not enabled"})")
                                  << int(C::Io) << u"Authentication is not enabled"_s << false;
        QTest::newRow("504") << 504 << QByteArray() << int(C::Io) << u"504"_s << true;
    }
    void httpStatusesMapToCodesAndSentences()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        QFETCH(bool, transient);
        const HostError e = hosterrors::fromHttpStatus(status, body, u"GET /api/x"_s);
        QCOMPARE(e.kind, HostError::Kind::Http);
        QCOMPARE(e.httpStatus, status);
        QCOMPARE(int(e.code()), code);
        QVERIFY2(e.message().contains(mentions), qPrintable(e.message()));
        QCOMPARE(hosterrors::isTransient(e), transient);
    }

    void networkErrorsAndLimits()
    {
        const QUrl url(u"http://cluster:8000"_s);
        const HostError refused
            = hosterrors::fromNetworkError(QNetworkReply::ConnectionRefusedError, u"x"_s, url);
        QCOMPARE(refused.code(), Error::Code::Io);
        QVERIFY(refused.message().contains(u"cluster:8000"_s));
        QVERIFY(hosterrors::isTransient(refused));
        QVERIFY(!hosterrors::isTransient(
            hosterrors::fromNetworkError(QNetworkReply::HostNotFoundError, u"x"_s, url)));
        QVERIFY(hosterrors::isTransient(hosterrors::timeout(1500, url)));
        QVERIFY(hosterrors::timeout(1500, url).message().contains(u"1.5"_s));
        const HostError big = hosterrors::oversized(32 * 1024 * 1024, url);
        QCOMPARE(big.kind, HostError::Kind::Oversized);
        QVERIFY(big.message().contains(u"oversized"_s));
        QVERIFY(!hosterrors::isTransient(big));
        QCOMPARE(hosterrors::cancelled().code(), Error::Code::Cancelled);
        QCOMPARE(hosterrors::fromNetworkError(QNetworkReply::OperationCanceledError, u"x"_s, url).kind,
            HostError::Kind::Cancelled);
    }

    void tlsErrorsDescribeTheCertificate()
    {
        QFile file(qEnvironmentVariable("RK_TEST_SOURCE_DIR") + u"/host/data/fakehost-cert.pem"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QSslCertificate cert(&file, QSsl::Pem);
        QVERIFY(!cert.isNull());
        const HostError e = hosterrors::tls(
            cert, {QSslError(QSslError::SelfSignedCertificate, cert)}, QUrl(u"https://127.0.0.1:8443"_s));
        QCOMPARE(e.kind, HostError::Kind::Tls);
        QCOMPARE(e.code(), Error::Code::Refused);
        QVERIFY(!hosterrors::isTransient(e));
        QVERIFY(e.certificate.has_value());
        const QString sha = QString::fromLatin1(cert.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
        QCOMPARE(e.certificate->sha256, sha);
        QCOMPARE(e.certificate->subject, u"Riverkeeper Fake Host"_s);
        QVERIFY(e.certificate->subjectDetails.contains(u"O=Riverkeeper tests"_s));
        QVERIFY(e.certificate->notAfter > e.certificate->notBefore);
        QCOMPARE(e.certificate->errors.size(), 1);
        QVERIFY(e.message().contains(sha));
        QVERIFY(e.message().contains(e.certificate->errors.first()));
        QVERIFY(e.certificate->describe().contains(sha));
    }

    void loopbackAndPlainHttpWarning()
    {
        QVERIFY(HostClient::isLoopback(QUrl(u"http://localhost:8000"_s)));
        QVERIFY(HostClient::isLoopback(QUrl(u"http://127.0.0.1:8000"_s)));
        QVERIFY(HostClient::isLoopback(QUrl(u"http://127.1.2.3"_s)));
        QVERIFY(HostClient::isLoopback(QUrl(u"http://[::1]:8000"_s)));
        QVERIFY(!HostClient::isLoopback(QUrl(u"http://10.0.0.1"_s)));
        QVERIFY(!HostClient::isLoopback(QUrl(u"http://localhost.example.com"_s)));
        QVERIFY(HostClient::plainHttpWarning(QUrl(u"http://127.0.0.1:8000"_s)).isEmpty());
        QVERIFY(HostClient::plainHttpWarning(QUrl(u"https://cluster"_s)).isEmpty());
        const QString warning = HostClient::plainHttpWarning(QUrl(u"http://cluster:8000"_s));
        QVERIFY(warning.contains(u"cluster"_s));
        QVERIFY(warning.contains(u"plain HTTP"_s));
    }

    void endpointUrlKeepsAPathPrefix()
    {
        HostClient client;
        QVERIFY(!client.endpointUrl(u"/api/nodes"_s).isValid());
        client.setBaseUrl(QUrl(u"https://example.org/kohaku/"_s));
        QCOMPARE(client.endpointUrl(u"/api/nodes"_s).toString(), u"https://example.org/kohaku/api/nodes"_s);
        client.setBaseUrl(QUrl(u"ftp://example.org"_s));
        QVERIFY(!client.endpointUrl(u"/api/nodes"_s).isValid());
    }
};

RK_TEST_GUILESS_MAIN(TestHostJson)
#include "TestHostJson.moc"
