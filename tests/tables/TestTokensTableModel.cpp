#include "RkTest.h"
#include "TablesFixture.h"
#include "TablesTestSupport.h"
#include "tables/TableSqlBuilder.h"
#include "tables/TokensTableModel.h"

#include <QSignalSpy>

using namespace rk;
using namespace rk::test;

namespace {
constexpr qint64 kDay = 86400;
}

class TestTokensTableModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TablesFixture> m_fixture;
    qint64 m_alice = 0, m_bob = 0, m_dave = 0;
    QHash<qint64, bool> m_unused; // token id -> expected UnusedFor90DaysRole
    QList<qint64> m_orphans;

    std::unique_ptr<TokensTableModel> makeModel()
    {
        auto model = std::make_unique<TokensTableModel>(m_fixture->path(), tableOptions());
        attachTester(model.get());
        return model;
    }

    qint64 add(qint64 user, const QString &name, qint64 createdDaysAgo, std::optional<qint64> lastUsedDaysAgo,
        bool unused)
    {
        const qint64 id = m_fixture->addToken(user, name, TablesFixture::at(-createdDaysAgo * kDay),
            lastUsedDaysAgo ? TablesFixture::at(-*lastUsedDaysAgo * kDay) : QString());
        m_unused.insert(id, unused);
        return id;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<TablesFixture>();
        m_alice = m_fixture->addUser(QStringLiteral("alice"));
        m_bob = m_fixture->addUser(QStringLiteral("bob"));
        m_dave = m_fixture->addUser(QStringLiteral("dave"));
        add(m_alice, QStringLiteral("ci"), 100, std::nullopt, true); // never used, old
        add(m_alice, QStringLiteral("laptop"), 10, std::nullopt, false); // never used, new
        add(m_bob, QStringLiteral("old-script"), 200, 91, true); // last used 91 days ago
        add(m_bob, QStringLiteral("Recent"), 200, 89, false); // last used 89 days ago
        add(m_alice, QStringLiteral("daily"), 400, 0, false); // used today
        m_orphans = {add(-1, QStringLiteral("orphan-minus-one"), 1, std::nullopt, false),
            add(0, QStringLiteral("orphan-zero"), 95, std::nullopt, true),
            add(m_dave, QStringLiteral("orphan-deleted"), 1, 1, false)};
        m_fixture->exec(QStringLiteral("DELETE FROM users WHERE id = %1").arg(m_dave));
    }

    void neverReadsTheTokenHash()
    {
        const TableSqlBuilder builder(TokensTableModel::makeSpec());
        QVERIFY(!builder.rowsSql(8).contains(QLatin1String("token_hash")));
        TableQuery query;
        query.filterText = QStringLiteral("x");
        for (int c = -1; c < TokensTableModel::ColumnCount; ++c) {
            query.sortColumn = c;
            QVERIFY(!builder.orderSql(query, false).contains(QLatin1String("token_hash")));
        }
    }

    void marksTokensUnusedFor90Days()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), m_unused.size());
        for (int row = 0; row < model->rowCount(); ++row) {
            QVERIFY(loadRow(*model, row));
            const qint64 id = model->idAt(row);
            QCOMPARE(
                model->data(model->index(row, TokensTableModel::Name), TokensTableModel::UnusedFor90DaysRole)
                    .toBool(),
                m_unused.value(id));
            QCOMPARE(model->isUnusedFor90Days(row), m_unused.value(id));
            const auto token = model->tokenAt(row);
            QVERIFY(token);
            QCOMPARE(token->id, id);
            const QVariant lastUsed = model->data(model->index(row, TokensTableModel::LastUsed));
            if (token->lastUsed.isNull()) {
                QCOMPARE(lastUsed.toString(), QStringLiteral("never"));
                QVERIFY(!model
                             ->data(model->index(row, TokensTableModel::LastUsed),
                                 LazySqlTableModel::RawValueRole)
                             .isValid());
            } else {
                QCOMPARE(lastUsed.toDateTime(), hosttime::toDateTime(token->lastUsed));
            }
        }
    }

    void listsOrphanedTokensWithoutAnOwner()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        for (qint64 id : std::as_const(m_orphans)) {
            const int row = model->rowOf(id);
            QVERIFY(row >= 0);
            QTRY_VERIFY(loadRow(*model, row));
            QCOMPARE(model->data(model->index(row, TokensTableModel::Owner)).toString(), QString());
            QVERIFY(model->tokenAt(row)->owner.isEmpty());
        }
        QCOMPARE(model->tokenAt(model->rowOf(m_orphans.at(0)))->userId, -1);
        QCOMPARE(model->data(model->index(model->rowOf(m_orphans.at(2)), 0), TokensTableModel::OwnerIdRole)
                     .toLongLong(),
            m_dave);
    }

    void filtersByOwnerAndText()
    {
        auto model = makeModel();
        model->setOwnerFilter(m_alice);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(allIds(*model),
            m_fixture->ids(
                QStringLiteral("SELECT id FROM tokens WHERE user_id = %1 ORDER BY created_at DESC, id")
                    .arg(m_alice)));
        model->setOwnerFilter(std::nullopt);
        model->setFilterText(QStringLiteral("ORPHAN"));
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 3);
        model->setFilterText(QStringLiteral("bob")); // matches the owner column
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 2);
    }

    void sortsNeverUsedFirst()
    {
        auto model = makeModel();
        model->sort(TokensTableModel::LastUsed, Qt::AscendingOrder);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(
            allIds(*model), m_fixture->ids(QStringLiteral("SELECT id FROM tokens ORDER BY last_used, id")));
        QVERIFY(!model->tokenAt(0) || model->tokenAt(0)->lastUsed.isNull());
    }
};

RK_TEST_GUILESS_MAIN(TestTokensTableModel)
#include "TestTokensTableModel.moc"
