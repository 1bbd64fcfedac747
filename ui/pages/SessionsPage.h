#pragma once

#include "UserRecordsPage.h"
#include "core/HostTime.h"

#include <functional>
#include <optional>

class QAction;

namespace rk {

class AppSettings;
class PlatformStore;
class SessionsTableModel;

// Every sign-in session of a platform database (the host's API has no sessions endpoint): a lazy
// table over SessionsTableModel (user, created, expires, time left, state; sorted and filtered in
// SQL), re-read every minute while shown so "time left" moves on, the acting admin's own rows
// marked "(you)", sessions of deleted users named "deleted user #12", expired ones muted. A "User"
// control narrows the table to one user.
//
// Actions (admin only: ManageUsers; a read-only file or a lesser role disables them with the
// reason as tooltip), each after a confirmation that states the exact effect with numbers the
// store counted:
// - End the selected sessions (Delete): one transaction, all or nothing;
// - End all of one user's sessions (the selected rows' user, or the filtered one);
// - End everyone else's: every session except the acting admin's own ("End 1,204 sessions of
//   311 users? Your own 2 sessions stay.").
// Ending a session signs that browser out of the host at its next request; API tokens are not
// touched. Enter shows only the selected row's user's sessions. Failures show in the page's banner
// and change nothing. Column layout and sort are remembered under the settings key "sessions".
// What it shares with the API Tokens page is UserRecordsPage; "everyone else's" is its own.
// UI thread only.
class SessionsPage : public UserRecordsPage
{
    Q_OBJECT

public:
    struct Options
    {
        // How often the table is re-read while shown (0: never), so that time left moves on.
        int refreshIntervalMs = 60000;
        // "Now" for time left and expiry (the model's clock); default: the real time.
        std::function<hosttime::Instant()> clock;
    };

    SessionsPage(PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    SessionsPage(PlatformStore &store, const Actor &actor, AppSettings &settings, const Options &options,
        QWidget *parent = nullptr);

    QString title() const override;
    // The title without a page: the navigation lists pages before they are built.
    static QString pageTitle();
    QIcon icon() const override;
    QList<QAction *> menuActions() const override;

    // nullptr when the acting role may not view sessions.
    SessionsTableModel *model() const { return m_model; }
    UserFilterButton *userFilter() const { return userFilterButton(); }

    qint64 selectedSessionId() const { return currentId(); }
    QList<qint64> selectedSessionIds() const { return selectedIds(); }
    void selectSession(qint64 id) { selectId(id); }

private:
    void createActions();
    void setUpTable();
    void applyDefaultColumns();

    std::optional<User> userAt(int row) const override;
    std::optional<QString> copyTextAt(int row) const override;
    void filterModelByUser(std::optional<qint64> userId) override;
    Result<PlatformStore::RevocationCount> countRecords(const PlatformStore::RevocationScope &scope) override;
    Result<int> revokeRecords(const QList<qint64> &ids) override;
    Result<int> revokeRecordsOf(qint64 userId) override;
    QString missingText(int missing) const override;
    Confirmation confirmRevoke(
        const QList<qint64> &ids, const PlatformStore::RevocationCount &counted) const override;
    MessageBox::Options confirmRevokeOfUser(const User &user, int records) const override;
    QString revokedOfUserText(int revoked, const QString &label) const override;
    void updateOwnActions(const ActionGate &gate, const std::optional<User> &user) override;

    void revokeEveryoneElse();
    // After the confirmation; a Retry in the banner runs it again as confirmed.
    void runRevokeOthers();

    Options m_options;
    SessionsTableModel *m_model = nullptr;
    QAction *m_revokeOthersAction = nullptr;
};

} // namespace rk
