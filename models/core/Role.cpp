#include "Role.h"

#include <QCoreApplication>

#include <array>

namespace rk::roles {

namespace {
constexpr std::array<const char *, 5> kNames = {"anony", "viewer", "user", "operator", "admin"};
}

QString toString(Role role)
{
    return QString::fromLatin1(kNames.at(static_cast<size_t>(role)));
}

Role fromString(const QString &text, bool *known)
{
    for (size_t i = 0; i < kNames.size(); ++i) {
        if (text == QLatin1String(kNames[i])) {
            if (known)
                *known = true;
            return static_cast<Role>(i);
        }
    }
    if (known)
        *known = false;
    return Role::Anony;
}

bool isKnown(const QString &text)
{
    bool known = false;
    fromString(text, &known);
    return known;
}

QStringList assignable()
{
    return {QStringLiteral("viewer"), QStringLiteral("user"), QStringLiteral("operator"),
        QStringLiteral("admin")};
}

QString displayName(Role role)
{
    switch (role) {
    case Role::Anony: return QCoreApplication::translate("rk::roles", "Anonymous");
    case Role::Viewer: return QCoreApplication::translate("rk::roles", "Viewer");
    case Role::User: return QCoreApplication::translate("rk::roles", "User");
    case Role::Operator: return QCoreApplication::translate("rk::roles", "Operator");
    case Role::Admin: return QCoreApplication::translate("rk::roles", "Administrator");
    }
    return {};
}

bool atLeast(Role role, Role minimum)
{
    return static_cast<int>(role) >= static_cast<int>(minimum);
}

Role minimumFor(Permission permission)
{
    switch (permission) {
    case Permission::ViewNodes:
    case Permission::ViewTasks: return Role::Viewer;
    case Permission::SubmitTasks: return Role::User;
    case Permission::ApproveTasks:
    case Permission::ManageVps:
    case Permission::ViewUsers:
    case Permission::CreateInvitation: return Role::Operator;
    case Permission::ManageUsers:
    case Permission::ViewAudit:
    case Permission::SystemSettings: return Role::Admin;
    }
    return Role::Admin;
}

bool allows(Role role, Permission permission)
{
    return atLeast(role, minimumFor(permission));
}

QString describe(Permission permission)
{
    switch (permission) {
    case Permission::ViewNodes: return QCoreApplication::translate("rk::roles", "view nodes");
    case Permission::ViewTasks: return QCoreApplication::translate("rk::roles", "view tasks");
    case Permission::SubmitTasks: return QCoreApplication::translate("rk::roles", "submit tasks");
    case Permission::ApproveTasks: return QCoreApplication::translate("rk::roles", "approve tasks");
    case Permission::ManageVps: return QCoreApplication::translate("rk::roles", "manage VPS");
    case Permission::ViewUsers: return QCoreApplication::translate("rk::roles", "view users");
    case Permission::CreateInvitation: return QCoreApplication::translate("rk::roles", "create invitations");
    case Permission::ManageUsers: return QCoreApplication::translate("rk::roles", "manage users");
    case Permission::ViewAudit: return QCoreApplication::translate("rk::roles", "view the audit log");
    case Permission::SystemSettings:
        return QCoreApplication::translate("rk::roles", "change system settings");
    }
    return {};
}

} // namespace rk::roles
