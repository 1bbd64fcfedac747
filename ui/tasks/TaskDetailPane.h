#pragma once

#include "tasks/TaskDetails.h"

#include <QHash>
#include <QWidget>

class QFormLayout;
class QLabel;
class QStackedWidget;

namespace rk {

// Every field of one task (TaskDetails) in a read-only form beside the Tasks table: identity,
// owner and approval, the command line and environment, resources and target, the container,
// times, exit code and error. Values are selectable text; JSON columns that cannot be read are
// shown as stored. Each value label is named "detail<Field>" ("detailStatus", ...). UI thread.
class TaskDetailPane : public QWidget
{
    Q_OBJECT

public:
    explicit TaskDetailPane(QWidget *parent = nullptr);

    void showTask(const TaskDetails &task);
    // Instead of a task: "Select a task to see its details.", "Loading…".
    void showMessage(const QString &text);

    // The text of one value ("Status", "Owner", ...), "\u2014" for none; empty while no task is shown.
    QString value(const QString &field) const;

private:
    void set(const QString &field, const QString &text);

    QStackedWidget *m_stack;
    QLabel *m_message;
    QFormLayout *m_form;
    QHash<QString, QLabel *> m_values;
};

} // namespace rk
