#pragma once

#include <QStyledItemDelegate>

namespace rk {

// How the Tasks and Nodes tables look: a status in the host dashboard's badge classes
// (kohakuriver-host.md section 4: pending and paused warning, assigning info, running and
// completed success, failed/killed/killed_oom/lost danger, stopped gray; online success, offline
// danger; pending_approval and rejected unmapped, so gray), dates as "2026-02-10 14:05" with
// their age in the tooltip, empty cells as a muted dash, rows still loading muted.
class TaskTableDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    enum class StatusClass { Success, Warning, Info, Danger, Muted };

    // `statusColumn`: the column whose text is coloured; `statusRole`: where its raw value is.
    TaskTableDelegate(int statusColumn, int statusRole, QObject *parent = nullptr);

    static StatusClass classOf(const QString &status);
    static QColor colorOf(StatusClass statusClass, const QPalette &palette);
    static QColor statusColor(const QString &status, const QPalette &palette)
    {
        return colorOf(classOf(status), palette);
    }

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
        const QModelIndex &index) override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_statusColumn;
    int m_statusRole;
};

} // namespace rk
