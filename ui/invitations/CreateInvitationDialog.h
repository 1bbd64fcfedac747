#pragma once

#include "store/StoreTypes.h"

#include <QDialog>

#include <memory>
#include <vector>

namespace Ui {
class CreateInvitationDialog;
}

namespace rk {

// The "New Invitation" form: role, optional group, number of uses and expiry (1 day, 3 days,
// 7 days, 30 days or a custom number of hours within the host's 1..720). OK emits submitted();
// the page asks the store and then calls accept() or showError(): nothing is created before.
class CreateInvitationDialog : public QDialog
{
    Q_OBJECT

public:
    explicit CreateInvitationDialog(QWidget *parent = nullptr);
    ~CreateInvitationDialog() override;

    // Only the viewer role can be chosen (operators, as on the host); `why` shows under the role.
    void limitToViewer(const QString &why);
    // The groups offered after "No group".
    void setGroups(const std::vector<GroupRecord> &groups);
    // No group can be chosen, and why (shown under the field and as its tooltip).
    void disableGroups(const QString &why);
    // The groups cannot be listed (a Host profile: the API has none), but a group id may be typed;
    // `why` says so under the field (the host checks that the group exists).
    void askGroupId(const QString &why);

    NewInvitation invitation() const;
    int expiresHours() const;
    // The preset hours of the expiry choice, in order; the default is 72 (3 days).
    static QList<int> presetHours();

    void showError(const QString &message);
    // While the invitation is being created elsewhere (on the host): the form is locked and
    // `what` shows where errors do.
    void setBusy(bool busy, const QString &what = {});
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    void submitted();

private:
    void updateRoleNote();
    void updateExpiry();

    std::unique_ptr<Ui::CreateInvitationDialog> m_ui;
    QString m_roleLimit;
    bool m_groupIdEntry = false;
    bool m_busy = false;
};

} // namespace rk
