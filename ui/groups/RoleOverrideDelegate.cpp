#include "RoleOverrideDelegate.h"

#include "GroupMembersModel.h"
#include "core/Role.h"

#include <QComboBox>

namespace rk {

RoleOverrideDelegate::RoleOverrideDelegate(int overrideColumn, QObject *parent)
    : PlainItemDelegate(parent), m_column(overrideColumn)
{
}

void RoleOverrideDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    PlainItemDelegate::initStyleOption(option, index);
    if (index.column() != m_column || !index.data(LazySqlTableModel::LoadedRole).toBool())
        return;
    if (index.data(GroupMembersModel::RoleOverrideRole).toString().isEmpty()) {
        option->text = tr("none");
        option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
    }
}

QWidget *RoleOverrideDelegate::createEditor(
    QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (index.column() != m_column)
        return PlainItemDelegate::createEditor(parent, option, index);
    auto *combo = new QComboBox(parent);
    combo->setObjectName(QStringLiteral("roleOverrideEditor"));
    combo->addItem(tr("None"), QString());
    for (const QString &role : roles::assignable())
        combo->addItem(roles::displayName(roles::fromString(role)), role);
    combo->setToolTip(tr("Stored for the platform; the host does not read role overrides yet"));
    auto *self = const_cast<RoleOverrideDelegate *>(this);
    // Choosing an entry is the edit: commit it and close, as a menu would.
    connect(combo, &QComboBox::activated, self, [self, combo]() {
        Q_EMIT self->commitData(combo);
        Q_EMIT self->closeEditor(combo, QAbstractItemDelegate::NoHint);
    });
    QMetaObject::invokeMethod(combo, &QComboBox::showPopup, Qt::QueuedConnection);
    return combo;
}

void RoleOverrideDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = qobject_cast<QComboBox *>(editor);
    if (!combo || index.column() != m_column) {
        PlainItemDelegate::setEditorData(editor, index);
        return;
    }
    const QString current = index.data(GroupMembersModel::RoleOverrideRole).toString();
    int at = combo->findData(current);
    if (at < 0) {
        // Free text the host would accept but no role: shown, so the admin sees what is stored.
        combo->addItem(tr("%1 (not a role)").arg(current), current);
        at = combo->count() - 1;
    }
    combo->setCurrentIndex(at);
}

void RoleOverrideDelegate::setModelData(
    QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    auto *combo = qobject_cast<QComboBox *>(editor);
    if (!combo || index.column() != m_column) {
        PlainItemDelegate::setModelData(editor, model, index);
        return;
    }
    model->setData(index, combo->currentData().toString(), Qt::EditRole);
}

} // namespace rk
