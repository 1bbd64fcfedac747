#pragma once

#include "widgets/PlainItemDelegate.h"

namespace rk {

// The members table's delegate: the role override column shows "none" (muted) when there is
// none, and edits in place with a drop-down of none / viewer / user / operator / admin that opens
// at once; choosing an entry commits it (the model turns that into a store call). Other columns
// paint as PlainItemDelegate does. The drop-down is named "roleOverrideEditor".
class RoleOverrideDelegate : public PlainItemDelegate
{
    Q_OBJECT

public:
    RoleOverrideDelegate(int overrideColumn, QObject *parent = nullptr);

    QWidget *createEditor(
        QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_column;
};

} // namespace rk
