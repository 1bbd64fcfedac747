#include "CreateTokenDialog.h"

#include "core/Role.h"
#include "store/PlatformStore.h"
#include "ui_CreateTokenDialog.h"
#include "widgets/InlineBanner.h"
#include "widgets/UserPickerDialog.h"

#include <QPushButton>

namespace rk {

namespace {

constexpr int kMaxNameLength = 100; // tokens.name VARCHAR(100), as the host's API checks it

qsizetype codePoints(const QString &text)
{
    return text.toUcs4().size();
}

QPalette muted(const QWidget *widget)
{
    QPalette pal = widget->palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
    return pal;
}

} // namespace

CreateTokenDialog::CreateTokenDialog(PlatformStore &store, const Actor &actor, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::CreateTokenDialog>()), m_store(store), m_actor(actor)
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("createTokenDialog"));
    QPushButton *create = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    create->setText(tr("&Create Token"));
    create->setObjectName(QStringLiteral("createButton"));
    m_ui->buttonBox->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    m_ui->nameHint->setPalette(muted(m_ui->nameHint));
    m_ui->ownerNote->setPalette(muted(m_ui->ownerNote));
    m_ui->ownerNote->hide();
    m_ui->errorBanner->hide();

    connect(m_ui->chooseOwnerButton, &QPushButton::clicked, this, &CreateTokenDialog::chooseOwner);
    connect(m_ui->nameEdit, &QLineEdit::textChanged, this, &CreateTokenDialog::updateState);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &CreateTokenDialog::submit);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_ui->nameEdit->setFocus();
    updateState();
}

CreateTokenDialog::~CreateTokenDialog() = default;

void CreateTokenDialog::setOwner(qint64 userId, const QString &username)
{
    m_ownerId = userId;
    m_ownerName = username;
    m_ownerTokenNames.clear();
    QString note;
    auto user = m_store.user(m_actor, userId);
    if (user) {
        m_ui->ownerLabel->setText(tr("<b>%1</b> (%2)")
                                      .arg(user->username.toHtmlEscaped(),
                                          roles::displayName(roles::fromString(user->role)).toHtmlEscaped()));
        if (!user->active)
            note = tr("%1 is suspended: the host treats the token as anonymous until the account is "
                      "activated again.")
                       .arg(user->username);
        else if (roles::fromString(user->role) == Role::Admin)
            note = tr("The token acts with %1's administrator role on the host's API.").arg(user->username);
    } else {
        m_ui->ownerLabel->setText(username.toHtmlEscaped());
        note = user.error().message;
    }
    if (auto tokens = m_store.listTokens(m_actor, userId)) {
        for (const TokenRecord &token : tokens.value())
            m_ownerTokenNames << token.name;
    }
    m_ui->ownerNote->setText(note);
    m_ui->ownerNote->setVisible(!note.isEmpty());
    m_ui->chooseOwnerButton->setText(tr("C&hange\u2026"));
    updateState();
}

QString CreateTokenDialog::tokenName() const
{
    return m_ui->nameEdit->text().trimmed();
}

QString CreateTokenDialog::problem() const
{
    if (!m_ownerId)
        return tr("Choose whose token it is.");
    const QString name = tokenName();
    if (name.isEmpty())
        return tr("Give the token a name that says where it is used.");
    if (codePoints(name) > kMaxNameLength)
        return tr("The name can have at most %1 characters.").arg(kMaxNameLength);
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator
            || c == QChar::ParagraphSeparator)
            return tr("The name must be one line without control characters.");
    }
    return {};
}

void CreateTokenDialog::chooseOwner()
{
    auto *picker = new UserPickerDialog(m_store.path(), UserPickerDialog::Mode::Single, this);
    picker->setAttribute(Qt::WA_DeleteOnClose);
    picker->setWindowTitle(tr("Token Owner"));
    picker->setPrompt(tr("Whose API token is it? The token acts with that user's role."));
    picker->setAcceptText(tr("&Choose"));
    connect(picker, &QDialog::accepted, this, [this, picker]() {
        const QList<UserPickerDialog::Choice> chosen = picker->choices();
        if (!chosen.isEmpty())
            setOwner(chosen.front().id, chosen.front().username);
        m_ui->nameEdit->setFocus();
    });
    picker->open();
}

void CreateTokenDialog::updateState()
{
    if (!m_ownerId) {
        m_ui->ownerLabel->setText(tr("<i>nobody chosen yet</i>"));
        m_ui->chooseOwnerButton->setText(tr("C&hoose\u2026"));
    }
    const QString name = tokenName();
    QString hint
        = tr("Up to %1 characters. The owner sees this name in their token list.").arg(kMaxNameLength);
    if (!name.isEmpty() && m_ownerTokenNames.contains(name))
        hint = tr("%1 already has a token named %2. That is allowed, but a distinct name tells them apart "
                  "when one is revoked.")
                   .arg(m_ownerName, QStringLiteral("\u201c%1\u201d").arg(name));
    const QString issue = problem();
    // Say what is wrong with the name once something was typed; before that, only what is wanted.
    if (!name.isEmpty() && !issue.isEmpty() && m_ownerId)
        hint = issue;
    m_ui->nameHint->setText(hint);
    QPushButton *create = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    create->setEnabled(issue.isEmpty());
    create->setToolTip(issue);
}

void CreateTokenDialog::submit()
{
    if (const QString issue = problem(); !issue.isEmpty()) {
        m_ui->errorBanner->showError(issue);
        return;
    }
    auto made = m_store.createToken(m_actor, *m_ownerId, tokenName());
    if (!made) {
        m_ui->errorBanner->showError(tr("Could not create the token: %1").arg(made.error().message));
        return;
    }
    m_ui->errorBanner->clear();
    Q_EMIT created(made.value());
    accept();
}

} // namespace rk
