#include "UserBulkSpecs.h"

#include "core/Role.h"
#include "useradmin/UsersTableDelegate.h"

#include <QStringList>

namespace rk {

namespace {
using State = BulkVerdict::State;
} // namespace

QString UserBulkSpecs::counts(const BulkOutcome &o, const QString &applyWord, const QString &unchangedWord)
{
    QStringList parts;
    parts << tr("%1: %L2.").arg(applyWord).arg(o.count(State::Apply));
    if (o.count(State::Unchanged) > 0)
        parts << tr("%1: %L2.").arg(unchangedWord).arg(o.count(State::Unchanged));
    if (o.count(State::Refused) > 0)
        parts << tr("Refused: %L1 (see Why).").arg(o.count(State::Refused));
    return parts.join(QLatin1Char(' '));
}

QString UserBulkSpecs::willSetActive(bool active)
{
    return active ? tr("Will be activated") : tr("Will be suspended");
}

QString UserBulkSpecs::alreadyActive(bool active)
{
    return active ? tr("Already active") : tr("Already suspended");
}

BulkPreviewDialog::Spec UserBulkSpecs::setActive(bool active, bool single, Check check)
{
    BulkPreviewDialog::Spec spec;
    if (single)
        spec.title = active ? tr("Activate User") : tr("Suspend User");
    else
        spec.title = active ? tr("Activate Users") : tr("Suspend Users");
    spec.check = std::move(check);
    spec.describe = [active](const BulkVerdict &v, const QVariant &) -> QString {
        return v.state == State::Unchanged ? alreadyActive(active) : willSetActive(active);
    };
    spec.applyText = [active](int n, const QVariant &) -> QString {
        if (n <= 1)
            return active ? tr("&Activate") : tr("&Suspend");
        return active ? tr("&Activate %L1 Users").arg(n) : tr("&Suspend %L1 Users").arg(n);
    };
    return spec;
}

BulkPreviewDialog::Spec UserBulkSpecs::changeRole(const QString &question, Check check,
    std::function<QString(const BulkOutcome &, const QString &, const QString &)> counts,
    const QString &adminWarning)
{
    BulkPreviewDialog::Spec spec;
    spec.title = tr("Change Role");
    spec.question = question;
    spec.parameterLabel = tr("New &role:");
    for (const QString &role : roles::assignable())
        spec.choices.append({roles::displayName(roles::fromString(role)), role});
    spec.initialChoice = QStringLiteral("user");
    spec.check = std::move(check);
    spec.describe = [](const BulkVerdict &v, const QVariant &role) -> QString {
        const QString to = UsersTableDelegate::roleLabel(role.toString());
        if (v.state == State::Unchanged)
            return tr("Already %1").arg(to);
        return tr("%1 \u2192 %2").arg(UsersTableDelegate::roleLabel(v.role), to);
    };
    spec.summary = [counts = std::move(counts)](const BulkOutcome &o, const QVariant &, bool) -> QString {
        return counts(o, tr("Will change"), tr("Already in that role"));
    };
    spec.applyText = [](int n, const QVariant &) -> QString {
        return n <= 1 ? tr("&Change Role") : tr("&Change Role of %L1 Users").arg(n);
    };
    spec.warning = [adminWarning](const QVariant &role) -> QString {
        if (role.toString() != QLatin1String("admin"))
            return QString();
        return adminWarning;
    };
    return spec;
}

BulkPreviewDialog::Spec UserBulkSpecs::remove(const QString &question, Check check)
{
    BulkPreviewDialog::Spec spec;
    spec.title = tr("Delete Users");
    spec.question = question;
    spec.destructive = true;
    spec.check = std::move(check);
    spec.applyText = [](int n, const QVariant &) -> QString {
        return n <= 1 ? tr("&Delete User") : tr("&Delete %L1 Users").arg(n);
    };
    return spec;
}

} // namespace rk
