#include "KeychainSecretStore.h"

#include <qt6keychain/keychain.h>

#include <QPointer>
#include <QTimer>

#include <memory>

namespace rk {

namespace {

Error keychainError(QKeychain::Error code, const QString &detail)
{
    switch (code) {
    case QKeychain::EntryNotFound:
        return Error::make(Error::Code::NotFound,
            QCoreApplication::translate(
                "rk::KeychainSecretStore", "The keychain has no secret for this connection."));
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return Error::make(Error::Code::Io,
            QCoreApplication::translate("rk::KeychainSecretStore", "The system keychain refused access (%1).")
                .arg(detail));
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Error::make(Error::Code::Io,
            QCoreApplication::translate("rk::KeychainSecretStore",
                "No system keychain is available (%1). Install and unlock GNOME Keyring or KWallet.")
                .arg(detail));
    default:
        return Error::make(Error::Code::Io,
            QCoreApplication::translate("rk::KeychainSecretStore", "The system keychain failed: %1")
                .arg(detail));
    }
}

// Starts `job`, answers `finish` once: with the job's outcome, or with a timeout error.
template<class Job, class Finish> void run(Job *job, int timeoutMs, QObject *context, Finish finish)
{
    auto answered = std::make_shared<bool>(false);
    QPointer<QObject> guard(context);
    auto *timer = new QTimer(job);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, context, [=]() mutable {
        if (*answered)
            return;
        *answered = true;
        finish(static_cast<Job *>(nullptr),
            Error::make(Error::Code::Io,
                QCoreApplication::translate("rk::KeychainSecretStore",
                    "The system keychain did not answer within %1 seconds. It may be locked and waiting "
                    "for a password prompt that cannot be shown.")
                    .arg(timeoutMs / 1000)));
    });
    QObject::connect(job, &QKeychain::Job::finished, context, [=](QKeychain::Job *) mutable {
        timer->stop();
        if (*answered)
            return;
        *answered = true;
        if (job->error() == QKeychain::NoError)
            finish(job, std::optional<Error>());
        else
            finish(job, std::optional<Error>(keychainError(job->error(), job->errorString())));
    });
    job->setAutoDelete(true);
    timer->start(timeoutMs);
    job->start();
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : KeychainSecretStore(QStringLiteral("riverkeeper"), kDefaultTimeoutMs, parent)
{
}

KeychainSecretStore::KeychainSecretStore(const QString &service, int timeoutMs, QObject *parent)
    : SecretStore(parent), m_service(service), m_timeoutMs(timeoutMs)
{
}

void KeychainSecretStore::read(const QString &key, QObject *context, ReadDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(key);
    run(job, m_timeoutMs, context,
        [done = std::move(done)](QKeychain::ReadPasswordJob *finished, const std::optional<Error> &error) {
            if (error)
                done(*error);
            else
                done(finished->textData());
        });
}

void KeychainSecretStore::write(const QString &key, const QString &secret, QObject *context, Done done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(key);
    job->setTextData(secret);
    run(job, m_timeoutMs, context,
        [done = std::move(done)](QKeychain::WritePasswordJob *, const std::optional<Error> &error) {
            done(error ? Status(*error) : Status());
        });
}

void KeychainSecretStore::remove(const QString &key, QObject *context, Done done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(key);
    run(job, m_timeoutMs, context,
        [done = std::move(done)](QKeychain::DeletePasswordJob *, const std::optional<Error> &error) {
            // Removing what is not there is success.
            if (error && error->code != Error::Code::NotFound)
                done(*error);
            else
                done(Status());
        });
}

QString KeychainSecretStore::description() const
{
    return tr("the system keychain");
}

} // namespace rk
