#include "SignedOutView.h"

#include "IconFactory.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QVBoxLayout>

namespace rk {

namespace {

constexpr int kMargin = 28;

QPushButton *buttonFor(QAction *action, const char *name, QWidget *parent)
{
    auto *button = new QPushButton(action->text(), parent);
    button->setObjectName(QString::fromLatin1(name));
    button->setToolTip(action->toolTip());
    button->setEnabled(action->isEnabled());
    QObject::connect(button, &QPushButton::clicked, action, &QAction::trigger);
    QObject::connect(
        action, &QAction::changed, button, [button, action]() { button->setEnabled(action->isEnabled()); });
    return button;
}

} // namespace

SignedOutView::SignedOutView(
    QAction *connectHost, QAction *signIn, QAction *open, QAction *create, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("signedOutView"));

    auto *panel = new QWidget(this);
    panel->setObjectName(QStringLiteral("signedOutPanel"));
    panel->setFixedWidth(kPanelWidth);
    panel->setAutoFillBackground(true);
    QPalette panelPalette = panel->palette();
    // The navigation list's shade: the panel stands where the pages' navigation will be.
    panelPalette.setColor(QPalette::Window, panelPalette.color(QPalette::Window).darker(104));
    panel->setPalette(panelPalette);

    auto *icon = new QLabel(panel);
    icon->setPixmap(icons::appPixmap(72, devicePixelRatioF()));

    auto *title = new QLabel(tr("Not signed in"), panel);
    title->setObjectName(QStringLiteral("signedOutTitle"));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);

    const int textWidth = kPanelWidth - 2 * kMargin;
    auto *text = new QLabel(tr("Connect to a KohakuRiver host through its REST API, or sign in to a platform "
                               "database: the host's kohakuriver.db, a copy to review read-only, or a new "
                               "platform to prepare accounts before the host first starts."),
        panel);
    text->setWordWrap(true);
    // A word-wrapped label in a box layout is given its plain size hint: fix the width and
    // reserve the height the wrapped text needs.
    text->setFixedWidth(textWidth);
    text->setMinimumHeight(text->heightForWidth(textWidth));
    QPalette muted = text->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    text->setPalette(muted);

    auto *connectButton = buttonFor(connectHost, "connectHostButton", panel);
    connectButton->setDefault(true);
    m_buttons = new QVBoxLayout;
    m_buttons->setSpacing(8);
    for (QPushButton *button : {connectButton, buttonFor(signIn, "signInButton", panel),
             buttonFor(open, "openButton", panel), buttonFor(create, "createButton", panel)}) {
        button->setFixedWidth(textWidth);
        m_buttons->addWidget(button);
    }

    auto *column = new QVBoxLayout(panel);
    column->setContentsMargins(kMargin, kMargin, kMargin, kMargin);
    column->addStretch(2);
    column->addWidget(icon);
    column->addSpacing(8);
    column->addWidget(title);
    column->addWidget(text);
    column->addSpacing(16);
    column->addLayout(m_buttons);
    column->addStretch(3);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(panel);
    layout->addStretch(1);
}

void SignedOutView::setConnectionsMenu(QMenu *menu)
{
    auto *button = new QPushButton(tr("Saved Connections"), this);
    button->setObjectName(QStringLiteral("savedConnectionsButton"));
    button->setToolTip(
        tr("The host connections saved on this computer; one reconnects with its saved credential"));
    button->setMenu(menu);
    button->setFixedWidth(kPanelWidth - 2 * kMargin);
    m_buttons->insertWidget(1, button);
}

} // namespace rk
