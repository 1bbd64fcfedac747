#include "TaskReviewPane.h"

#include "tasks/TaskStatus.h"
#include "ui_TaskReviewPane.h"
#include "widgets/PlainItemDelegate.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHeaderView>

namespace rk {

namespace {

QString orDash(const QString &text)
{
    return text.isEmpty() ? QStringLiteral("\u2013") : text;
}

} // namespace

TaskReviewPane::TaskReviewPane(QWidget *parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::TaskReviewPane>())
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("taskReviewPane"));

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->commandEdit->setFont(mono);
    m_ui->commandEdit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_ui->commandEdit->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_ui->commandEdit->setMinimumHeight(m_ui->commandEdit->fontMetrics().lineSpacing() * 3 + 12);
    m_ui->commandEdit->setMaximumHeight(m_ui->commandEdit->fontMetrics().lineSpacing() * 8 + 12);
    m_ui->mountsValue->setFont(mono);
    m_ui->idValue->setFont(mono);

    QFont title = m_ui->titleLabel->font();
    title.setBold(true);
    title.setPointSizeF(title.pointSizeF() * 1.15);
    m_ui->titleLabel->setFont(title);

    for (QLabel *value : {m_ui->idValue, m_ui->nameValue, m_ui->submitterValue, m_ui->submittedValue,
             m_ui->typeValue, m_ui->coresValue, m_ui->memoryValue, m_ui->gpusValue, m_ui->targetValue,
             m_ui->numaValue, m_ui->imageValue, m_ui->privilegedValue, m_ui->mountsValue, m_ui->titleLabel}) {
        value->setTextFormat(Qt::PlainText);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    }
    m_ui->emptyLabel->setTextFormat(Qt::PlainText);
    m_ui->decisionStateLabel->setTextFormat(Qt::PlainText);
    QFont state = m_ui->decisionStateLabel->font();
    state.setItalic(true);
    m_ui->decisionStateLabel->setFont(state);
    m_ui->decisionStateLabel->hide();
    QPalette muted = m_ui->emptyLabel->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_ui->emptyLabel->setPalette(muted);

    m_ui->riskBanner->setClosable(false);
    m_ui->riskBanner->setObjectName(QStringLiteral("riskBanner"));
    m_ui->riskBanner->clear();
    m_ui->fitBanner->setClosable(false);
    m_ui->fitBanner->setObjectName(QStringLiteral("fitBanner"));
    m_ui->fitBanner->clear();

    QTableWidget *env = m_ui->envTable;
    env->verticalHeader()->hide();
    env->horizontalHeader()->setStretchLastSection(true);
    env->horizontalHeader()->setHighlightSections(false);
    env->verticalHeader()->setDefaultSectionSize(env->fontMetrics().height() + 8);
    env->setMinimumHeight(env->fontMetrics().height() * 4);
    env->setFont(mono);
    env->horizontalHeader()->setFont(font());

    connect(m_ui->copyCommandButton, &QPushButton::clicked, this, &TaskReviewPane::copyCommand);
    connect(m_ui->historyButton, &QPushButton::clicked, this, [this]() {
        if (m_task && m_task->ownerId)
            Q_EMIT historyRequested(*m_task->ownerId, m_task->owner);
    });

    showMessage(tr("Select a task to review it."));
}

TaskReviewPane::~TaskReviewPane() = default;

void TaskReviewPane::showMessage(const QString &text)
{
    m_task.reset();
    m_ui->emptyLabel->setText(text);
    m_ui->paneStack->setCurrentWidget(m_ui->emptyPage);
}

QString TaskReviewPane::copyText() const
{
    if (!m_task)
        return {};
    return m_task->isVps() ? m_task->command : m_task->commandLine();
}

void TaskReviewPane::showTask(const TaskDetails &task, const QString &ageText, TaskRisks risks,
    const std::optional<FitCheck> &fit, const QString &fitError, const QString &decisionState)
{
    m_task = task;
    const bool vps = task.isVps();
    m_ui->titleLabel->setText(task.name.isEmpty() ? tr("Task %1").arg(task.idText()) : task.name);
    m_ui->decisionStateLabel->setText(decisionState);
    m_ui->decisionStateLabel->setVisible(!decisionState.isEmpty());

    // Risks first: what makes this one worth a second look.
    QStringList riskLines;
    if (risks.testFlag(TaskRisk::Privileged))
        riskLines << tr("Privileged container: it gets the host's devices and capabilities.");
    if (risks.testFlag(TaskRisk::HostMounts)) {
        riskLines << (task.mounts.value
                ? tr("Mounts host directories: %1.").arg(task.mounts.value->join(QStringLiteral(", ")))
                : tr("The mounts cannot be read; as stored: %1").arg(task.mounts.raw));
    }
    if (risks.testFlag(TaskRisk::ManyGpus) && task.gpus.value)
        riskLines << tr("Asks for %L1 GPUs.").arg(task.gpus.value->size());
    if (risks.testFlag(TaskRisk::LargeMemory) && task.memoryBytes)
        riskLines << tr("Asks for %1 of memory.").arg(TaskDetails::formatBytes(*task.memoryBytes));
    if (risks.testFlag(TaskRisk::Unreadable))
        riskLines << tr("Some fields are not valid JSON: review the raw text shown.");
    if (riskLines.isEmpty()) {
        m_ui->riskBanner->clear();
    } else {
        const bool severe = risks.testFlag(TaskRisk::Privileged) || risks.testFlag(TaskRisk::HostMounts);
        m_ui->riskBanner->showMessage(severe ? InlineBanner::Kind::Error : InlineBanner::Kind::Warning,
            tr("Risk: %1").arg(riskLines.join(QLatin1Char(' '))));
    }

    if (!fit) {
        m_ui->fitBanner->showMessage(InlineBanner::Kind::Info,
            tr("Fit check unavailable: the nodes could not be read (%1).").arg(fitError));
    } else {
        InlineBanner::Kind kind = InlineBanner::Kind::Info;
        QString verdict;
        switch (fit->verdict) {
        case FitCheck::Verdict::FitsNow: verdict = tr("Fits now"); break;
        case FitCheck::Verdict::WillQueue:
            kind = InlineBanner::Kind::Warning;
            verdict = tr("Will queue");
            break;
        case FitCheck::Verdict::CannotFit:
            kind = InlineBanner::Kind::Error;
            verdict = tr("Cannot fit");
            break;
        case FitCheck::Verdict::Unknown: verdict = tr("Fit unknown"); break;
        }
        m_ui->fitBanner->showMessage(kind, tr("%1: %2").arg(verdict, fit->message));
    }

    m_ui->idValue->setText(task.idText());
    m_ui->nameValue->setText(orDash(task.name));
    if (task.owner.isEmpty())
        m_ui->submitterValue->setText(
            task.ownerId ? tr("deleted user #%1").arg(*task.ownerId) : tr("unknown"));
    else
        m_ui->submitterValue->setText(task.owner);
    m_ui->historyButton->setEnabled(task.ownerId.has_value());
    m_ui->historyButton->setToolTip(task.ownerId
            ? tr("How many of %1's tasks were approved and rejected before, and the last decisions")
                  .arg(m_ui->submitterValue->text())
            : tr("The task has no owner on record"));

    const QDateTime submitted = task.submitted();
    const QString when
        = submitted.isValid() ? PlainItemDelegate::formatDateTime(submitted) : task.submittedAt;
    m_ui->submittedValue->setText(ageText.isEmpty() ? when : tr("%1 (%2)").arg(when, ageText));
    m_ui->typeValue->setText(vps
            ? tr("%1, backend %2").arg(TaskStatus::typeLabel(task.type), orDash(task.vpsBackend))
            : TaskStatus::typeLabel(task.type));
    m_ui->coresValue->setText(QString::number(task.cores));
    m_ui->memoryValue->setText(
        task.memoryBytes ? TaskDetails::formatBytes(*task.memoryBytes) : tr("not limited"));
    if (!task.gpus.value)
        m_ui->gpusValue->setText(tr("cannot be read; as stored: %1").arg(task.gpus.raw));
    else if (task.gpus.value->isEmpty())
        m_ui->gpusValue->setText(tr("none"));
    else
        m_ui->gpusValue->setText((task.gpus.value->size() == 1
                ? tr("%1 (1 GPU)").arg(task.gpusText())
                : tr("%1 (%L2 GPUs)").arg(task.gpusText()).arg(task.gpus.value->size())));
    m_ui->targetValue->setText(task.assignedNode.isEmpty() ? tr("none named") : task.assignedNode);
    m_ui->numaValue->setText(task.numaNode ? QString::number(*task.numaNode) : tr("any"));
    QStringList image;
    if (!task.imageText().isEmpty())
        image << task.imageText();
    if (!task.registryImage.isEmpty() && !task.containerName.isEmpty())
        image << tr("container %1").arg(task.containerName);
    m_ui->imageValue->setText(orDash(image.join(QStringLiteral("; "))));
    m_ui->privilegedValue->setText(task.privileged ? tr("Yes") : tr("No"));
    if (!task.mounts.value)
        m_ui->mountsValue->setText(tr("cannot be read; as stored: %1").arg(task.mounts.raw));
    else if (task.mounts.value->isEmpty())
        m_ui->mountsValue->setText(tr("none besides the defaults"));
    else
        m_ui->mountsValue->setText(task.mounts.value->join(QLatin1Char('\n')));
    QPalette alert = palette();
    if (task.privileged)
        alert.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_ui->privilegedValue->setPalette(alert);
    QPalette mountsAlert = palette();
    if (risks.testFlag(TaskRisk::HostMounts))
        mountsAlert.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_ui->mountsValue->setPalette(mountsAlert);

    m_ui->commandLabel->setText(vps ? tr("SSH public key:") : tr("Command and arguments:"));
    m_ui->commandEdit->setPlainText(copyText());
    m_ui->copyCommandButton->setEnabled(!copyText().isEmpty());
    m_ui->copyCommandButton->setToolTip(
        vps ? tr("Copy the SSH public key") : tr("Copy the whole command line, quoted as a shell needs it"));
    fillEnvironment(task);
    m_ui->paneStack->setCurrentWidget(m_ui->taskPage);
}

void TaskReviewPane::fillEnvironment(const TaskDetails &task)
{
    QTableWidget *env = m_ui->envTable;
    env->clearContents();
    if (!task.envVars.value) {
        env->setRowCount(1);
        auto *item = new QTableWidgetItem(tr("Cannot be read; as stored: %1").arg(task.envVars.raw));
        env->setItem(0, 0, item);
        env->setSpan(0, 0, 1, 2);
        return;
    }
    env->clearSpans();
    const TaskDetails::EnvVars &vars = *task.envVars.value;
    env->setRowCount(int(vars.size()));
    for (int row = 0; row < vars.size(); ++row) {
        auto *name = new QTableWidgetItem(vars.at(row).first);
        auto *value = new QTableWidgetItem(vars.at(row).second);
        value->setToolTip(vars.at(row).second);
        env->setItem(row, 0, name);
        env->setItem(row, 1, value);
    }
    env->resizeColumnToContents(0);
    m_ui->envLabel->setText(vars.isEmpty() ? tr("Environment variables: none")
                                           : tr("Environment variables (%L1):").arg(vars.size()));
}

void TaskReviewPane::copyCommand()
{
    const QString text = copyText();
    if (text.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(text);
    Q_EMIT copied(m_task && m_task->isVps() ? tr("SSH key of task %1 copied").arg(m_task->idText())
                                            : tr("Command line of task %1 copied").arg(m_task->idText()));
}

} // namespace rk
