#pragma once

// Helpers shared by the widget tests: real platform databases in temporary directories, app
// settings in an INI file there too, a cheap bcrypt cost where the code under test allows it, and
// ways to look at what a page shows (controls by name, confirmation boxes, delegate options).

#include "AppSettings.h"
#include "RkTest.h"
#include "core/Secrets.h"
#include "store/PlatformStore.h"
#include "tokens/AccessTableDelegate.h"
#include "widgets/MessageBox.h"

#include <QApplication>
#include <QLayout>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>

namespace uitest {

inline const QString kRootPassword = QStringLiteral("rootpass123");

inline std::unique_ptr<rk::AppSettings> makeSettings(const QTemporaryDir &dir)
{
    return std::make_unique<rk::AppSettings>(
        std::make_unique<QSettings>(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat));
}

inline rk::PasswordHash quickHash(const QString &password)
{
    return rk::Passwords::hash(password, 4).value();
}

// A new platform database at `path` whose first admin is "root" (password kRootPassword).
struct Platform
{
    std::unique_ptr<rk::PlatformStore> store;
    rk::Actor root;
};

inline Platform makePlatform(const QString &path)
{
    Platform p;
    auto created = rk::PlatformStore::create(path);
    if (!created) {
        qWarning("create failed: %s", qPrintable(created.error().message));
        return p;
    }
    p.store = std::move(created).value();
    auto admin = p.store->createFirstAdmin(QStringLiteral("root"), QStringLiteral("Root Admin"),
        quickHash(kRootPassword), QStringLiteral("test@host"));
    if (!admin) {
        qWarning("createFirstAdmin failed: %s", qPrintable(admin.error().message));
        p.store.reset();
        return p;
    }
    p.root = admin.value();
    return p;
}

inline qint64 addUser(rk::PlatformStore &store, const rk::Actor &admin, const QString &name,
    const QString &role, const QString &displayName = {})
{
    rk::NewUser nu;
    nu.username = name;
    nu.displayName = displayName;
    nu.role = role;
    auto id = store.createUser(admin, nu, quickHash(QStringLiteral("password-%1").arg(name)));
    if (!id) {
        qWarning("createUser failed: %s", qPrintable(id.error().message));
        return -1;
    }
    return id.value();
}

// The child of `parent` named `name`.
template<typename T> T *child(QObject *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}

// Reads what the page's delegate would show in a cell (initStyleOption is protected).
struct DelegatePeek : rk::AccessTableDelegate
{
    static QStyleOptionViewItem optionFor(QAbstractItemDelegate *delegate, const QModelIndex &index)
    {
        QStyleOptionViewItem option;
        auto *d = static_cast<rk::AccessTableDelegate *>(delegate);
        (d->*(&DelegatePeek::initStyleOption))(&option, index);
        return option;
    }
};

// What answerNextBox() saw: the box's texts, once it was shown.
struct BoxAnswer
{
    QString text;
    QString informative;
    bool seen = false;
};

// Answers the next real confirmation box (not answered in advance) and keeps its text.
inline std::shared_ptr<BoxAnswer> answerNextBox(bool accept)
{
    auto answer = std::make_shared<BoxAnswer>();
    auto *timer = new QTimer(qApp);
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, answer, accept]() {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box || box->objectName() != QLatin1String("confirmationBox"))
            return;
        answer->text = box->text();
        answer->informative = box->informativeText();
        answer->seen = true;
        box->findChild<QPushButton *>(
               accept ? QStringLiteral("confirmAcceptButton") : QStringLiteral("confirmRejectButton"))
            ->click();
        timer->deleteLater();
    });
    timer->start();
    return answer;
}

// Uses up an answer given in advance that a failed test left unused, so that it does not answer
// the next test's question, and resets the count of boxes asked.
inline void dropUnusedAnswer()
{
    rk::MessageBox::setNextAnswer(rk::MessageBox::Button::None);
    rk::MessageBox::ask(nullptr, {});
    rk::MessageBox::takeAskedCount();
}

// Lets pending layout requests run (a label that just got its text), for a picture.
inline QWidget *settled(QWidget *widget)
{
    QCoreApplication::sendPostedEvents();
    if (widget->layout())
        widget->layout()->activate();
    QCoreApplication::sendPostedEvents();
    return widget;
}

} // namespace uitest
