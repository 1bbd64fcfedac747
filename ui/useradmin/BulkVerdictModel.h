#pragma once

#include "store/PlatformStore.h"

#include <QAbstractTableModel>
#include <QHash>

#include <functional>

namespace rk {

// The rows of a bulk preview: each user of the set with what the action would do to them, or
// why it would not (BulkOutcome from the store's check). Read-only; reset when the preview is
// computed again.
class BulkVerdictModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { User, Current, Result, Reason, ColumnCount };
    enum ItemRole { StateRole = Qt::UserRole + 1, UserIdRole };

    // What "Apply" and "Unchanged" mean for one row ("Will be suspended", "Already a member").
    using Describe = std::function<QString(const BulkVerdict &verdict)>;

    explicit BulkVerdictModel(QObject *parent = nullptr);

    void setOutcome(const BulkOutcome &outcome, Describe describe);
    const BulkOutcome &outcome() const { return m_outcome; }
    // After the change was sent (through the host, user by user): what became of one user, shown
    // in place of the preview's Result and Why. Kept until the next setOutcome().
    void setRunResult(qint64 userId, const QString &result, const QString &why, bool failed);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct RunResult
    {
        QString result;
        QString why;
        bool failed = false;
    };

    BulkOutcome m_outcome;
    Describe m_describe;
    QHash<qint64, RunResult> m_runResults;
};

} // namespace rk
