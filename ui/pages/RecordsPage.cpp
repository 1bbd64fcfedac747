#include "RecordsPage.h"

#include "AppSettings.h"
#include "UiLogging.h"
#include "store/PlatformStore.h"
#include "tables/ChunkedRowsModel.h"
#include "widgets/InlineBanner.h"

#include <QAbstractItemModel>
#include <QAction>
#include <QHeaderView>
#include <QMenu>
#include <QTableView>

#include <algorithm>

namespace rk {

QString quotedName(const QString &name)
{
    return QStringLiteral("\u201c%1\u201d").arg(name);
}

QString asSentence(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t.endsWith(QLatin1Char('.')) || t.endsWith(QLatin1Char('!'))
        || t.endsWith(QLatin1Char('?')))
        return t;
    return t + QLatin1Char('.');
}

RecordsPage::RecordsPage(PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent)
    : TablePage(parent), m_store(store), m_actor(actor), m_settings(settings)
{
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(0);
    connect(&m_refreshTimer, &QTimer::timeout, this, &RecordsPage::refresh);
    connect(&m_periodicTimer, &QTimer::timeout, this, &RecordsPage::refresh);

    connect(&m_store, &PlatformStore::changed, this, [this](StoreTable table) {
        if (m_refreshTables.contains(table))
            scheduleRefresh();
    });
    connect(&m_store, &PlatformStore::externalChange, this, &RecordsPage::scheduleRefresh);
}

RecordsPage::~RecordsPage() = default;

void RecordsPage::attachModel(
    QAbstractItemModel *model, RowIds ids, const QString &settingsKey, std::function<void()> defaultColumns)
{
    m_model = model;
    m_ids = std::move(ids);
    QTableView *table = tableView();
    table->setModel(model);
    table->setSelectionMode(QAbstractItemView::ExtendedSelection);

    QHeaderView *header = table->horizontalHeader();
    if (!rememberHeaderState(m_settings, settingsKey) && defaultColumns)
        defaultColumns();
    enableColumnsMenu(defaultColumns);
    header->setSortIndicatorClearable(true);
    // Header clicks call model->sort(), which sorts in SQL on the model's worker.
    table->setSortingEnabled(true);

    connect(table, &QTableView::activated, this, [this]() {
        if (m_defaultAction && m_defaultAction->isEnabled())
            m_defaultAction->trigger();
    });
    connect(table, &QTableView::customContextMenuRequested, this, &RecordsPage::showContextMenu);
    // selectRow() moves the current row before it selects: follow the selection too.
    connect(
        table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RecordsPage::updateActions);
    connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            // A selection asked for in code (a new record) waits for its row; meanwhile the
            // view's own moves (focus returning from a dialog) must not replace it.
            if (!m_restoring && !m_scrollToWanted)
                m_wantedId = current.isValid() ? m_ids.idAt(current.row()) : -1;
            updateActions();
        });
    connect(model, &QAbstractItemModel::modelReset, this, &RecordsPage::updateActions);
    connect(model, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
            const int current = tableView()->currentIndex().row();
            if (current >= topLeft.row() && current <= bottomRight.row())
                updateActions();
            if (m_wantedId >= 0 && (current < 0 || m_ids.idAt(current) != m_wantedId))
                restoreSelection();
        });
}

QAction *RecordsPage::makeAction(
    const QString &text, const char *objectName, const QKeySequence &shortcut, Qt::ShortcutContext context)
{
    auto *action = new QAction(text, this);
    action->setObjectName(QString::fromLatin1(objectName));
    if (!shortcut.isEmpty())
        action->setShortcut(shortcut);
    action->setShortcutContext(context);
    addAction(action);
    return action;
}

void RecordsPage::addTableAction(QAction *action)
{
    tableView()->addAction(action);
}

void RecordsPage::setPeriodicRefresh(int ms)
{
    m_periodicTimer.setInterval(ms);
    if (ms > 0 && isVisible())
        m_periodicTimer.start();
    else if (ms <= 0)
        m_periodicTimer.stop();
}

void RecordsPage::setNouns(const QString &emptyText, const QString &noMatchText)
{
    m_emptyText = emptyText;
    m_noMatchText = noMatchText;
}

void RecordsPage::showRoleRequirement(Permission view, const QString &what)
{
    showPlaceholder(tr("Signed in as %1 (%2). %3 needs the %4 role.")
                        .arg(m_actor.username, roles::displayName(m_actor.role), what,
                            roles::displayName(roles::minimumFor(view))));
}

void RecordsPage::showEvent(QShowEvent *event)
{
    TablePage::showEvent(event);
    if (m_startModel)
        m_startModel();
    if (m_periodicTimer.interval() > 0) {
        if (m_staleWhileHidden)
            refresh();
        m_periodicTimer.start();
    }
    m_staleWhileHidden = false;
}

void RecordsPage::hideEvent(QHideEvent *event)
{
    TablePage::hideEvent(event);
    if (m_periodicTimer.isActive()) {
        m_periodicTimer.stop();
        m_staleWhileHidden = true;
    }
}

// --- selection ----------------------------------------------------------------------------------

int RecordsPage::selectedCount() const
{
    if (!m_model)
        return 0;
    int n = 0;
    for (const QItemSelectionRange &range : tableView()->selectionModel()->selection())
        n += range.height();
    return n;
}

QList<int> RecordsPage::selectedRows() const
{
    QList<int> rows;
    if (!m_model)
        return rows;
    for (const QItemSelectionRange &range : tableView()->selectionModel()->selection()) {
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows << row;
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

QList<qint64> RecordsPage::selectedIds() const
{
    QList<qint64> ids;
    for (int row : selectedRows()) {
        const qint64 id = m_ids.idAt(row);
        if (id >= 0)
            ids << id;
    }
    return ids;
}

qint64 RecordsPage::currentId() const
{
    if (!m_model || selectedCount() != 1)
        return -1;
    const QModelIndex current = tableView()->currentIndex();
    if (!current.isValid() || !tableView()->selectionModel()->isRowSelected(current.row(), {}))
        return -1;
    return m_ids.idAt(current.row());
}

QList<qint64> RecordsPage::idsForAction(int max)
{
    const int count = selectedCount();
    if (count > max) {
        banner()->showMessage(InlineBanner::Kind::Info,
            tr("One action takes at most %L1 rows; %L2 are selected. Each action is one transaction, and a "
               "larger one would keep the host from writing for too long. Narrow the selection with the "
               "filter, or act in parts.")
                .arg(max)
                .arg(count));
        return {};
    }
    const QList<qint64> ids = selectedIds();
    if (ids.size() != count) {
        banner()->showMessage(InlineBanner::Kind::Info,
            tr("Some selected rows are still loading. Try again in a moment, when the table has finished "
               "sorting."));
        return {};
    }
    return ids;
}

void RecordsPage::selectId(qint64 id)
{
    m_wantedId = id;
    m_scrollToWanted = true;
    restoreSelection();
}

void RecordsPage::restoreSelection(bool finalAttempt)
{
    if (!m_model || m_wantedId < 0)
        return;
    const int row = m_ids.rowOf(m_wantedId);
    if (row < 0) {
        // Not known yet (orderingComplete() tries again), or filtered out or deleted: once the
        // model has ordered every row of a query run since, stop holding on to it.
        if (finalAttempt)
            m_scrollToWanted = false;
        return;
    }
    QTableView *table = tableView();
    const QModelIndex target = m_model->index(row, 0);
    if (table->currentIndex().row() != row || !table->selectionModel()->isRowSelected(row, {})) {
        m_restoring = true;
        table->selectionModel()->setCurrentIndex(
            target, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_restoring = false;
    }
    if (m_scrollToWanted) {
        table->scrollTo(target);
        m_scrollToWanted = false;
    }
    updateActions();
}

// --- refresh ------------------------------------------------------------------------------------

void RecordsPage::scheduleRefresh()
{
    if (m_model)
        m_refreshTimer.start();
}

void RecordsPage::refresh()
{
    if (m_refreshModel)
        m_refreshModel();
}

void RecordsPage::onWindowLoaded()
{
    updateSummary();
    restoreSelection();
    updateActions();
}

void RecordsPage::onModelError(const Error &error)
{
    showFailure(tr("Could not read the table"), error, [this]() { refresh(); });
}

void RecordsPage::updateSummary()
{
    if (!m_model)
        return;
    const int rows = ChunkedRowsModel::totalRowsOf(m_model);
    const QString filter = m_filterText ? m_filterText() : QString();
    // "Total: 41" rather than "41 user(s)": no plural forms needed without a translation.
    if (filter.isEmpty())
        setSummary(tr("Total: %L1").arg(rows));
    else
        setSummary(tr("Matching %1: %L2").arg(quotedName(filter)).arg(rows));
    if (rows > 0)
        setEmptyMessage({});
    else if (filter.isEmpty())
        setEmptyMessage(m_emptyText);
    else
        setEmptyMessage(m_noMatchText.contains(QLatin1String("%1")) ? m_noMatchText.arg(quotedName(filter))
                                                                    : m_noMatchText);
}

// --- menus and failures -------------------------------------------------------------------------

void RecordsPage::showContextMenu(const QPoint &pos)
{
    if (!m_model)
        return;
    const QModelIndex index = tableView()->indexAt(pos);
    // A right-click inside the selection keeps it (for an action on several); elsewhere it
    // selects the row.
    if (index.isValid() && !tableView()->selectionModel()->isRowSelected(index.row(), {}))
        tableView()->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateActions();
    if (!m_contextMenu) {
        m_contextMenu = new QMenu(this);
        m_contextMenu->setObjectName(QStringLiteral("rowContextMenu"));
        m_contextMenu->setToolTipsVisible(true);
        for (QAction *action : menuActions()) {
            if (action)
                m_contextMenu->addAction(action);
            else
                m_contextMenu->addSeparator();
        }
    }
    m_contextMenu->popup(tableView()->viewport()->mapToGlobal(pos));
}

void RecordsPage::showFailure(const QString &what, const Error &error, std::function<void()> retry)
{
    qCInfo(lcUi) << what << "-" << error.message;
    banner()->showError(QStringLiteral("%1: %2").arg(what, asSentence(error.message)));
    if (retry
        && (error.code == Error::Code::Locked || error.code == Error::Code::Io
            || error.code == Error::Code::Internal))
        banner()->setAction(tr("Retry"), std::move(retry));
}

} // namespace rk
