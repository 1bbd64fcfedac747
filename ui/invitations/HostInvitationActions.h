#pragma once

#include "connection/HostAdminRun.h"
#include "connection/HostRunTracker.h"
#include "store/StoreTypes.h"

#include <QList>
#include <QObject>
#include <QPointer>

class QWidget;

namespace rk {

class HostAdminService;

// The Invitations page's changes over a Host profile, made through the host's API
// (HostAdminService):
// - create: the New Invitation form (an operator may only invite viewers, as the host allows,
//   and is told why; a group by its id, which the host checks), POST /api/auth/invitations while
//   the form waits, the host's refusal in the form; then the registration link
//   (<base>/register?token=...) with Copy, shown this once: the mirror keeps only a token prefix;
// - revoke: one DELETE per invitation (admin only on the host), with progress and stop(); what
//   the host refused is named per invitation.
// Nothing is written to the mirror here: the owner of the service syncs it after a change.
// Everything runs on the UI thread; no nested event loop.
class HostInvitationActions : public QObject
{
    Q_OBJECT

public:
    HostInvitationActions(const Actor &actor, HostAdminService &service, QWidget *page);
    ~HostInvitationActions() override;

    void create();
    // Sends the revocations (the page has confirmed them).
    void revoke(const QList<qint64> &ids);
    // Stops a revocation under way (see HostAdminRun::cancel()).
    void stop();
    bool isBusy() const;

Q_SIGNALS:
    // The host created invitation `id` (the mirror shows it after the next sync).
    void created(qint64 id);
    // A revocation under way: `done` of `total` invitations answered.
    void progress(int done, int total);
    // Everything done: a sentence for the status bar.
    void finished(const QString &message);
    // Some invitations revoked, some not: a sentence for the page's banner naming them and why.
    void partlyDone(const QString &message);
    // Nothing changed: `what` failed because of `error`.
    void failed(const QString &what, const rk::Error &error);
    void busyChanged();

private:
    void showLink(const HostInvitation &invitation);

    Actor m_actor;
    HostAdminService &m_service;
    QWidget *m_page;
    HostRunTracker m_runs;
    QPointer<HostAdminRun> m_revoking;
};

} // namespace rk
