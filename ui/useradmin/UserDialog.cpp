#include "UserDialog.h"

#include "IconFactory.h"
#include "core/Role.h"
#include "ui_UserDialog.h"

#include <QPushButton>

#include <algorithm>

namespace rk {

namespace {

QString roleSummary(const QString &role)
{
    switch (roles::fromString(role)) {
    case Role::Viewer: return UserDialog::tr("Can view nodes and tasks.");
    case Role::User: return UserDialog::tr("Can view nodes and submit tasks; their tasks wait for approval.");
    case Role::Operator:
        return UserDialog::tr("Can also approve tasks, manage VPS, view users and invite viewers.");
    case Role::Admin:
        return UserDialog::tr("Can manage every user, API token, group, invitation and setting.");
    case Role::Anony: break;
    }
    return UserDialog::tr("Not a role the host knows: this account can do nothing until it gets one.");
}

} // namespace

UserDialog::UserDialog(Mode mode, PasswordFieldsController::Policy policy, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::UserDialog>()), m_mode(mode)
{
    m_ui->setupUi(this);
    setWindowIcon(icons::appIcon());
    m_ui->busyRow->hide();
    m_ui->passwordHint->hide();
    m_ui->adminWarning->setClosable(false);
    QPalette muted = m_ui->roleDescription->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_ui->roleDescription->setPalette(muted);
    m_ui->busyLabel->setPalette(muted);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("submitButton"));
    m_ui->buttonBox->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    for (const QString &role : roles::assignable())
        m_ui->roleCombo->addItem(roles::displayName(roles::fromString(role)), role);
    m_ui->roleCombo->setCurrentIndex(m_ui->roleCombo->findData(QStringLiteral("user")));

    const bool wantsPassword = mode != Mode::Edit;
    if (wantsPassword) {
        PasswordFieldsController::Widgets widgets;
        widgets.password = m_ui->passwordEdit;
        widgets.confirm = m_ui->confirmEdit;
        widgets.generate = m_ui->generateButton;
        widgets.show = m_ui->showPasswordCheck;
        widgets.meter = m_ui->strengthMeter;
        widgets.hint = m_ui->passwordHint;
        m_passwords = new PasswordFieldsController(widgets, std::move(policy), this);
        connect(
            m_ui->usernameEdit, &QLineEdit::textChanged, m_passwords, &PasswordFieldsController::setUsername);
    }
    m_ui->form->setRowVisible(m_ui->passwordRow, wantsPassword);
    for (QWidget *field : {static_cast<QWidget *>(m_ui->confirmEdit),
             static_cast<QWidget *>(m_ui->strengthRow), static_cast<QWidget *>(m_ui->passwordHint)})
        m_ui->form->setRowVisible(field, wantsPassword);
    if (mode == Mode::ResetPassword) {
        for (QWidget *field :
            {static_cast<QWidget *>(m_ui->displayNameEdit), static_cast<QWidget *>(m_ui->roleCombo),
                static_cast<QWidget *>(m_ui->roleDescription), static_cast<QWidget *>(m_ui->groupsPicker)})
            m_ui->form->setRowVisible(field, false);
    }
    m_ui->groupsPicker->setSearchPlaceholder(tr("Search groups"));
    m_ui->groupsPicker->setEmptyText(tr("This platform has no groups yet."));
    m_ui->groupsPicker->setSummaryFormat(tr("Member of %1 of %2 groups"));
    m_ui->groupsPicker->setMaximumHeight(m_ui->groupsPicker->fontMetrics().height() * 12);
    m_ui->usernameEdit->setReadOnly(mode != Mode::Create);

    QPushButton *ok = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    switch (mode) {
    case Mode::Create:
        setWindowTitle(tr("New User"));
        ok->setText(tr("&Create User"));
        break;
    case Mode::Edit:
        setWindowTitle(tr("Edit User"));
        ok->setText(tr("&Save"));
        break;
    case Mode::ResetPassword:
        setWindowTitle(tr("Reset Password"));
        ok->setText(tr("&Set Password"));
        break;
    }

    connect(m_ui->roleCombo, &QComboBox::currentIndexChanged, this, &UserDialog::updateRoleHints);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &UserDialog::onSubmit);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &UserDialog::reject);
    updateRoleHints();
    if (mode == Mode::Create)
        m_ui->usernameEdit->setFocus();
    else if (mode == Mode::Edit)
        m_ui->displayNameEdit->setFocus();
    else
        m_ui->passwordEdit->setFocus();
}

UserDialog::~UserDialog() = default;

void UserDialog::setUser(const UserRecord &user)
{
    m_user = user;
    m_ui->usernameEdit->setText(user.username);
    m_ui->displayNameEdit->setText(user.displayName);
    int index = m_ui->roleCombo->findData(user.role);
    if (index < 0) {
        // A role the host knows but the UI does not offer (anony), or free text: keep it
        // selectable, so saving other fields does not change it by accident.
        m_ui->roleCombo->addItem(tr("%1 (not assignable)").arg(user.role), user.role);
        index = m_ui->roleCombo->count() - 1;
    }
    m_ui->roleCombo->setCurrentIndex(index);
    if (m_mode == Mode::Edit)
        setWindowTitle(tr("Edit User \u201c%1\u201d").arg(user.username));
    else if (m_mode == Mode::ResetPassword)
        setWindowTitle(tr("Reset Password of \u201c%1\u201d").arg(user.username));
    updateRoleHints();
}

QString UserDialog::username() const
{
    return m_ui->usernameEdit->text().trimmed();
}

QString UserDialog::displayName() const
{
    return m_ui->displayNameEdit->text().trimmed();
}

QString UserDialog::role() const
{
    return m_ui->roleCombo->currentData().toString();
}

QString UserDialog::password() const
{
    return m_passwords ? m_passwords->password() : QString();
}

NewUser UserDialog::newUser() const
{
    NewUser nu;
    nu.username = username();
    nu.displayName = displayName();
    nu.role = role();
    nu.active = true;
    return nu;
}

UserChanges UserDialog::changes() const
{
    UserChanges changes;
    if (displayName() != m_user.displayName.trimmed())
        changes.displayName = displayName();
    if (role() != m_user.role)
        changes.role = role();
    return changes;
}

void UserDialog::setGroups(const std::vector<GroupRecord> &groups, const QList<qint64> &checked)
{
    QList<CheckListPicker::Entry> entries;
    for (const GroupRecord &group : groups) {
        entries << CheckListPicker::Entry {group.id, group.name,
            tr("%1 (members: %L2, tier %3)").arg(group.name).arg(group.memberCount).arg(group.tier)};
    }
    m_originalGroups = checked;
    std::sort(m_originalGroups.begin(), m_originalGroups.end());
    m_ui->groupsPicker->setEntries(entries, checked);
}

void UserDialog::disableGroups(const QString &why)
{
    m_originalGroups.clear();
    m_ui->groupsPicker->setEntries({}, {});
    m_ui->groupsPicker->setEmptyText(why);
    m_ui->groupsPicker->setToolTip(why);
    m_ui->groupsPicker->setEnabled(false);
    m_groupsDisabled = true;
}

QList<qint64> UserDialog::groupIds() const
{
    return m_ui->groupsPicker->checkedIds();
}

bool UserDialog::groupsChanged() const
{
    return groupIds() != m_originalGroups;
}

UserEdit UserDialog::edit() const
{
    UserEdit e;
    e.changes = changes();
    if (groupsChanged())
        e.groupIds = groupIds();
    return e;
}

QString UserDialog::problem() const
{
    if (m_mode == Mode::Create && username().isEmpty())
        return tr("Enter a username.");
    if (m_passwords)
        return m_passwords->problem();
    return {};
}

void UserDialog::setBusy(bool busy, const QString &what)
{
    m_busy = busy;
    m_ui->busyRow->setVisible(busy);
    m_ui->busyLabel->setText(what);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    for (QWidget *w :
        {static_cast<QWidget *>(m_ui->usernameEdit), static_cast<QWidget *>(m_ui->displayNameEdit),
            static_cast<QWidget *>(m_ui->roleCombo), static_cast<QWidget *>(m_ui->groupsPicker),
            static_cast<QWidget *>(m_ui->passwordEdit), static_cast<QWidget *>(m_ui->confirmEdit),
            static_cast<QWidget *>(m_ui->generateButton), static_cast<QWidget *>(m_ui->showPasswordCheck)})
        w->setEnabled(!busy);
    if (m_groupsDisabled)
        m_ui->groupsPicker->setEnabled(false);
    if (busy)
        m_ui->errorBanner->clear();
    setCursor(busy ? Qt::BusyCursor : Qt::ArrowCursor);
    adjustSize();
}

void UserDialog::showError(const QString &message)
{
    m_ui->errorBanner->showError(message);
    adjustSize();
}

void UserDialog::onSubmit()
{
    if (m_busy)
        return;
    m_ui->errorBanner->clear();
    const QString why = problem();
    if (!why.isEmpty()) {
        showError(why);
        return;
    }
    if (m_mode == Mode::Edit && !changes().displayName && !changes().role && !groupsChanged()) {
        accept(); // nothing changed: nothing to write
        return;
    }
    Q_EMIT submitted();
}

void UserDialog::updateRoleHints()
{
    m_ui->roleDescription->setText(roleSummary(role()));
    const bool grantsAdmin = m_mode != Mode::ResetPassword && role() == QLatin1String("admin")
        && m_user.role != QLatin1String("admin");
    if (grantsAdmin) {
        m_ui->adminWarning->showMessage(InlineBanner::Kind::Warning,
            m_mode == Mode::Create
                ? tr("This account will be an administrator: it can manage every user (you included), "
                     "API token, group, invitation and setting of this platform.")
                : tr("Granting the administrator role: %1 will be able to manage every user (you included), "
                     "API token, group, invitation and setting of this platform.")
                      .arg(m_user.username));
    } else {
        m_ui->adminWarning->clear();
    }
    adjustSize();
}

} // namespace rk
