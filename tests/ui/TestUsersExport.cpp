// Export of the Users page's current view (filtered and sorted, every row of the query, not only
// the loaded ones) to CSV and JSON, driven through the page's actions and the file dialog.

#include "UiTestSupport.h"

#include "pages/UsersAdminPage.h"
#include "useradmin/UsersExporter.h"
#include "users/UsersTableModel.h"
#include "widgets/InlineBanner.h"

#include <QAction>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPointer>
#include <QSignalSpy>
#include <QTableView>

using namespace rk;

class TestUsersExport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    uitest::Platform m_platform;
    std::unique_ptr<UsersAdminPage> m_page;
    int m_counter = 0;

    UsersTableModel *model() const { return m_page->model(); }
    QTableView *table() const { return m_page->findChild<QTableView *>(QStringLiteral("tableView")); }
    QAction *action(const char *name) const
    {
        return m_page->findChild<QAction *>(QString::fromLatin1(name));
    }
    PlatformStore &store() { return *m_platform.store; }
    qint64 idOf(const QString &username) { return store().userByName(m_platform.root, username)->id; }

    void openPage()
    {
        m_page = std::make_unique<UsersAdminPage>(store(), m_platform.root, *m_settings);
        m_page->resize(1200, 700);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
        QTRY_VERIFY(!model()->isLoading() && model()->rowCount() > 0);
    }

    // Triggers the export action, answers the file dialog with `path`, waits for the file.
    QString exportTo(const char *actionName, const QString &path)
    {
        QSignalSpy status(m_page.get(), &Page::statusMessage);
        action(actionName)->trigger();
        QPointer<QFileDialog> dialog = m_page->findChild<QFileDialog *>(QStringLiteral("exportFileDialog"));
        if (!dialog)
            return QStringLiteral("no file dialog");
        dialog->selectFile(path);
        QMetaObject::invokeMethod(dialog, "accept");
        if (!QTest::qWaitFor([&]() { return status.count() > 0; }, 10000))
            return QStringLiteral("no status message; banner: ")
                + m_page->findChild<InlineBanner *>(QStringLiteral("pageBanner"))->text();
        return status.takeFirst().at(0).toString();
    }

    static QByteArray readAll(const QString &path)
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return file.readAll();
    }

    // Filter "user" (matches the role), sorted by username, descending: greg, alice, =cmd.
    void showFilteredSortedView()
    {
        auto *filter = m_page->findChild<QLineEdit *>(QStringLiteral("filterField"));
        filter->setText(QStringLiteral("user"));
        QTRY_COMPARE(model()->filterText(), QStringLiteral("user"));
        table()->sortByColumn(UsersTableModel::Username, Qt::DescendingOrder);
        QTRY_VERIFY(model()->sortColumn() == UsersTableModel::Username && !model()->isLoading());
        QTRY_COMPARE(model()->rowCount(), 3);
        QTRY_COMPARE(model()->index(0, UsersTableModel::Username).data().toString(), QStringLiteral("greg"));
        QTRY_COMPARE(model()->index(2, UsersTableModel::Username).data().toString(), QStringLiteral("=cmd"));
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = uitest::makeSettings(m_dir);
        m_platform = uitest::makePlatform(m_dir.filePath(QStringLiteral("export-%1.db").arg(++m_counter)));
        QVERIFY(m_platform.store);
        const Actor &root = m_platform.root;
        uitest::addUser(
            store(), root, QStringLiteral("alice"), QStringLiteral("user"), QStringLiteral("Smith, John"));
        uitest::addUser(
            store(), root, QStringLiteral("=cmd"), QStringLiteral("user"), QStringLiteral("Say \"hi\""));
        uitest::addUser(
            store(), root, QStringLiteral("erin"), QStringLiteral("viewer"), QStringLiteral("+1 555"));
        uitest::addUser(
            store(), root, QStringLiteral("frank"), QStringLiteral("operator"), QStringLiteral("@mention"));
        uitest::addUser(
            store(), root, QStringLiteral("greg"), QStringLiteral("user"), QStringLiteral("-minus"));
        const qint64 ml = store().createGroup(root, QStringLiteral("ml")).value();
        const qint64 ops = store().createGroup(root, QStringLiteral("ops, team")).value();
        QVERIFY(store().addUsersToGroup(root, ml, {idOf(QStringLiteral("alice"))}).ok());
        QVERIFY(store().addUsersToGroup(root, ops, {idOf(QStringLiteral("alice"))}).ok());
        QVERIFY(store()
                    .database()
                    .exec(QStringLiteral("INSERT INTO sessions (session_id, user_id, expires_at, created_at) "
                                         "VALUES ('x', %1, '2999-01-01 00:00:00', '2026-03-04 05:06:07.5')")
                              .arg(idOf(QStringLiteral("greg"))))
                    .ok());
    }

    void cleanup()
    {
        m_page.reset();
        m_platform = {};
    }

    void csvQuotingAndFormulaGuard()
    {
        QCOMPARE(UsersExporter::csvField(QStringLiteral("plain")), QStringLiteral("plain"));
        QCOMPARE(UsersExporter::csvField(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));
        QCOMPARE(UsersExporter::csvField(QStringLiteral("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
        QCOMPARE(UsersExporter::csvField(QStringLiteral("two\nlines")), QStringLiteral("\"two\nlines\""));
        QCOMPARE(UsersExporter::csvField(QStringLiteral("=1+2")), QStringLiteral("'=1+2"));
        QCOMPARE(UsersExporter::csvField(QStringLiteral("+1")), QStringLiteral("'+1"));
        QCOMPARE(UsersExporter::csvField(QStringLiteral("-1")), QStringLiteral("'-1"));
        QCOMPARE(UsersExporter::csvField(QStringLiteral("@x")), QStringLiteral("'@x"));
        QCOMPARE(UsersExporter::csvField(QStringLiteral("=a,b")), QStringLiteral("\"'=a,b\""));
        QCOMPARE(UsersExporter::csvField(QString()), QString());
    }

    void exportsTheFilteredSortedViewAsCsv()
    {
        openPage();
        showFilteredSortedView();
        const QString path = m_dir.filePath(QStringLiteral("view-%1.csv").arg(m_counter));
        const QString message = exportTo("exportCsvAction", path);
        QVERIFY2(message.contains(QStringLiteral("Exported 3 users")), qPrintable(message));
        const QByteArray data = readAll(path);
        QVERIFY(!data.contains("$2b$")); // never a password hash
        const QList<QByteArray> lines = data.split('\n');
        QCOMPARE(lines.size(), 5); // header, 3 rows, and the empty rest after the last CRLF
        for (int i = 0; i < 4; ++i)
            QVERIFY2(lines.at(i).endsWith('\r'), lines.at(i).constData());
        QCOMPARE(lines.at(0),
            QByteArray("id,username,display_name,role,groups,status,created_at,last_sign_in,"
                       "active_sessions\r"));
        const QString greg = QString::number(idOf(QStringLiteral("greg")));
        const QString alice = QString::number(idOf(QStringLiteral("alice")));
        const QString cmd = QString::number(idOf(QStringLiteral("=cmd")));
        const QString created = store().userByName(m_platform.root, QStringLiteral("greg"))->createdAt;
        QCOMPARE(QString::fromUtf8(lines.at(1)),
            greg + QStringLiteral(",greg,'-minus,user,,active,") + created
                + QStringLiteral(",2026-03-04 05:06:07.5,1\r"));
        QVERIFY2(
            lines.at(2).startsWith(
                (alice + QStringLiteral(",alice,\"Smith, John\",user,\"ml; ops, team\",active,")).toUtf8()),
            lines.at(2).constData());
        QVERIFY2(lines.at(3).startsWith(
                     (cmd + QStringLiteral(",'=cmd,\"Say \"\"hi\"\"\",user,,active,")).toUtf8()),
            lines.at(3).constData());
        QVERIFY(lines.at(3).endsWith(",,0\r")); // never signed in: empty, no sessions
        QVERIFY(lines.at(4).isEmpty());
    }

    void exportsTheFilteredSortedViewAsJson()
    {
        openPage();
        showFilteredSortedView();
        const QString path = m_dir.filePath(QStringLiteral("view-%1.json").arg(m_counter));
        const QString message = exportTo("exportJsonAction", path);
        QVERIFY2(message.contains(QStringLiteral("Exported 3 users")), qPrintable(message));
        const QByteArray data = readAll(path);
        QVERIFY(!data.contains("password") && !data.contains("$2b$"));
        QJsonParseError error {};
        const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(doc.isArray());
        const QJsonArray rows = doc.array();
        QCOMPARE(rows.size(), 3);
        const QStringList keys {QStringLiteral("active_sessions"), QStringLiteral("created_at"),
            QStringLiteral("display_name"), QStringLiteral("groups"), QStringLiteral("id"),
            QStringLiteral("last_sign_in"), QStringLiteral("role"), QStringLiteral("status"),
            QStringLiteral("username")};
        for (const QJsonValue &row : rows)
            QCOMPARE(row.toObject().keys(), keys);
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("username")).toString(), QStringLiteral("greg"));
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("last_sign_in")).toString(),
            QStringLiteral("2026-03-04 05:06:07.5"));
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("active_sessions")).toInt(), 1);
        QCOMPARE(rows.at(1).toObject().value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
        QCOMPARE(rows.at(1).toObject().value(QStringLiteral("display_name")).toString(),
            QStringLiteral("Smith, John"));
        QCOMPARE(rows.at(1).toObject().value(QStringLiteral("groups")).toArray(),
            (QJsonArray {QStringLiteral("ml"), QStringLiteral("ops, team")}));
        QCOMPARE(
            rows.at(1).toObject().value(QStringLiteral("id")).toInteger(), idOf(QStringLiteral("alice")));
        QCOMPARE(rows.at(1).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("active"));
        // JSON needs no formula guard: values are exact.
        QCOMPARE(rows.at(2).toObject().value(QStringLiteral("username")).toString(), QStringLiteral("=cmd"));
        QCOMPARE(rows.at(2).toObject().value(QStringLiteral("display_name")).toString(),
            QStringLiteral("Say \"hi\""));
        QVERIFY(rows.at(2).toObject().value(QStringLiteral("last_sign_in")).isNull());
    }

    void exportsEveryRowNotOnlyTheLoadedOnes()
    {
        // 2,000 more users, so the table loads only the pages on screen.
        QVERIFY(
            store()
                .database()
                .exec(QStringLiteral(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                    "INSERT INTO users (username, display_name, password_hash, is_active, role, created_at) "
                    "SELECT printf('bulk%04d', i), NULL, 'x', i % 3 <> 0, 'viewer', '2026-01-01 00:00:00' "
                    "FROM n"))
                .ok());
        openPage();
        table()->sortByColumn(UsersTableModel::Username, Qt::DescendingOrder);
        QTRY_VERIFY(model()->sortColumn() == UsersTableModel::Username && !model()->isLoading());
        QTRY_COMPARE(model()->rowCount(), 2006);
        const QString path = m_dir.filePath(QStringLiteral("all-%1.json").arg(m_counter));
        const QString message = exportTo("exportJsonAction", path);
        QVERIFY2(
            QString(message).remove(QLatin1Char(',')).contains(QStringLiteral("2006")), qPrintable(message));
        const QJsonArray rows = QJsonDocument::fromJson(readAll(path)).array();
        QCOMPARE(rows.size(), 2006);
        // The view's order, all the way down.
        QCOMPARE(
            rows.first().toObject().value(QStringLiteral("username")).toString(), QStringLiteral("root"));
        QCOMPARE(
            rows.at(4).toObject().value(QStringLiteral("username")).toString(), QStringLiteral("bulk2000"));
        QCOMPARE(rows.at(4).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("active"));
        QCOMPARE(
            rows.at(6).toObject().value(QStringLiteral("username")).toString(), QStringLiteral("bulk1998"));
        QCOMPARE(
            rows.at(6).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("suspended"));
        QVERIFY(rows.at(4).toObject().value(QStringLiteral("display_name")).isNull());
        QCOMPARE(rows.last().toObject().value(QStringLiteral("username")).toString(), QStringLiteral("=cmd"));
        for (int i = 0; i < rows.size(); i += 250)
            QCOMPARE(rows.at(i).toObject().value(QStringLiteral("id")).toInteger(), model()->userIdAt(i));
    }

    void cancellingAnExportLeavesNoFile()
    {
        // Many batches (ids of users that do not exist: each batch is a quick empty read), so the
        // cancel lands long before the end.
        std::vector<qint64> ids(2'000'000);
        for (size_t i = 0; i < ids.size(); ++i)
            ids[i] = qint64(i) + 1'000'000;
        UsersExporter exporter(store().path());
        QSignalSpy failed(&exporter, &UsersExporter::failed);
        QSignalSpy finished(&exporter, &UsersExporter::finished);
        const QString path = m_dir.filePath(QStringLiteral("cancelled-%1.csv").arg(m_counter));
        exporter.start(path, UsersExporter::Format::Csv, std::move(ids));
        QVERIFY(exporter.isRunning());
        exporter.cancel();
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(failed.at(0).at(0).value<Error>().code, Error::Code::Cancelled);
        QVERIFY(!QFile::exists(path));
        QVERIFY(!exporter.isRunning());
    }

    void cancellingTheFileDialogWritesNothing()
    {
        openPage();
        QSignalSpy status(m_page.get(), &Page::statusMessage);
        action("exportCsvAction")->trigger();
        QPointer<QFileDialog> dialog = m_page->findChild<QFileDialog *>(QStringLiteral("exportFileDialog"));
        QVERIFY(dialog);
        dialog->reject();
        QTRY_VERIFY(!dialog);
        QCOMPARE(status.count(), 0);
    }
};

RK_TEST_WIDGETS_MAIN(TestUsersExport)
#include "TestUsersExport.moc"
