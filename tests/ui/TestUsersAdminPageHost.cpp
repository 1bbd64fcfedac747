// The Users page over a Host profile, driven by objectName: its changes go to the (fake) host through
// HostAdminService, the page reads the read-only mirror and follows after the sync; the preview
// refuses what the mirror tells (yourself), the host's own refusals are shown per user; an
// operator sees the admin-only actions disabled with the reason, and what the API lacks says what
// would enable it.

#include "HostPageFixture.h"
#include "UiTestSupport.h"

#include "pages/UsersAdminPage.h"
#include "useradmin/BulkPreviewDialog.h"
#include "useradmin/UserDialog.h"
#include "users/UsersTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QAction>
#include <QComboBox>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;

class TestUsersAdminPageHost : public QObject
{
    Q_OBJECT

private:
    uitest::HostPageFixture<UsersAdminPage> m_fixture;

    const FakeHost::Seed &seed() const { return m_fixture.session->seed(); }
    FakeHost &host() { return *m_fixture.session->host; }
    UsersTableModel *model() const { return m_fixture.page->model(); }
    QTableView *table() const { return m_fixture.page->findChild<QTableView *>(u"tableView"_s); }

    void openSession(qint64 userId)
    {
        QVERIFY(m_fixture.open(userId, this));
        QTRY_VERIFY(!model()->isLoading() && model()->rowCount() == 5);
    }

    QVariant cell(qint64 userId, int column, int role = Qt::DisplayRole) const
    {
        const int row = model()->rowOf(userId);
        return row < 0 ? QVariant() : model()->index(row, column).data(role);
    }

    // Click on the first, Ctrl+click on the others, as a user would.
    void selectUsers(const QList<qint64> &ids)
    {
        for (int i = 0; i < ids.size(); ++i) {
            const int row = model()->rowOf(ids.at(i));
            QVERIFY(row >= 0);
            const QRect rect = table()->visualRect(model()->index(row, UsersTableModel::Username));
            QTest::mouseClick(table()->viewport(), Qt::LeftButton,
                i == 0 ? Qt::KeyboardModifiers() : Qt::ControlModifier, rect.center());
        }
        QCOMPARE(m_fixture.page->selectedUserIds().size(), ids.size());
    }

    // The preview's rows as "username: Result | Why".
    static QStringList rows(BulkPreviewDialog *dialog)
    {
        QStringList out;
        const QAbstractItemModel *m = uitest::child<QTableView>(dialog, "previewTable")->model();
        for (int r = 0; r < m->rowCount(); ++r) {
            out << u"%1: %2 | %3"_s.arg(m->index(r, 0).data().toString(), m->index(r, 2).data().toString(),
                m->index(r, 3).data().toString());
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_fixture.prepare()); }
    void init() { m_fixture.reset(); }
    void cleanup() { m_fixture.close(); }

    void editRoleGoesToTheHost()
    {
        openSession(1);
        m_fixture.page->selectUser(seed().userId);
        QTRY_COMPARE(m_fixture.page->selectedUserId(), seed().userId);
        QAction *edit = m_fixture.action("editUserAction");
        QTRY_VERIFY(edit->isEnabled());
        edit->trigger();
        QPointer<UserDialog> dialog = m_fixture.page->findChild<UserDialog *>(u"editUserDialog"_s);
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        // Groups are not in the host's API: the picker says so instead of listing any.
        auto *groups = uitest::child<QWidget>(dialog, "groupsPicker");
        QVERIFY(!groups->isEnabled());
        QVERIFY2(groups->toolTip().contains(u"no endpoint for groups"_s), qPrintable(groups->toolTip()));
        QVERIFY(uitest::choose(uitest::child<QComboBox>(dialog, "roleCombo"), u"operator"_s));
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);

        const QList<RecordedRequest> patches = m_fixture.session->requests("PATCH");
        QCOMPARE(patches.size(), 1);
        QCOMPARE(patches.first().path, u"/api/auth/users/3"_s);
        QCOMPARE(patches.first().body, QByteArray(R"({"role":"operator"})"));
        QCOMPARE(host().user(seed().userId)->role, u"operator"_s);
        QVERIFY(m_fixture.statusMessages.contains(u"\u201culrich\u201d is now Operator."_s));
        // The change syncs the mirror at once, and the page follows.
        QTRY_COMPARE(cell(seed().userId, UsersTableModel::Role, UsersTableModel::RawValueRole).toString(),
            u"operator"_s);
        QTRY_VERIFY(m_fixture.session->auditTrail().contains(u"user.role user 3 (ulrich) ok"_s));
        QCOMPARE(m_fixture.page->selectedUserId(), seed().userId);
    }

    void editRefusalsStayInTheDialog()
    {
        openSession(1);
        // Yourself: the mirror already tells, so nothing is sent.
        m_fixture.page->selectUser(seed().adminId);
        QTRY_VERIFY(m_fixture.action("editUserAction")->isEnabled());
        m_fixture.action("editUserAction")->trigger();
        QPointer<UserDialog> self = m_fixture.page->findChild<UserDialog *>(u"editUserDialog"_s);
        QVERIFY(self);
        QVERIFY(uitest::choose(uitest::child<QComboBox>(self, "roleCombo"), u"viewer"_s));
        QTest::mouseClick(uitest::child<QPushButton>(self, "submitButton"), Qt::LeftButton);
        QVERIFY(self->isVisible());
        QCOMPARE(uitest::child<InlineBanner>(self, "errorBanner")->text(), u"Cannot demote yourself"_s);
        QCOMPARE(m_fixture.session->requests("PATCH").size(), 0);
        self->reject();
        QTRY_VERIFY(!self);

        // The host refuses what the mirror could not know (the account lost its role meanwhile):
        // its reason shows in the dialog, which stays open with the change undone.
        host().server().enqueue(FakeReply::detail(403, u"Insufficient permissions. Required role: admin"_s),
            "PATCH", u"/api/auth/users/4"_s);
        m_fixture.page->selectUser(seed().viewerId);
        QTRY_COMPARE(m_fixture.page->selectedUserId(), seed().viewerId);
        m_fixture.action("editUserAction")->trigger();
        QPointer<UserDialog> dialog = m_fixture.page->findChild<UserDialog *>(u"editUserDialog"_s);
        QVERIFY(dialog);
        auto *name = uitest::child<QLineEdit>(dialog, "displayNameEdit");
        name->setText(u"Vera V."_s);
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_COMPARE(uitest::child<InlineBanner>(dialog, "errorBanner")->text(),
            u"Permission denied by the host: Insufficient permissions. Required role: admin"_s);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->isBusy());
        QCOMPARE(m_fixture.session->requests("PATCH").size(), 1);
        QCOMPARE(m_fixture.session->requests("PATCH").first().json().toObject(),
            QJsonObject({{u"display_name"_s, u"Vera V."_s}}));
        QCOMPARE(host().user(seed().viewerId)->displayName, u"Vera Viewer"_s);
        QTRY_VERIFY(m_fixture.session->auditTrail().contains(u"user.update user 4 (vera) failed"_s));
        dialog->reject();
    }

    void suspendOneUser()
    {
        openSession(1);
        m_fixture.page->selectUser(seed().viewerId);
        QTRY_VERIFY(m_fixture.action("suspendUserAction")->isEnabled());
        m_fixture.action("suspendUserAction")->trigger();
        QPointer<BulkPreviewDialog> dialog
            = m_fixture.page->findChild<BulkPreviewDialog *>(u"suspendUsersDialog"_s);
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY2(uitest::child<QLabel>(dialog, "questionLabel")
                     ->text()
                     .contains(u"\u201cvera\u201d on the host"_s),
            qPrintable(uitest::child<QLabel>(dialog, "questionLabel")->text()));
        auto *apply = uitest::child<QPushButton>(dialog, "applyButton");
        QCOMPARE(apply->text(), u"&Suspend"_s);
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QVERIFY(!host().user(seed().viewerId)->active);
        QCOMPARE(m_fixture.session->requests("PATCH").first().body, QByteArray(R"({"is_active":false})"));
        QVERIFY(m_fixture.statusMessages.contains(u"\u201cvera\u201d suspended."_s));
        QTRY_VERIFY(!cell(seed().viewerId, 0, UsersTableModel::ActiveRole).toBool());
        QTRY_VERIFY(m_fixture.session->auditTrail().contains(u"user.suspend user 4 (vera) ok"_s));
        QVERIFY(m_fixture.banner()->text().isEmpty());
    }

    void deleteAsksFirst()
    {
        openSession(1);
        m_fixture.page->selectUser(seed().viewerId);
        QTRY_VERIFY(m_fixture.action("deleteUserAction")->isEnabled());
        MessageBox::setNextAnswer(MessageBox::Button::Cancel);
        m_fixture.action("deleteUserAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QVERIFY(m_fixture.session->requests("DELETE").isEmpty());

        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        m_fixture.action("deleteUserAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QTRY_VERIFY(!host().user(seed().viewerId));
        QCOMPARE(m_fixture.session->requests("DELETE").size(), 1);
        QCOMPARE(m_fixture.session->requests("DELETE").first().path, u"/api/auth/users/4"_s);
        QTRY_COMPARE(model()->rowCount(), 4);
        QCOMPARE(model()->rowOf(seed().viewerId), -1);
        QVERIFY(m_fixture.statusMessages.contains(u"\u201cvera\u201d deleted."_s));
        QTRY_VERIFY(m_fixture.session->auditTrail().contains(u"user.delete user 4 (vera) ok"_s));

        // Yourself: refused at once from what the mirror knows, without asking or sending.
        m_fixture.page->selectUser(seed().adminId);
        QTRY_COMPARE(m_fixture.page->selectedUserId(), seed().adminId);
        m_fixture.action("deleteUserAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 0);
        QCOMPARE(
            m_fixture.banner()->text(), u"Could not delete \u201cadmin\u201d: Cannot delete yourself."_s);
        QCOMPARE(m_fixture.session->requests("DELETE").size(), 1);
    }

    void bulkSuspendShowsWhatWasRefusedAndWhy()
    {
        openSession(1);
        selectUsers({seed().adminId, seed().userId, seed().viewerId, seed().disabledId});
        QVERIFY(m_fixture.action("suspendUserAction")->isEnabled());
        m_fixture.action("suspendUserAction")->trigger();
        QPointer<BulkPreviewDialog> dialog
            = m_fixture.page->findChild<BulkPreviewDialog *>(u"suspendUsersDialog"_s);
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        // The preview, from the mirror: yourself refused, dora already suspended.
        QCOMPARE(rows(dialog),
            (QStringList {u"admin: Refused | Cannot disable yourself"_s, u"ulrich: Will be suspended | "_s,
                u"vera: Will be suspended | "_s, u"dora: Already suspended | "_s}));
        auto *apply = uitest::child<QPushButton>(dialog, "applyButton");
        QCOMPARE(apply->text(), u"&Suspend 2 Users"_s);

        // Meanwhile vera was deleted on the host: its refusal comes back for her alone.
        host().server().enqueue(FakeReply::detail(404, u"User not found"_s), "PATCH", u"/api/auth/users/4"_s);
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY(!dialog->isRunning());
        QVERIFY(dialog->isVisible()); // not everything was done: the outcome of each user stays shown
        QCOMPARE(rows(dialog),
            (QStringList {u"admin: Refused | Cannot disable yourself"_s, u"ulrich: Suspended | "_s,
                u"vera: Refused by the host | Not found on the host: User not found"_s,
                u"dora: Already suspended | "_s}));
        auto *progress = uitest::child<QProgressBar>(dialog, "runProgress");
        QVERIFY(progress->isVisible());
        QCOMPARE(progress->value(), 2);
        QCOMPARE(progress->maximum(), 2);
        QVERIFY(apply->isHidden());
        auto *close = uitest::child<QPushButton>(dialog, "cancelButton");
        QCOMPARE(close->text(), u"&Close"_s);

        // Only the users the preview allowed were sent, one request each.
        const QList<RecordedRequest> patches = m_fixture.session->requests("PATCH");
        QCOMPARE(patches.size(), 2);
        QCOMPARE(patches.at(0).path, u"/api/auth/users/3"_s);
        QCOMPARE(patches.at(1).path, u"/api/auth/users/4"_s);
        QVERIFY(!host().user(seed().userId)->active);
        QVERIFY(host().user(seed().adminId)->active);

        // The banner says what was done and names what was not, with the host's reason.
        QCOMPARE(m_fixture.banner()->kind(), InlineBanner::Kind::Warning);
        QCOMPARE(m_fixture.banner()->text(),
            u"Suspended 1 user. Not changed: \u201cvera\u201d (Not found on the host: User not found)."_s);
        QTest::mouseClick(close, Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QTRY_VERIFY(!cell(seed().userId, 0, UsersTableModel::ActiveRole).toBool());
        QTRY_VERIFY(m_fixture.session->auditTrail().contains(u"user.suspend user 3 (ulrich) ok"_s));
        QVERIFY(m_fixture.session->auditTrail().contains(u"user.suspend user 4 (vera) failed"_s));
    }

    void aBulkChangeCanBeStopped()
    {
        openSession(1);
        // The first request never gets an answer.
        host().server().enqueue(FakeReply::hang(), "PATCH", u"/api/auth/users/3"_s);
        selectUsers({seed().userId, seed().viewerId});
        m_fixture.action("changeRoleAction")->trigger();
        QPointer<BulkPreviewDialog> dialog
            = m_fixture.page->findChild<BulkPreviewDialog *>(u"changeRoleDialog"_s);
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(uitest::choose(uitest::child<QComboBox>(dialog, "parameterCombo"), u"operator"_s));
        QCOMPARE(rows(dialog),
            (QStringList {u"ulrich: User \u2192 Operator | "_s, u"vera: Viewer \u2192 Operator | "_s}));
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "applyButton"), Qt::LeftButton);
        QTRY_COMPARE(host().server().count("PATCH", u"/api/auth/users/3"_s), 1);
        QVERIFY(dialog->isRunning());
        QVERIFY(!uitest::child<QComboBox>(dialog, "parameterCombo")->isEnabled());
        // Meanwhile the page sends nothing else.
        QVERIFY(!m_fixture.action("deleteUserAction")->isEnabled());
        auto *stop = uitest::child<QPushButton>(dialog, "cancelButton");
        QCOMPARE(stop->text(), u"&Stop"_s);
        QTest::mouseClick(stop, Qt::LeftButton);
        QVERIFY(!dialog->isRunning());
        QVERIFY(dialog->isVisible());
        QCOMPARE(rows(dialog),
            (QStringList {
                u"ulrich: Unknown | Stopped while the host was answering: it may have made the change "
                "(the next sync shows it)."_s,
                u"vera: Not sent | Not sent: stopped before it."_s}));
        QCOMPARE(m_fixture.session->requests("PATCH").size(), 1);
        QCOMPARE(m_fixture.banner()->kind(), InlineBanner::Kind::Error);
        QVERIFY2(m_fixture.banner()->text().startsWith(
                     u"Could not change the role: \u201culrich\u201d (Stopped while"_s),
            qPrintable(m_fixture.banner()->text()));
        QVERIFY2(m_fixture.banner()->text().contains(u"not sent, because the change was stopped: 1"_s),
            qPrintable(m_fixture.banner()->text()));
        QTRY_VERIFY(m_fixture.action("deleteUserAction")->isEnabled());
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "cancelButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
    }

    void anOperatorSeesWhyNot()
    {
        openSession(2); // olivia, operator: the host lists users to her but lets only admins change them
        m_fixture.page->selectUser(seed().viewerId);
        QTRY_COMPARE(m_fixture.page->selectedUserId(), seed().viewerId);
        for (const char *name :
            {"editUserAction", "suspendUserAction", "changeRoleAction", "deleteUserAction"}) {
            QAction *a = m_fixture.action(name);
            QVERIFY2(!a->isEnabled(), name);
            QVERIFY2(a->toolTip().contains(u"Needs the Administrator role"_s)
                    && a->toolTip().contains(u"olivia"_s),
                qPrintable(a->toolTip()));
        }
        m_fixture.action("suspendUserAction")->trigger();
        QVERIFY(!m_fixture.page->findChild<BulkPreviewDialog *>());
        QCOMPARE(m_fixture.session->requests("PATCH").size(), 0);
        // Copying and exporting still work: they only read.
        QVERIFY(m_fixture.action("copyUsernameAction")->isEnabled());
        QVERIFY(m_fixture.action("exportCsvAction")->isEnabled());
    }

    void whatTheApiLacksSaysWhatWouldEnableIt()
    {
        openSession(1);
        m_fixture.page->selectUser(seed().userId);
        QTRY_VERIFY(m_fixture.action("editUserAction")->isEnabled());
        const QList<std::pair<const char *, QString>> gaps {{"newUserAction", u"cannot create users"_s},
            {"resetPasswordAction", u"no password reset"_s},
            {"addToGroupAction", u"no endpoint for groups"_s}};
        for (const auto &[name, why] : gaps) {
            QAction *a = m_fixture.action(name);
            QVERIFY2(!a->isEnabled(), name);
            QVERIFY2(a->toolTip().contains(why) && a->toolTip().contains(u"Host + database"_s),
                qPrintable(a->toolTip()));
        }
        QVERIFY(m_fixture.action("suspendUserAction")->isEnabled());
        QVERIFY(!m_fixture.action("activateUserAction")->isEnabled()); // ulrich is active
        QVERIFY(uitest::child<QLabel>(m_fixture.page.get(), "pageFootnote")
                    ->text()
                    .contains(u"Changes go to the host"_s));
    }
};

RK_TEST_WIDGETS_MAIN(TestUsersAdminPageHost)
#include "TestUsersAdminPageHost.moc"
