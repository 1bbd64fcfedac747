#include "ActionGate.h"

#include "store/PlatformStore.h"

#include <QAction>
#include <QCoreApplication>

namespace rk {

ActionGate ActionGate::forPermission(const PlatformStore &store, const Actor &actor, Permission permission)
{
    if (store.isReadOnly())
        return {false, store.readOnlyReason()};
    return forRole(actor, permission);
}

ActionGate ActionGate::forRole(const Actor &actor, Permission permission)
{
    if (!roles::allows(actor.role, permission)) {
        return {false,
            QCoreApplication::translate(
                "rk::ActionGate", "Needs the %1 role to %2; you are signed in as %3 (%4).")
                .arg(roles::displayName(roles::minimumFor(permission)), roles::describe(permission),
                    actor.username, roles::displayName(actor.role))};
    }
    return {};
}

void ActionGate::apply(QAction *action, const QString &tip, bool available) const
{
    action->setEnabled(allowed && available);
    QString text = allowed ? tip : reason;
    if (allowed && !action->shortcut().isEmpty())
        text += QStringLiteral(" (%1)").arg(action->shortcut().toString(QKeySequence::NativeText));
    action->setToolTip(text);
    action->setStatusTip(text);
}

} // namespace rk
