#include "ConnectHostDialog.h"

#include "IconFactory.h"
#include "core/Fingerprint.h"
#include "host/HostClient.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"
#include "signin/DatabaseFileDialogs.h"
#include "ui_ConnectHostDialog.h"
#include "widgets/MessageBox.h"

#include <QDateTime>
#include <QLocale>
#include <QPushButton>
#include <QUuid>

#include <algorithm>
#include <optional>

namespace rk {

namespace {

int authIndex(ConnectionProfile::Auth auth)
{
    return static_cast<int>(auth);
}

} // namespace

ConnectHostDialog::ConnectHostDialog(ProfileStore &profiles, SecretStore &secrets,
    SecretStore &sessionSecrets, HostClient &client, QWidget *parent)
    : QDialog(parent),
      m_ui(std::make_unique<Ui::ConnectHostDialog>()),
      m_profiles(profiles),
      m_secrets(secrets),
      m_sessionSecrets(sessionSecrets),
      m_client(client)
{
    m_ui->setupUi(this);
    setWindowIcon(icons::appIcon());
    m_ui->headerIcon->setPixmap(icons::appPixmap(48, devicePixelRatioF()));
    QFont titleFont = m_ui->headerTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    m_ui->headerTitle->setFont(titleFont);
    QPalette muted = m_ui->headerSubtitle->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_ui->headerSubtitle->setPalette(muted);
    m_ui->busyLabel->setPalette(muted);

    m_profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_profile.kind = ConnectionProfile::Kind::Host;

    m_ui->kindCombo->addItem(ConnectionProfile::kindName(ConnectionProfile::Kind::Host),
        static_cast<int>(ConnectionProfile::Kind::Host));
    m_ui->kindCombo->addItem(ConnectionProfile::kindName(ConnectionProfile::Kind::HostAndDatabase),
        static_cast<int>(ConnectionProfile::Kind::HostAndDatabase));
    m_ui->kindCombo->setToolTip(tr("Host + database: Riverkeeper runs on the host machine and also opens the "
                                   "platform database, for what the host's API lacks"));
    // In the order of ConnectionProfile::Auth.
    for (const auto auth : {ConnectionProfile::Auth::Password, ConnectionProfile::Auth::ApiToken,
             ConnectionProfile::Auth::AdminSecret})
        m_ui->methodCombo->addItem(ConnectionProfile::authName(auth), authIndex(auth));
    m_ui->methodCombo->setItemData(authIndex(ConnectionProfile::Auth::Password),
        tr("Riverkeeper signs in once and creates its own API token, %1, which sign-out revokes")
            .arg(HostConnection::appTokenName()),
        Qt::ToolTipRole);

    m_ui->urlEdit->setPlaceholderText(tr("https://river.example.org:8000"));
    m_ui->nameEdit->setPlaceholderText(tr("prod, lab, …"));
    m_ui->databaseEdit->setPlaceholderText(tr("/var/lib/kohakuriver/kohakuriver.db"));
    m_ui->usernameEdit->setInputMethodHints(Qt::ImhNoAutoUppercase | Qt::ImhNoPredictiveText);
    for (QLineEdit *secret : {m_ui->passwordEdit, m_ui->tokenEdit, m_ui->adminSecretEdit})
        secret->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText | Qt::ImhSensitiveData);
    m_ui->httpWarningBanner->setClosable(false);
    m_ui->httpWarningBanner->setObjectName(QStringLiteral("httpWarningBanner"));

    QPushButton *connectButton = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    connectButton->setObjectName(QStringLiteral("connectButton"));
    connectButton->setText(tr("&Connect"));
    m_ui->buttonBox->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &ConnectHostDialog::submit);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &ConnectHostDialog::reject);
    connect(m_ui->urlEdit, &QLineEdit::textChanged, this, &ConnectHostDialog::updateHttpWarning);
    connect(m_ui->kindCombo, &QComboBox::currentIndexChanged, this, &ConnectHostDialog::updateKind);
    connect(m_ui->methodCombo, &QComboBox::currentIndexChanged, this, &ConnectHostDialog::updateMethod);
    connect(m_ui->browseDatabaseButton, &QPushButton::clicked, this, &ConnectHostDialog::chooseDatabase);
    connect(m_ui->trustCertificateButton, &QPushButton::clicked, this, &ConnectHostDialog::trustCertificate);
    connect(
        m_ui->forgetCertificateButton, &QPushButton::clicked, this, &ConnectHostDialog::forgetCertificate);
    m_ui->forgetCertificateButton->setToolTip(
        tr("Stop trusting this certificate: the next connection shows the host's certificate again "
           "before anything is sent"));

    m_ui->certificateGroup->hide();
    m_ui->busyRow->hide();
    m_ui->errorBanner->clear();
    updateHttpWarning();
    updateKind();
    updateMethod();
    updateTrustedCertificate();
}

ConnectHostDialog::~ConnectHostDialog() = default;

void ConnectHostDialog::setProfile(const ConnectionProfile &profile)
{
    m_profile = profile;
    if (m_profile.id.isEmpty())
        m_profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_editing = !profile.id.isEmpty();
    m_ui->headerTitle->setText(tr("Edit the connection %1").arg(profile.name));
    m_ui->nameEdit->setText(profile.name);
    m_ui->urlEdit->setText(profile.baseUrl.toString());
    m_ui->kindCombo->setCurrentIndex(profile.usesDatabase() ? 1 : 0);
    m_ui->databaseEdit->setText(profile.databasePath);
    m_ui->methodCombo->setCurrentIndex(authIndex(profile.auth));
    m_ui->usernameEdit->setText(profile.username);
    if (m_editing) {
        const QString keep = tr("Leave empty to keep the saved one");
        m_ui->passwordEdit->setPlaceholderText(keep);
        m_ui->tokenEdit->setPlaceholderText(keep);
        m_ui->adminSecretEdit->setPlaceholderText(keep);
    }
    updateHttpWarning();
    updateKind();
    updateMethod();
    updateTrustedCertificate();
}

// --- form ---------------------------------------------------------------------------------------

void ConnectHostDialog::updateHttpWarning()
{
    const QString warning = HostClient::plainHttpWarning(QUrl(m_ui->urlEdit->text().trimmed()));
    if (warning.isEmpty())
        m_ui->httpWarningBanner->clear();
    else
        m_ui->httpWarningBanner->showMessage(InlineBanner::Kind::Warning, warning);
    m_ui->form->setRowVisible(m_ui->httpWarningBanner, !warning.isEmpty());
}

void ConnectHostDialog::updateKind()
{
    const bool withDatabase = m_ui->kindCombo->currentData().toInt()
        == static_cast<int>(ConnectionProfile::Kind::HostAndDatabase);
    m_ui->form->setRowVisible(m_ui->databaseRow, withDatabase);
}

void ConnectHostDialog::updateMethod()
{
    const auto auth = static_cast<ConnectionProfile::Auth>(m_ui->methodCombo->currentData().toInt());
    m_ui->form->setRowVisible(m_ui->usernameEdit, auth == ConnectionProfile::Auth::Password);
    m_ui->form->setRowVisible(m_ui->passwordEdit, auth == ConnectionProfile::Auth::Password);
    m_ui->form->setRowVisible(m_ui->tokenEdit, auth == ConnectionProfile::Auth::ApiToken);
    m_ui->form->setRowVisible(m_ui->adminSecretEdit, auth == ConnectionProfile::Auth::AdminSecret);
}

void ConnectHostDialog::chooseDatabase()
{
    const QString path = filedialogs::chooseExisting(
        this, tr("Choose the Platform Database"), m_ui->databaseEdit->text().trimmed());
    if (!path.isEmpty())
        m_ui->databaseEdit->setText(path);
}

ConnectionProfile ConnectHostDialog::profileFromForm() const
{
    ConnectionProfile p = m_profile;
    p.name = m_ui->nameEdit->text().trimmed();
    p.baseUrl = QUrl(m_ui->urlEdit->text().trimmed(), QUrl::StrictMode);
    p.kind = static_cast<ConnectionProfile::Kind>(m_ui->kindCombo->currentData().toInt());
    p.databasePath = p.usesDatabase() ? m_ui->databaseEdit->text().trimmed() : QString();
    if (!p.usesDatabase())
        p.readOnly = false;
    p.auth = static_cast<ConnectionProfile::Auth>(m_ui->methodCombo->currentData().toInt());
    if (p.auth == ConnectionProfile::Auth::Password)
        p.username = m_ui->usernameEdit->text().trimmed();
    else
        p.username.clear();
    return p;
}

bool ConnectHostDialog::credentialEmpty() const
{
    switch (static_cast<ConnectionProfile::Auth>(m_ui->methodCombo->currentData().toInt())) {
    case ConnectionProfile::Auth::Password: return m_ui->passwordEdit->text().isEmpty();
    case ConnectionProfile::Auth::ApiToken: return m_ui->tokenEdit->text().trimmed().isEmpty();
    case ConnectionProfile::Auth::AdminSecret: return m_ui->adminSecretEdit->text().isEmpty();
    }
    return true;
}

// --- connecting ---------------------------------------------------------------------------------

void ConnectHostDialog::submit()
{
    if (m_busy)
        return;
    m_ui->errorBanner->clear();
    m_ui->certificateGroup->hide();
    const ConnectionProfile p = profileFromForm();
    if (Status valid = p.validate(); !valid) {
        showError(valid.error().message);
        return;
    }
    if (const auto other = m_profiles.profileNamed(p.name); other && other->id != p.id) {
        showError(tr("A connection named %1 exists already; choose another name.").arg(other->name));
        m_ui->nameEdit->setFocus();
        return;
    }
    // Editing without a new credential: check the saved one again (against the new address, if
    // it changed), and keep the app's token.
    const bool resume = m_editing && p.auth == m_profile.auth && credentialEmpty();

    m_connection = std::make_unique<HostConnection>(p, m_secrets, m_client);
    connect(m_connection.get(), &HostConnection::progress, this,
        [this](const QString &step) { m_ui->busyLabel->setText(step); });
    connect(m_connection.get(), &HostConnection::connected, this, &ConnectHostDialog::onConnected);
    connect(m_connection.get(), &HostConnection::failed, this, &ConnectHostDialog::onFailed);
    connect(m_connection.get(), &HostConnection::signedOut, this, &ConnectHostDialog::onSignedOut);
    setBusy(true, tr("Connecting to %1…").arg(p.baseUrl.toDisplayString()));

    if (resume) {
        m_connection->resume();
        return;
    }
    switch (p.auth) {
    case ConnectionProfile::Auth::Password:
        m_connection->connectWithPassword(m_ui->usernameEdit->text(), m_ui->passwordEdit->text());
        break;
    case ConnectionProfile::Auth::ApiToken: m_connection->connectWithToken(m_ui->tokenEdit->text()); break;
    case ConnectionProfile::Auth::AdminSecret:
        m_connection->connectWithAdminSecret(m_ui->adminSecretEdit->text());
        break;
    }
}

void ConnectHostDialog::onConnected()
{
    auto saved = m_profiles.save(m_connection->profile());
    setBusy(false);
    if (!saved.ok()) {
        // Signed in, but the profile was not saved: keep what the sign-in made (the app's token
        // is in the store), so that Connect after a fix only saves and checks it again.
        m_profile = m_connection->profile();
        m_editing = true;
        for (QLineEdit *secret : {m_ui->passwordEdit, m_ui->tokenEdit, m_ui->adminSecretEdit}) {
            secret->clear();
            secret->setPlaceholderText(tr("Leave empty to keep the saved one"));
        }
        showError(saved.error().message);
        return;
    }
    m_profile = std::move(saved).value();
    m_profiles.setLastUsed(m_profile.id);
    m_me = m_connection->me();
    m_secretStore = m_connection->secretStore();
    m_warning = m_connection->warning();
    for (QLineEdit *secret : {m_ui->passwordEdit, m_ui->tokenEdit, m_ui->adminSecretEdit})
        secret->clear();
    accept();
}

void ConnectHostDialog::onFailed(const ConnectionFailure &failure)
{
    setBusy(false);
    switch (failure.kind) {
    case ConnectionFailure::Kind::Tls:
        if (failure.certificate) {
            showFailure(failure);
            return;
        }
        break;
    case ConnectionFailure::Kind::Keychain:
        if (failure.canKeepForSession) {
            MessageBox::Options ask;
            ask.title = tr("No Keychain");
            ask.text
                = tr("The token could not be saved in the system keychain. Keep it for this session only?");
            ask.informativeText = failure.message() + QLatin1Char('\n')
                + tr("Riverkeeper forgets it when it quits, and you sign in again next time.");
            ask.accept = MessageBox::Button::Yes;
            ask.reject = MessageBox::Button::No;
            if (MessageBox::ask(this, ask) == MessageBox::Button::Yes) {
                setBusy(true, tr("Keeping the token for this session…"));
                m_connection->keepForSession(m_sessionSecrets);
            } else {
                m_keychainError = failure.message();
                setBusy(true, tr("Revoking the token…"));
                m_connection->discardPending();
            }
            return;
        }
        break;
    case ConnectionFailure::Kind::Auth: {
        QLineEdit *field = m_ui->passwordEdit;
        if (m_connection->profile().auth == ConnectionProfile::Auth::ApiToken)
            field = m_ui->tokenEdit;
        else if (m_connection->profile().auth == ConnectionProfile::Auth::AdminSecret)
            field = m_ui->adminSecretEdit;
        field->setFocus();
        field->selectAll();
        break;
    }
    case ConnectionFailure::Kind::Network:
    case ConnectionFailure::Kind::Host:
    case ConnectionFailure::Kind::Invalid: break;
    }
    showError(failure.message());
}

void ConnectHostDialog::onSignedOut(const Status &status)
{
    // Only after "No" to keeping the token for this session: not signed in.
    setBusy(false);
    QString message = m_keychainError.isEmpty() ? tr("Not signed in.") : m_keychainError;
    if (!status.ok())
        message += QLatin1Char(' ') + status.error().message;
    m_keychainError.clear();
    showError(message);
}

void ConnectHostDialog::showFailure(const ConnectionFailure &failure)
{
    if (failure.kind != ConnectionFailure::Kind::Tls || !failure.certificate) {
        showError(failure.message());
        return;
    }
    const QString host = QUrl(m_ui->urlEdit->text().trimmed()).host();
    showCertificate(*failure.certificate);
    if (failure.certificate->isChange())
        showError(
            tr("The certificate of %1 has changed since it was trusted: compare both fingerprints below, "
               "and trust the new certificate only if the host's administrator replaced it.")
                .arg(host));
    else
        showError(tr("The certificate of %1 is not trusted. Check its details below and trust it only if it "
                     "is the host's own.")
                      .arg(host));
    fitHeight();
}

void ConnectHostDialog::showCertificate(const HostCertificateInfo &certificate)
{
    const QLocale locale;
    const auto lines = [](const QString &name, const QString &details) {
        return details.isEmpty() || details == name ? name : name + QLatin1Char('\n') + details;
    };
    m_ui->certificateSubjectLabel->setText(lines(certificate.subject, certificate.subjectDetails));
    m_ui->certificateIssuerLabel->setText(lines(certificate.issuer, certificate.issuerDetails));
    QString validity = tr("from %1 to %2")
                           .arg(locale.toString(certificate.notBefore.toLocalTime(), QLocale::ShortFormat),
                               locale.toString(certificate.notAfter.toLocalTime(), QLocale::ShortFormat));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (certificate.notAfter.isValid() && certificate.notAfter < now)
        validity += QLatin1Char(' ') + tr("(expired)");
    else if (certificate.notBefore.isValid() && certificate.notBefore > now)
        validity += QLatin1Char(' ') + tr("(not valid yet)");
    m_ui->certificateValidityLabel->setText(validity);
    m_ui->certificateFingerprintLabel->setText(certificate.sha256);
    m_ui->certificateErrorsLabel->setText(certificate.errors.join(QLatin1Char('\n')));
    const bool changed = certificate.isChange();
    m_ui->certificateGroup->setTitle(
        changed ? tr("The host's certificate has changed") : tr("The host's certificate is not trusted"));
    m_ui->certificatePreviousLabel->setText(certificate.trustedBefore.join(QLatin1Char('\n')));
    m_ui->certificateForm->setRowVisible(m_ui->certificatePreviousLabel, changed);
    m_ui->trustCertificateButton->setText(
        changed ? tr("&Trust the New Certificate") : tr("&Trust This Certificate"));
    m_pendingFingerprint = certificate.sha256;
    m_ui->certificateGroup->show();
    m_ui->trustCertificateButton->setFocus();
}

void ConnectHostDialog::fitHeight()
{
    // A top-level window grows to its layout's minimum size, which leaves out the height that
    // word-wrapped labels need at the window's width: the fingerprint's second line and the
    // certificate's details were cut off.
    layout()->activate();
    const int needed = layout()->totalHeightForWidth(width());
    if (needed > height())
        resize(width(), needed);
}

void ConnectHostDialog::trustCertificate()
{
    if (m_pendingFingerprint.isEmpty() || m_busy)
        return;
    // Into the profile, which the connection passes to the client; saved when it connects. A
    // changed certificate replaces the old one: that one is not the host's any more.
    m_profile.trustedCertificates = QStringList {fingerprint::canonical(m_pendingFingerprint)};
    m_pendingFingerprint.clear();
    m_ui->certificateGroup->hide();
    updateTrustedCertificate();
    submit();
}

void ConnectHostDialog::forgetCertificate()
{
    if (m_busy || m_profile.trustedCertificates.isEmpty())
        return;
    const QStringList forgotten = m_profile.trustedCertificates;
    // The saved profile forgets it at once, even if this dialog is cancelled; the rest of the form
    // is saved only when it connects.
    if (std::optional<ConnectionProfile> stored = m_profiles.profile(m_profile.id);
        stored && !stored->trustedCertificates.isEmpty()) {
        stored->trustedCertificates.clear();
        if (const auto saved = m_profiles.save(*stored); !saved.ok()) {
            showError(saved.error().message);
            return;
        }
    }
    m_profile.trustedCertificates.clear();
    // A changed certificate on show was compared with the forgotten one: the next Connect asks
    // about it afresh.
    m_pendingFingerprint.clear();
    m_ui->certificateGroup->hide();
    // The client stops accepting it for new connections too (this profile may be the one in use).
    QStringList still = m_client.options().trustedCertificates;
    still.erase(std::remove_if(still.begin(), still.end(),
                    [&forgotten](const QString &f) { return fingerprint::contains(forgotten, f); }),
        still.end());
    m_client.setTrustedCertificates(still);
    updateTrustedCertificate();
    m_ui->errorBanner->showMessage(InlineBanner::Kind::Info,
        tr("The certificate is no longer trusted for %1: the next connection shows the host's certificate "
           "before anything is sent.")
            .arg(m_profile.name.isEmpty() ? m_ui->nameEdit->text().trimmed() : m_profile.name));
}

void ConnectHostDialog::updateTrustedCertificate()
{
    const bool trusted = !m_profile.trustedCertificates.isEmpty();
    m_ui->trustedCertificateLabel->setText(trusted
            ? tr("Trusted, SHA-256 %1").arg(m_profile.trustedCertificates.join(QStringLiteral(", ")))
            : QString());
    m_ui->trustedCertificateLabel->setToolTip(
        tr("A certificate that does not verify, accepted for this connection after its details were "
           "checked. If the host presents another one, Riverkeeper refuses it and asks again."));
    m_ui->form->setRowVisible(m_ui->trustedCertificateRow, trusted);
}

void ConnectHostDialog::reject()
{
    if (m_connection && m_busy)
        m_connection->cancel();
    setBusy(false);
    for (QLineEdit *secret : {m_ui->passwordEdit, m_ui->tokenEdit, m_ui->adminSecretEdit})
        secret->clear();
    QDialog::reject();
}

void ConnectHostDialog::setBusy(bool busy, const QString &what)
{
    const bool changed = m_busy != busy;
    m_busy = busy;
    m_ui->busyLabel->setText(what);
    m_ui->busyRow->setVisible(busy);
    m_ui->formArea->setEnabled(!busy);
    m_ui->certificateGroup->setEnabled(!busy);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    if (busy)
        m_ui->errorBanner->clear();
    setCursor(busy ? Qt::BusyCursor : Qt::ArrowCursor);
    if (changed)
        Q_EMIT busyChanged(busy);
}

void ConnectHostDialog::showError(const QString &message)
{
    m_ui->errorBanner->showError(message);
}

} // namespace rk
