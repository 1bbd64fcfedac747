#pragma once

#include "TaskDetails.h"
#include "tables/LazySqlTableModel.h"

#include <optional>

namespace rk {

// Every task of the host's `tasks` table (a platform database, or a host profile's mirror, which
// has the same schema): lazy, sorted and filtered in SQL, newest first by default. Ids are the
// host's snowflakes (> 2^53): IdRole and RawValueRole of Id hold them as qint64, DisplayRole and
// TaskIdTextRole as their exact decimal text (never through a double).
//
// Filters combine: statuses (setStatusFilter), a task type, an owner, and the search text of
// LazySqlTableModel::setFilterText(), which matches the name, the command, the arguments' JSON
// text and the owner's username. All methods are for the model's thread.
class TasksTableModel : public LazySqlTableModel
{
    Q_OBJECT

public:
    enum Column {
        Id, // decimal text; RawValueRole: qint64
        Name,
        Type, // "Command" / "VPS"; TypeRole: the raw value
        Owner, // username; empty when the owner no longer exists
        Status, // translated label; StatusRole: the raw value
        Node, // assigned_node
        Cores,
        Memory, // "64 GiB"; RawValueRole: bytes (invalid: not set)
        Gpus, // "0, 1" (raw text when malformed); RawValueRole: how many (invalid when malformed)
        Submitted, // QDateTime
        Started, // QDateTime
        Completed, // QDateTime
        ExitCode,
        ColumnCount,
    };
    Q_ENUM(Column)

    enum TaskRole {
        TaskIdTextRole = FirstSubclassRole, // QString: the id's decimal text, for the host's API
        StatusRole, // QString: tasks.status as stored
        TypeRole, // QString: tasks.task_type as stored
        OwnerIdRole, // qint64; invalid when NULL
        CommandLineRole, // QString: TaskDetails::summary()
    };
    Q_ENUM(TaskRole)

    explicit TasksTableModel(const QString &databasePath, QObject *parent = nullptr);
    TasksTableModel(const QString &databasePath, const Options &options, QObject *parent = nullptr);

    static std::shared_ptr<const TableSpec> makeSpec();
    // The parts of makeSpec() that ApprovalQueueModel shares.
    static QString searchSql(); // name, command, arguments or owner's username {like} the text
    static QString gpuCountSql(); // how many GPUs required_gpus lists; NULL when malformed

    // Only tasks in one of `statuses` (tasks.status values); empty: every status. Ends with
    // windowLoaded().
    void setStatusFilter(const QStringList &statuses);
    QStringList statusFilter() const { return m_statuses; }
    // Only "command" or "vps" tasks; empty: both. Ends with windowLoaded().
    void setTypeFilter(const QString &taskType);
    QString typeFilter() const { return m_type; }
    // Only the tasks of one owner (a submitter's history); nullopt: everyone's.
    void setOwnerFilter(std::optional<qint64> ownerId);
    std::optional<qint64> ownerFilter() const { return m_owner; }

    // The task at `row` when loaded.
    std::optional<TaskDetails> taskAt(int row) const;

    QHash<int, QByteArray> roleNames() const override;

protected:
    QVariant loadedData(const TableRow &row, int column, int role) const override;

private:
    void applyConditions();

    QStringList m_statuses;
    QString m_type;
    std::optional<qint64> m_owner;
};

} // namespace rk
