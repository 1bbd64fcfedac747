#pragma once

#include "SubmitterHistory.h"

#include <QDialog>

#include <memory>

namespace Ui {
class SubmitterHistoryDialog;
}

namespace rk {

// A submitter's record, for the reviewer of one of their tasks: "bob: 12 approved, 1 rejected
// before; 2 waiting now", and the last decisions (when, which task, approved or rejected, by whom,
// the reason). Shows what it is given. UI thread.
class SubmitterHistoryDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SubmitterHistoryDialog(const SubmitterHistory &history, QWidget *parent = nullptr);
    ~SubmitterHistoryDialog() override;

    // The summary sentence ("12 approved and 1 rejected before…").
    static QString summaryText(const SubmitterHistory &history);

private:
    std::unique_ptr<Ui::SubmitterHistoryDialog> m_ui;
};

} // namespace rk
