#pragma once

#include <QDialog>
#include <QStringList>

#include <memory>

namespace Ui {
class RejectDialog;
}

namespace rk {

// Asks for the reason of a rejection, and is the confirmation of it: it names how many tasks and
// which (one line each), and its button says "Reject N Tasks". The reason is free text, sent as is
// (the host's ?reason=, optional there); reusable templates can be picked (double-click, Enter or
// Use), added from the reason as written, and removed. The dialog only edits the list and emits
// templatesChanged(); the page stores it. UI thread.
class RejectDialog : public QDialog
{
    Q_OBJECT

public:
    // Longer reasons are refused: the reason travels in the URL's query string.
    static constexpr int kMaxReasonLength = 1000;

    // `tasks`: one line per task ("7391… · train-vit · bob").
    RejectDialog(const QStringList &tasks, const QStringList &templates, QWidget *parent = nullptr);
    ~RejectDialog() override;

    // The reason as it will be sent (surrounding blanks removed; empty: none).
    QString reason() const;
    void setReason(const QString &reason);
    QStringList templates() const { return m_templates; }
    int taskCount() const { return m_taskCount; }

    // Puts template `index` into the reason (replacing it; undoable).
    void useTemplate(int index);

Q_SIGNALS:
    void templatesChanged(const QStringList &templates);

private:
    void addTemplate();
    void removeTemplate();
    void fillTemplates();
    void updateState();

    std::unique_ptr<Ui::RejectDialog> m_ui;
    QStringList m_templates;
    int m_taskCount = 0;
};

} // namespace rk
