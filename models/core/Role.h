#pragma once

#include <QString>
#include <QStringList>

namespace rk {

// The host's role hierarchy (`UserRole._HIERARCHY`), compared by index like `has_role()`.
// Roles are free strings in the database; anything unknown ranks as Anony for permission checks.
enum class Role { Anony = 0, Viewer, User, Operator, Admin };

// What a role may do, per the seed's access matrix, plus the admin-only inventories that only a
// platform database exposes. Checked in the core, not only in the UI.
enum class Permission {
    ViewNodes, // viewer+
    ViewTasks, // viewer+
    SubmitTasks, // user+
    ApproveTasks, // operator+
    ManageVps, // operator+
    ViewUsers, // operator+ (the host's GET /api/auth/users)
    CreateInvitation, // operator+ (operators only for the viewer role)
    ManageUsers, // admin: users, sessions, tokens, groups, invitations list/revoke
    ViewAudit, // admin
    SystemSettings, // admin
};

namespace roles {

QString toString(Role role); // "admin", "operator", ...
Role fromString(const QString &text, bool *known = nullptr);
bool isKnown(const QString &text);
QStringList assignable(); // viewer, user, operator, admin (the UI's choices)
QString displayName(Role role); // translated: "Administrator", ...
bool allows(Role role, Permission permission);
bool atLeast(Role role, Role minimum);
QString describe(Permission permission); // translated, for "needs X" messages
Role minimumFor(Permission permission);

} // namespace roles
} // namespace rk
