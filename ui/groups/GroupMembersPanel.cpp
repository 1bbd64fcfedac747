#include "GroupMembersPanel.h"

#include "ActionGate.h"
#include "AppSettings.h"
#include "GroupLimits.h"
#include "GroupMembersModel.h"
#include "RoleOverrideDelegate.h"
#include "UiLogging.h"
#include "core/HostTime.h"
#include "core/Role.h"
#include "pages/TablePage.h"
#include "store/PlatformStore.h"
#include "widgets/MessageBox.h"
#include "widgets/PlainItemDelegate.h"
#include "widgets/UserPickerDialog.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace rk {

namespace {

const QString kHeaderKey = QStringLiteral("groupMembers");
// One store transaction (with an audit row per member) per action; the host waits for it.
constexpr int kMaxMembersPerAction = 10000;

QString quoted(const QString &name)
{
    return QStringLiteral("\u201c%1\u201d").arg(name);
}

QPalette mutedPalette(const QWidget *widget)
{
    QPalette pal = widget->palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
    return pal;
}

QString overrideName(const QString &roleOverride)
{
    return roleOverride.isEmpty() ? GroupMembersPanel::tr("none") : roleOverride;
}

} // namespace

GroupMembersPanel::GroupMembersPanel(
    PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent)
    : QWidget(parent),
      m_store(store),
      m_actor(actor),
      m_settings(settings),
      m_model(new GroupMembersModel(store.path(), this)),
      m_title(new QLabel(this)),
      m_facts(new QLabel(this)),
      m_limits(new QLabel(this)),
      m_limitsButton(new QToolButton(this)),
      m_note(new QLabel(this)),
      m_toolBar(new QToolBar(this)),
      m_filter(new QLineEdit(this)),
      m_table(new QTableView(this)),
      m_empty(new QLabel(m_table->viewport())),
      m_summary(new QLabel(this))
{
    setObjectName(QStringLiteral("groupMembersPanel"));
    m_title->setObjectName(QStringLiteral("groupTitle"));
    m_facts->setObjectName(QStringLiteral("groupFacts"));
    m_limits->setObjectName(QStringLiteral("limitsSummary"));
    m_limitsButton->setObjectName(QStringLiteral("limitsButton"));
    m_note->setObjectName(QStringLiteral("enforcementNote"));
    m_toolBar->setObjectName(QStringLiteral("membersToolBar"));
    m_filter->setObjectName(QStringLiteral("membersFilter"));
    m_table->setObjectName(QStringLiteral("membersTable"));
    m_empty->setObjectName(QStringLiteral("membersEmptyMessage"));
    m_summary->setObjectName(QStringLiteral("membersSummary"));

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setTextFormat(Qt::PlainText);
    m_facts->setPalette(mutedPalette(m_facts));
    m_summary->setPalette(mutedPalette(m_summary));
    m_note->setPalette(mutedPalette(m_note));
    m_note->setWordWrap(true);
    m_limits->setTextFormat(Qt::PlainText);
    m_limits->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_limitsButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_limitsButton->hide();
    m_note->setText(tr(
        "Stored for the platform; the host does not enforce group roles or limits yet. Nothing on the host "
        "reads role overrides, tiers or limits_json today (its groups tables are schema-only), so they "
        "change nothing a user can do until a host version or tool reads them."));

    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toolBar->setMovable(false);
    m_toolBar->setFloatable(false);
    m_toolBar->setStyleSheet(QStringLiteral("QToolBar { border: none; spacing: 2px; padding: 0px; }"));

    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(240);
    m_filter->installEventFilter(this);

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(18);
    m_empty->setPalette(mutedPalette(m_empty));
    m_empty->hide();
    m_table->viewport()->installEventFilter(this);
    m_table->installEventFilter(this);

    auto *titleRow = new QHBoxLayout;
    titleRow->setSpacing(10);
    titleRow->addWidget(m_title, 0, Qt::AlignBaseline);
    titleRow->addWidget(m_facts, 0, Qt::AlignBaseline);
    titleRow->addStretch(1);

    auto *limitsRow = new QHBoxLayout;
    limitsRow->setSpacing(8);
    limitsRow->addWidget(m_limits, 1);
    limitsRow->addWidget(m_limitsButton, 0);

    auto *actionsRow = new QHBoxLayout;
    actionsRow->setSpacing(8);
    actionsRow->addWidget(m_toolBar, 1);
    actionsRow->addWidget(m_filter, 0);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 8, 0, 0);
    layout->setSpacing(6);
    layout->addLayout(titleRow);
    layout->addLayout(limitsRow);
    layout->addWidget(m_note);
    layout->addLayout(actionsRow);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);

    createActions();
    setUpTable();

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(0);
    connect(&m_refreshTimer, &QTimer::timeout, this, &GroupMembersPanel::refresh);
    connect(&m_store, &PlatformStore::changed, this, [this](StoreTable table) {
        if (table == StoreTable::Memberships || table == StoreTable::Users || table == StoreTable::Groups)
            scheduleRefresh();
    });
    connect(&m_store, &PlatformStore::externalChange, this, &GroupMembersPanel::scheduleRefresh);

    m_filterTimer.setSingleShot(true);
    m_filterTimer.setInterval(100);
    connect(m_filter, &QLineEdit::textChanged, &m_filterTimer, qOverload<>(&QTimer::start));
    connect(&m_filterTimer, &QTimer::timeout, this, [this]() { m_model->setFilterText(m_filter->text()); });

    setGroup(std::nullopt);
}

GroupMembersPanel::~GroupMembersPanel()
{
    saveHeaderState();
}

// --- set-up -------------------------------------------------------------------------------------

void GroupMembersPanel::createActions()
{
    const auto make = [this](const QString &text, const char *name, const QKeySequence &shortcut,
                          Qt::ShortcutContext context) {
        auto *action = new QAction(text, this);
        action->setObjectName(QString::fromLatin1(name));
        if (!shortcut.isEmpty())
            action->setShortcut(shortcut);
        action->setShortcutContext(context);
        return action;
    };
    const auto ctrlShift = [](Qt::Key key) { return QKeySequence(Qt::CTRL | Qt::SHIFT | key); };
    m_addAction = make(
        tr("&Add Members\u2026"), "addMembersAction", ctrlShift(Qt::Key_A), Qt::WidgetWithChildrenShortcut);
    m_findAction = make(
        tr("Search &Members"), "findMembersAction", ctrlShift(Qt::Key_F), Qt::WidgetWithChildrenShortcut);
    // Only on the members table: elsewhere these keys belong to the groups table or to text.
    m_removeAction = make(
        tr("&Remove from Group\u2026"), "removeMembersAction", QKeySequence::Delete, Qt::WidgetShortcut);
    m_editOverrideAction = make(
        tr("Edit Role &Override"), "editRoleOverrideAction", QKeySequence(Qt::Key_F2), Qt::WidgetShortcut);
    m_copyAction = make(tr("&Copy Usernames"), "copyMembersAction", QKeySequence::Copy, Qt::WidgetShortcut);
    m_selectAllAction = make(
        tr("Select All &Members"), "selectAllMembersAction", QKeySequence::SelectAll, Qt::WidgetShortcut);
    for (QAction *action : {m_removeAction, m_editOverrideAction, m_copyAction, m_selectAllAction})
        m_table->addAction(action);

    m_overrideMenu = new QMenu(tr("Set Role O&verride"), this);
    m_overrideMenu->setObjectName(QStringLiteral("roleOverrideMenu"));
    m_overrideMenu->menuAction()->setObjectName(QStringLiteral("roleOverrideMenuAction"));
    m_overrideMenu->setToolTipsVisible(true);
    const QList<QPair<QString, const char *>> choices = {
        {QString(), "roleOverrideNoneAction"},
        {QStringLiteral("viewer"), "roleOverrideViewerAction"},
        {QStringLiteral("user"), "roleOverrideUserAction"},
        {QStringLiteral("operator"), "roleOverrideOperatorAction"},
        {QStringLiteral("admin"), "roleOverrideAdminAction"},
    };
    for (const auto &[role, name] : choices) {
        const QString text = role.isEmpty() ? tr("&None") : roles::displayName(roles::fromString(role));
        QAction *action = m_overrideMenu->addAction(text);
        action->setObjectName(QString::fromLatin1(name));
        action->setCheckable(true);
        action->setData(role);
        connect(action, &QAction::triggered, this, [this, role = role]() {
            const QList<qint64> ids = selectedMemberIds();
            if (!ids.isEmpty())
                setOverride(ids, role);
            updateActions();
        });
        m_overrideActions << action;
        if (role.isEmpty())
            m_overrideMenu->addSeparator();
    }

    connect(m_addAction, &QAction::triggered, this, &GroupMembersPanel::addMembers);
    connect(m_removeAction, &QAction::triggered, this, &GroupMembersPanel::removeSelected);
    connect(m_editOverrideAction, &QAction::triggered, this, &GroupMembersPanel::editOverrideInPlace);
    connect(m_copyAction, &QAction::triggered, this, &GroupMembersPanel::copyUsernames);
    connect(m_selectAllAction, &QAction::triggered, this, [this]() { TablePage::selectAllRowsOf(m_table); });
    connect(m_findAction, &QAction::triggered, this, [this]() {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });

    m_toolBar->addAction(m_addAction);
    m_toolBar->addAction(m_removeAction);
    auto *overrideButton = new QToolButton(m_toolBar);
    overrideButton->setObjectName(QStringLiteral("roleOverrideButton"));
    overrideButton->setText(tr("Role O&verride") + QStringLiteral(" \u25be"));
    overrideButton->setStyleSheet(QStringLiteral("QToolButton::menu-indicator { image: none; width: 0px; }"));
    overrideButton->setMenu(m_overrideMenu);
    overrideButton->setPopupMode(QToolButton::InstantPopup);
    m_toolBar->addWidget(overrideButton);
    connect(m_overrideMenu->menuAction(), &QAction::changed, overrideButton, [this, overrideButton]() {
        overrideButton->setEnabled(m_overrideMenu->menuAction()->isEnabled());
        overrideButton->setToolTip(m_overrideMenu->menuAction()->toolTip());
    });
    m_filter->setPlaceholderText(
        tr("Search members (%1)").arg(m_findAction->shortcut().toString(QKeySequence::NativeText)));
}

void GroupMembersPanel::setUpTable()
{
    TablePage::configureTable(m_table);
    m_table->setModel(m_model);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setItemDelegate(new RoleOverrideDelegate(GroupMembersModel::RoleOverride, m_table));

    QHeaderView *header = m_table->horizontalHeader();
    const QByteArray saved = m_settings.tableHeaderState(kHeaderKey);
    if (saved.isEmpty() || !header->restoreState(saved) || header->hiddenSectionCount() >= header->count())
        applyDefaultColumns();
    header->setSortIndicatorClearable(true);
    m_table->setSortingEnabled(true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, &GroupMembersPanel::showColumnsMenu);
    m_headerSaveTimer.setSingleShot(true);
    m_headerSaveTimer.setInterval(500);
    connect(&m_headerSaveTimer, &QTimer::timeout, this, &GroupMembersPanel::saveHeaderState);
    const auto later = [this]() { m_headerSaveTimer.start(); };
    connect(header, &QHeaderView::sectionResized, this, later);
    connect(header, &QHeaderView::sectionMoved, this, later);
    connect(header, &QHeaderView::sortIndicatorChanged, this, later);

    connect(m_table, &QTableView::activated, this, [this]() {
        if (m_editOverrideAction->isEnabled())
            editOverrideInPlace();
    });
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QTableView::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex index = m_table->indexAt(pos);
        if (index.isValid() && !m_table->selectionModel()->isRowSelected(index.row(), {}))
            m_table->selectionModel()->setCurrentIndex(
                index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        updateActions();
        if (!m_contextMenu) {
            m_contextMenu = new QMenu(this);
            m_contextMenu->setObjectName(QStringLiteral("membersContextMenu"));
            m_contextMenu->setToolTipsVisible(true);
            for (QAction *action : menuActions()) {
                if (action)
                    m_contextMenu->addAction(action);
                else
                    m_contextMenu->addSeparator();
            }
        }
        m_contextMenu->popup(m_table->viewport()->mapToGlobal(pos));
    });

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this]() {
        if (!m_restoring)
            m_wantedIds = selectedMemberIds();
        updateActions();
    });
    connect(m_model, &GroupMembersModel::windowLoaded, this, [this]() {
        updateSummary();
        restoreSelection();
        updateActions();
    });
    connect(m_model, &GroupMembersModel::orderingComplete, this, &GroupMembersPanel::restoreSelection);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this]() {
        restoreSelection();
        updateActions();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &GroupMembersPanel::updateActions);
    connect(m_model, &GroupMembersModel::errorOccurred, this,
        [this](const Error &error) { Q_EMIT failed(tr("Could not read the members"), error); });
    connect(m_model, &GroupMembersModel::roleOverrideEdited, this,
        [this](qint64 userId, const QString &roleOverride) { setOverride({userId}, roleOverride); });
}

void GroupMembersPanel::applyDefaultColumns()
{
    QHeaderView *header = m_table->horizontalHeader();
    const QFontMetrics fm = m_table->fontMetrics();
    const int avg = fm.averageCharWidth();
    auto fit = [&](int column, int contentWidth) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column, qMax(contentWidth, fm.horizontalAdvance(title)) + 24);
    };
    fit(GroupMembersModel::Username, 14 * avg);
    fit(GroupMembersModel::DisplayName, 20 * avg);
    fit(GroupMembersModel::Role, 10 * avg);
    fit(GroupMembersModel::RoleOverride, fm.horizontalAdvance(tr("Administrator")) + 24);
    fit(GroupMembersModel::Added, fm.horizontalAdvance(QStringLiteral("2026-12-31 23:59")));
    header->setSortIndicator(GroupMembersModel::Username, Qt::AscendingOrder);
}

void GroupMembersPanel::showColumnsMenu(const QPoint &pos)
{
    QHeaderView *header = m_table->horizontalHeader();
    if (!m_columnsMenu) {
        m_columnsMenu = new QMenu(tr("&Columns"), this);
        m_columnsMenu->setObjectName(QStringLiteral("membersColumnsMenu"));
    }
    m_columnsMenu->clear();
    const int visible = header->count() - header->hiddenSectionCount();
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        QAction *action = m_columnsMenu->addAction(m_model->headerData(logical, Qt::Horizontal).toString());
        action->setObjectName(QStringLiteral("memberColumnAction%1").arg(logical));
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(logical));
        action->setEnabled(header->isSectionHidden(logical) || visible > 1);
        connect(action, &QAction::toggled, this, [this, header, logical](bool on) {
            header->setSectionHidden(logical, !on);
            if (on && header->sectionSize(logical) < header->minimumSectionSize())
                header->resizeSection(logical, header->defaultSectionSize());
            m_headerSaveTimer.start();
        });
    }
    m_columnsMenu->addSeparator();
    QAction *reset = m_columnsMenu->addAction(tr("&Reset Columns"));
    reset->setObjectName(QStringLiteral("resetMemberColumnsAction"));
    connect(reset, &QAction::triggered, this, [this, header]() {
        for (int i = 0; i < header->count(); ++i) {
            header->showSection(i);
            header->moveSection(header->visualIndex(i), i);
        }
        applyDefaultColumns();
        m_headerSaveTimer.start();
    });
    m_columnsMenu->popup(header->viewport()->mapToGlobal(pos));
}

void GroupMembersPanel::saveHeaderState()
{
    m_headerSaveTimer.stop();
    m_settings.setTableHeaderState(kHeaderKey, m_table->horizontalHeader()->saveState());
}

// --- the group ----------------------------------------------------------------------------------

std::optional<qint64> GroupMembersPanel::groupId() const
{
    return m_group ? std::optional<qint64>(m_group->id) : std::nullopt;
}

void GroupMembersPanel::setGroup(const std::optional<GroupRecord> &group)
{
    const bool other = !m_group || !group || m_group->id != group->id;
    m_group = group;
    if (other || !m_model->group()) {
        m_wantedIds.clear();
        m_table->clearSelection();
        m_model->setGroup(group ? std::optional<qint64>(group->id) : std::nullopt);
    }
    updateFacts();
    updateSummary();
    updateActions();
}

void GroupMembersPanel::updateFacts()
{
    if (!m_group) {
        m_title->setText(tr("No group selected"));
        m_facts->clear();
        m_limits->hide();
        m_limitsButton->hide();
        return;
    }
    const GroupRecord &g = *m_group;
    m_title->setText(g.name);
    const QDateTime created = hosttime::toDateTime(g.createdAt);
    const QString when = created.isValid() ? PlainItemDelegate::formatDateTime(created) : g.createdAt;
    m_facts->setText(
        tr("Tier %1 \u00b7 members: %L2 \u00b7 created %3").arg(g.tier).arg(g.memberCount).arg(when));
    const GroupLimits limits = GroupLimits::parse(g.limitsJson);
    m_limits->setText(tr("Limits: %1").arg(limits.summary()));
    m_limits->setToolTip(tr("limits_json as stored: %1").arg(g.limitsJson));
    m_limits->show();
    m_limitsButton->setVisible(m_limitsButton->defaultAction() != nullptr);
}

void GroupMembersPanel::setLimitsAction(QAction *action)
{
    m_limitsButton->setDefaultAction(action);
    m_limitsButton->setVisible(m_group.has_value());
}

void GroupMembersPanel::refresh()
{
    if (m_model->group())
        m_model->refresh();
}

void GroupMembersPanel::scheduleRefresh()
{
    m_refreshTimer.start();
}

// --- selection ----------------------------------------------------------------------------------

QList<qint64> GroupMembersPanel::selectedMemberIds() const
{
    QList<int> rows;
    for (const QItemSelectionRange &range : m_table->selectionModel()->selection()) {
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows << row;
    }
    std::sort(rows.begin(), rows.end());
    QList<qint64> ids;
    for (int row : std::as_const(rows)) {
        const qint64 id = m_model->idAt(row);
        if (id >= 0 && m_model->isRowLoaded(row))
            ids << id;
    }
    return ids;
}

void GroupMembersPanel::selectMembers(const QList<qint64> &userIds)
{
    m_wantedIds = userIds;
    restoreSelection();
}

void GroupMembersPanel::restoreSelection()
{
    if (m_wantedIds.isEmpty())
        return;
    const QList<int> rows = m_model->rowsOf(m_wantedIds);
    QItemSelection selection;
    int first = -1;
    for (int row : rows) {
        if (row < 0)
            continue;
        selection.select(m_model->index(row, 0), m_model->index(row, GroupMembersModel::ColumnCount - 1));
        if (first < 0 || row < first)
            first = row;
    }
    if (selection.isEmpty())
        return;
    QItemSelectionModel *sel = m_table->selectionModel();
    if (sel->selection() == selection)
        return;
    m_restoring = true;
    sel->select(selection, QItemSelectionModel::ClearAndSelect);
    sel->setCurrentIndex(m_model->index(first, 0), QItemSelectionModel::NoUpdate);
    m_restoring = false;
    updateActions();
}

QString GroupMembersPanel::memberName(qint64 userId) const
{
    const int row = m_model->rowOf(userId);
    return row >= 0 ? m_model->index(row, GroupMembersModel::Username).data().toString()
                    : QString::number(userId);
}

void GroupMembersPanel::focusMembers()
{
    m_table->setFocus(Qt::OtherFocusReason);
    if (!m_table->currentIndex().isValid() && m_model->rowCount() > 0)
        m_table->selectRow(0);
}

// --- state --------------------------------------------------------------------------------------

QList<QAction *> GroupMembersPanel::pageActions() const
{
    return {m_addAction, m_findAction};
}

QList<QAction *> GroupMembersPanel::menuActions() const
{
    return {m_addAction, m_removeAction, nullptr, m_editOverrideAction, m_overrideMenu->menuAction(), nullptr,
        m_copyAction, m_selectAllAction, m_findAction};
}

void GroupMembersPanel::updateSummary()
{
    const int rows = m_model->totalRowCount();
    const QString filter = m_model->filterText();
    QString empty;
    if (!m_group) {
        m_summary->clear();
        empty = tr("Select a group to see its members and limits.");
    } else {
        m_summary->setText(filter.isEmpty() ? tr("Members: %L1").arg(rows)
                                            : tr("Matching %1: %L2").arg(quoted(filter)).arg(rows));
        if (rows == 0 && filter.isEmpty())
            empty
                = tr("%1 has no members yet. Add Members\u2026 (%2) adds users of the platform.")
                      .arg(quoted(m_group->name), m_addAction->shortcut().toString(QKeySequence::NativeText));
        else if (rows == 0)
            empty = tr("No member of %1 matches %2. The search looks at usernames, display names, roles and "
                       "role overrides.")
                        .arg(quoted(m_group->name), quoted(filter));
    }
    m_empty->setText(empty);
    m_empty->setVisible(!empty.isEmpty());
    m_empty->setGeometry(m_table->viewport()->rect());
}

void GroupMembersPanel::updateActions()
{
    const ActionGate gate = ActionGate::forPermission(m_store, m_actor, Permission::ManageUsers);
    const bool hasGroup = m_group.has_value();
    const QString group = hasGroup ? quoted(m_group->name) : QString();
    const QList<qint64> ids = selectedMemberIds();
    const int count = int(ids.size());
    const bool one = count == 1;
    const QString who = one ? quoted(memberName(ids.front())) : tr("the %L1 selected members").arg(count);
    m_model->setOverridesEditable(gate.allowed && hasGroup);

    gate.apply(m_addAction,
        hasGroup ? tr("Add users to %1, several at once").arg(group)
                 : tr("Add users to a group (select the group first)"),
        hasGroup);
    gate.apply(m_removeAction,
        count > 0 ? tr("Remove %1 from %2; their accounts stay").arg(who, group)
                  : tr("Remove members from the group (select them first)"),
        hasGroup && count > 0);
    gate.apply(m_editOverrideAction,
        one ? tr("Change the role override of %1 in place").arg(who)
            : tr("Change a member's role override in place (select one member)"),
        hasGroup && one);
    gate.apply(m_overrideMenu->menuAction(),
        count > 0 ? tr("Set the role override of %1 (stored; the host does not read it yet)").arg(who)
                  : tr("Set the role override of members (select them first)"),
        hasGroup && count > 0);
    // The current override of a single member is checked.
    const QString current = one ? m_model->index(m_model->rowsOf(ids).value(0, -1), 0)
                                      .data(GroupMembersModel::RoleOverrideRole)
                                      .toString()
                                : QString();
    for (QAction *action : std::as_const(m_overrideActions)) {
        action->setChecked(one && action->data().toString() == current);
        action->setEnabled(gate.allowed && hasGroup && count > 0);
        action->setToolTip(gate.allowed
                ? tr("Set the override of %1 to %2").arg(who, action->text().remove(QLatin1Char('&')))
                : gate.reason);
    }
    m_copyAction->setEnabled(count > 0);
    m_selectAllAction->setEnabled(hasGroup && m_model->rowCount() > 0);
    m_findAction->setEnabled(hasGroup);
    m_filter->setEnabled(hasGroup);
}

bool GroupMembersPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        m_empty->setGeometry(m_table->viewport()->rect());
    if (event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (watched == m_filter) {
            if (key->key() == Qt::Key_Escape && !m_filter->text().isEmpty()) {
                m_filter->clear();
                return true;
            }
            if ((key->key() == Qt::Key_Down || key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
                && m_model->rowCount() > 0) {
                focusMembers();
                return true;
            }
        } else if (watched == m_table && key->key() == Qt::Key_Escape) {
            // An open editor takes Esc itself (the delegate closes it): this is Esc on the rows.
            Q_EMIT leaveRequested();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

// --- actions ------------------------------------------------------------------------------------

void GroupMembersPanel::addMembers()
{
    if (!m_group || !m_addAction->isEnabled())
        return;
    const GroupRecord group = *m_group;
    auto members = m_store.groupMembers(m_actor, group.id);
    if (!members) {
        Q_EMIT failed(tr("Could not read the members of %1").arg(quoted(group.name)), members.error());
        return;
    }
    QList<qint64> current;
    current.reserve(qsizetype(members->size()));
    for (const GroupMember &m : members.value())
        current << m.userId;

    auto *dialog = new UserPickerDialog(m_store.path(), UserPickerDialog::Mode::Multiple, this);
    dialog->setObjectName(QStringLiteral("addMembersDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setWindowTitle(tr("Add Members to %1").arg(quoted(group.name)));
    dialog->setPrompt(
        tr("Choose the users to add to %1: search, then Ctrl- or Shift-click to choose several. "
           "Users who are members already are skipped.")
            .arg(quoted(group.name)));
    dialog->setAcceptText(tr("&Add Members"));
    dialog->setExcluded(current, tr("already members"));
    connect(dialog, &QDialog::accepted, this, [this, dialog, group]() {
        QList<qint64> ids;
        for (const UserPickerDialog::Choice &choice : dialog->choices())
            ids << choice.id;
        addChosen(group.id, group.name, ids);
    });
    dialog->open();
}

void GroupMembersPanel::addChosen(qint64 groupId, const QString &groupName, const QList<qint64> &userIds)
{
    if (userIds.isEmpty())
        return;
    auto outcome = m_store.addUsersToGroup(m_actor, groupId, userIds);
    if (!outcome) {
        Q_EMIT failed(tr("Could not add members to %1").arg(quoted(groupName)), outcome.error());
        return;
    }
    const QList<qint64> added = outcome->idsIn(BulkVerdict::State::Apply);
    const int already = outcome->count(BulkVerdict::State::Unchanged);
    QStringList refused;
    for (const BulkVerdict &v : outcome->verdicts) {
        if (v.state == BulkVerdict::State::Refused && v.error)
            refused << QStringLiteral("%1: %2").arg(
                v.username.isEmpty() ? QString::number(v.userId) : v.username, v.error->message);
    }
    Q_EMIT statusMessage(tr("Added %L1 members to %2.").arg(added.size()).arg(quoted(groupName)));
    if (!refused.isEmpty() || already > 0) {
        QString text = tr("Added %L1 of the %L2 chosen users to %3.")
                           .arg(added.size())
                           .arg(userIds.size())
                           .arg(quoted(groupName));
        if (already > 0)
            text += QLatin1Char(' ') + tr("Already members: %L1.").arg(already);
        if (!refused.isEmpty())
            text += QLatin1Char(' ') + tr("Not added: %1").arg(refused.join(QStringLiteral("; ")));
        Q_EMIT notice(text);
    }
    if (m_group && m_group->id == groupId && !added.isEmpty())
        selectMembers(added);
}

void GroupMembersPanel::removeSelected()
{
    if (!m_group || !m_removeAction->isEnabled())
        return;
    const int selected = int(m_table->selectionModel()->selectedRows().size());
    const QList<qint64> ids = selectedMemberIds();
    if (ids.size() != selected) {
        Q_EMIT notice(tr("Some selected members are still loading. Try again in a moment."));
        return;
    }
    if (ids.isEmpty())
        return;
    if (ids.size() > kMaxMembersPerAction) {
        Q_EMIT notice(
            tr("One action takes at most %L1 members; %L2 are selected. Narrow the selection with the "
               "search, or remove them in parts.")
                .arg(kMaxMembersPerAction)
                .arg(ids.size()));
        return;
    }
    const GroupRecord group = *m_group;
    MessageBox::Options box;
    box.title = tr("Remove from Group");
    if (ids.size() == 1) {
        box.text = tr("Remove %1 from %2?").arg(quoted(memberName(ids.front())), quoted(group.name));
    } else {
        box.text = tr("Remove %L1 members from %2?").arg(ids.size()).arg(quoted(group.name));
    }
    box.informativeText
        = tr("Their accounts, sessions and tokens stay, and so does any role override elsewhere. "
             "VPS access given to them only through this group ends.");
    box.accept = MessageBox::Button::Yes;
    box.reject = MessageBox::Button::No;
    box.destructive = true;
    if (MessageBox::ask(this, box) != MessageBox::Button::Yes)
        return;
    auto removed = m_store.removeGroupMembers(m_actor, group.id, ids);
    if (!removed) {
        Q_EMIT failed(tr("Could not remove the members"), removed.error());
        return;
    }
    m_wantedIds.clear();
    Q_EMIT statusMessage(tr("Removed %L1 members from %2.").arg(removed.value()).arg(quoted(group.name)));
}

void GroupMembersPanel::editOverrideInPlace()
{
    if (!m_editOverrideAction->isEnabled())
        return;
    const QList<qint64> ids = selectedMemberIds();
    const int row = ids.size() == 1 ? m_model->rowOf(ids.front()) : -1;
    if (row < 0)
        return;
    const QModelIndex cell = m_model->index(row, GroupMembersModel::RoleOverride);
    m_table->scrollTo(cell);
    m_table->setCurrentIndex(cell);
    m_table->edit(cell);
}

void GroupMembersPanel::setOverride(const QList<qint64> &userIds, const QString &roleOverride)
{
    if (!m_group || userIds.isEmpty())
        return;
    const GroupRecord group = *m_group;
    if (userIds.size() > kMaxMembersPerAction) {
        Q_EMIT notice(tr("One action takes at most %L1 members; %L2 are selected.")
                          .arg(kMaxMembersPerAction)
                          .arg(userIds.size()));
        return;
    }
    auto changed = m_store.setMemberRoleOverrides(m_actor, group.id, userIds, roleOverride);
    if (!changed) {
        Q_EMIT failed(tr("Could not set the role override"), changed.error());
        return;
    }
    if (userIds.size() == 1) {
        Q_EMIT statusMessage(
            tr("Role override of %1 in %2: %3.")
                .arg(quoted(memberName(userIds.front())), quoted(group.name), overrideName(roleOverride)));
    } else {
        Q_EMIT statusMessage(tr("Role override of %L1 members of %2: %3 (%L4 changed).")
                                 .arg(userIds.size())
                                 .arg(quoted(group.name), overrideName(roleOverride))
                                 .arg(changed.value()));
    }
}

void GroupMembersPanel::copyUsernames()
{
    QStringList names;
    for (qint64 id : selectedMemberIds()) {
        const QString name = m_model->usernameAt(m_model->rowOf(id));
        if (!name.isEmpty())
            names << name;
    }
    if (!names.isEmpty())
        QGuiApplication::clipboard()->setText(names.join(QLatin1Char('\n')));
}

} // namespace rk
