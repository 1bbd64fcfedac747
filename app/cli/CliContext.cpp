#include "CliContext.h"

#include "core/HostTime.h"
#include "core/Role.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace rk::cli {

CliContext::CliContext(
    const CliIo &io, const QProcessEnvironment &env, const QString &hostName, const Invocation &invocation)
    : m_io(io), m_env(env), m_hostName(hostName), m_invocation(invocation)
{
}

std::optional<QString> CliContext::readSecret(const char *variable, const QString &prompt)
{
    const QString fromEnv = m_env.value(QString::fromLatin1(variable));
    if (!fromEnv.isEmpty())
        return fromEnv;
    if (m_io.askSecret) {
        auto answer = m_io.askSecret(prompt);
        if (!answer || answer->isEmpty())
            return std::nullopt;
        return answer;
    }
    if (!m_io.in)
        return std::nullopt;
    QByteArray line = m_io.in->readLine();
    // Only the line break is stripped: spaces may be part of a password.
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.isEmpty())
        return std::nullopt;
    return QString::fromUtf8(line);
}

std::optional<QString> CliContext::password(const QString &prompt)
{
    return readSecret(kPasswordVar, prompt);
}

std::optional<QString> CliContext::newPassword(const QString &prompt)
{
    return readSecret(kNewPasswordVar, prompt);
}

std::optional<QString> CliContext::apiToken() const
{
    const QString token = m_env.value(QString::fromLatin1(kTokenVar)).trimmed();
    if (token.isEmpty())
        return std::nullopt;
    return token;
}

void CliContext::write(QIODevice *device, const QString &text)
{
    if (device)
        device->write(text.toUtf8());
}

void CliContext::print(const QString &line)
{
    write(m_io.out, line + QLatin1Char('\n'));
}

void CliContext::printJson(const QJsonValue &value)
{
    QJsonDocument doc;
    if (value.isArray())
        doc = QJsonDocument(value.toArray());
    else
        doc = QJsonDocument(value.toObject());
    if (m_io.out)
        m_io.out->write(doc.toJson(QJsonDocument::Indented));
}

void CliContext::printTable(const QStringList &headers, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QString &h : headers)
        widths << h.size();
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    }
    auto line = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i + 1 < cells.size())
                text += cells.at(i).leftJustified(widths.value(i)) + QLatin1String("  ");
            else
                text += cells.at(i);
        }
        while (text.endsWith(QLatin1Char(' ')))
            text.chop(1);
        print(text);
    };
    line(headers);
    for (const QStringList &row : rows)
        line(row);
}

int CliContext::fail(const QString &message)
{
    QString oneLine = message.simplified();
    write(m_io.err, CliCommandLine::programName() + QLatin1String(": ") + oneLine + QLatin1Char('\n'));
    return ExitFailed;
}

int CliContext::fail(const Error &error)
{
    return fail(error.message);
}

int CliContext::usageError(const QString &message)
{
    fail(message);
    return ExitUsage;
}

void CliContext::warn(const QString &message)
{
    write(m_io.err,
        CliCommandLine::programName() + QLatin1String(": ") + tr("warning: %1").arg(message.simplified())
            + QLatin1Char('\n'));
}

std::optional<CliContext::UserEdit> CliContext::userEdit(int *exitStatus)
{
    UserEdit edit;
    if (has(QStringLiteral("role"))) {
        const QString role = value(QStringLiteral("role"));
        if (!roles::isKnown(role)) {
            *exitStatus
                = usageError(tr("Unknown role \"%1\": use viewer, user, operator or admin.").arg(role));
            return std::nullopt;
        }
        edit.role = role;
        edit.described << tr("role %1").arg(role);
    }
    if (has(QStringLiteral("active"))) {
        const QString text = value(QStringLiteral("active")).toLower();
        if (text == QLatin1String("yes") || text == QLatin1String("true") || text == QLatin1String("1")) {
            edit.active = true;
        } else if (text == QLatin1String("no") || text == QLatin1String("false")
            || text == QLatin1String("0")) {
            edit.active = false;
        } else {
            *exitStatus = usageError(
                tr("--active takes yes or no, not \"%1\".").arg(value(QStringLiteral("active"))));
            return std::nullopt;
        }
        edit.described << (*edit.active ? tr("active") : tr("suspended"));
    }
    if (has(QStringLiteral("display-name"))) {
        edit.displayName = value(QStringLiteral("display-name"));
        edit.described << tr("display name \"%1\"").arg(*edit.displayName);
    }
    if (edit.described.isEmpty()) {
        *exitStatus = usageError(tr("Nothing to change: give --role, --active or --display-name."));
        return std::nullopt;
    }
    return edit;
}

std::optional<qint64> CliContext::taskId(const QString &text, int *exitStatus)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0) {
        *exitStatus
            = usageError(tr("\"%1\" is not a task id (a number such as 7265087451353092097).").arg(text));
        return std::nullopt;
    }
    return id;
}

Result<UserRecord> CliContext::userNamed(const QString &username)
{
    return m_store->userByName(m_actor, username);
}

Result<GroupRecord> CliContext::groupNamed(const QString &name)
{
    auto groups = m_store->listGroups(m_actor);
    if (!groups)
        return groups.error();
    for (const GroupRecord &g : *groups) {
        if (g.name == name)
            return g;
    }
    return Error::make(Error::Code::NotFound, tr("There is no group named \"%1\".").arg(name));
}

QString CliContext::orDash(const QString &text)
{
    return text.isEmpty() ? QStringLiteral("-") : text;
}

QString CliContext::shortTime(const QString &hostDateTime)
{
    if (hostDateTime.isEmpty())
        return QStringLiteral("-");
    return hostDateTime.left(16); // "YYYY-MM-DD HH:MM"
}

QString CliContext::timeText(const std::optional<hosttime::Instant> &instant)
{
    return instant ? hosttime::toDbText(*instant) : QString();
}

QJsonValue CliContext::jsonText(const QString &text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace rk::cli
