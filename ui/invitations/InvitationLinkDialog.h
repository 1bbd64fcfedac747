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
// token. Used after "New Invitation" and for an existing invitation (Enter on the table).
class InvitationLinkDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Occasion { Created, Existing };

    InvitationLinkDialog(PlatformStore &store, const Actor &actor, const InvitationRecord &invitation,
        Occasion occasion, QWidget *parent = nullptr);
    ~InvitationLinkDialog() override;

    // Empty while no base URL is set.
    QString link() const { return m_link; }
    void copyLink();
    void copyToken();

Q_SIGNALS:
    // A short sentence for the status bar ("Link copied").
    void statusMessage(const QString &message);

private:
    void saveBaseUrl();
    void updateLink();

    std::unique_ptr<Ui::InvitationLinkDialog> m_ui;
    PlatformStore &m_store;
    Actor m_actor;
    InvitationRecord m_invitation;
    QString m_link;
    bool m_canSetBaseUrl = false;
    QString m_whyNotBaseUrl;
};

} // namespace rk
