#include "RkTest.h"
#include "core/Role.h"

using namespace rk;

class TestRoles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesTheHostsNames()
    {
        bool known = false;
        QCOMPARE(roles::fromString(QStringLiteral("operator"), &known), Role::Operator);
        QVERIFY(known);
        QCOMPARE(roles::fromString(QStringLiteral("superuser"), &known), Role::Anony);
        QVERIFY(!known);
        QCOMPARE(roles::toString(Role::Admin), QStringLiteral("admin"));
    }
    void followsTheSeedMatrix_data()
    {
        QTest::addColumn<int>("permission");
        QTest::addColumn<QList<bool>>("allowed"); // viewer, user, operator, admin
        QTest::newRow("view nodes") << int(Permission::ViewNodes) << QList<bool> {true, true, true, true};
        QTest::newRow("view tasks") << int(Permission::ViewTasks) << QList<bool> {true, true, true, true};
        QTest::newRow("submit") << int(Permission::SubmitTasks) << QList<bool> {false, true, true, true};
        QTest::newRow("approve") << int(Permission::ApproveTasks) << QList<bool> {false, false, true, true};
        QTest::newRow("vps") << int(Permission::ManageVps) << QList<bool> {false, false, true, true};
        QTest::newRow("users") << int(Permission::ManageUsers) << QList<bool> {false, false, false, true};
        QTest::newRow("settings") << int(Permission::SystemSettings)
                                  << QList<bool> {false, false, false, true};
    }
    void followsTheSeedMatrix()
    {
        QFETCH(int, permission);
        QFETCH(QList<bool>, allowed);
        const Role order[] = {Role::Viewer, Role::User, Role::Operator, Role::Admin};
        for (int i = 0; i < 4; ++i)
            QCOMPARE(roles::allows(order[i], Permission(permission)), allowed.at(i));
        QVERIFY(!roles::allows(Role::Anony, Permission(permission)));
    }
};

RK_TEST_GUILESS_MAIN(TestRoles)
#include "TestRoles.moc"
