#include "GroupChoiceDialog.h"

#include "IconFactory.h"
#include "widgets/InlineBanner.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace rk {

namespace {
constexpr int kMembersRole = Qt::UserRole + 1;
constexpr int kNameRole = Qt::UserRole + 2;
} // namespace

GroupChoiceDialog::GroupChoiceDialog(const QString &prompt, const std::vector<GroupRecord> &groups,
    const QList<qint64> &alreadyAssigned, QWidget *parent)
    : QDialog(parent),
      m_prompt(new QLabel(prompt, this)),
      m_combo(new QComboBox(this)),
      m_hint(new QLabel(this)),
      m_error(new InlineBanner(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("assignGroupDialog"));
    setWindowTitle(tr("Assign Group"));
    setWindowIcon(icons::appIcon());
    m_combo->setObjectName(QStringLiteral("groupCombo"));
    m_hint->setObjectName(QStringLiteral("groupHint"));
    m_error->setObjectName(QStringLiteral("errorBanner"));
    m_prompt->setWordWrap(true);
    m_hint->setWordWrap(true);
    QPalette muted = m_hint->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_hint->setPalette(muted);
    m_error->hide();
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setObjectName(QStringLiteral("submitButton"));
    ok->setText(tr("&Assign Group"));
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));

    // A combo of a plain item model, so assigned groups can stay visible but disabled.
    auto *items = new QStandardItemModel(m_combo);
    int firstFree = -1;
    for (const GroupRecord &g : groups) {
        const bool assigned = alreadyAssigned.contains(g.id);
        auto *item = new QStandardItem(assigned
                ? tr("%1 (%L2 members, already assigned)").arg(g.name).arg(g.memberCount)
                : tr("%1 (%L2 members)").arg(g.name).arg(g.memberCount));
        item->setData(g.id, Qt::UserRole);
        item->setData(g.memberCount, kMembersRole);
        item->setData(g.name, kNameRole);
        if (assigned)
            item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
        else if (firstFree < 0)
            firstFree = items->rowCount();
        items->appendRow(item);
    }
    m_combo->setModel(items);
    m_combo->setCurrentIndex(firstFree);

    auto *form = new QFormLayout;
    auto *label = new QLabel(tr("&Group:"), this);
    label->setBuddy(m_combo);
    form->addRow(label, m_combo);
    form->addRow(QString(), m_hint);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 16, 18, 14);
    layout->setSpacing(10);
    layout->addWidget(m_prompt);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    connect(m_combo, &QComboBox::currentIndexChanged, this, &GroupChoiceDialog::updateHint);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this]() {
        m_error->hide();
        if (groupId() >= 0)
            Q_EMIT submitted();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(520, sizeHint().height());
    updateHint();
}

qint64 GroupChoiceDialog::groupId() const
{
    const QVariant id = m_combo->currentData(Qt::UserRole);
    if (!id.isValid()
        || !(
            m_combo->model()->flags(m_combo->model()->index(m_combo->currentIndex(), 0)) & Qt::ItemIsEnabled))
        return -1;
    return id.toLongLong();
}

QString GroupChoiceDialog::groupName() const
{
    return m_combo->currentData(kNameRole).toString();
}

void GroupChoiceDialog::showError(const QString &message)
{
    m_error->showError(message);
    m_error->show();
}

void GroupChoiceDialog::updateHint()
{
    const bool can = groupId() >= 0;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(can);
    if (m_combo->count() == 0) {
        m_hint->setText(
            tr("This platform has no groups yet: an administrator creates them on the Groups page."));
        return;
    }
    if (!can) {
        m_hint->setText(tr("Every group is already assigned to this VPS."));
        return;
    }
    m_hint->setText(tr("Its %L1 current members get this VPS now, and members who join later get it too. "
                       "Members who leave lose it, unless they are also assigned directly or through another "
                       "group.")
                        .arg(m_combo->currentData(kMembersRole).toInt()));
}

} // namespace rk
