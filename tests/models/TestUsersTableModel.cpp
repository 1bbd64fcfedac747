#include "PlatformFixture.h"
#include "RkTest.h"
#include "core/HostTime.h"
#include "users/UsersTableModel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>

using namespace rk;
using rk::test::PlatformFixture;

namespace {
constexpr int kUsers = 6000; // above the size where the model splits scans over two threads

UsersTableModel::Options smallPages()
{
    UsersTableModel::Options o;
    o.pageSize = 64; // many pages even for a few thousand rows
    o.maxCachedPages = 8;
    o.scanThreads = 2;
    o.busyTimeoutMs = 300;
    return o;
}

// Loads every row's id (the complete ordering) and returns them.
QList<qint64> modelIds(UsersTableModel &model)
{
    QList<qint64> ids;
    for (int r = 0; r < model.rowCount(); ++r)
        ids.append(model.userIdAt(r));
    return ids;
}
} // namespace

class TestUsersTableModel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<PlatformFixture> m_fixture;

    std::unique_ptr<UsersTableModel> makeModel(
        const QString &path = {}, UsersTableModel::Options options = smallPages())
    {
        auto model = std::make_unique<UsersTableModel>(path.isEmpty() ? m_fixture->path() : path, options);
        new QAbstractItemModelTester(
            model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest, model.get());
        return model;
    }

    static bool settled(const UsersTableModel &model)
    {
        return !model.isLoading() && model.isOrderingComplete();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<PlatformFixture>();
        QVERIFY(m_fixture->isValid());
        m_fixture->populate(kUsers);
    }

    void showsEveryUserInIdOrder()
    {
        auto model = makeModel();
        QSignalSpy loaded(model.get(), &UsersTableModel::windowLoaded);
        QTRY_VERIFY(loaded.count() == 1);
        const QList<qint64> expected = m_fixture->expectedIds(-1, false, {});
        QCOMPARE(model->rowCount(), expected.size());
        QCOMPARE(model->columnCount(), int(UsersTableModel::ColumnCount));
        QTRY_VERIFY(model->isOrderingComplete());
        QCOMPARE(modelIds(*model), expected);
        QCOMPARE(model->headerData(UsersTableModel::LastSignIn, Qt::Horizontal).toString(),
            QStringLiteral("Last sign-in"));
    }

    void showsManyUsersAChunkAtATime()
    {
        UsersTableModel::Options options = smallPages();
        options.chunkRows = 1000;
        auto model = makeModel({}, options);
        int shownAtFirstScreen = -1;
        int shownWhenOrdered = -1;
        connect(model.get(), &UsersTableModel::windowLoaded, this,
            [&]() { shownAtFirstScreen = model->rowCount(); });
        connect(model.get(), &UsersTableModel::orderingComplete, this,
            [&]() { shownWhenOrdered = model->rowCount(); });
        const QList<qint64> expected = m_fixture->expectedIds(-1, false, {});
        const int users = int(expected.size());
        QVERIFY(users > 3000);
        QSignalSpy counts(model.get(), &UsersTableModel::rowCountKnown);
        QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(shownAtFirstScreen, 1000);
        QCOMPARE(counts.count(), 1);
        QCOMPARE(counts.at(0).at(0).toInt(), users);
        QCOMPARE(model->totalRowCount(), users);
        QCOMPARE(model->rowCount(), users);
        QCOMPARE(shownWhenOrdered, users); // complete only once every row is shown
        QList<QPair<int, int>> chunks;
        for (int first = 0; first < users; first += 1000)
            chunks.append({first, qMin(users, first + 1000) - 1});
        QCOMPARE(rk::test::rowRanges(inserted), chunks);
        QCOMPARE(modelIds(*model), expected);
        const std::vector<qint64> inOrder = model->userIdsInOrder(); // what an export writes
        QCOMPARE(QList<qint64>(inOrder.begin(), inOrder.end()), expected);
        // A user beyond the rows shown is not found until it is shown.
        model->sort(UsersTableModel::Username, Qt::DescendingOrder);
        const qint64 last = m_fixture->expectedIds(UsersTableModel::Username, true, {}).last();
        bool foundEarly = false;
        size_t knownEarly = 0;
        connect(model.get(), &UsersTableModel::windowLoaded, this, [&]() {
            foundEarly = model->rowOf(last) >= 0 || model->userIdAt(users - 1) >= 0;
            knownEarly = model->userIdsInOrder().size();
        });
        QTRY_VERIFY(settled(*model) && model->sortColumn() == UsersTableModel::Username);
        QVERIFY(!foundEarly);
        QVERIFY2(knownEarly > 0 && knownEarly < size_t(users), qPrintable(QString::number(knownEarly)));
        QCOMPARE(model->rowOf(last), users - 1);
    }

    void showsTheColumnsOfALoadedRow()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        const qint64 id = m_fixture->addUser(QStringLiteral("zz_probe"), QStringLiteral("Probe Person"),
            QStringLiteral("operator"), false, QStringLiteral("2023-05-06 07:08:09.100000"));
        const qint64 g1 = m_fixture->addGroup(QStringLiteral("probe-b"));
        const qint64 g2 = m_fixture->addGroup(QStringLiteral("probe-a"));
        m_fixture->addMembership(id, g1);
        m_fixture->addMembership(id, g2);
        m_fixture->addSession(
            id, QStringLiteral("2020-01-01 00:00:00"), QStringLiteral("2020-01-31 00:00:00")); // expired
        m_fixture->addSession(
            id, PlatformFixture::hostTimeFromNow(-3600), PlatformFixture::hostTimeFromNow(3600));
        m_fixture->addSession(
            id, PlatformFixture::hostTimeFromNow(-60), PlatformFixture::hostTimeFromNow(86400));
        model->setFilterText(QStringLiteral("zz_probe"));
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 1);
        auto cell
            = [&](int column, int role = Qt::DisplayRole) { return model->index(0, column).data(role); };
        QCOMPARE(cell(0, UsersTableModel::IdRole).toLongLong(), id);
        QCOMPARE(cell(0, UsersTableModel::LoadedRole).toBool(), true);
        QCOMPARE(cell(UsersTableModel::Username).toString(), QStringLiteral("zz_probe"));
        QCOMPARE(cell(UsersTableModel::DisplayName).toString(), QStringLiteral("Probe Person"));
        QCOMPARE(cell(UsersTableModel::Role).toString(), QStringLiteral("operator"));
        QCOMPARE(cell(UsersTableModel::Groups).toString(), QStringLiteral("probe-a, probe-b"));
        QCOMPARE(cell(UsersTableModel::Created).toDateTime(), hosttime::toDateTime(u"2023-05-06 07:08:09.1"));
        QCOMPARE(cell(UsersTableModel::Created, UsersTableModel::RawValueRole).toString(),
            QStringLiteral("2023-05-06 07:08:09.100000"));
        QCOMPARE(cell(UsersTableModel::ActiveSessions).toInt(), 2); // the expired one does not count
        QCOMPARE(cell(UsersTableModel::LastSignIn, UsersTableModel::RawValueRole).toString(),
            m_fixture->lastSignInOf(id));
        QCOMPARE(cell(UsersTableModel::Status).toString(), QStringLiteral("Suspended"));
        QCOMPARE(cell(UsersTableModel::Status, UsersTableModel::RawValueRole).toBool(), false);
        QCOMPARE(cell(0, UsersTableModel::ActiveRole).toBool(), false);
        const auto record = model->userAt(0);
        QVERIFY(record.has_value());
        QCOMPARE(record->groups, (QStringList {QStringLiteral("probe-a"), QStringLiteral("probe-b")}));
        QCOMPARE(model->rowOf(id), 0);

        // No session at all: "never", and no raw value.
        const qint64 lonely = m_fixture->addUser(QStringLiteral("zz_lonely"), QString());
        model->setFilterText(QStringLiteral("zz_lonely"));
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->userIdAt(0), lonely);
        QCOMPARE(cell(UsersTableModel::LastSignIn).toString(), QStringLiteral("never"));
        QVERIFY(!cell(UsersTableModel::LastSignIn, UsersTableModel::RawValueRole).isValid());
        QVERIFY(!cell(UsersTableModel::DisplayName, UsersTableModel::RawValueRole).isValid());
        QCOMPARE(cell(UsersTableModel::ActiveSessions).toInt(), 0);
        QCOMPARE(cell(UsersTableModel::Groups).toString(), QString());
        m_fixture->db()
            .exec(QStringLiteral("DELETE FROM users WHERE username LIKE 'zz\\_%' ESCAPE '\\'"))
            .ok();
    }

    void sortsEveryColumnInSql_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<bool>("descending");
        for (int c = 0; c < UsersTableModel::ColumnCount; ++c) {
            const QByteArray name
                = UsersTableModel::staticMetaObject
                      .enumerator(UsersTableModel::staticMetaObject.indexOfEnumerator("Column"))
                      .valueToKey(c);
            QTest::newRow(QByteArray(name + " asc").constData()) << c << false;
            QTest::newRow(QByteArray(name + " desc").constData()) << c << true;
        }
    }
    void sortsEveryColumnInSql()
    {
        QFETCH(int, column);
        QFETCH(bool, descending);
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        QSignalSpy loaded(model.get(), &UsersTableModel::windowLoaded);
        model->sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
        QCOMPARE(model->sortColumn(), column);
        QTRY_VERIFY(loaded.count() == 1);
        const QList<qint64> expected = m_fixture->expectedIds(column, descending, {});
        // The first screen (the partial sort) already matches...
        for (int r = 0; r < 64; ++r)
            QCOMPARE(model->index(r, 0).data(UsersTableModel::IdRole).toLongLong(), expected.at(r));
        // ...and so does the complete ordering.
        QTRY_VERIFY(model->isOrderingComplete());
        QCOMPARE(modelIds(*model), expected);
    }

    void filtersBySubstringInSql_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::newRow("plain") << QStringLiteral("smith");
        QTest::newRow("case-insensitive") << QStringLiteral("ABBOTT");
        QTest::newRow("role") << QStringLiteral("operat");
        QTest::newRow("percent is literal") << QStringLiteral("%");
        QTest::newRow("underscore is literal") << QStringLiteral("a_");
        QTest::newRow("backslash is literal") << QStringLiteral("\\t");
        QTest::newRow("display name") << QStringLiteral("100% t");
        QTest::newRow("nothing") << QStringLiteral("no such user anywhere");
    }
    void filtersBySubstringInSql()
    {
        QFETCH(QString, filter);
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        model->setFilterText(filter);
        QCOMPARE(model->filterText(), filter);
        QTRY_VERIFY(settled(*model));
        const QList<qint64> expected = m_fixture->expectedIds(-1, false, filter);
        QCOMPARE(model->rowCount(), expected.size());
        QCOMPARE(modelIds(*model), expected);
        // Filter and sort together.
        model->sort(UsersTableModel::DisplayName, Qt::DescendingOrder);
        QTRY_VERIFY(settled(*model) && model->sortColumn() == UsersTableModel::DisplayName);
        QCOMPARE(modelIds(*model), m_fixture->expectedIds(UsersTableModel::DisplayName, true, filter));
    }

    void deferredModelReadsNothingUntilStarted()
    {
        UsersTableModel::Options options = smallPages();
        options.deferred = true;
        auto model = makeModel({}, options);
        QSignalSpy loading(model.get(), &UsersTableModel::loadingChanged);
        QSignalSpy loaded(model.get(), &UsersTableModel::windowLoaded);
        model->sort(UsersTableModel::DisplayName, Qt::DescendingOrder);
        model->setFilterText(QStringLiteral("smith"));
        model->refresh();
        QVERIFY(!model->isStarted());
        QVERIFY(!model->isLoading());
        QCOMPARE(loading.count(), 0);
        QCOMPARE(model->rowCount(), 0);
        model->start();
        QVERIFY(model->isLoading());
        QTRY_VERIFY(settled(*model));
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(modelIds(*model),
            m_fixture->expectedIds(UsersTableModel::DisplayName, true, QStringLiteral("smith")));
        model->start(); // started already: no new query
        QVERIFY(!model->isLoading());
    }

    void typingForwardNarrowsTheFilter()
    {
        // Each keystroke only re-checks the previous matches when they are few; the result must
        // be the same as a full scan, and a commit in between must not be missed.
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        for (const QString &text :
            {QStringLiteral("s"), QStringLiteral("sm"), QStringLiteral("SMI"), QStringLiteral("smit")}) {
            model->setFilterText(text);
            QTRY_VERIFY(settled(*model) && model->filterText() == text);
            QCOMPARE(modelIds(*model), m_fixture->expectedIds(-1, false, text));
        }
        // A new sort of the same filter.
        model->sort(UsersTableModel::Created, Qt::AscendingOrder);
        QTRY_VERIFY(settled(*model) && model->sortColumn() == UsersTableModel::Created);
        QCOMPARE(modelIds(*model),
            m_fixture->expectedIds(UsersTableModel::Created, false, QStringLiteral("smit")));
        // Someone adds a matching user between two keystrokes.
        const qint64 id = m_fixture->addUser(QStringLiteral("zz.smithee"), QStringLiteral("New Smith"));
        model->setFilterText(QStringLiteral("smith"));
        QTRY_VERIFY(settled(*model) && model->filterText() == QStringLiteral("smith"));
        const QList<qint64> expected
            = m_fixture->expectedIds(UsersTableModel::Created, false, QStringLiteral("smith"));
        QVERIFY(expected.contains(id));
        QCOMPARE(modelIds(*model), expected);
        QVERIFY(m_fixture->db().exec(QStringLiteral("DELETE FROM users WHERE id = %1").arg(id)).ok());
    }

    void derivedColumnsMatchTheirTables()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        for (int row : {0, 70, 1000, model->rowCount() - 1}) {
            QTRY_VERIFY(model->index(row, 0).data(UsersTableModel::LoadedRole).toBool());
            const qint64 id = model->userIdAt(row);
            QCOMPARE(model->index(row, UsersTableModel::ActiveSessions).data().toInt(),
                m_fixture->activeSessionsOf(id));
            QCOMPARE(
                model->index(row, UsersTableModel::LastSignIn).data(UsersTableModel::RawValueRole).toString(),
                m_fixture->lastSignInOf(id));
            QCOMPARE(model->index(row, UsersTableModel::Groups).data().toString(), m_fixture->groupsOf(id));
        }
    }

    void showsPlaceholdersUntilRowsArrive()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        const int row = 40 * 64 + 3; // far from the first screen: not loaded yet
        QVERIFY(row < model->rowCount());
        const QModelIndex idx = model->index(row, UsersTableModel::Username);
        QCOMPARE(idx.data(UsersTableModel::LoadedRole).toBool(), false);
        QCOMPARE(idx.data().toString(), QStringLiteral("…")); // this read asks for the page
        QVERIFY(!model->userAt(row).has_value());
        QCOMPARE(
            idx.data(UsersTableModel::IdRole).toLongLong(), model->userIdAt(row)); // known from the ordering
        QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
        QTRY_VERIFY(idx.data(UsersTableModel::LoadedRole).toBool());
        QVERIFY(changed.count() >= 1);
        QVERIFY(model->userAt(row).has_value());
        QCOMPARE(model->userAt(row)->id, model->userIdAt(row));
        QVERIFY(!idx.data().toString().isEmpty());
    }

    void dropsAnswersToSupersededQueries()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        QSignalSpy counts(model.get(), &UsersTableModel::rowCountKnown);
        QSignalSpy resets(model.get(), &QAbstractItemModel::modelReset);
        model->setFilterText(QStringLiteral("a"));
        model->sort(UsersTableModel::Created, Qt::DescendingOrder);
        model->setFilterText(QStringLiteral("ng"));
        QTRY_VERIFY(settled(*model));
        const QList<qint64> expected
            = m_fixture->expectedIds(UsersTableModel::Created, true, QStringLiteral("ng"));
        QCOMPARE(modelIds(*model), expected);
        // Only the last query's answer reached the model: one reset, one count.
        QCOMPARE(resets.count(), 1);
        QCOMPARE(counts.count(), 1);
        QCOMPARE(counts.at(0).at(0).toInt(), expected.size());
    }

    void refreshShowsExternalWrites()
    {
        auto model = makeModel();
        model->setFilterText(QStringLiteral("refresh"));
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), 0);
        // "The host" adds a user through its own connection.
        const qint64 id = m_fixture->addUser(QStringLiteral("refresh.me"), QStringLiteral("Fresh"));
        model->refresh();
        QTRY_COMPARE(model->rowCount(), 1);
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->userIdAt(0), id);
        QCOMPARE(model->rowOf(id), 0);

        // Same row count: updated in place (no reset), the new value arrives with dataChanged.
        QSignalSpy resets(model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
        QVERIFY(m_fixture->db()
                    .exec(QStringLiteral("UPDATE users SET display_name = 'Renamed' WHERE id = %1").arg(id))
                    .ok());
        model->refresh();
        QTRY_COMPARE(
            model->index(0, UsersTableModel::DisplayName).data().toString(), QStringLiteral("Renamed"));
        QCOMPARE(resets.count(), 0);
        QVERIFY(changed.count() >= 1);

        // A new session for a derived sort: the aggregates are rebuilt on refresh.
        model->setFilterText(QString());
        model->sort(UsersTableModel::ActiveSessions, Qt::DescendingOrder);
        QTRY_VERIFY(settled(*model) && model->sortColumn() == UsersTableModel::ActiveSessions);
        for (int i = 0; i < 9; ++i)
            m_fixture->addSession(
                id, PlatformFixture::hostTimeFromNow(-10), PlatformFixture::hostTimeFromNow(3600));
        model->refresh();
        QTRY_VERIFY(!model->isLoading());
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->userIdAt(0), id);
        QCOMPARE(modelIds(*model), m_fixture->expectedIds(UsersTableModel::ActiveSessions, true, {}));
        QVERIFY(m_fixture->db().exec(QStringLiteral("DELETE FROM users WHERE id = %1").arg(id)).ok());
    }

    void refreshSeesARenamedGroup()
    {
        // Aggregates are only rebuilt when their fingerprint changes; a renamed group must count.
        PlatformFixture fixture;
        fixture.populate(300);
        auto model = makeModel(fixture.path());
        model->sort(UsersTableModel::Groups, Qt::AscendingOrder);
        QTRY_VERIFY(settled(*model) && model->sortColumn() == UsersTableModel::Groups);
        QCOMPARE(modelIds(*model), fixture.expectedIds(UsersTableModel::Groups, false, {}));
        QVERIFY(fixture.db()
                    .exec(QStringLiteral("UPDATE \"groups\" SET name = 'aaa-first' WHERE name = 'zeta'"))
                    .ok());
        model->refresh();
        QTRY_VERIFY(!model->isLoading());
        QTRY_VERIFY(settled(*model));
        QCOMPARE(modelIds(*model), fixture.expectedIds(UsersTableModel::Groups, false, {}));
    }

    void reportsALockedDatabase()
    {
        PlatformFixture locked;
        locked.populate(50);
        // Another program holds an exclusive lock (a rollback-journal writer mid-commit).
        QVERIFY(locked.db().exec(QStringLiteral("BEGIN EXCLUSIVE")).ok());
        auto model = makeModel(locked.path());
        QSignalSpy errors(model.get(), &UsersTableModel::errorOccurred);
        QTRY_COMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).value<rk::Error>().code, Error::Code::Locked);
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(!model->isLoading());
        // Once the lock is gone, a refresh loads the table.
        QVERIFY(locked.db().exec(QStringLiteral("ROLLBACK")).ok());
        model->refresh();
        QTRY_VERIFY(settled(*model));
        QCOMPARE(model->rowCount(), locked.expectedIds(-1, false, {}).size());
    }

    void reportsALockTakenWhileOpen()
    {
        PlatformFixture fixture;
        fixture.populate(200);
        auto model = makeModel(fixture.path()); // busy timeout: 300 ms
        QTRY_VERIFY(settled(*model));
        QSignalSpy errors(model.get(), &UsersTableModel::errorOccurred);
        // The host starts a long write: readers wait for the busy timeout, then give up.
        QVERIFY(fixture.db().exec(QStringLiteral("BEGIN EXCLUSIVE")).ok());
        model->setFilterText(QStringLiteral("a"));
        model->setFilterText(QStringLiteral("ab")); // the wait for "a" is abandoned at once
        QTRY_COMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).value<rk::Error>().code, Error::Code::Locked);
        QVERIFY(!model->isLoading());
        QVERIFY(fixture.db().exec(QStringLiteral("ROLLBACK")).ok());
        model->refresh();
        QTRY_VERIFY(settled(*model) && model->filterText() == QStringLiteral("ab"));
        QCOMPARE(modelIds(*model), fixture.expectedIds(-1, false, QStringLiteral("ab")));
        QCOMPARE(errors.count(), 1);
    }

    void refreshRightAfterANewFilterResets()
    {
        auto model = makeModel();
        QTRY_VERIFY(settled(*model));
        QSignalSpy resets(model.get(), &QAbstractItemModel::modelReset);
        model->setFilterText(QStringLiteral("tanaka"));
        model->refresh(); // same generation line, but a different row set than the one shown
        QTRY_VERIFY(settled(*model) && model->filterText() == QStringLiteral("tanaka"));
        QCOMPARE(resets.count(), 1);
        QCOMPARE(modelIds(*model), m_fixture->expectedIds(-1, false, QStringLiteral("tanaka")));
    }

    void reportsACorruptDatabase()
    {
        PlatformFixture broken;
        broken.populate(3000);
        const QString path = broken.path();
        broken.db().exec(QStringLiteral("PRAGMA wal_checkpoint")).ok();
        {
            // Scribble over everything after the schema page.
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            const qint64 size = f.size();
            QByteArray junk(4096, '\xA5');
            for (qint64 at = 8192; at + junk.size() <= size; at += 4096) {
                f.seek(at);
                f.write(junk);
            }
        }
        auto model = makeModel(path);
        QSignalSpy errors(model.get(), &UsersTableModel::errorOccurred);
        QTRY_VERIFY(errors.count() >= 1);
        QCOMPARE(errors.at(0).at(0).value<rk::Error>().code, Error::Code::Corrupt);
        // Reading cells of a failed model is safe.
        QCOMPARE(model->index(0, 0).data(), QVariant());
        model->sort(UsersTableModel::DisplayName);
        QTRY_VERIFY(errors.count() >= 2);
    }

    void reportsAFileThatIsNotADatabase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        auto model = makeModel(path);
        QSignalSpy errors(model.get(), &UsersTableModel::errorOccurred);
        QTRY_COMPARE(errors.count(), 1);
        QCOMPARE(errors.at(0).at(0).value<rk::Error>().code, Error::Code::NotADatabase);
    }
};

RK_TEST_GUILESS_MAIN(TestUsersTableModel)
#include "TestUsersTableModel.moc"
