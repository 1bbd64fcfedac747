#include "GroupDialog.h"

#include "IconFactory.h"
#include "ui_GroupDialog.h"
#include "widgets/MessageBox.h"

#include <QHeaderView>
#include <QPushButton>

namespace rk {

namespace {

constexpr int kMaxNameLength = 100; // groups.name is VARCHAR(100); counted as Python counts

QString quoted(const QString &name)
{
    return QStringLiteral("\u201c%1\u201d").arg(name);
}

} // namespace

GroupDialog::GroupDialog(Mode mode, NameCheck nameCheck, QWidget *parent)
    : QDialog(parent),
      m_ui(std::make_unique<Ui::GroupDialog>()),
      m_mode(mode),
      m_nameCheck(std::move(nameCheck))
{
    m_ui->setupUi(this);
    setWindowIcon(icons::appIcon());
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("submitButton"));
    m_ui->buttonBox->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    m_ui->rawLimitsBanner->setClosable(false);
    m_ui->rawLimitsBanner->clear();
    m_ui->rawLimitsView->hide();
    m_ui->replaceLimitsButton->hide();
    m_ui->errorBanner->clear();

    QPalette muted = m_ui->enforcementNote->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_ui->enforcementNote->setPalette(muted);
    m_ui->introLabel->setPalette(muted);
    QPalette alert = m_ui->problemLabel->palette();
    alert.setColor(QPalette::WindowText, QColor(0xb3, 0x26, 0x1e));
    m_ui->problemLabel->setPalette(alert);
    m_ui->problemLabel->hide();

    QTableWidget *others = m_ui->otherKeysTable;
    others->verticalHeader()->hide();
    others->horizontalHeader()->setStretchLastSection(true);
    others->horizontalHeader()->setHighlightSections(false);
    others->verticalHeader()->setDefaultSectionSize(others->fontMetrics().height() + 8);
    others->setMaximumHeight(others->fontMetrics().height() * 8);

    const bool names = mode != Mode::Limits;
    const bool quotas = mode != Mode::Rename;
    m_ui->form->setRowVisible(m_ui->nameEdit, names);
    m_ui->form->setRowVisible(m_ui->tierSpin, quotas);
    for (QWidget *field : {m_ui->maxTasksEdit, m_ui->maxVpsEdit, m_ui->gpuCapEdit})
        m_ui->form->setRowVisible(field, quotas);
    m_ui->form->setRowVisible(m_ui->otherKeysTable, false);
    m_ui->enforcementNote->setVisible(quotas);
    m_ui->enforcementNote->setText(
        tr("Stored for the platform: the host does not enforce group tiers or limits yet. Nothing on the "
           "host reads groups.tier or limits_json today, so these numbers take effect only once a host "
           "version or tool reads them."));

    QPushButton *ok = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    switch (mode) {
    case Mode::Create:
        setWindowTitle(tr("New Group"));
        ok->setText(tr("&Create Group"));
        m_ui->introLabel->setText(
            tr("Name the group and, optionally, its quotas; empty quota fields mean no limit. Add members "
               "afterwards from the members list."));
        m_limits = GroupLimits::parse(QStringLiteral("{}"));
        m_ui->nameEdit->setFocus();
        break;
    case Mode::Rename:
        setWindowTitle(tr("Rename Group"));
        ok->setText(tr("&Rename"));
        m_ui->nameEdit->setFocus();
        break;
    case Mode::Limits:
        setWindowTitle(tr("Limits and Tier"));
        ok->setText(tr("&Save"));
        m_ui->tierSpin->setFocus();
        break;
    }

    connect(m_ui->nameEdit, &QLineEdit::textEdited, this, [this]() {
        m_nameEdited = true;
        updateState();
    });
    connect(m_ui->nameEdit, &QLineEdit::textChanged, this, &GroupDialog::updateState);
    for (QLineEdit *field : {m_ui->maxTasksEdit, m_ui->maxVpsEdit, m_ui->gpuCapEdit})
        connect(field, &QLineEdit::textChanged, this, &GroupDialog::updateState);
    connect(m_ui->tierSpin, &QSpinBox::valueChanged, this, &GroupDialog::updateState);
    connect(m_ui->replaceLimitsButton, &QPushButton::clicked, this, &GroupDialog::replaceLimits);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, [this]() {
        m_nameEdited = true;
        updateState();
        if (!problem().isEmpty())
            return;
        m_ui->errorBanner->clear();
        Q_EMIT submitted();
    });
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &GroupDialog::reject);
    if (mode == Mode::Create)
        showLimits();
    updateState();
    fitHeight();
}

void GroupDialog::fitHeight()
{
    // The form's rows depend on the mode and the data: no empty band above the buttons.
    resize(width(), sizeHint().height());
}

GroupDialog::~GroupDialog() = default;

void GroupDialog::setGroup(const GroupRecord &group)
{
    m_group = group;
    m_ui->nameEdit->setText(group.name);
    m_ui->nameEdit->selectAll();
    m_ui->tierSpin->setValue(qBound(m_ui->tierSpin->minimum(), group.tier, m_ui->tierSpin->maximum()));
    if (m_mode == Mode::Rename) {
        setWindowTitle(tr("Rename Group %1").arg(quoted(group.name)));
        m_ui->introLabel->setText(
            tr("Members, role overrides, limits and invitations stay with the group under its new name."));
    } else if (m_mode == Mode::Limits) {
        setWindowTitle(tr("Limits and Tier of %1").arg(quoted(group.name)));
        m_ui->introLabel->setText(tr("Quotas are stored in the group's limits_json; empty fields mean no "
                                     "limit. Other keys there are kept exactly as they are."));
        m_limits = GroupLimits::parse(group.limitsJson);
        showLimits();
    }
    updateState();
    fitHeight();
}

void GroupDialog::showLimits()
{
    QLineEdit *fields[GroupLimits::KeyCount] = {m_ui->maxTasksEdit, m_ui->maxVpsEdit, m_ui->gpuCapEdit};
    const bool editable = m_limits.isObject() || m_replacing;
    for (int k = 0; k < GroupLimits::KeyCount; ++k) {
        fields[k]->setText(m_limits.isObject() ? m_limits.text(GroupLimits::Key(k)) : QString());
        fields[k]->setEnabled(editable);
    }
    const auto others = m_limits.otherKeys();
    QTableWidget *table = m_ui->otherKeysTable;
    table->setRowCount(int(others.size()));
    for (int row = 0; row < others.size(); ++row) {
        auto *key = new QTableWidgetItem(others.at(row).first);
        auto *value = new QTableWidgetItem(others.at(row).second);
        value->setToolTip(others.at(row).second);
        table->setItem(row, 0, key);
        table->setItem(row, 1, value);
    }
    table->resizeColumnToContents(0);
    m_ui->form->setRowVisible(table, m_mode != Mode::Rename && !others.isEmpty());
    m_ui->otherKeysTable->setToolTip(
        tr("Keys of limits_json that Riverkeeper does not edit. Saving keeps each of them with its value."));

    const bool hostile = m_mode == Mode::Limits && !m_limits.isObject();
    m_ui->rawLimitsView->setVisible(hostile);
    m_ui->replaceLimitsButton->setVisible(hostile && !m_replacing);
    if (hostile) {
        m_ui->rawLimitsView->setPlainText(m_limits.stored());
        m_ui->rawLimitsView->setMaximumHeight(m_ui->rawLimitsView->fontMetrics().height() * 5);
        if (m_replacing) {
            m_ui->rawLimitsBanner->showMessage(InlineBanner::Kind::Warning,
                tr("Saving replaces the stored text below with the limits you enter (the audit log keeps "
                   "the old text)."));
        } else {
            m_ui->rawLimitsBanner->showMessage(InlineBanner::Kind::Warning,
                tr("The stored limits cannot be edited field by field: %1. They are shown below exactly as "
                   "stored and are left alone unless you replace them. The tier can still be changed.")
                    .arg(m_limits.problem()));
        }
    } else {
        m_ui->rawLimitsBanner->clear();
    }
}

void GroupDialog::replaceLimits()
{
    MessageBox::Options box;
    box.title = tr("Replace Limits");
    box.text = tr("Replace the stored limits of %1?").arg(quoted(m_group.name));
    box.informativeText = tr("The text shown is not a JSON object. When you save, it is replaced by a new "
                             "object holding only the quotas you enter; the audit log keeps the old text.");
    box.accept = MessageBox::Button::Continue;
    box.destructive = true;
    if (MessageBox::ask(this, box) != MessageBox::Button::Continue)
        return;
    m_replacing = true;
    showLimits();
    m_ui->maxTasksEdit->setFocus();
    updateState();
}

QString GroupDialog::name() const
{
    return m_ui->nameEdit->text().trimmed();
}

int GroupDialog::tier() const
{
    return m_ui->tierSpin->value();
}

std::array<std::optional<int>, GroupLimits::KeyCount> GroupDialog::quotaValues() const
{
    const QLineEdit *fields[GroupLimits::KeyCount] = {m_ui->maxTasksEdit, m_ui->maxVpsEdit, m_ui->gpuCapEdit};
    std::array<std::optional<int>, GroupLimits::KeyCount> values;
    for (int k = 0; k < GroupLimits::KeyCount; ++k)
        values[size_t(k)] = GroupLimits::checkField(GroupLimits::Key(k), fields[k]->text()).value;
    return values;
}

std::optional<QString> GroupDialog::limitsJson() const
{
    const auto values = quotaValues();
    switch (m_mode) {
    case Mode::Rename: return std::nullopt;
    case Mode::Create: return m_limits.withQuotas(values);
    case Mode::Limits: break;
    }
    if (m_replacing)
        return m_limits.withQuotas(values);
    if (!m_limits.isObject())
        return std::nullopt;
    // Only when a quota differs from what is stored, so a file written in another JSON style is not
    // rewritten (and audited) for nothing.
    const QLineEdit *fields[GroupLimits::KeyCount] = {m_ui->maxTasksEdit, m_ui->maxVpsEdit, m_ui->gpuCapEdit};
    for (int k = 0; k < GroupLimits::KeyCount; ++k) {
        if (fields[k]->text().trimmed() != m_limits.text(GroupLimits::Key(k)))
            return m_limits.withQuotas(values);
    }
    return std::nullopt;
}

GroupChanges GroupDialog::changes() const
{
    GroupChanges changes;
    if (m_mode == Mode::Rename && name() != m_group.name)
        changes.name = name();
    if (m_mode == Mode::Limits) {
        if (tier() != m_group.tier)
            changes.tier = tier();
        changes.limitsJson = limitsJson();
    }
    return changes;
}

QString GroupDialog::nameProblem() const
{
    const QString n = name();
    if (n.isEmpty())
        return tr("Enter a name for the group.");
    const qsizetype length = n.toUcs4().size();
    if (length > kMaxNameLength)
        return tr("The name can be at most %1 characters long (this one has %2).")
            .arg(kMaxNameLength)
            .arg(length);
    for (const QChar c : n) {
        if (c.category() == QChar::Other_Control)
            return tr("The name cannot contain control characters such as tabs or line breaks.");
    }
    if (m_mode == Mode::Rename && n == m_group.name)
        return {};
    if (m_nameCheck) {
        const QString taken = m_nameCheck(n);
        if (!taken.isEmpty())
            return taken;
    }
    return {};
}

QString GroupDialog::limitsProblem() const
{
    if (m_mode == Mode::Rename || !(m_limits.isObject() || m_replacing || m_mode == Mode::Create))
        return {};
    const QLineEdit *fields[GroupLimits::KeyCount] = {m_ui->maxTasksEdit, m_ui->maxVpsEdit, m_ui->gpuCapEdit};
    for (int k = 0; k < GroupLimits::KeyCount; ++k) {
        const GroupLimits::Field field = GroupLimits::checkField(GroupLimits::Key(k), fields[k]->text());
        if (!field.valid)
            return field.error;
    }
    return {};
}

QString GroupDialog::problem() const
{
    if (m_mode != Mode::Limits) {
        const QString p = nameProblem();
        if (!p.isEmpty())
            return p;
    }
    return limitsProblem();
}

void GroupDialog::updateState()
{
    const QString p = problem();
    // An empty name is only pointed out once the admin typed (or pressed OK): a new form starts
    // empty, which is not a mistake yet. A bad quota typed meanwhile is.
    const bool quietEmptyName = m_mode == Mode::Create && !m_nameEdited && name().isEmpty();
    const QString shown = quietEmptyName ? limitsProblem() : p;
    m_ui->problemLabel->setText(shown);
    m_ui->problemLabel->setVisible(!shown.isEmpty());
    bool ready = p.isEmpty();
    if (m_mode == Mode::Rename)
        ready = ready && name() != m_group.name;
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(ready);
}

void GroupDialog::showError(const QString &message)
{
    m_ui->errorBanner->showError(message);
}

} // namespace rk
