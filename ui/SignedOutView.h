#pragma once

#include <QWidget>

class QAction;

namespace rk {

// What the main window shows while no platform database is signed in to: what the app is for,
// and buttons for the same File actions as the menu (sign in, open, create).
class SignedOutView : public QWidget
{
    Q_OBJECT

public:
    SignedOutView(QAction *signIn, QAction *open, QAction *create, QWidget *parent = nullptr);
};

} // namespace rk
