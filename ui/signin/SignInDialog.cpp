#include "SignInDialog.h"

#include "AppSettings.h"
#include "DatabaseFileDialogs.h"
#include "IconFactory.h"
#include "UiLogging.h"
#include "ui_SignInDialog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPushButton>
#include <QtConcurrent/QtConcurrentRun>

namespace rk {

namespace {

bool hasNoUsers(PlatformStore &store)
{
    auto n = store.database().scalar(QStringLiteral("SELECT count(*) FROM users"));
    return n && n->toLongLong() == 0;
}

} // namespace

SignInDialog::SignInDialog(AppSettings &settings, QString origin, QWidget *parent)
    : QDialog(parent),
      m_ui(std::make_unique<Ui::SignInDialog>()),
      m_settings(settings),
      m_origin(std::move(origin))
{
    m_ui->setupUi(this);
    setWindowIcon(icons::appIcon());
    m_ui->headerIcon->setPixmap(icons::appPixmap(48, devicePixelRatioF()));
    QFont titleFont = m_ui->headerTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    m_ui->headerTitle->setFont(titleFont);
    QPalette muted = m_ui->headerSubtitle->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_ui->headerSubtitle->setPalette(muted);
    m_ui->busyLabel->setPalette(muted);

    m_ui->busyRow->hide();
    m_ui->backButton->hide();
    m_ui->databaseCombo->lineEdit()->setPlaceholderText(tr("Path of a kohakuriver.db file"));
    m_ui->databaseCombo->setToolTip(
        tr("The platform database: the host's kohakuriver.db, a copy or backup of it, "
           "or one made here"));
    m_ui->usernameEdit->setInputMethodHints(Qt::ImhNoAutoUppercase | Qt::ImhNoPredictiveText);
    m_ui->passwordEdit->setInputMethodHints(
        Qt::ImhHiddenText | Qt::ImhNoPredictiveText | Qt::ImhSensitiveData);
    m_ui->firstAdminForm->setPasswordPolicy([this](const QString &pw) -> Status {
        return m_store ? m_store->checkPasswordPolicy(pw) : Status {};
    });
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("submitButton"));
    m_ui->buttonBox->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &SignInDialog::submit);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &SignInDialog::reject);
    connect(m_ui->browseButton, &QPushButton::clicked, this, &SignInDialog::chooseExistingFile);
    connect(m_ui->newDatabaseButton, &QPushButton::clicked, this, &SignInDialog::chooseNewFile);
    connect(m_ui->backButton, &QPushButton::clicked, this, &SignInDialog::goBack);
    connect(&m_authWatcher, &QFutureWatcherBase::finished, this, &SignInDialog::onAuthenticated);
    connect(&m_hashWatcher, &QFutureWatcherBase::finished, this, &SignInDialog::onAdminHashed);
    connect(&m_sampleWatcher, &QFutureWatcherBase::finished, this, &SignInDialog::onSampleDataDone);

    fillRecentFiles(m_settings.lastDatabase());
    m_ui->readOnlyCheck->setChecked(m_settings.lastReadOnly());
    showPage(Page::SignIn);
}

SignInDialog::~SignInDialog()
{
    // authenticate() runs on a worker with a pointer to m_store: let it finish first (at most
    // the quarter second of one bcrypt check).
    m_authWatcher.waitForFinished();
}

void SignInDialog::fillRecentFiles(const QString &current)
{
    QStringList files = m_settings.recentFiles();
    if (!current.isEmpty() && !files.contains(current))
        files.prepend(current);
    m_ui->databaseCombo->clear();
    m_ui->databaseCombo->addItems(files);
    m_ui->databaseCombo->setCurrentText(current.isEmpty() && !files.isEmpty() ? files.first() : current);
}

void SignInDialog::setRequest(const SignInRequest &request)
{
    m_ui->errorBanner->clear();
    const QString path
        = request.path.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(request.path).absoluteFilePath());
    fillRecentFiles(path);
    m_ui->readOnlyCheck->setChecked(request.mode == SignInRequest::Mode::OpenReadOnly);
    if (!request.username.isEmpty()) {
        m_ui->usernameEdit->setText(request.username);
        m_ui->firstAdminForm->setUsername(request.username);
    }
    if (request.mode == SignInRequest::Mode::Create) {
        if (createStore(path))
            showFirstAdminSetup();
        return;
    }
    showPage(Page::SignIn);
}

void SignInDialog::setSampleDataOptions(const SampleDataOptions &options)
{
    m_sampleOptions = options;
}

std::unique_ptr<Session> SignInDialog::takeSession()
{
    return std::move(m_session);
}

QString SignInDialog::currentPath() const
{
    const QString text = m_ui->databaseCombo->currentText().trimmed();
    if (text.isEmpty())
        return {};
    return QDir::cleanPath(QFileInfo(QDir::fromNativeSeparators(text)).absoluteFilePath());
}

// --- pages --------------------------------------------------------------------------------------

void SignInDialog::showPage(Page page)
{
    m_page = page;
    QPushButton *submitButton = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    if (page == Page::SignIn) {
        m_ui->pages->setCurrentWidget(m_ui->signInPage);
        m_ui->headerTitle->setText(tr("Sign in to a platform database"));
        m_ui->headerSubtitle->setText(
            tr("The KohakuRiver host's kohakuriver.db, a copy or backup of it, or a new "
               "platform made here."));
        submitButton->setText(tr("&Sign In"));
        m_ui->newDatabaseButton->show();
        m_ui->backButton->hide();
        setWindowTitle(tr("Sign In \u2014 Riverkeeper"));
        if (m_ui->usernameEdit->text().isEmpty())
            m_ui->usernameEdit->setFocus();
        else
            m_ui->passwordEdit->setFocus();
    } else {
        m_ui->pages->setCurrentWidget(m_ui->firstAdminPage);
        m_ui->headerTitle->setText(tr("Set up the first administrator"));
        m_ui->headerSubtitle->setText(QDir::toNativeSeparators(m_storePath));
        submitButton->setText(tr("&Create Administrator"));
        m_ui->newDatabaseButton->hide();
        m_ui->backButton->show();
        setWindowTitle(tr("First Administrator \u2014 Riverkeeper"));
        m_ui->firstAdminForm->focusFirstField();
    }
    submitButton->setDefault(true);
    // The stack would be as tall as its tallest page: size it by the page shown.
    for (QWidget *w : {m_ui->signInPage, m_ui->firstAdminPage}) {
        const bool current = w == m_ui->pages->currentWidget();
        w->setSizePolicy(current ? QSizePolicy::Preferred : QSizePolicy::Ignored,
            current ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    }
    m_ui->pages->adjustSize();
    adjustSize();
}

void SignInDialog::showFirstAdminSetup()
{
    m_ui->firstAdminForm->setSampleDataOffered(
        m_store && !m_store->isReadOnly() && hasNoUsers(*m_store), m_sampleOptions.password);
    showPage(Page::FirstAdmin);
}

void SignInDialog::goBack()
{
    if (m_busy)
        return;
    m_ui->errorBanner->clear();
    m_ui->firstAdminForm->clearPasswords();
    if (m_createdHere) {
        // Going back from a file made a moment ago: leave nothing half-made behind.
        const QString path = m_storePath;
        closeStore();
        m_ui->databaseCombo->setCurrentText(path);
    }
    showPage(Page::SignIn);
}

void SignInDialog::reject()
{
    if (m_busy) {
        // The worker cannot be stopped mid-hash; close as soon as it is done.
        m_rejectWhenIdle = true;
        m_ui->busyLabel->setText(tr("Cancelling\u2026"));
        return;
    }
    closeStore();
    QDialog::reject();
}

void SignInDialog::setBusy(bool busy, const QString &what)
{
    m_busy = busy;
    m_ui->busyLabel->setText(what);
    m_ui->busyRow->setVisible(busy);
    m_ui->pages->setEnabled(!busy);
    m_ui->newDatabaseButton->setEnabled(!busy);
    m_ui->backButton->setEnabled(!busy);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    if (busy)
        m_ui->errorBanner->clear();
    setCursor(busy ? Qt::BusyCursor : Qt::ArrowCursor);
    adjustSize();
    Q_EMIT busyChanged(busy);
}

void SignInDialog::showError(const QString &message)
{
    m_ui->errorBanner->showError(message);
    adjustSize();
}

// --- files and stores ---------------------------------------------------------------------------

void SignInDialog::chooseExistingFile()
{
    const QString path = filedialogs::chooseExisting(this, tr("Open Platform Database"), currentPath());
    if (path.isEmpty())
        return;
    m_ui->databaseCombo->setCurrentText(QDir::toNativeSeparators(path));
    m_ui->errorBanner->clear();
    m_ui->usernameEdit->setFocus();
}

void SignInDialog::chooseNewFile()
{
    const QString path = filedialogs::chooseNew(this);
    if (path.isEmpty())
        return;
    m_ui->errorBanner->clear();
    m_ui->databaseCombo->setCurrentText(QDir::toNativeSeparators(path));
    if (createStore(path))
        showFirstAdminSetup();
}

bool SignInDialog::ensureStore(const QString &path, bool readOnly)
{
    if (m_store && m_storePath == path && m_storeReadOnly == readOnly)
        return true;
    closeStore();
    auto opened = PlatformStore::open(
        path, readOnly ? PlatformStore::Access::ReadOnly : PlatformStore::Access::ReadWrite);
    if (!opened) {
        qCInfo(lcUi) << "cannot open" << path << opened.error().message;
        showError(opened.error().message);
        return false;
    }
    m_store = std::move(opened).value();
    m_storePath = path;
    m_storeReadOnly = readOnly;
    return true;
}

bool SignInDialog::createStore(const QString &path)
{
    closeStore();
    if (path.isEmpty()) {
        showError(tr("Choose where to create the new platform database."));
        return false;
    }
    // The default location (and any folder typed by hand) may not exist yet.
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        showError(tr("The folder %1 cannot be created.")
                      .arg(QDir::toNativeSeparators(QFileInfo(path).absolutePath())));
        return false;
    }
    auto created = PlatformStore::create(path);
    if (!created) {
        showError(created.error().message);
        return false;
    }
    m_store = std::move(created).value();
    m_storePath = path;
    m_storeReadOnly = false;
    m_createdHere = true;
    m_ui->readOnlyCheck->setChecked(false);
    qCInfo(lcUi) << "created platform database" << path;
    return true;
}

void SignInDialog::closeStore()
{
    if (!m_store)
        return;
    const bool removeFile = m_createdHere && !m_store->isReadOnly() && hasNoUsers(*m_store);
    m_store.reset();
    if (removeFile) {
        // Made by this dialog moments ago and still without a single user: nothing to keep.
        QFile::remove(m_storePath);
        QFile::remove(m_storePath + QStringLiteral("-journal"));
        qCInfo(lcUi) << "removed the unused new database" << m_storePath;
    }
    m_createdHere = false;
    m_storePath.clear();
}

// --- submitting ---------------------------------------------------------------------------------

void SignInDialog::submit()
{
    if (m_busy)
        return;
    if (m_adminCreated) {
        finish(*m_adminCreated);
        return;
    }
    if (m_page == Page::SignIn)
        submitSignIn();
    else
        submitFirstAdmin();
}

void SignInDialog::submitSignIn()
{
    m_ui->errorBanner->clear();
    const QString path = currentPath();
    if (path.isEmpty()) {
        showError(tr("Choose a platform database file, or create a new one."));
        m_ui->databaseCombo->setFocus();
        return;
    }
    const bool readOnly = m_ui->readOnlyCheck->isChecked();
    if (!ensureStore(path, readOnly))
        return;
    if (m_store->needsFirstAdmin()) {
        if (m_store->isReadOnly()) {
            showError(tr("%1 has no active administrator, so nobody can sign in to it, and it is open "
                         "read-only, so none can be created. Open it read-write to set up its first "
                         "administrator.")
                          .arg(QFileInfo(path).fileName()));
            return;
        }
        showFirstAdminSetup();
        return;
    }
    const QString username = m_ui->usernameEdit->text().trimmed();
    const QString password = m_ui->passwordEdit->text();
    if (username.isEmpty()) {
        showError(tr("Enter your username."));
        m_ui->usernameEdit->setFocus();
        return;
    }
    if (password.isEmpty()) {
        showError(tr("Enter your password."));
        m_ui->passwordEdit->setFocus();
        return;
    }
    setBusy(true, tr("Checking the password\u2026"));
    PlatformStore *store = m_store.get();
    const QString origin = m_origin;
    m_authWatcher.setFuture(QtConcurrent::run(
        [store, username, password, origin]() { return store->authenticate(username, password, origin); }));
}

void SignInDialog::onAuthenticated()
{
    const Result<Actor> result = m_authWatcher.result();
    setBusy(false);
    if (m_rejectWhenIdle) {
        reject();
        return;
    }
    if (!result) {
        showError(result.error().message);
        m_ui->passwordEdit->clear();
        m_ui->passwordEdit->setFocus();
        return;
    }
    m_ui->passwordEdit->clear();
    finish(result.value());
}

void SignInDialog::submitFirstAdmin()
{
    m_ui->errorBanner->clear();
    if (!m_store) {
        showPage(Page::SignIn);
        return;
    }
    const QString problem = m_ui->firstAdminForm->problem();
    if (!problem.isEmpty()) {
        showError(problem);
        return;
    }
    setBusy(true, tr("Hashing the password\u2026"));
    const QString password = m_ui->firstAdminForm->password();
    m_hashWatcher.setFuture(QtConcurrent::run([password]() { return Passwords::hash(password); }));
}

void SignInDialog::onAdminHashed()
{
    const Result<PasswordHash> hash = m_hashWatcher.result();
    if (m_rejectWhenIdle) {
        setBusy(false);
        reject();
        return;
    }
    if (!hash) {
        setBusy(false);
        showError(hash.error().message);
        return;
    }
    auto admin = m_store->createFirstAdmin(
        m_ui->firstAdminForm->username(), m_ui->firstAdminForm->displayName(), hash.value(), m_origin);
    if (!admin) {
        setBusy(false);
        showError(admin.error().message);
        return;
    }
    m_createdHere = false; // it has a user now: never removed
    m_ui->firstAdminForm->clearPasswords();
    qCInfo(lcUi) << "first administrator created in" << m_storePath;
    if (!m_ui->firstAdminForm->sampleDataChosen()) {
        setBusy(false);
        finish(admin.value());
        return;
    }
    // Sample data is a few hundred short transactions: fill it through a store of its own on a
    // worker thread (the UI's store stays idle meanwhile and sees the rows afterwards).
    m_adminCreated = admin.value();
    m_ui->busyLabel->setText(tr("Filling in the sample data\u2026"));
    const QString path = m_storePath;
    const Actor actor = admin.value();
    const SampleDataOptions options = m_sampleOptions;
    m_sampleWatcher.setFuture(QtConcurrent::run([path, actor, options]() -> Status {
        auto worker = PlatformStore::open(path, PlatformStore::Access::ReadWrite);
        if (!worker)
            return worker.error();
        return SampleData::populate(*worker.value(), actor, options);
    }));
}

void SignInDialog::onSampleDataDone()
{
    const Status st = m_sampleWatcher.result();
    setBusy(false);
    if (!st) {
        // The administrator exists: offer to sign in anyway, and say what is missing.
        m_ui->errorBanner->showMessage(InlineBanner::Kind::Warning,
            tr("The administrator was created, but filling in the sample data "
               "failed: %1 Press Sign In to continue without it.")
                .arg(st.error().message));
        m_ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("&Sign In"));
        m_ui->pages->setEnabled(false);
        m_ui->backButton->setEnabled(false);
        return;
    }
    const Actor actor = *m_adminCreated;
    if (m_rejectWhenIdle) {
        // The administrator and the data exist; cancelling now only means "not signed in".
        m_adminCreated.reset();
        reject();
        return;
    }
    finish(actor);
}

void SignInDialog::finish(const Actor &actor)
{
    m_adminCreated.reset();
    m_settings.addRecentFile(m_storePath);
    m_settings.setLastDatabase(m_storePath, m_store->isReadOnly());
    m_session = std::make_unique<Session>();
    m_session->store = std::move(m_store);
    m_session->actor = actor;
    m_createdHere = false;
    m_storePath.clear();
    qCInfo(lcUi) << "signed in as" << actor.username;
    accept();
}

} // namespace rk
