#pragma once

#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;
class QToolButton;

namespace rk {

// A coloured strip above a form or a table that says what went wrong (or what happened) in place,
// instead of a modal box. Hidden while empty. An optional action ("Retry") calls back once.
class InlineBanner : public QWidget
{
    Q_OBJECT

public:
    enum class Kind { Error, Warning, Info };

    explicit InlineBanner(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    void showError(const QString &text) { showMessage(Kind::Error, text); }
    // Adds a button beside the text; `callback` runs when it is clicked, then the banner closes.
    void setAction(const QString &text, std::function<void()> callback);
    // Whether the user may dismiss it (a close button). On by default.
    void setClosable(bool closable);
    void clear();

    Kind kind() const { return m_kind; }
    QString text() const;

Q_SIGNALS:
    void dismissed();

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void applyColors();

    Kind m_kind = Kind::Error;
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_action;
    QToolButton *m_close;
    std::function<void()> m_callback;
};

} // namespace rk
