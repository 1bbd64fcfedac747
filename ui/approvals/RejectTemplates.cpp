#include "RejectTemplates.h"

#include <QCoreApplication>
#include <QSet>
#include <QSettings>

namespace rk {

namespace {
const QString kGroup = QStringLiteral("approvals/rejectTemplates");
const QString kKey = QStringLiteral("templates");
} // namespace

std::unique_ptr<QSettings> RejectTemplates::openSettings()
{
    return std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope,
        QStringLiteral("riverkeeper"), QStringLiteral("riverkeeper"));
}

QStringList RejectTemplates::defaults()
{
    return {
        tr("Please request fewer GPUs; the cluster is busy this week."),
        tr("Privileged containers are not allowed for this kind of work. Resubmit without the privileged "
           "flag."),
        tr("Mounting host directories needs an operator's review first. Ask in the support channel."),
        tr("The memory requested is more than the task needs. Resubmit with a smaller limit."),
        tr("Duplicate of a task that is already queued or running."),
    };
}

QStringList RejectTemplates::normalized(const QStringList &templates)
{
    QStringList out;
    QSet<QString> seen;
    for (const QString &t : templates) {
        const QString text = t.trimmed();
        if (text.isEmpty() || seen.contains(text))
            continue;
        seen.insert(text);
        out.append(text);
    }
    return out;
}

QStringList RejectTemplates::load(QSettings &settings)
{
    settings.beginGroup(kGroup);
    const bool saved = settings.contains(kKey);
    const QStringList stored = settings.value(kKey).toStringList();
    settings.endGroup();
    return saved ? normalized(stored) : defaults();
}

void RejectTemplates::save(QSettings &settings, const QStringList &templates)
{
    settings.beginGroup(kGroup);
    // An empty list is stored too (as an invalid value): the key then exists, so load() does not
    // bring the defaults back after the user removed them all.
    settings.setValue(kKey, normalized(templates));
    settings.endGroup();
    settings.sync();
}

} // namespace rk
