#include "UsersBulkActions.h"

#include "BulkPreviewDialog.h"
#include "UserBulkSpecs.h"
#include "useradmin/UsersTableDelegate.h"
#include "widgets/MessageBox.h"

#include <QWidget>

namespace rk {

namespace {

using State = BulkVerdict::State;

QString quoted(const QString &name)
{
    return QStringLiteral("\u201c%1\u201d").arg(name);
}

// "3 users" / "1 user": two strings rather than plural forms, as elsewhere in the app.
QString usersCount(int n)
{
    return n == 1 ? UsersBulkActions::tr("1 user") : UsersBulkActions::tr("%L1 users").arg(n);
}

// The users to run the change on: those the preview did not refuse.
QList<qint64> allowedIds(const BulkOutcome &outcome)
{
    QList<qint64> ids = outcome.idsIn(State::Apply);
    ids << outcome.idsIn(State::Unchanged);
    return ids;
}

QString nameOf(const BulkOutcome &outcome)
{
    return outcome.verdicts.size() == 1 ? quoted(outcome.verdicts.front().username) : QString();
}

} // namespace

UsersBulkActions::UsersBulkActions(PlatformStore &store, const Actor &actor, QWidget *dialogParent)
    : QObject(dialogParent), m_store(store), m_actor(actor), m_parent(dialogParent)
{
}

QString UsersBulkActions::refusalList(const BulkOutcome &outcome) const
{
    QStringList names;
    for (const BulkVerdict &v : outcome.verdicts) {
        if (v.state != State::Refused)
            continue;
        if (names.size() == 5) {
            names << tr("and %L1 more").arg(outcome.count(State::Refused) - 5);
            break;
        }
        const QString who = v.username.isEmpty() ? tr("user %1").arg(v.userId) : quoted(v.username);
        names << tr("%1 (%2)").arg(who, v.error ? v.error->message : QString());
    }
    return names.join(QStringLiteral("; "));
}

void UsersBulkActions::run(BulkPreviewDialog *dialog, const QString &failure, Apply apply, Done done)
{
    if (m_dialog)
        m_dialog->close();
    m_dialog = dialog;
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &BulkPreviewDialog::confirmed, this, [this, dialog, failure, apply, done]() {
        const QList<qint64> ids = allowedIds(dialog->outcome());
        auto outcome = apply(dialog, ids);
        if (!outcome) {
            dialog->reject();
            Q_EMIT failed(failure, outcome.error());
            return;
        }
        dialog->accept();
        Q_EMIT finished(done(outcome.value()));
        if (outcome->count(State::Refused) > 0) {
            Q_EMIT partlyRefused(tr("Some users changed since the preview and were left alone: %1.")
                                     .arg(refusalList(outcome.value())));
        }
    });
    dialog->open();
}

void UsersBulkActions::setActive(const QList<qint64> &ids, bool active)
{
    UserChanges changes;
    changes.active = active;
    auto check = [this, ids, changes](const QVariant &) {
        return m_store.checkUpdateUsers(m_actor, ids, changes, BulkOptions {true});
    };
    auto first = check({});
    const QString failure = ids.size() == 1
        ? (active ? tr("Could not activate the user") : tr("Could not suspend the user"))
        : (active ? tr("Could not activate the users") : tr("Could not suspend the users"));
    if (!first) {
        Q_EMIT failed(failure, first.error());
        return;
    }
    if (first->verdicts.size() == 1 && first->count(State::Refused) == 1) {
        const BulkVerdict &v = first->verdicts.front();
        const QString name = quoted(v.username.isEmpty() ? QString::number(v.userId) : v.username);
        Q_EMIT failed(
            active ? tr("Could not activate %1").arg(name) : tr("Could not suspend %1").arg(name), *v.error);
        return;
    }
    const QString single = nameOf(first.value());

    BulkPreviewDialog::Spec spec = UserBulkSpecs::setActive(active, !single.isEmpty(), check);
    if (!single.isEmpty()) {
        spec.question = active
            ? tr("Activate %1? They can sign in again.").arg(single)
            : tr("Suspend %1? They can no longer sign in; the account and its data stay.").arg(single);
    } else {
        spec.question = active
            ? tr("Activate the %L1 selected users? They can sign in again.").arg(ids.size())
            : tr("Suspend the %L1 selected users? They can no longer sign in; the accounts and their data "
                 "stay.")
                  .arg(ids.size());
    }
    spec.endSessionsText = active
        ? tr("Also end their old sessions (%1 on record), so they sign in afresh")
        : tr("Also end their sessions (%1 on record), signing them out everywhere now");
    spec.summary = [active, single](const BulkOutcome &o, const QVariant &, bool endSessions) -> QString {
        QString text = single.isEmpty() ? UserBulkSpecs::counts(
                           o, UserBulkSpecs::willSetActive(active), UserBulkSpecs::alreadyActive(active))
                                        : QString();
        if (endSessions && o.sessionsEnded > 0)
            text += (text.isEmpty() ? QString() : QStringLiteral(" "))
                + tr("Sessions ended: %L1.").arg(o.sessionsEnded);
        return text;
    };
    auto *dialog = new BulkPreviewDialog(spec, m_parent);
    dialog->setObjectName(
        active ? QStringLiteral("activateUsersDialog") : QStringLiteral("suspendUsersDialog"));
    run(
        dialog, failure,
        [this, changes](BulkPreviewDialog *d, const QList<qint64> &allowed) {
            return m_store.updateUsers(m_actor, allowed, changes, BulkOptions {d->endSessions()});
        },
        [active](const BulkOutcome &o) -> QString {
            const int n = o.count(State::Apply);
            QString text
                = active ? tr("Activated %1.").arg(usersCount(n)) : tr("Suspended %1.").arg(usersCount(n));
            if (o.sessionsEnded > 0)
                text += QLatin1Char(' ') + tr("Sessions ended: %L1.").arg(o.sessionsEnded);
            return text;
        });
}

void UsersBulkActions::changeRole(const QList<qint64> &ids)
{
    auto check = [this, ids](const QVariant &role) {
        UserChanges changes;
        changes.role = role.toString();
        return m_store.checkUpdateUsers(m_actor, ids, changes);
    };
    const BulkPreviewDialog::Spec spec = UserBulkSpecs::changeRole(ids.size() == 1
            ? tr("Change the role of the selected user.")
            : tr("Change the role of %1.").arg(usersCount(int(ids.size()))),
        check, &UserBulkSpecs::counts,
        tr("Granting the administrator role: these accounts will be able to manage every user (you "
           "included), API token, group, invitation and setting of this platform."));
    auto *dialog = new BulkPreviewDialog(spec, m_parent);
    dialog->setObjectName(QStringLiteral("changeRoleDialog"));
    run(
        dialog, tr("Could not change the role"),
        [this](BulkPreviewDialog *d, const QList<qint64> &allowed) {
            UserChanges changes;
            changes.role = d->choice().toString();
            return m_store.updateUsers(m_actor, allowed, changes);
        },
        [](const BulkOutcome &o) -> QString {
            return tr("Role changed for %1.").arg(usersCount(o.count(State::Apply)));
        });
}

void UsersBulkActions::addToGroup(const QList<qint64> &ids)
{
    auto groups = m_store.listGroups(m_actor);
    if (!groups) {
        Q_EMIT failed(tr("Could not add to a group"), groups.error());
        return;
    }
    if (groups->empty()) {
        Q_EMIT failed(tr("Could not add to a group"),
            Error::make(Error::Code::NotFound, tr("This platform has no groups yet. Create one first.")));
        return;
    }
    BulkPreviewDialog::Spec spec;
    spec.title = tr("Add to Group");
    spec.question = ids.size() == 1 ? tr("Add the selected user to a group.")
                                    : tr("Add %1 to a group.").arg(usersCount(int(ids.size())));
    spec.parameterLabel = tr("&Group:");
    for (const GroupRecord &g : groups.value())
        spec.choices.append({tr("%1 (members: %L2)").arg(g.name).arg(g.memberCount), g.id});
    spec.check = [this, ids](const QVariant &group) {
        return m_store.checkAddUsersToGroup(m_actor, group.toLongLong(), ids);
    };
    spec.describe = [](const BulkVerdict &v, const QVariant &) -> QString {
        return v.state == State::Unchanged ? tr("Already a member") : tr("Will be added");
    };
    spec.summary = [](const BulkOutcome &o, const QVariant &, bool) -> QString {
        return UserBulkSpecs::counts(o, tr("Will be added"), tr("Already members"));
    };
    spec.applyText
        = [](int n, const QVariant &) { return n <= 1 ? tr("&Add to Group") : tr("&Add %L1 Users").arg(n); };
    auto *dialog = new BulkPreviewDialog(spec, m_parent);
    dialog->setObjectName(QStringLiteral("addToGroupDialog"));
    run(
        dialog, tr("Could not add to the group"),
        [this](BulkPreviewDialog *d, const QList<qint64> &allowed) {
            return m_store.addUsersToGroup(m_actor, d->choice().toLongLong(), allowed);
        },
        [](const BulkOutcome &o) -> QString {
            return tr("Added %1 to the group.").arg(usersCount(o.count(State::Apply)));
        });
}

void UsersBulkActions::remove(const QList<qint64> &ids)
{
    BulkPreviewDialog::Spec spec = UserBulkSpecs::remove(
        tr("Delete %1 with their sessions, API tokens, group memberships and VPS assignments?")
            .arg(usersCount(int(ids.size()))),
        [this, ids](const QVariant &) { return m_store.checkDeleteUsers(m_actor, ids); });
    spec.describe = [](const BulkVerdict &v, const QVariant &) -> QString {
        return tr("Will be deleted (sessions: %L1, tokens: %L2)").arg(v.impact.sessions).arg(v.impact.tokens);
    };
    spec.summary = [](const BulkOutcome &o, const QVariant &, bool) -> QString {
        const DeletionImpact &i = o.impact;
        QString text = UserBulkSpecs::counts(o, tr("Will be deleted"), tr("Unchanged"));
        text += QLatin1Char(' ')
            + tr("Also removed: sessions (%L1), API tokens (%L2), group memberships (%L3), VPS assignments "
                 "(%L4). "
                 "Kept: their tasks (%L5).")
                  .arg(i.sessions)
                  .arg(i.tokens)
                  .arg(i.groupMemberships)
                  .arg(i.vpsAssignments)
                  .arg(i.tasksKept);
        if (i.invitationsCreated > 0)
            text += QLatin1Char(' ')
                + tr("Invitations they created (%L1) stay valid, without a creator.")
                      .arg(i.invitationsCreated);
        return text + QLatin1Char(' ') + tr("This cannot be undone.");
    };
    auto *dialog = new BulkPreviewDialog(spec, m_parent);
    dialog->setObjectName(QStringLiteral("deleteUsersDialog"));
    run(
        dialog, tr("Could not delete the users"),
        [this](BulkPreviewDialog *, const QList<qint64> &allowed) {
            return m_store.deleteUsers(m_actor, allowed);
        },
        [](const BulkOutcome &o) -> QString {
            return tr("Deleted %1 (sessions removed: %L2, API tokens removed: %L3).")
                .arg(usersCount(o.count(State::Apply)))
                .arg(o.impact.sessions)
                .arg(o.impact.tokens);
        });
}

void UsersBulkActions::removeOne(const UserRecord &user)
{
    const QString name = quoted(user.username);
    auto impact = m_store.deletionImpact(m_actor, user.id);
    if (!impact) {
        Q_EMIT failed(tr("Could not delete %1").arg(name), impact.error());
        return;
    }
    const DeletionImpact &i = impact.value();
    QString details = tr("Deleting this account also removes:") + QLatin1Char('\n');
    details += tr("    Sessions: %L1").arg(i.sessions) + QLatin1Char('\n');
    details += tr("    API tokens: %L1").arg(i.tokens) + QLatin1Char('\n');
    details += tr("    Group memberships: %L1").arg(i.groupMemberships) + QLatin1Char('\n');
    details += tr("    VPS assignments: %L1").arg(i.vpsAssignments) + QLatin1Char('\n');
    details += tr("Kept: their tasks (%L1).").arg(i.tasksKept);
    if (i.invitationsCreated > 0)
        details += QLatin1Char(' ')
            + tr("Invitations they created (%L1) stay valid, without a creator.").arg(i.invitationsCreated);
    details += QLatin1String("\n\n") + tr("This cannot be undone.");

    MessageBox::Options box;
    box.title = tr("Delete User");
    box.text = user.displayName.isEmpty() || user.displayName == user.username
        ? tr("Delete the user %1?").arg(name)
        : tr("Delete the user %1 (%2)?").arg(name, user.displayName);
    box.informativeText = details;
    box.accept = MessageBox::Button::Delete;
    box.destructive = true;
    if (MessageBox::ask(m_parent, box) != MessageBox::Button::Delete)
        return;

    auto done = m_store.deleteUser(m_actor, user.id);
    if (!done) {
        Q_EMIT failed(tr("Could not delete %1").arg(name), done.error());
        return;
    }
    Q_EMIT finished(tr("User %1 deleted (sessions removed: %L2, API tokens removed: %L3).")
                        .arg(name)
                        .arg(done->sessions)
                        .arg(done->tokens));
}

} // namespace rk
