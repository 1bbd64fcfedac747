#pragma once

#include "connection/HostConnection.h"
#include "host/HostTypes.h"
#include "profiles/ConnectionProfile.h"

#include <QDialog>
#include <QStringList>

#include <memory>

namespace Ui {
class ConnectHostDialog;
}

namespace rk {

class HostClient;
class ProfileStore;
class SecretStore;

// Creates or edits a Host or Host + database profile and signs it in: name, base URL (a plain
// http:// URL to a host that is not loopback shows a warning at once), kind (with the database
// file for Host + database), and the sign-in method: username and password (the app then makes
// its own API token), an existing API token, or the host's admin secret.
//
// Connect runs a HostConnection while the dialog shows its steps. Errors stay inside the dialog
// (a banner). An untrusted TLS certificate is shown with its subject, issuer, validity and
// SHA-256 fingerprint; only "Trust this certificate" puts it into the profile, whose trusted
// certificates every later use passes to the HostClient (saved with the profile once it
// connects). A host whose certificate changed since then is shown the same way, with the
// fingerprint trusted before; trusting the new one replaces it. The form shows the profile's
// trusted certificate with Forget, which also removes it from the saved profile at once. When the
// keychain cannot store the secret, the admin is asked (rk::MessageBox) whether to keep it for
// this session only, in `sessionSecrets`.
//
// When editing, leaving the credential empty keeps the saved one (it is checked again).
// On success the profile is saved in the ProfileStore (and made the last used) and the dialog
// accepts: profile(), me(), secretStore() and warning() describe the connection, whose auth the
// HostClient now carries.
class ConnectHostDialog : public QDialog
{
    Q_OBJECT

public:
    // All four must outlive the dialog. `sessionSecrets` is normally a MemorySecretStore.
    ConnectHostDialog(ProfileStore &profiles, SecretStore &secrets, SecretStore &sessionSecrets,
        HostClient &client, QWidget *parent = nullptr);
    ~ConnectHostDialog() override;

    // Edit `profile` (Host or Host + database) instead of creating a new one.
    void setProfile(const ConnectionProfile &profile);
    // Shows why the dialog opened (the saved token stopped working), in its error banner.
    void showReason(const QString &message) { showError(message); }
    // The same for a failed reopen of the profile: an untrusted or changed certificate is shown
    // with its details and the question whether to trust it, anything else as showReason().
    void showFailure(const ConnectionFailure &failure);

    bool isBusy() const { return m_busy; }
    // After accept: the saved profile, the account /me reported, where the secret is (the keychain
    // or the session store), and a warning to show (the host has authentication off), or "".
    const ConnectionProfile &profile() const { return m_profile; }
    const HostUser &me() const { return m_me; }
    SecretStore *secretStore() const { return m_secretStore; }
    const QString &warning() const { return m_warning; }

public Q_SLOTS:
    void reject() override;

Q_SIGNALS:
    void busyChanged(bool busy);

private:
    void submit();
    void chooseDatabase();
    void trustCertificate();
    void forgetCertificate();
    void updateTrustedCertificate();
    void updateHttpWarning();
    void updateKind();
    void updateMethod();
    void onConnected();
    void onFailed(const ConnectionFailure &failure);
    void onSignedOut(const Status &status);
    void showCertificate(const HostCertificateInfo &certificate);
    void fitHeight();
    void setBusy(bool busy, const QString &what = {});
    void showError(const QString &message);
    ConnectionProfile profileFromForm() const;
    bool credentialEmpty() const;

    std::unique_ptr<Ui::ConnectHostDialog> m_ui;
    ProfileStore &m_profiles;
    SecretStore &m_secrets;
    SecretStore &m_sessionSecrets;
    HostClient &m_client;
    std::unique_ptr<HostConnection> m_connection;

    ConnectionProfile m_profile; // the one being edited (an id from the start), then the saved one
    bool m_editing = false;
    bool m_busy = false;
    HostUser m_me;
    SecretStore *m_secretStore = nullptr;
    QString m_warning;
    QString m_pendingFingerprint; // the certificate shown, until trusted
    QString m_keychainError; // the keychain's failure, for the banner after "No"
};

} // namespace rk
