#pragma once

#include <QString>

class QWidget;

namespace rk::filedialogs {

// The file choosers for platform databases, shared by the main window and the sign-in dialog.
// Both return an empty string when cancelled. Run a modal QFileDialog on the UI thread.
QString chooseExisting(QWidget *parent, const QString &title, const QString &startPath = {});
// Does not ask about overwriting: a new platform database is never written over an existing
// file (PlatformStore::create refuses, and the sign-in dialog says so).
QString chooseNew(QWidget *parent, const QString &startPath = {});

} // namespace rk::filedialogs
