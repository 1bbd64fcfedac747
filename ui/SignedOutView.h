#pragma once

#include <QWidget>

class QAction;
class QMenu;
class QVBoxLayout;

namespace rk {

// What the main window shows while nothing is signed in to: what the app is for, and buttons for
// the same File actions as the menu (connect to a host, sign in, open, create).
//
// Everything sits in a panel along the left edge, where the navigation is once signed in: the
// Connect and Sign In dialogs open centred over the window (and at start one of them is always
// open), so content centred in the window would be hidden behind them and the window would look
// empty. The panel stays visible beside a centred dialog in a window at least about 1250 pixels
// wide (the default size on a 1366-pixel screen leaves about 40 pixels between them).
class SignedOutView : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kPanelWidth = 300;

    SignedOutView(
        QAction *connectHost, QAction *signIn, QAction *open, QAction *create, QWidget *parent = nullptr);

    // A "Saved Connections" button under Connect to Host that drops down `menu` (the window's
    // File > Host Connections), so the saved host profiles are one click away at start.
    void setConnectionsMenu(QMenu *menu);

private:
    QVBoxLayout *m_buttons = nullptr;
};

} // namespace rk
