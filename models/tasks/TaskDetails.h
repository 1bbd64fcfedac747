#pragma once

#include "tables/TableSpec.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFlags>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <optional>
#include <vector>

namespace rk {

// What makes a pending task worth a second look before it is approved.
enum class TaskRisk : unsigned {
    None = 0,
    Privileged = 1U << 0, // docker_privileged: the container has the host's devices and capabilities
    HostMounts = 1U << 1, // docker_mount_dirs names host directories (or cannot be read)
    ManyGpus = 1U << 2, // at least RiskThresholds::manyGpus GPUs
    LargeMemory = 1U << 3, // at least RiskThresholds::largeMemoryBytes
    Unreadable = 1U << 4, // a JSON column is malformed: the raw text is all there is to review
};
Q_DECLARE_FLAGS(TaskRisks, TaskRisk)
Q_DECLARE_OPERATORS_FOR_FLAGS(TaskRisks)

struct RiskThresholds
{
    static constexpr qint64 kGiB = qint64(1) << 30;
    int manyGpus = 4;
    qint64 largeMemoryBytes = 64 * kGiB;
};

// A JSON column of `tasks` as stored, and its value when the text could be read. The host writes
// these with json.dumps, but a row may come from anywhere (a mirror, a hand edit, an older host):
// a malformed text keeps `value` empty and is shown as `raw`, never guessed at.
template<typename T> struct JsonColumn
{
    QString raw; // the stored text; empty for NULL
    std::optional<T> value; // nullopt: malformed
    bool isValid() const { return value.has_value(); }
};

// One row of the host's `tasks` table (the platform database or a host profile's mirror, which
// share the schema), everything a reviewer or a detail pane shows. Plain data; copyable; any
// thread.
struct TaskDetails
{
    Q_DECLARE_TR_FUNCTIONS(TaskDetails)

public:
    using EnvVars = QList<QPair<QString, QString>>; // sorted by name

    qint64 id = 0; // the snowflake (> 2^53): only ever handled as an integer or its decimal text
    QString type; // "command" | "vps"
    std::optional<qint64> batchId;
    QString name;
    std::optional<qint64> ownerId;
    QString owner; // username; empty when the owner no longer exists (or owner_id is NULL)
    QString status;
    QString approvalStatus; // "", "pending", "approved", "rejected"
    std::optional<qint64> approvedById;
    QString approvedBy; // username of the approver (or rejecter)
    QString approvedAt; // host datetime text
    QString rejectionReason;

    QString command; // for a VPS: an SSH public key, or "vps"
    JsonColumn<QStringList> arguments; // a JSON list of strings
    JsonColumn<EnvVars> envVars; // a JSON object; non-string values are shown as compact JSON
    int cores = 0;
    JsonColumn<QList<int>> gpus; // a JSON list of GPU indices
    std::optional<qint64> memoryBytes;
    std::optional<int> numaNode;
    QString assignedNode; // the target node's hostname; empty when none

    QString containerName;
    QString registryImage;
    QString dockerImage;
    bool privileged = false;
    JsonColumn<QStringList> mounts; // a JSON list of "host:container" specs; NULL is an empty list
    std::optional<int> sshPort;
    QString vpsBackend; // "docker" | "qemu"
    QString vmImage;

    std::optional<int> exitCode;
    QString errorMessage;
    QString submittedAt; // host datetime text (naive local time), as stored
    QString startedAt;
    QString completedAt;

    bool isVps() const { return type == QLatin1String("vps"); }
    QString idText() const { return QString::number(id); }
    QDateTime submitted() const; // invalid when the text is malformed

    // The command and its arguments as one line a POSIX shell would split back into the same
    // words (arguments quoted where needed); with malformed arguments, the command and the raw
    // text. For a VPS: empty (see summary()).
    QString commandLine() const;
    // One line for a table cell: the command line, or for a VPS its backend, image and whether
    // an SSH key was given.
    QString summary() const;
    // The container or image the task runs in: the registry image when set, else the container
    // name (with the docker image in parentheses when known); the VM image for a QEMU VPS.
    QString imageText() const;
    // "0, 1, 3"; the raw text when malformed.
    QString gpusText() const;
    // "node" or "node · NUMA 1"; empty when there is no target node.
    QString targetText() const;

    TaskRisks risks(const RiskThresholds &thresholds = {}) const;
    // A short translated list of the risks, e.g. "Privileged, host mounts"; empty for none.
    static QString riskText(TaskRisks risks);

    // "64 GiB", "1.5 GiB", "512 MiB", "900 B": IEC units, at most one decimal.
    static QString formatBytes(qint64 bytes);

    // --- reading rows ---------------------------------------------------------------------------
    // The values sqlFields() selects, in this order (a spec whose `fields` are sqlFields() has
    // field k at TableSpec::fieldIndex(k)).
    enum SqlField {
        TypeField,
        BatchIdField,
        NameField,
        OwnerIdField,
        OwnerField,
        StatusField,
        ApprovalStatusField,
        ApprovedByIdField,
        ApprovedByField,
        ApprovedAtField,
        RejectionReasonField,
        CommandField,
        ArgumentsField,
        EnvVarsField,
        CoresField,
        GpusField,
        MemoryField,
        NumaField,
        NodeField,
        ContainerField,
        RegistryImageField,
        DockerImageField,
        PrivilegedField,
        MountsField,
        SshPortField,
        VpsBackendField,
        VmImageField,
        ExitCodeField,
        ErrorMessageField,
        SubmittedField,
        StartedField,
        CompletedField,
        FieldCount,
    };
    // The joins sqlFields() needs, for a spec whose base table is `tasks t`: the owner (alias `u`)
    // and the approver (alias `a`).
    static QList<TableJoin> sqlJoins();
    // The select expressions (over `tasks t` and sqlJoins()) fromValues() reads, in its order.
    static QStringList sqlFields();
    // A task from the values of sqlFields(), starting at `values[first]`; `id` is the row's id.
    static TaskDetails fromValues(qint64 id, const std::vector<QVariant> &values, size_t first);

    // Parsers of the JSON columns; nullopt when `text` is not the expected shape.
    static std::optional<QStringList> parseStringList(const QString &text);
    static std::optional<QList<int>> parseIntList(const QString &text);
    static std::optional<EnvVars> parseEnvVars(const QString &text);
    // A word as a POSIX shell needs it written: as is when safe, else in single quotes.
    static QString shellQuote(const QString &word);
};

} // namespace rk
