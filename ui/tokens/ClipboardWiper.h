#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>

class QTimer;

namespace rk {

// Puts a secret on the clipboard and takes it off again after a delay, but only if the clipboard
// (or, on X11, the primary selection) still holds exactly that secret: whatever the user copied
// since is left alone. Only a SHA-256 of the secret is kept meanwhile, never the text. The
// clipboard data carries the "x-kde-passwordManagerHint: secret" hint, so clipboard managers that
// honour it (Klipper, and others that follow KeePassXC's lead) keep it out of their history.
// A secret still pending when the wiper goes (the page closes, the app quits) is wiped then.
// UI thread only.
class ClipboardWiper : public QObject
{
    Q_OBJECT

public:
    explicit ClipboardWiper(QObject *parent = nullptr);
    ~ClipboardWiper() override;

    // Milliseconds from copying to wiping (60 s unless set).
    void setDelay(int ms) { m_delayMs = ms; }
    int delay() const { return m_delayMs; }

    // Copies `secret` to the clipboard and wipes it after delay(); wiped() follows.
    void copy(const QString &secret);
    // Also wipe `secret` later when the user copied it by hand (selected it and pressed Ctrl+C):
    // true when the clipboard holds it now, and a wipe was scheduled.
    bool adoptIfOnClipboard(const QString &secret);
    // Whether the clipboard holds `secret` now.
    static bool clipboardHolds(const QString &secret);

    int pendingCount() const { return int(m_pending.size()); }

Q_SIGNALS:
    // The delay of a copy ran out; `cleared` says whether the secret was still there and removed.
    void wiped(bool cleared);

private:
    struct Pending
    {
        QByteArray digest;
        QTimer *timer = nullptr;
    };
    void schedule(const QString &secret);
    bool wipe(const QByteArray &digest);

    int m_delayMs = 60000;
    QList<Pending> m_pending;
};

} // namespace rk
