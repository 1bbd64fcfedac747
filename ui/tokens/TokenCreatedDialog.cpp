#include "TokenCreatedDialog.h"

#include "ClipboardWiper.h"
#include "OwnerLabel.h"
#include "ui_TokenCreatedDialog.h"
#include "widgets/InlineBanner.h"
#include "widgets/MessageBox.h"

#include <QFontDatabase>
#include <QPushButton>

namespace rk {

namespace {

QString quoted(const QString &text)
{
    return QStringLiteral("\u201c%1\u201d").arg(text);
}

// "60 s", "2 min": the wiper's delay as the user reads it.
QString delayText(int ms)
{
    const int seconds = qMax(1, (ms + 999) / 1000);
    if (seconds % 60 == 0 && seconds >= 120)
        return TokenCreatedDialog::tr("%1 min").arg(seconds / 60);
    return TokenCreatedDialog::tr("%1 s").arg(seconds);
}

} // namespace

TokenCreatedDialog::TokenCreatedDialog(const CreatedToken &token, ClipboardWiper &wiper, QWidget *parent)
    : QDialog(parent),
      m_ui(std::make_unique<Ui::TokenCreatedDialog>()),
      m_wiper(wiper),
      m_name(token.record.name),
      m_plaintext(token.plaintext)
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("tokenCreatedDialog"));
    QPushButton *close = m_ui->buttonBox->button(QDialogButtonBox::Close);
    close->setObjectName(QStringLiteral("closeButton"));
    close->setAutoDefault(false);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_ui->headingLabel->setText(
        tr("The API token %1 of %2 was created.")
            .arg(quoted(token.record.name), owners::label(token.record.userId, token.record.owner)));
    m_ui->onceBanner->setClosable(false);
    m_ui->onceBanner->showMessage(InlineBanner::Kind::Warning,
        tr("Copy it now: this is the only time it is shown. The database keeps only its hash, so neither "
           "Riverkeeper nor the host can show it again."));

    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(m_ui->tokenField->font().pointSizeF());
    m_ui->tokenField->setFont(mono);
    m_ui->tokenField->setText(m_plaintext);
    m_ui->tokenField->setCursorPosition(0);
    // Wide enough for all 64 characters.
    m_ui->tokenField->setMinimumWidth(QFontMetrics(mono).horizontalAdvance(QString(66, QLatin1Char('0'))));
    m_ui->tokenField->setToolTip(tr("Select it or press Copy; it cannot be edited"));

    QPalette muted = m_ui->usageLabel->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_ui->usageLabel->setPalette(muted);
    m_ui->copiedLabel->setPalette(muted);
    m_ui->usageLabel->setText(
        tr("Programs send it as the HTTP header \u201cAuthorization: Bearer <token>\u201d. "
           "It acts with its owner's role until it is revoked; the host never expires it."));
    m_ui->copiedLabel->setText(tr("Copy puts it on the clipboard for %1, then Riverkeeper clears the "
                                  "clipboard if it still holds the token.")
                                   .arg(delayText(m_wiper.delay())));
    connect(m_ui->copyButton, &QPushButton::clicked, this, &TokenCreatedDialog::copy);
    m_ui->copyButton->setFocus();
    adjustSize();
}

TokenCreatedDialog::~TokenCreatedDialog() = default;

void TokenCreatedDialog::copy()
{
    m_wiper.copy(m_plaintext);
    m_copied = true;
    m_ui->copyButton->setText(tr("&Copy Again"));
    m_ui->copiedLabel->setText(tr("Copied. The clipboard will be cleared in %1 if it still holds the token.")
                                   .arg(delayText(m_wiper.delay())));
    m_ui->buttonBox->button(QDialogButtonBox::Close)->setDefault(true);
}

void TokenCreatedDialog::done(int result)
{
    // Copied by hand (selected, Ctrl+C): as good as Copy, and wiped later the same way.
    if (!m_copied && m_wiper.adoptIfOnClipboard(m_plaintext))
        m_copied = true;
    if (!m_copied) {
        MessageBox::Options ask;
        ask.title = tr("Token Not Copied");
        ask.text = tr("Close without copying the token %1?").arg(quoted(m_name));
        ask.informativeText
            = tr("It cannot be shown again: only its hash is stored. If it is lost, revoke it "
                 "and create a new one.");
        ask.accept = MessageBox::Button::Continue;
        ask.reject = MessageBox::Button::Cancel;
        ask.destructive = true;
        if (MessageBox::ask(this, ask) != MessageBox::Button::Continue)
            return;
    }
    m_ui->tokenField->clear();
    m_plaintext.clear();
    QDialog::done(result);
}

} // namespace rk
