#pragma once

#include <QString>

#include <optional>

class QWidget;

namespace rk {

// Every modal confirmation of the app goes through here (destructive actions only: errors are
// shown inline). Like KeePassXC's MessageBox, a test can answer the next box in advance, so no
// dialog ever blocks a test and no other class needs a test hook.
class MessageBox
{
public:
    enum class Button {
        None,
        Ok,
        Cancel,
        Yes,
        No,
        Delete, // destructive: "Delete"
        Suspend, // destructive: "Suspend"
        Continue, // "Continue"
    };

    struct Options
    {
        QString title;
        QString text; // the question, one sentence
        QString informativeText; // the consequences (what is removed, what is kept)
        Button accept = Button::Ok; // the button that goes ahead
        Button reject = Button::Cancel; // the safe choice; also Esc and the default for destructive ones
        bool destructive = false; // warning icon, and the safe choice is the default button
    };

    // Shows a modal box and returns the button pressed (the reject button when closed).
    static Button ask(QWidget *parent, const Options &options);

    // The next ask() returns `answer` at once without showing anything. One answer, used once.
    static void setNextAnswer(Button answer);
    // How many boxes were answered in advance or shown since the last call (tests check that a
    // confirmation was asked at all).
    static int takeAskedCount();

private:
    static std::optional<Button> s_nextAnswer;
    static int s_askedCount;
};

} // namespace rk
