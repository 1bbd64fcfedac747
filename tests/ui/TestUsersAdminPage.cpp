#include "UiTestSupport.h"

#include "pages/UsersAdminPage.h"
#include "useradmin/BulkPreviewDialog.h"
#include "useradmin/UserDialog.h"
#include "users/UsersTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QTableView>

using namespace rk;

class TestUsersAdminPage : public QObject
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

    qint64 idOf(const QString &username) const
    {
        auto user = m_platform.store->userByName(m_platform.root, username);
        return user ? user->id : -1;
    }

    QStringList shownUsernames() const
    {
        QStringList names;
        for (int row = 0; row < model()->rowCount(); ++row)
            names << model()->index(row, UsersTableModel::Username).data().toString();
        return names;
    }

    bool select(const QString &username)
    {
        m_page->selectUser(idOf(username));
        return m_page->selectedUserId() == idOf(username);
    }

    void openPage(const Actor &actor)
    {
        m_page = std::make_unique<UsersAdminPage>(*m_platform.store, actor, *m_settings);
        m_page->resize(1100, 600);
        m_page->show();
        m_page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
        if (model())
            QTRY_VERIFY(!model()->isLoading() && model()->rowCount() > 0);
    }

    template<typename T> static T *child(QWidget *parent, const char *name)
    {
        return parent->findChild<T *>(QString::fromLatin1(name));
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = uitest::makeSettings(m_dir);
        m_path = m_dir.filePath(QStringLiteral("platform-%1.db").arg(++m_counter));
        m_platform = uitest::makePlatform(m_path);
        QVERIFY(m_platform.store);
        uitest::addUser(*m_platform.store, m_platform.root, QStringLiteral("bob"), QStringLiteral("user"),
            QStringLiteral("Bob Builder"));
        uitest::addUser(
            *m_platform.store, m_platform.root, QStringLiteral("carol"), QStringLiteral("operator"));
        uitest::addUser(*m_platform.store, m_platform.root, QStringLiteral("dave"), QStringLiteral("viewer"));
        MessageBox::takeAskedCount();
    }

    void cleanup()
    {
        m_page.reset();
        m_platform = {};
    }

    void showsUsers()
    {
        openPage(m_platform.root);
        QCOMPARE(model()->rowCount(), 4);
        QCOMPARE(shownUsernames(),
            (QStringList {QStringLiteral("root"), QStringLiteral("bob"), QStringLiteral("carol"),
                QStringLiteral("dave")}));
        // Fixed, uniform row heights (no per-row measuring).
        QCOMPARE(table()->verticalHeader()->sectionResizeMode(0), QHeaderView::Fixed);
        QVERIFY(action("newUserAction")->isEnabled());
        QVERIFY(!action("editUserAction")->isEnabled()); // nothing selected
    }

    void createUserThroughTheDialog()
    {
        const qint64 ml = m_platform.store->createGroup(m_platform.root, QStringLiteral("ml-team")).value();
        const qint64 ops = m_platform.store->createGroup(m_platform.root, QStringLiteral("ops")).value();
        m_platform.store->createGroup(m_platform.root, QStringLiteral("web")).value();
        openPage(m_platform.root);
        action("newUserAction")->trigger();
        QPointer<UserDialog> dialog = m_page->findChild<UserDialog *>(QStringLiteral("createUserDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        // Groups: a checkable list with search.
        auto *search = child<QLineEdit>(dialog, "pickerSearch");
        auto *list = child<QListWidget>(dialog, "pickerList");
        QCOMPARE(list->count(), 3);
        QTest::keyClicks(search, QStringLiteral("OP"));
        QCOMPARE(list->item(0)->isHidden(), true); // ml-team
        QCOMPARE(list->item(1)->isHidden(), false); // ops
        QTest::keyClick(search, Qt::Key_Down); // into the list, on the first match
        QTest::keyClick(list, Qt::Key_Space);
        QCOMPARE(list->item(1)->checkState(), Qt::Checked);
        search->clear();
        list->item(0)->setCheckState(Qt::Checked);
        QCOMPARE(child<QLabel>(dialog, "pickerSummary")->text(), QStringLiteral("Member of 2 of 3 groups"));
        child<QLineEdit>(dialog, "usernameEdit")->setText(QStringLiteral("erin"));
        child<QLineEdit>(dialog, "displayNameEdit")->setText(QStringLiteral("Erin Example"));
        auto *role = child<QComboBox>(dialog, "roleCombo");
        role->setCurrentIndex(role->findData(QStringLiteral("operator")));
        child<QLineEdit>(dialog, "passwordEdit")->setText(QStringLiteral("erin-secret-42"));
        child<QLineEdit>(dialog, "confirmEdit")->setText(QStringLiteral("erin-secret-4"));
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        // Validated inline; nothing created.
        QCOMPARE(child<InlineBanner>(dialog, "errorBanner")->text(),
            QStringLiteral("The two passwords do not match."));
        QCOMPARE(idOf(QStringLiteral("erin")), qint64(-1));

        child<QLineEdit>(dialog, "confirmEdit")->setText(QStringLiteral("erin-secret-42"));
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QVERIFY(dialog->isBusy()); // hashing off the UI thread
        QTRY_VERIFY(!dialog); // accepted and deleted on close

        auto erin = m_platform.store->userByName(m_platform.root, QStringLiteral("erin"));
        QVERIFY(erin.ok());
        QCOMPARE(erin->role, QStringLiteral("operator"));
        QCOMPARE(erin->displayName, QStringLiteral("Erin Example"));
        QCOMPARE(erin->groups, (QStringList {QStringLiteral("ml-team"), QStringLiteral("ops")}));
        QCOMPARE(m_platform.store->groupIdsOf(m_platform.root, erin->id).value(), (QList<qint64> {ml, ops}));
        QVERIFY(m_platform.store
                    ->authenticate(
                        QStringLiteral("erin"), QStringLiteral("erin-secret-42"), QStringLiteral("test@host"))
                    .ok());
        // The table shows the new user, selected.
        QTRY_COMPARE(model()->rowCount(), 5);
        QTRY_COMPARE(m_page->selectedUserId(), erin->id);
    }

    void createRefusedShowsStoreMessageInDialog()
    {
        openPage(m_platform.root);
        action("newUserAction")->trigger();
        QPointer<UserDialog> dialog = m_page->findChild<UserDialog *>(QStringLiteral("createUserDialog"));
        child<QLineEdit>(dialog, "usernameEdit")->setText(QStringLiteral("bob")); // taken
        child<QLineEdit>(dialog, "passwordEdit")->setText(QStringLiteral("another-bob-pw"));
        child<QLineEdit>(dialog, "confirmEdit")->setText(QStringLiteral("another-bob-pw"));
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog->isBusy());
        QVERIFY(dialog);
        QVERIFY(!child<InlineBanner>(dialog, "errorBanner")->text().isEmpty());
        dialog->reject();
        QCOMPARE(model()->rowCount(), 4);
    }

    void editRole()
    {
        openPage(m_platform.root);
        QVERIFY(select(QStringLiteral("bob")));
        QVERIFY(action("editUserAction")->isEnabled());
        // Enter on the table opens Edit.
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_Return);
        QPointer<UserDialog> dialog = m_page->findChild<UserDialog *>(QStringLiteral("editUserDialog"));
        QVERIFY(dialog);
        QCOMPARE(child<QLineEdit>(dialog, "usernameEdit")->text(), QStringLiteral("bob"));
        QVERIFY(child<QLineEdit>(dialog, "usernameEdit")->isReadOnly());
        auto *role = child<QComboBox>(dialog, "roleCombo");
        QCOMPARE(role->currentData().toString(), QStringLiteral("user"));
        // Granting admin warns first.
        auto *warning = child<InlineBanner>(dialog, "adminWarning");
        QVERIFY(warning->isHidden());
        role->setCurrentIndex(role->findData(QStringLiteral("admin")));
        QVERIFY(!warning->isHidden());
        role->setCurrentIndex(role->findData(QStringLiteral("operator")));
        QVERIFY(warning->isHidden());
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(m_platform.store->userByName(m_platform.root, QStringLiteral("bob"))->role,
            QStringLiteral("operator"));
        const int row = model()->rowOf(idOf(QStringLiteral("bob")));
        QTRY_COMPARE(
            model()->index(row, UsersTableModel::Role).data().toString(), QStringLiteral("operator"));
        QCOMPARE(m_page->selectedUserId(), idOf(QStringLiteral("bob")));
    }

    void suspendAndActivate()
    {
        openPage(m_platform.root);
        QVERIFY(select(QStringLiteral("bob")));
        QVERIFY(action("suspendUserAction")->isEnabled());
        QVERIFY(!action("activateUserAction")->isEnabled());
        const qint64 bob = idOf(QStringLiteral("bob"));
        for (int i = 0; i < 3; ++i)
            QVERIFY(
                m_platform.store->database()
                    .exec(QStringLiteral("INSERT INTO sessions (session_id, user_id, expires_at, created_at) "
                                         "VALUES ('s%1', %2, '2999-01-01 00:00:00', '2026-01-01 00:00:00')")
                              .arg(i)
                              .arg(bob))
                    .ok());
        action("suspendUserAction")->trigger();
        // A confirmation first, offering to end the sessions too, with their number.
        QPointer<BulkPreviewDialog> confirm
            = m_page->findChild<BulkPreviewDialog *>(QStringLiteral("suspendUsersDialog"));
        QVERIFY(confirm);
        QTRY_VERIFY(confirm->isVisible());
        QVERIFY(child<QLabel>(confirm, "questionLabel")->text().contains(QStringLiteral("bob")));
        QVERIFY(child<QWidget>(confirm, "previewTable")->isHidden()); // one user: the question says it
        auto *endSessions = child<QCheckBox>(confirm, "endSessionsCheck");
        QVERIFY2(
            endSessions->text().contains(QStringLiteral("(3 on record)")), qPrintable(endSessions->text()));
        endSessions->setChecked(true);
        QVERIFY(m_platform.store->userByName(m_platform.root, QStringLiteral("bob"))->active); // not yet
        QTest::mouseClick(child<QPushButton>(confirm, "applyButton"), Qt::LeftButton);
        QTRY_VERIFY(!confirm);
        QVERIFY(!m_platform.store->userByName(m_platform.root, QStringLiteral("bob"))->active);
        QVERIFY(m_platform.store->listSessions(m_platform.root, bob)->empty());
        QTRY_VERIFY(!model()->index(model()->rowOf(bob), 0).data(UsersTableModel::ActiveRole).toBool());
        QTRY_VERIFY(action("activateUserAction")->isEnabled());
        QVERIFY(!action("suspendUserAction")->isEnabled());
        QCOMPARE(m_page->selectedUserId(), bob);
        action("activateUserAction")->trigger();
        confirm = m_page->findChild<BulkPreviewDialog *>(QStringLiteral("activateUsersDialog"));
        QVERIFY(confirm);
        // Cancelled: nothing changes.
        QTest::mouseClick(child<QPushButton>(confirm, "cancelButton"), Qt::LeftButton);
        QTRY_VERIFY(!confirm);
        QVERIFY(!m_platform.store->userByName(m_platform.root, QStringLiteral("bob"))->active);
        action("activateUserAction")->trigger();
        confirm = m_page->findChild<BulkPreviewDialog *>(QStringLiteral("activateUsersDialog"));
        QVERIFY(confirm);
        QTest::mouseClick(child<QPushButton>(confirm, "applyButton"), Qt::LeftButton);
        QTRY_VERIFY(!confirm);
        QVERIFY(m_platform.store->userByName(m_platform.root, QStringLiteral("bob"))->active);
        QTRY_VERIFY(model()->index(model()->rowOf(bob), 0).data(UsersTableModel::ActiveRole).toBool());
    }

    void suspendingYourselfIsRefusedInTheBanner()
    {
        openPage(m_platform.root);
        QVERIFY(select(QStringLiteral("root")));
        action("suspendUserAction")->trigger();
        QVERIFY2(bannerText().contains(QStringLiteral("Cannot disable yourself")), qPrintable(bannerText()));
        QVERIFY(m_platform.store->userByName(m_platform.root, QStringLiteral("root"))->active);
        const int row = model()->rowOf(m_platform.root.userId);
        QVERIFY(model()->index(row, 0).data(UsersTableModel::ActiveRole).toBool());
        QCOMPARE(model()->index(row, UsersTableModel::Status).data().toString(), QStringLiteral("Active"));
    }

    void editGroupsAndDisplayName()
    {
        const qint64 ml = m_platform.store->createGroup(m_platform.root, QStringLiteral("ml")).value();
        const qint64 ops = m_platform.store->createGroup(m_platform.root, QStringLiteral("ops")).value();
        const qint64 bob = idOf(QStringLiteral("bob"));
        QVERIFY(m_platform.store->addGroupMember(m_platform.root, ml, bob).ok());
        openPage(m_platform.root);
        QVERIFY(select(QStringLiteral("bob")));
        action("editUserAction")->trigger();
        QPointer<UserDialog> dialog = m_page->findChild<UserDialog *>(QStringLiteral("editUserDialog"));
        QVERIFY(dialog);
        auto *list = child<QListWidget>(dialog, "pickerList");
        QCOMPARE(list->item(0)->text(), QStringLiteral("ml"));
        QCOMPARE(list->item(0)->checkState(), Qt::Checked); // bob's own
        QCOMPARE(list->item(1)->checkState(), Qt::Unchecked);
        list->item(0)->setCheckState(Qt::Unchecked);
        list->item(1)->setCheckState(Qt::Checked);
        child<QLineEdit>(dialog, "displayNameEdit")->setText(QStringLiteral("Robert"));
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        auto user = m_platform.store->user(m_platform.root, bob);
        QCOMPARE(user->displayName, QStringLiteral("Robert"));
        QCOMPARE(user->groups, QStringList {QStringLiteral("ops")});
        QCOMPARE(m_platform.store->groupIdsOf(m_platform.root, bob).value(), QList<qint64> {ops});
        const int row = model()->rowOf(bob);
        QTRY_COMPARE(model()->index(row, UsersTableModel::Groups).data().toString(), QStringLiteral("ops"));
    }

    void columnsAndSortAreRememberedPerPage()
    {
        openPage(m_platform.root);
        QHeaderView *header = table()->horizontalHeader();
        auto *menu = m_page->findChild<QMenu *>(QStringLiteral("columnsMenu"));
        QVERIFY(menu);
        // Hide "Groups" from the header's menu; the last visible column cannot be hidden.
        auto *groups
            = menu->findChild<QAction *>(QStringLiteral("columnAction%1").arg(UsersTableModel::Groups));
        QVERIFY(groups && groups->isChecked());
        groups->trigger();
        QVERIFY(header->isSectionHidden(UsersTableModel::Groups));
        // Move "Status" to the front, widen "Username", sort by role descending.
        header->moveSection(header->visualIndex(UsersTableModel::Status), 0);
        header->resizeSection(UsersTableModel::Username, 211);
        table()->sortByColumn(UsersTableModel::Role, Qt::DescendingOrder);
        QTRY_COMPARE(model()->sortColumn(), int(UsersTableModel::Role));

        // A new page (the app restarted) shows the same layout and sort.
        m_page.reset();
        openPage(m_platform.root);
        header = table()->horizontalHeader();
        QVERIFY(header->isSectionHidden(UsersTableModel::Groups));
        QCOMPARE(header->visualIndex(UsersTableModel::Status), 0);
        QCOMPARE(header->sectionSize(UsersTableModel::Username), 211);
        QCOMPARE(header->sortIndicatorSection(), int(UsersTableModel::Role));
        QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
        QTRY_COMPARE(model()->sortColumn(), int(UsersTableModel::Role));
        QCOMPARE(model()->sortOrder(), Qt::DescendingOrder);
        QTRY_COMPARE(model()->index(model()->rowCount() - 1, UsersTableModel::Role).data().toString(),
            QStringLiteral("admin"));

        // Reset: every column back, in model order, natural sort.
        menu = m_page->findChild<QMenu *>(QStringLiteral("columnsMenu"));
        QMetaObject::invokeMethod(menu, "aboutToShow");
        menu->findChild<QAction *>(QStringLiteral("resetColumnsAction"))->trigger();
        QVERIFY(!header->isSectionHidden(UsersTableModel::Groups));
        QCOMPARE(header->visualIndex(UsersTableModel::Status), int(UsersTableModel::Status));
        QTRY_COMPARE(model()->sortColumn(), -1);
    }

    void rightClickKeepsAMultipleSelection()
    {
        openPage(m_platform.root);
        auto *sel = table()->selectionModel();
        for (const QString &name : {QStringLiteral("bob"), QStringLiteral("carol")}) {
            sel->select(model()->index(model()->rowOf(idOf(name)), 0),
                QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
        QCOMPARE(m_page->selectedUserIds(),
            (QList<qint64> {idOf(QStringLiteral("bob")), idOf(QStringLiteral("carol"))}));
        QCOMPARE(m_page->selectedUserId(), qint64(-1)); // several: no single user
        QVERIFY(!action("editUserAction")->isEnabled());
        QVERIFY(action("suspendUserAction")->isEnabled());
        QVERIFY(action("suspendUserAction")->toolTip().contains(QStringLiteral("2 selected users")));
        const QRect carolRect
            = table()->visualRect(model()->index(model()->rowOf(idOf(QStringLiteral("carol"))), 0));
        QMetaObject::invokeMethod(table(), "customContextMenuRequested", Q_ARG(QPoint, carolRect.center()));
        auto *menu = m_page->findChild<QMenu *>(QStringLiteral("rowContextMenu"));
        QTRY_VERIFY(menu && menu->isVisible());
        QCOMPARE(m_page->selectedUserIds().size(), 2);
        menu->close();
    }

    void deleteAsksWithTheImpact()
    {
        openPage(m_platform.root);
        const qint64 bob = idOf(QStringLiteral("bob"));
        QVERIFY(m_platform.store->createToken(m_platform.root, bob, QStringLiteral("ci")).ok());
        QVERIFY(select(QStringLiteral("bob")));

        // Cancelled: nothing happens.
        MessageBox::setNextAnswer(MessageBox::Button::Cancel);
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QVERIFY(m_platform.store->userByName(m_platform.root, QStringLiteral("bob")).ok());

        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        action("deleteUserAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QVERIFY(!m_platform.store->userByName(m_platform.root, QStringLiteral("bob")).ok());
        QTRY_COMPARE(model()->rowCount(), 3);
        QVERIFY(!shownUsernames().contains(QStringLiteral("bob")));
        auto tokens = m_platform.store->listTokens(m_platform.root);
        QVERIFY(tokens.ok() && tokens->empty());
    }

    void deletingYourselfIsRefused()
    {
        openPage(m_platform.root);
        QVERIFY(select(QStringLiteral("root")));
        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        action("deleteUserAction")->trigger();
        // The store is the authority: it refuses, the banner says why, nothing changes.
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QVERIFY2(bannerText().contains(QStringLiteral("Cannot delete yourself")), qPrintable(bannerText()));
        QVERIFY(m_platform.store->userByName(m_platform.root, QStringLiteral("root")).ok());
        QCOMPARE(model()->rowCount(), 4);
    }

    void resetPassword()
    {
        openPage(m_platform.root);
        QVERIFY(select(QStringLiteral("dave")));
        action("resetPasswordAction")->trigger();
        QPointer<UserDialog> dialog = m_page->findChild<UserDialog *>(QStringLiteral("resetPasswordDialog"));
        QVERIFY(dialog);
        QTest::mouseClick(child<QPushButton>(dialog, "generateButton"), Qt::LeftButton);
        const QString generated = child<QLineEdit>(dialog, "passwordEdit")->text();
        QCOMPARE(generated.size(), 20);
        QCOMPARE(child<QLineEdit>(dialog, "confirmEdit")->text(), generated);
        QCOMPARE(child<QLineEdit>(dialog, "passwordEdit")->echoMode(), QLineEdit::Normal); // shown to copy
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QVERIFY(m_platform.store->authenticate(QStringLiteral("dave"), generated, QStringLiteral("test@host"))
                    .ok());
    }

    void filterNarrowsAsYouType()
    {
        openPage(m_platform.root);
        auto *filter = m_page->findChild<QLineEdit *>(QStringLiteral("filterField"));
        QTest::keyClicks(filter, QStringLiteral("car"));
        QTRY_COMPARE(model()->rowCount(), 1);
        QCOMPARE(shownUsernames(), QStringList {QStringLiteral("carol")});
        // Role text matches too.
        filter->setText(QStringLiteral("VIEW"));
        QTRY_COMPARE(shownUsernames(), QStringList {QStringLiteral("dave")});
        // Down moves from the filter to the first match, selected, with its actions enabled.
        QTest::keyClick(filter, Qt::Key_Down);
        QCOMPARE(m_page->selectedUserId(), idOf(QStringLiteral("dave")));
        QVERIFY(action("editUserAction")->isEnabled());
        QTest::keyClick(filter, Qt::Key_Escape);
        QVERIFY(filter->text().isEmpty());
        QTRY_COMPARE(model()->rowCount(), 4);
        // The clear button shows only with text, and clears it.
        auto *clear = filter->findChild<QAction *>(QStringLiteral("clearFilterAction"));
        QVERIFY(clear);
        QVERIFY(!clear->isVisible());
        QTest::keyClicks(filter, QStringLiteral("car"));
        QVERIFY(clear->isVisible());
        clear->trigger();
        QVERIFY(filter->text().isEmpty());
        QVERIFY(!clear->isVisible());
    }

    void sortByHeaderClick()
    {
        openPage(m_platform.root);
        QHeaderView *header = table()->horizontalHeader();
        auto clickHeader = [header](int section) {
            const QPoint pos(header->sectionViewportPosition(section) + header->sectionSize(section) / 2,
                header->height() / 2);
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, pos);
        };
        clickHeader(UsersTableModel::Username);
        QTRY_COMPARE(model()->sortColumn(), int(UsersTableModel::Username));
        QTRY_COMPARE(shownUsernames(),
            (QStringList {QStringLiteral("bob"), QStringLiteral("carol"), QStringLiteral("dave"),
                QStringLiteral("root")}));
        clickHeader(UsersTableModel::Username);
        QTRY_COMPARE(shownUsernames(),
            (QStringList {QStringLiteral("root"), QStringLiteral("dave"), QStringLiteral("carol"),
                QStringLiteral("bob")}));
        clickHeader(UsersTableModel::Role);
        QTRY_COMPARE(model()->sortColumn(), int(UsersTableModel::Role));
        QTRY_COMPARE(model()->index(0, UsersTableModel::Role).data().toString(), QStringLiteral("admin"));
    }

    void selectionSurvivesARefresh()
    {
        openPage(m_platform.root);
        QVERIFY(select(QStringLiteral("dave")));
        // Sorted by role, a role change moves dave's row: the selection follows the user.
        table()->sortByColumn(UsersTableModel::Role, Qt::AscendingOrder);
        QTRY_COMPARE(model()->sortColumn(), int(UsersTableModel::Role));
        QTRY_COMPARE(m_page->selectedUserId(), idOf(QStringLiteral("dave")));
        UserChanges changes;
        changes.role = QStringLiteral("admin");
        QVERIFY(m_platform.store->updateUser(m_platform.root, idOf(QStringLiteral("dave")), changes).ok());
        QTRY_COMPARE(model()->index(0, UsersTableModel::Role).data().toString()
                + model()->index(1, UsersTableModel::Role).data().toString(),
            QStringLiteral("adminadmin"));
        QTRY_COMPARE(m_page->selectedUserId(), idOf(QStringLiteral("dave")));
    }

    void hostWritesShowUp()
    {
        openPage(m_platform.root);
        // Another program (the host) adds a user through its own connection.
        {
            auto other = PlatformStore::open(m_path, PlatformStore::Access::ReadWrite);
            QVERIFY(other.ok());
            uitest::addUser(*other.value(), m_platform.root, QStringLiteral("frank"), QStringLiteral("user"));
        }
        QVERIFY(m_platform.store->checkForExternalChange());
        QTRY_COMPARE(model()->rowCount(), 5);
    }

    void readOnlyDisablesEveryChange()
    {
        m_platform.store.reset();
        auto ro = PlatformStore::open(m_path, PlatformStore::Access::ReadOnly);
        QVERIFY(ro.ok());
        m_platform.store = std::move(ro).value();
        openPage(m_platform.root);
        QVERIFY(select(QStringLiteral("bob")));
        for (const char *name : {"newUserAction", "editUserAction", "suspendUserAction", "activateUserAction",
                 "resetPasswordAction", "deleteUserAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
            QVERIFY2(action(name)->toolTip().contains(QStringLiteral("read-only")), name);
        }
        QVERIFY(action("copyUsernameAction")->isEnabled());
        // Enter does not open an editor either.
        QTest::keyClick(table(), Qt::Key_Return);
        QVERIFY(!m_page->findChild<UserDialog *>());
    }

    void operatorSeesUsersButCannotChangeThem()
    {
        Actor carol {idOf(QStringLiteral("carol")), QStringLiteral("carol"), Role::Operator,
            QStringLiteral("test@host")};
        openPage(carol);
        QVERIFY(model());
        QCOMPARE(model()->rowCount(), 4);
        QVERIFY(!action("newUserAction")->isEnabled());
        QVERIFY2(action("newUserAction")->toolTip().contains(QStringLiteral("Administrator")),
            qPrintable(action("newUserAction")->toolTip()));
    }

    void viewerGetsAnExplanation()
    {
        Actor dave {
            idOf(QStringLiteral("dave")), QStringLiteral("dave"), Role::Viewer, QStringLiteral("test@host")};
        openPage(dave);
        QVERIFY(!model());
        auto *placeholder = m_page->findChild<QWidget *>(QStringLiteral("pagePlaceholder"));
        QVERIFY(placeholder->isVisible());
        QVERIFY(!action("newUserAction")->isEnabled());
    }
};

RK_TEST_WIDGETS_MAIN(TestUsersAdminPage)
#include "TestUsersAdminPage.moc"
