// The reason dialog the tray asks with: typed text comes back trimmed, Cancel and Esc give none,
// and a preset answer is used once without showing anything.
#include "RkTest.h"
#include "tray/RejectReasonDialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>

#include <functional>

using namespace rk;
using namespace Qt::StringLiterals;

class TestRejectReasonDialog : public QObject
{
    Q_OBJECT

    // Runs `act` on the dialog once it is shown; closes it after 5 s whatever happens, so a broken
    // test fails instead of hanging.
    static void whenShown(std::function<void(RejectReasonDialog *)> act)
    {
        QTimer::singleShot(0, qApp, [act]() {
            const QWidgetList widgets = QApplication::topLevelWidgets();
            for (QWidget *w : widgets) {
                if (auto *dialog = qobject_cast<RejectReasonDialog *>(w); dialog && dialog->isVisible()) {
                    act(dialog);
                    return;
                }
            }
        });
        QTimer::singleShot(5000, qApp, []() {
            if (QWidget *modal = QApplication::activeModalWidget())
                modal->close();
        });
    }

private Q_SLOTS:
    void init() { (void)RejectReasonDialog::takeAskedCount(); }

    void typedReasonComesBackTrimmed()
    {
        QString label;
        whenShown([&label](RejectReasonDialog *dialog) {
            label = dialog->findChild<QLabel *>(u"rejectReasonLabel"_s)->text();
            auto *edit = dialog->findChild<QLineEdit *>(u"rejectReasonEdit"_s);
            QTest::keyClicks(edit, u"  fewer GPUs, please  "_s);
            dialog->findChild<QPushButton *>(u"rejectReasonAcceptButton"_s)->click();
        });
        const std::optional<QString> reason = RejectReasonDialog::ask(nullptr, u"train-model (ulrich)"_s);
        QVERIFY(reason.has_value());
        QCOMPARE(*reason, u"fewer GPUs, please"_s);
        QVERIFY(label.contains(u"train-model (ulrich)"_s));
        QCOMPARE(RejectReasonDialog::takeAskedCount(), 1);
    }

    void emptyReasonIsAllowed()
    {
        whenShown([](RejectReasonDialog *dialog) {
            dialog->findChild<QPushButton *>(u"rejectReasonAcceptButton"_s)->click();
        });
        const std::optional<QString> reason = RejectReasonDialog::ask(nullptr, u"x"_s);
        QVERIFY(reason.has_value());
        QVERIFY(reason->isEmpty());
    }

    void cancelAndEscapeGiveNone()
    {
        whenShown([](RejectReasonDialog *dialog) {
            QTest::keyClicks(dialog->findChild<QLineEdit *>(u"rejectReasonEdit"_s), u"typed"_s);
            dialog->findChild<QPushButton *>(u"rejectReasonCancelButton"_s)->click();
        });
        QVERIFY(!RejectReasonDialog::ask(nullptr, u"x"_s).has_value());

        whenShown([](RejectReasonDialog *dialog) {
            QTest::keyClick(dialog->findChild<QLineEdit *>(u"rejectReasonEdit"_s), Qt::Key_Escape);
        });
        QVERIFY(!RejectReasonDialog::ask(nullptr, u"x"_s).has_value());
        QCOMPARE(RejectReasonDialog::takeAskedCount(), 2);
    }

    void presetAnswersAreUsedOnce()
    {
        RejectReasonDialog::setNextAnswer(u"preset"_s);
        QCOMPARE(RejectReasonDialog::ask(nullptr, u"x"_s), std::optional<QString>(u"preset"_s));
        RejectReasonDialog::setNextCancel();
        QVERIFY(!RejectReasonDialog::ask(nullptr, u"x"_s).has_value());
        // Used up: the next question shows the dialog again.
        bool shown = false;
        whenShown([&shown](RejectReasonDialog *dialog) {
            shown = true;
            dialog->reject();
        });
        QVERIFY(!RejectReasonDialog::ask(nullptr, u"x"_s).has_value());
        QVERIFY(shown);
        QCOMPARE(RejectReasonDialog::takeAskedCount(), 3);
    }
};

RK_TEST_WIDGETS_MAIN(TestRejectReasonDialog)
#include "TestRejectReasonDialog.moc"
