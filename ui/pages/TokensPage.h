#pragma once

#include "RecordsPage.h"
#include "core/HostTime.h"

#include <functional>
#include <optional>

class QAction;

namespace rk {

class AppSettings;
class ClipboardWiper;
class PlatformStore;
class TokensTableModel;
class UserFilterButton;
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
// layout and sort are remembered under the settings key "tokens". UI thread only.
class TokensPage : public RecordsPage
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
    ~TokensPage() override;

    QString title() const override;
    // The title without a page: the navigation lists pages before they are built.
    static QString pageTitle();
    QIcon icon() const override;
    QList<QAction *> menuActions() const override;

    // nullptr when the acting role may not view every user's tokens.
    TokensTableModel *model() const { return m_model; }
    UserFilterButton *ownerFilter() const { return m_ownerFilter; }
    ClipboardWiper *clipboardWiper() const { return m_wiper; }

    qint64 selectedTokenId() const { return currentId(); }
    QList<qint64> selectedTokenIds() const { return selectedIds(); }
    void selectToken(qint64 id) { selectId(id); }

private:
    void createActions();
    void setUpTable();
    void applyDefaultColumns();
    void updateActions() override;
    void updateSummary() override;

    void createToken();
    void showCreated(const CreatedToken &token);
    void revokeSelected();
    void revokeAllOfOwner();
    // The revocations, after the confirmation; a Retry in the banner runs them again as confirmed.
    void runRevoke(const QList<qint64> &ids, const QString &done);
    void runRevokeOf(qint64 userId, const QString &label);
    void showOnlySelectedOwner();
    void copyNames();

    // The owner the row actions are about: the one owner of every selected row (known rows), or
    // the owner filter's user; nullopt when none or several.
    struct Owner
    {
        qint64 id = 0;
        QString username; // empty: no such user (any more)
        QString label; // as shown ("bob", "deleted user #12")
    };
    std::optional<Owner> actionOwner() const;
    std::optional<Owner> selectedOwner() const;

    Options m_options;
    TokensTableModel *m_model = nullptr;
    UserFilterButton *m_ownerFilter = nullptr;
    ClipboardWiper *m_wiper = nullptr;

    QAction *m_newAction = nullptr;
    QAction *m_revokeAction = nullptr;
    QAction *m_revokeOwnerAction = nullptr;
    QAction *m_showOwnerAction = nullptr;
    QAction *m_chooseOwnerAction = nullptr;
    QAction *m_everyoneAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_selectAllAction = nullptr;
    QAction *m_refreshAction = nullptr;
};

} // namespace rk
