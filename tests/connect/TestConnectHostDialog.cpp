// ConnectHostDialog driven by objectName against the fake host: the live plain-http warning,
// sign-in with each method, inline errors, the keychain question and the certificate check.
#include "ConnectTestSupport.h"
#include "FakeHost.h"
#include "RkTest.h"
#include "connect/ConnectHostDialog.h"
#include "connection/HostConnection.h"
#include "host/HostClient.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QApplication>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>

#include <memory>

using namespace rk;
using namespace rk::test;
using namespace connecttest;
using namespace Qt::StringLiterals;

class TestConnectHostDialog : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeHost> m_host;
    std::unique_ptr<HostClient> m_client;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<MemorySecretStore> m_session;

    const FakeHost::Seed &seed() const { return m_host->seed(); }

    std::unique_ptr<ConnectHostDialog> makeDialog(SecretStore *secrets = nullptr)
    {
        auto dialog = std::make_unique<ConnectHostDialog>(
            *m_profiles, secrets ? *secrets : *m_secrets, *m_session, *m_client);
        dialog->show();
        return dialog;
    }

    template<typename T> static T *child(QWidget &dialog, const char *name)
    {
        T *widget = dialog.findChild<T *>(QLatin1String(name));
        if (!widget)
            qWarning("no child named %s", name);
        return widget;
    }

    static void fill(QWidget &dialog, const QString &name, const QUrl &url)
    {
        child<QLineEdit>(dialog, "nameEdit")->setText(name);
        child<QLineEdit>(dialog, "urlEdit")->setText(url.toString());
    }

    static void usePassword(QWidget &dialog, const QString &username, const QString &password)
    {
        child<QComboBox>(dialog, "methodCombo")->setCurrentIndex(0);
        child<QLineEdit>(dialog, "usernameEdit")->setText(username);
        child<QLineEdit>(dialog, "passwordEdit")->setText(password);
    }

    static void useToken(QWidget &dialog, const QString &token)
    {
        child<QComboBox>(dialog, "methodCombo")->setCurrentIndex(1);
        child<QLineEdit>(dialog, "tokenEdit")->setText(token);
    }

    static QString bannerText(QWidget &dialog) { return child<InlineBanner>(dialog, "errorBanner")->text(); }

    int appTokens() const
    {
        int n = 0;
        const QList<FakeToken> tokens = m_host->tokens();
        for (const FakeToken &t : tokens)
            n += t.name == HostConnection::appTokenName() ? 1 : 0;
        return n;
    }

    // A saved profile whose certificate is trusted, and its token in the keychain.
    ConnectionProfile saveTrustedProfile(const FakeHost &tlsHost, const QString &fingerprint)
    {
        ConnectionProfile p;
        p.name = u"secure"_s;
        p.baseUrl = tlsHost.baseUrl();
        p.auth = ConnectionProfile::Auth::ApiToken;
        p.trustedCertificates = QStringList {fingerprint};
        auto saved = m_profiles->save(p);
        if (!saved.ok())
            return {};
        bool written = false;
        m_secrets->write(saved->secretKey(), tlsHost.seed().adminToken, m_secrets.get(),
            [&written](const Status &s) { written = s.ok(); });
        if (!QTest::qWaitFor([&written] { return written; }, 5000))
            return {};
        return saved.value();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_host = std::make_unique<FakeHost>();
        QVERIFY(m_host->start());
        m_client = std::make_unique<HostClient>();
        m_profiles = std::make_unique<ProfileStore>(
            std::make_unique<QSettings>(m_dir->filePath(u"profiles.conf"_s), QSettings::IniFormat));
        m_secrets = std::make_unique<MemorySecretStore>();
        m_session = std::make_unique<MemorySecretStore>();
        (void)MessageBox::takeAskedCount();
    }
    void cleanup()
    {
        m_profiles.reset();
        m_client.reset();
        m_host.reset();
        m_secrets.reset();
        m_session.reset();
        m_dir.reset();
    }

    void everyControlHasAnObjectName()
    {
        auto dialog = makeDialog();
        const QList<QWidget *> widgets = dialog->findChildren<QWidget *>();
        for (QWidget *w : widgets) {
            if (w->inherits("QAbstractButton") || w->inherits("QLineEdit") || w->inherits("QComboBox")) {
                if (w->parent() && w->parent()->inherits("QComboBox"))
                    continue; // a combo box's own line edit
                if (w->parent() && w->parent()->inherits("rk::InlineBanner"))
                    continue; // the banner's own buttons
                QVERIFY2(!w->objectName().isEmpty(), w->metaObject()->className());
            }
        }
    }

    void plainHttpWarningIsShownLiveForAHostThatIsNotLoopback()
    {
        auto dialog = makeDialog();
        auto *url = child<QLineEdit>(*dialog, "urlEdit");
        auto *warning = child<InlineBanner>(*dialog, "httpWarningBanner");
        QVERIFY(!warning->isVisible());
        url->setText(u"http://10.1.2.3:8000"_s);
        QVERIFY(warning->isVisible());
        QVERIFY2(warning->text().contains(u"plain HTTP"_s), qPrintable(warning->text()));
        QVERIFY(warning->text().contains(u"10.1.2.3"_s));
        url->setText(u"http://127.0.0.1:8000"_s);
        QVERIFY(!warning->isVisible());
        url->setText(u"https://10.1.2.3:8000"_s);
        QVERIFY(!warning->isVisible());
        url->setText(u"http://localhost:8000"_s);
        QVERIFY(!warning->isVisible());
    }

    void databaseChooserOnlyForHostAndDatabase()
    {
        auto dialog = makeDialog();
        auto *row = child<QWidget>(*dialog, "databaseRow");
        QVERIFY(!row->isVisible());
        child<QComboBox>(*dialog, "kindCombo")->setCurrentIndex(1);
        QVERIFY(row->isVisible());
        QVERIFY(child<QPushButton>(*dialog, "browseDatabaseButton")->isVisible());
    }

    void passwordSignInAcceptsWithTheSavedProfile()
    {
        auto dialog = makeDialog();
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        fill(*dialog, u"lab"_s, m_host->baseUrl());
        usePassword(*dialog, u"admin"_s, seed().adminPassword);
        child<QPushButton>(*dialog, "connectButton")->click();
        QVERIFY(dialog->isBusy());
        QVERIFY(accepted.wait(5000));

        const ConnectionProfile p = dialog->profile();
        QCOMPARE(p.name, u"lab"_s);
        QCOMPARE(p.username, u"admin"_s);
        QVERIFY(p.appTokenId >= 0);
        QCOMPARE(dialog->me().username, u"admin"_s);
        QCOMPARE(dialog->secretStore(), m_secrets.get());
        QVERIFY(m_secrets->contains(p.secretKey()));
        QCOMPARE(appTokens(), 1);
        QCOMPARE(m_client->auth().mode, HostAuth::Mode::Bearer);

        const auto saved = m_profiles->profile(p.id);
        QVERIFY(saved.has_value());
        QCOMPARE(saved->appTokenId, p.appTokenId);
        QCOMPARE(saved->baseUrl, m_host->baseUrl());
        QCOMPARE(m_profiles->lastUsedId(), p.id);
        QCOMPARE(child<QLineEdit>(*dialog, "passwordEdit")->text(), QString()); // not kept in the widget
    }

    void hostAndDatabaseProfileKeepsTheDatabasePath()
    {
        auto dialog = makeDialog();
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        fill(*dialog, u"on the host"_s, m_host->baseUrl());
        child<QComboBox>(*dialog, "kindCombo")->setCurrentIndex(1);
        child<QLineEdit>(*dialog, "databaseEdit")->setText(u"/var/lib/kohakuriver/kohakuriver.db"_s);
        child<QComboBox>(*dialog, "methodCombo")->setCurrentIndex(2);
        child<QLineEdit>(*dialog, "adminSecretEdit")->setText(seed().adminSecret);
        child<QPushButton>(*dialog, "connectButton")->click();
        QVERIFY(accepted.wait(5000));
        QCOMPARE(dialog->profile().kind, ConnectionProfile::Kind::HostAndDatabase);
        QCOMPARE(dialog->profile().databasePath, u"/var/lib/kohakuriver/kohakuriver.db"_s);
        QCOMPARE(dialog->profile().auth, ConnectionProfile::Auth::AdminSecret);
        QCOMPARE(dialog->me().id, 0);
        QCOMPARE(m_host->requests().last().header("x-admin-token"), seed().adminSecret.toLatin1());
    }

    void badTokenShowsTheMessageInlineAndDoesNotAccept()
    {
        auto dialog = makeDialog();
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        fill(*dialog, u"lab"_s, m_host->baseUrl());
        useToken(*dialog, QString(64, QLatin1Char('b')));
        child<QPushButton>(*dialog, "connectButton")->click();
        QTRY_VERIFY(bannerText(*dialog).contains(u"not valid on this host"_s));
        QVERIFY(!dialog->isBusy());
        QCOMPARE(accepted.size(), 0);
        QVERIFY(dialog->isVisible());
        QVERIFY(m_profiles->profiles().isEmpty());
        QCOMPARE(m_secrets->count(), 0);
        QVERIFY(child<QPushButton>(*dialog, "connectButton")->isEnabled());
    }

    void invalidAddressIsRefusedBeforeConnecting()
    {
        auto dialog = makeDialog();
        fill(*dialog, u"lab"_s, QUrl(u"ftp://example.org"_s));
        useToken(*dialog, seed().adminToken);
        m_host->server().clearRequests();
        child<QPushButton>(*dialog, "connectButton")->click();
        QVERIFY(bannerText(*dialog).contains(u"http://"_s));
        QVERIFY(!dialog->isBusy());
        QCOMPARE(m_host->requests().size(), 0);
    }

    void keychainFailureKeptForThisSessionAccepts()
    {
        RefusingSecretStore keychain;
        auto dialog = makeDialog(&keychain);
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        fill(*dialog, u"lab"_s, m_host->baseUrl());
        usePassword(*dialog, u"admin"_s, seed().adminPassword);
        MessageBox::setNextAnswer(MessageBox::Button::Yes);
        child<QPushButton>(*dialog, "connectButton")->click();
        QVERIFY(accepted.wait(5000));
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(keychain.writes, 1);
        QCOMPARE(dialog->secretStore(), m_session.get());
        QVERIFY(m_session->contains(dialog->profile().secretKey()));
        QCOMPARE(appTokens(), 1);
    }

    void keychainFailureRefusedRevokesAndStays()
    {
        RefusingSecretStore keychain;
        auto dialog = makeDialog(&keychain);
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        fill(*dialog, u"lab"_s, m_host->baseUrl());
        usePassword(*dialog, u"admin"_s, seed().adminPassword);
        MessageBox::setNextAnswer(MessageBox::Button::No);
        child<QPushButton>(*dialog, "connectButton")->click();
        QTRY_VERIFY(bannerText(*dialog).contains(u"The keychain is locked."_s));
        QTRY_VERIFY(!dialog->isBusy());
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(accepted.size(), 0);
        QCOMPARE(appTokens(), 0); // the token made for the sign-in was revoked again
        QCOMPARE(m_session->count(), 0);
        QVERIFY(m_profiles->profiles().isEmpty());
    }

    void untrustedCertificateIsShownAndTrustedOnlyOnRequest()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        FakeHost tlsHost;
        QVERIFY(tlsHost.startTls());
        auto dialog = makeDialog();
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        fill(*dialog, u"secure"_s, tlsHost.baseUrl());
        useToken(*dialog, tlsHost.seed().adminToken);
        child<QPushButton>(*dialog, "connectButton")->click();
        auto *certificate = child<QGroupBox>(*dialog, "certificateGroup");
        QTRY_VERIFY(certificate->isVisible());
        QCOMPARE(
            child<QLabel>(*dialog, "certificateFingerprintLabel")->text(), FakeHost::certificateSha256());
        QVERIFY(
            child<QLabel>(*dialog, "certificateSubjectLabel")->text().contains(u"Riverkeeper Fake Host"_s));
        QVERIFY(!child<QLabel>(*dialog, "certificateIssuerLabel")->text().isEmpty());
        QVERIFY(!child<QLabel>(*dialog, "certificateValidityLabel")->text().isEmpty());
        // Every line can be read: the labels wrap, and the dialog grows to what they need.
        for (const char *name :
            {"certificateSubjectLabel", "certificateIssuerLabel", "certificateFingerprintLabel"}) {
            const QLabel *label = child<QLabel>(*dialog, name);
            QTRY_VERIFY2(label->height() >= label->heightForWidth(label->width()),
                qPrintable(u"%1: %2 px high, needs %3"_s.arg(QLatin1String(name))
                               .arg(label->height())
                               .arg(label->heightForWidth(label->width()))));
        }
        QVERIFY(!bannerText(*dialog).isEmpty());
        QCOMPARE(accepted.size(), 0);
        QCOMPARE(tlsHost.requests().size(), 0);
        QVERIFY(m_client->options().trustedCertificates.isEmpty()); // nothing trusted by itself

        QVERIFY(!child<QLabel>(*dialog, "certificatePreviousLabel")->isVisible()); // not a change
        QVERIFY(!child<QWidget>(*dialog, "trustedCertificateRow")->isVisible());

        child<QPushButton>(*dialog, "trustCertificateButton")->click();
        QVERIFY(accepted.wait(5000));
        QCOMPARE(dialog->me().username, u"admin"_s);
        // Remembered with the profile, for the next start and the CLI's --profile.
        const QStringList trusted {FakeHost::certificateSha256()};
        QCOMPARE(dialog->profile().trustedCertificates, trusted);
        QCOMPARE(m_profiles->profile(dialog->profile().id)->trustedCertificates, trusted);
        QCOMPARE(m_client->options().trustedCertificates, trusted);
    }

    void rememberedCertificateIsShownAndCanBeForgotten()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        FakeHost tlsHost;
        QVERIFY(tlsHost.startTls());
        const ConnectionProfile saved = saveTrustedProfile(tlsHost, FakeHost::certificateSha256());
        QVERIFY(!saved.id.isEmpty());
        m_client->setTrustedCertificates(saved.trustedCertificates); // the profile is the one in use

        auto dialog = makeDialog();
        dialog->setProfile(saved);
        auto *row = child<QWidget>(*dialog, "trustedCertificateRow");
        QVERIFY(row->isVisible());
        QVERIFY2(
            child<QLabel>(*dialog, "trustedCertificateLabel")->text().contains(FakeHost::certificateSha256()),
            qPrintable(child<QLabel>(*dialog, "trustedCertificateLabel")->text()));

        child<QPushButton>(*dialog, "forgetCertificateButton")->click();
        QVERIFY(!row->isVisible());
        QVERIFY(m_profiles->profile(saved.id)->trustedCertificates.isEmpty()); // saved at once
        QVERIFY(m_client->options().trustedCertificates.isEmpty());
        QCOMPARE(child<InlineBanner>(*dialog, "errorBanner")->kind(), InlineBanner::Kind::Info);
        QVERIFY(dialog->profile().trustedCertificates.isEmpty());

        // Connecting again asks again, as the first time, and sends nothing before.
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        child<QPushButton>(*dialog, "connectButton")->click();
        auto *certificate = child<QGroupBox>(*dialog, "certificateGroup");
        QTRY_VERIFY(certificate->isVisible());
        QVERIFY(!child<QLabel>(*dialog, "certificatePreviousLabel")->isVisible());
        QCOMPARE(tlsHost.requests().size(), 0);
        QCOMPARE(accepted.size(), 0);

        // Cancelled: the saved profile stays without it.
        dialog->reject();
        QVERIFY(m_profiles->profile(saved.id)->trustedCertificates.isEmpty());
    }

    void forgettingWhileAChangeIsShownAsksAgainAsNew()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        FakeHost tlsHost;
        QVERIFY(tlsHost.startTls(FakeHost::Certificate::Renewed));
        const ConnectionProfile saved = saveTrustedProfile(tlsHost, FakeHost::certificateSha256());
        QVERIFY(!saved.id.isEmpty());
        auto dialog = makeDialog();
        dialog->setProfile(saved);
        child<QPushButton>(*dialog, "connectButton")->click();
        auto *certificate = child<QGroupBox>(*dialog, "certificateGroup");
        QTRY_VERIFY(certificate->isVisible());
        QVERIFY(child<QLabel>(*dialog, "certificatePreviousLabel")->isVisible());

        // The comparison with the forgotten certificate is gone with it.
        child<QPushButton>(*dialog, "forgetCertificateButton")->click();
        QVERIFY(!certificate->isVisible());
        QVERIFY(m_profiles->profile(saved.id)->trustedCertificates.isEmpty());
        child<QPushButton>(*dialog, "connectButton")->click();
        QTRY_VERIFY(certificate->isVisible());
        QVERIFY(!child<QLabel>(*dialog, "certificatePreviousLabel")->isVisible());
        QVERIFY2(!certificate->title().contains(u"changed"_s), qPrintable(certificate->title()));
        QCOMPARE(tlsHost.requests().size(), 0);
    }

    void changedCertificateAsksAgainWithBothFingerprints()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        const QString before = FakeHost::certificateSha256();
        const QString after = FakeHost::certificateSha256(FakeHost::Certificate::Renewed);
        FakeHost tlsHost;
        QVERIFY(tlsHost.startTls(FakeHost::Certificate::Renewed));
        const ConnectionProfile saved = saveTrustedProfile(tlsHost, before);
        QVERIFY(!saved.id.isEmpty());

        // Reopening the profile at start fails (DesktopApp::resumeLastHost), and the dialog opens
        // with that failure.
        HostConnection resume(saved, *m_secrets, *m_client);
        QSignalSpy failed(&resume, &HostConnection::failed);
        resume.resume();
        QVERIFY(failed.wait(5000));
        const auto failure = failed.first().first().value<ConnectionFailure>();
        QCOMPARE(failure.kind, ConnectionFailure::Kind::Tls);

        auto dialog = makeDialog();
        dialog->setProfile(saved);
        dialog->showFailure(failure);
        auto *certificate = child<QGroupBox>(*dialog, "certificateGroup");
        QVERIFY(certificate->isVisible());
        QVERIFY2(certificate->title().contains(u"changed"_s), qPrintable(certificate->title()));
        QCOMPARE(child<QLabel>(*dialog, "certificateFingerprintLabel")->text(), after);
        auto *previous = child<QLabel>(*dialog, "certificatePreviousLabel");
        QVERIFY(previous->isVisible());
        QCOMPARE(previous->text(), before);
        QVERIFY2(bannerText(*dialog).contains(u"changed"_s), qPrintable(bannerText(*dialog)));
        QVERIFY(child<QLabel>(*dialog, "trustedCertificateLabel")->text().contains(before));
        QCOMPARE(tlsHost.requests().size(), 0);

        // Trusting the new certificate replaces the old one, and the saved token is checked again.
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        child<QPushButton>(*dialog, "trustCertificateButton")->click();
        QVERIFY(accepted.wait(5000));
        QCOMPARE(m_profiles->profile(saved.id)->trustedCertificates, QStringList {after});
        QCOMPARE(tlsHost.requests().size(), 1);
        QCOMPARE(tlsHost.requests().first().path, u"/api/auth/me"_s);
    }

    void editingWithoutANewCredentialChecksTheSavedOne()
    {
        ConnectionProfile saved;
        {
            auto first = makeDialog();
            QSignalSpy accepted(first.get(), &QDialog::accepted);
            fill(*first, u"lab"_s, m_host->baseUrl());
            usePassword(*first, u"admin"_s, seed().adminPassword);
            child<QPushButton>(*first, "connectButton")->click();
            QVERIFY(accepted.wait(5000));
            saved = first->profile();
        }

        auto dialog = makeDialog();
        dialog->setProfile(saved);
        QCOMPARE(child<QLineEdit>(*dialog, "nameEdit")->text(), u"lab"_s);
        QCOMPARE(child<QLineEdit>(*dialog, "usernameEdit")->text(), u"admin"_s);
        QSignalSpy accepted(dialog.get(), &QDialog::accepted);
        child<QLineEdit>(*dialog, "nameEdit")->setText(u"lab 2"_s);
        m_host->server().clearRequests();
        child<QPushButton>(*dialog, "connectButton")->click();
        QVERIFY(accepted.wait(5000));
        QCOMPARE(m_host->requests().size(), 1); // /me with the saved token only
        QCOMPARE(m_host->requests().first().path, u"/api/auth/me"_s);
        QCOMPARE(appTokens(), 1);
        QCOMPARE(dialog->profile().id, saved.id);
        QCOMPARE(dialog->profile().appTokenId, saved.appTokenId);
        QCOMPARE(m_profiles->profiles().size(), 1);
        QCOMPARE(m_profiles->profiles().first().name, u"lab 2"_s);
    }

    void aTakenNameIsRefused()
    {
        ConnectionProfile other;
        other.name = u"lab"_s;
        other.baseUrl = QUrl(u"http://127.0.0.1:1"_s);
        QVERIFY(m_profiles->save(other).ok());
        auto dialog = makeDialog();
        fill(*dialog, u"LAB"_s, m_host->baseUrl());
        useToken(*dialog, seed().adminToken);
        child<QPushButton>(*dialog, "connectButton")->click();
        QVERIFY(bannerText(*dialog).contains(u"exists already"_s));
        QVERIFY(!dialog->isBusy());
    }
};

RK_TEST_WIDGETS_MAIN(TestConnectHostDialog)
#include "TestConnectHostDialog.moc"
