#pragma once

#include "store/StoreTypes.h"

#include <QDialog>

#include <memory>

namespace Ui {
class InvitationLinkDialog;
}

namespace rk {

class PlatformStore;

// Shows an invitation's registration link, <base>/register?token=..., with "Copy Link" and
// "Copy Token". The base URL is the setting general.base_url; when none is set the dialog says
// so, and an admin (SystemSettings, read-write file) can set it right there: the store validates
// it as an http(s) URL and the link appears. Others see who can set it and can still copy the
// token. Used after "New Invitation" and for an existing invitation (Enter on the table). Over a
// Host profile the base is the profile's base URL and the dialog is shown once, after creating.
class InvitationLinkDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Occasion { Created, Existing };

    InvitationLinkDialog(PlatformStore &store, const Actor &actor, const InvitationRecord &invitation,
        Occasion occasion, QWidget *parent = nullptr);
    // A Host profile, right after the host created the invitation: `link` is built from the
    // profile's base URL. The token is shown this once: the local copy keeps only its first
    // characters (a token is a secret), so the link cannot be shown again later.
    InvitationLinkDialog(const InvitationRecord &invitation, const QString &link, QWidget *parent = nullptr);
    ~InvitationLinkDialog() override;

    // Empty while no base URL is set.
    QString link() const { return m_link; }
    void copyLink();
    void copyToken();

Q_SIGNALS:
    // A short sentence for the status bar ("Link copied").
    void statusMessage(const QString &message);

private:
    void setUp(Occasion occasion);
    void saveBaseUrl();
    void updateLink();

    std::unique_ptr<Ui::InvitationLinkDialog> m_ui;
    PlatformStore *m_store = nullptr; // null: a Host profile's link, given once
    Actor m_actor;
    InvitationRecord m_invitation;
    QString m_link;
    bool m_canSetBaseUrl = false;
    QString m_whyNotBaseUrl;
};

} // namespace rk
