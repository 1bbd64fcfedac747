#include "UiTestSupport.h"

#include "signin/SignInDialog.h"
#include "store/SampleData.h"
#include "widgets/InlineBanner.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QStackedWidget>

using namespace rk;

class TestSignInDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;

    template<typename T> static T *child(QWidget &parent, const char *name)
    {
        T *w = parent.findChild<T *>(QString::fromLatin1(name));
        if (!w)
            qWarning("no child %s", name);
        return w;
    }

    static QString bannerText(SignInDialog &dialog)
    {
        return child<InlineBanner>(dialog, "errorBanner")->text();
    }

    static void signIn(SignInDialog &dialog, const QString &user, const QString &password)
    {
        child<QLineEdit>(dialog, "usernameEdit")->setText(user);
        child<QLineEdit>(dialog, "passwordEdit")->setText(password);
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = uitest::makeSettings(m_dir);
    }

    void wrongPasswordShowsInlineError()
    {
        const QString path = m_dir.filePath(QStringLiteral("wrong.db"));
        QVERIFY(uitest::makePlatform(path).store);
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        dialog.setRequest({path, SignInRequest::Mode::Open, {}});
        dialog.show();
        signIn(dialog, QStringLiteral("root"), QStringLiteral("not-the-password"));
        // bcrypt runs on a worker: the dialog is busy, not blocked.
        QVERIFY(dialog.isBusy());
        QVERIFY(!child<QPushButton>(dialog, "submitButton")->isEnabled());
        QTRY_VERIFY(!dialog.isBusy());
        QCOMPARE(bannerText(dialog), QStringLiteral("Invalid username or password"));
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(dialog.isVisible());
        QVERIFY(child<QLineEdit>(dialog, "passwordEdit")->text().isEmpty());
        QVERIFY(!dialog.takeSession());
    }

    void rightPasswordSignsIn()
    {
        const QString path = m_dir.filePath(QStringLiteral("right.db"));
        QVERIFY(uitest::makePlatform(path).store);
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        dialog.setRequest({path, SignInRequest::Mode::Open, QStringLiteral("root")});
        dialog.show();
        QCOMPARE(child<QLineEdit>(dialog, "usernameEdit")->text(), QStringLiteral("root"));
        signIn(dialog, QStringLiteral("root"), uitest::kRootPassword);
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
        auto session = dialog.takeSession();
        QVERIFY(session);
        QCOMPARE(session->actor.username, QStringLiteral("root"));
        QCOMPARE(session->actor.role, Role::Admin);
        QVERIFY(!session->store->isReadOnly());
        // Remembered: the path only.
        QCOMPARE(m_settings->recentFiles().value(0), path);
        QCOMPARE(m_settings->lastDatabase(), path);
        QFile ini(m_dir.filePath(QStringLiteral("settings.ini")));
        m_settings->sync();
        QVERIFY(ini.open(QIODevice::ReadOnly));
        QVERIFY(!ini.readAll().contains(uitest::kRootPassword.toUtf8()));
    }

    void readOnlyCheckOpensReadOnly()
    {
        const QString path = m_dir.filePath(QStringLiteral("ro.db"));
        QVERIFY(uitest::makePlatform(path).store);
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        dialog.setRequest({path, SignInRequest::Mode::OpenReadOnly, {}});
        QVERIFY(child<QCheckBox>(dialog, "readOnlyCheck")->isChecked());
        signIn(dialog, QStringLiteral("root"), uitest::kRootPassword);
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.takeSession()->store->isReadOnly());
        QVERIFY(m_settings->lastReadOnly());
    }

    void disabledAccountIsRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("disabled.db"));
        auto p = uitest::makePlatform(path);
        QVERIFY(p.store);
        uitest::addUser(*p.store, p.root, QStringLiteral("bob"), QStringLiteral("user"));
        UserChanges off;
        off.active = false;
        QVERIFY(
            p.store->updateUser(p.root, p.store->userByName(p.root, QStringLiteral("bob"))->id, off).ok());
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        dialog.setRequest({path, SignInRequest::Mode::Open, {}});
        signIn(dialog, QStringLiteral("bob"), QStringLiteral("password-bob"));
        QTRY_VERIFY(!dialog.isBusy());
        QCOMPARE(bannerText(dialog), QStringLiteral("Account is disabled"));
    }

    void notADatabaseShowsTheStoreMessage()
    {
        const QString path = m_dir.filePath(QStringLiteral("notes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("These are not the tables you are looking for.\n").repeated(40));
        file.close();
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        dialog.setRequest({path, SignInRequest::Mode::Open, {}});
        signIn(dialog, QStringLiteral("root"), uitest::kRootPassword);
        QVERIFY(!dialog.isBusy()); // refused before any password check
        QVERIFY2(bannerText(dialog).contains(QStringLiteral("is not an SQLite database")),
            qPrintable(bannerText(dialog)));
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
    }

    void missingFileShowsTheStoreMessage()
    {
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        dialog.setRequest({m_dir.filePath(QStringLiteral("nowhere.db")), SignInRequest::Mode::Open, {}});
        signIn(dialog, QStringLiteral("root"), uitest::kRootPassword);
        QVERIFY2(
            bannerText(dialog).contains(QStringLiteral("does not exist")), qPrintable(bannerText(dialog)));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("nowhere.db"))));
    }

    void firstAdminSetupCreatesTheAdmin()
    {
        const QString path = m_dir.filePath(QStringLiteral("new.db"));
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        dialog.setRequest({path, SignInRequest::Mode::Create, {}});
        dialog.show();
        QVERIFY(QFile::exists(path));
        auto *pages = child<QStackedWidget>(dialog, "pages");
        QCOMPARE(pages->currentWidget()->objectName(), QStringLiteral("firstAdminPage"));
        // A new store offers sample data.
        QVERIFY(child<QRadioButton>(dialog, "sampleDataRadio")->isVisible());

        child<QLineEdit>(dialog, "adminUsernameEdit")->setText(QStringLiteral("chief"));
        child<QLineEdit>(dialog, "adminDisplayNameEdit")->setText(QStringLiteral("Chief Admin"));
        child<QLineEdit>(dialog, "adminPasswordEdit")->setText(QStringLiteral("short"));
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        // The store's policy, inline, and nothing created.
        QVERIFY2(bannerText(dialog).contains(QStringLiteral("at least")), qPrintable(bannerText(dialog)));
        QVERIFY(!dialog.isBusy());

        child<QLineEdit>(dialog, "adminPasswordEdit")->setText(QStringLiteral("a-long-enough-secret"));
        child<QLineEdit>(dialog, "adminConfirmEdit")->setText(QStringLiteral("a-long-enough-secreT"));
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QCOMPARE(bannerText(dialog), QStringLiteral("The two passwords do not match."));

        child<QLineEdit>(dialog, "adminConfirmEdit")->setText(QStringLiteral("a-long-enough-secret"));
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QVERIFY(dialog.isBusy()); // hashing on a worker
        QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
        auto session = dialog.takeSession();
        QVERIFY(session);
        QCOMPARE(session->actor.username, QStringLiteral("chief"));
        QCOMPARE(session->actor.role, Role::Admin);
        QVERIFY(!session->store->needsFirstAdmin());
        auto users = session->store->listUsers(session->actor);
        QVERIFY(users.ok());
        QCOMPARE(users->size(), size_t(1));
        QCOMPARE(users->front().displayName, QStringLiteral("Chief Admin"));
        // And the password works.
        QVERIFY(session->store
                    ->authenticate(QStringLiteral("chief"), QStringLiteral("a-long-enough-secret"),
                        QStringLiteral("test@host"))
                    .ok());
    }

    void firstAdminWithSampleData()
    {
        const QString path = m_dir.filePath(QStringLiteral("sample.db"));
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        SampleDataOptions options;
        options.bcryptCost = 4;
        dialog.setSampleDataOptions(options);
        dialog.setRequest({path, SignInRequest::Mode::Create, {}});
        dialog.show();
        child<QLineEdit>(dialog, "adminPasswordEdit")->setText(QStringLiteral("a-long-enough-secret"));
        child<QLineEdit>(dialog, "adminConfirmEdit")->setText(QStringLiteral("a-long-enough-secret"));
        child<QRadioButton>(dialog, "sampleDataRadio")->setChecked(true);
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 30000);
        auto session = dialog.takeSession();
        QCOMPARE(session->actor.username, QStringLiteral("admin"));
        auto users = session->store->listUsers(session->actor);
        QCOMPARE(int(users->size()), SampleDataCounts::kUsers + 1);
    }

    void existingStoreWithoutAdminGoesToSetup()
    {
        const QString path = m_dir.filePath(QStringLiteral("empty.db"));
        QVERIFY(PlatformStore::create(path).ok()); // no users at all
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        dialog.setRequest({path, SignInRequest::Mode::Open, {}});
        dialog.show();
        signIn(dialog, QStringLiteral("whoever"), QStringLiteral("whatever"));
        QCOMPARE(child<QStackedWidget>(dialog, "pages")->currentWidget()->objectName(),
            QStringLiteral("firstAdminPage"));
        QVERIFY(bannerText(dialog).isEmpty());
        // Back returns to sign-in, and the file (not made here) stays.
        QTest::mouseClick(child<QPushButton>(dialog, "backButton"), Qt::LeftButton);
        QCOMPARE(child<QStackedWidget>(dialog, "pages")->currentWidget()->objectName(),
            QStringLiteral("signInPage"));
        QVERIFY(QFile::exists(path));
    }

    void readOnlyStoreWithoutAdminExplains()
    {
        const QString path = m_dir.filePath(QStringLiteral("empty-ro.db"));
        QVERIFY(PlatformStore::create(path).ok());
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        dialog.setRequest({path, SignInRequest::Mode::OpenReadOnly, {}});
        signIn(dialog, QStringLiteral("x"), QStringLiteral("y"));
        QVERIFY(bannerText(dialog).contains(QStringLiteral("read-only")));
        QCOMPARE(child<QStackedWidget>(dialog, "pages")->currentWidget()->objectName(),
            QStringLiteral("signInPage"));
    }

    void cancellingANewStoreLeavesNoFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("abandoned.db"));
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        dialog.setRequest({path, SignInRequest::Mode::Create, {}});
        QVERIFY(QFile::exists(path));
        dialog.reject();
        QVERIFY(!QFile::exists(path));
    }

    void creatingOverAnExistingFileIsRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("taken.db"));
        QVERIFY(uitest::makePlatform(path).store);
        SignInDialog dialog(*m_settings, QStringLiteral("test@host"));
        dialog.setRequest({path, SignInRequest::Mode::Create, {}});
        QVERIFY(bannerText(dialog).contains(QStringLiteral("already exists")));
        QCOMPARE(child<QStackedWidget>(dialog, "pages")->currentWidget()->objectName(),
            QStringLiteral("signInPage"));
        QVERIFY(PlatformStore::open(path, PlatformStore::Access::ReadOnly).ok()); // untouched
    }
};

RK_TEST_WIDGETS_MAIN(TestSignInDialog)
#include "TestSignInDialog.moc"
