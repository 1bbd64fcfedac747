#pragma once

#include "UsersExporter.h"

#include <QObject>
#include <QPointer>

class QProgressDialog;
class QWidget;

namespace rk {

class UsersTableModel;

// "Export as CSV/JSON" on the Users page: asks for a file (QFileDialog "exportFileDialog"),
// takes the ids of every row of the table's current query in its current order (waiting, with
// the progress dialog up, until the model knows the whole order), and runs a UsersExporter with a
// cancellable progress dialog ("exportProgress"). One export at a time. UI thread.
class UsersExportController : public QObject
{
    Q_OBJECT

public:
    UsersExportController(UsersTableModel *model, const QString &databasePath, QWidget *page);
    ~UsersExportController() override;

    void exportAs(UsersExporter::Format format);
    bool isBusy() const;

Q_SIGNALS:
    void finished(const QString &message);
    void failed(const QString &what, const rk::Error &error);

private:
    void begin(const QString &filePath, UsersExporter::Format format);
    void startWriting();
    void end();

    UsersTableModel *m_model;
    QWidget *m_page;
    UsersExporter m_exporter;
    QPointer<QProgressDialog> m_progress;
    QMetaObject::Connection m_waitForOrder;
    QString m_filePath;
    UsersExporter::Format m_format = UsersExporter::Format::Csv;
    bool m_busy = false;
};

} // namespace rk
