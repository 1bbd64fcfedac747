#include "UiTestSupport.h"

#include "core/HostTime.h"
#include "invitations/CreateInvitationDialog.h"
#include "invitations/InvitationLinkDialog.h"
#include "pages/InvitationsPage.h"
#include "tables/InvitationsTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>

using namespace rk;

class TestInvitationsPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    uitest::Platform m_platform;
    QString m_path;
    std::unique_ptr<PlatformStore> m_readOnly;
    std::unique_ptr<InvitationsPage> m_page;
    int m_counter = 0;
    qint64 m_carol = 0, m_dave = 0, m_ml = 0;

    PlatformStore &store() { return *m_platform.store; }
    InvitationsTableModel *model() const { return m_page->model(); }
    QTableView *table() const { return m_page->findChild<QTableView *>(QStringLiteral("tableView")); }
    QAction *action(const char *name) const
    {
        return m_page->findChild<QAction *>(QString::fromLatin1(name));
    }
    QString bannerText() const
    {
        return m_page->findChild<InlineBanner *>(QStringLiteral("pageBanner"))->text();
    }
    template<typename T> static T *child(QObject *parent, const char *name)
    {
        return parent->findChild<T *>(QString::fromLatin1(name));
    }

    Actor carol() const
    {
        return Actor {m_carol, QStringLiteral("carol"), Role::Operator, QStringLiteral("test")};
    }
    Actor dave() const
    {
        return Actor {m_dave, QStringLiteral("dave"), Role::Viewer, QStringLiteral("test")};
    }

    qint64 invite(const QString &role = QStringLiteral("user"), int uses = 1)
    {
        NewInvitation inv;
        inv.role = role;
        inv.maxUsage = uses;
        auto created = store().createInvitation(m_platform.root, inv);
        return created ? created->id : -1;
    }

    void openPage(const Actor &actor, PlatformStore *on = nullptr)
    {
        m_page = std::make_unique<InvitationsPage>(on ? *on : store(), actor, *m_settings);
        m_page->resize(1200, 640);
        m_page->show();
        m_page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
        if (model())
            QTRY_VERIFY(!model()->isLoading() && model()->isOrderingComplete());
    }

    bool select(qint64 id)
    {
        m_page->selectInvitation(id);
        return m_page->selectedInvitationId() == id;
    }

    CreateInvitationDialog *openCreateDialog()
    {
        action("newInvitationAction")->trigger();
        return m_page->findChild<CreateInvitationDialog *>(QStringLiteral("createInvitationDialog"));
    }

    static void choose(QComboBox *combo, const QVariant &data)
    {
        const int index = combo->findData(data);
        QVERIFY2(index >= 0, qPrintable(data.toString()));
        combo->setCurrentIndex(index);
    }

    std::vector<InvitationRecord> invitations() { return store().listInvitations(m_platform.root).value(); }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = uitest::makeSettings(m_dir);
        m_path = m_dir.filePath(QStringLiteral("platform-%1.db").arg(++m_counter));
        m_platform = uitest::makePlatform(m_path);
        QVERIFY(m_platform.store);
        m_carol
            = uitest::addUser(store(), m_platform.root, QStringLiteral("carol"), QStringLiteral("operator"));
        m_dave = uitest::addUser(store(), m_platform.root, QStringLiteral("dave"), QStringLiteral("viewer"));
        m_ml = store().createGroup(m_platform.root, QStringLiteral("ml")).value();
        MessageBox::takeAskedCount();
        QGuiApplication::clipboard()->clear();
    }

    void cleanup()
    {
        m_page.reset();
        m_readOnly.reset();
        m_platform = {};
    }

    void listsInvitationsWithUsageAndStatus()
    {
        const qint64 a = invite(QStringLiteral("user"), 3);
        QVERIFY(store()
                    .database()
                    .exec(QStringLiteral("UPDATE invitations SET usage_count = 3 WHERE id = %1").arg(a))
                    .ok());
        const qint64 b = invite(QStringLiteral("viewer"), 2);
        openPage(m_platform.root);
        QCOMPARE(model()->rowCount(), 2);
        const int rowA = model()->rowOf(a);
        QCOMPARE(
            model()->index(rowA, InvitationsTableModel::Usage).data().toString(), QStringLiteral("3 / 3"));
        QCOMPARE(
            model()->index(rowA, InvitationsTableModel::Status).data().toString(), QStringLiteral("Used up"));
        QCOMPARE(model()->index(model()->rowOf(b), InvitationsTableModel::Status).data().toString(),
            QStringLiteral("Valid"));
        QVERIFY(
            child<QLabel>(m_page.get(), "pageFootnote")->text().contains(QStringLiteral("Revoking deletes")));
        // Statuses move on: an expiry passes, a refresh (every minute, or F5) shows it.
        QVERIFY(store()
                    .database()
                    .exec(QStringLiteral(
                        "UPDATE invitations SET expires_at = '2020-01-01 00:00:00' WHERE id = %1")
                              .arg(b))
                    .ok());
        action("refreshInvitationsAction")->trigger();
        QTRY_COMPARE(model()->index(model()->rowOf(b), InvitationsTableModel::Status).data().toString(),
            QStringLiteral("Expired"));
    }

    void adminCreatesAnInvitationAndCopiesTheLink()
    {
        QVERIFY(store()
                    .setSetting(m_platform.root, QString::fromLatin1(PlatformStore::kBaseUrlKey),
                        QStringLiteral("https://cluster.example.org/"))
                    .ok());
        openPage(m_platform.root);
        QPointer<CreateInvitationDialog> dialog = openCreateDialog();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        auto *role = child<QComboBox>(dialog, "roleCombo");
        QCOMPARE(role->count(), 4);
        QCOMPARE(role->currentData().toString(), QStringLiteral("viewer")); // least privilege first
        choose(role, QStringLiteral("user"));
        choose(child<QComboBox>(dialog, "groupCombo"), m_ml);
        child<QSpinBox>(dialog, "maxUsesSpin")->setValue(5);
        auto *expiry = child<QComboBox>(dialog, "expiryCombo");
        QCOMPARE(expiry->currentData().toInt(), 72); // 3 days by default
        QVERIFY(child<QSpinBox>(dialog, "customHoursSpin")->isHidden());
        choose(expiry, 168);
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);

        const auto all = invitations();
        QCOMPARE(all.size(), size_t(1));
        const InvitationRecord &inv = all.front();
        QCOMPARE(inv.role, QStringLiteral("user"));
        QCOMPARE(inv.groupId, std::optional<qint64>(m_ml));
        QCOMPARE(inv.maxUsage, 5);
        const qint64 expires = hosttime::parse(inv.expiresAt)->secsSinceEpoch;
        QVERIFY(qAbs(expires - (before + 168 * 3600)) < 60);

        // The result: the link with copy buttons.
        QPointer<InvitationLinkDialog> result
            = m_page->findChild<InvitationLinkDialog *>(QStringLiteral("invitationLinkDialog"));
        QVERIFY(result);
        QTRY_VERIFY(result->isVisible());
        const QString link = QStringLiteral("https://cluster.example.org/register?token=") + inv.token;
        QCOMPARE(child<QLineEdit>(result, "linkEdit")->text(), link);
        QVERIFY(child<InlineBanner>(result, "baseUrlBanner")->isHidden());
        QTest::mouseClick(child<QPushButton>(result, "copyLinkButton"), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), link);
        QTest::mouseClick(child<QPushButton>(result, "copyTokenButton"), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), inv.token);
        QTest::mouseClick(child<QPushButton>(result, "closeButton"), Qt::LeftButton);
        QTRY_VERIFY(!result);

        // The table shows it, selected; Ctrl+C on the table copies the link again.
        QTRY_COMPARE(model()->rowCount(), 1);
        QTRY_COMPARE(m_page->selectedInvitationId(), inv.id);
        QGuiApplication::clipboard()->clear();
        table()->setFocus();
        QTest::keySequence(table(), QKeySequence::Copy);
        QCOMPARE(QGuiApplication::clipboard()->text(), link);
        QCOMPARE(store().listAudit(m_platform.root, 1)->front().action, QStringLiteral("invitation.create"));
    }

    void customExpiryWithinTheHostsLimits()
    {
        openPage(m_platform.root);
        QPointer<CreateInvitationDialog> dialog = openCreateDialog();
        QVERIFY(dialog);
        auto *hours = child<QSpinBox>(dialog, "customHoursSpin");
        QCOMPARE(hours->minimum(), 1);
        QCOMPARE(hours->maximum(), 720);
        choose(child<QComboBox>(dialog, "expiryCombo"), -1);
        QVERIFY(!hours->isHidden());
        hours->setValue(5);
        QCOMPARE(dialog->expiresHours(), 5);
        QCOMPARE(child<QSpinBox>(dialog, "maxUsesSpin")->maximum(), PlatformStore::kMaxInvitationUses);
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        const qint64 expires = hosttime::parse(invitations().front().expiresAt)->secsSinceEpoch;
        QVERIFY(qAbs(expires - (before + 5 * 3600)) < 60);
    }

    void operatorMayOnlyInviteViewers()
    {
        openPage(carol());
        QVERIFY(!model()); // operators cannot list invitations, as on the host
        auto *placeholder = child<QLabel>(m_page.get(), "pagePlaceholder");
        QVERIFY(placeholder->isVisible());
        QVERIFY2(
            placeholder->text().contains(QStringLiteral("Administrator")), qPrintable(placeholder->text()));
        QVERIFY(!action("revokeInvitationAction")->isEnabled());
        QVERIFY(action("newInvitationAction")->isEnabled());
        QVERIFY(action("newInvitationAction")->toolTip().contains(QStringLiteral("viewer")));

        QPointer<CreateInvitationDialog> dialog = openCreateDialog();
        QVERIFY(dialog);
        auto *role = child<QComboBox>(dialog, "roleCombo");
        QCOMPARE(role->count(), 1);
        QCOMPARE(role->currentData().toString(), QStringLiteral("viewer"));
        QVERIFY(child<QLabel>(dialog, "roleNote")
                    ->text()
                    .contains(QStringLiteral("Operators can only invite viewers")));
        QVERIFY(!child<QComboBox>(dialog, "groupCombo")->isEnabled());
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        const auto all = invitations();
        QCOMPARE(all.size(), size_t(1));
        QCOMPARE(all.front().role, QStringLiteral("viewer"));
        QCOMPARE(all.front().createdBy, QStringLiteral("carol"));

        // No base URL, and an operator cannot set it: the dialog says so, the token can be copied.
        QPointer<InvitationLinkDialog> result
            = m_page->findChild<InvitationLinkDialog *>(QStringLiteral("invitationLinkDialog"));
        QVERIFY(result);
        QTRY_VERIFY(result->isVisible());
        auto *warning = child<InlineBanner>(result, "baseUrlBanner");
        QVERIFY(!warning->isHidden());
        QVERIFY2(warning->text().contains(QStringLiteral("No base URL is set")), qPrintable(warning->text()));
        QVERIFY(!child<QLineEdit>(result, "baseUrlEdit")->isVisible());
        QVERIFY(!child<QLineEdit>(result, "linkEdit")->isVisible());
        QTest::mouseClick(child<QPushButton>(result, "copyTokenButton"), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), all.front().token);
        result->close();
    }

    void storeRefusalShowsInTheDialog()
    {
        openPage(m_platform.root);
        QPointer<CreateInvitationDialog> dialog = openCreateDialog();
        choose(child<QComboBox>(dialog, "groupCombo"), m_ml);
        // The group goes before the submit: refused inside the store's transaction, nothing created.
        QVERIFY(store().deleteGroup(m_platform.root, m_ml).ok());
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QVERIFY(dialog);
        auto *error = child<InlineBanner>(dialog, "errorBanner");
        QVERIFY(!error->isHidden());
        QVERIFY2(error->text().contains(QStringLiteral("Group not found")), qPrintable(error->text()));
        QVERIFY(invitations().empty());
        dialog->reject();
    }

    void adminSetsTheBaseUrlInPlace()
    {
        openPage(m_platform.root);
        QPointer<CreateInvitationDialog> dialog = openCreateDialog();
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QPointer<InvitationLinkDialog> result
            = m_page->findChild<InvitationLinkDialog *>(QStringLiteral("invitationLinkDialog"));
        QVERIFY(result);
        QTRY_VERIFY(result->isVisible());
        QVERIFY(!child<InlineBanner>(result, "baseUrlBanner")->isHidden());
        auto *edit = child<QLineEdit>(result, "baseUrlEdit");
        QVERIFY(edit->isVisible());
        QVERIFY(!child<QLineEdit>(result, "linkEdit")->isVisible());
        QVERIFY(result->link().isEmpty());
        // Not an http(s) URL: refused by the store, shown in place, nothing saved.
        edit->setText(QStringLiteral("ftp://files.example.org"));
        QTest::mouseClick(child<QPushButton>(result, "saveBaseUrlButton"), Qt::LeftButton);
        QVERIFY(child<QLabel>(result, "statusLabel")->text().contains(QStringLiteral("http")));
        QCOMPARE(store().setting(QString::fromLatin1(PlatformStore::kBaseUrlKey)), QString());
        edit->setText(QStringLiteral("https://cluster.example.org/"));
        QTest::mouseClick(child<QPushButton>(result, "saveBaseUrlButton"), Qt::LeftButton);
        const QString token = invitations().front().token;
        QCOMPARE(child<QLineEdit>(result, "linkEdit")->text(),
            QStringLiteral("https://cluster.example.org/register?token=") + token);
        QVERIFY(child<QLineEdit>(result, "linkEdit")->isVisible());
        QVERIFY(child<InlineBanner>(result, "baseUrlBanner")->isHidden());
        QCOMPARE(store().setting(QString::fromLatin1(PlatformStore::kBaseUrlKey)),
            QStringLiteral("https://cluster.example.org/"));
        QCOMPARE(store().listAudit(m_platform.root, 1)->front().action, QStringLiteral("setting.set"));
        QTest::mouseClick(child<QPushButton>(result, "copyLinkButton"), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), result->link());
        result->close();
        QTRY_VERIFY(!result);
        QTRY_VERIFY(action("copyInvitationLinkAction")->isEnabled());
    }

    void enterShowsTheLink()
    {
        const qint64 id = invite();
        openPage(m_platform.root);
        QVERIFY(select(id));
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_Return);
        QPointer<InvitationLinkDialog> result
            = m_page->findChild<InvitationLinkDialog *>(QStringLiteral("invitationLinkDialog"));
        QVERIFY(result);
        QTRY_VERIFY(result->isVisible());
        QCOMPARE(child<QLineEdit>(result, "tokenEdit")->text(), invitations().front().token);
        result->close();
        // Copy Token from the menu.
        action("copyInvitationTokenAction")->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), invitations().front().token);
    }

    void revokeOneWithDeleteAfterConfirmation()
    {
        const qint64 keep = invite();
        const qint64 gone = invite(QStringLiteral("viewer"));
        openPage(m_platform.root);
        QVERIFY(select(gone));
        table()->setFocus();
        // Cancelled: nothing happens.
        MessageBox::setNextAnswer(MessageBox::Button::Cancel);
        QTest::keyClick(table(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(invitations().size(), size_t(2));
        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        QTest::keyClick(table(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        const auto left = invitations();
        QCOMPARE(left.size(), size_t(1));
        QCOMPARE(left.front().id, keep);
        QTRY_COMPARE(model()->rowCount(), 1);
        auto audit = store().listAudit(m_platform.root, 1);
        QCOMPARE(audit->front().action, QStringLiteral("invitation.revoke"));
        QCOMPARE(audit->front().target, QStringLiteral("invitation %1").arg(gone));
        // The footnote counts what Riverkeeper revoked (the host keeps no trace).
        QTRY_VERIFY(
            child<QLabel>(m_page.get(), "pageFootnote")->text().contains(QStringLiteral("has 1 revoked")));
    }

    void revokeSeveralAtOnce()
    {
        invite();
        invite();
        invite();
        openPage(m_platform.root);
        table()->setFocus();
        table()->selectionModel()->select(
            QItemSelection(model()->index(0, 0), model()->index(1, InvitationsTableModel::ColumnCount - 1)),
            QItemSelectionModel::ClearAndSelect);
        QVERIFY(action("revokeInvitationAction")->isEnabled());
        QVERIFY(action("revokeInvitationAction")->toolTip().contains(QStringLiteral("2 selected")));
        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        action("revokeInvitationAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(invitations().size(), size_t(1));
        QTRY_COMPARE(model()->rowCount(), 1);
        QCOMPARE(store().revokedInvitations(m_platform.root, 1)->size(), size_t(2));
    }

    void revokeFailureIsShownAndNothingHalfDone()
    {
        const qint64 a = invite();
        const qint64 b = invite();
        openPage(m_platform.root);
        table()->selectAll();
        // Someone else revokes one of them meanwhile: all or nothing, the banner says why.
        QVERIFY(store().database().exec(QStringLiteral("DELETE FROM invitations WHERE id = %1").arg(a)).ok());
        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        action("revokeInvitationAction")->trigger();
        QVERIFY2(bannerText().contains(QStringLiteral("not found")), qPrintable(bannerText()));
        QCOMPARE(invitations().size(), size_t(1));
        QCOMPARE(invitations().front().id, b);
    }

    void readOnlyDatabaseDisablesChanges()
    {
        invite();
        auto ro = PlatformStore::open(m_path, PlatformStore::Access::ReadOnly);
        QVERIFY(ro);
        m_readOnly = std::move(ro).value();
        openPage(m_platform.root, m_readOnly.get());
        QCOMPARE(model()->rowCount(), 1);
        QVERIFY(select(model()->idAt(0)));
        for (const char *name : {"newInvitationAction", "revokeInvitationAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
            QVERIFY2(action(name)->toolTip().contains(QStringLiteral("read-only")),
                qPrintable(action(name)->toolTip()));
        }
        QVERIFY(action("showInvitationLinkAction")->isEnabled());
        QVERIFY(action("copyInvitationTokenAction")->isEnabled());
        // The link dialog cannot set the base URL on a read-only file, and says why.
        action("showInvitationLinkAction")->trigger();
        QPointer<InvitationLinkDialog> result
            = m_page->findChild<InvitationLinkDialog *>(QStringLiteral("invitationLinkDialog"));
        QVERIFY(result);
        QTRY_VERIFY(result->isVisible());
        QVERIFY(!child<QLineEdit>(result, "baseUrlEdit")->isVisible());
        QVERIFY(child<InlineBanner>(result, "baseUrlBanner")->text().contains(QStringLiteral("read-only")));
        result->close();
    }

    void viewerIsToldWhy()
    {
        openPage(dave());
        QVERIFY(!model());
        QVERIFY(!action("newInvitationAction")->isEnabled());
        QVERIFY2(action("newInvitationAction")->toolTip().contains(QStringLiteral("Operator")),
            qPrintable(action("newInvitationAction")->toolTip()));
        QVERIFY(child<QLabel>(m_page.get(), "pagePlaceholder")->text().contains(QStringLiteral("Operator")));
    }

    void contextMenuAndHeaderState()
    {
        invite();
        openPage(m_platform.root);
        const QList<QAction *> menu = m_page->menuActions();
        QVERIFY(menu.contains(action("revokeInvitationAction")));
        QVERIFY(menu.contains(action("showInvitationLinkAction")));
        QHeaderView *header = table()->horizontalHeader();
        header->resizeSection(InvitationsTableModel::Group, 233);
        m_page.reset(); // saves the header state
        QVERIFY(!m_settings->tableHeaderState(QStringLiteral("invitations")).isEmpty());
        openPage(m_platform.root);
        QCOMPARE(table()->horizontalHeader()->sectionSize(InvitationsTableModel::Group), 233);
    }
};

RK_TEST_WIDGETS_MAIN(TestInvitationsPage)
#include "TestInvitationsPage.moc"
