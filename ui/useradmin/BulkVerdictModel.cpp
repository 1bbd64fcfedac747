#include "BulkVerdictModel.h"

#include "useradmin/UsersTableDelegate.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

namespace rk {

BulkVerdictModel::BulkVerdictModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void BulkVerdictModel::setOutcome(const BulkOutcome &outcome, Describe describe)
{
    beginResetModel();
    m_outcome = outcome;
    m_describe = std::move(describe);
    m_runResults.clear();
    endResetModel();
}

void BulkVerdictModel::setRunResult(qint64 userId, const QString &result, const QString &why, bool failed)
{
    for (size_t row = 0; row < m_outcome.verdicts.size(); ++row) {
        if (m_outcome.verdicts[row].userId != userId)
            continue;
        m_runResults.insert(userId, RunResult {result, why, failed});
        Q_EMIT dataChanged(index(int(row), Result), index(int(row), Reason));
        return;
    }
}

int BulkVerdictModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_outcome.verdicts.size());
}

int BulkVerdictModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BulkVerdictModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const BulkVerdict &v = m_outcome.verdicts[size_t(index.row())];
    const bool missing = v.username.isEmpty();
    if (const auto run = m_runResults.constFind(v.userId);
        run != m_runResults.constEnd() && (index.column() == Result || index.column() == Reason)) {
        switch (role) {
        case Qt::DisplayRole: return index.column() == Result ? run->result : run->why;
        case Qt::ToolTipRole: return index.column() == Reason ? run->why : QVariant();
        case Qt::ForegroundRole: return run->failed ? QVariant(QColor(0xb3, 0x26, 0x1e)) : QVariant();
        default: break;
        }
    }
    switch (role) {
    case StateRole: return int(v.state);
    case UserIdRole: return v.userId;
    case Qt::DisplayRole:
        switch (index.column()) {
        case User: return missing ? tr("(id %1)").arg(v.userId) : v.username;
        case Current:
            if (missing)
                return QString();
            return tr("%1, %2").arg(
                UsersTableDelegate::roleLabel(v.role), v.active ? tr("active") : tr("suspended"));
        case Result:
            switch (v.state) {
            case BulkVerdict::State::Refused: return tr("Refused");
            case BulkVerdict::State::Apply:
            case BulkVerdict::State::Unchanged: return m_describe ? m_describe(v) : QString();
            }
            return {};
        case Reason:
            if (v.state == BulkVerdict::State::Refused && v.error)
                return v.error->message;
            return {};
        default: return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == User && !missing)
            return v.displayName.isEmpty() || v.displayName == v.username
                ? v.username
                : tr("%1 (%2)").arg(v.username, v.displayName);
        if (index.column() == Reason && v.error)
            return v.error->message;
        return {};
    case Qt::ForegroundRole:
        if (v.state == BulkVerdict::State::Refused && (index.column() == Result || index.column() == Reason))
            return QColor(0xb3, 0x26, 0x1e);
        if (v.state == BulkVerdict::State::Unchanged && index.column() == Result)
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        return {};
    default: return {};
    }
}

QVariant BulkVerdictModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case User: return tr("User");
    case Current: return tr("Now");
    case Result: return tr("Result");
    case Reason: return tr("Why");
    default: return {};
    }
}

} // namespace rk
