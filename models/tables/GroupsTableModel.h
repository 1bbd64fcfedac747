#pragma once

#include "LazySqlTableModel.h"
#include "store/StoreTypes.h"

#include <optional>

namespace rk {

// The platform's groups: name, tier, member count and the quota fields of limits_json.
class GroupsTableModel : public LazySqlTableModel
{
    Q_OBJECT

public:
    enum Column {
        Name,
        Tier,
        Members, // rows of user_groups naming the group
        MaxTasks, // limits_json's max_tasks; invalid when absent (or limits_json is not valid JSON)
        MaxVps, // limits_json's max_vps
        GpuCap, // limits_json's gpu_cap
        Created, // QDateTime
        ColumnCount,
    };
    Q_ENUM(Column)

    enum GroupRole {
        LimitsJsonRole = FirstSubclassRole, // QString: limits_json as stored (any column)
    };
    Q_ENUM(GroupRole)

    explicit GroupsTableModel(const QString &databasePath, QObject *parent = nullptr);
    GroupsTableModel(const QString &databasePath, const Options &options, QObject *parent = nullptr);

    static std::shared_ptr<const TableSpec> makeSpec();

    std::optional<GroupRecord> groupAt(int row) const;

    QHash<int, QByteArray> roleNames() const override;

protected:
    QVariant loadedData(const TableRow &row, int column, int role) const override;
};

} // namespace rk
