#pragma once

#include "RecordsPage.h"
#include "store/PlatformStore.h"
#include "tokens/AccessTableDelegate.h"
#include "widgets/MessageBox.h"

#include <optional>

class QAction;

namespace rk {

class LazySqlTableModel;
class UserFilterButton;
struct ActionGate;

// What the pages over records that each belong to one user (sessions, API tokens) share, on top
// of RecordsPage:
// - a user filter control at the right end of the toolbar ("User: everyone"), and the actions
//   around it: show only the selected row's user's records (Enter), choose a user, everyone's;
// - revoking the selected records (Delete; all or nothing, at most 10,000) and all of one user's
//   (the selected rows' user, or the filtered one), each after a confirmation that states the
//   effect with numbers the store counted first; records gone meanwhile, and failures, show in
//   the banner (with Retry where it can help) and change nothing;
// - copying the selected rows (one line each), selecting all, refreshing;
// - the summary while filtered by a user ("User "bob": 3").
// The revocations need ManageUsers and a writable file; otherwise they are disabled with the
// reason as tooltip (ActionGate).
//
// A subclass names its record kind: the texts (in its own words and translation context:
// ActionTexts, Texts, the confirmations), the store calls (countRecords(), revokeRecords(),
// revokeRecordsOf()) and what a row holds (userAt(), copyTextAt()). It calls createUserActions()
// where it creates its actions, bindUserModel() and addUserFilter() where it sets up its table,
// and adds its own actions with updateOwnActions() and menuActionsAfter(). UI thread only.
class UserRecordsPage : public RecordsPage
{
    Q_OBJECT

public:
    UserRecordsPage(
        PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    ~UserRecordsPage() override;

protected:
    // The user of a record.
    struct User
    {
        qint64 id = 0;
        QString username; // empty: no such user (any more)
        QString label; // as shown ("bob", "deleted user #12")
    };

    struct ActionText
    {
        QString text;
        const char *objectName = nullptr;
    };
    // The shared actions' texts and objectNames; their shortcuts are the same on every such page.
    struct ActionTexts
    {
        ActionText revoke; // Delete (on the table)
        ActionText revokeUser; // Ctrl+Shift+Delete
        ActionText showUser; // Ctrl+Shift+O, and Enter on a row
        ActionText chooseUser; // Ctrl+Shift+F
        ActionText everyone; // Ctrl+Shift+X
        ActionText copy; // Copy (on the table)
        ActionText selectAll; // Select All (on the table)
        ActionText refresh; // Refresh
        QString refreshTip;
        QString chooseUserTip;
    };

    // The texts of the shared actions, each a format for QString::arg().
    struct Texts
    {
        // Tooltips.
        QString revokeSeveral; // %L1: how many are selected
        QString revokeOne;
        QString revokeNone;
        QString revokeUser; // %1: the user's label
        QString revokeUserNone;
        QString showUser; // %1: the selected rows' user's label
        QString showUserNone;
        QString everyone;
        // The summary while filtered by a user: %1 the quoted user, %L2 the rows; when there are
        // none, %1 the user.
        QString userSummary;
        QString userHasNone;
        // Banners: the count or the revocation of the selected rows failed; of one user's (%1 the
        // user's label), or that user has none (any more).
        QString countFailed;
        QString revokeFailed;
        QString countOfUserFailed;
        QString revokeOfUserFailed;
        QString noneLeftOfUser;
    };

    // A confirmation (its accept button is Delete, destructive) and the status message once done.
    struct Confirmation
    {
        MessageBox::Options ask;
        QString done;
    };

    // Creates the shared actions (call where the page creates its actions, in the order they
    // should be created); they act once bindUserModel() and addUserFilter() have run.
    void createUserActions(const ActionTexts &actionTexts);
    // Before the first updateActions().
    void setTexts(const Texts &texts) { m_texts = texts; }
    // bindModel() for the page's model, drawn by an AccessTableDelegate with `layout`, with the
    // shared actions on the table and Enter showing only the selected row's user's records.
    void bindUserModel(LazySqlTableModel *model, const AccessTableDelegate::Layout &layout,
        const QString &settingsKey, std::function<void()> defaultColumns);
    // The user filter control, after a spacer at the end of the toolbar; choosing a user clears the
    // banner and calls filterModelByUser().
    void addUserFilter(const QString &label, const QString &prompt);

    UserFilterButton *userFilterButton() const { return m_userFilter; }
    QAction *revokeAction() const { return m_revokeAction; }
    QAction *revokeUserAction() const { return m_revokeUserAction; }
    // The context menu: `leading` (the page's revocations and the like), then showing, copying,
    // selecting, columns and refresh.
    QList<QAction *> menuActionsAfter(QList<QAction *> leading) const;

    // The one user of every selected row (nullopt: none, several, or rows not loaded).
    std::optional<User> selectedUser() const;
    // selectedUser(), or the user filter's when nothing is selected.
    std::optional<User> actionUser() const;

    // --- what the subclass says about its records ----------------------------------------------
    // The user of the record at `row` (nullopt: not loaded).
    virtual std::optional<User> userAt(int row) const = 0;
    // A row's line for the clipboard (nullopt: not loaded).
    virtual std::optional<QString> copyTextAt(int row) const = 0;
    // The model shows only `userId`'s records (nullopt: everyone's).
    virtual void filterModelByUser(std::optional<qint64> userId) = 0;
    // The store calls: what a revocation would take, and the revocations.
    virtual Result<PlatformStore::RevocationCount> countRecords(const PlatformStore::RevocationScope &scope)
        = 0;
    virtual Result<int> revokeRecords(const QList<qint64> &ids) = 0;
    virtual Result<int> revokeRecordsOf(qint64 userId) = 0;
    // The banner when `missing` of the selected records are gone meanwhile.
    virtual QString missingText(int missing) const = 0;
    // Revoking the selected records `ids` (`counted` by the store, none missing).
    virtual Confirmation confirmRevoke(
        const QList<qint64> &ids, const PlatformStore::RevocationCount &counted) const = 0;
    // Revoking all `records` of `user` (at least one).
    virtual MessageBox::Options confirmRevokeOfUser(const User &user, int records) const = 0;
    // The status message once `revoked` records of the user `label` are revoked.
    virtual QString revokedOfUserText(int revoked, const QString &label) const = 0;
    // The page's own actions, after the shared ones are updated (`user`: actionUser()).
    virtual void updateOwnActions(const ActionGate &gate, const std::optional<User> &user);

    void updateActions() final;
    void updateSummary() override;

private:
    void revokeSelected();
    void revokeAllOfUser();
    // The revocations, after the confirmation; a Retry in the banner runs them again as confirmed.
    void runRevoke(const QList<qint64> &ids, const QString &done);
    void runRevokeOf(qint64 userId, const QString &label);
    void showOnlySelectedUser();
    void copySelected();

    Texts m_texts;
    LazySqlTableModel *m_model = nullptr;
    UserFilterButton *m_userFilter = nullptr;

    QAction *m_revokeAction = nullptr;
    QAction *m_revokeUserAction = nullptr;
    QAction *m_showUserAction = nullptr;
    QAction *m_chooseUserAction = nullptr;
    QAction *m_everyoneAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_selectAllAction = nullptr;
    QAction *m_refreshAction = nullptr;
};

} // namespace rk
