#pragma once

#include <QHash>
#include <QWidget>

class QFormLayout;
class QLabel;
class QStackedWidget;
class QTableWidget;

namespace rk {

struct NodeDetails;

// One runner node in full, below the Nodes table: its state and resources (a form), its GPUs
// (a table: index, name, utilisation, memory, temperature, power, driver, PCI bus, as the runner
// reports them in gpu_info), its NUMA topology (one line per NUMA node with its cores) and the
// GPUs it can pass through to VMs. Malformed JSON is shown as stored. Each value label is named
// "node<Field>"; the GPU table "nodeGpuTable". UI thread.
class NodeDetailPane : public QWidget
{
    Q_OBJECT

public:
    explicit NodeDetailPane(QWidget *parent = nullptr);

    void showNode(const NodeDetails &node);
    void showMessage(const QString &text);

    QTableWidget *gpuTable() const { return m_gpus; }
    // The text of one value ("Status", "Numa", ...); empty while no node is shown.
    QString value(const QString &field) const;

    // "0-31, 40, 42-43": a list of cores as ranges.
    static QString coreRanges(const QList<int> &cores);

private:
    void set(const QString &field, const QString &text);

    QStackedWidget *m_stack;
    QLabel *m_message;
    QFormLayout *m_form;
    QHash<QString, QLabel *> m_values;
    QTableWidget *m_gpus;
};

} // namespace rk
