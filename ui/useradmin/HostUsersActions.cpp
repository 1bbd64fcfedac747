#include "HostUsersActions.h"

#include "pages/RecordsPage.h"
#include "useradmin/UserBulkSpecs.h"
#include "useradmin/UserDialog.h"
#include "useradmin/UsersTableDelegate.h"
#include "widgets/MessageBox.h"

#include <QWidget>

namespace rk {

namespace {

using Item = HostAdminRun::Item;
using Verdict = BulkVerdict::State;

// At most this many users are named in the page's banner; the dialog lists every one.
constexpr int kNamedInBanner = 5;

QString usersCount(int n)
{
    return n == 1 ? HostUsersActions::tr("1 user") : HostUsersActions::tr("%L1 users").arg(n);
}

QString resultOf(const Item &item, const QString &doneResult)
{
    switch (item.state) {
    case Item::State::Done: return doneResult;
    case Item::State::Failed:
        return item.httpStatus >= 400 && item.httpStatus < 500 ? HostUsersActions::tr("Refused by the host")
                                                               : HostUsersActions::tr("Failed");
    case Item::State::Unknown: return HostUsersActions::tr("Unknown");
    case Item::State::NotSent: return HostUsersActions::tr("Not sent");
    case Item::State::Waiting:
    case Item::State::Sending: break;
    }
    return {};
}

// The preview's counts, and how the change will reach the host.
QString hostSummary(const BulkOutcome &o, const QString &applyWord, const QString &unchangedWord)
{
    return UserBulkSpecs::counts(o, applyWord, unchangedWord) + QLatin1Char(' ')
        + HostUsersActions::tr("The host gets one request per user, one after the other, and checks each "
                               "again: what it refuses is shown here per user.");
}

} // namespace

HostUsersActions::HostUsersActions(
    PlatformStore &mirror, const Actor &actor, HostAdminService &service, QWidget *dialogParent)
    : QObject(dialogParent), m_mirror(mirror), m_actor(actor), m_service(service), m_parent(dialogParent)
{
    connect(&m_runs, &HostRunTracker::busyChanged, this, &HostUsersActions::busyChanged);
}

HostUsersActions::~HostUsersActions() = default;

bool HostUsersActions::isBusy() const
{
    return m_runs.isBusy();
}

bool HostUsersActions::refusedAtOnce(
    const Result<BulkOutcome> &check, const QString &what, const QString &whatOne)
{
    if (!check) {
        Q_EMIT failed(what, check.error());
        return true;
    }
    if (check->verdicts.size() == 1 && check->count(Verdict::Refused) == 1) {
        const BulkVerdict &v = check->verdicts.front();
        const QString who = quotedName(v.username.isEmpty() ? QString::number(v.userId) : v.username);
        Q_EMIT failed(whatOne.arg(who),
            v.error ? *v.error : Error::make(Error::Code::Refused, tr("Refused by the preview.")));
        return true;
    }
    return false;
}

QString HostUsersActions::report(const HostAdminRun &run, const Words &words)
{
    const int done = run.count(Item::State::Done);
    if (done == run.total()) {
        const QString message = run.total() == 1 ? run.items().first().message : words.allDone(done);
        Q_EMIT finished(message);
        return message;
    }
    const QString why = run.notDoneSummary(kNamedInBanner);
    if (done == 0) {
        const bool single = run.total() == 1 && run.items().first().state != Item::State::NotSent;
        Q_EMIT failed(words.failure,
            Error::make(run.firstFailure().value_or(Error::Code::Cancelled),
                single ? run.items().first().message : why));
        return tr("Nothing was changed: %1.").arg(why);
    }
    const QString message = tr("%1 Not changed: %2.").arg(words.allDone(done), why);
    Q_EMIT partlyDone(message);
    return message;
}

void HostUsersActions::preview(BulkPreviewDialog *dialog, Words words, Start start)
{
    if (m_dialog && !m_dialog->isRunning())
        m_dialog->close();
    m_dialog = dialog;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &BulkPreviewDialog::confirmed, this, [this, dialog, words, start]() {
        QList<HostAdminService::UserTarget> users;
        for (const BulkVerdict &v : dialog->outcome().verdicts) {
            // Unchanged users need no request; refused ones are not sent.
            if (v.state == Verdict::Apply)
                users.append({v.userId, v.username});
        }
        if (users.isEmpty()) {
            dialog->accept();
            return;
        }
        HostAdminRun *run = start(dialog, users);
        m_runs.track(run);
        dialog->startRun(run->total());
        connect(run, &HostAdminRun::progress, dialog, &BulkPreviewDialog::setRunProgress);
        connect(run, &HostAdminRun::itemFinished, dialog, [dialog, run, words](int index) {
            const Item &item = run->items().at(index);
            const bool done = item.state == Item::State::Done;
            dialog->setRunResult(item.id, resultOf(item, words.doneResult), done ? QString() : item.message,
                item.state == Item::State::Failed || item.state == Item::State::Unknown);
        });
        connect(dialog, &BulkPreviewDialog::stopRequested, run, &HostAdminRun::cancel);
        QPointer<BulkPreviewDialog> guard(dialog);
        connect(run, &HostAdminRun::finished, this, [this, guard, run, words]() {
            const QString summary = report(*run, words);
            if (!guard)
                return;
            if (run->count(Item::State::Done) == run->total())
                guard->accept();
            else
                guard->finishRun(summary);
        });
    });
    dialog->open();
}

void HostUsersActions::edit(const UserRecord &user)
{
    // Edit mode asks no password: no policy needed.
    auto *dialog = new UserDialog(UserDialog::Mode::Edit, {}, m_parent);
    dialog->setObjectName(QStringLiteral("editUserDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setUser(user);
    dialog->disableGroups(HostAdminService::capabilities().reason(Feature::Groups));
    QPointer<UserDialog> guard(dialog);
    connect(dialog, &UserDialog::submitted, this, [this, guard, user]() {
        if (!guard)
            return;
        const UserChanges changes = guard->changes();
        auto check = m_mirror.predictUpdateUsers(m_actor, {user.id}, changes);
        if (!check) {
            guard->showError(check.error().message);
            return;
        }
        if (const BulkVerdict *v = check->verdictOf(user.id); v && v->state == Verdict::Refused && v->error) {
            guard->showError(v->error->message);
            return;
        }
        HostUserChanges host;
        if (changes.displayName) {
            // As the form says and the host's registration does: empty is the username.
            host.displayName
                = changes.displayName->trimmed().isEmpty() ? user.username : *changes.displayName;
        }
        host.role = changes.role;
        guard->setBusy(true, tr("Saving on the host\u2026"));
        HostAdminRun *run = m_service.updateUsers({{user.id, user.username}}, host);
        m_runs.track(run);
        connect(run, &HostAdminRun::finished, this, [this, guard, run, user]() {
            const Item &item = run->items().first();
            const bool ok = item.state == Item::State::Done;
            if (guard) {
                guard->setBusy(false);
                if (ok) {
                    Q_EMIT finished(item.message);
                    guard->accept();
                } else {
                    guard->showError(item.message);
                }
                return;
            }
            // The dialog was closed meanwhile: the page tells what became of the change.
            if (ok)
                Q_EMIT finished(item.message);
            else
                Q_EMIT failed(tr("Could not update %1").arg(quotedName(user.username)),
                    Error::make(item.code.value_or(Error::Code::Internal), item.message));
        });
    });
    dialog->open();
}

void HostUsersActions::setActive(const QList<qint64> &ids, bool active)
{
    UserChanges changes;
    changes.active = active;
    auto check = [this, ids, changes](
                     const QVariant &) { return m_mirror.predictUpdateUsers(m_actor, ids, changes); };
    const QString failure = ids.size() == 1
        ? (active ? tr("Could not activate the user") : tr("Could not suspend the user"))
        : (active ? tr("Could not activate the users") : tr("Could not suspend the users"));
    const auto first = check({});
    if (refusedAtOnce(first, failure, active ? tr("Could not activate %1") : tr("Could not suspend %1")))
        return;
    const bool single = first->verdicts.size() == 1;
    const QString name = single ? quotedName(first->verdicts.front().username) : QString();

    BulkPreviewDialog::Spec spec = UserBulkSpecs::setActive(active, single, check);
    if (single) {
        spec.question = active
            ? tr("Activate %1 on the host? They can sign in again.").arg(name)
            : tr("Suspend %1 on the host? They can no longer sign in, and the host treats their sessions and "
                 "API tokens as anonymous; the account and its data stay.")
                  .arg(name);
    } else {
        spec.question = active
            ? tr("Activate the %L1 selected users on the host? They can sign in again.").arg(ids.size())
            : tr(
                "Suspend the %L1 selected users on the host? They can no longer sign in, and the host treats "
                "their sessions and API tokens as anonymous; the accounts and their data stay.")
                  .arg(ids.size());
    }
    spec.summary = [active](const BulkOutcome &o, const QVariant &, bool) -> QString {
        return hostSummary(o, UserBulkSpecs::willSetActive(active), UserBulkSpecs::alreadyActive(active));
    };
    auto *dialog = new BulkPreviewDialog(spec, m_parent);
    dialog->setObjectName(
        active ? QStringLiteral("activateUsersDialog") : QStringLiteral("suspendUsersDialog"));
    Words words;
    words.doneResult = active ? tr("Activated") : tr("Suspended");
    words.allDone = [active](int n) {
        return active ? tr("Activated %1.").arg(usersCount(n)) : tr("Suspended %1.").arg(usersCount(n));
    };
    words.failure = failure;
    HostUserChanges host;
    host.active = active;
    preview(
        dialog, words, [this, host](BulkPreviewDialog *, const QList<HostAdminService::UserTarget> &users) {
            return m_service.updateUsers(users, host);
        });
}

void HostUsersActions::changeRole(const QList<qint64> &ids)
{
    auto check = [this, ids](const QVariant &role) {
        UserChanges changes;
        changes.role = role.toString();
        return m_mirror.predictUpdateUsers(m_actor, ids, changes);
    };
    const BulkPreviewDialog::Spec spec = UserBulkSpecs::changeRole(ids.size() == 1
            ? tr("Change the role of the selected user on the host.")
            : tr("Change the role of %1 on the host.").arg(usersCount(int(ids.size()))),
        check, hostSummary,
        tr("Granting the administrator role: these accounts will be able to manage every user (you "
           "included), invitation and task of this cluster."));
    auto *dialog = new BulkPreviewDialog(spec, m_parent);
    dialog->setObjectName(QStringLiteral("changeRoleDialog"));
    Words words;
    words.doneResult = tr("Role changed");
    words.allDone = [](int n) { return tr("Role changed for %1.").arg(usersCount(n)); };
    words.failure = tr("Could not change the role");
    preview(dialog, words, [this](BulkPreviewDialog *d, const QList<HostAdminService::UserTarget> &users) {
        HostUserChanges host;
        host.role = d->choice().toString();
        return m_service.updateUsers(users, host);
    });
}

void HostUsersActions::remove(const QList<qint64> &ids)
{
    BulkPreviewDialog::Spec spec
        = UserBulkSpecs::remove(tr("Delete %1 on the host?").arg(usersCount(int(ids.size()))),
            [this, ids](const QVariant &) { return m_mirror.predictDeleteUsers(m_actor, ids); });
    spec.describe = [](const BulkVerdict &, const QVariant &) -> QString { return tr("Will be deleted"); };
    spec.summary = [](const BulkOutcome &o, const QVariant &, bool) -> QString {
        return hostSummary(o, tr("Will be deleted"), tr("Unchanged")) + QLatin1Char(' ')
            + tr("The host removes each account: they can no longer sign in, and their sessions and API "
                 "tokens stop working. Their tasks stay. This cannot be undone.");
    };
    auto *dialog = new BulkPreviewDialog(spec, m_parent);
    dialog->setObjectName(QStringLiteral("deleteUsersDialog"));
    Words words;
    words.doneResult = tr("Deleted");
    words.allDone = [](int n) { return tr("Deleted %1.").arg(usersCount(n)); };
    words.failure = tr("Could not delete the users");
    preview(dialog, words, [this](BulkPreviewDialog *, const QList<HostAdminService::UserTarget> &users) {
        return m_service.deleteUsers(users);
    });
}

void HostUsersActions::removeOne(const UserRecord &user)
{
    const QString name = quotedName(user.username);
    if (refusedAtOnce(m_mirror.predictDeleteUsers(m_actor, {user.id}), tr("Could not delete %1").arg(name),
            tr("Could not delete %1")))
        return;
    MessageBox::Options box;
    box.title = tr("Delete User");
    box.text = user.displayName.isEmpty() || user.displayName == user.username
        ? tr("Delete the user %1 on the host?").arg(name)
        : tr("Delete the user %1 (%2) on the host?").arg(name, user.displayName);
    box.informativeText = tr("The host removes the account: they can no longer sign in, and their sessions "
                             "and API tokens stop working. Their tasks stay.")
        + QLatin1String("\n\n") + tr("This cannot be undone.");
    box.accept = MessageBox::Button::Delete;
    box.destructive = true;
    if (MessageBox::ask(m_parent, box) != MessageBox::Button::Delete)
        return;
    HostAdminRun *run = m_service.deleteUsers({{user.id, user.username}});
    m_runs.track(run);
    Words words;
    words.doneResult = tr("Deleted");
    words.allDone = [](int n) { return tr("Deleted %1.").arg(usersCount(n)); };
    words.failure = tr("Could not delete %1").arg(name);
    connect(run, &HostAdminRun::finished, this, [this, run, words]() { report(*run, words); });
}

} // namespace rk
