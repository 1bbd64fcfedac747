#include "DatabaseFileDialogs.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QStandardPaths>

namespace rk::filedialogs {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rk::filedialogs", text);
}

QString filter()
{
    return tr("Platform databases (*.db *.sqlite *.sqlite3);;All files (*)");
}

QString startFolder(const QString &startPath)
{
    if (!startPath.isEmpty()) {
        const QFileInfo info(startPath);
        const QString dir = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
        if (QFileInfo(dir).isDir())
            return dir;
    }
    return QDir::homePath();
}

} // namespace

QString chooseExisting(QWidget *parent, const QString &title, const QString &startPath)
{
    const QString path = QFileDialog::getOpenFileName(parent, title, startFolder(startPath), filter());
    return path.isEmpty() ? QString() : QDir::cleanPath(path);
}

QString chooseNew(QWidget *parent, const QString &startPath)
{
    QString start = QDir(
        startFolder(startPath.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
                                        : startPath))
                        .filePath(QStringLiteral("kohakuriver.db"));
    const QString path = QFileDialog::getSaveFileName(
        parent, tr("New Platform Database"), start, filter(), nullptr, QFileDialog::DontConfirmOverwrite);
    return path.isEmpty() ? QString() : QDir::cleanPath(path);
}

} // namespace rk::filedialogs
