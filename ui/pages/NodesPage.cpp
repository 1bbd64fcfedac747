#include "NodesPage.h"

#include "IconFactory.h"
#include "store/PlatformStore.h"
#include "tables/NodesTableModel.h"
#include "tasks/NodeDetailPane.h"
#include "tasks/TaskTableDelegate.h"
#include "tasks/TasksTableModel.h"

#include <QAction>
#include <QBoxLayout>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>

namespace rk {

namespace {
const QString kSettingsKey = QStringLiteral("nodes");
} // namespace

NodesPage::NodesPage(PlatformStore &platform, const Actor &acting, AppSettings &appSettings, QWidget *parent)
    : NodesPage(platform, acting, appSettings, Options {}, parent)
{
}

NodesPage::NodesPage(PlatformStore &platform, const Actor &acting, AppSettings &appSettings,
    const Options &options, QWidget *parent)
    : RecordsPage(platform, acting, appSettings, parent)
{
    setObjectName(QStringLiteral("nodesPage"));
    setHeading(title());
    createActions();

    if (!roles::allows(acting.role, Permission::ViewNodes)) {
        showRoleRequirement(Permission::ViewNodes, tr("Viewing nodes"));
        updateActions();
        return;
    }

    LazySqlTableModel::Options modelOptions;
    modelOptions.deferred = true; // loads when the page is first shown
    m_model = new NodesTableModel(
        platform.path(), NodesTableModel::hasMirrorUsage(platform.path()), modelOptions, this);
    m_pane = new NodeDetailPane(this);
    setUpTable();

    QWidget *body = tableView()->parentWidget();
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("nodesSplitter"));
    splitter->setChildrenCollapsible(false);
    if (auto *box = qobject_cast<QBoxLayout *>(layout())) {
        const int at = box->indexOf(body);
        box->insertWidget(at, splitter, 1);
        splitter->addWidget(body);
        splitter->addWidget(m_pane);
        splitter->setStretchFactor(0, 1);
        splitter->setStretchFactor(1, 1);
    }

    connect(
        tableView()->selectionModel(), &QItemSelectionModel::selectionChanged, this, &NodesPage::syncPane);
    connect(m_model, &LazySqlTableModel::windowLoaded, this, &NodesPage::syncPane);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &NodesPage::syncPane);
    connect(m_model, &QAbstractItemModel::modelReset, this, &NodesPage::syncPane);
    setPeriodicRefresh(options.refreshIntervalMs);
    updateActions();
}

NodesPage::~NodesPage()
{
    // As in SessionsPage: the header's resize lambdas must not outlive TablePage's save timer.
    tableView()->horizontalHeader()->disconnect(this);
}

QString NodesPage::title() const
{
    return pageTitle();
}

QString NodesPage::pageTitle()
{
    return tr("Nodes");
}

QIcon NodesPage::icon() const
{
    return icons::nodesIcon(palette().color(QPalette::WindowText));
}

QList<QAction *> NodesPage::menuActions() const
{
    QList<QAction *> actions {m_copyAction, nullptr};
    if (QAction *columns = columnsMenuAction())
        actions << columns;
    actions << m_refreshAction;
    return actions;
}

void NodesPage::createActions()
{
    m_copyAction = makeAction(
        tr("&Copy Hostnames"), "copyNodeHostnamesAction", QKeySequence::Copy, Qt::WidgetShortcut);
    m_refreshAction = makeAction(tr("Re&fresh"), "refreshNodesAction", QKeySequence::Refresh);
    m_refreshAction->setToolTip(tr("Read the nodes again from the database"));
    connect(m_copyAction, &QAction::triggered, this, &NodesPage::copyHostnames);
    connect(m_refreshAction, &QAction::triggered, this, &NodesPage::refresh);
    toolBar()->addAction(m_refreshAction);
}

void NodesPage::setUpTable()
{
    bindModel(m_model,
        {[this](int row) { return m_model->idAt(row); }, [this](qint64 id) { return m_model->rowOf(id); }},
        kSettingsKey, [this]() { applyDefaultColumns(); });
    QTableView *table = tableView();
    table->setItemDelegate(
        new TaskTableDelegate(NodesTableModel::Status, NodesTableModel::StatusRole, table));
    addTableAction(m_copyAction);
    table->installEventFilter(this);
    setNouns(tr("No runner node has registered with the host yet."),
        tr("No node matches %1. The filter looks at hostnames, statuses and runner versions."));
    filterField()->setPlaceholderText(
        tr("Hostname, status or runner version (%1)")
            .arg(QKeySequence(QKeySequence::Find).toString(QKeySequence::NativeText)));
    setFootnote(tr("Nodes register and report to the host every few seconds; a node is offline after 30 s "
                   "without a heartbeat. Cores in use count running and assigning tasks."));
}

void NodesPage::applyDefaultColumns()
{
    QTableView *table = tableView();
    QHeaderView *header = table->horizontalHeader();
    const QFontMetrics fm = table->fontMetrics();
    auto fit = [&](int column, const QString &sample) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column, qMax(fm.horizontalAdvance(sample), fm.horizontalAdvance(title)) + 16);
    };
    fit(NodesTableModel::Hostname, QStringLiteral("gpu-a100-01.cluster"));
    fit(NodesTableModel::Status, QStringLiteral("offline"));
    fit(NodesTableModel::TotalCores, QStringLiteral("128"));
    fit(NodesTableModel::CoresInUse, QStringLiteral("128"));
    fit(NodesTableModel::Memory, QStringLiteral("1023.9 GiB / 1024 GiB"));
    fit(NodesTableModel::Cpu, QStringLiteral("100.0 %"));
    fit(NodesTableModel::AvgTemp, QStringLiteral("100.0 \u00b0C"));
    fit(NodesTableModel::MaxTemp, QStringLiteral("100.0 \u00b0C"));
    fit(NodesTableModel::Gpus, QStringLiteral("8"));
    fit(NodesTableModel::VmCapable, QStringLiteral("Yes"));
    fit(NodesTableModel::RunnerVersion, QStringLiteral("0.4.0"));
    fit(NodesTableModel::LastHeartbeat, QStringLiteral("2026-12-31 23:59"));
    header->setSortIndicator(NodesTableModel::Hostname, Qt::AscendingOrder);
}

bool NodesPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == tableView() && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        if (m_copyAction->isEnabled())
            m_copyAction->trigger();
        return true;
    }
    return RecordsPage::eventFilter(watched, event);
}

QString NodesPage::selectedHostname() const
{
    if (!m_model)
        return {};
    const QList<int> rows = selectedRows();
    if (rows.size() != 1)
        return {};
    const auto node = m_model->nodeAt(rows.front());
    return node ? node->hostname : QString();
}

void NodesPage::syncPane()
{
    if (!m_pane || !m_model)
        return;
    const QList<int> rows = selectedRows();
    if (rows.size() != 1) {
        m_pane->showMessage(rows.isEmpty() ? tr("Select a node to see its GPUs and NUMA topology.")
                                           : tr("%L1 nodes selected.").arg(rows.size()));
    } else if (const auto node = m_model->nodeAt(rows.front())) {
        m_pane->showNode(*node);
    } else {
        m_pane->showMessage(tr("Loading\u2026"));
    }
    updateActions();
}

void NodesPage::updateActions()
{
    m_copyAction->setEnabled(m_model && selectedCount() > 0);
    m_refreshAction->setEnabled(m_model != nullptr);
}

void NodesPage::copyHostnames()
{
    QStringList names;
    for (int row : selectedRows()) {
        if (const auto node = m_model->nodeAt(row))
            names << node->hostname;
    }
    if (names.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(names.join(QLatin1Char('\n')));
    Q_EMIT statusMessage(
        names.size() == 1 ? tr("Hostname copied") : tr("%L1 hostnames copied").arg(names.size()));
}

} // namespace rk
