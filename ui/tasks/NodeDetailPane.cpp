#include "NodeDetailPane.h"

#include "TaskTableDelegate.h"
#include "core/HostTime.h"
#include "tables/NodesTableModel.h"
#include "tasks/TaskDetails.h"
#include "tasks/TasksTableModel.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace rk {

namespace {

struct FieldName
{
    const char *key;
    const char *label;
};

constexpr FieldName kFields[] = {
    {"Hostname", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "Hostname")},
    {"Url", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "Runner URL")},
    {"Status", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "Status")},
    {"Cores", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "Cores")},
    {"Memory", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "Memory")},
    {"Cpu", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "CPU")},
    {"Temperature", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "Temperature")},
    {"Vm", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "Virtual machines")},
    {"Runner", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "Runner version")},
    {"Heartbeat", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "Last heartbeat")},
    {"Numa", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "NUMA topology")},
    {"Vfio", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "VFIO GPUs")},
    {"Gpus", QT_TRANSLATE_NOOP("rk::NodeDetailPane", "GPUs")},
};

QString jsonText(const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return {};
    if (v.isString())
        return v.toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'f', 1);
    }
    if (v.isBool())
        return v.toBool() ? NodeDetailPane::tr("yes") : NodeDetailPane::tr("no");
    return QString::fromUtf8(
        QJsonDocument(v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject()))
            .toJson(QJsonDocument::Compact));
}

} // namespace

NodeDetailPane::NodeDetailPane(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("nodeDetailPane"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("nodeDetailMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_stack->addWidget(m_message);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("nodeDetailScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *contentLayout = new QVBoxLayout(content);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    for (const FieldName &f : kFields) {
        const QString key = QString::fromLatin1(f.key);
        if (key == QLatin1String("Gpus"))
            continue; // the table below
        auto *label = new QLabel(content);
        label->setObjectName(QStringLiteral("node") + key);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        m_form->addRow(tr(f.label), label);
        m_values.insert(key, label);
    }
    contentLayout->addLayout(m_form);

    auto *gpuTitle = new QLabel(tr("GPUs"), content);
    gpuTitle->setObjectName(QStringLiteral("nodeGpuTitle"));
    QFont bold = gpuTitle->font();
    bold.setBold(true);
    gpuTitle->setFont(bold);
    contentLayout->addWidget(gpuTitle);
    m_gpus = new QTableWidget(content);
    m_gpus->setObjectName(QStringLiteral("nodeGpuTable"));
    m_gpus->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_gpus->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_gpus->verticalHeader()->hide();
    m_gpus->setColumnCount(8);
    m_gpus->setHorizontalHeaderLabels({tr("GPU"), tr("Name"), tr("Utilisation"), tr("Memory"),
        tr("Temperature"), tr("Power"), tr("Driver"), tr("PCI bus")});
    m_gpus->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_gpus->setMinimumHeight(120);
    contentLayout->addWidget(m_gpus, 1);
    scroll->setWidget(content);
    m_stack->addWidget(scroll);
    showMessage(tr("Select a node to see its GPUs and NUMA topology."));
}

QString NodeDetailPane::coreRanges(const QList<int> &cores)
{
    QList<int> sorted = cores;
    std::sort(sorted.begin(), sorted.end());
    QStringList parts;
    for (qsizetype i = 0; i < sorted.size();) {
        qsizetype j = i;
        while (j + 1 < sorted.size() && sorted.at(j + 1) == sorted.at(j) + 1)
            ++j;
        parts << (j == i ? QString::number(sorted.at(i))
                         : QStringLiteral("%1\u2013%2").arg(sorted.at(i)).arg(sorted.at(j)));
        i = j + 1;
    }
    return parts.join(QStringLiteral(", "));
}

void NodeDetailPane::showMessage(const QString &text)
{
    m_message->setText(text);
    m_stack->setCurrentIndex(0);
}

QString NodeDetailPane::value(const QString &field) const
{
    const QLabel *label = m_values.value(field);
    return label && m_stack->currentIndex() == 1 ? label->text() : QString();
}

void NodeDetailPane::set(const QString &field, const QString &text)
{
    if (QLabel *label = m_values.value(field))
        label->setText(text.isEmpty() ? QStringLiteral("\u2014") : text);
}

void NodeDetailPane::showNode(const NodeDetails &node)
{
    set(QStringLiteral("Hostname"), node.hostname);
    set(QStringLiteral("Url"), node.url);
    set(QStringLiteral("Status"),
        node.isOnline()                               ? tr("Online")
            : node.status == QLatin1String("offline") ? tr("Offline")
                                                      : node.status);
    if (QLabel *status = m_values.value(QStringLiteral("Status"))) {
        QPalette p = status->palette();
        p.setColor(QPalette::WindowText, TaskTableDelegate::statusColor(node.status, palette()));
        status->setPalette(p);
    }
    set(QStringLiteral("Cores"),
        node.coresInUse ? tr("%L1 in use of %L2").arg(*node.coresInUse).arg(node.totalCores)
                        : tr("%L1 (in use: N/A while offline)").arg(node.totalCores));
    QString memory = NodesTableModel::memoryText(node.memoryUsedBytes, node.memoryTotalBytes);
    if (node.memoryPercent)
        memory = tr("%1 (%2)").arg(memory, NodesTableModel::percentText(node.memoryPercent));
    set(QStringLiteral("Memory"), memory);
    set(QStringLiteral("Cpu"), NodesTableModel::percentText(node.cpuPercent));
    QString temperature;
    if (node.avgTemp || node.maxTemp)
        temperature = tr("average %1, highest %2")
                          .arg(NodesTableModel::temperatureText(node.avgTemp),
                              NodesTableModel::temperatureText(node.maxTemp));
    set(QStringLiteral("Temperature"), temperature);
    set(QStringLiteral("Vm"), node.vmCapable ? tr("Capable (QEMU)") : tr("Not capable"));
    set(QStringLiteral("Runner"), node.runnerVersion);
    const QDateTime beat = hosttime::toDateTime(node.lastHeartbeat);
    set(QStringLiteral("Heartbeat"),
        beat.isValid() ? beat.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : node.lastHeartbeat);

    QStringList numa;
    if (node.numaTopology) {
        for (auto it = node.numaTopology->cbegin(); it != node.numaTopology->cend(); ++it)
            numa << tr("NUMA %1: %L2 cores (%3)")
                        .arg(it.key())
                        .arg(it.value().size())
                        .arg(coreRanges(it.value()));
    } else if (!node.numaRaw.isEmpty()) {
        numa << tr("Cannot be read; as stored: %1").arg(node.numaRaw);
    } else {
        numa << tr("Not reported");
    }
    set(QStringLiteral("Numa"), numa.join(QLatin1Char('\n')));

    QStringList vfio;
    if (node.vfioGpus) {
        for (const QJsonObject &g : *node.vfioGpus) {
            QString line = jsonText(g.value(QLatin1String("name")));
            const QString pci = jsonText(g.value(QLatin1String("pci_address")));
            if (!pci.isEmpty())
                line = line.isEmpty() ? pci : tr("%1 (%2)").arg(line, pci);
            vfio << (line.isEmpty() ? jsonText(g) : line);
        }
    } else {
        vfio << tr("Cannot be read; as stored: %1").arg(node.vfioRaw);
    }
    set(QStringLiteral("Vfio"), vfio.isEmpty() ? tr("None") : vfio.join(QLatin1Char('\n')));

    m_gpus->clearContents();
    const QList<QJsonObject> gpus = node.gpus.value_or(QList<QJsonObject> {});
    m_gpus->setRowCount(int(gpus.size()));
    for (int r = 0; r < int(gpus.size()); ++r) {
        const QJsonObject &g = gpus.at(r);
        const auto mib = [](const QJsonValue &v) {
            return v.isDouble() ? TaskDetails::formatBytes(qint64(v.toDouble() * 1024 * 1024))
                                : QStringLiteral("?");
        };
        QString memoryCell;
        if (g.contains(QLatin1String("memory_total_mib")))
            memoryCell = tr("%1 / %2").arg(mib(g.value(QLatin1String("memory_used_mib"))),
                mib(g.value(QLatin1String("memory_total_mib"))));
        QString power;
        if (g.value(QLatin1String("power_usage_mw")).isDouble())
            power = tr("%L1 W / %L2 W")
                        .arg(qRound(g.value(QLatin1String("power_usage_mw")).toDouble() / 1000))
                        .arg(qRound(g.value(QLatin1String("power_limit_mw")).toDouble() / 1000));
        const QString util = jsonText(g.value(QLatin1String("gpu_utilization")));
        const QString temp = jsonText(g.value(QLatin1String("temperature")));
        const QStringList cells {jsonText(g.value(QLatin1String("gpu_id"))),
            jsonText(g.value(QLatin1String("name"))), util.isEmpty() ? QString() : tr("%1 %").arg(util),
            memoryCell, temp.isEmpty() ? QString() : tr("%1 \u00b0C").arg(temp), power,
            jsonText(g.value(QLatin1String("driver_version"))),
            jsonText(g.value(QLatin1String("pci_bus_id")))};
        for (int c = 0; c < int(cells.size()); ++c)
            m_gpus->setItem(r, c, new QTableWidgetItem(cells.at(c)));
    }
    if (!node.gpus) {
        m_gpus->setRowCount(1);
        m_gpus->setItem(
            0, 1, new QTableWidgetItem(tr("The GPU list cannot be read; as stored: %1").arg(node.gpuRaw)));
    }
    m_stack->setCurrentIndex(1);
}

} // namespace rk
