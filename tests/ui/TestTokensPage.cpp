#include "UiTestSupport.h"

#include "pages/TokensPage.h"
#include "tables/SessionsTableModel.h"
#include "tables/TokensTableModel.h"
#include "tokens/AccessTableDelegate.h"
#include "tokens/ClipboardWiper.h"
#include "tokens/CreateTokenDialog.h"
#include "tokens/TokenCreatedDialog.h"
#include "users/UsersTableModel.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"
#include "widgets/UserFilterButton.h"
#include "widgets/UserPickerDialog.h"

#include <QAction>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QToolButton>

using namespace rk;

class TestTokensPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<AppSettings> m_settings;
    uitest::Platform m_platform;
    QString m_path;
    std::unique_ptr<TokensPage> m_page;
    int m_counter = 0;
    qint64 m_bob = 0;
    qint64 m_carol = 0;
    qint64 m_bobCi = 0;
    qint64 m_bobLaptop = 0;
    qint64 m_carolCli = 0;
    qint64 m_orphan = 0;
    qint64 m_old = 0;

    PlatformStore &store() { return *m_platform.store; }
    TokensTableModel *model() const { return m_page->model(); }
    QTableView *table() const { return m_page->findChild<QTableView *>(QStringLiteral("tableView")); }
    QAction *action(const char *name) const
    {
        return m_page->findChild<QAction *>(QString::fromLatin1(name));
    }
    InlineBanner *banner() const { return m_page->findChild<InlineBanner *>(QStringLiteral("pageBanner")); }

    qint64 tokenCount(const QString &where = QStringLiteral("1"))
    {
        return store()
            .database()
            .scalar(QStringLiteral("SELECT count(*) FROM tokens WHERE ") + where)
            ->toLongLong();
    }
    bool tokenExists(qint64 id) { return tokenCount(QStringLiteral("id = %1").arg(id)) == 1; }

    qint64 insertToken(
        qint64 userId, const QString &name, const QString &createdAt, const QString &lastUsed = {})
    {
        auto stmt = store().database().prepare(QStringLiteral(
            "INSERT INTO tokens (user_id, token_hash, name, last_used, created_at) VALUES (?1, ?2, "
            "?3, ?4, ?5)"));
        stmt->bind(1, userId)
            .bind(2, tokens::sha3_512Hex(tokens::randomHex64()))
            .bind(3, name)
            .bind(4, lastUsed)
            .bind(5, createdAt);
        if (!stmt->run())
            return -1;
        return store().database().lastInsertRowId();
    }

    QString daysAgo(int days) const
    {
        return hosttime::toDbText(hosttime::Instant::now().addSecs(-qint64(days) * 86400));
    }

    void openPage(const Actor &actor, PlatformStore *on = nullptr, int clipboardMs = 60000)
    {
        TokensPage::Options options;
        options.clipboardClearMs = clipboardMs;
        m_page = std::make_unique<TokensPage>(on ? *on : store(), actor, *m_settings, options);
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
        return m_page->selectedTokenIds().size() == ids.size();
    }

    // Creates a token for bob through the dialogs; returns the dialog that shows it.
    QPointer<TokenCreatedDialog> createForBob(const QString &name)
    {
        if (!select({m_bobCi}))
            return nullptr;
        action("newTokenAction")->trigger();
        auto *dialog = m_page->findChild<CreateTokenDialog *>(QStringLiteral("createTokenDialog"));
        if (!dialog || dialog->ownerId() != m_bob)
            return nullptr;
        uitest::child<QLineEdit>(dialog, "nameEdit")->setText(name);
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "createButton"), Qt::LeftButton);
        return m_page->findChild<TokenCreatedDialog *>(QStringLiteral("tokenCreatedDialog"));
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_settings = uitest::makeSettings(m_dir);
        m_path = m_dir.filePath(QStringLiteral("tokens-%1.db").arg(++m_counter));
        m_platform = uitest::makePlatform(m_path);
        QVERIFY(m_platform.store);
        m_bob = uitest::addUser(store(), m_platform.root, QStringLiteral("bob"), QStringLiteral("user"));
        m_carol
            = uitest::addUser(store(), m_platform.root, QStringLiteral("carol"), QStringLiteral("operator"));
        m_bobCi = insertToken(m_bob, QStringLiteral("ci"), daysAgo(10), daysAgo(1));
        m_bobLaptop = insertToken(m_bob, QStringLiteral("laptop"), daysAgo(9));
        m_carolCli = insertToken(m_carol, QStringLiteral("carol-cli"), daysAgo(8), daysAgo(2));
        m_orphan = insertToken(4711, QStringLiteral("left-behind"), daysAgo(7), daysAgo(3));
        // Created 200 days ago, last used 120 days ago: unused for 90 days.
        m_old = insertToken(m_bob, QStringLiteral("old-script"), daysAgo(200), daysAgo(120));
        QGuiApplication::clipboard()->clear();
        MessageBox::takeAskedCount();
    }

    void cleanup()
    {
        uitest::dropUnusedAnswer();
        m_page.reset();
        m_platform = {};
    }

    void showsEveryUsersTokens()
    {
        openPage(m_platform.root);
        QCOMPARE(m_page->objectName(), QStringLiteral("tokensPage"));
        QCOMPARE(m_page->title(), QStringLiteral("API Tokens"));
        QCOMPARE(model()->rowCount(), 5);
        QAbstractItemDelegate *delegate = table()->itemDelegate();
        QVERIFY(qobject_cast<AccessTableDelegate *>(delegate));

        // A deleted user's token: named as such, muted italics.
        const int orphanRow = model()->rowOf(m_orphan);
        const QStyleOptionViewItem orphan
            = uitest::DelegatePeek::optionFor(delegate, model()->index(orphanRow, TokensTableModel::Owner));
        QCOMPARE(orphan.text, QStringLiteral("deleted user #4711"));
        QVERIFY(orphan.font.italic());
        // Never used: "never".
        QCOMPARE(model()->index(model()->rowOf(m_bobLaptop), TokensTableModel::LastUsed).data().toString(),
            QStringLiteral("never"));

        // Unused for 90 days: tinted, in every column; a recently used one is not.
        const QColor tint = AccessTableDelegate::attentionColor(table()->palette());
        for (int column = 0; column < TokensTableModel::ColumnCount; ++column) {
            const QStyleOptionViewItem old
                = uitest::DelegatePeek::optionFor(delegate, model()->index(model()->rowOf(m_old), column));
            QCOMPARE(old.backgroundBrush.color(), tint);
        }
        const QStyleOptionViewItem fresh = uitest::DelegatePeek::optionFor(
            delegate, model()->index(model()->rowOf(m_bobCi), TokensTableModel::Name));
        QCOMPARE(fresh.backgroundBrush.style(), Qt::NoBrush);
        // The tint is really painted (the row is not selected).
        table()->clearSelection();
        const QRect cell = table()->visualRect(model()->index(model()->rowOf(m_old), TokensTableModel::Name));
        const QImage shot = table()->viewport()->grab().toImage();
        QCOMPARE(QColor(shot.pixel(cell.right() - 3, cell.center().y())).rgb(), tint.rgb());

        // The text filter looks at names and owners.
        m_page->filterField()->setText(QStringLiteral("carol"));
        QTRY_COMPARE(model()->rowCount(), 1);
        m_page->filterField()->clear();
        QTRY_COMPARE(model()->rowCount(), 5);
    }

    void createTokenShowsThePlaintextOnce()
    {
        openPage(m_platform.root, nullptr, 300);
        QVERIFY(select({m_bobCi}));
        QVERIFY(action("newTokenAction")->isEnabled());
        action("newTokenAction")->trigger();
        QPointer<CreateTokenDialog> dialog
            = m_page->findChild<CreateTokenDialog *>(QStringLiteral("createTokenDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        // The selected row's owner is preset; a name is required.
        QCOMPARE(dialog->ownerId(), std::optional<qint64>(m_bob));
        QVERIFY(uitest::child<QLabel>(dialog, "ownerLabel")->text().contains(QStringLiteral("bob")));
        auto *create = uitest::child<QPushButton>(dialog, "createButton");
        QVERIFY(!create->isEnabled());
        auto *name = uitest::child<QLineEdit>(dialog, "nameEdit");
        name->setText(QStringLiteral("   "));
        QVERIFY(!create->isEnabled());
        QCOMPARE(name->maxLength(), 100);
        // A name bob already uses is allowed, but pointed out.
        name->setText(QStringLiteral("ci"));
        QVERIFY(create->isEnabled());
        QVERIFY(uitest::child<QLabel>(dialog, "nameHint")
                    ->text()
                    .contains(QStringLiteral("already has a token")));
        name->setText(QStringLiteral("  deploy  "));
        QVERIFY(create->isEnabled());
        QTest::mouseClick(create, Qt::LeftButton);
        QTRY_VERIFY(!dialog);

        QPointer<TokenCreatedDialog> shown
            = m_page->findChild<TokenCreatedDialog *>(QStringLiteral("tokenCreatedDialog"));
        QVERIFY(shown);
        QTRY_VERIFY(shown->isVisible());
        auto *field = uitest::child<QLineEdit>(shown, "tokenField");
        QVERIFY(field->isReadOnly());
        QVERIFY(QFontInfo(field->font()).fixedPitch());
        const QString plaintext = field->text();
        QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(plaintext).hasMatch(),
            qPrintable(plaintext));
        // Stored: the SHA3-512 of the plaintext, never the plaintext; name trimmed; owner bob.
        auto stmt = store().database().prepare(
            QStringLiteral("SELECT id, user_id, token_hash, name FROM tokens WHERE name = 'deploy'"));
        QVERIFY(stmt.ok() && stmt->step().value());
        const qint64 newId = stmt->int64(0);
        QCOMPARE(stmt->int64(1), m_bob);
        QCOMPARE(stmt->text(2), tokens::sha3_512Hex(plaintext));
        QCOMPARE(
            store()
                .database()
                .scalar(QStringLiteral("SELECT count(*) FROM tokens WHERE token_hash = '%1'").arg(plaintext))
                ->toLongLong(),
            qint64(0));
        QCOMPARE(store().listAudit(m_platform.root, 1)->front().action, QStringLiteral("token.create"));
        // The table shows it, selected.
        QTRY_COMPARE(model()->rowCount(), 6);
        QTRY_COMPARE(m_page->selectedTokenId(), newId);

        // Copy, then the clipboard is cleared after the (injected) delay.
        QSignalSpy wiped(m_page->clipboardWiper(), &ClipboardWiper::wiped);
        QTest::mouseClick(uitest::child<QPushButton>(shown, "copyButton"), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), plaintext);
        QVERIFY(
            QGuiApplication::clipboard()->mimeData()->hasFormat(QStringLiteral("x-kde-passwordManagerHint")));
        QVERIFY(shown->wasCopied());
        QVERIFY(
            uitest::child<QLabel>(shown, "copiedLabel")->text().contains(QStringLiteral("cleared in 1 s")));
        // Copied: closing needs no confirmation.
        QTest::mouseClick(uitest::child<QPushButton>(shown, "closeButton"), Qt::LeftButton);
        QTRY_VERIFY(!shown);
        QCOMPARE(MessageBox::takeAskedCount(), 0);
        QCOMPARE(QGuiApplication::clipboard()->text(), plaintext); // not yet
        QTRY_COMPARE(wiped.count(), 1);
        QCOMPARE(wiped.first().at(0).toBool(), true);
        QVERIFY(QGuiApplication::clipboard()->text().isEmpty());
    }

    void clipboardLeftAloneWhenItChanged()
    {
        openPage(m_platform.root, nullptr, 200);
        QPointer<TokenCreatedDialog> shown = createForBob(QStringLiteral("deploy"));
        QVERIFY(shown);
        QSignalSpy wiped(m_page->clipboardWiper(), &ClipboardWiper::wiped);
        QTest::mouseClick(uitest::child<QPushButton>(shown, "copyButton"), Qt::LeftButton);
        // The user copies something else before the delay runs out: that stays.
        QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
        QTRY_COMPARE(wiped.count(), 1);
        QCOMPARE(wiped.first().at(0).toBool(), false);
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("something else"));
        shown->accept();
        QTRY_VERIFY(!shown);
    }

    void closingWithoutCopyingAsks()
    {
        openPage(m_platform.root);
        QPointer<TokenCreatedDialog> shown = createForBob(QStringLiteral("deploy"));
        QVERIFY(shown);
        QTRY_VERIFY(shown->isVisible());
        // Cancel: it stays open, the token still shown.
        auto answer = uitest::answerNextBox(false);
        QTest::mouseClick(uitest::child<QPushButton>(shown, "closeButton"), Qt::LeftButton);
        QVERIFY(answer->seen);
        QVERIFY(answer->text.contains(QStringLiteral("without copying")));
        QVERIFY(answer->informative.contains(QStringLiteral("cannot be shown again")));
        QVERIFY(shown && shown->isVisible());
        QCOMPARE(uitest::child<QLineEdit>(shown, "tokenField")->text().size(), 64);
        // Esc asks too; going ahead closes it.
        MessageBox::takeAskedCount();
        MessageBox::setNextAnswer(MessageBox::Button::Continue);
        QTest::keyClick(shown, Qt::Key_Escape);
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QTRY_VERIFY(!shown);
        QVERIFY(QGuiApplication::clipboard()->text().isEmpty());
    }

    void copiedByHandCountsAsCopied()
    {
        openPage(m_platform.root, nullptr, 200);
        QPointer<TokenCreatedDialog> shown = createForBob(QStringLiteral("deploy"));
        QVERIFY(shown);
        auto *field = uitest::child<QLineEdit>(shown, "tokenField");
        field->selectAll();
        field->copy();
        QSignalSpy wiped(m_page->clipboardWiper(), &ClipboardWiper::wiped);
        shown->reject();
        QTRY_VERIFY(!shown);
        QCOMPARE(MessageBox::takeAskedCount(), 0);
        QTRY_COMPARE(wiped.count(), 1);
        QVERIFY(QGuiApplication::clipboard()->text().isEmpty());
    }

    void createForAChosenUser()
    {
        openPage(m_platform.root);
        table()->clearSelection();
        action("newTokenAction")->trigger();
        QPointer<CreateTokenDialog> dialog
            = m_page->findChild<CreateTokenDialog *>(QStringLiteral("createTokenDialog"));
        QVERIFY(dialog);
        QVERIFY(!dialog->ownerId());
        uitest::child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("carol-ci"));
        QVERIFY(!uitest::child<QPushButton>(dialog, "createButton")->isEnabled()); // nobody chosen
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "chooseOwnerButton"), Qt::LeftButton);
        QPointer<UserPickerDialog> picker
            = dialog->findChild<UserPickerDialog *>(QStringLiteral("userPickerDialog"));
        QVERIFY(picker);
        QTRY_VERIFY(picker->model()->rowOf(m_carol) >= 0);
        picker->tableView()->selectRow(picker->model()->rowOf(m_carol));
        picker->accept();
        QCOMPARE(dialog->ownerId(), std::optional<qint64>(m_carol));
        QVERIFY(uitest::child<QPushButton>(dialog, "createButton")->isEnabled());
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "createButton"), Qt::LeftButton);
        QTRY_VERIFY(!dialog);
        QCOMPARE(tokenCount(QStringLiteral("user_id = %1").arg(m_carol)), qint64(2));
        auto *shown = m_page->findChild<TokenCreatedDialog *>(QStringLiteral("tokenCreatedDialog"));
        QVERIFY(shown);
        MessageBox::setNextAnswer(MessageBox::Button::Continue);
        shown->reject();
    }

    // The owner picker by keyboard alone: type, Enter takes the one match; Down selects the first row.
    void pickOwnerByKeyboard()
    {
        openPage(m_platform.root);
        action("newTokenAction")->trigger();
        QPointer<CreateTokenDialog> dialog
            = m_page->findChild<CreateTokenDialog *>(QStringLiteral("createTokenDialog"));
        QVERIFY(dialog);
        QTest::mouseClick(uitest::child<QPushButton>(dialog, "chooseOwnerButton"), Qt::LeftButton);
        QPointer<UserPickerDialog> picker
            = dialog->findChild<UserPickerDialog *>(QStringLiteral("userPickerDialog"));
        QVERIFY(picker);
        auto *search = uitest::child<QLineEdit>(picker, "userPickerSearch");
        QTRY_VERIFY(picker->model()->rowCount() >= 3);
        // Down moves into the table with the first row selected, so Enter there accepts it.
        QTest::keyClick(search, Qt::Key_Down);
        QCOMPARE(picker->tableView()->selectionModel()->selectedRows().size(), 1);
        QVERIFY(picker->tableView()->selectionModel()->isRowSelected(0, QModelIndex()));
        picker->tableView()->clearSelection();
        search->setFocus();
        QTest::keyClicks(search, QStringLiteral("carol"));
        QTRY_COMPARE(picker->model()->rowCount(), 1);
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_VERIFY(!picker || !picker->isVisible());
        QCOMPARE(dialog->ownerId(), std::optional<qint64>(m_carol));
        dialog->reject();
    }

    void revokeOneWithDeleteKey()
    {
        openPage(m_platform.root);
        QVERIFY(select({m_bobLaptop}));
        table()->setFocus();
        // Enter is nothing destructive: it shows only the owner's tokens.
        QTest::keyClick(table(), Qt::Key_Return);
        QCOMPARE(MessageBox::takeAskedCount(), 0);
        QCOMPARE(m_page->ownerFilter()->userId(), std::optional<qint64>(m_bob));
        QTRY_COMPARE(model()->rowCount(), 3);
        QVERIFY(tokenExists(m_bobLaptop));
        m_page->ownerFilter()->clear();
        QTRY_COMPARE(model()->rowCount(), 5);

        QVERIFY(select({m_bobLaptop}));
        table()->setFocus();
        MessageBox::setNextAnswer(MessageBox::Button::Cancel);
        QTest::keyClick(table(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 1);
        QVERIFY(tokenExists(m_bobLaptop));

        auto answer = uitest::answerNextBox(true);
        QTest::keyClick(table(), Qt::Key_Delete);
        QVERIFY(answer->seen);
        QCOMPARE(answer->text, QStringLiteral("Revoke the API token \u201claptop\u201d (of bob)?"));
        QVERIFY(answer->informative.contains(QStringLiteral("anonymous")));
        QVERIFY(!tokenExists(m_bobLaptop));
        QTRY_COMPARE(model()->rowCount(), 4);
        QCOMPARE(store().listAudit(m_platform.root, 1)->front().action, QStringLiteral("token.revoke"));
    }

    void revokeSeveralAllOrNothing()
    {
        openPage(m_platform.root);
        QVERIFY(select({m_bobCi, m_carolCli, m_orphan}));
        QVERIFY(action("revokeTokenAction")->isEnabled());
        QVERIFY(action("revokeTokenAction")->toolTip().contains(QStringLiteral("3 selected")));
        auto answer = uitest::answerNextBox(true);
        action("revokeTokenAction")->trigger();
        QVERIFY(answer->seen);
        QCOMPARE(answer->text, QStringLiteral("Revoke 3 API tokens of 3 users?"));
        QVERIFY(answer->informative.contains(QStringLiteral("\u201cci\u201d (of bob)")));
        QVERIFY(answer->informative.contains(QStringLiteral("deleted user #4711")));
        QVERIFY(answer->informative.contains(QStringLiteral("treated as anonymous")));
        QCOMPARE(tokenCount(), qint64(2));
        QVERIFY(tokenExists(m_bobLaptop) && tokenExists(m_old));
        QTRY_COMPARE(model()->rowCount(), 2);

        // One of the selection revoked meanwhile (by another program): nothing is revoked.
        QVERIFY(select({m_bobLaptop, m_old}));
        QVERIFY(store().database().exec(QStringLiteral("DELETE FROM tokens WHERE id = %1").arg(m_old)).ok());
        MessageBox::takeAskedCount();
        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        action("revokeTokenAction")->trigger();
        QCOMPARE(MessageBox::takeAskedCount(), 0); // told before asking
        MessageBox::ask(nullptr, {}); // use up the unused answer
        MessageBox::takeAskedCount();
        QVERIFY(banner()->text().contains(QStringLiteral("revoked meanwhile")));
        QVERIFY(tokenExists(m_bobLaptop));
    }

    void revokeAllOfAnOwner()
    {
        openPage(m_platform.root);
        // Nothing selected and no owner filter: no owner to act on.
        table()->clearSelection();
        QVERIFY(!action("revokeOwnerTokensAction")->isEnabled());
        m_page->ownerFilter()->setUser(m_bob, QStringLiteral("bob"));
        QTRY_COMPARE(model()->rowCount(), 3);
        QCOMPARE(model()->ownerFilter(), std::optional<qint64>(m_bob));
        QVERIFY(m_page->findChild<QLabel *>(QStringLiteral("pageSummary"))
                    ->text()
                    .contains(QStringLiteral("bob")));
        QVERIFY(action("revokeOwnerTokensAction")->isEnabled());
        auto answer = uitest::answerNextBox(true);
        action("revokeOwnerTokensAction")->trigger();
        QCOMPARE(answer->text, QStringLiteral("Revoke all 3 API tokens of bob?"));
        QCOMPARE(tokenCount(QStringLiteral("user_id = %1").arg(m_bob)), qint64(0));
        QCOMPARE(tokenCount(), qint64(2)); // carol's and the orphan stay
        QTRY_COMPARE(model()->rowCount(), 0);
        QVERIFY(m_page->findChild<QLabel *>(QStringLiteral("emptyMessage"))
                    ->text()
                    .contains(QStringLiteral("bob has no API tokens")));

        // The orphan's, chosen from its row.
        m_page->ownerFilter()->clear();
        QTRY_COMPARE(model()->rowCount(), 2);
        QVERIFY(select({m_orphan}));
        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        action("revokeOwnerTokensAction")->trigger();
        QVERIFY(!tokenExists(m_orphan));
        QVERIFY(tokenExists(m_carolCli));
    }

    void ownerFilterThroughThePicker()
    {
        openPage(m_platform.root);
        UserFilterButton *filter = m_page->ownerFilter();
        QVERIFY(filter->chooseButton()->text().startsWith(QStringLiteral("Owner: everyone")));
        QVERIFY(!filter->clearButton()->isVisible());
        QTest::mouseClick(filter->chooseButton(), Qt::LeftButton);
        QPointer<UserPickerDialog> picker
            = m_page->findChild<UserPickerDialog *>(QStringLiteral("userPickerDialog"));
        QVERIFY(picker);
        QTRY_VERIFY(picker->model()->rowOf(m_carol) >= 0);
        picker->tableView()->selectRow(picker->model()->rowOf(m_carol));
        picker->accept();
        QTRY_COMPARE(model()->rowCount(), 1);
        QVERIFY(filter->chooseButton()->text().startsWith(QStringLiteral("Owner: carol")));
        QVERIFY(filter->clearButton()->isVisible());
        QVERIFY(action("showEveryoneTokensAction")->isEnabled());
        QTest::mouseClick(filter->clearButton(), Qt::LeftButton);
        QTRY_COMPARE(model()->rowCount(), 5);
        QVERIFY(!model()->ownerFilter());
    }

    void operatorSeesWhyNot()
    {
        const Actor carol {m_carol, QStringLiteral("carol"), Role::Operator, QStringLiteral("test@host")};
        openPage(carol);
        QVERIFY(!model());
        QVERIFY(m_page->findChild<QLabel *>(QStringLiteral("pagePlaceholder"))
                    ->text()
                    .contains(QStringLiteral("Administrator")));
        for (const char *name : {"newTokenAction", "revokeTokenAction", "revokeOwnerTokensAction"}) {
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
        QCOMPARE(model()->rowCount(), 5);
        QVERIFY(select({m_bobCi}));
        for (const char *name : {"newTokenAction", "revokeTokenAction", "revokeOwnerTokensAction"}) {
            QVERIFY2(!action(name)->isEnabled(), name);
            QVERIFY2(action(name)->toolTip().contains(QStringLiteral("read-only")),
                qPrintable(action(name)->toolTip()));
        }
        // The Delete key does nothing either.
        table()->setFocus();
        QTest::keyClick(table(), Qt::Key_Delete);
        QCOMPARE(MessageBox::takeAskedCount(), 0);
        QVERIFY(tokenExists(m_bobCi));
        m_page.reset();
    }

    void lockedDatabaseFailsInlineAndRetries()
    {
        auto shortWait = PlatformStore::open(m_path, PlatformStore::Access::ReadWrite, 100);
        QVERIFY(shortWait.ok());
        openPage(m_platform.root, shortWait.value().get());
        QVERIFY(select({m_bobCi, m_bobLaptop}));
        auto other = SqliteDatabase::open(m_path, SqliteDatabase::OpenMode::ReadWrite, 100);
        QVERIFY(other.ok());
        QVERIFY(other.value()->exec(QStringLiteral("BEGIN IMMEDIATE")).ok());
        MessageBox::setNextAnswer(MessageBox::Button::Delete);
        action("revokeTokenAction")->trigger();
        QVERIFY2(banner()->text().contains(QStringLiteral("none was revoked")), qPrintable(banner()->text()));
        QVERIFY(tokenExists(m_bobCi) && tokenExists(m_bobLaptop));
        auto *retry = banner()->findChild<QPushButton *>(QStringLiteral("bannerAction"));
        QVERIFY(retry && retry->isVisible());
        QVERIFY(other.value()->exec(QStringLiteral("ROLLBACK")).ok());
        QTest::mouseClick(retry, Qt::LeftButton);
        QVERIFY(!tokenExists(m_bobCi) && !tokenExists(m_bobLaptop));
        QVERIFY(banner()->text().isEmpty() || banner()->isHidden());
        m_page.reset();
    }

    // Pictures for a human to look at: RK_SCREENSHOT_DIR=/tmp/shots (best under xvfb-run with
    // QT_QPA_PLATFORM=xcb, where fonts and the style are real).
    void screenshots()
    {
        const QString dir = qEnvironmentVariable("RK_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("Set RK_SCREENSHOT_DIR to save pictures of the page");
        openPage(m_platform.root, nullptr, 60000);
        QVERIFY(select({m_bobCi, m_carolCli}));
        QVERIFY(uitest::settled(m_page.get())->grab().save(dir + QStringLiteral("/tokens.png")));
        QPointer<TokenCreatedDialog> shown = createForBob(QStringLiteral("deploy"));
        QVERIFY(shown);
        QTRY_VERIFY(shown->isVisible());
        QTest::mouseClick(uitest::child<QPushButton>(shown, "copyButton"), Qt::LeftButton);
        QVERIFY(shown->grab().save(dir + QStringLiteral("/token-created.png")));
        shown->accept();
        QTRY_VERIFY(!shown);
        table()->clearSelection();
        action("newTokenAction")->trigger();
        auto *dialog = m_page->findChild<CreateTokenDialog *>(QStringLiteral("createTokenDialog"));
        QVERIFY(dialog);
        dialog->setOwner(m_platform.root.userId, QStringLiteral("root"));
        uitest::child<QLineEdit>(dialog, "nameEdit")->setText(QStringLiteral("ci"));
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/token-create.png")));
        dialog->reject();
        m_page->ownerFilter()->setUser(m_bob, QStringLiteral("bob"));
        QTRY_COMPARE(model()->rowCount(), 4); // with the new "deploy"
        QVERIFY(uitest::settled(m_page.get())->grab().save(dir + QStringLiteral("/tokens-bob.png")));
    }

    void columnsRememberedUnderTokens()
    {
        openPage(m_platform.root);
        table()->horizontalHeader()->resizeSection(TokensTableModel::Name, 333);
        m_page.reset();
        QVERIFY(!m_settings->tableHeaderState(QStringLiteral("tokens")).isEmpty());
        openPage(m_platform.root);
        QCOMPARE(table()->horizontalHeader()->sectionSize(TokensTableModel::Name), 333);
    }
};

RK_TEST_WIDGETS_MAIN(TestTokensPage)
#include "TestTokensPage.moc"
