#include "UiTestSupport.h"

#include "groups/GroupDialog.h"
#include "groups/GroupMembersModel.h"
#include "groups/GroupMembersPanel.h"
#include "pages/GroupsPage.h"
#include "users/UsersTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"
#include "widgets/UserPickerDialog.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>

using namespace rk;

class TestGroupsPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    uitest::Platform m_platform;
    QString m_path;
    std::unique_ptr<GroupsPage> m_page;
    int m_counter = 0;
    qint64 m_bob = 0, m_carol = 0, m_dave = 0, m_erin = 0;

    PlatformStore &store() { return *m_platform.store; }
    const Actor &root() const { return m_platform.root; }
    GroupsTableModel *model() const { return m_page->model(); }
    QTableView *table() const { return m_page->findChild<QTableView *>(QStringLiteral("tableView")); }
    GroupMembersPanel *panel() const { return m_page->membersPanel(); }
    GroupMembersModel *members() const { return panel()->model(); }
    QTableView *membersTable() const { return panel()->tableView(); }
    QAction *action(const char *name) const
    {
        QAction *a = m_page->findChild<QAction *>(QString::fromLatin1(name));
        if (!a)
            qWarning("no action %s", name);
        return a;
    }
    QString bannerText() const
    {
        return m_page->findChild<InlineBanner *>(QStringLiteral("pageBanner"))->text();
    }
    template<typename T> static T *child(QObject *parent, const char *name)
    {
        return parent->findChild<T *>(QString::fromLatin1(name));
    }

    QVariant sql(const QString &query) { return store().database().scalar(query).value(); }
    QString limitsOf(qint64 group)
    {
        return sql(QStringLiteral("SELECT limits_json FROM groups WHERE id = %1").arg(group)).toString();
    }
    QString overrideOf(qint64 group, qint64 user)
    {
        return sql(QStringLiteral(
                       "SELECT coalesce(role_override, '<null>') FROM user_groups WHERE group_id = %1 AND "
                       "user_id = %2")
                       .arg(group)
                       .arg(user))
            .toString();
    }
    QList<qint64> memberIds(qint64 group)
    {
        QList<qint64> ids;
        const auto list = store().groupMembers(root(), group);
        for (const GroupMember &m : list.value())
            ids << m.userId;
        std::sort(ids.begin(), ids.end());
        return ids;
    }
    qint64 makeGroup(const QString &name, const QList<qint64> &users = {},
        const QString &limits = QStringLiteral("{}"), int tier = 0)
    {
        const qint64 id = store().createGroup(root(), name, tier, limits).value();
        for (qint64 user : users)
            store().addGroupMember(root(), id, user).ok();
        return id;
    }

    void openPage(const Actor &actor)
    {
        m_page = std::make_unique<GroupsPage>(store(), actor, *m_settings);
        m_page->resize(1200, 800);
        m_page->show();
        m_page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
        if (model())
            QTRY_VERIFY(!model()->isLoading());
    }

    // Selects the group and waits until the detail pane shows its members.
    bool selectGroup(qint64 id, int expectedMembers)
    {
        m_page->selectGroup(id);
        if (m_page->selectedGroupId() != id)
            return false;
        QTest::qWait(0);
        return QTest::qWaitFor([&]() {
            return panel()->groupId() == id && !members()->isLoading()
                && members()->rowCount() == expectedMembers
                && (expectedMembers == 0 || members()->isRowLoaded(expectedMembers - 1));
        });
    }

    void selectMembers(const QList<qint64> &ids)
    {
        membersTable()->clearSelection();
        for (qint64 id : ids)
            membersTable()->selectionModel()->select(members()->index(members()->rowOf(id), 0),
                QItemSelectionModel::Select | QItemSelectionModel::Rows);
        membersTable()->selectionModel()->setCurrentIndex(
            members()->index(members()->rowOf(ids.front()), 0), QItemSelectionModel::NoUpdate);
    }

    // Another connection holding the write lock, as the host does while it writes.
    std::unique_ptr<SqliteDatabase> hostWriteLock()
    {
        auto db = SqliteDatabase::open(m_path, SqliteDatabase::OpenMode::ReadWrite, 50);
        if (!db || !db.value()->exec(QStringLiteral("BEGIN IMMEDIATE")).ok())
            return nullptr;
        return std::move(db).value();
    }

    template<typename T> QPointer<T> dialogNamed(const char *name)
    {
        QPointer<T> dialog = m_page->findChild<T *>(QString::fromLatin1(name));
        return dialog;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = uitest::makeSettings(m_dir);
        m_path = m_dir.filePath(QStringLiteral("groups-%1.db").arg(++m_counter));
        m_platform = uitest::makePlatform(m_path);
        QVERIFY(m_platform.store);
        m_bob = uitest::addUser(
            store(), root(), QStringLiteral("bob"), QStringLiteral("user"), QStringLiteral("Bob Builder"));
        m_carol = uitest::addUser(store(), root(), QStringLiteral("carol"), QStringLiteral("operator"));
        m_dave = uitest::addUser(store(), root(), QStringLiteral("dave"), QStringLiteral("viewer"));
        m_erin = uitest::addUser(store(), root(), QStringLiteral("erin"), QStringLiteral("user"));
        MessageBox::takeAskedCount();
    }

    void cleanup()
    {
        m_page.reset();
        m_platform = {};
    }

    void showsGroupsAndTheSelectedGroupsMembers()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu-users"), {m_bob, m_carol},
            QStringLiteral(R"({"max_tasks": 4, "gpu_cap": 2, "zone": "eu"})"), 2);
        makeGroup(QStringLiteral("ops"));
        openPage(root());
        QCOMPARE(m_page->objectName(), QStringLiteral("groupsPage"));
        QCOMPARE(m_page->title(), QStringLiteral("Groups"));
        QCOMPARE(model()->rowCount(), 2);
        QVERIFY(m_page->findChild<QSplitter *>(QStringLiteral("groupsSplitter")));
        // Nothing selected: the pane says what to do.
        QCOMPARE(child<QLabel>(panel(), "groupTitle")->text(), QStringLiteral("No group selected"));
        QVERIFY(!action("addMembersAction")->isEnabled());

        QVERIFY(selectGroup(gpu, 2));
        QCOMPARE(child<QLabel>(panel(), "groupTitle")->text(), QStringLiteral("gpu-users"));
        QVERIFY(child<QLabel>(panel(), "groupFacts")->text().contains(QStringLiteral("Tier 2")));
        QVERIFY(child<QLabel>(panel(), "groupFacts")->text().contains(QStringLiteral("members: 2")));
        const QString limits = child<QLabel>(panel(), "limitsSummary")->text();
        QVERIFY2(limits.contains(QStringLiteral("Max tasks 4"))
                && limits.contains(QStringLiteral("GPU cap 2"))
                && limits.contains(QStringLiteral("other keys kept: 1")),
            qPrintable(limits));
        // Honest about what enforces it: nothing on the host.
        QVERIFY(child<QLabel>(panel(), "enforcementNote")
                    ->text()
                    .contains(QStringLiteral("the host does not enforce group roles or limits yet")));
        QCOMPARE(members()->index(0, GroupMembersModel::Username).data().toString(), QStringLiteral("bob"));
        QCOMPARE(members()->index(0, GroupMembersModel::DisplayName).data().toString(),
            QStringLiteral("Bob Builder"));
        QCOMPARE(members()->index(1, GroupMembersModel::Role).data().toString(), QStringLiteral("operator"));
        QVERIFY(action("addMembersAction")->isEnabled());

        // The member search narrows the list.
        QTest::keyClicks(panel()->filterField(), QStringLiteral("car"));
        QTRY_COMPARE(members()->rowCount(), 1);
        QTRY_COMPARE(
            members()->index(0, GroupMembersModel::Username).data().toString(), QStringLiteral("carol"));
    }

    void createGroupWithTierAndLimits()
    {
        openPage(root());
        action("newGroupAction")->trigger();
        QPointer<GroupDialog> dialog = dialogNamed<GroupDialog>("createGroupDialog");
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        auto *submit = child<QPushButton>(dialog, "submitButton");
        QVERIFY(!submit->isEnabled()); // no name yet
        QVERIFY(child<QLabel>(dialog, "problemLabel")->isHidden()); // not an error before typing
        // A bad quota is pointed out at once, even before the name.
        child<QLineEdit>(dialog, "maxTasksEdit")->setText(QStringLiteral("-3"));
        QVERIFY(child<QLabel>(dialog, "problemLabel")->text().contains(QStringLiteral("cannot be negative")));
        QVERIFY(!child<QLabel>(dialog, "problemLabel")->isHidden());
        QTest::keyClicks(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("ml-research"));
        child<QSpinBox>(dialog, "tierSpin")->setValue(3);
        child<QLineEdit>(dialog, "maxTasksEdit")->setText(QStringLiteral("10"));
        child<QLineEdit>(dialog, "gpuCapEdit")->setText(QStringLiteral("2"));
        QVERIFY(submit->isEnabled());
        QTest::mouseClick(submit, Qt::LeftButton);
        QTRY_VERIFY(!dialog);

        auto created = store().groupByName(root(), QStringLiteral("ml-research"));
        QVERIFY(created.ok());
        QCOMPARE(created->tier, 3);
        QCOMPARE(limitsOf(created->id), QStringLiteral(R"({"gpu_cap": 2, "max_tasks": 10})"));
        QCOMPARE(store().listAudit(root(), 1)->front().action, QStringLiteral("group.create"));
        QTRY_COMPARE(model()->rowCount(), 1);
        QTRY_COMPARE(m_page->selectedGroupId(), created->id);
        QTRY_COMPARE(panel()->groupId(), std::optional<qint64>(created->id));
    }

    void duplicateNamesAreRefused()
    {
        makeGroup(QStringLiteral("ops"));
        openPage(root());
        action("newGroupAction")->trigger();
        QPointer<GroupDialog> dialog = dialogNamed<GroupDialog>("createGroupDialog");
        QVERIFY(dialog);
        auto *name = child<QLineEdit>(dialog, "nameEdit");
        auto *submit = child<QPushButton>(dialog, "submitButton");
        auto *problem = child<QLabel>(dialog, "problemLabel");
        // Checked before submitting: the name is taken.
        QTest::keyClicks(name, QStringLiteral("ops"));
        QVERIFY2(problem->text().contains(QStringLiteral("already exists")), qPrintable(problem->text()));
        QVERIFY(!problem->isHidden());
        QVERIFY(!submit->isEnabled());
        // Too long (the column is VARCHAR(100)), and blank.
        name->setText(QString(101, QLatin1Char('g')));
        QVERIFY(problem->text().contains(QStringLiteral("at most 100")));
        QVERIFY(!submit->isEnabled());
        name->setText(QStringLiteral("   "));
        QVERIFY(problem->text().contains(QStringLiteral("Enter a name")));
        QVERIFY(!submit->isEnabled());

        // Free when typed, taken by another program before OK: checked again, nothing created.
        name->setText(QStringLiteral("new-team"));
        QVERIFY(submit->isEnabled());
        {
            auto other = PlatformStore::open(m_path, PlatformStore::Access::ReadWrite);
            QVERIFY(other.ok());
            QVERIFY(other.value()->createGroup(root(), QStringLiteral("new-team")).ok());
        }
        QTest::mouseClick(submit, Qt::LeftButton);
        QVERIFY(dialog);
        QVERIFY(problem->text().contains(QStringLiteral("already exists")));
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM groups WHERE name = 'new-team'")).toLongLong(),
            qint64(1));

        // The store's own refusal (here: the host holds the write lock) shows in the dialog, which
        // stays open with what was typed; nothing is half-written.
        name->setText(QStringLiteral("other-team"));
        store().database().setBusyTimeout(50);
        auto host = hostWriteLock();
        QVERIFY(host);
        QTest::mouseClick(submit, Qt::LeftButton);
        QVERIFY(dialog);
        const QString refusal = child<InlineBanner>(dialog, "errorBanner")->text();
        QVERIFY2(!refusal.isEmpty(), "no refusal shown");
        QCOMPARE(name->text(), QStringLiteral("other-team"));
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM groups WHERE name = 'other-team'")).toLongLong(),
            qint64(0));
        host.reset(); // the lock goes with the connection
        QTest::mouseClick(submit, Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM groups WHERE name = 'other-team'")).toLongLong(),
            qint64(1));
    }

    void renameWithF2()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"), {m_bob});
        makeGroup(QStringLiteral("cpu"));
        openPage(root());
        QVERIFY(selectGroup(gpu, 1));
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_F2);
        QPointer<GroupDialog> dialog = dialogNamed<GroupDialog>("renameGroupDialog");
        QVERIFY(dialog);
        auto *name = child<QLineEdit>(dialog, "nameEdit");
        auto *submit = child<QPushButton>(dialog, "submitButton");
        QCOMPARE(name->text(), QStringLiteral("gpu"));
        QVERIFY(!submit->isEnabled()); // unchanged
        QVERIFY(child<QSpinBox>(dialog, "tierSpin")->isHidden());
        name->setText(QStringLiteral("cpu"));
        QVERIFY(child<QLabel>(dialog, "problemLabel")->text().contains(QStringLiteral("already exists")));
        QVERIFY(!submit->isEnabled());
        name->setText(QStringLiteral("accelerators"));
        QTest::mouseClick(submit, Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(store().group(root(), gpu)->name, QStringLiteral("accelerators"));
        QCOMPARE(store().listAudit(root(), 1)->front().action, QStringLiteral("group.rename"));
        QTRY_COMPARE(child<QLabel>(panel(), "groupTitle")->text(), QStringLiteral("accelerators"));
        QCOMPARE(m_page->selectedGroupId(), gpu);
    }

    void deleteAsksWithTheMembershipCount()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu-users"), {m_bob, m_carol, m_dave});
        openPage(root());
        QVERIFY(selectGroup(gpu, 3));

        // The real box, read and cancelled: the count is in the question.
        QString question, details;
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&]() {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                auto *box = qobject_cast<QMessageBox *>(w);
                if (box && box->isVisible() && box->objectName() == QStringLiteral("confirmationBox")) {
                    poll.stop();
                    question = box->text();
                    details = box->informativeText();
                    box->findChild<QPushButton *>(QStringLiteral("confirmRejectButton"))->click();
                }
            }
        });
        poll.start(10);
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_Delete);
        QCOMPARE(question, QStringLiteral("Delete \u201cgpu-users\u201d and its 3 memberships?"));
        QVERIFY(details.contains(QStringLiteral("Invitations naming it keep no group.")));
        QVERIFY(store().group(root(), gpu).ok());

        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        action("deleteGroupAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 2);
        QCOMPARE(store().group(root(), gpu).error().code, Error::Code::NotFound);
        QCOMPARE(sql(QStringLiteral("SELECT count(*) FROM user_groups")).toLongLong(), qint64(0));
        QTRY_COMPARE(model()->rowCount(), 0);
        QTRY_VERIFY(!panel()->groupId());
    }

    void addMembersThroughThePicker()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"), {m_bob});
        openPage(root());
        QVERIFY(selectGroup(gpu, 1));
        // Ctrl+Shift+A works from the groups table too.
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
        QPointer<UserPickerDialog> picker = dialogNamed<UserPickerDialog>("addMembersDialog");
        QVERIFY(picker);
        QTRY_VERIFY(picker->isVisible());
        UsersTableModel *users = picker->model();
        QTRY_VERIFY(!users->isLoading() && users->rowCount() == 5);
        // bob is a member already: chosen, but skipped.
        for (qint64 id : {m_bob, m_carol, m_erin})
            picker->tableView()->selectionModel()->select(
                users->index(users->rowOf(id), 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QCOMPARE(picker->choices().size(), 2);
        QVERIFY(
            child<QLabel>(picker, "userPickerStatus")->text().contains(QStringLiteral("already members")));
        picker->accept();
        QTRY_VERIFY(!picker);

        QCOMPARE(memberIds(gpu), (QList<qint64> {m_bob, m_carol, m_erin}));
        QTRY_COMPARE(members()->rowCount(), 3);
        // The new members are selected; the groups table counts them.
        QTRY_COMPARE(panel()->selectedMemberIds(), (QList<qint64> {m_carol, m_erin}));
        QTRY_COMPARE(model()->index(model()->rowOf(gpu), GroupsTableModel::Members).data().toInt(), 3);
    }

    void removeSeveralMembers()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"), {m_bob, m_carol, m_dave});
        openPage(root());
        QVERIFY(selectGroup(gpu, 3));
        selectMembers({m_carol, m_dave});
        QVERIFY(action("removeMembersAction")->isEnabled());

        // Declined: nothing changes.
        MessageBox::setNextAnswer(MessageBox::Button::No);
        membersTable()->setFocus();
        QTest::keyClick(membersTable(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(memberIds(gpu).size(), 3);
        // The groups table's Delete did not fire: the group is still there.
        QVERIFY(store().group(root(), gpu).ok());

        MessageBox::setNextAnswer(MessageBox::Button::Yes);
        QTest::keyClick(membersTable(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(memberIds(gpu), QList<qint64> {m_bob});
        auto audit = store().listAudit(root(), 2).value();
        QCOMPARE(audit.at(0).action, QStringLiteral("group.remove_member"));
        QCOMPARE(audit.at(1).action, QStringLiteral("group.remove_member"));
        QTRY_COMPARE(members()->rowCount(), 1);
        QVERIFY(store().group(root(), gpu).ok());
    }

    void roleOverrideInPlaceAndForTheSelection()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"), {m_bob, m_carol});
        openPage(root());
        QVERIFY(selectGroup(gpu, 2));
        selectMembers({m_bob});
        QVERIFY(action("editRoleOverrideAction")->isEnabled());
        membersTable()->setFocus();
        QTest::keyClick(membersTable(), Qt::Key_F2);
        auto *editor = membersTable()->findChild<QComboBox *>(QStringLiteral("roleOverrideEditor"));
        QVERIFY(editor);
        QCOMPARE(editor->currentData().toString(), QString()); // none yet
        const int op = editor->findData(QStringLiteral("operator"));
        editor->hidePopup();
        editor->setCurrentIndex(op);
        Q_EMIT editor->activated(op);
        QCOMPARE(overrideOf(gpu, m_bob), QStringLiteral("operator"));
        QCOMPARE(store().listAudit(root(), 1)->front().action, QStringLiteral("group.role_override"));
        const int bobRow = members()->rowOf(m_bob);
        QTRY_COMPARE(members()->index(bobRow, GroupMembersModel::RoleOverride).data().toString(),
            QStringLiteral("operator"));

        // Both at once through the menu; then none (NULL again).
        selectMembers({m_bob, m_carol});
        action("roleOverrideViewerAction")->trigger();
        QCOMPARE(overrideOf(gpu, m_bob), QStringLiteral("viewer"));
        QCOMPARE(overrideOf(gpu, m_carol), QStringLiteral("viewer"));
        QTRY_COMPARE(
            panel()->selectedMemberIds(), (QList<qint64> {m_bob, m_carol})); // kept across the refresh
        action("roleOverrideNoneAction")->trigger();
        QCOMPARE(overrideOf(gpu, m_bob), QStringLiteral("<null>"));
        QCOMPARE(overrideOf(gpu, m_carol), QStringLiteral("<null>"));
    }

    void limitsFormKeepsUnknownKeys()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"), {},
            QStringLiteral(
                R"({"zone": "eu-west", "max_tasks": 4, "burst": {"cpu": [1, 2.5]}, "max_vps": null, "note": "\u00e9t\u00e9"})"));
        const QString before = limitsOf(gpu);
        openPage(root());
        QVERIFY(selectGroup(gpu, 0));
        action("editLimitsAction")->trigger();
        QPointer<GroupDialog> dialog = dialogNamed<GroupDialog>("groupLimitsDialog");
        QVERIFY(dialog);
        QCOMPARE(child<QLineEdit>(dialog, "maxTasksEdit")->text(), QStringLiteral("4"));
        QCOMPARE(child<QLineEdit>(dialog, "maxVpsEdit")->text(), QString());
        QCOMPARE(child<QLineEdit>(dialog, "gpuCapEdit")->text(), QString());
        QVERIFY(child<QLineEdit>(dialog, "nameEdit")->isHidden());
        // The other keys are shown, read-only, with their values.
        auto *others = child<QTableWidget>(dialog, "otherKeysTable");
        QVERIFY(!others->isHidden());
        QCOMPARE(others->rowCount(), 3);
        QCOMPARE(others->item(0, 0)->text(), QStringLiteral("burst"));
        QCOMPARE(others->item(0, 1)->text(), QStringLiteral(R"({"cpu": [1, 2.5]})"));
        QCOMPARE(others->editTriggers(), QAbstractItemView::NoEditTriggers);

        // Saving unchanged writes nothing.
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(limitsOf(gpu), before);

        action("editLimitsAction")->trigger();
        dialog = dialogNamed<GroupDialog>("groupLimitsDialog");
        QVERIFY(dialog);
        child<QLineEdit>(dialog, "maxTasksEdit")->setText(QStringLiteral("8"));
        child<QLineEdit>(dialog, "gpuCapEdit")->setText(QStringLiteral("2"));
        child<QSpinBox>(dialog, "tierSpin")->setValue(5);
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        // Unknown keys and the null max_vps kept exactly; written as the host writes JSON.
        QCOMPARE(limitsOf(gpu),
            QStringLiteral(
                R"({"burst": {"cpu": [1, 2.5]}, "gpu_cap": 2, "max_tasks": 8, "max_vps": null, "note": "\u00e9t\u00e9", "zone": "eu-west"})"));
        QCOMPARE(store().group(root(), gpu)->tier, 5);
        QTRY_VERIFY(child<QLabel>(panel(), "limitsSummary")->text().contains(QStringLiteral("Max tasks 8")));

        // Clearing a field removes the key ("no limit").
        action("editLimitsAction")->trigger();
        dialog = dialogNamed<GroupDialog>("groupLimitsDialog");
        child<QLineEdit>(dialog, "maxTasksEdit")->clear();
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(limitsOf(gpu),
            QStringLiteral(
                R"({"burst": {"cpu": [1, 2.5]}, "gpu_cap": 2, "max_vps": null, "note": "\u00e9t\u00e9", "zone": "eu-west"})"));
    }

    void invalidLimitsAreRefusedInline()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"), {}, QStringLiteral(R"({"max_vps": 1})"));
        openPage(root());
        QVERIFY(selectGroup(gpu, 0));
        action("editLimitsAction")->trigger();
        QPointer<GroupDialog> dialog = dialogNamed<GroupDialog>("groupLimitsDialog");
        QVERIFY(dialog);
        auto *submit = child<QPushButton>(dialog, "submitButton");
        auto *problem = child<QLabel>(dialog, "problemLabel");
        auto *maxVps = child<QLineEdit>(dialog, "maxVpsEdit");
        const QList<QPair<QString, QString>> cases = {
            {QStringLiteral("-1"), QStringLiteral("cannot be negative")},
            {QStringLiteral("lots"), QStringLiteral("must be a whole number")},
            {QStringLiteral("2.5"), QStringLiteral("must be a whole number")},
            {QStringLiteral("99999999999"), QStringLiteral("at most")},
        };
        for (const auto &[text, message] : cases) {
            maxVps->setText(text);
            QVERIFY2(
                problem->text().contains(message), qPrintable(text + QStringLiteral(": ") + problem->text()));
            QVERIFY(problem->text().startsWith(QStringLiteral("Max VPS")));
            QVERIFY(!problem->isHidden());
            QVERIFY2(!submit->isEnabled(), qPrintable(text));
        }
        // Return does not get past it either.
        QTest::keyClick(maxVps, Qt::Key_Return);
        QVERIFY(dialog);
        QCOMPARE(limitsOf(gpu), QStringLiteral(R"({"max_vps": 1})"));
        maxVps->setText(QStringLiteral("0"));
        QVERIFY(problem->isHidden());
        QVERIFY(submit->isEnabled());
        dialog->reject();
        QTRY_VERIFY(!dialog);

        // A stored value that is not a whole number shows as is and must be fixed before saving.
        QVERIFY(
            store()
                .database()
                .exec(QStringLiteral("UPDATE groups SET limits_json = '{\"gpu_cap\": \"4\"}' WHERE id = %1")
                          .arg(gpu))
                .ok());
        action("editLimitsAction")->trigger();
        dialog = dialogNamed<GroupDialog>("groupLimitsDialog");
        QVERIFY(dialog);
        QCOMPARE(child<QLineEdit>(dialog, "gpuCapEdit")->text(), QStringLiteral("\"4\""));
        QVERIFY(!child<QPushButton>(dialog, "submitButton")->isEnabled());
        dialog->reject();
    }

    void hostileLimitsAreShownAndOnlyReplacedOnRequest()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"));
        QVERIFY(
            store()
                .database()
                .exec(QStringLiteral("UPDATE groups SET limits_json = '[1, 2, 3]' WHERE id = %1").arg(gpu))
                .ok());
        const qint64 broken = makeGroup(QStringLiteral("broken"));
        QVERIFY(
            store()
                .database()
                .exec(
                    QStringLiteral("UPDATE groups SET limits_json = 'max_tasks=4' WHERE id = %1").arg(broken))
                .ok());
        openPage(root());
        QVERIFY(selectGroup(broken, 0));
        QVERIFY2(
            child<QLabel>(panel(), "limitsSummary")->text().contains(QStringLiteral("Not a JSON object")),
            qPrintable(child<QLabel>(panel(), "limitsSummary")->text()));
        QVERIFY(selectGroup(gpu, 0));

        action("editLimitsAction")->trigger();
        QPointer<GroupDialog> dialog = dialogNamed<GroupDialog>("groupLimitsDialog");
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        auto *raw = child<QPlainTextEdit>(dialog, "rawLimitsView");
        QVERIFY(raw->isVisible());
        QVERIFY(raw->isReadOnly());
        QCOMPARE(raw->toPlainText(), QStringLiteral("[1, 2, 3]"));
        QVERIFY(child<InlineBanner>(dialog, "rawLimitsBanner")->text().contains(QStringLiteral("an array")));
        QVERIFY(!child<QLineEdit>(dialog, "maxTasksEdit")->isEnabled());
        // The tier can still be saved; the stored text stays exactly as it was.
        child<QSpinBox>(dialog, "tierSpin")->setValue(4);
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(store().group(root(), gpu)->tier, 4);
        QCOMPARE(limitsOf(gpu), QStringLiteral("[1, 2, 3]"));

        // Replace, declined: still locked.
        action("editLimitsAction")->trigger();
        dialog = dialogNamed<GroupDialog>("groupLimitsDialog");
        QVERIFY(dialog);
        auto *replace = child<QPushButton>(dialog, "replaceLimitsButton");
        QVERIFY(replace->isVisible());
        MessageBox::setNextAnswer(MessageBox::Button::Cancel);
        replace->click();
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QVERIFY(!child<QLineEdit>(dialog, "maxTasksEdit")->isEnabled());
        // Confirmed: a new object replaces the text; the audit keeps the old one.
        MessageBox::setNextAnswer(MessageBox::Button::Continue);
        replace->click();
        QVERIFY(child<QLineEdit>(dialog, "maxTasksEdit")->isEnabled());
        QVERIFY(replace->isHidden());
        child<QLineEdit>(dialog, "maxTasksEdit")->setText(QStringLiteral("3"));
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(limitsOf(gpu), QStringLiteral(R"({"max_tasks": 3})"));
        const AuditEntry audit = store().listAudit(root(), 1)->front();
        QCOMPARE(audit.action, QStringLiteral("group.limits"));
        QCOMPARE(audit.before, QStringLiteral("{\"limits\":\"[1, 2, 3]\"}"));
    }

    void enterGoesToTheMembersAndEscBack()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"), {m_bob, m_carol});
        openPage(root());
        QVERIFY(selectGroup(gpu, 2));
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_Return);
        QVERIFY(membersTable()->hasFocus());
        QCOMPARE(membersTable()->currentIndex().row(), 0);
        QTest::keyClick(membersTable(), Qt::Key_Escape);
        QVERIFY(table()->hasFocus());
        QCOMPARE(m_page->selectedGroupId(), gpu);
        // Both tables offer their actions on a right-click.
        const QRect row = membersTable()->visualRect(members()->index(0, 0));
        QMetaObject::invokeMethod(membersTable(), "customContextMenuRequested", Q_ARG(QPoint, row.center()));
        auto *menu = panel()->findChild<QMenu *>(QStringLiteral("membersContextMenu"));
        QTRY_VERIFY(menu && menu->isVisible());
        QVERIFY(menu->actions().contains(action("removeMembersAction")));
        menu->close();
        const QRect groupRow = table()->visualRect(model()->index(0, 0));
        QMetaObject::invokeMethod(table(), "customContextMenuRequested", Q_ARG(QPoint, groupRow.center()));
        auto *groupMenu = m_page->findChild<QMenu *>(QStringLiteral("rowContextMenu"));
        QTRY_VERIFY(groupMenu && groupMenu->isVisible());
        QVERIFY(groupMenu->actions().contains(action("deleteGroupAction")));
        QVERIFY(groupMenu->actions().contains(action("addMembersAction")));
        // Actions on selected members are not offered on a group's row.
        QVERIFY(!groupMenu->actions().contains(action("removeMembersAction")));
        groupMenu->close();
    }

    void hostChangesRefreshBothTablesKeepingSelections()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"), {m_bob, m_carol});
        openPage(root());
        QVERIFY(selectGroup(gpu, 2));
        selectMembers({m_carol});
        {
            auto other = PlatformStore::open(m_path, PlatformStore::Access::ReadWrite);
            QVERIFY(other.ok());
            QVERIFY(other.value()->addGroupMember(root(), gpu, m_dave).ok());
            QVERIFY(other.value()->renameGroup(root(), gpu, QStringLiteral("gpu-team")).ok());
        }
        QVERIFY(store().checkForExternalChange());
        QTRY_COMPARE(members()->rowCount(), 3);
        QTRY_COMPARE(child<QLabel>(panel(), "groupTitle")->text(), QStringLiteral("gpu-team"));
        QCOMPARE(m_page->selectedGroupId(), gpu);
        QTRY_COMPARE(panel()->selectedMemberIds(), QList<qint64> {m_carol});
    }

    void layoutIsRemembered()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"), {m_bob});
        openPage(root());
        QVERIFY(selectGroup(gpu, 1));
        membersTable()->horizontalHeader()->resizeSection(GroupMembersModel::DisplayName, 233);
        table()->horizontalHeader()->resizeSection(GroupsTableModel::Name, 199);
        auto *splitter = m_page->findChild<QSplitter *>(QStringLiteral("groupsSplitter"));
        splitter->setSizes({300, 400});
        const QList<int> sizes = splitter->sizes();
        m_page.reset();
        QVERIFY(!m_settings->tableHeaderState(QStringLiteral("groupMembers")).isEmpty());
        QVERIFY(!m_settings->tableHeaderState(QStringLiteral("groups")).isEmpty());
        openPage(root());
        QCOMPARE(membersTable()->horizontalHeader()->sectionSize(GroupMembersModel::DisplayName), 233);
        QCOMPARE(table()->horizontalHeader()->sectionSize(GroupsTableModel::Name), 199);
        QCOMPARE(m_page->findChild<QSplitter *>(QStringLiteral("groupsSplitter"))->sizes(), sizes);
    }

    void readOnlyDisablesEveryChange()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"), {m_bob});
        m_platform.store.reset();
        auto ro = PlatformStore::open(m_path, PlatformStore::Access::ReadOnly);
        QVERIFY(ro.ok());
        m_platform.store = std::move(ro).value();
        openPage(root());
        QVERIFY(selectGroup(gpu, 1));
        selectMembers({m_bob});
        for (const char *name : {"newGroupAction", "renameGroupAction", "editLimitsAction",
                 "deleteGroupAction", "addMembersAction", "removeMembersAction", "editRoleOverrideAction",
                 "roleOverrideMenuAction", "roleOverrideAdminAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
            QVERIFY2(action(name)->toolTip().contains(QStringLiteral("read-only")), name);
        }
        QVERIFY(action("copyMembersAction")->isEnabled());
        // The keys do nothing either, and the role override cell is not editable.
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_F2);
        QTest::keyClick(table(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 0);
        QVERIFY(!m_page->findChild<GroupDialog *>());
        QVERIFY(
            !(members()->flags(members()->index(0, GroupMembersModel::RoleOverride)) & Qt::ItemIsEditable));
    }

    void operatorSeesGroupsButCannotChangeThem()
    {
        const qint64 gpu = makeGroup(QStringLiteral("gpu"), {m_bob});
        const Actor carol {m_carol, QStringLiteral("carol"), Role::Operator, QStringLiteral("test@host")};
        openPage(carol);
        QVERIFY(model());
        QVERIFY(selectGroup(gpu, 1));
        selectMembers({m_bob});
        for (const char *name : {"newGroupAction", "renameGroupAction", "editLimitsAction",
                 "deleteGroupAction", "addMembersAction", "removeMembersAction", "roleOverrideMenuAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
            QVERIFY2(action(name)->toolTip().contains(QStringLiteral("Needs the Administrator role")),
                qPrintable(action(name)->toolTip()));
        }
        // Triggered anyway (a stale shortcut): nothing happens.
        action("addMembersAction")->trigger();
        QVERIFY(!m_page->findChild<UserPickerDialog *>());
        QCOMPARE(memberIds(gpu), QList<qint64> {m_bob});
    }

    void viewerGetsAnExplanation()
    {
        const Actor dave {m_dave, QStringLiteral("dave"), Role::Viewer, QStringLiteral("test@host")};
        openPage(dave);
        QVERIFY(!model());
        QVERIFY(!panel());
        QVERIFY(m_page->findChild<QWidget *>(QStringLiteral("pagePlaceholder"))->isVisible());
        QVERIFY(!action("newGroupAction")->isEnabled());
        for (QAction *a : m_page->menuActions())
            QVERIFY(!a || a->objectName() != QStringLiteral("addMembersAction"));
    }
};

RK_TEST_WIDGETS_MAIN(TestGroupsPage)
#include "TestGroupsPage.moc"
