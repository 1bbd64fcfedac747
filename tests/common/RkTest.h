#pragma once

#include <QStandardPaths>
#include <QtTest>

// QTEST_MAIN / QTEST_GUILESS_MAIN with QStandardPaths test mode switched on before anything
// else runs, so settings and data files go to ~/.qttest under the test's private HOME.
#define RK_TEST_GUILESS_MAIN(TestClass)                                                                      \
    int main(int argc, char **argv)                                                                          \
    {                                                                                                        \
        QStandardPaths::setTestModeEnabled(true);                                                            \
        QCoreApplication app(argc, argv);                                                                    \
        app.setAttribute(Qt::AA_Use96Dpi, true);                                                             \
        TestClass tc;                                                                                        \
        QTEST_SET_MAIN_SOURCE_PATH                                                                           \
        return QTest::qExec(&tc, argc, argv);                                                                \
    }

#define RK_TEST_WIDGETS_MAIN(TestClass)                                                                      \
    int main(int argc, char **argv)                                                                          \
    {                                                                                                        \
        QStandardPaths::setTestModeEnabled(true);                                                            \
        QApplication app(argc, argv);                                                                        \
        app.setAttribute(Qt::AA_Use96Dpi, true);                                                             \
        TestClass tc;                                                                                        \
        QTEST_SET_MAIN_SOURCE_PATH                                                                           \
        return QTest::qExec(&tc, argc, argv);                                                                \
    }

namespace rk::test {

// [first, last] of every rowsInserted/rowsRemoved (or any (parent, first, last) signal) a spy
// has seen, to compare with an expected list.
inline QList<QPair<int, int>> rowRanges(const QSignalSpy &spy)
{
    QList<QPair<int, int>> out;
    for (const QList<QVariant> &args : spy)
        out.append({args.at(1).toInt(), args.at(2).toInt()});
    return out;
}

} // namespace rk::test
