#pragma once

#include "UserRecordsPage.h"
#include "core/HostTime.h"

#include <functional>
#include <optional>

class QAction;

namespace rk {

class AppSettings;
class ClipboardWiper;
class PlatformStore;
class TokensTableModel;
struct CreatedToken;

// Every user's API tokens in a platform database (the host's API lists only the caller's own):
// a lazy table over TokensTableModel (name, owner, created, last used; sorted and filtered in
// SQL), tokens unused for 90 days tinted with the reason as tooltip, rows of deleted users and of
// the host's pseudo-users named as such. An "Owner" control narrows the table to one user.
//
// Actions (admin only: ManageUsers; a read-only file or a lesser role disables them with the
// reason as tooltip):
// - New Token: for the selected row's owner, the filtered owner or a chosen user; the plaintext is
//   shown once (TokenCreatedDialog), copied through a ClipboardWiper that clears the clipboard
//   after a delay if it still holds the token;
// - Revoke (Delete): the selected tokens, all or nothing in one transaction, after a
//   confirmation that says how many tokens of how many users, and what programs that still send
//   them will see (the host treats a revoked token as anonymous; it never answers "revoked");
// - Revoke All of an owner's tokens, likewise.
// Enter shows only the selected row's owner's tokens (nothing destructive). Failures (locked,
// read-only, refused, gone meanwhile) show in the page's banner and change nothing. Column
// layout and sort are remembered under the settings key "tokens". What it shares with the Sessions
// page is UserRecordsPage; New Token is its own. UI thread only.
class TokensPage : public UserRecordsPage
{
    Q_OBJECT

public:
    struct Options
    {
        // How long a copied token may stay on the clipboard.
        int clipboardClearMs = 60000;
        // "Now" for the 90-day highlight (the model's clock); default: the real time.
        std::function<hosttime::Instant()> clock;
    };

    TokensPage(PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    TokensPage(PlatformStore &store, const Actor &actor, AppSettings &settings, const Options &options,
        QWidget *parent = nullptr);

    QString title() const override;
    // The title without a page: the navigation lists pages before they are built.
    static QString pageTitle();
    QIcon icon() const override;
    QList<QAction *> menuActions() const override;

    // nullptr when the acting role may not view every user's tokens.
    TokensTableModel *model() const { return m_model; }
    UserFilterButton *ownerFilter() const { return userFilterButton(); }
    ClipboardWiper *clipboardWiper() const { return m_wiper; }

    qint64 selectedTokenId() const { return currentId(); }
    QList<qint64> selectedTokenIds() const { return selectedIds(); }
    void selectToken(qint64 id) { selectId(id); }

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
    void updateOwnActions(const ActionGate &gate, const std::optional<User> &owner) override;

    void createToken();
    void showCreated(const CreatedToken &token);

    Options m_options;
    TokensTableModel *m_model = nullptr;
    ClipboardWiper *m_wiper = nullptr;
    QAction *m_newAction = nullptr;
};

} // namespace rk
