#include "UiTestSupport.h"

#include "pages/VpsPage.h"
#include "store/PlatformSchema.h"
#include "tables/VpsTableModel.h"
#include "users/UsersTableModel.h"
#include "vps/GroupChoiceDialog.h"
#include "vps/VpsAssignmentsPane.h"
#include "vps/VpsGroupsModel.h"
#include "vps/VpsUsersModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"
#include "widgets/UserPickerDialog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QTableView>

using namespace rk;

namespace {
// Snowflakes above 2^53.
constexpr qint64 kDevBox = 7391245671234567891LL;
constexpr qint64 kOldBox = 7391245671234567893LL;
} // namespace

class TestVpsPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    uitest::Platform m_platform;
    QString m_path;
    std::unique_ptr<PlatformStore> m_readOnly;
    std::unique_ptr<VpsPage> m_page;
    int m_counter = 0;
    qint64 m_alice = 0, m_bob = 0, m_carol = 0, m_dave = 0, m_ml = 0;

    PlatformStore &store() { return *m_platform.store; }
    VpsTableModel *model() const { return m_page->model(); }
    VpsAssignmentsPane *pane() const { return m_page->assignmentsPane(); }
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

    void addVps(qint64 id, const QString &name, qint64 owner, const QString &status, const QString &submitted)
    {
        QVERIFY(
            store()
                .database()
                .exec(QStringLiteral(
                    "INSERT INTO tasks (task_id, task_type, command, arguments, env_vars, required_cores, "
                    "required_gpus, name, owner_id, status, assigned_node, assignment_suspicion_count, "
                    "docker_privileged, vps_backend, stdout_path, stderr_path, submitted_at) VALUES (%1, "
                    "'vps', "
                    "'vps', '[]', '{}', 2, '[]', '%2', %3, '%4', 'gpu-01', 0, 0, 'docker', '', '', '%5')")
                          .arg(QString::number(id), name, QString::number(owner), status, submitted))
                .ok());
    }

    void openPage(const Actor &actor, PlatformStore *on = nullptr)
    {
        m_page = std::make_unique<VpsPage>(on ? *on : store(), actor, *m_settings);
        m_page->resize(1200, 760);
        m_page->show();
        m_page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
        if (model()) {
            QTRY_VERIFY(!model()->isLoading() && model()->isOrderingComplete());
            new QAbstractItemModelTester(
                pane()->usersModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, pane());
            new QAbstractItemModelTester(
                pane()->groupsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest, pane());
        }
    }

    bool selectVps(qint64 id)
    {
        m_page->selectVps(id);
        return m_page->selectedVpsId() == id && pane()->taskId() == id;
    }

    // user id -> source text shown in the pane
    QMap<qint64, QString> shownSources() const
    {
        QMap<qint64, QString> map;
        VpsUsersModel *users = pane()->usersModel();
        for (int row = 0; row < users->rowCount(); ++row)
            map.insert(users->index(row, 0).data(VpsUsersModel::UserIdRole).toLongLong(),
                users->index(row, VpsUsersModel::Source).data().toString());
        return map;
    }

    QList<qint64> assignedIds(qint64 task)
    {
        QList<qint64> ids;
        const auto assigned = store().vpsAssignments(m_platform.root, task);
        for (const VpsAssignment &a : assigned->users)
            ids << a.userId;
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    void selectPaneUsers(const QList<qint64> &ids)
    {
        pane()->selectUsers(ids);
        QCOMPARE(qsizetype(pane()->selectedUsers().size()), ids.size());
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = uitest::makeSettings(m_dir);
        m_path = m_dir.filePath(QStringLiteral("platform-%1.db").arg(++m_counter));
        m_platform = uitest::makePlatform(m_path);
        QVERIFY(m_platform.store);
        m_alice = uitest::addUser(store(), m_platform.root, QStringLiteral("alice"), QStringLiteral("user"));
        m_bob = uitest::addUser(store(), m_platform.root, QStringLiteral("bob"), QStringLiteral("user"));
        m_carol
            = uitest::addUser(store(), m_platform.root, QStringLiteral("carol"), QStringLiteral("operator"));
        m_dave = uitest::addUser(store(), m_platform.root, QStringLiteral("dave"), QStringLiteral("viewer"));
        m_ml = store().createGroup(m_platform.root, QStringLiteral("ml")).value();
        QVERIFY(store().addGroupMember(m_platform.root, m_ml, m_alice).ok());
        QVERIFY(store().addGroupMember(m_platform.root, m_ml, m_bob).ok());
        addVps(kDevBox, QStringLiteral("dev-box"), m_alice, QStringLiteral("running"),
            QStringLiteral("2026-11-20 10:00:00"));
        addVps(kOldBox, QStringLiteral("old-box"), m_bob, QStringLiteral("stopped"),
            QStringLiteral("2026-10-01 10:00:00"));
        MessageBox::takeAskedCount();
    }

    void cleanup()
    {
        m_page.reset();
        m_readOnly.reset();
        m_platform = {};
    }

    void listsVpsAndShowsTheSelectedOnesAssignments()
    {
        QVERIFY(store().assignVpsUsers(m_platform.root, kDevBox, {m_dave}).ok());
        openPage(carol());
        QCOMPARE(m_page->objectName(), QStringLiteral("vpsPage"));
        QCOMPARE(m_page->title(), QStringLiteral("VPS"));
        QCOMPARE(model()->rowCount(), 2);
        QCOMPARE(model()->idAt(0), kDevBox); // newest first
        QCOMPARE(model()->index(0, VpsTableModel::TaskId).data().toString(),
            QStringLiteral("7391245671234567891"));
        QVERIFY(selectVps(kDevBox));
        QVERIFY(child<QLabel>(pane(), "assignmentsHeading")
                    ->text()
                    .contains(QStringLiteral("dev-box (7391245671234567891)")));
        QCOMPARE(shownSources(), (QMap<qint64, QString> {{m_dave, QStringLiteral("direct")}}));
        // Copy gives the exact id.
        table()->setFocus();
        QTest::keySequence(table(), QKeySequence::Copy);
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("7391245671234567891"));
        // Enter moves into the assignments.
        QTest::keyClick(table(), Qt::Key_Return);
        QVERIFY(pane()->usersTable()->hasFocus());
        QVERIFY(selectVps(kOldBox));
        QCOMPARE(pane()->usersModel()->rowCount(), 0);
    }

    void assignUsersThroughThePicker()
    {
        QVERIFY(store().assignVpsUsers(m_platform.root, kDevBox, {m_dave}).ok());
        openPage(carol());
        QVERIFY(selectVps(kDevBox));
        QVERIFY(action("assignVpsUsersAction")->isEnabled());
        action("assignVpsUsersAction")->trigger();
        QPointer<UserPickerDialog> picker
            = m_page->findChild<UserPickerDialog *>(QStringLiteral("assignUsersDialog"));
        QVERIFY(picker);
        QTRY_VERIFY(picker->isVisible());
        QTRY_VERIFY(!picker->model()->isLoading() && picker->model()->isOrderingComplete());
        QTableView *users = picker->tableView();
        QItemSelection selection;
        for (qint64 id : {m_alice, m_dave}) {
            const int row = picker->model()->rowOf(id);
            QVERIFY(row >= 0);
            QTRY_VERIFY(picker->model()->userAt(row).has_value());
            selection.select(picker->model()->index(row, 0), picker->model()->index(row, 0));
        }
        users->selectionModel()->select(
            selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        // dave is already assigned directly: skipped.
        QCOMPARE(picker->choices().size(), 1);
        QTest::mouseClick(
            picker->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
        QTRY_VERIFY(!picker);
        QCOMPARE(assignedIds(kDevBox), (QList<qint64> {m_alice, m_dave}));
        QTRY_COMPARE(shownSources(),
            (QMap<qint64, QString> {
                {m_alice, QStringLiteral("direct")}, {m_dave, QStringLiteral("direct")}}));
        QTRY_COMPARE(model()->index(model()->rowOf(kDevBox), VpsTableModel::Assignees).data().toString(),
            QStringLiteral("2"));
        QCOMPARE(store().listAudit(m_platform.root, 1)->front().action, QStringLiteral("vps.assign"));
    }

    void assignAGroupShowsProvenance()
    {
        QVERIFY(store().assignVpsUsers(m_platform.root, kDevBox, {m_alice}).ok());
        openPage(carol());
        QVERIFY(selectVps(kDevBox));
        action("assignVpsGroupAction")->trigger();
        QPointer<GroupChoiceDialog> dialog
            = m_page->findChild<GroupChoiceDialog *>(QStringLiteral("assignGroupDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        auto *combo = child<QComboBox>(dialog, "groupCombo");
        QCOMPARE(combo->count(), 1);
        QCOMPARE(dialog->groupId(), m_ml);
        QVERIFY(child<QLabel>(dialog, "groupHint")->text().contains(QStringLiteral("2 current members")));
        QTest::mouseClick(child<QPushButton>(dialog, "submitButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(assignedIds(kDevBox), (QList<qint64> {m_alice, m_bob}));
        QTRY_COMPARE(shownSources(),
            (QMap<qint64, QString> {{m_alice, QStringLiteral("direct + via group ml")},
                {m_bob, QStringLiteral("via group ml")}}));
        QCOMPARE(pane()->groupsModel()->rowCount(), 1);
        QCOMPARE(
            pane()->groupsModel()->index(0, VpsGroupsModel::Group).data().toString(), QStringLiteral("ml"));
        QCOMPARE(pane()->groupsModel()->index(0, VpsGroupsModel::AssignedBy).data().toString(),
            QStringLiteral("carol"));
        QVERIFY(child<QLabel>(pane(), "assignedUsersLabel")->text().contains(QStringLiteral("2 via group")));
        QTRY_COMPARE(model()->index(model()->rowOf(kDevBox), VpsTableModel::Assignees).data().toString(),
            QStringLiteral("2 (2 via group)"));
        // Assigned already: listed but not offered again.
        action("assignVpsGroupAction")->trigger();
        dialog = m_page->findChild<GroupChoiceDialog *>(QStringLiteral("assignGroupDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->groupId(), qint64(-1));
        QVERIFY(!child<QPushButton>(dialog, "submitButton")->isEnabled());
        dialog->reject();
    }

    void unassignGroupKeepsDirectlyAssignedUsers()
    {
        QVERIFY(store().assignVpsUsers(m_platform.root, kDevBox, {m_alice}).ok());
        QVERIFY(store().assignVpsGroup(m_platform.root, kDevBox, m_ml).ok());
        openPage(carol());
        QVERIFY(selectVps(kDevBox));
        pane()->selectGroup(m_ml);
        QVERIFY(action("unassignVpsGroupAction")->isEnabled());
        pane()->groupsTable()->setFocus();
        MessageBox::setNextAnswer(MessageBox::Button::Cancel);
        QTest::keyClick(pane()->groupsTable(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(assignedIds(kDevBox), (QList<qint64> {m_alice, m_bob}));
        MessageBox::setNextAnswer(MessageBox::Button::Continue);
        QTest::keyClick(pane()->groupsTable(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QCOMPARE(assignedIds(kDevBox), (QList<qint64> {m_alice}));
        QTRY_COMPARE(shownSources(), (QMap<qint64, QString> {{m_alice, QStringLiteral("direct")}}));
        QCOMPARE(pane()->groupsModel()->rowCount(), 0);
        QCOMPARE(store().listAudit(m_platform.root, 1)->front().action, QStringLiteral("vps.unassign_group"));
    }

    void unassigningAGroupOnlyUserIsRefusedWithTheReason()
    {
        QVERIFY(store().assignVpsGroup(m_platform.root, kDevBox, m_ml).ok());
        openPage(carol());
        QVERIFY(selectVps(kDevBox));
        selectPaneUsers({m_bob});
        QVERIFY(action("unassignVpsUsersAction")->isEnabled());
        pane()->usersTable()->setFocus();
        QTest::keyClick(pane()->usersTable(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 0); // nothing to confirm: nothing would change
        QVERIFY2(bannerText().contains(QStringLiteral("only through a group")), qPrintable(bannerText()));
        QVERIFY(bannerText().contains(QStringLiteral("unassign the group")));
        QCOMPARE(assignedIds(kDevBox), (QList<qint64> {m_alice, m_bob}));
    }

    void unassignSeveralUsersExplainsGroupRows()
    {
        QVERIFY(store().assignVpsUsers(m_platform.root, kDevBox, {m_alice, m_dave}).ok());
        QVERIFY(store().assignVpsGroup(m_platform.root, kDevBox, m_ml).ok()); // alice also, bob only via ml
        openPage(carol());
        QVERIFY(selectVps(kDevBox));
        selectPaneUsers({m_alice, m_bob, m_dave});
        MessageBox::setNextAnswer(MessageBox::Button::Continue);
        action("unassignVpsUsersAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        // dave loses it; alice keeps it through ml; bob is skipped (only through ml).
        QCOMPARE(assignedIds(kDevBox), (QList<qint64> {m_alice, m_bob}));
        QTRY_COMPARE(shownSources(),
            (QMap<qint64, QString> {
                {m_alice, QStringLiteral("via group ml")}, {m_bob, QStringLiteral("via group ml")}}));
        QCOMPARE(store().listAudit(m_platform.root, 1)->front().action, QStringLiteral("vps.unassign"));
    }

    void hostChangesShowUpInThePane()
    {
        openPage(carol());
        QVERIFY(selectVps(kDevBox));
        QCOMPARE(pane()->usersModel()->rowCount(), 0);
        // The host's own API writes a row through another connection.
        {
            auto host = SqliteDatabase::open(m_path, SqliteDatabase::OpenMode::ReadWrite);
            QVERIFY(host);
            QVERIFY(
                host.value()
                    ->exec(QStringLiteral("INSERT INTO vps_assignments (vps_task_id, user_id, created_at) "
                                          "VALUES (%1, %2, '2026-11-22 02:40:00')")
                               .arg(kDevBox)
                               .arg(m_bob))
                    .ok());
        }
        QVERIFY(store().checkForExternalChange());
        QTRY_COMPARE(shownSources(), (QMap<qint64, QString> {{m_bob, QStringLiteral("direct")}}));
        QCOMPARE(m_page->selectedVpsId(), kDevBox); // the selection survives
        QTRY_COMPARE(model()->index(model()->rowOf(kDevBox), VpsTableModel::Assignees).data().toString(),
            QStringLiteral("1"));
    }

    void readOnlyDatabaseDisablesChanges()
    {
        QVERIFY(store().assignVpsGroup(m_platform.root, kDevBox, m_ml).ok());
        auto ro = PlatformStore::open(m_path, PlatformStore::Access::ReadOnly);
        QVERIFY(ro);
        m_readOnly = std::move(ro).value();
        openPage(m_platform.root, m_readOnly.get());
        QVERIFY(selectVps(kDevBox));
        pane()->selectGroup(m_ml);
        selectPaneUsers({m_alice});
        for (const char *name : {"assignVpsUsersAction", "assignVpsGroupAction", "unassignVpsUsersAction",
                 "unassignVpsGroupAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
            QVERIFY2(action(name)->toolTip().contains(QStringLiteral("read-only")),
                qPrintable(action(name)->toolTip()));
        }
        QCOMPARE(shownSources().size(), 2);
    }

    void readOnlyCopyOfAnOlderVersion()
    {
        QVERIFY(store().assignVpsUsers(m_platform.root, kDevBox, {m_alice}).ok());
        m_platform.store.reset();
        // Back to rk version 1: without the group tables.
        {
            auto raw = SqliteDatabase::open(m_path, SqliteDatabase::OpenMode::ReadWrite);
            QVERIFY(raw);
            QVERIFY(raw.value()
                        ->exec(QStringLiteral(
                            "DROP TABLE rk_vps_group_assignments; DROP TABLE rk_vps_assignment_sources; "
                            "UPDATE rk_meta SET value = '1' WHERE key = 'schema_version'"))
                        .ok());
        }
        auto ro = PlatformStore::open(m_path, PlatformStore::Access::ReadOnly);
        QVERIFY2(ro, ro ? "" : qPrintable(ro.error().message));
        m_readOnly = std::move(ro).value();
        QVERIFY(!m_readOnly->tracksVpsGroups());
        const Actor root {1, QStringLiteral("root"), Role::Admin, QStringLiteral("test")};
        openPage(root, m_readOnly.get());
        QCOMPARE(model()->rowCount(), 2);
        QVERIFY(selectVps(kDevBox));
        QCOMPARE(shownSources(), (QMap<qint64, QString> {{m_alice, QStringLiteral("direct")}}));
        QVERIFY(
            child<QLabel>(pane(), "assignmentsNote")->text().contains(QStringLiteral("no record of group")));
        QVERIFY(!action("assignVpsGroupAction")->isEnabled());
    }

    void viewerSeesVpsButNotAssignments()
    {
        const Actor dave {m_dave, QStringLiteral("dave"), Role::Viewer, QStringLiteral("test")};
        openPage(dave);
        QCOMPARE(model()->rowCount(), 2);
        QVERIFY(selectVps(kDevBox));
        QVERIFY(child<QLabel>(pane(), "assignmentsNote")->text().contains(QStringLiteral("Operator")));
        QVERIFY(!action("assignVpsUsersAction")->isEnabled());
        QVERIFY2(action("assignVpsUsersAction")->toolTip().contains(QStringLiteral("Operator")),
            qPrintable(action("assignVpsUsersAction")->toolTip()));
        // Anonymous (a role that cannot view VPS at all) gets the reason instead of the table.
        m_page.reset();
        openPage(Actor {-1, QStringLiteral("nobody"), Role::Anony, QStringLiteral("test")});
        QVERIFY(!model());
        QVERIFY(child<QLabel>(m_page.get(), "pagePlaceholder")->text().contains(QStringLiteral("Viewer")));
    }
};

RK_TEST_WIDGETS_MAIN(TestVpsPage)
#include "TestVpsPage.moc"
