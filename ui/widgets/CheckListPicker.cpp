#include "CheckListPicker.h"

#include "IconFactory.h"

#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace rk {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
} // namespace

CheckListPicker::CheckListPicker(QWidget *parent)
    : QWidget(parent),
      m_search(new QLineEdit(this)),
      m_list(new QListWidget(this)),
      m_empty(new QLabel(this)),
      m_summary(new QLabel(this))
{
    m_search->setObjectName(QStringLiteral("pickerSearch"));
    m_list->setObjectName(QStringLiteral("pickerList"));
    m_empty->setObjectName(QStringLiteral("pickerEmpty"));
    m_summary->setObjectName(QStringLiteral("pickerSummary"));

    m_search->setClearButtonEnabled(true);
    m_search->setPlaceholderText(tr("Search"));
    m_search->addAction(
        icons::searchIcon(palette().color(QPalette::PlaceholderText)), QLineEdit::LeadingPosition);
    m_search->installEventFilter(this);
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->installEventFilter(this);
    m_list->setMinimumHeight(m_list->fontMetrics().height() * 5);

    QPalette muted = m_summary->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_summary->setPalette(muted);
    m_empty->setPalette(muted);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setMargin(12);
    m_empty->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_summary);
    setFocusProxy(m_search);

    connect(m_search, &QLineEdit::textChanged, this, &CheckListPicker::applySearch);
    connect(m_list, &QListWidget::itemChanged, this, [this]() {
        if (m_filling)
            return;
        updateSummary();
        Q_EMIT checkedChanged();
    });
    updateSummary();
}

void CheckListPicker::setEntries(const QList<Entry> &entries, const QList<qint64> &checked)
{
    m_filling = true;
    m_list->clear();
    for (const Entry &entry : entries) {
        auto *item = new QListWidgetItem(entry.text, m_list);
        item->setData(kIdRole, entry.id);
        item->setToolTip(entry.toolTip);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(entry.id) ? Qt::Checked : Qt::Unchecked);
        // Rows with some air, like the app's tables: easier to hit, easier to read.
        item->setSizeHint(QSize(0, m_list->fontMetrics().height() + 8));
    }
    m_filling = false;
    const bool empty = entries.isEmpty();
    m_list->setVisible(!empty);
    m_search->setEnabled(!empty);
    m_empty->setVisible(empty);
    applySearch(m_search->text());
    updateSummary();
}

void CheckListPicker::setCheckedIds(const QList<qint64> &ids)
{
    m_filling = true;
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        item->setCheckState(ids.contains(item->data(kIdRole).toLongLong()) ? Qt::Checked : Qt::Unchecked);
    }
    m_filling = false;
    updateSummary();
    Q_EMIT checkedChanged();
}

QList<qint64> CheckListPicker::checkedIds() const
{
    QList<qint64> ids;
    for (int i = 0; i < m_list->count(); ++i) {
        const QListWidgetItem *item = m_list->item(i);
        if (item->checkState() == Qt::Checked)
            ids << item->data(kIdRole).toLongLong();
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

int CheckListPicker::entryCount() const
{
    return m_list->count();
}

void CheckListPicker::setEmptyText(const QString &text)
{
    m_empty->setText(text);
}

void CheckListPicker::setSearchPlaceholder(const QString &text)
{
    m_search->setPlaceholderText(text);
}

void CheckListPicker::setSummaryFormat(const QString &format)
{
    m_summaryFormat = format;
    updateSummary();
}

void CheckListPicker::applySearch(const QString &text)
{
    const QString needle = text.trimmed();
    int shown = 0;
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        const bool match = needle.isEmpty() || item->text().contains(needle, Qt::CaseInsensitive);
        item->setHidden(!match);
        shown += match ? 1 : 0;
    }
    if (m_list->count() > 0) {
        m_empty->setVisible(shown == 0);
        m_list->setVisible(shown > 0);
        if (shown == 0)
            m_empty->setText(tr("Nothing matches \u201c%1\u201d.").arg(needle));
    }
}

void CheckListPicker::updateSummary()
{
    const int total = m_list->count();
    const int chosen = int(checkedIds().size());
    const QString format = m_summaryFormat.isEmpty() ? tr("%1 of %2 chosen") : m_summaryFormat;
    m_summary->setText(format.arg(chosen).arg(total));
    m_summary->setVisible(total > 0);
}

bool CheckListPicker::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (watched == m_search
            && (key->key() == Qt::Key_Down || key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
            for (int i = 0; i < m_list->count(); ++i) {
                if (!m_list->item(i)->isHidden()) {
                    m_list->setCurrentRow(i);
                    m_list->setFocus(Qt::TabFocusReason);
                    return true;
                }
            }
        }
        if (watched == m_list && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
            // Return toggles like Space instead of triggering the dialog's default button.
            if (QListWidgetItem *item = m_list->currentItem()) {
                item->setCheckState(item->checkState() == Qt::Checked ? Qt::Unchecked : Qt::Checked);
                return true;
            }
        }
        if (watched == m_search && key->key() == Qt::Key_Escape && !m_search->text().isEmpty()) {
            m_search->clear();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace rk
