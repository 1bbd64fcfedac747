#pragma once

#include "BulkPreviewDialog.h"

#include <QCoreApplication>
#include <QString>

#include <functional>

namespace rk {

// The previews of the Users page's changes, shared by the local profile's actions
// (UsersBulkActions: the store) and the Host profile's (HostUsersActions: the host's API). Each
// builds what both show alike; the caller passes what differs (the question, the dry run, the
// summary, the warning) and fills in the rest of the Spec itself.
class UserBulkSpecs
{
    Q_DECLARE_TR_FUNCTIONS(UserBulkSpecs)

public:
    using Check = std::function<Result<BulkOutcome>(const QVariant &choice)>;
    using Summary
        = std::function<QString(const BulkOutcome &outcome, const QVariant &choice, bool endSessions)>;

    // "Will be suspended: 2. Already suspended: 1. Refused: 1 (see Why)."
    static QString counts(const BulkOutcome &outcome, const QString &applyWord, const QString &unchangedWord);
    // Suspend or activate: the title (one user or several), the Result column and the OK button.
    static BulkPreviewDialog::Spec setActive(bool active, bool single, Check check);
    // The Result column of an Apply row when activating ("Will be activated") or suspending.
    static QString willSetActive(bool active);
    // The Result column of an Unchanged row when activating ("Already active") or suspending.
    static QString alreadyActive(bool active);
    // Change the role: the role choice, the Result column and the OK button. The summary is
    // built from `counts` with the words "Will change" and "Already in that role"; `adminWarning`
    // is shown when the administrator role is chosen.
    static BulkPreviewDialog::Spec changeRole(const QString &question, Check check,
        std::function<QString(const BulkOutcome &, const QString &, const QString &)> counts,
        const QString &adminWarning);
    // Delete: the title, the OK button, destructive.
    static BulkPreviewDialog::Spec remove(const QString &question, Check check);
};

} // namespace rk
