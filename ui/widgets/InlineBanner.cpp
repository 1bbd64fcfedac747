#include "InlineBanner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QToolButton>

namespace rk {

namespace {

struct Colors
{
    QColor background;
    QColor border;
    QColor text;
    QColor accent;
};

Colors colorsFor(InlineBanner::Kind kind)
{
    switch (kind) {
    case InlineBanner::Kind::Error:
        return {QColor(0xfd, 0xec, 0xea), QColor(0xf1, 0xb0, 0xaa), QColor(0x7a, 0x1d, 0x16),
            QColor(0xc6, 0x28, 0x28)};
    case InlineBanner::Kind::Warning:
        return {QColor(0xff, 0xf6, 0xe0), QColor(0xf0, 0xd0, 0x8a), QColor(0x6b, 0x4a, 0x00),
            QColor(0xd9, 0x8e, 0x04)};
    case InlineBanner::Kind::Info:
        return {QColor(0xe8, 0xf1, 0xfb), QColor(0xa9, 0xc8, 0xea), QColor(0x16, 0x3d, 0x66),
            QColor(0x2b, 0x6c, 0xb0)};
    }
    return {};
}

// A round badge with "!" or "i", painted so no icon theme is needed.
QPixmap badge(InlineBanner::Kind kind, int size, qreal dpr)
{
    QPixmap pixmap(QSize(size, size) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(colorsFor(kind).accent);
    p.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1));
    p.setPen(QPen(Qt::white, size / 8.0, Qt::SolidLine, Qt::RoundCap));
    const qreal cx = size / 2.0;
    if (kind == InlineBanner::Kind::Info) {
        p.drawPoint(QPointF(cx, size * 0.28));
        p.drawLine(QPointF(cx, size * 0.45), QPointF(cx, size * 0.74));
    } else {
        p.drawLine(QPointF(cx, size * 0.24), QPointF(cx, size * 0.56));
        p.drawPoint(QPointF(cx, size * 0.74));
    }
    return pixmap;
}

} // namespace

InlineBanner::InlineBanner(QWidget *parent)
    : QWidget(parent),
      m_icon(new QLabel(this)),
      m_text(new QLabel(this)),
      m_action(new QPushButton(this)),
      m_close(new QToolButton(this))
{
    m_icon->setObjectName(QStringLiteral("bannerIcon"));
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_action->setObjectName(QStringLiteral("bannerAction"));
    m_close->setObjectName(QStringLiteral("bannerClose"));

    m_icon->setAlignment(Qt::AlignTop);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_action->hide();
    m_close->setAutoRaise(true);
    m_close->setText(QStringLiteral("\u2715"));
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 7, 6, 7);
    layout->setSpacing(8);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action, 0, Qt::AlignVCenter);
    layout->addWidget(m_close, 0, Qt::AlignTop);

    connect(m_close, &QToolButton::clicked, this, [this]() {
        clear();
        Q_EMIT dismissed();
    });
    connect(m_action, &QPushButton::clicked, this, [this]() {
        auto callback = std::move(m_callback);
        clear();
        if (callback)
            callback();
    });
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    applyColors();
    hide();
}

void InlineBanner::showMessage(Kind kind, const QString &text)
{
    m_kind = kind;
    m_text->setText(text);
    m_action->hide();
    m_callback = nullptr;
    applyColors();
    show();
}

void InlineBanner::setAction(const QString &text, std::function<void()> callback)
{
    m_callback = std::move(callback);
    m_action->setText(text);
    m_action->setVisible(static_cast<bool>(m_callback));
}

void InlineBanner::setClosable(bool closable)
{
    m_close->setVisible(closable);
}

void InlineBanner::clear()
{
    m_text->clear();
    m_callback = nullptr;
    m_action->hide();
    hide();
}

QString InlineBanner::text() const
{
    return isHidden() ? QString() : m_text->text();
}

void InlineBanner::applyColors()
{
    const Colors colors = colorsFor(m_kind);
    QPalette pal = m_text->palette();
    pal.setColor(QPalette::WindowText, colors.text);
    pal.setColor(QPalette::Text, colors.text);
    m_text->setPalette(pal);
    m_close->setPalette(pal);
    const int size = fontMetrics().height();
    m_icon->setPixmap(badge(m_kind, size, devicePixelRatioF()));
    m_icon->setFixedSize(size, size + 1);
    switch (m_kind) {
    case Kind::Error: m_text->setAccessibleDescription(tr("Error")); break;
    case Kind::Warning: m_text->setAccessibleDescription(tr("Warning")); break;
    case Kind::Info: m_text->setAccessibleDescription(tr("Information")); break;
    }
    update();
}

void InlineBanner::paintEvent(QPaintEvent *)
{
    const Colors colors = colorsFor(m_kind);
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(colors.border, 1));
    p.setBrush(colors.background);
    p.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    // An accent stripe on the left edge, so the kind reads at a glance.
    QPainterPath clip;
    clip.addRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    p.setClipPath(clip);
    p.fillRect(QRectF(0, 0, 3, height()), colors.accent);
}

void InlineBanner::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        applyColors();
}

} // namespace rk
