#include "SignedOutView.h"

#include "IconFactory.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace rk {

namespace {

QPushButton *buttonFor(QAction *action, const char *name, QWidget *parent)
{
    auto *button = new QPushButton(action->text(), parent);
    button->setObjectName(QString::fromLatin1(name));
    button->setToolTip(action->toolTip());
    button->setMinimumWidth(180);
    QObject::connect(button, &QPushButton::clicked, action, &QAction::trigger);
    QObject::connect(
        action, &QAction::changed, button, [button, action]() { button->setEnabled(action->isEnabled()); });
    return button;
}

} // namespace

SignedOutView::SignedOutView(QAction *signIn, QAction *open, QAction *create, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("signedOutView"));
    auto *icon = new QLabel(this);
    icon->setPixmap(icons::appPixmap(96, devicePixelRatioF()));
    icon->setAlignment(Qt::AlignCenter);

    auto *title = new QLabel(tr("Not signed in"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);

    auto *text
        = new QLabel(tr("Sign in to a KohakuRiver platform database to manage its users. Open the host's "
                        "kohakuriver.db, review a copy read-only, or create a new platform to prepare "
                        "accounts before the host first starts."),
            this);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    // A word-wrapped label centred in a box layout is given its plain size hint: fix the width
    // and reserve the height the wrapped text needs.
    text->setFixedWidth(520);
    text->setMinimumHeight(text->heightForWidth(520));
    QPalette muted = text->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    text->setPalette(muted);

    auto *signInButton = buttonFor(signIn, "signInButton", this);
    signInButton->setDefault(true);
    auto *buttons = new QVBoxLayout;
    buttons->setSpacing(8);
    buttons->addWidget(signInButton, 0, Qt::AlignHCenter);
    buttons->addWidget(buttonFor(open, "openButton", this), 0, Qt::AlignHCenter);
    buttons->addWidget(buttonFor(create, "createButton", this), 0, Qt::AlignHCenter);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(icon);
    layout->addSpacing(8);
    layout->addWidget(title);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addSpacing(16);
    layout->addLayout(buttons);
    layout->addStretch(3);
}

} // namespace rk
