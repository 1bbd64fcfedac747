#include "UiTestSupport.h"

#include "pages/SessionsPage.h"
#include "tables/SessionsTableModel.h"
#include "tables/TokensTableModel.h"
#include "users/UsersTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"
#include "widgets/UserFilterButton.h"
#include "widgets/UserPickerDialog.h"

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QToolButton>

#include <atomic>

using namespace rk;

class TestSessionsPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    uitest::Platform m_platform;
    QString m_path;
    std::unique_ptr<SessionsPage> m_page;
    int m_counter = 0;
    qint64 m_bob = 0;
    qint64 m_carol = 0;
    qint64 m_dave = 0;
    QList<qint64> m_rootSessions;
    QList<qint64> m_bobSessions;
    qint64 m_carolSession = 0;
    qint64 m_orphanSession = 0;
    qint64 m_expired = 0;

    PlatformStore &store() { return *m_platform.store; }
    SessionsTableModel *model() const { return m_page->model(); }
    QTableView *table() const { return m_page->findChild<QTableView *>(QStringLiteral("tableView")); }
    QAction *action(const char *name) const
    {
        return m_page->findChild<QAction *>(QString::fromLatin1(name));
    }
    InlineBanner *banner() const { return m_page->findChild<InlineBanner *>(QStringLiteral("pageBanner")); }

    qint64 sessionCount(const QString &where = QStringLiteral("1"))
    {
        return store()
            .database()
            .scalar(QStringLiteral("SELECT count(*) FROM sessions WHERE ") + where)
            ->toLongLong();
    }
    bool sessionExists(qint64 id) { return sessionCount(QStringLiteral("id = %1").arg(id)) == 1; }

    qint64 insertSession(qint64 userId, qint64 expiresInSecs, qint64 createdSecsAgo = 3600,
        hosttime::Instant now = hosttime::Instant::now())
    {
        auto stmt = store().database().prepare(QStringLiteral(
            "INSERT INTO sessions (session_id, user_id, expires_at, created_at) VALUES (?1, ?2, ?3, ?4)"));
        stmt->bind(1, tokens::randomHex64())
            .bind(2, userId)
            .bind(3, hosttime::toDbText(now.addSecs(expiresInSecs)))
            .bind(4, hosttime::toDbText(now.addSecs(-createdSecsAgo)));
        if (!stmt->run())
            return -1;
        return store().database().lastInsertRowId();
    }

    void openPage(const Actor &actor, PlatformStore *on = nullptr, SessionsPage::Options options = {})
    {
        m_page = std::make_unique<SessionsPage>(on ? *on : store(), actor, *m_settings, options);
        m_page->resize(1000, 500);
        m_page->show();
        m_page->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
        if (model())
            QTRY_VERIFY(!model()->isLoading() && model()->rowCount() > 0 && model()->isOrderingComplete());
    }

    bool select(const QList<qint64> &ids)
    {
        table()->clearSelection();
        for (const qint64 id : ids) {
            const int row = model()->rowOf(id);
            if (row < 0)
                return false;
            table()->selectionModel()->select(
                model()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
        if (ids.size() == 1)
            table()->selectionModel()->setCurrentIndex(
                model()->index(model()->rowOf(ids.front()), 0), QItemSelectionModel::NoUpdate);
        return m_page->selectedSessionIds().size() == ids.size();
    }

    QString shownUser(qint64 sessionId) const
    {
        return uitest::DelegatePeek::optionFor(
            table()->itemDelegate(), model()->index(model()->rowOf(sessionId), SessionsTableModel::User))
            .text;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = uitest::makeSettings(m_dir);
        m_path = m_dir.filePath(QStringLiteral("sessions-%1.db").arg(++m_counter));
        m_platform = uitest::makePlatform(m_path);
        QVERIFY(m_platform.store);
        m_bob = uitest::addUser(store(), m_platform.root, QStringLiteral("bob"), QStringLiteral("user"));
        m_carol
            = uitest::addUser(store(), m_platform.root, QStringLiteral("carol"), QStringLiteral("operator"));
        m_dave = uitest::addUser(store(), m_platform.root, QStringLiteral("dave"), QStringLiteral("viewer"));
        m_rootSessions
            = {insertSession(m_platform.root.userId, 86400), insertSession(m_platform.root.userId, 7200)};
        m_bobSessions = {insertSession(m_bob, 86400, 100), insertSession(m_bob, 3 * 86400, 200),
            insertSession(m_bob, 5 * 86400, 300)};
        m_carolSession = insertSession(m_carol, 3600);
        m_orphanSession = insertSession(4711, 3600); // a deleted user's leftover
        m_expired = insertSession(m_dave, -3600, 7200);
        MessageBox::takeAskedCount();
    }

    void cleanup()
    {
        uitest::dropUnusedAnswer();
        m_page.reset();
        m_platform = {};
    }

    void showsEverySession()
    {
        openPage(m_platform.root);
        QCOMPARE(m_page->objectName(), QStringLiteral("sessionsPage"));
        QCOMPARE(m_page->title(), QStringLiteral("Sessions"));
        QCOMPARE(model()->rowCount(), 8);
        QCOMPARE(shownUser(m_orphanSession), QStringLiteral("deleted user #4711"));
        QCOMPARE(shownUser(m_rootSessions.front()), QStringLiteral("root (you)"));
        QCOMPARE(shownUser(m_carolSession), QStringLiteral("carol"));
        const int expiredRow = model()->rowOf(m_expired);
        QCOMPARE(model()->index(expiredRow, SessionsTableModel::TimeLeft).data().toString(),
            QStringLiteral("expired"));
        // Expired rows are muted.
        const QStyleOptionViewItem expired = uitest::DelegatePeek::optionFor(
            table()->itemDelegate(), model()->index(expiredRow, SessionsTableModel::State));
        QCOMPARE(expired.palette.color(QPalette::Text), expired.palette.color(QPalette::PlaceholderText));
        // The text filter looks at usernames.
        m_page->filterField()->setText(QStringLiteral("bob"));
        QTRY_COMPARE(model()->rowCount(), 3);
        m_page->filterField()->clear();
        QTRY_COMPARE(model()->rowCount(), 8);
    }

    void aLargeTableIsCountedAndSelectedWhole()
    {
        // 150,000 sessions: more than the views are told about in one go (ChunkedRowsModel).
        const int extra = 150000;
        QVERIFY(store().database().exec(QStringLiteral("BEGIN")).ok());
        QVERIFY(
            store()
                .database()
                .exec(QStringLiteral(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
                    "INSERT INTO sessions (session_id, user_id, expires_at, created_at) "
                    "SELECT printf('bulk%08d', i), %2, '2099-01-01T00:00:00', '2026-01-01T00:00:00' FROM n")
                          .arg(extra)
                          .arg(m_bob))
                .ok());
        QVERIFY(store().database().exec(QStringLiteral("COMMIT")).ok());
        const int total = extra + 8;
        openPage(m_platform.root);
        QCOMPARE(model()->rowCount(), total);
        auto *summary = m_page->findChild<QLabel *>(QStringLiteral("pageSummary"));
        QVERIFY(summary);
        // A new order: the summary counts every row as soon as the first screen is there, and
        // Select All right then selects every row, also those the view has not been told about.
        int shownAtFirstScreen = -1;
        QString summaryAtFirstScreen;
        const auto once = connect(model(), &SessionsTableModel::windowLoaded, this, [&]() {
            shownAtFirstScreen = model()->rowCount();
            summaryAtFirstScreen = summary->text();
            action("selectAllSessionsAction")->trigger();
        });
        table()->sortByColumn(SessionsTableModel::Created, Qt::AscendingOrder);
        QTRY_VERIFY(shownAtFirstScreen >= 0);
        disconnect(once);
        QVERIFY2(shownAtFirstScreen < total, qPrintable(QString::number(shownAtFirstScreen)));
        QCOMPARE(summaryAtFirstScreen, QStringLiteral("Total: %L1").arg(total));
        QCOMPARE(model()->rowCount(), total);
        QCOMPARE(m_page->selectedCount(), total);
        // The column header does not walk the selection on every repaint (a column is never
        // selected in these tables): it watches its own, empty selection model of the same model.
        const QItemSelectionModel *headerSelection = table()->horizontalHeader()->selectionModel();
        QVERIFY(headerSelection && headerSelection != table()->selectionModel());
        QCOMPARE(headerSelection->model(), table()->model());
        QVERIFY(!headerSelection->hasSelection());
        QTRY_VERIFY(model()->isOrderingComplete());
        QCOMPARE(m_page->selectedSessionIds().size(), total);
    }

    void revokeOneWithDeleteKey()
    {
        openPage(m_platform.root);
        QVERIFY(select({m_carolSession}));
        table()->setFocus();
        MessageBox::setNextAnswer(MessageBox::Button::Cancel);
        QTest::keyClick(table(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QVERIFY(sessionExists(m_carolSession));
        auto answer = uitest::answerNextBox(true);
        QTest::keyClick(table(), Qt::Key_Delete);
        QVERIFY(answer->seen);
        QVERIFY2(answer->text.startsWith(QStringLiteral("End the session of carol that started")),
            qPrintable(answer->text));
        QVERIFY(answer->informative.contains(QStringLiteral("API tokens are not affected")));
        QVERIFY(!sessionExists(m_carolSession));
        QTRY_COMPARE(model()->rowCount(), 7);
        QCOMPARE(store().listAudit(m_platform.root, 1)->front().action, QStringLiteral("session.revoke"));
    }

    void revokeSeveralInOneGo()
    {
        openPage(m_platform.root);
        QVERIFY(select({m_carolSession, m_bobSessions.at(0), m_orphanSession}));
        QVERIFY(action("revokeSessionAction")->toolTip().contains(QStringLiteral("3 selected")));
        auto answer = uitest::answerNextBox(true);
        action("revokeSessionAction")->trigger();
        QCOMPARE(answer->text, QStringLiteral("End 3 sessions of 3 users?"));
        QCOMPARE(sessionCount(), qint64(5));
        QVERIFY(!sessionExists(m_carolSession) && !sessionExists(m_orphanSession));
        QTRY_COMPARE(model()->rowCount(), 5);

        // Two of bob's: named by the user.
        QVERIFY(select({m_bobSessions.at(1), m_bobSessions.at(2)}));
        answer = uitest::answerNextBox(true);
        action("revokeSessionAction")->trigger();
        QCOMPARE(answer->text, QStringLiteral("End 2 sessions of bob?"));
        QCOMPARE(sessionCount(QStringLiteral("user_id = %1").arg(m_bob)), qint64(0));
    }

    void revokeAllOfAUser()
    {
        openPage(m_platform.root);
        QVERIFY(select({m_bobSessions.at(1)}));
        QVERIFY(action("revokeUserSessionsAction")->isEnabled());
        QVERIFY(action("revokeUserSessionsAction")->toolTip().contains(QStringLiteral("bob")));
        auto answer = uitest::answerNextBox(true);
        action("revokeUserSessionsAction")->trigger();
        QCOMPARE(answer->text, QStringLiteral("End all 3 sessions of bob?"));
        QVERIFY(answer->informative.contains(QStringLiteral("suspend the account")));
        QCOMPARE(sessionCount(QStringLiteral("user_id = %1").arg(m_bob)), qint64(0));
        QCOMPARE(sessionCount(), qint64(5));
        QTRY_COMPARE(model()->rowCount(), 5);
        QCOMPARE(
            store().listAudit(m_platform.root, 1)->front().action, QStringLiteral("session.revoke_user"));

        // Through the user filter (nothing selected), for a deleted user's leftovers.
        table()->clearSelection();
        m_page->userFilter()->setUser(4711, QStringLiteral("deleted user #4711"));
        QTRY_COMPARE(model()->rowCount(), 1);
        table()->clearSelection();
        QVERIFY(action("revokeUserSessionsAction")->isEnabled());
        answer = uitest::answerNextBox(true);
        action("revokeUserSessionsAction")->trigger();
        QCOMPARE(answer->text, QStringLiteral("End the only session of deleted user #4711?"));
        QVERIFY(!sessionExists(m_orphanSession));
    }

    void revokeEveryoneExceptMe()
    {
        openPage(m_platform.root);
        QVERIFY(action("revokeOtherSessionsAction")->isEnabled());
        // Cancelled: nothing changes.
        auto answer = uitest::answerNextBox(false);
        action("revokeOtherSessionsAction")->trigger();
        QCOMPARE(answer->text, QStringLiteral("End 6 sessions of 4 users? Your own 2 sessions stay."));
        QCOMPARE(sessionCount(), qint64(8));

        answer = uitest::answerNextBox(true);
        action("revokeOtherSessionsAction")->trigger();
        QVERIFY(answer->seen);
        QCOMPARE(sessionCount(), qint64(2));
        for (const qint64 own : std::as_const(m_rootSessions))
            QVERIFY(sessionExists(own));
        QTRY_COMPARE(model()->rowCount(), 2);
        QCOMPARE(store().listAudit(m_platform.root, 1)->front().action,
            QStringLiteral("session.revoke_all_except"));

        // Nothing left to end: said in place, nothing asked.
        action("revokeOtherSessionsAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 2);
        QVERIFY(banner()->text().contains(QStringLiteral("only your own")));
    }

    void periodicRefreshMovesTimeLeft()
    {
        auto now = std::make_shared<std::atomic<qint64>>(hosttime::Instant::now().secsSinceEpoch);
        const hosttime::Instant start {now->load(), 0};
        const qint64 session = insertSession(m_bob, 2 * 3600 + 30, 60, start);
        SessionsPage::Options options;
        options.refreshIntervalMs = 50;
        options.clock = [now]() { return hosttime::Instant {now->load(), 0}; };
        openPage(m_platform.root, nullptr, options);
        const auto timeLeft = [this, session]() {
            return model()->index(model()->rowOf(session), SessionsTableModel::TimeLeft).data().toString();
        };
        QTRY_COMPARE(timeLeft(), QStringLiteral("2 h 0 min"));
        QVERIFY(select({session}));
        now->fetch_add(3600 + 25 * 60);
        QTRY_COMPARE(timeLeft(), QStringLiteral("35 min"));
        now->fetch_add(3600);
        QTRY_COMPARE(timeLeft(), QStringLiteral("expired"));
        QTRY_VERIFY(
            !model()->index(model()->rowOf(session), 0).data(SessionsTableModel::ActiveRole).toBool());
        // The selection survived the refreshes.
        QCOMPARE(m_page->selectedSessionId(), session);
        // Hidden: no refreshes.
        m_page->hide();
        now->fetch_add(-2 * 3600);
        QTest::qWait(200);
        QCOMPARE(timeLeft(), QStringLiteral("expired"));
        m_page->show();
        QTRY_COMPARE(timeLeft(), QStringLiteral("1 h 35 min"));
    }

    void userFilterThroughThePicker()
    {
        openPage(m_platform.root);
        UserFilterButton *filter = m_page->userFilter();
        QVERIFY(filter->chooseButton()->text().startsWith(QStringLiteral("User: everyone")));
        action("chooseUserAction")->trigger();
        QPointer<UserPickerDialog> picker
            = m_page->findChild<UserPickerDialog *>(QStringLiteral("userPickerDialog"));
        QVERIFY(picker);
        QTRY_VERIFY(picker->model()->rowOf(m_bob) >= 0);
        picker->tableView()->selectRow(picker->model()->rowOf(m_bob));
        picker->accept();
        QTRY_COMPARE(model()->rowCount(), 3);
        QCOMPARE(model()->userFilter(), std::optional<qint64>(m_bob));
        QVERIFY(m_page->findChild<QLabel *>(QStringLiteral("pageSummary"))
                    ->text()
                    .contains(QStringLiteral("bob")));
        action("showEveryoneSessionsAction")->trigger();
        QTRY_COMPARE(model()->rowCount(), 8);

        // Enter on a row: only that user's sessions, nothing destructive.
        QVERIFY(select({m_carolSession}));
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_Return);
        QCOMPARE(MessageBox::takeAskedCount(), 0);
        QTRY_COMPARE(model()->rowCount(), 1);
        QVERIFY(sessionExists(m_carolSession));
    }

    void operatorSeesWhyNot()
    {
        const Actor carol {m_carol, QStringLiteral("carol"), Role::Operator, QStringLiteral("test@host")};
        openPage(carol);
        QVERIFY(!model());
        QVERIFY(m_page->findChild<QLabel *>(QStringLiteral("pagePlaceholder"))
                    ->text()
                    .contains(QStringLiteral("Administrator")));
        for (const char *name :
            {"revokeSessionAction", "revokeUserSessionsAction", "revokeOtherSessionsAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
            QVERIFY2(action(name)->toolTip().contains(QStringLiteral("Administrator")),
                qPrintable(action(name)->toolTip()));
        }
    }

    void readOnlyDatabaseDisablesActions()
    {
        auto readOnly = PlatformStore::open(m_path, PlatformStore::Access::ReadOnly);
        QVERIFY(readOnly.ok());
        openPage(m_platform.root, readOnly.value().get());
        QCOMPARE(model()->rowCount(), 8);
        QVERIFY(select({m_carolSession}));
        for (const char *name :
            {"revokeSessionAction", "revokeUserSessionsAction", "revokeOtherSessionsAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
            QVERIFY2(action(name)->toolTip().contains(QStringLiteral("read-only")),
                qPrintable(action(name)->toolTip()));
        }
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 0);
        QCOMPARE(sessionCount(), qint64(8));
        m_page.reset();
    }

    void lockedDatabaseFailsInline()
    {
        auto shortWait = PlatformStore::open(m_path, PlatformStore::Access::ReadWrite, 100);
        QVERIFY(shortWait.ok());
        openPage(m_platform.root, shortWait.value().get());
        auto other = SqliteDatabase::open(m_path, SqliteDatabase::OpenMode::ReadWrite, 100);
        QVERIFY(other.ok());
        QVERIFY(other.value()->exec(QStringLiteral("BEGIN IMMEDIATE")).ok());
        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        action("revokeOtherSessionsAction")->trigger();
        QVERIFY2(banner()->text().contains(QStringLiteral("none was ended")), qPrintable(banner()->text()));
        QCOMPARE(sessionCount(), qint64(8));
        QVERIFY(banner()->findChild<QPushButton *>(QStringLiteral("bannerAction"))->isVisible());
        QVERIFY(other.value()->exec(QStringLiteral("ROLLBACK")).ok());
        m_page.reset();
    }

    // Pictures for a human to look at: RK_SCREENSHOT_DIR=/tmp/shots (best under xvfb-run with
    // QT_QPA_PLATFORM=xcb).
    void screenshots()
    {
        const QString dir = qEnvironmentVariable("RK_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("Set RK_SCREENSHOT_DIR to save pictures of the page");
        openPage(m_platform.root);
        QVERIFY(select({m_bobSessions.at(0), m_bobSessions.at(1)}));
        QVERIFY(uitest::settled(m_page.get())->grab().save(dir + QStringLiteral("/sessions.png")));
        QTest::mouseClick(m_page->userFilter()->chooseButton(), Qt::LeftButton);
        QPointer<UserPickerDialog> picker
            = m_page->findChild<UserPickerDialog *>(QStringLiteral("userPickerDialog"));
        QVERIFY(picker);
        QTRY_VERIFY(picker->model()->rowCount() > 0);
        QTRY_VERIFY(picker->isVisible());
        QVERIFY(picker->grab().save(dir + QStringLiteral("/sessions-picker.png")));
        picker->reject();
        // The confirmation, shown for real.
        QTimer::singleShot(300, this, [dir]() {
            if (auto *box = QApplication::activeModalWidget()) {
                box->grab().save(dir + QStringLiteral("/sessions-confirm.png"));
                box->findChild<QPushButton *>(QStringLiteral("confirmRejectButton"))->click();
            }
        });
        action("revokeOtherSessionsAction")->trigger();
    }

    void columnsRememberedUnderSessions()
    {
        openPage(m_platform.root);
        table()->horizontalHeader()->resizeSection(SessionsTableModel::User, 277);
        m_page.reset();
        QVERIFY(!m_settings->tableHeaderState(QStringLiteral("sessions")).isEmpty());
        openPage(m_platform.root);
        QCOMPARE(table()->horizontalHeader()->sectionSize(SessionsTableModel::User), 277);
    }
};

RK_TEST_WIDGETS_MAIN(TestSessionsPage)
#include "TestSessionsPage.moc"
