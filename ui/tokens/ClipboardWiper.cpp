#include "ClipboardWiper.h"

#include <QClipboard>
#include <QCryptographicHash>
#include <QGuiApplication>
#include <QMimeData>
#include <QTimer>

namespace rk {

namespace {

QByteArray digestOf(const QString &text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
}

bool holds(QClipboard *clipboard, QClipboard::Mode mode, const QByteArray &digest)
{
    if (mode == QClipboard::Selection && !clipboard->supportsSelection())
        return false;
    const QString text = clipboard->text(mode);
    return !text.isEmpty() && digestOf(text) == digest;
}

} // namespace

ClipboardWiper::ClipboardWiper(QObject *parent) : QObject(parent)
{
}

ClipboardWiper::~ClipboardWiper()
{
    for (const Pending &pending : std::as_const(m_pending))
        wipe(pending.digest);
}

void ClipboardWiper::copy(const QString &secret)
{
    auto *data = new QMimeData;
    data->setText(secret);
    // Klipper and other clipboard managers skip entries with this hint.
    data->setData(QStringLiteral("x-kde-passwordManagerHint"), QByteArrayLiteral("secret"));
    QGuiApplication::clipboard()->setMimeData(data, QClipboard::Clipboard);
    schedule(secret);
}

bool ClipboardWiper::adoptIfOnClipboard(const QString &secret)
{
    if (!clipboardHolds(secret))
        return false;
    schedule(secret);
    return true;
}

bool ClipboardWiper::clipboardHolds(const QString &secret)
{
    if (secret.isEmpty())
        return false;
    QClipboard *clipboard = QGuiApplication::clipboard();
    const QByteArray digest = digestOf(secret);
    return holds(clipboard, QClipboard::Clipboard, digest) || holds(clipboard, QClipboard::Selection, digest);
}

void ClipboardWiper::schedule(const QString &secret)
{
    const QByteArray digest = digestOf(secret);
    // A second copy of the same secret restarts its delay.
    for (const Pending &pending : std::as_const(m_pending)) {
        if (pending.digest == digest) {
            pending.timer->start(m_delayMs);
            return;
        }
    }
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, timer]() {
        for (qsizetype i = 0; i < m_pending.size(); ++i) {
            if (m_pending.at(i).timer != timer)
                continue;
            const QByteArray due = m_pending.at(i).digest;
            m_pending.removeAt(i);
            timer->deleteLater();
            Q_EMIT wiped(wipe(due));
            return;
        }
    });
    m_pending.append({digest, timer});
    timer->start(m_delayMs);
}

bool ClipboardWiper::wipe(const QByteArray &digest)
{
    QClipboard *clipboard = QGuiApplication::clipboard();
    bool cleared = false;
    for (const QClipboard::Mode mode : {QClipboard::Clipboard, QClipboard::Selection}) {
        if (holds(clipboard, mode, digest)) {
            clipboard->clear(mode);
            cleared = true;
        }
    }
    return cleared;
}

} // namespace rk
