#include "BulkPreviewDialog.h"

#include "BulkVerdictModel.h"
#include "IconFactory.h"
#include "pages/TablePage.h"
#include "ui_BulkPreviewDialog.h"
#include "widgets/PlainItemDelegate.h"

#include <QHeaderView>
#include <QLocale>
#include <QPushButton>

namespace rk {

BulkPreviewDialog::BulkPreviewDialog(Spec spec, QWidget *parent)
    : QDialog(parent),
      m_ui(std::make_unique<Ui::BulkPreviewDialog>()),
      m_spec(std::move(spec)),
      m_model(new BulkVerdictModel(this))
{
    m_ui->setupUi(this);
    setWindowIcon(icons::appIcon());
    setWindowTitle(m_spec.title);
    m_ui->questionLabel->setText(m_spec.question);
    QFont strong = m_ui->questionLabel->font();
    strong.setWeight(QFont::DemiBold);
    m_ui->questionLabel->setFont(strong);
    m_ui->warningBanner->setClosable(false);
    m_ui->errorBanner->setClosable(false);

    QPushButton *apply = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    apply->setObjectName(QStringLiteral("applyButton"));
    QPushButton *cancel = m_ui->buttonBox->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    if (m_spec.destructive) {
        // The safe choice is the default: Return does not delete. No "OK" tick on a deletion.
        apply->setIcon(QIcon());
        apply->setAutoDefault(false);
        cancel->setDefault(true);
    }

    m_ui->parameterRow->setVisible(!m_spec.parameterLabel.isEmpty());
    m_ui->parameterLabel->setText(m_spec.parameterLabel);
    for (const auto &[text, value] : std::as_const(m_spec.choices))
        m_ui->parameterCombo->addItem(text, value);
    if (m_spec.initialChoice.isValid()) {
        const int index = m_ui->parameterCombo->findData(m_spec.initialChoice);
        if (index >= 0)
            m_ui->parameterCombo->setCurrentIndex(index);
    }
    m_ui->endSessionsCheck->setVisible(!m_spec.endSessionsText.isEmpty());

    QTableView *table = m_ui->previewTable;
    table->setModel(m_model);
    TablePage::configureTable(table);
    table->setSortingEnabled(false);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setFocusPolicy(Qt::TabFocus);
    table->setItemDelegate(new PlainItemDelegate(table));
    table->horizontalHeader()->setSectionsMovable(false);
    const QFontMetrics fm = table->fontMetrics();
    table->horizontalHeader()->resizeSection(BulkVerdictModel::User, fm.averageCharWidth() * 16 + 16);
    table->horizontalHeader()->resizeSection(BulkVerdictModel::Current, fm.averageCharWidth() * 22 + 16);

    connect(m_ui->parameterCombo, &QComboBox::currentIndexChanged, this, &BulkPreviewDialog::recheck);
    connect(m_ui->endSessionsCheck, &QCheckBox::toggled, this, &BulkPreviewDialog::recheck);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &BulkPreviewDialog::onAccept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &BulkPreviewDialog::reject);
    recheck();
    fitHeight(qMax(sizeHint().width(), 720));
}

void BulkPreviewDialog::fitHeight(int width)
{
    // Wide enough for the columns; exactly as tall as the wrapped text needs at that width.
    layout()->activate();
    resize(width, layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width) : sizeHint().height());
}

BulkPreviewDialog::~BulkPreviewDialog() = default;

const BulkOutcome &BulkPreviewDialog::outcome() const
{
    return m_model->outcome();
}

QVariant BulkPreviewDialog::choice() const
{
    return m_spec.parameterLabel.isEmpty() ? QVariant() : m_ui->parameterCombo->currentData();
}

bool BulkPreviewDialog::endSessions() const
{
    return !m_spec.endSessionsText.isEmpty() && m_ui->endSessionsCheck->isChecked();
}

void BulkPreviewDialog::recheck()
{
    m_ui->errorBanner->clear();
    const QVariant current = choice();
    Result<BulkOutcome> checked = m_spec.check ? m_spec.check(current) : Result<BulkOutcome>(BulkOutcome());
    const BulkOutcome outcome = checked ? checked.value() : BulkOutcome();
    auto describe = m_spec.describe;
    m_model->setOutcome(outcome,
        [describe, current](const BulkVerdict &v) { return describe ? describe(v, current) : QString(); });
    if (!checked)
        m_ui->errorBanner->showError(checked.error().message);

    const int applies = outcome.count(BulkVerdict::State::Apply);
    const bool sessionsToEnd = endSessions() && outcome.sessionsEnded > 0;
    if (!m_spec.endSessionsText.isEmpty()) {
        // The count is what checking the box would end: the dry run counts it either way.
        m_ui->endSessionsCheck->setText(
            m_spec.endSessionsText.arg(QLocale().toString(outcome.sessionsEnded)));
    }
    m_ui->summaryLabel->setText(m_spec.summary ? m_spec.summary(outcome, current, endSessions()) : QString());
    m_ui->summaryLabel->setVisible(!m_ui->summaryLabel->text().isEmpty());
    const QString warning = m_spec.warning ? m_spec.warning(current) : QString();
    if (warning.isEmpty())
        m_ui->warningBanner->clear();
    else
        m_ui->warningBanner->showMessage(InlineBanner::Kind::Warning, warning);

    // One user it applies to, nothing refused: the question is enough.
    const bool single = outcome.verdicts.size() == 1 && outcome.count(BulkVerdict::State::Refused) == 0;
    m_ui->previewTable->setVisible(!single);
    fitTable();

    QPushButton *apply = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    apply->setEnabled(checked.ok() && (applies > 0 || sessionsToEnd));
    apply->setText(m_spec.applyText ? m_spec.applyText(applies, current) : tr("OK"));
}

void BulkPreviewDialog::fitTable()
{
    QTableView *table = m_ui->previewTable;
    // The Result column as wide as its longest text (of the first rows: there may be thousands).
    const QFontMetrics fm = table->fontMetrics();
    int widest
        = fm.horizontalAdvance(m_model->headerData(BulkVerdictModel::Result, Qt::Horizontal).toString());
    const int rows = m_model->rowCount();
    for (int row = 0; row < qMin(rows, 500); ++row) {
        widest = qMax(
            widest, fm.horizontalAdvance(m_model->index(row, BulkVerdictModel::Result).data().toString()));
    }
    table->horizontalHeader()->resizeSection(BulkVerdictModel::Result, qMin(widest + 24, 360));
    // As tall as the rows (3 to 12 of them), so a short list leaves no empty box.
    const int shown = qBound(3, rows, 12);
    const int height = table->horizontalHeader()->height()
        + shown * table->verticalHeader()->defaultSectionSize() + 2 * table->frameWidth();
    table->setMinimumHeight(height);
    table->setMaximumHeight(rows > 12 ? QWIDGETSIZE_MAX : height);
}

void BulkPreviewDialog::showError(const QString &message)
{
    m_ui->errorBanner->showError(message);
}

void BulkPreviewDialog::startRun(int total)
{
    m_running = true;
    m_ui->errorBanner->clear();
    m_ui->parameterCombo->setEnabled(false);
    m_ui->endSessionsCheck->setEnabled(false);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(false);
    QPushButton *stop = m_ui->buttonBox->button(QDialogButtonBox::Cancel);
    stop->setText(tr("&Stop"));
    stop->setToolTip(tr("Send no further requests; the users already done stay changed"));
    m_ui->runProgress->setRange(0, total);
    m_ui->runProgress->setValue(0);
    m_ui->runProgress->show();
    setCursor(Qt::BusyCursor);
    fitHeight(width());
}

void BulkPreviewDialog::setRunProgress(int done, int total)
{
    m_ui->runProgress->setRange(0, total);
    m_ui->runProgress->setValue(done);
}

void BulkPreviewDialog::setRunResult(qint64 userId, const QString &result, const QString &why, bool failed)
{
    m_model->setRunResult(userId, result, why, failed);
    if (m_ui->previewTable->isHidden()) {
        m_ui->previewTable->show();
        fitTable();
        fitHeight(width());
    }
}

void BulkPreviewDialog::finishRun(const QString &summary)
{
    m_running = false;
    unsetCursor();
    m_ui->summaryLabel->setText(summary);
    m_ui->summaryLabel->setVisible(!summary.isEmpty());
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->hide();
    QPushButton *close = m_ui->buttonBox->button(QDialogButtonBox::Cancel);
    close->setText(tr("&Close"));
    close->setToolTip(QString());
    close->setDefault(true);
    close->setFocus();
    fitHeight(width());
}

void BulkPreviewDialog::reject()
{
    if (m_running) {
        Q_EMIT stopRequested();
        return;
    }
    QDialog::reject();
}

void BulkPreviewDialog::onAccept()
{
    if (!m_ui->buttonBox->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    m_ui->errorBanner->clear();
    Q_EMIT confirmed();
}

} // namespace rk
