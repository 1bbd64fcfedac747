#include "RejectDialog.h"

#include "IconFactory.h"
#include "approvals/RejectTemplates.h"
#include "ui_RejectDialog.h"

#include <QPushButton>
#include <QTextCursor>

namespace rk {

RejectDialog::RejectDialog(const QStringList &tasks, const QStringList &templates, QWidget *parent)
    : QDialog(parent),
      m_ui(std::make_unique<Ui::RejectDialog>()),
      m_templates(RejectTemplates::normalized(templates)),
      m_taskCount(int(tasks.size()))
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("rejectDialog"));
    setWindowIcon(icons::appIcon());
    QPushButton *ok = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    ok->setObjectName(QStringLiteral("submitButton"));
    ok->setText(m_taskCount == 1 ? tr("&Reject Task") : tr("&Reject %L1 Tasks").arg(m_taskCount));
    m_ui->buttonBox->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    m_ui->questionLabel->setText(m_taskCount == 1
            ? tr("Reject this task? It is not run, and its submitter sees the reason.")
            : tr("Reject these %L1 tasks? None of them is run, and their submitters see the reason.")
                  .arg(m_taskCount));
    m_ui->taskList->setPlainText(tasks.join(QLatin1Char('\n')));
    const int lines = int(qBound(qsizetype(1), tasks.size(), qsizetype(5)));
    m_ui->taskList->setFixedHeight(m_ui->taskList->fontMetrics().lineSpacing() * lines
        + int(m_ui->taskList->document()->documentMargin() * 2) + m_ui->taskList->frameWidth() * 2 + 2);
    m_ui->reasonEdit->setMinimumHeight(m_ui->reasonEdit->fontMetrics().lineSpacing() * 4);

    QPalette muted = m_ui->hintLabel->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_ui->hintLabel->setPalette(muted);

    connect(m_ui->reasonEdit, &QPlainTextEdit::textChanged, this, &RejectDialog::updateState);
    connect(m_ui->templateList, &QListWidget::currentRowChanged, this, &RejectDialog::updateState);
    connect(m_ui->templateList, &QListWidget::itemActivated, this,
        [this](QListWidgetItem *item) { useTemplate(m_ui->templateList->row(item)); });
    connect(m_ui->useTemplateButton, &QPushButton::clicked, this,
        [this]() { useTemplate(m_ui->templateList->currentRow()); });
    connect(m_ui->addTemplateButton, &QPushButton::clicked, this, &RejectDialog::addTemplate);
    connect(m_ui->removeTemplateButton, &QPushButton::clicked, this, &RejectDialog::removeTemplate);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, [this]() {
        if (m_ui->buttonBox->button(QDialogButtonBox::Ok)->isEnabled())
            accept();
    });
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);

    fillTemplates();
    m_ui->reasonEdit->setFocus();
    updateState();
}

RejectDialog::~RejectDialog() = default;

QString RejectDialog::reason() const
{
    return m_ui->reasonEdit->toPlainText().trimmed();
}

void RejectDialog::setReason(const QString &reason)
{
    m_ui->reasonEdit->setPlainText(reason);
}

void RejectDialog::useTemplate(int index)
{
    if (index < 0 || index >= m_templates.size())
        return;
    // Through the cursor rather than setPlainText(), so that Ctrl+Z brings back what was typed.
    QTextCursor cursor = m_ui->reasonEdit->textCursor();
    cursor.select(QTextCursor::Document);
    cursor.insertText(m_templates.at(index));
    m_ui->reasonEdit->setTextCursor(cursor);
    m_ui->reasonEdit->setFocus();
}

void RejectDialog::addTemplate()
{
    const QString text = reason();
    if (text.isEmpty() || m_templates.contains(text))
        return;
    m_templates.append(text);
    fillTemplates();
    m_ui->templateList->setCurrentRow(int(m_templates.size()) - 1);
    Q_EMIT templatesChanged(m_templates);
}

void RejectDialog::removeTemplate()
{
    const int row = m_ui->templateList->currentRow();
    if (row < 0 || row >= m_templates.size())
        return;
    m_templates.removeAt(row);
    fillTemplates();
    if (!m_templates.isEmpty())
        m_ui->templateList->setCurrentRow(qMin(row, int(m_templates.size()) - 1));
    Q_EMIT templatesChanged(m_templates);
}

void RejectDialog::fillTemplates()
{
    QListWidget *list = m_ui->templateList;
    list->clear();
    for (const QString &t : std::as_const(m_templates)) {
        auto *item = new QListWidgetItem(t, list);
        item->setToolTip(t);
    }
    updateState();
}

void RejectDialog::updateState()
{
    const QString text = reason();
    const int row = m_ui->templateList->currentRow();
    const bool picked = row >= 0 && row < m_templates.size();
    m_ui->useTemplateButton->setEnabled(picked);
    m_ui->removeTemplateButton->setEnabled(picked);
    const bool known = m_templates.contains(text);
    m_ui->addTemplateButton->setEnabled(!text.isEmpty() && !known && text.size() <= kMaxReasonLength);
    m_ui->addTemplateButton->setToolTip(known ? tr("This reason is already a template")
            : text.isEmpty()                  ? tr("Write a reason first, then keep it for later rejections")
                                              : tr("Keep the reason as written for later rejections"));

    const bool tooLong = text.size() > kMaxReasonLength;
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!tooLong);
    if (tooLong)
        m_ui->hintLabel->setText(tr("The reason is %L1 characters long; at most %L2 can be sent to the host.")
                                     .arg(text.size())
                                     .arg(kMaxReasonLength));
    else if (text.isEmpty())
        m_ui->hintLabel->setText(tr("Without a reason the submitter only sees that the task was rejected."));
    else
        m_ui->hintLabel->setText(tr("The host keeps the reason with the task (rejection_reason)."));
}

} // namespace rk
