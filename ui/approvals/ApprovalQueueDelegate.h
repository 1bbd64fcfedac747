#pragma once

#include "widgets/PlainItemDelegate.h"

#include <functional>

namespace rk {

// Paints the approval queue: the Risk column of a task with risk flags in bold alert red (its
// tooltip lists them), and the rows of tasks whose decision waits for the host's answer in
// italics. Date-times as in every other table. UI thread.
class ApprovalQueueDelegate : public PlainItemDelegate
{
    Q_OBJECT

public:
    // `inFlight`: whether a task id waits for the host's answer.
    ApprovalQueueDelegate(std::function<bool(qint64 taskId)> inFlight, QObject *parent = nullptr);

    static QColor alertColor() { return QColor(0xc6, 0x28, 0x28); }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    std::function<bool(qint64)> m_inFlight;
};

} // namespace rk
