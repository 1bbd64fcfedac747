#pragma once

#include "core/Role.h"

#include <QString>

class QAction;

namespace rk {

class PlatformStore;
struct Actor;

// Whether a kind of action is possible at all in this session, and if not, why, in a sentence
// for a tooltip: the database is read-only, or the acting role lacks a permission. The store
// checks the same again; this only keeps the UI from offering what would be refused.
struct ActionGate
{
    bool allowed = true;
    QString reason; // empty when allowed

    static ActionGate forPermission(const PlatformStore &store, const Actor &actor, Permission permission);
    // The role alone: for a change that does not write the open file (a Host profile's pages read
    // a read-only mirror and make their changes through the host's API).
    static ActionGate forRole(const Actor &actor, Permission permission);
    // Never possible in this session, for `reason` (what the connection lacks, and what would help).
    static ActionGate unavailable(const QString &reason) { return {false, reason}; }

    // Enables `action` when allowed (and `available`, e.g. something is selected) and sets its
    // tooltip: `tip` when allowed, the reason otherwise.
    void apply(QAction *action, const QString &tip, bool available = true) const;
};

} // namespace rk
