#include "FirstAdminForm.h"

#include "ui_FirstAdminForm.h"

namespace rk {

FirstAdminForm::FirstAdminForm(QWidget *parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::FirstAdminForm>())
{
    m_ui->setupUi(this);
    m_ui->adminPasswordHint->hide();
    m_ui->adminUsernameEdit->setText(QStringLiteral("admin"));

    PasswordFieldsController::Widgets widgets;
    widgets.password = m_ui->adminPasswordEdit;
    widgets.confirm = m_ui->adminConfirmEdit;
    widgets.generate = m_ui->adminGenerateButton;
    widgets.show = m_ui->adminShowPasswordCheck;
    widgets.meter = m_ui->adminStrengthMeter;
    widgets.hint = m_ui->adminPasswordHint;
    // The policy is called through m_policy so that setPasswordPolicy() can come later.
    m_passwords = new PasswordFieldsController(
        widgets, [this](const QString &pw) -> Status { return m_policy ? m_policy(pw) : Status {}; }, this);
    m_passwords->setUsername(m_ui->adminUsernameEdit->text());

    connect(m_ui->adminUsernameEdit, &QLineEdit::textChanged, this, [this](const QString &name) {
        m_passwords->setUsername(name);
        Q_EMIT changed();
    });
    connect(m_passwords, &PasswordFieldsController::changed, this, &FirstAdminForm::changed);
    setSampleDataOffered(false);
}

FirstAdminForm::~FirstAdminForm() = default;

void FirstAdminForm::setPasswordPolicy(PasswordFieldsController::Policy policy)
{
    m_policy = std::move(policy);
}

void FirstAdminForm::setSampleDataOffered(bool offered, const QString &samplePassword)
{
    m_ui->contentGroup->setVisible(offered);
    if (!offered)
        m_ui->startEmptyRadio->setChecked(true);
    m_ui->sampleDataHint->setText(
        tr("About forty users of every role (a few suspended), groups with members, sessions, API "
           "tokens, invitations, four runner nodes and tasks waiting for approval. Every sample user "
           "signs in with the password \u201c%1\u201d.")
            .arg(samplePassword));
}

void FirstAdminForm::setUsername(const QString &username)
{
    if (!username.isEmpty())
        m_ui->adminUsernameEdit->setText(username);
}

QString FirstAdminForm::username() const
{
    return m_ui->adminUsernameEdit->text().trimmed();
}

QString FirstAdminForm::displayName() const
{
    return m_ui->adminDisplayNameEdit->text().trimmed();
}

QString FirstAdminForm::password() const
{
    return m_passwords->password();
}

bool FirstAdminForm::sampleDataChosen() const
{
    return !m_ui->contentGroup->isHidden() && m_ui->sampleDataRadio->isChecked();
}

QString FirstAdminForm::problem() const
{
    if (username().isEmpty())
        return tr("Enter a username for the administrator.");
    return m_passwords->problem();
}

void FirstAdminForm::clearPasswords()
{
    m_passwords->clear();
}

void FirstAdminForm::focusFirstField()
{
    m_ui->adminUsernameEdit->setFocus();
    m_ui->adminUsernameEdit->selectAll();
}

} // namespace rk
