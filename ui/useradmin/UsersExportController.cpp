#include "UsersExportController.h"

#include "users/UsersTableModel.h"

#include <QDate>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QProgressDialog>
#include <QStandardPaths>

namespace rk {

UsersExportController::UsersExportController(
    UsersTableModel *model, const QString &databasePath, QWidget *page)
    : QObject(page), m_model(model), m_page(page), m_exporter(databasePath)
{
    connect(&m_exporter, &UsersExporter::progressChanged, this, [this](qint64 done, qint64 total) {
        if (!m_progress)
            return;
        m_progress->setMaximum(int(qMin<qint64>(total, std::numeric_limits<int>::max())));
        m_progress->setValue(int(qMin<qint64>(done, std::numeric_limits<int>::max())));
    });
    connect(&m_exporter, &UsersExporter::finished, this, [this](qint64 rows, const QString &path) {
        end();
        const QString name = QFileInfo(path).fileName();
        Q_EMIT finished(rows == 1 ? tr("Exported 1 user to %1.").arg(name)
                                  : tr("Exported %L1 users to %2.").arg(rows).arg(name));
    });
    connect(&m_exporter, &UsersExporter::failed, this, [this](const Error &error) {
        end();
        if (error.code == Error::Code::Cancelled)
            Q_EMIT finished(error.message);
        else
            Q_EMIT failed(tr("Could not export the users"), error);
    });
}

UsersExportController::~UsersExportController() = default;

bool UsersExportController::isBusy() const
{
    return m_busy;
}

void UsersExportController::exportAs(UsersExporter::Format format)
{
    if (m_busy)
        return;
    const bool csv = format == UsersExporter::Format::Csv;
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (dir.isEmpty() || !QDir(dir).exists())
        dir = QDir::homePath();
    const QString suggested = QStringLiteral("users-%1.%2")
                                  .arg(QDate::currentDate().toString(Qt::ISODate),
                                      csv ? QStringLiteral("csv") : QStringLiteral("json"));
    auto *dialog = new QFileDialog(m_page, csv ? tr("Export Users as CSV") : tr("Export Users as JSON"), dir);
    dialog->setObjectName(QStringLiteral("exportFileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setDefaultSuffix(csv ? QStringLiteral("csv") : QStringLiteral("json"));
    dialog->setNameFilter(csv ? tr("CSV files (*.csv)") : tr("JSON files (*.json)"));
    dialog->selectFile(suggested);
    connect(dialog, &QFileDialog::fileSelected, this,
        [this, format](const QString &path) { begin(path, format); });
    dialog->open();
}

void UsersExportController::begin(const QString &filePath, UsersExporter::Format format)
{
    if (m_busy || filePath.isEmpty())
        return;
    m_busy = true;
    m_filePath = filePath;
    m_format = format;
    m_progress = new QProgressDialog(m_page);
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->setAttribute(Qt::WA_DeleteOnClose);
    m_progress->setWindowTitle(tr("Export Users"));
    m_progress->setMinimumWidth(440);
    m_progress->setLabelText(tr("Exporting the users to %1\u2026").arg(QFileInfo(filePath).fileName()));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(400);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setRange(0, 0);
    connect(m_progress, &QProgressDialog::canceled, this, [this]() {
        if (m_waitForOrder) {
            end();
            Q_EMIT finished(tr("The export was cancelled; no file was written."));
            return;
        }
        m_exporter.cancel();
    });
    if (m_model->rowCount() == 0 || m_model->isOrderingComplete()) {
        startWriting();
        return;
    }
    // The table still sorts its rows: export as soon as it knows the whole order.
    m_progress->setLabelText(tr("Waiting for the table to finish sorting\u2026"));
    m_progress->show();
    m_waitForOrder = connect(m_model, &UsersTableModel::orderingComplete, this, [this]() {
        disconnect(m_waitForOrder);
        m_waitForOrder = {};
        startWriting();
    });
}

void UsersExportController::startWriting()
{
    std::vector<qint64> ids = m_model->userIdsInOrder();
    if (m_progress)
        m_progress->setLabelText(tr("Exporting the users to %1\u2026").arg(QFileInfo(m_filePath).fileName()));
    m_exporter.start(m_filePath, m_format, std::move(ids));
}

void UsersExportController::end()
{
    if (m_waitForOrder) {
        disconnect(m_waitForOrder);
        m_waitForOrder = {};
    }
    if (m_progress)
        m_progress->close();
    m_busy = false;
}

} // namespace rk
