#pragma once

#include "core/Result.h"
#include "store/StoreTypes.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <optional>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QTableView;
class QToolBar;
class QToolButton;

namespace rk {

class AppSettings;
class GroupMembersModel;
class PlatformStore;

// The detail pane of the Groups page: the selected group's facts (tier, members, created), its
// limits in one line (with the page's "Limits and Tier" action beside them), what enforces them
// (nothing on the host yet), and its members: a lazy table (username, display name, role, role
// override, added) with a search field, and the member actions:
// - Add Members… (the shared UserPickerDialog, several at once, current members excluded);
// - Remove from Group… (one or several, confirmed; one store transaction);
// - the role override of one member in place (F2, Enter or double-click on the row opens a
//   drop-down in the Role override cell), or of every selected member through "Set Role Override".
// Every change goes through the store (one transaction, audited); a refusal is reported through
// failed() for the page's banner and changes nothing. The table refreshes after this app's
// changes and the host's, keeping the selected members selected. Column widths, order, visibility
// and sort are remembered (AppSettings, key "groupMembers"). UI thread.
class GroupMembersPanel : public QWidget
{
    Q_OBJECT

public:
    GroupMembersPanel(
        PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    ~GroupMembersPanel() override;

    // The group to show (as the groups table has it: facts and limits), or none. Showing another
    // group replaces the members; the same group only updates the facts.
    void setGroup(const std::optional<GroupRecord> &group);
    std::optional<qint64> groupId() const;

    GroupMembersModel *model() const { return m_model; }
    QTableView *tableView() const { return m_table; }
    QLineEdit *filterField() const { return m_filter; }

    // Selected members whose rows are loaded, in row order.
    QList<qint64> selectedMemberIds() const;
    // Selects the members (now, or when their rows arrive).
    void selectMembers(const QList<qint64> &userIds);
    // Moves focus to the members table, on the first member when none is current.
    void focusMembers();

    // Every member action, in menu order (nullptr: a separator): the members' context menu.
    QList<QAction *> menuActions() const;
    // The actions that work from anywhere on the page (Add Members, Search Members): the page
    // adds them to itself (their shortcuts are page-wide) and lists them in its menu. The others
    // act on the selected members and live on the members table and its context menu.
    QList<QAction *> pageActions() const;
    // Shown as a button beside the limits line (the page owns it).
    void setLimitsAction(QAction *action);

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void statusMessage(const QString &message);
    void failed(const QString &what, const rk::Error &error);
    // Something for the page's banner that is not an error (some users were skipped).
    void notice(const QString &message);
    // Esc in the members table: back to the groups.
    void leaveRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void setUpTable();
    void applyDefaultColumns();
    void showColumnsMenu(const QPoint &pos);
    void saveHeaderState();
    void updateFacts();
    void updateActions();
    void updateSummary();
    void restoreSelection();
    void scheduleRefresh();
    // The member's username as the table shows it ("(deleted account 7)" for a missing account).
    QString memberName(qint64 userId) const;

    void addMembers();
    void addChosen(qint64 groupId, const QString &groupName, const QList<qint64> &userIds);
    void removeSelected();
    void editOverrideInPlace();
    void setOverride(const QList<qint64> &userIds, const QString &roleOverride);
    void copyUsernames();

    PlatformStore &m_store;
    Actor m_actor;
    AppSettings &m_settings;
    std::optional<GroupRecord> m_group;

    GroupMembersModel *m_model = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_facts = nullptr;
    QLabel *m_limits = nullptr;
    QToolButton *m_limitsButton = nullptr;
    QLabel *m_note = nullptr;
    QToolBar *m_toolBar = nullptr;
    QLineEdit *m_filter = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_summary = nullptr;
    QMenu *m_contextMenu = nullptr;
    QMenu *m_overrideMenu = nullptr;
    QMenu *m_columnsMenu = nullptr;

    QAction *m_addAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_editOverrideAction = nullptr;
    QList<QAction *> m_overrideActions; // none, viewer, user, operator, admin
    QAction *m_copyAction = nullptr;
    QAction *m_selectAllAction = nullptr;
    QAction *m_findAction = nullptr;

    QList<qint64> m_wantedIds; // the selection kept across refreshes
    bool m_restoring = false;
    QTimer m_refreshTimer;
    QTimer m_filterTimer;
    QTimer m_headerSaveTimer;
};

} // namespace rk
