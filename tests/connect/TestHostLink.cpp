// HostLink's status line for the status bar (app/desktop, compiled into this test): a plain
// http:// connection to a host that is not on loopback says "not encrypted" for as long as it
// lasts, with a tooltip saying why and what to do; loopback and https do not.
#include "AppSettings.h"
#include "FakeHost.h"
#include "HostLink.h"
#include "MainWindow.h"
#include "RkTest.h"
#include "host/HostClient.h"
#include "mirror/MirrorSync.h"
#include "secrets/SecretStore.h"

#include <QApplication>
#include <QLabel>
#include <QSettings>
#include <QTemporaryDir>

#include <memory>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;

class TestHostLink : public QObject
{
    Q_OBJECT

    int m_profiles = 0;

    ConnectionProfile profileAt(const QUrl &url)
    {
        ConnectionProfile p;
        p.id = u"4d1e0c3a-0000-4000-8000-%1"_s.arg(++m_profiles, 12, 10, QLatin1Char('0'));
        p.name = u"lab"_s;
        p.kind = ConnectionProfile::Kind::Host;
        p.baseUrl = url;
        p.auth = ConnectionProfile::Auth::ApiToken;
        return p;
    }

    static HostUser admin()
    {
        HostUser me;
        me.id = 1;
        me.username = u"admin"_s;
        me.role = u"admin"_s;
        return me;
    }

private Q_SLOTS:
    void notEncryptedOnlyForPlainHttpToAnotherMachine_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("inClear");
        QTest::newRow("http to a LAN address") << u"http://10.1.2.3:8000"_s << true;
        QTest::newRow("http to a name") << u"http://river.example.org:8000"_s << true;
        QTest::newRow("https") << u"https://river.example.org"_s << false;
        QTest::newRow("127.0.0.1") << u"http://127.0.0.1:8000"_s << false;
        QTest::newRow("127.0.0.2") << u"http://127.0.0.2:8000"_s << false;
        QTest::newRow("::1") << u"http://[::1]:8000"_s << false;
        QTest::newRow("localhost") << u"http://localhost:8000"_s << false;
    }
    void notEncryptedOnlyForPlainHttpToAnotherMachine()
    {
        QFETCH(QString, url);
        QFETCH(bool, inClear);
        HostClient client;
        MemorySecretStore secrets;
        HostLink link(profileAt(QUrl(url)), client, secrets);
        auto session = link.open(admin(), u"test"_s);
        QVERIFY2(session.ok(), session ? "" : qPrintable(session.error().message));
        QVERIFY(link.statusText().startsWith(link.sync()->statusText()));
        QCOMPARE(link.statusText().endsWith(u" \u00b7 not encrypted"_s), inClear);
        if (inClear) {
            QVERIFY2(link.statusToolTip().contains(u"sent in clear"_s), qPrintable(link.statusToolTip()));
            QVERIFY(link.statusToolTip().contains(u"https://"_s));
            QVERIFY(link.statusToolTip().contains(QUrl(url).host()));
        } else {
            QVERIFY(link.statusToolTip().isEmpty());
        }
    }

    // The note stays through every state of the connection, not only at the first sync.
    void notEncryptedStaysWhileOnlineAndOffline()
    {
        FakeHost host;
        QVERIFY(host.start());
        HostClient client;
        client.setBaseUrl(host.baseUrl());
        client.setAuth(HostAuth::bearer(host.seed().adminToken));
        MemorySecretStore secrets;

        // The same fake host, as the app sees it over loopback: online, no note.
        HostLink local(profileAt(host.baseUrl()), client, secrets);
        QVERIFY(local.open(admin(), u"test"_s).ok());
        QTRY_COMPARE(local.sync()->state(), MirrorSync::State::Online);
        QVERIFY2(!local.statusText().contains(u"not encrypted"_s), qPrintable(local.statusText()));

        // A host on another machine that stops answering: offline, and still not encrypted.
        HostLink remote(profileAt(QUrl(u"http://riverkeeper-test.invalid:8000"_s)), client, secrets);
        client.setBaseUrl(QUrl(u"http://riverkeeper-test.invalid:8000"_s));
        HostClientOptions quick = client.options();
        quick.maxAttempts = 1;
        client.setOptions(quick);
        QVERIFY(remote.open(admin(), u"test"_s).ok());
        QVERIFY(remote.statusText().endsWith(u" \u00b7 not encrypted"_s));
        QTRY_COMPARE_WITH_TIMEOUT(remote.sync()->state(), MirrorSync::State::Offline, 20000);
        QVERIFY2(remote.statusText().startsWith(u"Offline"_s), qPrintable(remote.statusText()));
        QVERIFY(remote.statusText().endsWith(u" \u00b7 not encrypted"_s));

        // What the status bar shows (DesktopApp::updateHostStatus passes both on).
        QTemporaryDir dir;
        AppSettings settings(std::make_unique<QSettings>(dir.filePath(u"s.ini"_s), QSettings::IniFormat));
        MainWindow window(settings);
        window.setConnectionStatus(u"lab \u00b7 "_s + remote.statusText(), true, remote.statusToolTip());
        auto *label = window.findChild<QLabel *>(u"hostStatusLabel"_s);
        QVERIFY(label->text().endsWith(u"not encrypted"_s));
        QCOMPARE(label->toolTip(), remote.statusToolTip());
        window.setConnectionStatus(u"lab \u00b7 "_s + local.statusText(), false, local.statusToolTip());
        QVERIFY(label->toolTip().isEmpty());
    }
};

RK_TEST_WIDGETS_MAIN(TestHostLink)
#include "TestHostLink.moc"
