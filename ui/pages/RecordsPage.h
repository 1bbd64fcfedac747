#pragma once

#include "TablePage.h"
#include "core/Result.h"
#include "core/Role.h"
#include "store/StoreTypes.h"

#include <QKeySequence>
#include <QSet>
#include <QTimer>

#include <functional>

class QAbstractItemModel;
class QAction;
class QMenu;

namespace rk {

class AppSettings;
class PlatformStore;

// "Bob" -> \u201cBob\u201d, for names inside sentences.
QString quotedName(const QString &name);
// A store message as a sentence (final period added when missing).
QString asSentence(const QString &text);

// What every page over one kind of platform record shares, on top of TablePage's frame:
// - a lazy model (LazySqlTableModel or UsersTableModel) bound to the filter field, the loading
//   indicator, the summary ("Total: 42" / "Matching "bo": 3"), the empty-table sentence and the
//   banner (read errors, with Retry);
// - a selection kept by record id across refreshes and re-sorts (selectId(), currentId(),
//   selectedIds()), with the rows a view cannot know yet reported instead of silently dropped;
// - refresh after this app's changes to the tables the page shows, after the host's (the store's
//   externalChange, from PRAGMA data_version), and optionally every N ms while the page is shown
//   (times left move on); the selection survives each;
// - the page's actions (makeAction()): shortcuts, a row context menu built from menuActions(),
//   Enter/double-click running the default action, Delete/Copy/Select All living on the table;
// - remembered column widths, order, visibility and sort (AppSettings, per page key);
// - failures shown inline with the reason (showFailure()), Retry where trying again can help.
//
// A subclass creates its actions (makeAction), then its model (Options::deferred, so that it
// reads nothing before the page is first shown), then calls bindModel(); it
// implements updateActions() (enable state and tooltips, usually through an ActionGate) and
// describes its nouns with setNouns(). A role that may not view the records gets
// showRoleRequirement() instead of a model.
class RecordsPage : public TablePage
{
    Q_OBJECT

public:
    RecordsPage(PlatformStore &store, const Actor &actor, AppSettings &settings, QWidget *parent = nullptr);
    ~RecordsPage() override;

    PlatformStore &store() const { return m_store; }
    const Actor &actor() const { return m_actor; }
    AppSettings &settings() const { return m_settings; }

    // The bound model (nullptr before bindModel(), or when the role may not view the records).
    QAbstractItemModel *boundModel() const { return m_model; }

    int selectedCount() const;
    // Selected rows, ascending.
    QList<int> selectedRows() const;
    // The ids of the selected rows the model knows, in row order.
    QList<qint64> selectedIds() const;
    // The one selected record (-1 when none or several are selected).
    qint64 currentId() const;
    // Selects (and scrolls to) the record, now or as soon as the model knows its row.
    void selectId(qint64 id);

public Q_SLOTS:
    void refresh();

protected:
    struct RowIds
    {
        std::function<qint64(int row)> idAt; // -1 when not known yet
        std::function<int(qint64 id)> rowOf; // -1 when not known (yet)
    };

    // Binds a lazy model (LazySqlTableModel or UsersTableModel: the same signals) to the page:
    // the table shows it, the filter field filters it, and refreshes re-run its query.
    // `settingsKey` names the remembered header state; `defaultColumns` sets widths and the sort
    // when nothing was remembered (and for "Reset Columns").
    template<class Model>
    void bindModel(Model *model, RowIds ids, const QString &settingsKey, std::function<void()> defaultColumns)
    {
        attachModel(model, std::move(ids), settingsKey, std::move(defaultColumns));
        connect(this, &TablePage::filterChanged, model, &Model::setFilterText);
        connect(model, &Model::loadingChanged, this, &TablePage::setLoading);
        connect(model, &Model::windowLoaded, this, &RecordsPage::onWindowLoaded);
        connect(model, &Model::orderingComplete, this, [this]() { restoreSelection(true); });
        connect(model, &Model::errorOccurred, this, &RecordsPage::onModelError);
        m_refreshModel = [model]() { model->refresh(); };
        m_filterText = [model]() { return model->filterText(); };
        // A deferred model (Options::deferred) reads nothing until the page is first shown, so
        // that signing in does not query every page's table at once.
        m_startModel = [model]() { model->start(); };
        if (isVisible())
            m_startModel();
    }

    // Creates an action owned by the page, named `objectName` (tests find it by that name).
    // Table-only keys (Delete, Copy, Select All) use Qt::WidgetShortcut and addTableAction().
    QAction *makeAction(const QString &text, const char *objectName, const QKeySequence &shortcut = {},
        Qt::ShortcutContext context = Qt::WidgetWithChildrenShortcut);
    // The action also works by its shortcut while the table has focus (and only then, for
    // Qt::WidgetShortcut actions).
    void addTableAction(QAction *action);
    // Runs on Enter and double-click on a row, when enabled.
    void setDefaultAction(QAction *action) { m_defaultAction = action; }

    // The store tables whose changes (by this app) refresh the page; the host's changes always do.
    void setRefreshTables(const QSet<StoreTable> &tables) { m_refreshTables = tables; }
    // Re-runs the query every `ms` while the page is visible (0: never), e.g. for "time left".
    void setPeriodicRefresh(int ms);

    // For the summary and the empty table: "This platform has no API tokens yet." and
    // "No token matches %1. The filter looks at names and owners." (%1: the quoted filter).
    void setNouns(const QString &emptyText, const QString &noMatchText);

    // Shows why the acting role cannot see this page (instead of the table).
    void showRoleRequirement(Permission view, const QString &what);

    // The selection for an action on several records: at most `max`, all of them known;
    // otherwise a banner says why and the list is empty.
    QList<qint64> idsForAction(int max);

    // "What: reason." in the banner; a Retry button when `retry` is set and trying again can help
    // (locked, I/O, internal errors).
    void showFailure(const QString &what, const Error &error, std::function<void()> retry = {});

    // Enable state and tooltips of the page's actions, after every selection or data change.
    virtual void updateActions() = 0;
    // After the first screen of each query: the summary and empty sentence by default.
    virtual void updateSummary();

    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void attachModel(QAbstractItemModel *model, RowIds ids, const QString &settingsKey,
        std::function<void()> defaultColumns);
    void onWindowLoaded();
    void onModelError(const Error &error);
    void restoreSelection(bool finalAttempt = false);
    void scheduleRefresh();
    void showContextMenu(const QPoint &pos);

    PlatformStore &m_store;
    Actor m_actor;
    AppSettings &m_settings;
    QAbstractItemModel *m_model = nullptr;
    RowIds m_ids;
    std::function<void()> m_refreshModel;
    std::function<QString()> m_filterText;
    std::function<void()> m_startModel;
    QAction *m_defaultAction = nullptr;
    QMenu *m_contextMenu = nullptr;
    QSet<StoreTable> m_refreshTables;
    QString m_emptyText;
    QString m_noMatchText;

    qint64 m_wantedId = -1; // the record to keep selected across refreshes
    bool m_scrollToWanted = false;
    bool m_restoring = false;
    QTimer m_refreshTimer; // coalesces the store's several changed() of one operation
    QTimer m_periodicTimer;
    bool m_staleWhileHidden = false;
};

} // namespace rk
