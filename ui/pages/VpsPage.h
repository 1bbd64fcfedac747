#pragma once

#include "RecordsPage.h"

#include <QTimer>

class QAction;

namespace rk {

class AppSettings;
class PlatformStore;
class VpsAssignmentsPane;
class VpsTableModel;

// The platform's VPS (host tasks of type 'vps') and who may use them: a lazy table
// (VpsTableModel: name, task id, owner, status, node, backend, assignees "3 (1 via group)",
// submitted) and, below it, the selected VPS's assignments (VpsAssignmentsPane: users with their
// source, "direct" / "via group X" / both, and the groups assigned as a whole). Actions, for
// operators and admins (ManageVps, as on the host):
// - Assign Users (a searchable user picker; directly assigned users are left out);
// - Assign Group: every member gets the VPS, also members who join later;
// - Unassign Users (Delete in the users list): removes direct assignments only. A user who also
//   has the VPS through a group keeps it; one who has it only through a group is skipped, and the
//   confirmation says so and why (unassign the group, or remove them from it): removing one
//   member's group-given row would break "the group's members have this VPS";
// - Unassign Group (Delete in the groups list): members no other source holds lose the VPS.
// Every change is confirmed where it removes access, and goes through the store in one
// transaction. The table and the pane refresh after this app's changes and the host's, keeping
// the selections. Column state is remembered (key "vps").
class VpsPage : public RecordsPage
{
    Q_OBJECT

public:
    VpsPage(PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    ~VpsPage() override;

    QString title() const override;
    // The title without a page: the navigation lists pages before they are built.
    static QString pageTitle();
    QIcon icon() const override;
    QList<QAction *> menuActions() const override;

    // nullptr when the acting role may not view VPS.
    VpsTableModel *model() const { return m_model; }
    VpsAssignmentsPane *assignmentsPane() const { return m_pane; }
    qint64 selectedVpsId() const { return currentId(); }
    void selectVps(qint64 taskId) { selectId(taskId); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void setUpTable();
    void applyDefaultColumns();
    void updateActions() override;
    void syncPane();

    void assignUsers();
    void assignGroup();
    void unassignUsers();
    void unassignGroup();
    void copyTaskIds();
    void showAssignments();

    VpsTableModel *m_model = nullptr;
    VpsAssignmentsPane *m_pane = nullptr;
    QTimer m_paneRefresh; // coalesces the store's several changed() of one operation

    QAction *m_assignUsersAction = nullptr;
    QAction *m_assignGroupAction = nullptr;
    QAction *m_unassignUsersAction = nullptr;
    QAction *m_unassignGroupAction = nullptr;
    QAction *m_showAssignmentsAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_refreshAction = nullptr;
};

} // namespace rk
