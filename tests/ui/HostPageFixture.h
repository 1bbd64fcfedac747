#pragma once

// One Host-profile page per test over a HostSession (see HostSessionFixture.h): the settings
// folder, the session, the page and the status messages it showed.
#include "HostSessionFixture.h"
#include "widgets/InlineBanner.h"

#include <QAction>

namespace uitest {

// The set-up a Host profile page's widget test shares: the settings in a temporary folder, then
// per test a HostSession with page `PageT` over it, shown, whose status messages are collected.
// The test's initTestCase(), init() and cleanup() call prepare(), reset() and close().
template<typename PageT> class HostPageFixture
{
public:
    bool prepare()
    {
        if (!dir.isValid())
            return false;
        settings = makeSettings(dir);
        return true;
    }

    void reset()
    {
        statusMessages.clear();
        rk::MessageBox::takeAskedCount();
    }

    void close()
    {
        page.reset();
        session.reset();
    }

    // The page's action named `name`, and its banner.
    QAction *action(const char *name) const
    {
        return page->template findChild<QAction *>(QString::fromLatin1(name));
    }
    rk::InlineBanner *banner() const
    {
        return page->template findChild<rk::InlineBanner *>(QStringLiteral("pageBanner"));
    }

    // A new session signed in as `userId` (see HostSession::open()), in a mirror of its own, and
    // the page over it; `context` receives the page's status messages. False on failure.
    bool open(qint64 userId, QObject *context)
    {
        session = std::make_unique<HostSession>();
        if (!session->open(dir.filePath(QStringLiteral("mirror-%1.db").arg(++counter)), userId))
            return false;
        if (!session->showPage(page, *settings))
            return false;
        QObject::connect(
            page.get(), &PageT::statusMessage, context, [this](const QString &m) { statusMessages << m; });
        return true;
    }

    QTemporaryDir dir;
    std::unique_ptr<rk::AppSettings> settings;
    std::unique_ptr<HostSession> session;
    std::unique_ptr<PageT> page;
    QStringList statusMessages;
    int counter = 0;
};

// Chooses the entry of `combo` whose data is `value`; false when there is none.
inline bool choose(QComboBox *combo, const QVariant &value)
{
    const int index = combo->findData(value);
    if (index >= 0)
        combo->setCurrentIndex(index);
    return index >= 0;
}

} // namespace uitest
