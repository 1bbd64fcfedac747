#include "AppSettings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace rk {

namespace {
const QString kRecentKey = QStringLiteral("files/recent");
const QString kLastKey = QStringLiteral("files/last");
const QString kLastReadOnlyKey = QStringLiteral("files/lastReadOnly");
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kApprovalPollKey = QStringLiteral("approvals/pollSeconds");
constexpr int kDefaultApprovalPollSeconds = 15;

QString normalized(const QString &path)
{
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}
} // namespace

AppSettings::AppSettings(std::unique_ptr<QSettings> settings, QObject *parent)
    : QObject(parent), m_settings(std::move(settings))
{
}

AppSettings::~AppSettings() = default;

QStringList AppSettings::recentFiles() const
{
    return m_settings->value(kRecentKey).toStringList();
}

void AppSettings::addRecentFile(const QString &path)
{
    if (path.isEmpty())
        return;
    const QString clean = normalized(path);
    QStringList files = recentFiles();
    files.removeAll(clean);
    files.prepend(clean);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    writeRecent(files);
}

void AppSettings::removeRecentFile(const QString &path)
{
    QStringList files = recentFiles();
    if (files.removeAll(normalized(path)) > 0)
        writeRecent(files);
}

void AppSettings::clearRecentFiles()
{
    writeRecent({});
}

void AppSettings::writeRecent(const QStringList &files)
{
    m_settings->setValue(kRecentKey, files);
    Q_EMIT recentFilesChanged();
}

QString AppSettings::lastDatabase() const
{
    return m_settings->value(kLastKey).toString();
}

QList<int> AppSettings::approvalPollChoices()
{
    return {5, 15, 30, 60, 300};
}

int AppSettings::approvalPollSeconds() const
{
    const int seconds = m_settings->value(kApprovalPollKey, kDefaultApprovalPollSeconds).toInt();
    // A value edited by hand or from another version: the default rather than a hammering poll.
    return approvalPollChoices().contains(seconds) ? seconds : kDefaultApprovalPollSeconds;
}

void AppSettings::setApprovalPollSeconds(int seconds)
{
    if (!approvalPollChoices().contains(seconds) || seconds == approvalPollSeconds())
        return;
    m_settings->setValue(kApprovalPollKey, seconds);
    Q_EMIT approvalPollSecondsChanged(seconds);
}

bool AppSettings::lastReadOnly() const
{
    return m_settings->value(kLastReadOnlyKey, false).toBool();
}

void AppSettings::setLastDatabase(const QString &path, bool readOnly)
{
    m_settings->setValue(kLastKey, normalized(path));
    m_settings->setValue(kLastReadOnlyKey, readOnly);
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings->value(kGeometryKey).toByteArray();
}

QByteArray AppSettings::windowState() const
{
    return m_settings->value(kStateKey).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry, const QByteArray &state)
{
    m_settings->setValue(kGeometryKey, geometry);
    m_settings->setValue(kStateKey, state);
}

QByteArray AppSettings::tableHeaderState(const QString &key) const
{
    return m_settings->value(QStringLiteral("tables/") + key + QStringLiteral("/header")).toByteArray();
}

void AppSettings::setTableHeaderState(const QString &key, const QByteArray &state)
{
    m_settings->setValue(QStringLiteral("tables/") + key + QStringLiteral("/header"), state);
}

void AppSettings::sync()
{
    m_settings->sync();
}

} // namespace rk
