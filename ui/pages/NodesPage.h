#pragma once

#include "RecordsPage.h"

class QAction;

namespace rk {

class NodeDetailPane;
class NodesTableModel;

// The runner nodes (NodesTableModel over the `nodes` table of the platform database or of a host
// profile's mirror): hostname, status (online green, offline red), cores and cores in use
// ("N/A" while offline, as the host reports it), memory used / total, CPU, temperatures, GPU
// count, VM capability, runner version and last heartbeat; sorted and searched in SQL, column
// state remembered (key "nodes"). Below the table, the selected node in full (NodeDetailPane:
// its GPU list and NUMA topology). Read-only: nodes register and report themselves to the host.
// Re-read after the host's writes (the store's data_version watch) and every
// Options::refreshIntervalMs while shown. UI thread.
class NodesPage : public RecordsPage
{
    Q_OBJECT

public:
    struct Options
    {
        int refreshIntervalMs = 15000; // 0: only on changes
    };

    NodesPage(PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    NodesPage(PlatformStore &store, const Actor &actor, AppSettings &settings, const Options &options,
        QWidget *parent = nullptr);
    ~NodesPage() override;

    QString title() const override;
    // The title without a page: the navigation lists pages before they are built.
    static QString pageTitle();
    QIcon icon() const override;
    QList<QAction *> menuActions() const override;

    // nullptr when the acting role may not view nodes.
    NodesTableModel *model() const { return m_model; }
    NodeDetailPane *detailPane() const { return m_pane; }
    // The selected node's hostname; empty when none (or several) is selected.
    QString selectedHostname() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createActions();
    void setUpTable();
    void applyDefaultColumns();
    void updateActions() override;
    void syncPane();
    void copyHostnames();

    NodesTableModel *m_model = nullptr;
    NodeDetailPane *m_pane = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_refreshAction = nullptr;
};

} // namespace rk
