#include "RkTest.h"
#include "TablesFixture.h"
#include "TablesTestSupport.h"
#include "store/PlatformStore.h"
#include "tables/InvitationsTableModel.h"

#include <QSignalSpy>

using namespace rk;
using namespace rk::test;

namespace {
QString fromNow(qint64 secs)
{
    return hosttime::toDbText(hosttime::Instant::now().addSecs(secs));
}
constexpr qint64 kDay = 86400;
} // namespace

class TestInvitationsTableModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TablesFixture> m_fixture;
    QHash<qint64, InvitationRecord::State> m_expected;
    qint64 m_group = 0, m_alice = 0, m_ghost = 0;

    // The store compares with the real clock, so this test does too (every expiry is days away).
    std::unique_ptr<InvitationsTableModel> makeModel()
    {
        LazySqlTableModel::Options options = tableOptions();
        options.clock = {};
        auto model = std::make_unique<InvitationsTableModel>(m_fixture->path(), options);
        attachTester(model.get());
        return model;
    }

    void add(const QString &expires, int used, int max, InvitationRecord::State state,
        const QVariant &group = {}, const QVariant &creator = {})
    {
        const qint64 id = m_fixture->addInvitation(QStringLiteral("user"), group, max, used, expires, creator,
            fromNow(-2 * kDay - m_expected.size()));
        m_expected.insert(id, state);
    }

private Q_SLOTS:
    void initTestCase()
    {
        using S = InvitationRecord::State;
        m_fixture = std::make_unique<TablesFixture>();
        m_group = m_fixture->addGroup(QStringLiteral("team"));
        m_alice = m_fixture->addUser(QStringLiteral("alice"));
        m_ghost = m_fixture->addUser(QStringLiteral("ghost"));
        add(fromNow(3 * kDay), 0, 1, S::Valid, m_group, m_alice);
        add(fromNow(-kDay), 0, 1, S::Expired, m_group, m_alice);
        add(fromNow(3 * kDay), 2, 2, S::UsedUp, {}, m_alice);
        add(fromNow(-kDay), 5, 5, S::Expired, {}, m_alice); // both: Expired wins
        add(fromNow(3 * kDay), 3, 2, S::UsedUp, {}, m_ghost);
        add(QStringLiteral("garbage"), 0, 1, S::Expired);
        add(QStringLiteral("2099-02-30 10:00:00"), 0, 1, S::Expired); // no such date
        add(QStringLiteral("2099-01-01 24:00:00"), 0, 1, S::Expired); // no such time
        add(QStringLiteral("2099-01-01 10:00:00.1234567"), 0, 1, S::Expired); // 7 digits
        add(QStringLiteral("2099-01-01 10:00:00."), 0, 1, S::Expired);
        add(QStringLiteral("2099-01-01T10:00:00"), 0, 3, S::Valid); // the API's separator
        add(QStringLiteral("2099-01-01 10:00:00.5"), 1, 3, S::Valid);
        add(QStringLiteral("2099-01-01 10:00:00"), 0, 1, S::Valid, 999); // a deleted group
        m_fixture->exec(QStringLiteral("DELETE FROM users WHERE id = %1").arg(m_ghost));
    }

    void matchesTheStoresStatusRule()
    {
        // The store's own reading of the same rows is the reference.
        auto store = PlatformStore::open(m_fixture->path(), PlatformStore::Access::ReadOnly);
        QVERIFY2(store, store ? "" : qPrintable(store.error().message));
        const Actor admin {m_alice, QStringLiteral("alice"), Role::Admin, QStringLiteral("test@host")};
        auto listed = store.value()->listInvitations(admin);
        QVERIFY(listed);
        QCOMPARE(qsizetype(listed->size()), m_expected.size());

        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), m_expected.size());
        for (const InvitationRecord &ref : *listed) {
            QCOMPARE(ref.state, m_expected.value(ref.id)); // the fixture's expectations are the store's
            const int row = model->rowOf(ref.id);
            QVERIFY(row >= 0);
            QTRY_VERIFY(loadRow(*model, row));
            const auto inv = model->invitationAt(row);
            QVERIFY(inv);
            QVERIFY2(inv->state == ref.state, qPrintable(ref.expiresAt));
            QCOMPARE(
                model->data(model->index(row, 0), InvitationsTableModel::StateRole).toInt(), int(ref.state));
            QCOMPARE(model->data(model->index(row, InvitationsTableModel::Status)).toString(),
                InvitationsTableModel::stateName(ref.state));
            QCOMPARE(inv->token, ref.token);
            QCOMPARE(inv->role, ref.role);
            QCOMPARE(inv->groupId, ref.groupId);
            QCOMPARE(inv->groupName, ref.groupName);
            QCOMPARE(inv->maxUsage, ref.maxUsage);
            QCOMPARE(inv->usageCount, ref.usageCount);
            QCOMPARE(inv->expiresAt, ref.expiresAt);
            QCOMPARE(inv->createdById, ref.createdById);
            QCOMPARE(inv->createdBy, ref.createdBy);
            QCOMPARE(inv->createdAt, ref.createdAt);
        }
    }

    void showsTokenUsageGroupAndCreator()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        for (int row = 0; row < model->rowCount(); ++row) {
            QVERIFY(loadRow(*model, row));
            const auto inv = model->invitationAt(row);
            auto value = [&](int column, int role = Qt::DisplayRole) {
                return model->data(model->index(row, column), role);
            };
            QCOMPARE(inv->token.size(), 64);
            QCOMPARE(
                value(InvitationsTableModel::Token).toString(), inv->token.left(16) + QStringLiteral("…"));
            QCOMPARE(value(0, InvitationsTableModel::FullTokenRole).toString(), inv->token);
            QCOMPARE(value(InvitationsTableModel::Usage).toString(),
                QStringLiteral("%1 / %2").arg(inv->usageCount).arg(inv->maxUsage));
            QCOMPARE(value(InvitationsTableModel::Usage, LazySqlTableModel::RawValueRole).toInt(),
                inv->usageCount);
            if (inv->groupId == m_group)
                QCOMPARE(value(InvitationsTableModel::Group).toString(), QStringLiteral("team"));
            else
                QCOMPARE(value(InvitationsTableModel::Group).toString(), QString()); // none, or deleted
            QCOMPARE(value(InvitationsTableModel::CreatedBy).toString(),
                inv->createdById == m_alice ? QStringLiteral("alice") : QString()); // null or deleted
        }
        QCOMPARE(model->headerData(InvitationsTableModel::Usage, Qt::Horizontal).toString(),
            QStringLiteral("Usage"));
    }

    void sortsAndFiltersByStatusAndCreator()
    {
        auto model = makeModel();
        model->sort(InvitationsTableModel::Status, Qt::AscendingOrder);
        QTRY_VERIFY(settled(*model));
        QList<qint64> want = m_expected.keys();
        std::sort(want.begin(), want.end(), [&](qint64 a, qint64 b) {
            return std::pair(int(m_expected.value(a)), a) < std::pair(int(m_expected.value(b)), b);
        });
        QCOMPARE(allIds(*model), want);
        model->setFilterText(QStringLiteral("ALI"));
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 4);
        model->setFilterText(QStringLiteral("tea"));
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 2);
    }
};

RK_TEST_GUILESS_MAIN(TestInvitationsTableModel)
#include "TestInvitationsTableModel.moc"
