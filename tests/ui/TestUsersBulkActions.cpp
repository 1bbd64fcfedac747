// The Users page's bulk actions, driven by objectName: multi-select, the preview of what would be
// refused and why, and only the allowed users changed on confirm.

#include "UiTestSupport.h"

#include "pages/UsersAdminPage.h"
#include "useradmin/BulkPreviewDialog.h"
#include "users/UsersTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QTableView>

using namespace rk;

class TestUsersBulkActions : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    uitest::Platform m_platform;
    QString m_path;
    std::unique_ptr<UsersAdminPage> m_page;
    int m_counter = 0;

    UsersTableModel *model() const { return m_page->model(); }
    QTableView *table() const { return m_page->findChild<QTableView *>(QStringLiteral("tableView")); }
    QAction *action(const char *name) const
    {
        return m_page->findChild<QAction *>(QString::fromLatin1(name));
    }
    QString bannerText() const
    {
        return m_page->findChild<InlineBanner *>(QStringLiteral("pageBanner"))->text();
    }
    PlatformStore &store() { return *m_platform.store; }

    qint64 idOf(const QString &username)
    {
        auto user = store().userByName(m_platform.root, username);
        return user ? user->id : -1;
    }
    UserRecord userNamed(const QString &username)
    {
        return store().userByName(m_platform.root, username).value();
    }

    template<typename T> static T *child(QObject *parent, const char *name)
    {
        return parent->findChild<T *>(QString::fromLatin1(name));
    }

    void openPage(const Actor &actor)
    {
        m_page = std::make_unique<UsersAdminPage>(store(), actor, *m_settings);
        m_page->resize(1200, 700);
        m_page->show();
        m_page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
        QTRY_VERIFY(!model()->isLoading() && model()->rowCount() > 0);
    }

    // Click on the first name, Ctrl+click on the others, as a user would.
    void selectUsers(const QStringList &names)
    {
        for (int i = 0; i < names.size(); ++i) {
            const int row = model()->rowOf(idOf(names.at(i)));
            QVERIFY2(row >= 0, qPrintable(names.at(i)));
            const QRect rect = table()->visualRect(model()->index(row, UsersTableModel::Username));
            QTest::mouseClick(table()->viewport(), Qt::LeftButton,
                i == 0 ? Qt::KeyboardModifiers() : Qt::ControlModifier, rect.center());
        }
        QCOMPARE(m_page->selectedUserIds().size(), names.size());
    }

    BulkPreviewDialog *dialogNamed(const char *name)
    {
        auto *dialog = m_page->findChild<BulkPreviewDialog *>(QString::fromLatin1(name));
        return dialog;
    }

    // The preview's rows as "username: Result | Why".
    static QStringList previewRows(BulkPreviewDialog *dialog)
    {
        QStringList rows;
        const QAbstractItemModel *m = child<QTableView>(dialog, "previewTable")->model();
        for (int r = 0; r < m->rowCount(); ++r) {
            rows << QStringLiteral("%1: %2 | %3")
                        .arg(m->index(r, 0).data().toString(), m->index(r, 2).data().toString(),
                            m->index(r, 3).data().toString());
        }
        return rows;
    }

    void addSessions(qint64 userId, int n)
    {
        for (int i = 0; i < n; ++i) {
            QVERIFY(store()
                        .database()
                        .exec(QStringLiteral(
                            "INSERT INTO sessions (session_id, user_id, expires_at, created_at) "
                            "VALUES ('u%1-%2', %1, '2999-01-01 00:00:00', '2026-01-01 00:00:00')")
                                  .arg(userId)
                                  .arg(i))
                        .ok());
        }
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = uitest::makeSettings(m_dir);
        m_path = m_dir.filePath(QStringLiteral("bulk-%1.db").arg(++m_counter));
        m_platform = uitest::makePlatform(m_path);
        QVERIFY(m_platform.store);
        uitest::addUser(
            store(), m_platform.root, QStringLiteral("bob"), QStringLiteral("user"), QStringLiteral("Bob"));
        uitest::addUser(store(), m_platform.root, QStringLiteral("carol"), QStringLiteral("operator"));
        uitest::addUser(store(), m_platform.root, QStringLiteral("dave"), QStringLiteral("viewer"));
        MessageBox::takeAskedCount();
    }

    void cleanup()
    {
        m_page.reset();
        m_platform = {};
    }

    void bulkSuspendRefusesYourselfAndSuspendsTheOthers()
    {
        addSessions(idOf(QStringLiteral("bob")), 2);
        addSessions(idOf(QStringLiteral("carol")), 1);
        addSessions(m_platform.root.userId, 1);
        openPage(m_platform.root);
        selectUsers({QStringLiteral("root"), QStringLiteral("bob"), QStringLiteral("carol")});
        QVERIFY(action("suspendUserAction")->isEnabled());
        action("suspendUserAction")->trigger();

        QPointer<BulkPreviewDialog> dialog = dialogNamed("suspendUsersDialog");
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(child<QWidget>(dialog, "previewTable")->isVisible());
        QCOMPARE(previewRows(dialog),
            (QStringList {QStringLiteral("root: Refused | Cannot disable yourself"),
                QStringLiteral("bob: Will be suspended | "), QStringLiteral("carol: Will be suspended | ")}));
        QVERIFY2(child<QLabel>(dialog, "summaryLabel")->text().contains(QStringLiteral("Refused: 1")),
            qPrintable(child<QLabel>(dialog, "summaryLabel")->text()));
        auto *apply = child<QPushButton>(dialog, "applyButton");
        QCOMPARE(apply->text(), QStringLiteral("&Suspend 2 Users"));
        // The sessions of the users it applies to: bob's 2 and carol's 1, never root's own.
        auto *endSessions = child<QCheckBox>(dialog, "endSessionsCheck");
        QVERIFY2(
            endSessions->text().contains(QStringLiteral("(3 on record)")), qPrintable(endSessions->text()));
        endSessions->setChecked(true);
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY(!dialog);

        QVERIFY(userNamed(QStringLiteral("root")).active);
        QVERIFY(!userNamed(QStringLiteral("bob")).active);
        QVERIFY(!userNamed(QStringLiteral("carol")).active);
        QVERIFY(userNamed(QStringLiteral("dave")).active);
        QCOMPARE(store().listSessions(m_platform.root, idOf(QStringLiteral("bob")))->size(), size_t(0));
        QCOMPARE(store().listSessions(m_platform.root, m_platform.root.userId)->size(), size_t(1));
        QVERIFY(bannerText().isEmpty());
        // The table follows.
        QTRY_VERIFY(!model()
                         ->index(model()->rowOf(idOf(QStringLiteral("carol"))), 0)
                         .data(UsersTableModel::ActiveRole)
                         .toBool());
        // One audit row per user changed, plus one per user whose sessions ended.
        auto audit = store().listAudit(m_platform.root);
        int updates = 0;
        int revokes = 0;
        for (const AuditEntry &e : audit.value()) {
            updates += e.action == QLatin1String("user.update") ? 1 : 0;
            revokes += e.action == QLatin1String("session.revoke_user") ? 1 : 0;
        }
        QCOMPARE(updates, 2);
        QCOMPARE(revokes, 2);
    }

    void everyoneRefusedMeansNothingToApply()
    {
        openPage(m_platform.root);
        // root alone cannot be suspended: the banner says why at once, no dialog.
        selectUsers({QStringLiteral("root")});
        action("suspendUserAction")->trigger();
        QVERIFY(!dialogNamed("suspendUsersDialog"));
        QVERIFY2(bannerText().contains(QStringLiteral("Cannot disable yourself")), qPrintable(bannerText()));

        // root and an already active user for "Activate": nothing to do, so OK is disabled.
        selectUsers({QStringLiteral("root"), QStringLiteral("bob")});
        QVERIFY(action("activateUserAction")->isEnabled() == false); // every selected row is active
        QVERIFY(action("activateUserAction")->toolTip().contains(QStringLiteral("sign in again")));
    }

    void bulkDeleteShowsTheImpactAndKeepsYou()
    {
        const qint64 bob = idOf(QStringLiteral("bob"));
        addSessions(bob, 2);
        QVERIFY(
            store().createToken(m_platform.root, idOf(QStringLiteral("dave")), QStringLiteral("ci")).ok());
        openPage(m_platform.root);
        selectUsers({QStringLiteral("bob"), QStringLiteral("dave"), QStringLiteral("root")});
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_Delete);
        QPointer<BulkPreviewDialog> dialog = dialogNamed("deleteUsersDialog");
        QVERIFY(dialog);
        QCOMPARE(MessageBox::takeAskedCount(), 0); // the preview replaces the single-user box
        QCOMPARE(previewRows(dialog).first(), QStringLiteral("root: Refused | Cannot delete yourself"));
        QVERIFY(previewRows(dialog).at(1).startsWith(
            QStringLiteral("bob: Will be deleted (sessions: 2, tokens: 0)")));
        const QString summary = child<QLabel>(dialog, "summaryLabel")->text();
        QVERIFY2(summary.contains(QStringLiteral("sessions (2), API tokens (1), group memberships (0)")),
            qPrintable(summary));
        QVERIFY(summary.contains(QStringLiteral("cannot be undone")));
        auto *apply = child<QPushButton>(dialog, "applyButton");
        QCOMPARE(apply->text(), QStringLiteral("&Delete 2 Users"));
        QVERIFY(!apply->isDefault()); // destructive: Return does not delete
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(store().user(m_platform.root, bob).error().code, Error::Code::NotFound);
        QCOMPARE(
            store().userByName(m_platform.root, QStringLiteral("dave")).error().code, Error::Code::NotFound);
        QVERIFY(store().userByName(m_platform.root, QStringLiteral("root")).ok());
        QTRY_COMPARE(model()->rowCount(), 2);
    }

    void addToGroupWithAMemberAlready()
    {
        const qint64 ml = store().createGroup(m_platform.root, QStringLiteral("ml")).value();
        const qint64 ops = store().createGroup(m_platform.root, QStringLiteral("ops")).value();
        QVERIFY(store().addGroupMember(m_platform.root, ops, idOf(QStringLiteral("bob"))).ok());
        openPage(m_platform.root);
        selectUsers({QStringLiteral("bob"), QStringLiteral("carol")});
        action("addToGroupAction")->trigger();
        QPointer<BulkPreviewDialog> dialog = dialogNamed("addToGroupDialog");
        QVERIFY(dialog);
        auto *group = child<QComboBox>(dialog, "parameterCombo");
        QVERIFY(group->isVisibleTo(dialog));
        QCOMPARE(group->count(), 2);
        QCOMPARE(group->currentData().toLongLong(), ml);
        QCOMPARE(previewRows(dialog),
            (QStringList {
                QStringLiteral("bob: Will be added | "), QStringLiteral("carol: Will be added | ")}));
        group->setCurrentIndex(group->findData(ops)); // checks again
        QCOMPARE(previewRows(dialog),
            (QStringList {
                QStringLiteral("bob: Already a member | "), QStringLiteral("carol: Will be added | ")}));
        QCOMPARE(child<QPushButton>(dialog, "applyButton")->text(), QStringLiteral("&Add to Group"));
        QTest::mouseClick(child<QPushButton>(dialog, "applyButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(userNamed(QStringLiteral("carol")).groups, QStringList {QStringLiteral("ops")});
        QCOMPARE(store().groupMembers(m_platform.root, ops)->size(), size_t(2));
        QTRY_COMPARE(model()
                         ->index(model()->rowOf(idOf(QStringLiteral("carol"))), UsersTableModel::Groups)
                         .data()
                         .toString(),
            QStringLiteral("ops"));
    }

    void addToGroupWithoutGroupsSaysSo()
    {
        openPage(m_platform.root);
        selectUsers({QStringLiteral("bob")});
        action("addToGroupAction")->trigger();
        QVERIFY(!dialogNamed("addToGroupDialog"));
        QVERIFY2(bannerText().contains(QStringLiteral("no groups yet")), qPrintable(bannerText()));
    }

    void changeRoleWarnsForAdminAndRefusesYourself()
    {
        openPage(m_platform.root);
        selectUsers({QStringLiteral("dave"), QStringLiteral("root"), QStringLiteral("bob")});
        action("changeRoleAction")->trigger();
        QPointer<BulkPreviewDialog> dialog = dialogNamed("changeRoleDialog");
        QVERIFY(dialog);
        auto *role = child<QComboBox>(dialog, "parameterCombo");
        auto *warning = child<InlineBanner>(dialog, "warningBanner");
        QCOMPARE(role->currentData().toString(), QStringLiteral("user"));
        QVERIFY(warning->isHidden());
        // Processing order is ascending id: root, bob, dave.
        QCOMPARE(previewRows(dialog),
            (QStringList {QStringLiteral("root: Refused | Cannot demote yourself"),
                QStringLiteral("bob: Already User | "), QStringLiteral("dave: Viewer \u2192 User | ")}));
        role->setCurrentIndex(role->findData(QStringLiteral("admin")));
        QVERIFY(!warning->isHidden());
        QVERIFY(warning->text().contains(QStringLiteral("administrator")));
        QCOMPARE(previewRows(dialog),
            (QStringList {QStringLiteral("root: Already Administrator | "),
                QStringLiteral("bob: User \u2192 Administrator | "),
                QStringLiteral("dave: Viewer \u2192 Administrator | ")}));
        QCOMPARE(
            child<QPushButton>(dialog, "applyButton")->text(), QStringLiteral("&Change Role of 2 Users"));
        QTest::mouseClick(child<QPushButton>(dialog, "applyButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(userNamed(QStringLiteral("bob")).role, QStringLiteral("admin"));
        QCOMPARE(userNamed(QStringLiteral("dave")).role, QStringLiteral("admin"));
        QCOMPARE(userNamed(QStringLiteral("carol")).role, QStringLiteral("operator")); // not selected
    }

    void aChangeBetweenPreviewAndApplyIsReported()
    {
        // Another program (the host) deletes carol between the preview and the click.
        openPage(m_platform.root);
        selectUsers({QStringLiteral("bob"), QStringLiteral("carol")});
        action("suspendUserAction")->trigger();
        QPointer<BulkPreviewDialog> dialog = dialogNamed("suspendUsersDialog");
        QVERIFY(dialog);
        QCOMPARE(dialog->outcome().count(BulkVerdict::State::Apply), 2);
        QVERIFY(store().database().exec(QStringLiteral("DELETE FROM users WHERE username = 'carol'")).ok());
        QTest::mouseClick(child<QPushButton>(dialog, "applyButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QVERIFY(!userNamed(QStringLiteral("bob")).active);
        QVERIFY2(
            bannerText().contains(QStringLiteral("changed since the preview")), qPrintable(bannerText()));
    }

    void aBulkActionTakesAtMostTenThousandUsers()
    {
        QVERIFY(
            store()
                .database()
                .exec(QStringLiteral(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) "
                    "INSERT INTO users (username, display_name, password_hash, is_active, role, created_at) "
                    "SELECT printf('many%05d', i), NULL, 'x', 1, 'viewer', '2026-01-01 00:00:00' FROM n"))
                .ok());
        openPage(m_platform.root);
        QTRY_COMPARE(model()->rowCount(), 10004);
        table()->setFocus();
        action("selectAllUsersAction")->trigger();
        action("suspendUserAction")->trigger();
        QVERIFY(!dialogNamed("suspendUsersDialog"));
        QVERIFY2(bannerText().contains(QStringLiteral("at most")), qPrintable(bannerText()));
        QVERIFY(userNamed(QStringLiteral("bob")).active);
    }

    void readOnlyAndRolesDisableBulkActions()
    {
        const Actor carol {idOf(QStringLiteral("carol")), QStringLiteral("carol"), Role::Operator,
            QStringLiteral("test@host")};
        openPage(carol);
        selectUsers({QStringLiteral("bob"), QStringLiteral("dave")});
        for (const char *name : {"suspendUserAction", "activateUserAction", "changeRoleAction",
                 "addToGroupAction", "deleteUserAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
            QVERIFY2(action(name)->toolTip().contains(QStringLiteral("Administrator")), name);
        }
        // Reading is allowed: export stays on.
        QVERIFY(action("exportCsvAction")->isEnabled());
        m_page.reset();

        m_platform.store.reset();
        auto ro = PlatformStore::open(m_path, PlatformStore::Access::ReadOnly);
        QVERIFY(ro.ok());
        m_platform.store = std::move(ro).value();
        openPage(m_platform.root);
        selectUsers({QStringLiteral("bob"), QStringLiteral("dave")});
        for (const char *name :
            {"suspendUserAction", "changeRoleAction", "addToGroupAction", "deleteUserAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
            QVERIFY2(action(name)->toolTip().contains(QStringLiteral("read-only")), name);
        }
        QVERIFY(action("exportJsonAction")->isEnabled());
    }
};

RK_TEST_WIDGETS_MAIN(TestUsersBulkActions)
#include "TestUsersBulkActions.moc"
