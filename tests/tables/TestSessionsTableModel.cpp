#include "RkTest.h"
#include "TablesFixture.h"
#include "TablesTestSupport.h"
#include "tables/SessionsTableModel.h"
#include "tables/TableSqlBuilder.h"

#include <QSignalSpy>

using namespace rk;
using namespace rk::test;

class TestSessionsTableModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TablesFixture> m_fixture;
    qint64 m_alice = 0, m_bob = 0, m_carol = 0;
    QHash<qint64, qint64> m_secondsLeft; // session id -> expected seconds left at the fixture's now
    QHash<qint64, QString> m_timeLeftText;
    qint64 m_carolSession = 0, m_orphanSession = 0;

    std::unique_ptr<SessionsTableModel> makeModel()
    {
        auto model = std::make_unique<SessionsTableModel>(m_fixture->path(), tableOptions());
        attachTester(model.get());
        return model;
    }

    void add(qint64 user, qint64 createdOffset, qint64 expiresOffset, bool fraction, const QString &text,
        qint64 *id = nullptr)
    {
        const qint64 s = m_fixture->addSession(
            user, TablesFixture::at(createdOffset), TablesFixture::at(expiresOffset, fraction));
        m_secondsLeft.insert(s, expiresOffset);
        m_timeLeftText.insert(s, text);
        if (id)
            *id = s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<TablesFixture>();
        m_alice = m_fixture->addUser(QStringLiteral("alice"));
        m_bob = m_fixture->addUser(QStringLiteral("bob"));
        m_carol = m_fixture->addUser(QStringLiteral("carol"));
        add(m_alice, -3600, 2 * 86400 + 5 * 3600, true, QStringLiteral("2 d 5 h"));
        add(m_alice, -40 * 86400, -10 * 86400, true, QStringLiteral("expired"));
        // Without a fraction: 0.25 s short of a whole number of seconds, rounded back.
        add(m_bob, -60, 3 * 3600 + 12 * 60, false, QStringLiteral("3 h 12 min"));
        add(m_bob, -60, 30, true, QStringLiteral("< 1 min"));
        add(m_bob, -7200, 0, true, QStringLiteral("expired")); // expires exactly now: expired
        add(m_carol, -120, 10 * 60, true, QStringLiteral("10 min"), &m_carolSession);
        add(0, -120, 20 * 60, true, QStringLiteral("20 min"), &m_orphanSession);
        // The host does not cascade: carol's session stays when carol goes.
        m_fixture->exec(QStringLiteral("DELETE FROM users WHERE id = %1").arg(m_carol));
    }

    void neverReadsTheSessionCookie()
    {
        const TableSqlBuilder builder(SessionsTableModel::makeSpec());
        TableQuery query;
        query.filterText = QStringLiteral("x");
        for (int c = -1; c < SessionsTableModel::ColumnCount; ++c) {
            query.sortColumn = c;
            QVERIFY(!builder.orderSql(query, false).contains(QLatin1String("session_id")));
            QVERIFY(!builder.countSql(query).contains(QLatin1String("session_id")));
        }
        QVERIFY(!builder.rowsSql(8).contains(QLatin1String("session_id")));
        // The filter on the user name searches users, not a join per session.
        query.sortColumn = SessionsTableModel::Created;
        QVERIFY(!builder.countSql(query).contains(QLatin1String("JOIN")));
        QVERIFY(!builder.orderSql(query, true).contains(QLatin1String("JOIN")));
    }

    void derivesTimeLeftAndState()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), m_secondsLeft.size());
        QCOMPARE(model->columnCount(), int(SessionsTableModel::ColumnCount));
        QCOMPARE(model->headerData(SessionsTableModel::TimeLeft, Qt::Horizontal).toString(),
            QStringLiteral("Time left"));
        for (int row = 0; row < model->rowCount(); ++row) {
            QVERIFY(loadRow(*model, row));
            const qint64 id = model->idAt(row);
            auto value = [&](int column, int role = Qt::DisplayRole) {
                return model->data(model->index(row, column), role);
            };
            const qint64 left = m_secondsLeft.value(id);
            QCOMPARE(value(SessionsTableModel::TimeLeft, LazySqlTableModel::RawValueRole).toLongLong(), left);
            QCOMPARE(value(SessionsTableModel::TimeLeft).toString(), m_timeLeftText.value(id));
            const bool active = left > 0;
            QCOMPARE(value(SessionsTableModel::State).toString(),
                active ? QStringLiteral("Active") : QStringLiteral("Expired"));
            QCOMPARE(value(0, SessionsTableModel::ActiveRole).toBool(), active);
            const auto session = model->sessionAt(row);
            QVERIFY(session);
            QCOMPARE(session->id, id);
            QCOMPARE(session->expired, !active);
            QCOMPARE(
                value(SessionsTableModel::Expires).toDateTime(), hosttime::toDateTime(session->expiresAt));
            QCOMPARE(value(0, SessionsTableModel::UserIdRole).toLongLong(), session->userId);
        }
    }

    void listsSessionsOfDeletedUsers()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        for (qint64 id : {m_carolSession, m_orphanSession}) {
            const int row = model->rowOf(id);
            QVERIFY(row >= 0);
            QTRY_VERIFY(loadRow(*model, row));
            QCOMPARE(model->data(model->index(row, SessionsTableModel::User)).toString(), QString());
            const auto session = model->sessionAt(row);
            QVERIFY(session && session->username.isEmpty());
            QCOMPARE(session->userId, id == m_carolSession ? m_carol : 0);
        }
    }

    void sortsByTimeLeftAsByExpiry()
    {
        auto model = makeModel();
        model->sort(SessionsTableModel::TimeLeft, Qt::AscendingOrder);
        QTRY_VERIFY(settled(*model));
        QList<qint64> want = m_secondsLeft.keys();
        std::sort(want.begin(), want.end(), [&](qint64 a, qint64 b) {
            return std::pair(m_secondsLeft.value(a), a) < std::pair(m_secondsLeft.value(b), b);
        });
        QCOMPARE(allIds(*model), want);
        QCOMPARE(allIds(*model),
            m_fixture->ids(QStringLiteral("SELECT id FROM sessions ORDER BY expires_at, id")));
        // Default: newest first.
        auto fresh = makeModel();
        QTRY_VERIFY(settled(*fresh));
        QCOMPARE(fresh->sortColumn(), int(SessionsTableModel::Created));
        QCOMPARE(allIds(*fresh),
            m_fixture->ids(QStringLiteral("SELECT id FROM sessions ORDER BY created_at DESC, id")));
    }

    void filtersByUserAndByName()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        model->setUserFilter(m_alice);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->userFilter(), std::optional<qint64>(m_alice));
        QCOMPARE(model->rowCount(), 2);
        for (int row = 0; row < 2; ++row) {
            QVERIFY(loadRow(*model, row));
            QCOMPARE(model->sessionAt(row)->userId, m_alice);
        }
        model->setUserFilter(std::nullopt);
        model->setFilterText(QStringLiteral("BO"));
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 3);
        for (int row = 0; row < 3; ++row) {
            QVERIFY(loadRow(*model, row));
            QCOMPARE(
                model->data(model->index(row, SessionsTableModel::User)).toString(), QStringLiteral("bob"));
        }
        model->setUserFilter(m_alice); // and "BO": nobody
        QTRY_VERIFY(!model->isLoading());
        QCOMPARE(model->rowCount(), 0);
    }

    void formatsTimeLeft()
    {
        QCOMPARE(SessionsTableModel::formatTimeLeft(-5), QStringLiteral("expired"));
        QCOMPARE(SessionsTableModel::formatTimeLeft(0), QStringLiteral("expired"));
        QCOMPARE(SessionsTableModel::formatTimeLeft(59), QStringLiteral("< 1 min"));
        QCOMPARE(SessionsTableModel::formatTimeLeft(3600), QStringLiteral("1 h 0 min"));
        QCOMPARE(SessionsTableModel::formatTimeLeft(30 * 86400 + 1), QStringLiteral("30 d 0 h"));
    }
};

RK_TEST_GUILESS_MAIN(TestSessionsTableModel)
#include "TestSessionsTableModel.moc"
