#pragma once

#include "tables/GroupsTableModel.h"
#include "tables/LazySqlTableModel.h"

#include <optional>

namespace rk {

// The members of one group (user_groups rows joined with users), lazily over the platform file
// like every record table: filtered and sorted in SQL on the model's worker, rows keyed by user
// id. A membership whose account is gone (the host enforces no foreign keys) is listed as such.
//
// The role override column is editable when setOverridesEditable(true): the model never writes,
// so an edit only emits roleOverrideEdited() and the owner asks the store; the store's change
// signal then refreshes the model. UI thread.
class GroupMembersModel : public LazySqlTableModel
{
    Q_OBJECT

public:
    enum Column {
        Username, // empty when the account no longer exists
        DisplayName,
        Role, // the account's role (users.role)
        RoleOverride, // user_groups.role_override: empty for none
        Added, // user_groups.created_at, QDateTime
        ColumnCount,
    };
    Q_ENUM(Column)

    enum MemberRole {
        RoleOverrideRole = FirstSubclassRole, // QString: the stored override ("" for none), any column
        AccountExistsRole, // bool: the users row exists
    };
    Q_ENUM(MemberRole)

    explicit GroupMembersModel(const QString &databasePath, QObject *parent = nullptr);

    static std::shared_ptr<const TableSpec> makeSpec();

    // The members of `groupId`; nullopt: none (no group chosen). Ends with windowLoaded().
    void setGroup(std::optional<qint64> groupId);
    std::optional<qint64> group() const { return m_group; }

    // The username at `row` ("" when not loaded or the account is gone).
    QString usernameAt(int row) const;

    void setOverridesEditable(bool editable) { m_editable = editable; }
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // EditRole on RoleOverride: emits roleOverrideEdited() when the value differs; stores nothing.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    // `roleOverride` is viewer, user, operator, admin, or empty for none.
    void roleOverrideEdited(qint64 userId, const QString &roleOverride);

protected:
    QVariant loadedData(const TableRow &row, int column, int role) const override;

private:
    std::optional<qint64> m_group;
    bool m_editable = false;
};

} // namespace rk
