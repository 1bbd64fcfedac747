#pragma once

#include "GroupLimits.h"
#include "store/StoreTypes.h"

#include <QDialog>

#include <functional>
#include <memory>

namespace Ui {
class GroupDialog;
}

namespace rk {

// The one form behind "New Group", "Rename" and "Limits and Tier":
// - Create: name, tier and the quota fields of limits_json;
// - Rename: the name only;
// - Limits: tier and quota fields of an existing group. Keys of limits_json other than the
//   three quotas are listed read-only and kept exactly; a limits_json that is not a JSON object
//   (hostile or broken data) is shown as stored and not edited, unless the admin chooses to
//   replace it (after a confirmation).
// Every field is checked as it is typed: the first problem shows under the form and OK stays
// disabled while there is one. The name is checked against the other groups through a callback
// (the page asks the store). OK emits submitted(); the page makes the change through the store and
// calls accept() or showError() (the store's refusal, e.g. a name taken meanwhile). UI thread.
class GroupDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Mode { Create, Rename, Limits };
    // Why `name` cannot be used (another group has it), or an empty string.
    using NameCheck = std::function<QString(const QString &name)>;

    GroupDialog(Mode mode, NameCheck nameCheck, QWidget *parent = nullptr);
    ~GroupDialog() override;

    Mode mode() const { return m_mode; }
    // Rename and Limits: the group as stored now.
    void setGroup(const GroupRecord &group);
    const GroupRecord &group() const { return m_group; }

    // The name as it will be stored (surrounding spaces removed).
    QString name() const;
    int tier() const;
    // The limits_json to store: Create always; Limits when a quota changed or a replacement was
    // chosen (otherwise nullopt: the stored text is left exactly as it is).
    std::optional<QString> limitsJson() const;
    // Limits: what differs from the group (tier, limits); nothing set when nothing changed.
    GroupChanges changes() const;

    // The first problem with the form; empty when it can be submitted.
    QString problem() const;
    bool isReplacingLimits() const { return m_replacing; }
    void showError(const QString &message);

Q_SIGNALS:
    void submitted();

private:
    std::array<std::optional<int>, GroupLimits::KeyCount> quotaValues() const;
    QString nameProblem() const;
    QString limitsProblem() const;
    void showLimits();
    void replaceLimits();
    void updateState();
    void fitHeight();

    std::unique_ptr<Ui::GroupDialog> m_ui;
    Mode m_mode;
    NameCheck m_nameCheck;
    GroupRecord m_group;
    GroupLimits m_limits;
    bool m_replacing = false;
    bool m_nameEdited = false;
};

} // namespace rk
