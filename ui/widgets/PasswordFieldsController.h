#pragma once

#include "core/Result.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QAbstractButton;
class QCheckBox;
class QLabel;
class QLineEdit;

namespace rk {

class PasswordStrengthMeter;

// The behaviour shared by every "new password" form (first admin, create user, reset password):
// strength hint as you type, the store's policy checked live, the confirmation compared, a
// "Generate" button that fills both fields with a random password and shows it. The widgets
// stay in the form's own layout (.ui), so labels line up; this class only wires them.
class PasswordFieldsController : public QObject
{
    Q_OBJECT

public:
    struct Widgets
    {
        QLineEdit *password = nullptr;
        QLineEdit *confirm = nullptr;
        QAbstractButton *generate = nullptr; // optional
        QCheckBox *show = nullptr; // optional: shows both fields in clear
        PasswordStrengthMeter *meter = nullptr;
        QLabel *hint = nullptr; // the policy or mismatch problem, if any
    };
    using Policy = std::function<Status(const QString &password)>;

    PasswordFieldsController(const Widgets &widgets, Policy policy, QObject *parent = nullptr);

    // The account's username, so a password containing it is rated weak.
    void setUsername(const QString &username);
    QString password() const;
    // The first reason the password cannot be used (empty, policy, mismatch); empty when fine.
    QString problem() const;
    void clear();

Q_SIGNALS:
    void changed();

private:
    void update();

    Widgets m_w;
    Policy m_policy;
    QString m_username;
};

} // namespace rk
