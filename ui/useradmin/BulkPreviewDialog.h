#pragma once

#include "store/PlatformStore.h"

#include <QDialog>
#include <QVariant>

#include <functional>
#include <memory>
#include <utility>

namespace Ui {
class BulkPreviewDialog;
}

namespace rk {

class BulkVerdictModel;

// The confirmation in front of every status, role, group or delete action on users: the users
// it would touch, what it would do to each, and which would be refused and why, from the store's
// dry run (the same rules the change applies). An optional choice (the new role, the group) runs
// the check again; an optional checkbox also ends the users' sessions. With a single user allowed
// the list is left out and the question says it all.
//
// OK emits confirmed() and the caller applies the change (only the allowed users), then calls
// accept() or showError(). Nothing is written by the dialog itself. Opened with open().
class BulkPreviewDialog : public QDialog
{
    Q_OBJECT

public:
    struct Spec
    {
        QString title;
        QString question; // one sentence
        // A choice that changes the action (empty label: none), as (text, value) pairs.
        QString parameterLabel;
        QList<std::pair<QString, QVariant>> choices;
        QVariant initialChoice;
        // The checkbox's text; "%1" is the number of sessions. Empty: no checkbox.
        QString endSessionsText;
        bool destructive = false;
        // The dry run for a choice.
        std::function<Result<BulkOutcome>(const QVariant &choice)> check;
        // The Result column of an Apply or Unchanged row.
        std::function<QString(const BulkVerdict &verdict, const QVariant &choice)> describe;
        // The sentence under the list (counts, impact).
        std::function<QString(const BulkOutcome &outcome, const QVariant &choice, bool endSessions)> summary;
        // The OK button's text for the number of users it applies to.
        std::function<QString(int count, const QVariant &choice)> applyText;
        // A warning for a choice (granting admin); empty: none.
        std::function<QString(const QVariant &choice)> warning;
    };

    BulkPreviewDialog(Spec spec, QWidget *parent = nullptr);
    ~BulkPreviewDialog() override;

    // The latest dry run (empty when it failed).
    const BulkOutcome &outcome() const;
    QVariant choice() const;
    bool endSessions() const;
    // Runs the dry run again (the choice or the database changed).
    void recheck();
    void showError(const QString &message);

    // While the change is sent user by user (through the host): the choice and the apply button
    // are locked, a progress bar counts the users, and Cancel becomes Stop, which (like Esc and
    // closing the window) emits stopRequested() instead of closing.
    void startRun(int total);
    void setRunProgress(int done, int total);
    // What became of one user, in place of the preview's Result and Why (the list is shown).
    void setRunResult(qint64 userId, const QString &result, const QString &why, bool failed);
    // The run ended: `summary` under the list, Close instead of Stop, no apply button.
    void finishRun(const QString &summary);
    bool isRunning() const { return m_running; }

    void reject() override;

Q_SIGNALS:
    void confirmed();
    void stopRequested();

private:
    void onAccept();
    void fitTable();
    void fitHeight(int width);

    std::unique_ptr<Ui::BulkPreviewDialog> m_ui;
    Spec m_spec;
    BulkVerdictModel *m_model;
    bool m_running = false;
};

} // namespace rk
