#include "CreateInvitationDialog.h"

#include "IconFactory.h"
#include "core/Role.h"
#include "store/PlatformStore.h"
#include "ui_CreateInvitationDialog.h"
#include "useradmin/UsersTableDelegate.h"

#include <QDateTime>
#include <QPushButton>

namespace rk {

namespace {

constexpr int kCustom = -1;
constexpr int kDefaultHours = 72;

QPalette mutedPalette(const QWidget *widget)
{
    QPalette pal = widget->palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
    return pal;
}

} // namespace

CreateInvitationDialog::CreateInvitationDialog(QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::CreateInvitationDialog>())
{
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("createInvitationDialog"));
    setWindowIcon(icons::appIcon());
    for (QLabel *note : {m_ui->roleNote, m_ui->groupNote, m_ui->expiryNote, m_ui->maxUsesHint})
        note->setPalette(mutedPalette(note));
    m_ui->errorBanner->hide();
    setMinimumWidth(540);
    QPushButton *ok = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    ok->setObjectName(QStringLiteral("submitButton"));
    ok->setText(tr("&Create Invitation"));
    m_ui->buttonBox->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    for (const QString &role : roles::assignable())
        m_ui->roleCombo->addItem(roles::displayName(roles::fromString(role)), role);
    // The least a new account can do; the dashboard starts there too.
    m_ui->roleCombo->setCurrentIndex(m_ui->roleCombo->findData(roles::toString(Role::Viewer)));

    m_ui->groupCombo->addItem(tr("No group"), QVariant());
    m_ui->groupNote->setText(
        tr("The host records the group with the invitation but does not add new accounts "
           "to it (KohakuRiver 0.4): add them on the Groups page once they have "
           "registered."));

    m_ui->maxUsesSpin->setRange(1, PlatformStore::kMaxInvitationUses);
    m_ui->maxUsesSpin->setToolTip(tr("How many accounts can be created with this link (1 to %L1)")
                                      .arg(PlatformStore::kMaxInvitationUses));

    m_ui->expiryCombo->addItem(tr("1 day"), 24);
    m_ui->expiryCombo->addItem(tr("3 days"), 72);
    m_ui->expiryCombo->addItem(tr("7 days"), 168);
    m_ui->expiryCombo->addItem(tr("30 days"), 720);
    m_ui->expiryCombo->addItem(tr("Custom\u2026"), kCustom);
    m_ui->expiryCombo->setCurrentIndex(m_ui->expiryCombo->findData(kDefaultHours));
    m_ui->customHoursSpin->setRange(1, PlatformStore::kMaxInvitationHours);
    m_ui->customHoursSpin->setValue(kDefaultHours);
    m_ui->customHoursSpin->setSuffix(tr(" hours"));
    m_ui->customHoursSpin->setToolTip(
        tr("The host accepts 1 to %1 hours (30 days)").arg(PlatformStore::kMaxInvitationHours));

    connect(m_ui->roleCombo, &QComboBox::currentIndexChanged, this, &CreateInvitationDialog::updateRoleNote);
    connect(m_ui->expiryCombo, &QComboBox::currentIndexChanged, this, &CreateInvitationDialog::updateExpiry);
    connect(m_ui->customHoursSpin, &QSpinBox::valueChanged, this, &CreateInvitationDialog::updateExpiry);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, [this]() {
        if (m_busy)
            return;
        m_ui->errorBanner->clear();
        m_ui->errorBanner->hide();
        Q_EMIT submitted();
    });
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateRoleNote();
    updateExpiry();
    m_ui->roleCombo->setFocus();
}

CreateInvitationDialog::~CreateInvitationDialog() = default;

QList<int> CreateInvitationDialog::presetHours()
{
    return {24, 72, 168, 720};
}

void CreateInvitationDialog::limitToViewer(const QString &why)
{
    m_roleLimit = why;
    const QString viewer = roles::toString(Role::Viewer);
    for (int i = m_ui->roleCombo->count() - 1; i >= 0; --i) {
        if (m_ui->roleCombo->itemData(i).toString() != viewer)
            m_ui->roleCombo->removeItem(i);
    }
    m_ui->roleCombo->setToolTip(why);
    updateRoleNote();
}

void CreateInvitationDialog::setGroups(const std::vector<GroupRecord> &groups)
{
    for (const GroupRecord &g : groups)
        m_ui->groupCombo->addItem(g.name, g.id);
    m_ui->groupCombo->setEnabled(true);
}

void CreateInvitationDialog::disableGroups(const QString &why)
{
    m_ui->groupCombo->setCurrentIndex(0);
    m_ui->groupCombo->setEnabled(false);
    m_ui->groupCombo->setToolTip(why);
    m_ui->groupNote->setText(why);
}

void CreateInvitationDialog::askGroupId(const QString &why)
{
    m_groupIdEntry = true;
    m_ui->groupCombo->hide();
    m_ui->groupIdSpin->setSpecialValueText(tr("No group"));
    m_ui->groupIdSpin->setPrefix(tr("id "));
    m_ui->groupIdSpin->setValue(0);
    m_ui->groupIdSpin->setToolTip(why);
    m_ui->groupIdSpin->show();
    m_ui->groupLabel->setBuddy(m_ui->groupIdSpin);
    m_ui->groupNote->setText(why);
}

void CreateInvitationDialog::setBusy(bool busy, const QString &what)
{
    m_busy = busy;
    for (QWidget *field : {static_cast<QWidget *>(m_ui->roleCombo), static_cast<QWidget *>(m_ui->groupIdSpin),
             static_cast<QWidget *>(m_ui->maxUsesSpin), static_cast<QWidget *>(m_ui->expiryCombo),
             static_cast<QWidget *>(m_ui->customHoursSpin)})
        field->setEnabled(!busy);
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    setCursor(busy ? Qt::BusyCursor : Qt::ArrowCursor);
    if (busy && !what.isEmpty()) {
        m_ui->errorBanner->showMessage(InlineBanner::Kind::Info, what);
        m_ui->errorBanner->show();
    } else if (!busy) {
        m_ui->errorBanner->clear();
        m_ui->errorBanner->hide();
    }
}

NewInvitation CreateInvitationDialog::invitation() const
{
    NewInvitation inv;
    inv.role = m_ui->roleCombo->currentData().toString();
    const QVariant group = m_ui->groupCombo->currentData();
    if (m_groupIdEntry) {
        if (m_ui->groupIdSpin->value() > 0)
            inv.groupId = m_ui->groupIdSpin->value();
    } else if (group.isValid()) {
        inv.groupId = group.toLongLong();
    }
    inv.maxUsage = m_ui->maxUsesSpin->value();
    inv.expiresHours = expiresHours();
    return inv;
}

int CreateInvitationDialog::expiresHours() const
{
    const int preset = m_ui->expiryCombo->currentData().toInt();
    return preset == kCustom ? m_ui->customHoursSpin->value() : preset;
}

void CreateInvitationDialog::showError(const QString &message)
{
    m_ui->errorBanner->showError(message);
    m_ui->errorBanner->show();
}

void CreateInvitationDialog::updateRoleNote()
{
    if (!m_roleLimit.isEmpty()) {
        m_ui->roleNote->setText(m_roleLimit);
        return;
    }
    switch (roles::fromString(m_ui->roleCombo->currentData().toString())) {
    case Role::Viewer: m_ui->roleNote->setText(tr("New accounts can view nodes and tasks.")); break;
    case Role::User:
        m_ui->roleNote->setText(tr("New accounts can also submit tasks, which wait for approval."));
        break;
    case Role::Operator:
        m_ui->roleNote->setText(tr("New accounts can also approve tasks, manage VPS and invite viewers."));
        break;
    case Role::Admin:
        m_ui->roleNote->setText(
            tr("Whoever opens this link can become an administrator of the whole platform. "
               "Prefer a single use and a short expiry."));
        break;
    case Role::Anony: m_ui->roleNote->clear(); break;
    }
}

void CreateInvitationDialog::updateExpiry()
{
    const bool custom = m_ui->expiryCombo->currentData().toInt() == kCustom;
    m_ui->customHoursSpin->setVisible(custom);
    const int hours = expiresHours();
    const QDateTime until = QDateTime::currentDateTime().addSecs(qint64(hours) * 3600);
    m_ui->expiryNote->setText(tr("Valid until %1.").arg(UsersTableDelegate::formatDateTime(until)));
}

} // namespace rk
