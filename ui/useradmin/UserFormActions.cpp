#include "UserFormActions.h"

#include "store/PlatformStore.h"

#include <QFutureWatcher>
#include <QWidget>
#include <QtConcurrent/QtConcurrentRun>

namespace rk {

namespace {

QString quoted(const QString &name)
{
    return QStringLiteral("\u201c%1\u201d").arg(name);
}

} // namespace

UserFormActions::UserFormActions(PlatformStore &store, const Actor &actor, QWidget *page)
    : QObject(page), m_store(store), m_actor(actor), m_page(page)
{
}

UserDialog *UserFormActions::openDialog(UserDialog::Mode mode, const QString &objectName)
{
    auto *dialog = new UserDialog(
        mode, [this](const QString &pw) { return m_store.checkPasswordPolicy(pw); }, m_page);
    dialog->setObjectName(objectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    return dialog;
}

bool UserFormActions::offerGroups(UserDialog *dialog, qint64 userId)
{
    auto groups = m_store.listGroups(m_actor);
    if (!groups) {
        Q_EMIT failed(tr("Could not read the groups"), groups.error());
        return false;
    }
    QList<qint64> current;
    if (userId >= 0) {
        auto mine = m_store.groupIdsOf(m_actor, userId);
        if (!mine) {
            Q_EMIT failed(tr("Could not read the user's groups"), mine.error());
            return false;
        }
        current = mine.value();
    }
    dialog->setGroups(groups.value(), current);
    return true;
}

void UserFormActions::hashThen(UserDialog *dialog, std::function<QString(const PasswordHash &)> apply)
{
    dialog->setBusy(true, tr("Hashing the password\u2026"));
    // Parented to the dialog: closing it drops the result, and nothing is written.
    auto *watcher = new QFutureWatcher<Result<PasswordHash>>(dialog);
    connect(watcher, &QFutureWatcherBase::finished, dialog, [dialog, watcher, apply = std::move(apply)]() {
        const Result<PasswordHash> hash = watcher->result();
        watcher->deleteLater();
        dialog->setBusy(false);
        if (!hash) {
            dialog->showError(hash.error().message);
            return;
        }
        const QString problem = apply(hash.value());
        if (problem.isEmpty())
            dialog->accept();
        else
            dialog->showError(problem);
    });
    const QString password = dialog->password();
    watcher->setFuture(QtConcurrent::run([password]() { return Passwords::hash(password); }));
}

void UserFormActions::create()
{
    UserDialog *dialog = openDialog(UserDialog::Mode::Create, QStringLiteral("createUserDialog"));
    if (!offerGroups(dialog, -1)) {
        dialog->deleteLater();
        return;
    }
    connect(dialog, &UserDialog::submitted, this, [this, dialog]() {
        hashThen(dialog, [this, dialog](const PasswordHash &hash) -> QString {
            const NewUser nu = dialog->newUser();
            auto id = m_store.createUserInGroups(m_actor, nu, hash, dialog->groupIds());
            if (!id)
                return id.error().message;
            Q_EMIT created(id.value());
            Q_EMIT done(tr("User %1 created.").arg(quoted(nu.username)));
            return {};
        });
    });
    dialog->open();
}

void UserFormActions::edit(const UserRecord &user)
{
    UserDialog *dialog = openDialog(UserDialog::Mode::Edit, QStringLiteral("editUserDialog"));
    dialog->setUser(user);
    if (!offerGroups(dialog, user.id)) {
        dialog->deleteLater();
        return;
    }
    connect(dialog, &UserDialog::submitted, this, [this, dialog]() {
        const Status st = m_store.editUser(m_actor, dialog->userId(), dialog->edit());
        if (!st) {
            dialog->showError(st.error().message);
            return;
        }
        Q_EMIT done(tr("User %1 updated.").arg(quoted(dialog->originalUser().username)));
        dialog->accept();
    });
    dialog->open();
}

void UserFormActions::resetPassword(const UserRecord &user)
{
    UserDialog *dialog = openDialog(UserDialog::Mode::ResetPassword, QStringLiteral("resetPasswordDialog"));
    dialog->setUser(user);
    connect(dialog, &UserDialog::submitted, this, [this, dialog]() {
        hashThen(dialog, [this, dialog](const PasswordHash &hash) -> QString {
            const Status st = m_store.resetPassword(m_actor, dialog->userId(), hash);
            if (!st)
                return st.error().message;
            Q_EMIT done(tr("Password of %1 reset.").arg(quoted(dialog->originalUser().username)));
            return {};
        });
    });
    dialog->open();
}

} // namespace rk
