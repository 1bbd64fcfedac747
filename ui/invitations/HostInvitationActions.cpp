#include "HostInvitationActions.h"

#include "connection/HostAdminService.h"
#include "core/Role.h"
#include "invitations/CreateInvitationDialog.h"
#include "invitations/InvitationLinkDialog.h"

#include <QWidget>

namespace rk {

namespace {
using Item = HostAdminRun::Item;
constexpr int kNamedInBanner = 5;
} // namespace

HostInvitationActions::HostInvitationActions(const Actor &actor, HostAdminService &service, QWidget *page)
    : QObject(page), m_actor(actor), m_service(service), m_page(page)
{
    connect(&m_runs, &HostRunTracker::busyChanged, this, &HostInvitationActions::busyChanged);
}

HostInvitationActions::~HostInvitationActions() = default;

bool HostInvitationActions::isBusy() const
{
    return m_runs.isBusy();
}

void HostInvitationActions::create()
{
    auto *dialog = new CreateInvitationDialog(m_page);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    if (!roles::allows(m_actor.role, Permission::ManageUsers)) {
        dialog->limitToViewer(tr("Operators can only invite viewers: the host refuses any other role from "
                                 "them. Inviting another role needs the %1 role.")
                                  .arg(roles::displayName(Role::Admin)));
    }
    dialog->askGroupId(tr("The host's API cannot list groups: enter a group's id to record it with the "
                          "invitation (the host checks that it exists), or keep No group. KohakuRiver 0.4 "
                          "does not add new accounts to the group."));
    QPointer<CreateInvitationDialog> guard(dialog);
    connect(dialog, &CreateInvitationDialog::submitted, this, [this, guard]() {
        if (!guard || guard->isBusy())
            return;
        const NewInvitation wanted = guard->invitation();
        HostNewInvitation request;
        request.role = wanted.role;
        request.groupId = wanted.groupId;
        request.maxUsage = wanted.maxUsage;
        request.expiresHours = wanted.expiresHours;
        guard->setBusy(true, tr("Creating the invitation on the host\u2026"));
        HostAdminRun *run = m_service.createInvitation(request);
        m_runs.track(run);
        connect(run, &HostAdminRun::finished, this, [this, guard, run]() {
            const Item &item = run->items().first();
            const std::optional<HostInvitation> &invitation = run->createdInvitation();
            if (guard)
                guard->setBusy(false);
            if (item.state != Item::State::Done || !invitation) {
                if (guard)
                    guard->showError(item.message);
                else
                    Q_EMIT failed(tr("Could not create the invitation"),
                        Error::make(item.code.value_or(Error::Code::Internal), item.message));
                return;
            }
            if (guard)
                guard->accept();
            Q_EMIT created(invitation->id);
            Q_EMIT finished(item.message);
            showLink(*invitation);
        });
    });
    dialog->open();
}

void HostInvitationActions::showLink(const HostInvitation &invitation)
{
    InvitationRecord record = HostAdminService::invitationRecord(invitation);
    if (record.groupId)
        record.groupName = tr("id %1").arg(*record.groupId);
    auto *dialog = new InvitationLinkDialog(record, m_service.registrationLink(invitation.token), m_page);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &InvitationLinkDialog::statusMessage, this, &HostInvitationActions::finished);
    dialog->open();
}

void HostInvitationActions::revoke(const QList<qint64> &ids)
{
    HostAdminRun *run = m_service.revokeInvitations(ids);
    m_runs.track(run);
    m_revoking = run;
    connect(run, &HostAdminRun::progress, this, &HostInvitationActions::progress);
    connect(run, &HostAdminRun::finished, this, [this, run]() {
        const int done = run->count(Item::State::Done);
        if (done == run->total()) {
            Q_EMIT finished(
                done == 1 ? run->items().first().message : tr("%L1 invitations revoked.").arg(done));
            return;
        }
        const QString why = run->notDoneSummary(kNamedInBanner);
        if (done == 0) {
            Q_EMIT failed(run->total() == 1 ? tr("Could not revoke the invitation")
                                            : tr("Could not revoke the invitations"),
                Error::make(run->firstFailure().value_or(Error::Code::Cancelled),
                    run->total() == 1 && run->items().first().state != Item::State::NotSent
                        ? run->items().first().message
                        : why));
            return;
        }
        Q_EMIT partlyDone(
            tr("%L1 of %L2 invitations revoked. Not revoked: %3.").arg(done).arg(run->total()).arg(why));
    });
}

void HostInvitationActions::stop()
{
    if (m_revoking)
        m_revoking->cancel();
}

} // namespace rk
