#include "Capabilities.h"

#include <QCoreApplication>

namespace rk {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::Capabilities", text);
}

// Features the host's REST API offers (kohakuriver-host.md, section 1).
bool apiHas(Feature feature)
{
    switch (feature) {
    case Feature::ViewUsers:
    case Feature::EditUsers:
    case Feature::DeleteUsers:
    case Feature::OwnTokens:
    case Feature::Invitations:
    case Feature::ApproveTasks:
    case Feature::Tasks:
    case Feature::TaskOutput:
    case Feature::Vps:
    case Feature::VpsAssignments:
    case Feature::Nodes:
    case Feature::Audit: // the app's own audit of actions it took through the host, in the mirror
        return true;
    case Feature::CreateUsers:
    case Feature::ResetPasswords:
    case Feature::Sessions:
    case Feature::TokenInventory:
    case Feature::Groups:
    case Feature::PlatformControls: return false;
    }
    return false;
}

// What the platform database alone cannot do.
bool databaseHas(Feature feature)
{
    switch (feature) {
    case Feature::ApproveTasks: // dispatching needs the host; never emulate it with a row update
    case Feature::TaskOutput: // the logs are files on the host's shared folder
    case Feature::Nodes: // live node state is in the host's memory, not the database
        return false;
    default: return true;
    }
}

QString missingFromApi(Feature feature)
{
    switch (feature) {
    case Feature::CreateUsers:
        return tr("The host's API cannot create users (only invitations register accounts). Use a "
                  "\u201cHost + database\u201d connection on the host machine, or send an invitation.");
    case Feature::ResetPasswords:
        return tr("The host's API has no password reset. Use a \u201cHost + database\u201d connection on "
                  "the host machine to set a new password.");
    case Feature::Sessions:
        return tr("The host's API has no endpoint for sessions. Open the platform database (a "
                  "\u201cHost + database\u201d connection on the host machine) to list and end them.");
    case Feature::TokenInventory:
        return tr("The host's API lists only your own tokens. Open the platform database (a "
                  "\u201cHost + database\u201d connection) to see and revoke every user's tokens.");
    case Feature::Groups:
        return tr("The host's API has no endpoint for groups. Open the platform database (a "
                  "\u201cHost + database\u201d connection) to manage them.");
    case Feature::PlatformControls:
        return tr("The host has no settings API; platform controls live in the platform database. Use a "
                  "\u201cHost + database\u201d connection on the host machine.");
    default: return {};
    }
}

QString missingFromDatabase(Feature feature)
{
    switch (feature) {
    case Feature::ApproveTasks:
        return tr(
            "Approving a task makes the host dispatch it to a runner, so it needs the host's API: use a "
            "\u201cHost\u201d or \u201cHost + database\u201d connection. Writing the row would leave the "
            "task approved but never started.");
    case Feature::TaskOutput:
        return tr("Task output is read from the host's log files through its API; connect to the host to "
                  "fetch it (fetched output stays readable offline).");
    case Feature::Nodes:
        return tr("Node state lives in the running host, not in its database; connect to the host to see "
                  "nodes.");
    default: return {};
    }
}

} // namespace

bool Capabilities::has(Feature feature) const
{
    switch (m_kind) {
    case ConnectionProfile::Kind::Host: return apiHas(feature);
    case ConnectionProfile::Kind::Database: return databaseHas(feature);
    case ConnectionProfile::Kind::HostAndDatabase: return apiHas(feature) || databaseHas(feature);
    }
    return false;
}

QString Capabilities::reason(Feature feature) const
{
    if (has(feature))
        return {};
    return m_kind == ConnectionProfile::Kind::Host ? missingFromApi(feature) : missingFromDatabase(feature);
}

} // namespace rk
