#pragma once

#include "BulkPreviewDialog.h"
#include "connection/HostAdminRun.h"
#include "connection/HostAdminService.h"
#include "connection/HostRunTracker.h"
#include "store/PlatformStore.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

class QWidget;

namespace rk {

class UserDialog;

// The Users page's changes over a Host profile, made through the host's API (HostAdminService):
// edit the display name and role, suspend, activate, change the role of and delete one user or a
// selection. The page reads the profile's read-only mirror; the previews are the mirror's dry runs
// (PlatformStore::predict...: yourself, the last active admin, users gone), and what the host
// then refuses (its 400 detail, a 403, a 404) is reported per user afterwards:
// - several users (or one with a preview): the BulkPreviewDialog stays open while the requests
//   go out one by one, with a progress bar and Stop; each row then says what became of its user.
//   All done: the dialog closes and finished() says so. Anything not done: the dialog stays open
//   with the outcome of every user, and partlyDone() (some changed) or failed() (none) names them
//   for the page's banner;
// - one user's edit: the UserDialog stays open until the host answers, with the host's refusal
//   in it; one user's delete: a confirmation (MessageBox) first.
// Nothing is written to the mirror here: the owner of the service syncs it after a change.
// Everything runs on the UI thread; no nested event loop.
class HostUsersActions : public QObject
{
    Q_OBJECT

public:
    HostUsersActions(
        PlatformStore &mirror, const Actor &actor, HostAdminService &service, QWidget *dialogParent);
    ~HostUsersActions() override;

    void edit(const UserRecord &user);
    void setActive(const QList<qint64> &ids, bool active);
    void changeRole(const QList<qint64> &ids);
    void remove(const QList<qint64> &ids);
    void removeOne(const UserRecord &user);

    // Whether a change is being sent (the page locks its actions meanwhile).
    bool isBusy() const;
    // The preview dialog open now, if any (one at a time).
    BulkPreviewDialog *currentDialog() const { return m_dialog; }

Q_SIGNALS:
    // Every user done: a sentence for the status bar.
    void finished(const QString &message);
    // Some users changed, some did not: a sentence for the page's banner naming those left alone
    // and why (the host's reason).
    void partlyDone(const QString &message);
    // Nothing changed: `what` failed because of `error` (one user's reason, or each user's).
    void failed(const QString &what, const rk::Error &error);
    void busyChanged();

private:
    using Start = std::function<HostAdminRun *(
        BulkPreviewDialog *dialog, const QList<HostAdminService::UserTarget> &users)>;
    // The words of one kind of change: the Result of a user done ("Suspended"), the sentence for
    // all done ("Suspended 3 users."), and the banner's "Could not suspend the users".
    struct Words
    {
        QString doneResult;
        std::function<QString(int count)> allDone;
        QString failure;
    };

    // The dry run failed (`what`), or refused its only user (`whatOne`, %1: the user): failed() at
    // once, no dialog. True when so.
    bool refusedAtOnce(const Result<BulkOutcome> &check, const QString &what, const QString &whatOne);
    void preview(BulkPreviewDialog *dialog, Words words, Start start);
    // Emits finished(), partlyDone() or failed() for a run that ended; returns its summary.
    QString report(const HostAdminRun &run, const Words &words);

    PlatformStore &m_mirror;
    Actor m_actor;
    HostAdminService &m_service;
    QWidget *m_parent;
    QPointer<BulkPreviewDialog> m_dialog;
    HostRunTracker m_runs;
};

} // namespace rk
