#pragma once

#include "TaskDetails.h"
#include "tables/LazySqlTableModel.h"

#include <QSet>

#include <optional>

namespace rk {

// The approval queue: every task in `pending_approval` (command and VPS tasks, as the host's
// /api/tasks/pending-approval lists them), newest first by default, with what a reviewer needs
// as columns and roles, and risk flags. Reads the `tasks` table of a platform database or of a
// host profile's mirror.
//
// "How long ago" is computed when asked, from Options::clock (a controllable clock in tests),
// not at query time: a page calls refreshAges() now and then (every 30 s, say) to move it on,
// which only emits dataChanged. After every complete, unfiltered load (the first one included)
// queueChanged() says which tasks arrived and which left since the previous one (approved or
// rejected by someone else, for instance). All methods are for the model's thread.
class ApprovalQueueModel : public LazySqlTableModel
{
    Q_OBJECT

public:
    enum Column {
        Id, // decimal text; RawValueRole: qint64
        Submitted, // QDateTime
        Waiting, // "12 min ago"; RawValueRole: seconds since submission (at data() time)
        Submitter, // username; empty when the account no longer exists
        Type, // "Command" / "VPS"
        Name,
        Command, // TaskDetails::summary(): command and arguments, or the VPS backend and image
        Cores,
        Memory, // "64 GiB"; RawValueRole: bytes
        Gpus, // "0, 1"; RawValueRole: how many (invalid when malformed)
        Target, // "node · NUMA 1"
        Image, // container or image
        Risk, // "Privileged, host mounts"; RawValueRole: int(TaskRisks)
        ColumnCount,
    };
    Q_ENUM(Column)

    // Every role answers for any column of a loaded row.
    enum QueueRole {
        TaskIdTextRole = FirstSubclassRole, // QString: the id's exact decimal text (for the API)
        SubmitterRole, // QString username
        SubmitterIdRole, // qint64 owner_id; invalid when NULL
        SubmittedRole, // QDateTime; invalid when the stored text is malformed
        AgeSecondsRole, // qint64: seconds since submission by the clock (invalid: malformed time)
        AgeTextRole, // QString: "12 min ago"
        TypeRole, // QString "command" / "vps"
        CommandRole, // QString: the command as stored
        ArgumentsRole, // QStringList; invalid when malformed (see ArgumentsTextRole)
        ArgumentsTextRole, // QString: the JSON text as stored
        CommandLineRole, // QString: TaskDetails::commandLine() (copyable; empty for a VPS)
        EnvVarsRole, // QVariantList of {name, value} QStringList pairs; invalid when malformed
        EnvVarsTextRole, // QString: the JSON text as stored
        CoresRole, // int
        MemoryBytesRole, // qint64; invalid when not set
        GpuIndicesRole, // QVariantList of int; invalid when malformed
        GpusTextRole, // QString: the JSON text as stored
        TargetNodeRole, // QString assigned_node
        NumaNodeRole, // int; invalid when not set
        ContainerRole, // QString container_name
        ImageRole, // QString: TaskDetails::imageText()
        PrivilegedRole, // bool
        MountsRole, // QStringList; invalid when malformed
        MountsTextRole, // QString: the JSON text as stored (empty for NULL)
        RiskFlagsRole, // int(TaskRisks)
        RiskTextRole, // QString: TaskDetails::riskText()
    };
    Q_ENUM(QueueRole)

    explicit ApprovalQueueModel(const QString &databasePath, QObject *parent = nullptr);
    ApprovalQueueModel(const QString &databasePath, const Options &options, QObject *parent = nullptr);

    static std::shared_ptr<const TableSpec> makeSpec();

    // Thresholds of the ManyGpus and LargeMemory flags (defaults: 4 GPUs, 64 GiB). Emits
    // dataChanged for the rows loaded.
    void setRiskThresholds(const RiskThresholds &thresholds);
    RiskThresholds riskThresholds() const { return m_thresholds; }

    // The task at `row` when loaded.
    std::optional<TaskDetails> taskAt(int row) const;
    // Ids of the queue as of the last complete unfiltered load.
    QSet<qint64> knownIds() const { return m_known; }

    // "just now", "5 min ago", "3 h 12 min ago", "2 d 4 h ago". Negative ages (the host's clock
    // ahead of this one) read "just now".
    static QString formatAge(qint64 seconds);

    QHash<int, QByteArray> roleNames() const override;

public Q_SLOTS:
    // Tells views that the ages moved on (dataChanged for the loaded rows, age roles only).
    void refreshAges();

Q_SIGNALS:
    // The queue as of this load compared to the previous unfiltered one. The first load reports
    // every task as arrived. Not emitted while a search text filters the rows.
    void queueChanged(const QList<qint64> &arrived, const QList<qint64> &left);

protected:
    QVariant loadedData(const TableRow &row, int column, int role) const override;

private:
    const TaskDetails &detailsOf(const TableRow &row) const;
    qint64 ageSeconds(const TableRow &row) const;
    void onOrderingComplete();

    std::function<hosttime::Instant()> m_clock;
    RiskThresholds m_thresholds;
    QSet<qint64> m_known;
    bool m_knownValid = false;
    // Parsed rows by id, with the values they were parsed from (a refresh may change a row).
    struct CachedDetails
    {
        std::vector<QVariant> values;
        TaskDetails details;
    };
    mutable QHash<qint64, CachedDetails> m_details;
};

} // namespace rk
