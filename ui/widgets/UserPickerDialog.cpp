#include "UserPickerDialog.h"

#include "pages/TablePage.h"
#include "users/UsersTableModel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace rk {

UserPickerDialog::UserPickerDialog(const QString &databasePath, Mode mode, QWidget *parent)
    : QDialog(parent),
      m_model(new UsersTableModel(databasePath, this)),
      m_prompt(new QLabel(this)),
      m_search(new QLineEdit(this)),
      m_table(new QTableView(this)),
      m_status(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)),
      m_filterTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("userPickerDialog"));
    m_search->setObjectName(QStringLiteral("userPickerSearch"));
    m_table->setObjectName(QStringLiteral("userPickerTable"));
    m_status->setObjectName(QStringLiteral("userPickerStatus"));
    m_prompt->setWordWrap(true);
    m_prompt->hide();

    m_search->setPlaceholderText(tr("Search by username, name or role"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);

    TablePage::configureTable(m_table);
    m_table->setModel(m_model);
    m_table->setSelectionMode(
        mode == Mode::Single ? QAbstractItemView::SingleSelection : QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicator(UsersTableModel::Username, Qt::AscendingOrder);
    for (int column = 0; column < UsersTableModel::ColumnCount; ++column) {
        const bool shown = column == UsersTableModel::Username || column == UsersTableModel::DisplayName
            || column == UsersTableModel::Role || column == UsersTableModel::Groups
            || column == UsersTableModel::Status;
        m_table->setColumnHidden(column, !shown);
    }
    const int avg = m_table->fontMetrics().averageCharWidth();
    m_table->horizontalHeader()->resizeSection(UsersTableModel::Username, 16 * avg);
    m_table->horizontalHeader()->resizeSection(UsersTableModel::DisplayName, 20 * avg);
    m_table->horizontalHeader()->resizeSection(UsersTableModel::Role, 14 * avg);
    m_table->horizontalHeader()->resizeSection(UsersTableModel::Groups, 18 * avg);

    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(150);
    connect(m_search, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));
    connect(m_filterTimer, &QTimer::timeout, this, [this]() { m_model->setFilterText(m_search->text()); });
    connect(m_model, &UsersTableModel::windowLoaded, this, &UserPickerDialog::updateState);
    connect(m_model, &UsersTableModel::errorOccurred, this, [this](const Error &error) {
        m_status->setText(tr("Could not read the users: %1").arg(error.message));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &UserPickerDialog::updateState);
    connect(m_table, &QTableView::activated, this, [this]() {
        if (m_buttons->button(QDialogButtonBox::Ok)->isEnabled())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_prompt);
    layout->addWidget(m_search);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    resize(760, 520);
    m_search->setFocus();
    updateState();
}

UserPickerDialog::~UserPickerDialog() = default;

void UserPickerDialog::setPrompt(const QString &text)
{
    m_prompt->setText(text);
    m_prompt->setVisible(!text.isEmpty());
}

void UserPickerDialog::setAcceptText(const QString &text)
{
    m_buttons->button(QDialogButtonBox::Ok)->setText(text);
}

void UserPickerDialog::setExcluded(const QList<qint64> &ids, const QString &why)
{
    m_excluded = ids;
    std::sort(m_excluded.begin(), m_excluded.end());
    m_excludedWhy = why;
    updateState();
}

QList<UserPickerDialog::Choice> UserPickerDialog::choices() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    QList<Choice> result;
    for (int row : std::as_const(rows)) {
        const auto user = m_model->userAt(row);
        if (user && !std::binary_search(m_excluded.cbegin(), m_excluded.cend(), user->id))
            result.append({user->id, user->username});
    }
    return result;
}

void UserPickerDialog::updateState()
{
    const int selected = static_cast<int>(m_table->selectionModel()->selectedRows().size());
    const int chosen = static_cast<int>(choices().size());
    QString text;
    if (selected == 0)
        text = m_model->totalRowCount() == 1
            ? tr("1 user. Select it (Down) or press Enter to take it.")
            : tr("%L1 users. Select one or more; Enter accepts.").arg(m_model->totalRowCount());
    else if (chosen == selected)
        text = tr("%L1 selected.").arg(chosen);
    else
        text = tr("%L1 selected; %L2 skipped (%3).").arg(chosen).arg(selected - chosen).arg(m_excludedWhy);
    m_status->setText(text);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(chosen > 0);
}

bool UserPickerDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Down && m_model->rowCount() > 0) {
            // Decide before focusing: the view makes row 0 current (unselected) when it gets focus.
            const bool noneSelected = !m_table->selectionModel()->hasSelection();
            m_table->setFocus();
            if (noneSelected)
                m_table->selectRow(0);
            return true;
        }
        // Enter in the search field takes the one user left, or what is already selected.
        if ((key == Qt::Key_Return || key == Qt::Key_Enter) && !m_table->selectionModel()->hasSelection()
            && m_model->rowCount() == 1) {
            m_table->selectRow(0);
            if (m_buttons->button(QDialogButtonBox::Ok)->isEnabled())
                accept();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

QList<UserPickerDialog::Choice> UserPickerDialog::pick(const QString &databasePath, Mode mode,
    const QString &title, const QString &prompt, QWidget *parent, const QList<qint64> &excluded,
    const QString &excludedWhy)
{
    UserPickerDialog dialog(databasePath, mode, parent);
    dialog.setWindowTitle(title);
    dialog.setPrompt(prompt);
    if (!excluded.isEmpty())
        dialog.setExcluded(excluded, excludedWhy);
    if (dialog.exec() != QDialog::Accepted)
        return {};
    return dialog.choices();
}

} // namespace rk
