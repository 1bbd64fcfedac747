#pragma once

#include "widgets/PasswordFieldsController.h"

#include <QWidget>

#include <memory>

namespace Ui {
class FirstAdminForm;
}

namespace rk {

// The first-admin setup of a platform database with no active administrator: username, display
// name, a new password (policy, strength, confirmation) and, for a new store, whether to fill it
// with sample data. Only a form: SignInDialog hashes, creates and fills.
class FirstAdminForm : public QWidget
{
    Q_OBJECT

public:
    explicit FirstAdminForm(QWidget *parent = nullptr);
    ~FirstAdminForm() override;

    // The store's password policy (PlatformStore::checkPasswordPolicy).
    void setPasswordPolicy(PasswordFieldsController::Policy policy);
    // Offered only for a store without any users; `samplePassword` is what every sample user
    // signs in with.
    void setSampleDataOffered(bool offered, const QString &samplePassword = {});
    void setUsername(const QString &username);

    QString username() const;
    QString displayName() const;
    QString password() const;
    bool sampleDataChosen() const;
    // The first problem with the form, in a sentence; empty when it can be submitted.
    QString problem() const;
    // Forgets the passwords (after use or when leaving the page).
    void clearPasswords();
    void focusFirstField();

Q_SIGNALS:
    void changed();

private:
    std::unique_ptr<Ui::FirstAdminForm> m_ui;
    PasswordFieldsController *m_passwords = nullptr;
    PasswordFieldsController::Policy m_policy;
};

} // namespace rk
