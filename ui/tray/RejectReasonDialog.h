#pragma once

#include <QDialog>
#include <QString>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace rk {

// Asks why a task is rejected: a one-line reason the host stores and shows the submitter
// (optional: an empty reason is sent as none). Like rk::MessageBox, a test answers the next
// question in advance, so no dialog blocks a test and the tray needs no test hook.
class RejectReasonDialog : public QDialog
{
    Q_OBJECT

public:
    // `taskLabel`: what the question names ("train-resnet (alice)").
    RejectReasonDialog(const QString &taskLabel, QWidget *parent = nullptr);
    ~RejectReasonDialog() override;

    QString reason() const;

    // Shows the dialog modally; the reason (trimmed, maybe empty), or nullopt when cancelled.
    static std::optional<QString> ask(QWidget *parent, const QString &taskLabel);

    // The next ask() returns `reason` at once without showing anything. One answer, used once.
    static void setNextAnswer(const QString &reason);
    // The next ask() is cancelled at once.
    static void setNextCancel();
    // How many questions were answered in advance or shown since the last call.
    static int takeAskedCount();

private:
    QLabel *m_label = nullptr;
    QLineEdit *m_edit = nullptr;
    QDialogButtonBox *m_buttons = nullptr;

    // Outer: whether an answer is set; inner: nullopt for cancel.
    static std::optional<std::optional<QString>> s_nextAnswer;
    static int s_askedCount;
};

} // namespace rk
