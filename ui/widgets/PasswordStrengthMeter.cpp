#include "PasswordStrengthMeter.h"

#include <QPainter>

namespace rk {

namespace {

QColor colorFor(passwordstrength::Level level)
{
    using passwordstrength::Level;
    switch (level) {
    case Level::Empty: return {};
    case Level::VeryWeak: return QColor(0xc6, 0x28, 0x28);
    case Level::Weak: return QColor(0xe6, 0x5c, 0x00);
    case Level::Fair: return QColor(0xd9, 0xa4, 0x04);
    case Level::Good: return QColor(0x4c, 0x9a, 0x2a);
    case Level::Strong: return QColor(0x2e, 0x7d, 0x32);
    }
    return {};
}

constexpr int kSegments = 5;
constexpr int kSegmentWidth = 22;
constexpr int kGap = 3;

} // namespace

PasswordStrengthMeter::PasswordStrengthMeter(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    setAccessibleName(tr("Password strength"));
}

void PasswordStrengthMeter::setEstimate(const passwordstrength::Estimate &estimate)
{
    m_estimate = estimate;
    setAccessibleDescription(levelText());
    setToolTip(estimate.level == passwordstrength::Level::Empty
            ? QString()
            : tr("About %1 bits of entropy. An estimate only: long, random passwords are best.")
                  .arg(qRound(estimate.bits)));
    update();
}

QString PasswordStrengthMeter::levelText() const
{
    return passwordstrength::describe(m_estimate.level);
}

QSize PasswordStrengthMeter::sizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    return {
        kSegments * (kSegmentWidth + kGap) + 8 + fm.horizontalAdvance(tr("Very weak")) + 4, fm.height() + 2};
}

QSize PasswordStrengthMeter::minimumSizeHint() const
{
    return sizeHint();
}

void PasswordStrengthMeter::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int lit = passwordstrength::segments(m_estimate.level);
    const QColor on = colorFor(m_estimate.level);
    QColor off = palette().color(QPalette::Mid);
    off.setAlpha(90);
    const qreal barHeight = 5;
    const qreal y = (height() - barHeight) / 2.0;
    for (int i = 0; i < kSegments; ++i) {
        const QRectF segment(i * (kSegmentWidth + kGap), y, kSegmentWidth, barHeight);
        p.setPen(Qt::NoPen);
        p.setBrush(i < lit ? on : off);
        p.drawRoundedRect(segment, 2, 2);
    }
    if (lit > 0) {
        p.setPen(on.darker(115));
        const QRect textRect(kSegments * (kSegmentWidth + kGap) + 8, 0, width(), height());
        p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, levelText());
    }
}

} // namespace rk
