#pragma once

#include "BulkPreviewDialog.h"
#include "store/PlatformStore.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QWidget;

namespace rk {

// The Users page's actions on a set of users (one or many): suspend, activate, change role, add
// to group, delete. Each shows a BulkPreviewDialog first, with the store's dry run: which users
// would change, which would be refused and why. On confirm it runs the store's bulk method with
// the users the preview allowed, in one transaction (all or nothing); the store checks them again,
// so a user that became refusable meanwhile is reported, not changed.
//
// A single user whose action the store refuses gets no dialog: the refusal goes to failed() at
// once. Everything runs on the UI thread (the store's calls are short transactions).
class UsersBulkActions : public QObject
{
    Q_OBJECT

public:
    UsersBulkActions(PlatformStore &store, const Actor &actor, QWidget *dialogParent);

    void setActive(const QList<qint64> &ids, bool active);
    void changeRole(const QList<qint64> &ids);
    void addToGroup(const QList<qint64> &ids);
    // Several users, through the preview.
    void remove(const QList<qint64> &ids);
    // One user: a confirmation (MessageBox, answerable in advance by tests) with the impact.
    void removeOne(const UserRecord &user);

    // The preview dialog open now, if any (one at a time).
    BulkPreviewDialog *currentDialog() const { return m_dialog; }

Q_SIGNALS:
    // Done: a sentence for the status bar ("Suspended 3 users; ended 5 sessions.").
    void finished(const QString &message);
    // Done, but the store refused some users at apply time (the data changed since the preview):
    // a sentence for the page's banner naming them.
    void partlyRefused(const QString &message);
    // Nothing was changed: `what` failed because of `error` (refused, read-only, locked...).
    void failed(const QString &what, const rk::Error &error);

private:
    using Apply = std::function<Result<BulkOutcome>(BulkPreviewDialog *dialog, const QList<qint64> &ids)>;
    using Done = std::function<QString(const BulkOutcome &outcome)>;
    void run(BulkPreviewDialog *dialog, const QString &failure, Apply apply, Done done);
    QString refusalList(const BulkOutcome &outcome) const;

    PlatformStore &m_store;
    Actor m_actor;
    QWidget *m_parent;
    QPointer<BulkPreviewDialog> m_dialog;
};

} // namespace rk
