#include "MessageBox.h"

#include <QAbstractButton>
#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>

namespace rk {

std::optional<MessageBox::Button> MessageBox::s_nextAnswer;
int MessageBox::s_askedCount = 0;

namespace {

QString textOf(MessageBox::Button button)
{
    switch (button) {
    case MessageBox::Button::None: return {};
    case MessageBox::Button::Ok: return QCoreApplication::translate("rk::MessageBox", "OK");
    case MessageBox::Button::Cancel: return QCoreApplication::translate("rk::MessageBox", "Cancel");
    case MessageBox::Button::Yes: return QCoreApplication::translate("rk::MessageBox", "&Yes");
    case MessageBox::Button::No: return QCoreApplication::translate("rk::MessageBox", "&No");
    case MessageBox::Button::Delete: return QCoreApplication::translate("rk::MessageBox", "&Delete");
    case MessageBox::Button::Suspend: return QCoreApplication::translate("rk::MessageBox", "&Suspend");
    case MessageBox::Button::Continue: return QCoreApplication::translate("rk::MessageBox", "&Continue");
    }
    return {};
}

} // namespace

MessageBox::Button MessageBox::ask(QWidget *parent, const Options &options)
{
    ++s_askedCount;
    if (s_nextAnswer) {
        const Button answer = *s_nextAnswer;
        s_nextAnswer.reset();
        return answer;
    }

    QMessageBox box(parent);
    box.setObjectName(QStringLiteral("confirmationBox"));
    box.setWindowTitle(options.title);
    box.setText(options.text);
    box.setInformativeText(options.informativeText);
    box.setIcon(options.destructive ? QMessageBox::Warning : QMessageBox::Question);
    box.setTextFormat(Qt::PlainText);
    QPushButton *acceptButton = box.addButton(
        textOf(options.accept), options.destructive ? QMessageBox::DestructiveRole : QMessageBox::AcceptRole);
    acceptButton->setObjectName(QStringLiteral("confirmAcceptButton"));
    QPushButton *rejectButton = box.addButton(textOf(options.reject), QMessageBox::RejectRole);
    rejectButton->setObjectName(QStringLiteral("confirmRejectButton"));
    box.setEscapeButton(rejectButton);
    box.setDefaultButton(options.destructive ? rejectButton : acceptButton);
    box.exec();
    return box.clickedButton() == acceptButton ? options.accept : options.reject;
}

void MessageBox::setNextAnswer(Button answer)
{
    s_nextAnswer = answer;
}

int MessageBox::takeAskedCount()
{
    const int n = s_askedCount;
    s_askedCount = 0;
    return n;
}

} // namespace rk
