#include "RkTest.h"
#include "connection/Capabilities.h"

using namespace rk;

class TestCapabilities : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostApiLacksWhatTheContractLacks()
    {
        const Capabilities api(ConnectionProfile::Kind::Host);
        for (Feature f : {Feature::Sessions, Feature::TokenInventory, Feature::Groups, Feature::CreateUsers,
                 Feature::ResetPasswords, Feature::PlatformControls}) {
            QVERIFY(!api.has(f));
            QVERIFY2(api.reason(f).contains(QLatin1String("database")), qPrintable(api.reason(f)));
        }
        for (Feature f : {Feature::ViewUsers, Feature::EditUsers, Feature::DeleteUsers, Feature::Invitations,
                 Feature::ApproveTasks, Feature::TaskOutput, Feature::VpsAssignments, Feature::Nodes}) {
            QVERIFY(api.has(f));
            QVERIFY(api.reason(f).isEmpty());
        }
    }

    void databaseCannotDispatch()
    {
        const Capabilities db = Capabilities::database();
        QVERIFY(!db.has(Feature::ApproveTasks));
        QVERIFY(db.reason(Feature::ApproveTasks).contains(QLatin1String("dispatch")));
        QVERIFY(!db.has(Feature::Nodes));
        QVERIFY(db.has(Feature::Sessions));
        QVERIFY(db.has(Feature::Groups));
    }

    void hostAndDatabaseHasEverything()
    {
        const Capabilities both(ConnectionProfile::Kind::HostAndDatabase);
        for (int f = 0; f <= int(Feature::Audit); ++f)
            QVERIFY2(both.has(Feature(f)), qPrintable(QString::number(f)));
    }
};

RK_TEST_GUILESS_MAIN(TestCapabilities)
#include "TestCapabilities.moc"
