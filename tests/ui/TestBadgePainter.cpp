#include "RkTest.h"
#include "tray/BadgePainter.h"

#include <QApplication>
#include <QDir>
#include <QFontDatabase>

using namespace rk;
using State = BadgePainter::State;

namespace {

bool near(QColor a, QColor b, int tolerance)
{
    return qAbs(a.red() - b.red()) <= tolerance && qAbs(a.green() - b.green()) <= tolerance
        && qAbs(a.blue() - b.blue()) <= tolerance;
}

// Unpremultiplied colour of a fully opaque pixel, or invalid for (partly) transparent ones.
QColor opaque(const QImage &image, int x, int y)
{
    const QColor c = image.pixelColor(x, y);
    return c.alpha() == 255 ? c : QColor();
}

struct Census
{
    int badge = 0; // pixels of the badge colour
    int white = 0; // pure white pixels
    QRect badgeBounds; // where the badge-coloured pixels are
};

Census census(const QImage &image, const QRect &area, const QColor &badge)
{
    Census c;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x) {
            const QColor p = opaque(image, x, y);
            if (!p.isValid())
                continue;
            if (near(p, badge, 6)) {
                ++c.badge;
                c.badgeBounds |= QRect(x, y, 1, 1);
            } else if (near(p, Qt::white, 16)) {
                ++c.white;
            }
        }
    }
    return c;
}

bool isGreyish(const QColor &c)
{
    return qAbs(c.red() - c.green()) <= 3 && qAbs(c.green() - c.blue()) <= 3;
}

} // namespace

class TestBadgePainter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void texts()
    {
        QCOMPARE(BadgePainter::badgeText(0), QString());
        QCOMPARE(BadgePainter::badgeText(-3), QString());
        QCOMPARE(BadgePainter::badgeText(1), QStringLiteral("1"));
        QCOMPARE(BadgePainter::badgeText(99), QStringLiteral("99"));
        QCOMPARE(BadgePainter::badgeText(100), QStringLiteral("99+"));
        QCOMPARE(BadgePainter::badgeText(123456), QStringLiteral("99+"));
    }

    void sizesAndRatios_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<qreal>("dpr");
        for (int size : BadgePainter::iconSizes()) {
            for (qreal dpr : {1.0, 2.0})
                QTest::addRow("%dpx@%gx", size, dpr) << size << dpr;
        }
        QTest::addRow("24px@1.5x") << 24 << 1.5;
    }

    void sizesAndRatios()
    {
        QFETCH(int, size);
        QFETCH(qreal, dpr);
        const int device = qRound(size * dpr);
        const QColor red = BadgePainter::badgeColor(State::Online);

        // Painted at full device resolution, with the ratio set.
        const QImage seven = BadgePainter::badgeImage(size, dpr, 7, State::Online);
        QCOMPARE(seven.size(), QSize(device, device));
        QCOMPARE(seven.devicePixelRatio(), dpr);

        // The badge sits at the top-right corner: its centre is the badge colour.
        const QRect rect = BadgePainter::badgeRect(size, dpr, 7);
        QVERIFY(!rect.isEmpty());
        QCOMPARE(rect.right(), device - 1);
        QCOMPARE(rect.top(), 0);
        QVERIFY(rect.height() >= qMin(device, 9));
        const Census c7 = census(seven, rect, red);
        QVERIFY2(c7.badge > rect.width() * rect.height() / 4, qPrintable(QString::number(c7.badge)));
        // The digit is drawn in white inside the badge (a missing font would leave none).
        QVERIFY2(c7.white >= qMax(2, device / 8), qPrintable(QString::number(c7.white)));
        const QPoint centre = rect.center();
        QVERIFY(near(opaque(seven, rect.left() + 1, centre.y()), red, 40)
            || near(opaque(seven, rect.left() + 2, centre.y()), red, 40));
        // Nothing of the badge colour outside the badge: the app icon has no red.
        const QRect everything(0, 0, device, device);
        QCOMPARE(census(seven, everything, red).badge, c7.badge);

        // Zero: no badge at all, exactly the app icon.
        const QImage zero = BadgePainter::badgeImage(size, dpr, 0, State::Online);
        QCOMPARE(census(zero, everything, red).badge, 0);
        QVERIFY(BadgePainter::badgeRect(size, dpr, 0).isEmpty());

        // 100 reads "99+": a wider pill than "9", still inside the icon.
        const QImage nine = BadgePainter::badgeImage(size, dpr, 9, State::Online);
        const QImage many = BadgePainter::badgeImage(size, dpr, 100, State::Online);
        const Census c9 = census(nine, everything, red);
        const Census c100 = census(many, everything, red);
        QVERIFY2(c100.badgeBounds.width() > c9.badgeBounds.width(),
            qPrintable(QStringLiteral("%1 vs %2").arg(c100.badgeBounds.width()).arg(c9.badgeBounds.width())));
        QVERIFY(c100.white > c9.white);
        QVERIFY(
            BadgePainter::badgeRect(size, dpr, 100).width() > BadgePainter::badgeRect(size, dpr, 9).width());
        QVERIFY(BadgePainter::badgeRect(size, dpr, 100).left() >= 0);
        QCOMPARE(many, BadgePainter::badgeImage(size, dpr, 5000, State::Online));

        // Two digits differ from one.
        QVERIFY(BadgePainter::badgeImage(size, dpr, 42, State::Online) != seven);

        // Offline: different, no red anywhere, the icon greyed, the mark at the bottom-right.
        const QImage offline = BadgePainter::badgeImage(size, dpr, 7, State::Offline);
        QVERIFY(offline != seven);
        QCOMPARE(census(offline, everything, red).badge, 0);
        const Census grey = census(offline, rect, BadgePainter::badgeColor(State::Offline));
        QVERIFY(grey.badge > 0 && grey.white > 0); // the last known count stays readable
        for (int y = 0; y < device; ++y) {
            for (int x = 0; x < device; ++x) {
                const QColor p = offline.pixelColor(x, y);
                if (p.alpha() > 0)
                    QVERIFY2(
                        isGreyish(p), qPrintable(QStringLiteral("(%1,%2) %3").arg(x).arg(y).arg(p.name())));
            }
        }
        const QImage offlineZero = BadgePainter::badgeImage(size, dpr, 0, State::Offline);
        QVERIFY(offlineZero != zero);
        const QRect mark = BadgePainter::offlineMarkRect(size, dpr);
        QCOMPARE(mark.bottomRight(), QPoint(device - 1, device - 1));
        const QColor markCentre = opaque(offlineZero, mark.center().x(), mark.center().y());
        QVERIFY(markCentre.isValid()); // the slash or the disc, opaque either way
        QVERIFY(!near(offlineZero.pixelColor(mark.center()), zero.pixelColor(mark.center()), 10));
    }

    void crispAtTwoX()
    {
        // 2x is painted, not scaled up from 1x: the 2x badge has more distinct edge detail,
        // and its digit pixels are fully white (not a blurry grey of an upscale).
        const QImage one = BadgePainter::badgeImage(32, 1.0, 7, State::Online);
        const QImage two = BadgePainter::badgeImage(32, 2.0, 7, State::Online);
        const QImage upscaled = one.scaled(64, 64, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        QVERIFY(two != upscaled);
        const QRect rect = BadgePainter::badgeRect(32, 2.0, 7);
        QVERIFY(census(two, rect, BadgePainter::badgeColor(State::Online)).white
            > census(upscaled, rect, BadgePainter::badgeColor(State::Online)).white);
    }

    void iconCarriesEverySize()
    {
        const QIcon icon = BadgePainter::badgeIcon(3, State::Online);
        QVERIFY(!icon.isNull());
        const QList<QSize> sizes = icon.availableSizes();
        for (int size : BadgePainter::iconSizes())
            QVERIFY2(sizes.contains(QSize(size, size)) || sizes.contains(QSize(2 * size, 2 * size)),
                qPrintable(QString::number(size)));
        const QPixmap pixmap = icon.pixmap(QSize(22, 22));
        QVERIFY(!pixmap.isNull());
    }

    void savesShotsWhenAsked()
    {
        // RK_BADGE_SHOTS=<dir>: write the images a person should look at.
        const QString dir = qEnvironmentVariable("RK_BADGE_SHOTS");
        if (dir.isEmpty())
            QSKIP("set RK_BADGE_SHOTS to a directory to save badge images");
        QDir().mkpath(dir);
        for (qreal dpr : {1.0, 2.0}) {
            for (int count : {0, 7, 42, 100}) {
                for (State state : {State::Online, State::Offline}) {
                    for (int size : {16, 22, 32, 64}) {
                        const QString name
                            = QStringLiteral("%1/badge-%2%3-%4px@%5x.png")
                                  .arg(dir)
                                  .arg(count)
                                  .arg(state == State::Offline ? QStringLiteral("-offline") : QString())
                                  .arg(size)
                                  .arg(dpr);
                        QVERIFY(BadgePainter::badgeImage(size, dpr, count, state).save(name));
                    }
                }
            }
        }
    }
};

RK_TEST_WIDGETS_MAIN(TestBadgePainter)
#include "TestBadgePainter.moc"
