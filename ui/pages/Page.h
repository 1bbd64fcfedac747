#pragma once

#include <QIcon>
#include <QList>
#include <QWidget>

class QAction;

namespace rk {

// One entry of the main window's navigation: a page about one kind of thing (users, tokens...).
// The shell asks it for its name, icon and actions, and knows nothing else about it.
class Page : public QWidget
{
    Q_OBJECT

public:
    using QWidget::QWidget;

    // "Users": the navigation entry, the page menu's title and the window's context.
    virtual QString title() const = 0;
    virtual QIcon icon() const = 0;
    // The page's actions, in menu order (nullptr: a separator). The shell puts them in a menu
    // named after the page, shown while the page is current.
    virtual QList<QAction *> menuActions() const = 0;
    // Moves keyboard focus to the page's main control (its table).
    virtual void focusMainView() = 0;

Q_SIGNALS:
    // A short confirmation for the status bar ("User bob created").
    void statusMessage(const QString &message);
};

} // namespace rk
