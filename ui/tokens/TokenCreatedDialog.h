#pragma once

#include "store/StoreTypes.h"

#include <QDialog>

#include <memory>

namespace Ui {
class TokenCreatedDialog;
}

namespace rk {

class ClipboardWiper;

// Shows a new token's plaintext, this once: monospace in a read-only, selectable field with a
// Copy button. Copy puts it on the clipboard through the page's ClipboardWiper, which takes it off
// again after the wiper's delay (60 s) if it is still there. Closing (Close, Esc, the window's
// ×) without having copied it asks first, saying that it cannot be shown again; a token the user
// copied by hand (selected and Ctrl+C) counts as copied and is wiped later too. On close the
// field is emptied. Nothing here logs or stores the plaintext.
class TokenCreatedDialog : public QDialog
{
    Q_OBJECT

public:
    TokenCreatedDialog(const CreatedToken &token, ClipboardWiper &wiper, QWidget *parent = nullptr);
    ~TokenCreatedDialog() override;

    bool wasCopied() const { return m_copied; }

    // Asks before closing while the token was not copied; closes at once otherwise.
    void done(int result) override;

private:
    void copy();

    std::unique_ptr<Ui::TokenCreatedDialog> m_ui;
    ClipboardWiper &m_wiper;
    QString m_name;
    QString m_plaintext;
    bool m_copied = false;
};

} // namespace rk
