#include "InvitationLinkDialog.h"

#include "ActionGate.h"
#include "IconFactory.h"
#include "core/HostTime.h"
#include "store/PlatformStore.h"
#include "ui_InvitationLinkDialog.h"
#include "useradmin/UsersTableDelegate.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QPushButton>

namespace rk {

namespace {

QPalette mutedPalette(const QWidget *widget)
{
    QPalette pal = widget->palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
    return pal;
}

QString when(const QString &hostTime)
{
    const QDateTime at = hosttime::toDateTime(hostTime);
    return at.isValid() ? UsersTableDelegate::formatDateTime(at) : hostTime;
}

} // namespace

InvitationLinkDialog::InvitationLinkDialog(PlatformStore &store, const Actor &actor,
    const InvitationRecord &invitation, Occasion occasion, QWidget *parent)
    : QDialog(parent),
      m_ui(std::make_unique<Ui::InvitationLinkDialog>()),
      m_store(&store),
      m_actor(actor),
      m_invitation(invitation)
{
    setUp(occasion);
    const ActionGate gate = ActionGate::forPermission(store, actor, Permission::SystemSettings);
    m_canSetBaseUrl = gate.allowed;
    m_whyNotBaseUrl = gate.reason;
    m_ui->baseUrlEdit->setText(store.setting(QString::fromLatin1(PlatformStore::kBaseUrlKey)));
    updateLink();
}

InvitationLinkDialog::InvitationLinkDialog(
    const InvitationRecord &invitation, const QString &link, QWidget *parent)
    : QDialog(parent),
      m_ui(std::make_unique<Ui::InvitationLinkDialog>()),
      m_invitation(invitation),
      m_link(link)
{
    setUp(Occasion::Created);
    m_ui->summaryLabel->setText(m_ui->summaryLabel->text() + QLatin1Char(' ')
        + tr("Copy it now: Riverkeeper keeps only the first characters of the token (it is a secret), so "
             "this link cannot be shown again."));
    m_whyNotBaseUrl = tr("The link starts with this profile's base URL.");
    updateLink();
}

void InvitationLinkDialog::setUp(Occasion occasion)
{
    const InvitationRecord &invitation = m_invitation;
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("invitationLinkDialog"));
    setWindowIcon(icons::appIcon());
    m_ui->statusLabel->setPalette(mutedPalette(m_ui->statusLabel));
    m_ui->baseUrlBanner->setClosable(false);
    m_ui->buttonBox->button(QDialogButtonBox::Close)->setObjectName(QStringLiteral("closeButton"));
    QFont heading = m_ui->headingLabel->font();
    heading.setPointSizeF(heading.pointSizeF() * 1.2);
    heading.setWeight(QFont::DemiBold);
    m_ui->headingLabel->setFont(heading);
    m_ui->tokenEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_ui->tokenEdit->setText(invitation.token);
    m_ui->tokenEdit->setCursorPosition(0);
    m_ui->linkEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    m_ui->headingLabel->setText(
        occasion == Occasion::Created ? tr("Invitation created") : tr("Invitation %1").arg(invitation.id));
    const QString role = roles::displayName(roles::fromString(invitation.role));
    const int left = qMax(0, invitation.maxUsage - invitation.usageCount);
    QString summary = invitation.state == InvitationRecord::State::Valid
        ? tr("Send this link to the people you invite: it lets them create an account as %1 until %2 "
             "(uses left: %L3).")
              .arg(role, when(invitation.expiresAt))
              .arg(left)
        : tr("This invitation can no longer be used (%1): the link is shown for reference.")
              .arg(invitation.state == InvitationRecord::State::Expired
                      ? tr("expired %1").arg(when(invitation.expiresAt))
                      : tr("used up"));
    if (!invitation.groupName.isEmpty())
        summary += QLatin1Char(' ') + tr("Group: %1.").arg(invitation.groupName);
    m_ui->summaryLabel->setText(summary);

    connect(m_ui->copyLinkButton, &QPushButton::clicked, this, &InvitationLinkDialog::copyLink);
    connect(m_ui->copyTokenButton, &QPushButton::clicked, this, &InvitationLinkDialog::copyToken);
    connect(m_ui->saveBaseUrlButton, &QPushButton::clicked, this, &InvitationLinkDialog::saveBaseUrl);
    connect(m_ui->baseUrlEdit, &QLineEdit::returnPressed, this, &InvitationLinkDialog::saveBaseUrl);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

InvitationLinkDialog::~InvitationLinkDialog() = default;

void InvitationLinkDialog::updateLink()
{
    if (m_store)
        m_link = m_store->registrationLink(m_invitation.token);
    const bool hasLink = !m_link.isEmpty();
    m_ui->linkEdit->setText(m_link);
    m_ui->linkEdit->setCursorPosition(0);
    m_ui->form->setRowVisible(m_ui->linkRow, hasLink);
    m_ui->form->setRowVisible(m_ui->baseUrlRow, !hasLink && m_canSetBaseUrl);
    if (hasLink) {
        m_ui->baseUrlBanner->clear();
        m_ui->baseUrlBanner->hide();
        m_ui->copyLinkButton->setDefault(true);
        m_ui->copyLinkButton->setFocus();
        return;
    }
    const QString what = tr("No base URL is set, so Riverkeeper cannot build the registration link "
                            "(<base>/register?token=\u2026). The base URL is the address people open the "
                            "KohakuRiver dashboard at.");
    QString text = what + QLatin1Char(' ');
    if (m_canSetBaseUrl) {
        text += tr("Set it here; it is used for every invitation.");
    } else {
        text += tr("An administrator can set it (Settings: general.base_url). Meanwhile, copy the token: it "
                   "is what the link carries.");
        if (!m_whyNotBaseUrl.isEmpty())
            text += QLatin1Char(' ') + m_whyNotBaseUrl;
    }
    m_ui->baseUrlBanner->showMessage(InlineBanner::Kind::Warning, text);
    m_ui->baseUrlBanner->show();
    if (m_canSetBaseUrl)
        m_ui->baseUrlEdit->setFocus();
    else
        m_ui->copyTokenButton->setFocus();
}

void InvitationLinkDialog::saveBaseUrl()
{
    const QString url = m_ui->baseUrlEdit->text().trimmed();
    if (url.isEmpty()) {
        m_ui->statusLabel->setText(tr("Enter the base URL first, for example https://cluster.example.org."));
        return;
    }
    if (!m_store || !m_canSetBaseUrl)
        return;
    const Status st = m_store->setSetting(m_actor, QString::fromLatin1(PlatformStore::kBaseUrlKey), url);
    if (!st) {
        m_ui->statusLabel->setText(st.error().message);
        return;
    }
    m_ui->statusLabel->setText(tr("Base URL saved: every invitation link now starts with %1.").arg(url));
    Q_EMIT statusMessage(tr("Base URL set to %1").arg(url));
    updateLink();
}

void InvitationLinkDialog::copyLink()
{
    if (m_link.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(m_link);
    m_ui->statusLabel->setText(tr("Link copied to the clipboard."));
    Q_EMIT statusMessage(tr("Invitation link copied"));
}

void InvitationLinkDialog::copyToken()
{
    QGuiApplication::clipboard()->setText(m_invitation.token);
    m_ui->statusLabel->setText(tr("Token copied to the clipboard."));
    Q_EMIT statusMessage(tr("Invitation token copied"));
}

} // namespace rk
