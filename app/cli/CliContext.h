#pragma once

#include "CliCommandLine.h"
#include "core/HostTime.h"
#include "store/PlatformStore.h"
#include "store/StoreTypes.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QJsonValue>
#include <QProcessEnvironment>

#include <functional>
#include <memory>
#include <optional>

namespace rk::cli {

class CliHostSession;

// Where riverkeeper-cli reads and writes. main() passes the process's standard streams; tests
// pass buffers.
struct CliIo
{
    QIODevice *in = nullptr; // password lines
    QIODevice *out = nullptr; // results
    QIODevice *err = nullptr; // the one error line
    // Asks for a secret on a terminal without echo (prompt on stderr). Empty when standard input
    // is not a terminal: then the secret is the next line of `in`. nullopt: nothing was entered.
    std::function<std::optional<QString>(const QString &prompt)> askSecret;
};

// What a command handler works with: the parsed invocation, the opened store and the signed-in
// actor, and output helpers that keep stdout and stderr in the documented shape.
class CliContext
{
    Q_DECLARE_TR_FUNCTIONS(rk::cli)

public:
    static constexpr const char *kPasswordVar = "RIVERKEEPER_PASSWORD";
    static constexpr const char *kNewPasswordVar = "RIVERKEEPER_NEW_PASSWORD";
    static constexpr const char *kTokenVar = "RIVERKEEPER_TOKEN";

    CliContext(const CliIo &io, const QProcessEnvironment &env, const QString &hostName,
        const Invocation &invocation);

    const Invocation &invocation() const { return m_invocation; }
    // For CliApplication, which fills in --db or --host from a --profile.
    Invocation &invocation() { return m_invocation; }
    QString argument(int index) const { return m_invocation.arguments.value(index); }
    bool has(const QString &option) const { return m_invocation.has(option); }
    QString value(const QString &option) const { return m_invocation.value(option); }
    bool json() const { return has(QStringLiteral("json")); }
    QString origin() const { return QStringLiteral("cli@") + m_hostName; }

    PlatformStore &store() { return *m_store; }
    void setStore(std::unique_ptr<PlatformStore> store) { m_store = std::move(store); }
    std::unique_ptr<PlatformStore> takeStore() { return std::move(m_store); }
    const Actor &actor() const { return m_actor; }
    void setActor(const Actor &actor) { m_actor = actor; }

    // The host connection of a --host or --profile invocation; nullptr over --db. Not owned.
    CliHostSession *host() const { return m_host; }
    void setHost(CliHostSession *host) { m_host = host; }

    // Secrets: the acting user's password (RIVERKEEPER_PASSWORD, or the next line of standard
    // input) and a new password (RIVERKEEPER_NEW_PASSWORD, or the next line). nullopt: none given.
    std::optional<QString> password(const QString &prompt);
    std::optional<QString> newPassword(const QString &prompt);
    // The API token for --host (RIVERKEEPER_TOKEN); nullopt when unset or empty. Never printed.
    std::optional<QString> apiToken() const;

    // Output. Every line ends with "\n"; text is UTF-8.
    void print(const QString &line = {});
    void printJson(const QJsonValue &value);
    // Aligned columns with a header row; the last column is not padded.
    void printTable(const QStringList &headers, const QList<QStringList> &rows);

    // Errors: one line "riverkeeper-cli: <message>" on stderr; the return value is the exit status.
    int fail(const Error &error);
    int fail(const QString &message);
    int usageError(const QString &message);
    // A warning that does not stop the command: "riverkeeper-cli: warning: <message>" on stderr.
    void warn(const QString &message);

    // The --role, --active and --display-name of "users set", checked (a known role, yes/no).
    // nullopt after a usage error, whose exit status is in *exitStatus.
    struct UserEdit
    {
        std::optional<QString> role;
        std::optional<bool> active;
        std::optional<QString> displayName;
        QStringList described; // "role admin", "suspended", ... for the confirmation line
    };
    std::optional<UserEdit> userEdit(int *exitStatus);
    // A task id as the host writes it (a 64-bit snowflake, exact); nullopt after a usage error.
    std::optional<qint64> taskId(const QString &text, int *exitStatus);

    // Lookups by name on behalf of the actor (the store checks the role).
    Result<UserRecord> userNamed(const QString &username);
    Result<GroupRecord> groupNamed(const QString &name);

    // "-" for a null or empty value; host datetimes shortened to minutes.
    static QString orDash(const QString &text);
    static QString shortTime(const QString &hostDateTime);
    // A timestamp from the host's API as the database writes it ("2026-11-22 02:24:37.5"); null
    // QString when the host sent null.
    static QString timeText(const std::optional<hosttime::Instant> &instant);
    // A JSON string, or null for a null QString.
    static QJsonValue jsonText(const QString &text);

private:
    std::optional<QString> readSecret(const char *variable, const QString &prompt);
    void write(QIODevice *device, const QString &text);

    CliIo m_io;
    QProcessEnvironment m_env;
    QString m_hostName;
    Invocation m_invocation;
    std::unique_ptr<PlatformStore> m_store;
    Actor m_actor;
    CliHostSession *m_host = nullptr;
};

} // namespace rk::cli
