#include "UserFilterButton.h"

#include "UserPickerDialog.h"

#include <QHBoxLayout>
#include <QStyle>
#include <QToolButton>

namespace rk {

UserFilterButton::UserFilterButton(const QString &databasePath, const QString &label, QWidget *parent)
    : QWidget(parent),
      m_databasePath(databasePath),
      m_label(label),
      m_choose(new QToolButton(this)),
      m_clear(new QToolButton(this))
{
    setObjectName(QStringLiteral("userFilter"));
    m_choose->setObjectName(QStringLiteral("userFilterChooseButton"));
    m_clear->setObjectName(QStringLiteral("userFilterClearButton"));
    m_choose->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_choose->setAutoRaise(true);
    m_clear->setAutoRaise(true);
    m_clear->setText(QStringLiteral("\u00d7"));
    m_clear->setToolTip(tr("Show everyone's again"));
    m_clear->setAccessibleName(tr("Clear the %1 filter").arg(label));
    m_clear->hide();

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_choose);
    layout->addWidget(m_clear);

    connect(m_choose, &QToolButton::clicked, this, &UserFilterButton::choose);
    connect(m_clear, &QToolButton::clicked, this, &UserFilterButton::clear);
    updateText();
}

UserFilterButton::~UserFilterButton() = default;

void UserFilterButton::setUser(qint64 id, const QString &name)
{
    if (m_userId == id && m_userName == name)
        return;
    m_userId = id;
    m_userName = name;
    updateText();
    Q_EMIT userChanged();
}

void UserFilterButton::clear()
{
    if (!m_userId)
        return;
    m_userId.reset();
    m_userName.clear();
    updateText();
    Q_EMIT userChanged();
}

void UserFilterButton::choose()
{
    auto *dialog = new UserPickerDialog(m_databasePath, UserPickerDialog::Mode::Single, window());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Show One User"));
    dialog->setPrompt(m_prompt);
    dialog->setAcceptText(tr("&Show"));
    connect(dialog, &QDialog::accepted, this, [this, dialog]() {
        const QList<UserPickerDialog::Choice> chosen = dialog->choices();
        if (!chosen.isEmpty())
            setUser(chosen.front().id, chosen.front().username);
    });
    dialog->open();
}

void UserFilterButton::updateText()
{
    // "Owner: everyone ▾": the arrow is text, as on the Users page's Export button.
    const QString who = m_userId ? m_userName : tr("everyone");
    m_choose->setText(tr("%1: %2").arg(m_label, who) + QStringLiteral(" \u25be"));
    m_choose->setToolTip(m_userId ? tr("Showing only %1's. Click to choose another user.").arg(m_userName)
                                  : tr("Show only one user's (choose from every user)"));
    m_clear->setVisible(m_userId.has_value());
    QFont font = m_choose->font();
    font.setBold(m_userId.has_value());
    m_choose->setFont(font);
}

} // namespace rk
