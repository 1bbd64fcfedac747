#include "PasswordFieldsController.h"

#include "PasswordStrength.h"
#include "PasswordStrengthMeter.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>

namespace rk {

PasswordFieldsController::PasswordFieldsController(const Widgets &widgets, Policy policy, QObject *parent)
    : QObject(parent), m_w(widgets), m_policy(std::move(policy))
{
    Q_ASSERT(m_w.password && m_w.confirm && m_w.meter && m_w.hint);
    for (QLineEdit *edit : {m_w.password, m_w.confirm}) {
        edit->setEchoMode(QLineEdit::Password);
        // No completion or undo history kept for secrets.
        edit->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhNoPredictiveText | Qt::ImhSensitiveData);
        connect(edit, &QLineEdit::textChanged, this, &PasswordFieldsController::update);
    }
    m_w.hint->setWordWrap(true);
    m_w.hint->setTextFormat(Qt::PlainText);
    QPalette pal = m_w.hint->palette();
    pal.setColor(QPalette::WindowText, QColor(0xb0, 0x2a, 0x20));
    m_w.hint->setPalette(pal);

    if (m_w.show) {
        connect(m_w.show, &QCheckBox::toggled, this, [this](bool shown) {
            const auto mode = shown ? QLineEdit::Normal : QLineEdit::Password;
            m_w.password->setEchoMode(mode);
            m_w.confirm->setEchoMode(mode);
        });
    }
    if (m_w.generate) {
        m_w.generate->setToolTip(tr("Fill both fields with a random 20-character password and show it, "
                                    "so you can copy it for the user"));
        connect(m_w.generate, &QAbstractButton::clicked, this, [this]() {
            const QString generated = passwordstrength::generate();
            m_w.password->setText(generated);
            m_w.confirm->setText(generated);
            if (m_w.show)
                m_w.show->setChecked(true);
            m_w.password->setFocus();
            m_w.password->selectAll();
        });
    }
    update();
}

void PasswordFieldsController::setUsername(const QString &username)
{
    m_username = username;
    update();
}

QString PasswordFieldsController::password() const
{
    return m_w.password->text();
}

QString PasswordFieldsController::problem() const
{
    const QString pw = m_w.password->text();
    if (pw.isEmpty())
        return tr("Enter a password.");
    if (m_policy) {
        if (Status st = m_policy(pw); !st)
            return st.error().message;
    }
    if (m_w.confirm->text() != pw)
        return tr("The two passwords do not match.");
    return {};
}

void PasswordFieldsController::clear()
{
    m_w.password->clear();
    m_w.confirm->clear();
    if (m_w.show)
        m_w.show->setChecked(false);
}

void PasswordFieldsController::update()
{
    const QString pw = m_w.password->text();
    m_w.meter->setEstimate(passwordstrength::estimate(pw, m_username));
    // Only complain about what the user has started to type.
    QString hint;
    if (!pw.isEmpty()) {
        if (m_policy) {
            if (Status st = m_policy(pw); !st)
                hint = st.error().message;
        }
        if (hint.isEmpty() && !m_w.confirm->text().isEmpty() && m_w.confirm->text() != pw)
            hint = tr("The two passwords do not match.");
    }
    m_w.hint->setText(hint);
    m_w.hint->setVisible(!hint.isEmpty());
    Q_EMIT changed();
}

} // namespace rk
