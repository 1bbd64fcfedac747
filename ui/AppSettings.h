#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QStringList>

#include <memory>

class QSettings;

namespace rk {

// The desktop app's own preferences (QSettings): recent platform databases, window geometry and
// table layouts. Paths and layout only: never a password, token or username.
// Built once by the composition root and passed to whoever needs it; used on the UI thread.
class AppSettings : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxRecentFiles = 8;

    // Takes ownership of `settings` (tests pass an INI file in a temporary directory).
    explicit AppSettings(std::unique_ptr<QSettings> settings, QObject *parent = nullptr);
    ~AppSettings() override;

    // Most recent first; absolute paths. Files that vanished are kept (a removable drive may
    // come back); the sign-in dialog says so when one is chosen.
    QStringList recentFiles() const;
    void addRecentFile(const QString &path);
    void removeRecentFile(const QString &path);
    void clearRecentFiles();

    // The database signed into last, and whether it was read-only.
    QString lastDatabase() const;
    bool lastReadOnly() const;
    void setLastDatabase(const QString &path, bool readOnly);

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindowGeometry(const QByteArray &geometry, const QByteArray &state);

    // QHeaderView::saveState() of a page's table, by page key ("users").
    QByteArray tableHeaderState(const QString &key) const;
    void setTableHeaderState(const QString &key, const QByteArray &state);

    // How often a host profile's approval queue is asked for (GET /api/tasks/pending-approval),
    // in seconds: one of approvalPollChoices(), 15 by default. A platform database is watched
    // through its cheap change counter every 2 s instead, whatever this says.
    static QList<int> approvalPollChoices();
    int approvalPollSeconds() const;
    void setApprovalPollSeconds(int seconds);

    void sync();

Q_SIGNALS:
    void recentFilesChanged();
    void approvalPollSecondsChanged(int seconds);

public:
    // The underlying settings, for components that keep their own keys under a group of their
    // own (the tray: "tray/..."). Never for secrets.
    QSettings *qsettings() const { return m_settings.get(); }

private:
    void writeRecent(const QStringList &files);
    std::unique_ptr<QSettings> m_settings;
};

} // namespace rk
