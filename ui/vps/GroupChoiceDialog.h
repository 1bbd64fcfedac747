#pragma once

#include "store/StoreTypes.h"

#include <QDialog>

#include <vector>

class QComboBox;
class QDialogButtonBox;
class QLabel;

namespace rk {

class InlineBanner;

// "Assign Group": one group chosen from a list (name and member count); groups already assigned
// are listed but cannot be chosen. The line under the list says what assigning does to the
// chosen group's members. OK emits submitted(); the page asks the store, then accept() or
// showError().
class GroupChoiceDialog : public QDialog
{
    Q_OBJECT

public:
    GroupChoiceDialog(const QString &prompt, const std::vector<GroupRecord> &groups,
        const QList<qint64> &alreadyAssigned, QWidget *parent = nullptr);

    // -1 when nothing can be chosen.
    qint64 groupId() const;
    QString groupName() const;
    void showError(const QString &message);

Q_SIGNALS:
    void submitted();

private:
    void updateHint();

    QLabel *m_prompt;
    QComboBox *m_combo;
    QLabel *m_hint;
    InlineBanner *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace rk
