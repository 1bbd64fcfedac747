#pragma once

#include "PasswordStrength.h"

#include <QWidget>

namespace rk {

// Five segments and a word ("Fair"), coloured from red to green. Shows an estimate; it does not
// decide anything.
class PasswordStrengthMeter : public QWidget
{
    Q_OBJECT

public:
    explicit PasswordStrengthMeter(QWidget *parent = nullptr);

    void setEstimate(const passwordstrength::Estimate &estimate);
    passwordstrength::Level level() const { return m_estimate.level; }
    QString levelText() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    passwordstrength::Estimate m_estimate;
};

} // namespace rk
