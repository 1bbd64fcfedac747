#pragma once

// A Host profile's session for widget tests, built as the desktop app builds one (HostLink and
// DesktopApp live in the executable): the fake host on loopback, a REST client signed in with one
// of its seeded tokens, the profile's mirror filled by a real sync, the mirror opened read-only as
// the pages read it, and the HostAdminService, whose answered requests are audited in the mirror
// and whose changes sync it again. Link riverkeeper_ui and rk_fake_host.

#include "AppSettings.h"
#include "FakeHost.h"
#include "RkTest.h"
#include "UiTestSupport.h"
#include "connection/HostAdminService.h"
#include "host/HostClient.h"
#include "mirror/HostMirror.h"
#include "mirror/MirrorSync.h"
#include "store/PlatformStore.h"
#include "widgets/MessageBox.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace uitest {

class HostSession
{
public:
    // How often the pages' store looks for the sync's commits (the app: every 2 s).
    static constexpr int kWatchMs = 100;

    // Starts the fake host, signs in with the API token of the seeded account `userId` (admin 1,
    // operator 2, user 3, viewer 4), syncs the mirror at `mirrorPath` once and opens it for the
    // pages. False (with a warning) on failure.
    bool open(const QString &mirrorPath, qint64 userId)
    {
        host = std::make_unique<rk::test::FakeHost>();
        if (!host->start())
            return fail("the fake host did not start");
        const QString token = tokenOf(userId);
        if (token.isEmpty())
            return fail("no seeded token for that account");
        client = std::make_unique<rk::HostClient>();
        client->setBaseUrl(host->baseUrl());
        rk::HostClientOptions options;
        options.maxAttempts = 1;
        options.timeout = std::chrono::milliseconds(3000);
        client->setOptions(options);
        client->setAuth(rk::HostAuth::bearer(token));
        auto opened = rk::HostMirror::open(mirrorPath);
        if (!opened)
            return fail(opened.error().message);
        mirror = std::move(opened).value();
        sync = std::make_unique<rk::MirrorSync>(client.get(), mirror.get());
        if (!syncNow())
            return fail("the first sync failed");
        auto readOnly = rk::PlatformStore::open(mirrorPath, rk::PlatformStore::Access::ReadOnly);
        if (!readOnly)
            return fail(readOnly.error().message);
        store = std::move(readOnly).value();
        store->setReadOnlyReason(QStringLiteral("the local copy of the test host"));
        store->setWatchInterval(kWatchMs);
        const std::optional<rk::test::FakeUser> me = host->user(userId);
        if (!me)
            return fail("no such seeded user");
        actor
            = rk::Actor {me->id, me->username, rk::roles::fromString(me->role), QStringLiteral("test@host")};

        admin = std::make_unique<rk::HostAdminService>(client.get());
        QObject::connect(admin.get(), &rk::HostAdminService::actionRecorded, admin.get(),
            [this](const QString &action, const QString &target, bool ok, const QString &detail) {
                (void)mirror->recordAction(actor.username, action, target, ok, detail);
            });
        QObject::connect(admin.get(), &rk::HostAdminService::hostChanged, sync.get(), &rk::MirrorSync::sync);
        return true;
    }

    // Makes page `PageT` over this session as the main window and DesktopApp do (the mirror, the
    // account, setHostAdmin()), shows it and waits until it is the active window.
    template<typename PageT> bool showPage(std::unique_ptr<PageT> &page, rk::AppSettings &settings)
    {
        page = std::make_unique<PageT>(*store, actor, settings);
        page->setHostAdmin(admin.get());
        page->resize(1200, 700);
        page->show();
        page->activateWindow();
        return QTest::qWaitForWindowActive(page.get());
    }

    // One more sync, to its end.
    bool syncNow()
    {
        QSignalSpy finished(sync.get(), &rk::MirrorSync::finished);
        sync->sync();
        return finished.wait(10000) && sync->lastStatus().ok();
    }

    // The actions audited in the mirror, newest first, as "action target ok|failed".
    QStringList auditTrail()
    {
        QStringList out;
        auto entries = mirror->auditEntries();
        if (!entries)
            return {entries.error().message};
        for (const rk::MirrorAuditEntry &e : entries.value())
            out << QStringLiteral("%1 %2 %3")
                       .arg(e.action, e.target, e.ok ? QStringLiteral("ok") : QStringLiteral("failed"));
        return out;
    }

    const rk::test::FakeHost::Seed &seed() const { return host->seed(); }
    // The requests the host received with this method (PATCH, DELETE, POST...).
    QList<rk::test::RecordedRequest> requests(const QByteArray &method) const
    {
        QList<rk::test::RecordedRequest> out;
        for (const rk::test::RecordedRequest &r : host->requests()) {
            if (r.method == method)
                out << r;
        }
        return out;
    }

    // Declared in the order they are built; they go in reverse (the sync before its mirror).
    std::unique_ptr<rk::test::FakeHost> host;
    std::unique_ptr<rk::HostClient> client;
    std::unique_ptr<rk::HostMirror> mirror;
    std::unique_ptr<rk::MirrorSync> sync;
    std::unique_ptr<rk::PlatformStore> store;
    std::unique_ptr<rk::HostAdminService> admin;
    rk::Actor actor;

private:
    QString tokenOf(qint64 userId) const
    {
        const rk::test::FakeHost::Seed &s = host->seed();
        return userId == s.adminId   ? s.adminToken
            : userId == s.operatorId ? s.operatorToken
            : userId == s.userId     ? s.userToken
            : userId == s.viewerId   ? s.viewerToken
                                     : QString();
    }

    static bool fail(const QString &why)
    {
        qWarning("host session: %s", qPrintable(why));
        return false;
    }
    static bool fail(const char *why) { return fail(QString::fromUtf8(why)); }
};

} // namespace uitest
