// The Invitations page over a Host profile, driven by objectName: creating goes to the (fake) host
// and shows the registration link <base>/register?token=... once (the mirror keeps a token prefix
// only); the host's refusals stay in the form; revoking one or several goes to the host with a
// confirmation and names what the host refused; an operator may only invite viewers and is told why.

#include "HostPageFixture.h"
#include "UiTestSupport.h"

#include "invitations/CreateInvitationDialog.h"
#include "invitations/InvitationLinkDialog.h"
#include "pages/InvitationsPage.h"
#include "tables/InvitationsTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>

using namespace rk;
using namespace rk::test;
using namespace Qt::StringLiterals;

class TestInvitationsPageHost : public QObject
{
    Q_OBJECT

private:
    uitest::HostPageFixture<InvitationsPage> m_fixture;

    const FakeHost::Seed &seed() const { return m_fixture.session->seed(); }
    FakeHost &host() { return *m_fixture.session->host; }
    InvitationsTableModel *model() const { return m_fixture.page->model(); }

    void openSession(qint64 userId)
    {
        QVERIFY(m_fixture.open(userId, this));
        if (model())
            QTRY_VERIFY(!model()->isLoading() && model()->isOrderingComplete());
    }

    CreateInvitationDialog *openCreateDialog()
    {
        m_fixture.action("newInvitationAction")->trigger();
        auto *dialog = m_fixture.page->findChild<CreateInvitationDialog *>(u"createInvitationDialog"_s);
        if (dialog && !QTest::qWaitFor([dialog]() { return dialog->isVisible(); }, 5000))
            return nullptr;
        return dialog;
    }

    // An invitation made on the host behind the page's back (another admin), then synced.
    qint64 inviteOnHost(const QString &role)
    {
        HostNewInvitation request;
        request.role = role;
        HostCall<HostInvitation> *job = m_fixture.session->client->createInvitation(request);
        job->setAutoDelete(false);
        QSignalSpy finished(job, &HostJob::finished);
        const qint64 id = finished.wait(5000) && job->value() ? job->value()->id : -1;
        delete job;
        return id;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_fixture.prepare()); }
    void init() { m_fixture.reset(); }
    void cleanup() { m_fixture.close(); }

    void createShowsTheLinkOnce()
    {
        openSession(1);
        QCOMPARE(model()->rowCount(), 1);
        QPointer<CreateInvitationDialog> dialog = openCreateDialog();
        QVERIFY(dialog);
        QCOMPARE(uitest::child<QComboBox>(dialog, "roleCombo")->count(), 4);
        QVERIFY(uitest::choose(uitest::child<QComboBox>(dialog, "roleCombo"), u"user"_s));
        // The API lists no groups: a group is named by its id (none here).
        QVERIFY(uitest::child<QComboBox>(dialog, "groupCombo")->isHidden());
        auto *groupId = uitest::child<QSpinBox>(dialog, "groupIdSpin");
        QVERIFY(groupId->isVisible());
        QCOMPARE(groupId->text(), u"No group"_s);
        uitest::child<QSpinBox>(dialog, "maxUsesSpin")->setValue(3);
        QVERIFY(uitest::choose(uitest::child<QComboBox>(dialog, "expiryCombo"), 168));
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);

        const QList<RecordedRequest> posts = m_fixture.session->requests("POST");
        QCOMPARE(posts.size(), 1);
        QCOMPARE(posts.first().path, u"/api/auth/invitations"_s);
        QCOMPARE(posts.first().json().toObject(),
            QJsonObject({{u"role"_s, u"user"_s}, {u"group_id"_s, QJsonValue()}, {u"max_usage"_s, 3},
                {u"expires_hours"_s, 168}}));
        QCOMPARE(host().invitations().size(), 2);
        const FakeInvitation created = host().invitations().first();

        // The link, once, with Copy: the profile's base URL and the whole token.
        QPointer<InvitationLinkDialog> result
            = m_fixture.page->findChild<InvitationLinkDialog *>(u"invitationLinkDialog"_s);
        QVERIFY(result);
        QTRY_VERIFY(result->isVisible());
        const QString link = host().baseUrl().toString() + u"/register?token="_s + created.token;
        QCOMPARE(uitest::child<QLineEdit>(result, "linkEdit")->text(), link);
        QVERIFY2(uitest::child<QLabel>(result, "summaryLabel")->text().contains(u"cannot be shown again"_s),
            qPrintable(uitest::child<QLabel>(result, "summaryLabel")->text()));
        QTest::mouseClick(uitest::child<QPushButton>(result, "copyLinkButton"), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), link);
        QVERIFY(m_fixture.statusMessages.contains(u"Invitation %1 created."_s.arg(created.id)));
        QTest::mouseClick(uitest::child<QPushButton>(result, "closeButton"), Qt::LeftButton);
        QTRY_VERIFY(!result);

        // The sync brings it into the table, selected, with its token cut to the prefix.
        QTRY_COMPARE(model()->rowCount(), 2);
        QTRY_COMPARE(m_fixture.page->selectedInvitationId(), created.id);
        const QString stored = model()
                                   ->index(model()->rowOf(created.id), 0)
                                   .data(InvitationsTableModel::FullTokenRole)
                                   .toString();
        QCOMPARE(stored, created.token.left(HostMirror::kInvitationTokenPrefix));
        // So there is no link to show or copy later, and the page says why.
        for (const char *name :
            {"showInvitationLinkAction", "copyInvitationLinkAction", "copyInvitationTokenAction"}) {
            QVERIFY2(!m_fixture.action(name)->isEnabled(), name);
            QVERIFY2(m_fixture.action(name)->toolTip().contains(u"only the first 8 characters"_s),
                qPrintable(m_fixture.action(name)->toolTip()));
        }
        QTRY_VERIFY(m_fixture.session->auditTrail().contains(
            u"invitation.create invitation %1 ok"_s.arg(created.id)));
    }

    void theHostsRefusalStaysInTheForm()
    {
        openSession(1);
        QPointer<CreateInvitationDialog> dialog = openCreateDialog();
        QVERIFY(dialog);
        uitest::child<QSpinBox>(dialog, "groupIdSpin")->setValue(42);
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_COMPARE(uitest::child<InlineBanner>(dialog, "errorBanner")->text(),
            u"The host refused the request: Group not found"_s);
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->isBusy());
        QCOMPARE(host().invitations().size(), 1);
        QCOMPARE(
            m_fixture.session->requests("POST").first().json().toObject().value(u"group_id"_s).toInteger(),
            42);

        // Once the group exists on the host, the same form goes through.
        host().addGroup(42);
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(host().invitations().first().groupId, std::optional<qint64>(42));
        QPointer<InvitationLinkDialog> result
            = m_fixture.page->findChild<InvitationLinkDialog *>(u"invitationLinkDialog"_s);
        QVERIFY(result);
        QVERIFY(uitest::child<QLabel>(result, "summaryLabel")->text().contains(u"Group: id 42."_s));
        result->reject();
        QTRY_VERIFY(m_fixture.session->auditTrail().contains(u"invitation.create new invitation failed"_s));
    }

    void revokeOneAndSeveral()
    {
        openSession(1);
        const qint64 a = inviteOnHost(u"viewer"_s);
        const qint64 b = inviteOnHost(u"user"_s);
        QVERIFY(a > 0 && b > 0);
        QVERIFY(m_fixture.session->syncNow());
        QTRY_COMPARE(model()->rowCount(), 3);
        QTRY_VERIFY(model()->isOrderingComplete());

        // Several: one confirmation, one request each; the host no longer has the seeded one (another
        // admin revoked it first), and the banner names it with the host's reason.
        m_fixture.page->findChild<QTableView *>(u"tableView"_s)->selectAll();
        QTRY_COMPARE(m_fixture.page->selectedIds().size(), 3);
        QVERIFY(m_fixture.action("revokeInvitationAction")->isEnabled());
        host().server().enqueue(FakeReply::detail(404, u"Invitation not found"_s), "DELETE",
            u"/api/auth/invitations/%1"_s.arg(seed().invitationId));
        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        m_fixture.action("revokeInvitationAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QTRY_COMPARE(m_fixture.banner()->kind(), InlineBanner::Kind::Warning);
        QTRY_COMPARE(m_fixture.banner()->text(),
            u"2 of 3 invitations revoked. Not revoked: invitation %1 (Not found on the host: Invitation not "
            "found)."_s.arg(seed().invitationId));
        QCOMPARE(m_fixture.session->requests("DELETE").size(), 3);
        QCOMPARE(host().invitations().size(), 1);
        QTRY_COMPARE(model()->rowCount(), 1);
        QVERIFY(m_fixture.session->auditTrail().contains(u"invitation.revoke invitation %1 ok"_s.arg(a)));
        QVERIFY(m_fixture.session->auditTrail().contains(
            u"invitation.revoke invitation %1 failed"_s.arg(seed().invitationId)));

        // One: asked first; "no" sends nothing.
        m_fixture.page->selectInvitation(seed().invitationId);
        QTRY_COMPARE(m_fixture.page->selectedInvitationId(), seed().invitationId);
        MessageBox::setNextAnswer(MessageBox::Button::Cancel);
        m_fixture.action("revokeInvitationAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(m_fixture.session->requests("DELETE").size(), 3);
        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        m_fixture.action("revokeInvitationAction")->trigger();
        QTRY_VERIFY(host().invitations().isEmpty());
        QTRY_VERIFY(m_fixture.statusMessages.contains(u"Invitation %1 revoked."_s.arg(seed().invitationId)));
        QVERIFY(m_fixture.banner()->text().isEmpty());
        QTRY_COMPARE(model()->rowCount(), 0);
    }

    void anOperatorInvitesViewersOnly()
    {
        openSession(2); // olivia: the host lets operators create viewer invitations only, and list none
        QVERIFY(!model());
        QAction *revoke = m_fixture.action("revokeInvitationAction");
        QVERIFY(!revoke->isEnabled());
        QVERIFY2(
            revoke->toolTip().contains(u"Needs the Administrator role"_s), qPrintable(revoke->toolTip()));
        QVERIFY(m_fixture.action("newInvitationAction")->isEnabled());
        QPointer<CreateInvitationDialog> dialog = openCreateDialog();
        QVERIFY(dialog);
        auto *role = uitest::child<QComboBox>(dialog, "roleCombo");
        QCOMPARE(role->count(), 1);
        QCOMPARE(role->currentData().toString(), u"viewer"_s);
        QVERIFY2(uitest::child<QLabel>(dialog, "roleNote")
                     ->text()
                     .contains(u"Operators can only invite viewers"_s),
            qPrintable(uitest::child<QLabel>(dialog, "roleNote")->text()));
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(m_fixture.session->requests("POST").first().json().toObject().value(u"role"_s).toString(),
            u"viewer"_s);
        QCOMPARE(host().invitations().first().createdById, std::optional<qint64>(seed().operatorId));
        QPointer<InvitationLinkDialog> result
            = m_fixture.page->findChild<InvitationLinkDialog *>(u"invitationLinkDialog"_s);
        QVERIFY(result);
        QVERIFY(uitest::child<QLineEdit>(result, "linkEdit")
                    ->text()
                    .endsWith(host().invitations().first().token));
        result->reject();
    }
};

RK_TEST_WIDGETS_MAIN(TestInvitationsPageHost)
#include "TestInvitationsPageHost.moc"
