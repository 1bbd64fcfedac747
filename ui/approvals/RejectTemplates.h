#pragma once

#include <QCoreApplication>
#include <QStringList>

#include <memory>

class QSettings;

namespace rk {

// Reusable rejection reasons, kept in the app's settings (QSettings group
// "approvals/rejectTemplates", key "templates"): not secret, the same for every database. Until
// the list is first saved, a few common reasons are offered. UI thread.
class RejectTemplates
{
    Q_DECLARE_TR_FUNCTIONS(RejectTemplates)

public:
    // The app's own settings file (the one AppSettings uses: "riverkeeper"/"riverkeeper").
    static std::unique_ptr<QSettings> openSettings();

    static QStringList defaults();
    // The saved list, or defaults() when none was saved yet. Blank entries are dropped.
    static QStringList load(QSettings &settings);
    // Trims every entry, drops blanks and duplicates (keeping the first).
    static void save(QSettings &settings, const QStringList &templates);
    static QStringList normalized(const QStringList &templates);
};

} // namespace rk
