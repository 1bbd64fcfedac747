#pragma once

#include "RecordsPage.h"

#include <QPointer>

#include <optional>

class QAction;

namespace rk {

class AppSettings;
class HostAdminService;
class HostInvitationActions;
class InvitationsTableModel;
class PlatformStore;

// The host's registration invitations: a lazy table (InvitationsTableModel: token, role, group,
// usage "used / max", status, expiry, creator, created), refreshed every minute so statuses move
// on (valid -> expired), and the actions, with the host's permissions:
// - New Invitation (operator+; operators may only invite viewers): role, optional group, uses,
//   expiry; the result shows the registration link with Copy (InvitationLinkDialog), where an
//   admin can also set the base URL the link needs;
// - Show Link (Enter), Copy Link (Ctrl+C), Copy Token;
// - Revoke one or several (Delete; admin), confirmed first, in one all-or-nothing transaction.
// Listing and revoking are admin-only on the host, so an operator sees why instead of the table
// and can still create viewer invitations. A read-only file disables every change with the
// reason. Column widths, order, visibility and sort are remembered (key "invitations").
//
// Over a Host profile the store is the profile's read-only mirror and setHostAdmin() gives the
// page the host's API instead (HostInvitationActions): create (the link shown once, as the mirror
// keeps only a token prefix) and revoke go to the host; Show Link, Copy Link and Copy Token are
// disabled with that reason.
class InvitationsPage : public RecordsPage
{
    Q_OBJECT

public:
    InvitationsPage(
        PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    ~InvitationsPage() override;

    QString title() const override;
    // The title without a page: the navigation lists pages before they are built.
    static QString pageTitle();
    QIcon icon() const override;
    QList<QAction *> menuActions() const override;

    // nullptr when the acting role may not list invitations.
    InvitationsTableModel *model() const { return m_model; }
    qint64 selectedInvitationId() const { return currentId(); }
    void selectInvitation(qint64 id) { selectId(id); }

    // A Host profile: changes go through `service` (not owned; null: through the store again).
    void setHostAdmin(HostAdminService *service);
    HostInvitationActions *hostActions() const { return m_hostActions; }

    // How far back the footnote counts the invitations revoked through Riverkeeper.
    static constexpr int kRevokedDays = 30;
    // The most invitations one Revoke takes (one transaction).
    static constexpr int kMaxRevoke = 1000;

protected:
    void updateSummary() override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void setUpTable();
    void applyDefaultColumns();
    void updateActions() override;
    void updateFootnote();

    void createInvitation();
    void showLink();
    void copyLinks();
    void copyToken();
    void revokeSelected();

    std::optional<InvitationRecord> selectedInvitation() const;
    bool hasBaseUrl();

    InvitationsTableModel *m_model = nullptr;
    QPointer<HostAdminService> m_hostService;
    HostInvitationActions *m_hostActions = nullptr; // set over a Host profile
    QAction *m_newAction = nullptr;
    QAction *m_showLinkAction = nullptr;
    QAction *m_copyLinkAction = nullptr;
    QAction *m_copyTokenAction = nullptr;
    QAction *m_revokeAction = nullptr;
    QAction *m_selectAllAction = nullptr;
    QAction *m_refreshAction = nullptr;
};

} // namespace rk
