#include "RejectReasonDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace rk {

std::optional<std::optional<QString>> RejectReasonDialog::s_nextAnswer;
int RejectReasonDialog::s_askedCount = 0;

namespace {
// The host keeps the reason in a TEXT column; a line in a dialog is plenty.
constexpr int kMaxReasonLength = 500;
} // namespace

RejectReasonDialog::RejectReasonDialog(const QString &taskLabel, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("rejectReasonDialog"));
    setWindowTitle(tr("Reject Task"));
    m_label = new QLabel(
        tr("Reject %1? The submitter sees the reason you give (optional).").arg(taskLabel), this);
    m_label->setObjectName(QStringLiteral("rejectReasonLabel"));
    m_label->setTextFormat(Qt::PlainText);
    m_label->setWordWrap(true);
    m_edit = new QLineEdit(this);
    m_edit->setObjectName(QStringLiteral("rejectReasonEdit"));
    m_edit->setPlaceholderText(tr("Reason, e.g. \u201cplease use fewer GPUs\u201d"));
    m_edit->setMaxLength(kMaxReasonLength);
    m_label->setBuddy(m_edit);
    m_buttons = new QDialogButtonBox(this);
    m_buttons->setObjectName(QStringLiteral("rejectReasonButtons"));
    QPushButton *reject = m_buttons->addButton(tr("&Reject"), QDialogButtonBox::AcceptRole);
    reject->setObjectName(QStringLiteral("rejectReasonAcceptButton"));
    reject->setDefault(true);
    QPushButton *cancel = m_buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("rejectReasonCancelButton"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_label);
    layout->addWidget(m_edit);
    layout->addWidget(m_buttons);
}

RejectReasonDialog::~RejectReasonDialog() = default;

QString RejectReasonDialog::reason() const
{
    return m_edit->text().trimmed();
}

std::optional<QString> RejectReasonDialog::ask(QWidget *parent, const QString &taskLabel)
{
    ++s_askedCount;
    if (s_nextAnswer) {
        const std::optional<QString> answer = *s_nextAnswer;
        s_nextAnswer.reset();
        return answer;
    }
    RejectReasonDialog dialog(taskLabel, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.reason();
}

void RejectReasonDialog::setNextAnswer(const QString &reason)
{
    s_nextAnswer.emplace(reason);
}

void RejectReasonDialog::setNextCancel()
{
    s_nextAnswer.emplace(std::nullopt);
}

int RejectReasonDialog::takeAskedCount()
{
    const int n = s_askedCount;
    s_askedCount = 0;
    return n;
}

} // namespace rk
