#include "TablePage.h"

#include "AppSettings.h"
#include "IconFactory.h"
#include "tables/ChunkedRowsModel.h"
#include "widgets/InlineBanner.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace rk {

namespace {
constexpr int kDefaultFilterDelayMs = 100;

QPalette mutedPalette(const QWidget *widget)
{
    QPalette pal = widget->palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
    return pal;
}

// The column header of a table whose rows are selected, never its columns (SelectRows).
//
// QHeaderView paints each section with the selection state of its neighbours, which asks
// QItemSelectionModel::isColumnSelected(): a walk over every row of a selection that starts at
// row 0, with a flags() call per row. After Select All on two million rows every repaint of the
// header (hovering over it is enough) took 115 ms of the GUI thread. This header watches an
// empty selection model of the same item model instead, so it shows no column as selected (these
// tables highlight no sections anyway, see configureTable()).
class RowTableHeader : public QHeaderView
{
public:
    using QHeaderView::QHeaderView;

    void setSelectionModel(QItemSelectionModel *selectionModel) override
    {
        if (selectionModel && selectionModel->model())
            selectionModel = new QItemSelectionModel(selectionModel->model(), selectionModel);
        QHeaderView::setSelectionModel(selectionModel);
    }
};
} // namespace

TablePage::TablePage(QWidget *parent)
    : Page(parent),
      m_heading(new QLabel(this)),
      m_summary(new QLabel(this)),
      m_filter(new QLineEdit(this)),
      m_toolBar(new QToolBar(this)),
      m_banner(new InlineBanner(this)),
      m_body(new QStackedWidget(this)),
      m_table(new QTableView(m_body)),
      m_placeholder(new QLabel(m_body)),
      m_emptyMessage(new QLabel(m_table->viewport())),
      m_footnote(new QLabel(this)),
      m_loadingBar(new QProgressBar(this)),
      m_loadingLabel(new QLabel(this))
{
    m_heading->setObjectName(QStringLiteral("pageHeading"));
    m_summary->setObjectName(QStringLiteral("pageSummary"));
    m_filter->setObjectName(QStringLiteral("filterField"));
    m_toolBar->setObjectName(QStringLiteral("pageToolBar"));
    m_banner->setObjectName(QStringLiteral("pageBanner"));
    m_table->setObjectName(QStringLiteral("tableView"));
    m_placeholder->setObjectName(QStringLiteral("pagePlaceholder"));
    m_footnote->setObjectName(QStringLiteral("pageFootnote"));
    m_loadingBar->setObjectName(QStringLiteral("loadingBar"));
    m_loadingLabel->setObjectName(QStringLiteral("loadingLabel"));

    QFont headingFont = m_heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.45);
    headingFont.setWeight(QFont::DemiBold);
    m_heading->setFont(headingFont);
    m_summary->setPalette(mutedPalette(m_summary));
    m_footnote->setPalette(mutedPalette(m_footnote));
    m_loadingLabel->setPalette(mutedPalette(m_loadingLabel));
    m_footnote->setWordWrap(true);

    // The clear button, as QLineEdit::setClearButtonEnabled() makes it, but with a painted icon:
    // Qt looks its icon up in the icon theme for each line edit, a third of a page's set-up.
    QAction *clearFilter = m_filter->addAction(
        icons::clearIcon(palette().color(QPalette::PlaceholderText)), QLineEdit::TrailingPosition);
    clearFilter->setObjectName(QStringLiteral("clearFilterAction"));
    clearFilter->setToolTip(tr("Clear the filter (Esc)"));
    clearFilter->setVisible(false);
    connect(clearFilter, &QAction::triggered, m_filter, &QLineEdit::clear);
    connect(m_filter, &QLineEdit::textChanged, clearFilter,
        [clearFilter](const QString &text) { clearFilter->setVisible(!text.isEmpty()); });
    m_filter->setMinimumWidth(300);
    m_filter->addAction(
        icons::searchIcon(palette().color(QPalette::PlaceholderText)), QLineEdit::LeadingPosition);
    m_filter->installEventFilter(this);

    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toolBar->setIconSize(QSize(16, 16));
    m_toolBar->setMovable(false);
    m_toolBar->setFloatable(false);
    m_toolBar->setContentsMargins(0, 0, 0, 0);
    m_toolBar->setStyleSheet(QStringLiteral("QToolBar { border: none; spacing: 2px; padding: 0px; }"));

    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setMargin(40);
    m_placeholder->setPalette(mutedPalette(m_placeholder));
    m_emptyMessage->setObjectName(QStringLiteral("emptyMessage"));
    m_emptyMessage->setAlignment(Qt::AlignCenter);
    m_emptyMessage->setWordWrap(true);
    m_emptyMessage->setMargin(24);
    m_emptyMessage->setPalette(mutedPalette(m_emptyMessage));
    m_emptyMessage->hide();
    m_table->viewport()->installEventFilter(this);
    m_body->addWidget(m_table);
    m_body->addWidget(m_placeholder);

    m_loadingBar->setRange(0, 0);
    m_loadingBar->setTextVisible(false);
    m_loadingBar->setFixedSize(80, 8);
    m_loadingBar->hide();
    m_loadingLabel->hide();

    auto *header = new QHBoxLayout;
    header->setSpacing(10);
    header->addWidget(m_heading, 0, Qt::AlignBaseline);
    header->addWidget(m_summary, 0, Qt::AlignBaseline);
    header->addStretch(1);

    auto *actions = new QHBoxLayout;
    actions->setSpacing(8);
    actions->addWidget(m_toolBar, 1);
    actions->addWidget(m_filter, 0);

    auto *footer = new QHBoxLayout;
    footer->setSpacing(8);
    footer->addWidget(m_footnote, 1);
    footer->addWidget(m_loadingBar, 0, Qt::AlignVCenter);
    footer->addWidget(m_loadingLabel, 0, Qt::AlignVCenter);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(18, 14, 18, 10);
    layout->setSpacing(8);
    layout->addLayout(header);
    layout->addLayout(actions);
    layout->addWidget(m_banner);
    layout->addWidget(m_body, 1);
    layout->addLayout(footer);

    configureTable(m_table);

    m_filterTimer.setSingleShot(true);
    m_filterTimer.setInterval(kDefaultFilterDelayMs);
    connect(m_filter, &QLineEdit::textChanged, this, [this]() {
        if (m_filterTimer.interval() == 0)
            Q_EMIT filterChanged(m_filter->text());
        else
            m_filterTimer.start();
    });
    connect(&m_filterTimer, &QTimer::timeout, this, [this]() { Q_EMIT filterChanged(m_filter->text()); });

    // Ctrl+F: to the filter field, from anywhere on the page.
    auto *findAction = new QAction(tr("&Filter"), this);
    findAction->setObjectName(QStringLiteral("findAction"));
    findAction->setShortcut(QKeySequence::Find);
    findAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(findAction, &QAction::triggered, this, [this]() {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    addAction(findAction);
    m_filter->setPlaceholderText(
        tr("Filter (%1)").arg(findAction->shortcut().toString(QKeySequence::NativeText)));
}

TablePage::~TablePage()
{
    if (m_headerSettings)
        saveHeaderState();
    // The child widgets outlive this destructor (~QWidget deletes them later), and hiding them
    // makes the header emit sectionResized: cut their connections to the timers, which are
    // members and gone by then (a use after free that corrupted the heap now and then).
    m_table->horizontalHeader()->disconnect(this);
    m_filter->disconnect(this);
    m_headerSaveTimer.stop();
    m_filterTimer.stop();
}

bool TablePage::rememberHeaderState(AppSettings &settings, const QString &key)
{
    m_headerSettings = &settings;
    m_headerKey = key;
    QHeaderView *header = m_table->horizontalHeader();
    const QByteArray saved = settings.tableHeaderState(key);
    // A state saved for another number of columns (an older version) is not used.
    bool restored = !saved.isEmpty() && header->restoreState(saved) && header->count() > 0
        && header->hiddenSectionCount() < header->count();
    if (!restored && !saved.isEmpty()) {
        for (int i = 0; i < header->count(); ++i) {
            header->showSection(i);
            header->moveSection(header->visualIndex(i), i);
        }
    }
    m_headerSaveTimer.setSingleShot(true);
    m_headerSaveTimer.setInterval(500);
    connect(&m_headerSaveTimer, &QTimer::timeout, this, &TablePage::saveHeaderState, Qt::UniqueConnection);
    auto later = [this]() { m_headerSaveTimer.start(); };
    connect(header, &QHeaderView::sectionResized, this, later);
    connect(header, &QHeaderView::sectionMoved, this, later);
    connect(header, &QHeaderView::sortIndicatorChanged, this, later);
    return restored;
}

void TablePage::saveHeaderState()
{
    m_headerSaveTimer.stop();
    if (m_headerSettings && m_table->model())
        m_headerSettings->setTableHeaderState(m_headerKey, m_table->horizontalHeader()->saveState());
}

void TablePage::enableColumnsMenu(std::function<void()> reset)
{
    m_resetColumns = std::move(reset);
    if (m_columnsMenu)
        return;
    m_columnsMenu = new QMenu(tr("&Columns"), this);
    m_columnsMenu->setObjectName(QStringLiteral("columnsMenu"));
    m_columnsMenu->menuAction()->setObjectName(QStringLiteral("columnsMenuAction"));
    connect(m_columnsMenu, &QMenu::aboutToShow, this, &TablePage::rebuildColumnsMenu);
    QHeaderView *header = m_table->horizontalHeader();
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this,
        [this, header](const QPoint &pos) { m_columnsMenu->popup(header->viewport()->mapToGlobal(pos)); });
    rebuildColumnsMenu();
}

QAction *TablePage::columnsMenuAction() const
{
    return m_columnsMenu ? m_columnsMenu->menuAction() : nullptr;
}

void TablePage::rebuildColumnsMenu()
{
    m_columnsMenu->clear();
    QAbstractItemModel *model = m_table->model();
    QHeaderView *header = m_table->horizontalHeader();
    if (!model)
        return;
    const int visible = header->count() - header->hiddenSectionCount();
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        auto *action = m_columnsMenu->addAction(model->headerData(logical, Qt::Horizontal).toString());
        action->setObjectName(QStringLiteral("columnAction%1").arg(logical));
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(logical));
        // The last visible column stays: a table without columns cannot get them back by menu.
        action->setEnabled(header->isSectionHidden(logical) || visible > 1);
        connect(action, &QAction::toggled, this, [this, header, logical](bool on) {
            header->setSectionHidden(logical, !on);
            if (on && header->sectionSize(logical) < header->minimumSectionSize())
                header->resizeSection(logical, header->defaultSectionSize());
            m_headerSaveTimer.start();
            syncColumnsMenu();
        });
    }
    m_columnsMenu->addSeparator();
    auto *reset = m_columnsMenu->addAction(tr("&Reset Columns"));
    reset->setObjectName(QStringLiteral("resetColumnsAction"));
    reset->setToolTip(tr("Show every column in its original order, width and sort"));
    connect(reset, &QAction::triggered, this, [this, header]() {
        for (int i = 0; i < header->count(); ++i) {
            header->showSection(i);
            header->moveSection(header->visualIndex(i), i);
        }
        if (m_resetColumns)
            m_resetColumns();
        m_headerSaveTimer.start();
        syncColumnsMenu();
    });
}

void TablePage::syncColumnsMenu()
{
    QHeaderView *header = m_table->horizontalHeader();
    const int visible = header->count() - header->hiddenSectionCount();
    for (QAction *action : m_columnsMenu->actions()) {
        bool ok = false;
        const int logical = action->objectName().mid(int(qstrlen("columnAction"))).toInt(&ok);
        if (!ok || !action->objectName().startsWith(QLatin1String("columnAction")))
            continue;
        const QSignalBlocker blocker(action);
        action->setChecked(!header->isSectionHidden(logical));
        action->setEnabled(header->isSectionHidden(logical) || visible > 1);
    }
}

void TablePage::configureTable(QTableView *table)
{
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    table->setShowGrid(false);
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideRight);
    table->setCornerButtonEnabled(false);
    table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    table->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    table->setContextMenuPolicy(Qt::CustomContextMenu);
    if (!dynamic_cast<RowTableHeader *>(table->horizontalHeader())) {
        auto *header = new RowTableHeader(Qt::Horizontal, table);
        header->setSectionsClickable(true); // as QTableView's own header
        table->setHorizontalHeader(header);
    }

    // Every row the same height, from the font: no measuring of a million rows.
    QHeaderView *rows = table->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setMinimumSectionSize(table->fontMetrics().height() + 4);
    rows->setDefaultSectionSize(table->fontMetrics().height() + 12);
    rows->hide();

    QHeaderView *columns = table->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::Interactive);
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    columns->setHighlightSections(false);
    columns->setStretchLastSection(true);
    columns->setSectionsMovable(true);
    columns->setMinimumSectionSize(48);
}

void TablePage::setHeading(const QString &title)
{
    m_heading->setText(title);
}

void TablePage::setSummary(const QString &summary)
{
    m_summary->setText(summary);
}

void TablePage::setFootnote(const QString &text)
{
    m_footnote->setText(text);
}

void TablePage::setLoading(bool loading)
{
    m_loadingBar->setVisible(loading);
    m_loadingLabel->setVisible(loading);
    m_loadingLabel->setText(loading ? tr("Loading\u2026") : QString());
}

void TablePage::showPlaceholder(const QString &text)
{
    m_placeholder->setText(text);
    m_body->setCurrentWidget(m_placeholder);
    m_filter->setEnabled(false);
}

void TablePage::setEmptyMessage(const QString &text)
{
    m_emptyMessage->setText(text);
    m_emptyMessage->setVisible(!text.isEmpty());
    m_emptyMessage->setGeometry(m_table->viewport()->rect());
}

bool TablePage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        m_emptyMessage->setGeometry(m_table->viewport()->rect());
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape && !m_filter->text().isEmpty()) {
            m_filter->clear();
            return true;
        }
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (m_table->model() && m_table->model()->rowCount() > 0) {
                if (!m_table->currentIndex().isValid())
                    m_table->selectRow(0);
                m_table->setFocus(Qt::TabFocusReason);
                return true;
            }
        }
    }
    return Page::eventFilter(watched, event);
}

void TablePage::selectAllRowsOf(QTableView *table)
{
    if (auto *chunked = qobject_cast<ChunkedRowsModel *>(table->model()))
        chunked->showAllRows();
    table->selectAll();
}

void TablePage::focusMainView()
{
    if (m_body->currentWidget() == m_table)
        m_table->setFocus(Qt::OtherFocusReason);
}

} // namespace rk
