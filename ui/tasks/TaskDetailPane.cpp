#include "TaskDetailPane.h"

#include "TaskTableDelegate.h"
#include "core/HostTime.h"
#include "tasks/TaskStatus.h"

#include <QFormLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace rk {

namespace {

// The fields in display order: key (objectName suffix) and translated label.
struct FieldName
{
    const char *key;
    const char *label;
};

constexpr FieldName kFields[] = {
    {"Id", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Task ID")},
    {"Name", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Name")},
    {"Type", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Type")},
    {"Batch", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Batch")},
    {"Status", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Status")},
    {"Owner", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Owner")},
    {"Approval", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Approval")},
    {"RejectionReason", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Rejection reason")},
    {"Command", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Command line")},
    {"Environment", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Environment")},
    {"Cores", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Cores")},
    {"Gpus", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "GPUs")},
    {"Memory", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Memory")},
    {"Node", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Node")},
    {"Image", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Image")},
    {"Privileged", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Privileged")},
    {"Mounts", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Mounts")},
    {"SshPort", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "SSH port")},
    {"Submitted", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Submitted")},
    {"Started", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Started")},
    {"Completed", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Completed")},
    {"ExitCode", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Exit code")},
    {"Error", QT_TRANSLATE_NOOP("rk::TaskDetailPane", "Error")},
};

QString timeText(const QString &dbText)
{
    if (dbText.isEmpty())
        return {};
    const QDateTime at = hosttime::toDateTime(dbText);
    return at.isValid() ? at.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : dbText;
}

} // namespace

TaskDetailPane::TaskDetailPane(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("taskDetailPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("taskDetailMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_stack->addWidget(m_message);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("taskDetailScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *form = new QWidget(scroll);
    m_form = new QFormLayout(form);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    for (const FieldName &f : kFields) {
        auto *label = new QLabel(form);
        const QString key = QString::fromLatin1(f.key);
        label->setObjectName(QStringLiteral("detail") + key);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        m_form->addRow(tr(f.label), label);
        m_values.insert(key, label);
    }
    scroll->setWidget(form);
    m_stack->addWidget(scroll);
    showMessage(tr("Select a task to see its details."));
}

void TaskDetailPane::showMessage(const QString &text)
{
    m_message->setText(text);
    m_stack->setCurrentIndex(0);
}

QString TaskDetailPane::value(const QString &field) const
{
    const QLabel *label = m_values.value(field);
    return label && m_stack->currentIndex() == 1 ? label->text() : QString();
}

void TaskDetailPane::set(const QString &field, const QString &text)
{
    // Empty values show a dash rather than hiding their row: QFormLayout::setRowVisible() with
    // word-wrapped labels writes out of bounds in Qt 6.4's heightForWidth().
    if (QLabel *label = m_values.value(field))
        label->setText(text.isEmpty() ? QStringLiteral("\u2014") : text);
}

void TaskDetailPane::showTask(const TaskDetails &task)
{
    set(QStringLiteral("Id"), task.idText());
    set(QStringLiteral("Name"), task.name);
    set(QStringLiteral("Type"), TaskStatus::typeLabel(task.type));
    set(QStringLiteral("Batch"), task.batchId ? QString::number(*task.batchId) : QString());
    set(QStringLiteral("Status"), TaskStatus::label(task.status));
    if (QLabel *status = m_values.value(QStringLiteral("Status"))) {
        QPalette p = status->palette();
        p.setColor(QPalette::WindowText, TaskTableDelegate::statusColor(task.status, palette()));
        status->setPalette(p);
    }
    set(QStringLiteral("Owner"),
        task.owner.isEmpty() ? (task.ownerId ? tr("deleted user %1").arg(*task.ownerId) : QString())
                             : task.owner);
    QString approval;
    if (task.approvalStatus == QLatin1String("approved"))
        approval = tr("Approved by %1 at %2")
                       .arg(task.approvedBy.isEmpty() ? tr("(unknown)") : task.approvedBy,
                           timeText(task.approvedAt));
    else if (task.approvalStatus == QLatin1String("rejected"))
        approval = tr("Rejected by %1 at %2")
                       .arg(task.approvedBy.isEmpty() ? tr("(unknown)") : task.approvedBy,
                           timeText(task.approvedAt));
    else if (task.approvalStatus == QLatin1String("pending"))
        approval = tr("Waiting for an operator");
    set(QStringLiteral("Approval"), approval);
    set(QStringLiteral("RejectionReason"), task.rejectionReason);
    set(QStringLiteral("Command"), task.isVps() ? task.summary() : task.commandLine());

    QString env;
    if (task.envVars.value) {
        QStringList lines;
        for (const auto &[name, value] : *task.envVars.value)
            lines << name + QLatin1Char('=') + value;
        env = lines.join(QLatin1Char('\n'));
    } else {
        env = task.envVars.raw;
    }
    set(QStringLiteral("Environment"), env);
    set(QStringLiteral("Cores"), QString::number(task.cores));
    set(QStringLiteral("Gpus"), task.gpusText());
    set(QStringLiteral("Memory"), task.memoryBytes ? TaskDetails::formatBytes(*task.memoryBytes) : QString());
    set(QStringLiteral("Node"), task.targetText());
    set(QStringLiteral("Image"), task.imageText());
    set(QStringLiteral("Privileged"),
        task.privileged ? tr("Yes: the container has the node's devices") : QString());
    QString mounts;
    if (task.mounts.value)
        mounts = task.mounts.value->join(QLatin1Char('\n'));
    else
        mounts = task.mounts.raw;
    set(QStringLiteral("Mounts"), mounts);
    set(QStringLiteral("SshPort"), task.sshPort ? QString::number(*task.sshPort) : QString());
    set(QStringLiteral("Submitted"), timeText(task.submittedAt));
    set(QStringLiteral("Started"), timeText(task.startedAt));
    set(QStringLiteral("Completed"), timeText(task.completedAt));
    set(QStringLiteral("ExitCode"), task.exitCode ? QString::number(*task.exitCode) : QString());
    set(QStringLiteral("Error"), task.errorMessage);
    m_stack->setCurrentIndex(1);
}

} // namespace rk
