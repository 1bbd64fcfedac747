#include "SubmitterHistoryDialog.h"

#include "IconFactory.h"
#include "core/HostTime.h"
#include "tasks/TaskStatus.h"
#include "ui_SubmitterHistoryDialog.h"
#include "widgets/PlainItemDelegate.h"

#include <QHeaderView>
#include <QPushButton>

namespace rk {

namespace {

QString ownerName(const SubmitterHistory &h)
{
    return h.owner.isEmpty() ? SubmitterHistoryDialog::tr("deleted user #%1").arg(h.ownerId) : h.owner;
}

QString whenText(const QString &stored)
{
    const QDateTime dt = hosttime::toDateTime(stored);
    return dt.isValid() ? PlainItemDelegate::formatDateTime(dt) : stored;
}

} // namespace

QString SubmitterHistoryDialog::summaryText(const SubmitterHistory &h)
{
    const QString who = ownerName(h);
    if (h.approved == 0 && h.rejected == 0)
        return tr("%1 has no decided tasks yet: this is a first submission (waiting now: %L2).")
            .arg(who)
            .arg(h.pending);
    return tr("%1: %L2 approved and %L3 rejected before; %L4 waiting for approval now; %L5 tasks in all.")
        .arg(who)
        .arg(h.approved)
        .arg(h.rejected)
        .arg(h.pending)
        .arg(h.total);
}

SubmitterHistoryDialog::SubmitterHistoryDialog(const SubmitterHistory &history, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::SubmitterHistoryDialog>())
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("submitterHistoryDialog"));
    setWindowIcon(icons::appIcon());
    setWindowTitle(tr("History of %1").arg(ownerName(history)));
    m_ui->buttonBox->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("closeButton"));
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_ui->summaryLabel->setTextFormat(Qt::PlainText);
    m_ui->summaryLabel->setText(summaryText(history));
    m_ui->recentLabel->setText(history.recent.isEmpty()
            ? tr("No earlier decisions.")
            : tr("The last decisions (%L1), newest first:").arg(history.recent.size()));

    QTableWidget *table = m_ui->recentTable;
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setHighlightSections(false);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->setRowCount(int(history.recent.size()));
    table->setVisible(!history.recent.isEmpty());
    for (int row = 0; row < history.recent.size(); ++row) {
        const SubmitterHistory::Decision &d = history.recent.at(row);
        const bool rejected = d.approvalStatus == QLatin1String("rejected");
        const QString task = d.name.isEmpty() ? QString::number(d.taskId)
                                              : tr("%1 (%2)").arg(d.name, QString::number(d.taskId));
        auto *when = new QTableWidgetItem(whenText(d.decidedAt.isEmpty() ? d.submittedAt : d.decidedAt));
        auto *what = new QTableWidgetItem(task);
        what->setToolTip(tr("%1, now %2").arg(TaskStatus::typeLabel(d.type), TaskStatus::label(d.status)));
        auto *decision = new QTableWidgetItem(rejected ? tr("Rejected") : tr("Approved"));
        if (rejected)
            decision->setForeground(QColor(0xc6, 0x28, 0x28));
        auto *by = new QTableWidgetItem(d.decidedBy.isEmpty() ? tr("unknown") : d.decidedBy);
        auto *reason = new QTableWidgetItem(d.rejectionReason);
        reason->setToolTip(d.rejectionReason);
        table->setItem(row, 0, when);
        table->setItem(row, 1, what);
        table->setItem(row, 2, decision);
        table->setItem(row, 3, by);
        table->setItem(row, 4, reason);
    }
    table->resizeColumnsToContents();
}

SubmitterHistoryDialog::~SubmitterHistoryDialog() = default;

} // namespace rk
