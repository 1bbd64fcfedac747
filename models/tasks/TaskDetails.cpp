#include "TaskDetails.h"

#include "core/HostTime.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>
#include <limits>

namespace rk {

namespace {

std::optional<QJsonDocument> parseJson(const QString &text)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    return doc;
}

// SQLite's dynamic typing: an INTEGER column may hold text or a real in a row someone else
// wrote. Whole numbers only; anything else is "not set".
std::optional<qint64> integerOf(const QVariant &v)
{
    if (!v.isValid() || v.isNull())
        return std::nullopt;
    if (v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Int)
        return v.toLongLong();
    bool ok = false;
    const qint64 n = v.toString().trimmed().toLongLong(&ok);
    return ok ? std::optional<qint64>(n) : std::nullopt;
}

std::optional<int> smallIntegerOf(const QVariant &v)
{
    const auto n = integerOf(v);
    if (!n || *n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max())
        return std::nullopt;
    return int(*n);
}

QString textOf(const QVariant &v)
{
    return v.isValid() && !v.isNull() ? v.toString() : QString();
}

} // namespace

// --- parsing --------------------------------------------------------------------------------------

std::optional<QStringList> TaskDetails::parseStringList(const QString &text)
{
    const auto doc = parseJson(text);
    if (!doc || !doc->isArray())
        return std::nullopt;
    QStringList out;
    for (const QJsonValue &v : doc->array()) {
        if (!v.isString())
            return std::nullopt;
        out.append(v.toString());
    }
    return out;
}

std::optional<QList<int>> TaskDetails::parseIntList(const QString &text)
{
    const auto doc = parseJson(text);
    if (!doc || !doc->isArray())
        return std::nullopt;
    QList<int> out;
    for (const QJsonValue &v : doc->array()) {
        // QJsonValue keeps integers exact (toInteger()); a fraction or a huge value is malformed.
        if (!v.isDouble())
            return std::nullopt;
        const double d = v.toDouble();
        if (d != std::floor(d) || d < 0 || d > 1e6)
            return std::nullopt;
        out.append(int(v.toInteger()));
    }
    return out;
}

std::optional<TaskDetails::EnvVars> TaskDetails::parseEnvVars(const QString &text)
{
    const auto doc = parseJson(text);
    if (!doc || !doc->isObject())
        return std::nullopt;
    EnvVars out;
    const QJsonObject object = doc->object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QJsonValue v = it.value();
        QString value;
        if (v.isString()) {
            value = v.toString();
        } else {
            // Not what the host writes, but show it as it is rather than refuse the row.
            const QJsonArray wrapped {v};
            value = QString::fromUtf8(QJsonDocument(wrapped).toJson(QJsonDocument::Compact));
            value = value.mid(1, value.size() - 2); // strip the wrapping [ ]
        }
        out.append({it.key(), value});
    }
    return out;
}

QList<TableJoin> TaskDetails::sqlJoins()
{
    return {
        {QStringLiteral("u"), QStringLiteral("LEFT JOIN users u ON u.id = t.owner_id")},
        {QStringLiteral("a"), QStringLiteral("LEFT JOIN users a ON a.id = t.approved_by_id")},
    };
}

QStringList TaskDetails::sqlFields()
{
    static const QStringList fields = {
        QStringLiteral("t.task_type"),
        QStringLiteral("t.batch_id"),
        QStringLiteral("t.name"),
        QStringLiteral("t.owner_id"),
        QStringLiteral("u.username"),
        QStringLiteral("t.status"),
        QStringLiteral("t.approval_status"),
        QStringLiteral("t.approved_by_id"),
        QStringLiteral("a.username"),
        QStringLiteral("t.approved_at"),
        QStringLiteral("t.rejection_reason"),
        QStringLiteral("t.command"),
        QStringLiteral("t.arguments"),
        QStringLiteral("t.env_vars"),
        QStringLiteral("t.required_cores"),
        QStringLiteral("t.required_gpus"),
        QStringLiteral("t.required_memory_bytes"),
        QStringLiteral("t.target_numa_node_id"),
        QStringLiteral("t.assigned_node"),
        QStringLiteral("t.container_name"),
        QStringLiteral("t.registry_image"),
        QStringLiteral("t.docker_image_name"),
        QStringLiteral("t.docker_privileged"),
        QStringLiteral("t.docker_mount_dirs"),
        QStringLiteral("t.ssh_port"),
        QStringLiteral("t.vps_backend"),
        QStringLiteral("t.vm_image"),
        QStringLiteral("t.exit_code"),
        QStringLiteral("t.error_message"),
        QStringLiteral("t.submitted_at"),
        QStringLiteral("t.started_at"),
        QStringLiteral("t.completed_at"),
    };
    Q_ASSERT(fields.size() == FieldCount);
    return fields;
}

TaskDetails TaskDetails::fromValues(qint64 id, const std::vector<QVariant> &values, size_t first)
{
    auto at = [&](int field) -> QVariant {
        const size_t i = first + size_t(field);
        return i < values.size() ? values[i] : QVariant();
    };
    TaskDetails t;
    t.id = id;
    t.type = textOf(at(TypeField));
    t.batchId = integerOf(at(BatchIdField));
    t.name = textOf(at(NameField));
    t.ownerId = integerOf(at(OwnerIdField));
    t.owner = textOf(at(OwnerField));
    t.status = textOf(at(StatusField));
    t.approvalStatus = textOf(at(ApprovalStatusField));
    t.approvedById = integerOf(at(ApprovedByIdField));
    t.approvedBy = textOf(at(ApprovedByField));
    t.approvedAt = textOf(at(ApprovedAtField));
    t.rejectionReason = textOf(at(RejectionReasonField));
    t.command = textOf(at(CommandField));
    t.arguments.raw = textOf(at(ArgumentsField));
    t.arguments.value = parseStringList(t.arguments.raw);
    t.envVars.raw = textOf(at(EnvVarsField));
    t.envVars.value = parseEnvVars(t.envVars.raw);
    t.cores = smallIntegerOf(at(CoresField)).value_or(0);
    t.gpus.raw = textOf(at(GpusField));
    t.gpus.value = parseIntList(t.gpus.raw);
    t.memoryBytes = integerOf(at(MemoryField));
    t.numaNode = smallIntegerOf(at(NumaField));
    t.assignedNode = textOf(at(NodeField));
    t.containerName = textOf(at(ContainerField));
    t.registryImage = textOf(at(RegistryImageField));
    t.dockerImage = textOf(at(DockerImageField));
    t.privileged = integerOf(at(PrivilegedField)).value_or(0) != 0;
    t.mounts.raw = textOf(at(MountsField));
    // NULL (or an empty text) is "no extra mounts", which the host writes for most tasks.
    t.mounts.value = t.mounts.raw.trimmed().isEmpty() ? std::optional<QStringList>(QStringList())
                                                      : parseStringList(t.mounts.raw);
    t.sshPort = smallIntegerOf(at(SshPortField));
    t.vpsBackend = textOf(at(VpsBackendField));
    t.vmImage = textOf(at(VmImageField));
    t.exitCode = smallIntegerOf(at(ExitCodeField));
    t.errorMessage = textOf(at(ErrorMessageField));
    t.submittedAt = textOf(at(SubmittedField));
    t.startedAt = textOf(at(StartedField));
    t.completedAt = textOf(at(CompletedField));
    return t;
}

// --- presentation ---------------------------------------------------------------------------------

QDateTime TaskDetails::submitted() const
{
    return hosttime::toDateTime(submittedAt);
}

QString TaskDetails::shellQuote(const QString &word)
{
    if (word.isEmpty())
        return QStringLiteral("''");
    static const QString safe = QStringLiteral("@%+=:,./-_");
    bool plain = true;
    for (const QChar c : word) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && !safe.contains(c)) {
            plain = false;
            break;
        }
    }
    if (plain)
        return word;
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString TaskDetails::commandLine() const
{
    if (isVps())
        return {};
    QStringList words;
    if (!command.isEmpty())
        words.append(shellQuote(command));
    if (arguments.value) {
        for (const QString &arg : *arguments.value)
            words.append(shellQuote(arg));
    } else if (!arguments.raw.isEmpty()) {
        words.append(arguments.raw);
    }
    return words.join(QLatin1Char(' '));
}

QString TaskDetails::summary() const
{
    if (!isVps())
        return commandLine();
    QStringList parts;
    parts.append(vpsBackend.isEmpty() ? tr("VPS") : tr("VPS (%1)").arg(vpsBackend));
    if (const QString image = imageText(); !image.isEmpty())
        parts.append(image);
    if (command.startsWith(QLatin1String("ssh-")) || command.startsWith(QLatin1String("ecdsa-")))
        parts.append(tr("SSH key %1").arg(command.section(QLatin1Char(' '), 0, 0)));
    return parts.join(QStringLiteral(" · "));
}

QString TaskDetails::imageText() const
{
    if (isVps() && vpsBackend == QLatin1String("qemu"))
        return vmImage;
    if (!registryImage.isEmpty())
        return registryImage;
    if (!containerName.isEmpty() && !dockerImage.isEmpty() && dockerImage != containerName)
        return tr("%1 (%2)").arg(containerName, dockerImage);
    return containerName.isEmpty() ? dockerImage : containerName;
}

QString TaskDetails::gpusText() const
{
    if (!gpus.value)
        return gpus.raw;
    QStringList out;
    for (int g : *gpus.value)
        out.append(QString::number(g));
    return out.join(QStringLiteral(", "));
}

QString TaskDetails::targetText() const
{
    if (assignedNode.isEmpty())
        return numaNode ? tr("NUMA %1").arg(*numaNode) : QString();
    return numaNode ? tr("%1 · NUMA %2").arg(assignedNode).arg(*numaNode) : assignedNode;
}

TaskRisks TaskDetails::risks(const RiskThresholds &thresholds) const
{
    TaskRisks out;
    if (privileged)
        out |= TaskRisk::Privileged;
    // Unreadable mounts may well name host directories: flag them as mounts too.
    if (!mounts.value || !mounts.value->isEmpty())
        out |= TaskRisk::HostMounts;
    if (gpus.value && thresholds.manyGpus > 0 && gpus.value->size() >= thresholds.manyGpus)
        out |= TaskRisk::ManyGpus;
    if (memoryBytes && thresholds.largeMemoryBytes > 0 && *memoryBytes >= thresholds.largeMemoryBytes)
        out |= TaskRisk::LargeMemory;
    if (!arguments.value || !envVars.value || !gpus.value || !mounts.value)
        out |= TaskRisk::Unreadable;
    return out;
}

QString TaskDetails::riskText(TaskRisks risks)
{
    QStringList out;
    if (risks.testFlag(TaskRisk::Privileged))
        out.append(tr("Privileged"));
    if (risks.testFlag(TaskRisk::HostMounts))
        out.append(tr("Host mounts"));
    if (risks.testFlag(TaskRisk::ManyGpus))
        out.append(tr("Many GPUs"));
    if (risks.testFlag(TaskRisk::LargeMemory))
        out.append(tr("Large memory"));
    if (risks.testFlag(TaskRisk::Unreadable))
        out.append(tr("Unreadable fields"));
    return out.join(QStringLiteral(", "));
}

QString TaskDetails::formatBytes(qint64 bytes)
{
    static constexpr qint64 kKiB = 1024;
    struct Unit
    {
        qint64 size;
        const char *name;
    };
    // Unit names are not translated (IEC symbols); the number follows the locale.
    static constexpr Unit units[] = {
        {kKiB * kKiB * kKiB * kKiB, "TiB"}, {kKiB * kKiB * kKiB, "GiB"}, {kKiB * kKiB, "MiB"}, {kKiB, "KiB"}};
    const QLocale locale;
    for (const Unit &unit : units) {
        if (bytes >= unit.size || bytes <= -unit.size) {
            const double value = std::round(double(bytes) / double(unit.size) * 10.0) / 10.0;
            const bool whole = value == std::floor(value);
            return locale.toString(value, 'f', whole ? 0 : 1) + QLatin1Char(' ') + QLatin1String(unit.name);
        }
    }
    return locale.toString(bytes) + QStringLiteral(" B");
}

} // namespace rk
