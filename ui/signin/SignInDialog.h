#pragma once

#include "Session.h"
#include "store/SampleData.h"

#include <QDialog>
#include <QFutureWatcher>

#include <memory>

namespace Ui {
class SignInDialog;
}

namespace rk {

class AppSettings;

// Signs in to a platform database: choose a file (recent ones, browse, read-only, or a new one),
// then username and password, checked by PlatformStore::authenticate on a worker thread (bcrypt
// takes a quarter second) while a busy indicator runs. A store without an active administrator
// goes to the first-admin setup instead; a new one also offers sample data. Every error (not a
// platform database, unknown schema, locked, read-only, damaged, wrong password, disabled
// account) is shown inside the dialog with the store's own message.
//
// On accept, takeSession() hands over the open store and the signed-in account; the file is
// remembered in the recent files.
class SignInDialog : public QDialog
{
    Q_OBJECT

public:
    // `origin` is recorded in the audit log ("desktop@<machine>").
    SignInDialog(AppSettings &settings, QString origin, QWidget *parent = nullptr);
    ~SignInDialog() override;

    // What to open. With Mode::Create the file is created at once and the first-admin setup shows.
    void setRequest(const SignInRequest &request);
    // Options for the sample data (tests use a cheaper bcrypt cost).
    void setSampleDataOptions(const SampleDataOptions &options);
    bool isBusy() const { return m_busy; }

    std::unique_ptr<Session> takeSession();

public Q_SLOTS:
    void reject() override;

Q_SIGNALS:
    void busyChanged(bool busy);

private:
    enum class Page { SignIn, FirstAdmin };

    void submit();
    void submitSignIn();
    void submitFirstAdmin();
    void onAuthenticated();
    void onAdminHashed();
    void onSampleDataDone();
    void chooseExistingFile();
    void chooseNewFile();
    void goBack();

    // Opens (or keeps) the store for `path`; shows the error and returns false when it cannot.
    bool ensureStore(const QString &path, bool readOnly);
    bool createStore(const QString &path);
    void closeStore();
    void showPage(Page page);
    void showFirstAdminSetup();
    void setBusy(bool busy, const QString &what = {});
    void showError(const QString &message);
    void finish(const Actor &actor);
    QString currentPath() const;
    void fillRecentFiles(const QString &current);

    std::unique_ptr<Ui::SignInDialog> m_ui;
    AppSettings &m_settings;
    QString m_origin;
    SampleDataOptions m_sampleOptions;

    std::unique_ptr<PlatformStore> m_store;
    QString m_storePath;
    bool m_storeReadOnly = false;
    bool m_createdHere = false; // this dialog created the file (removed again if left empty)

    Page m_page = Page::SignIn;
    bool m_busy = false;
    bool m_rejectWhenIdle = false;
    std::optional<Actor> m_adminCreated; // first admin made, sample data failed: sign in anyway
    std::unique_ptr<Session> m_session;

    QFutureWatcher<Result<Actor>> m_authWatcher;
    QFutureWatcher<Result<PasswordHash>> m_hashWatcher;
    QFutureWatcher<Status> m_sampleWatcher;
};

} // namespace rk
