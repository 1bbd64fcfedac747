#pragma once

#include "host/HostClient.h"

#include <QSignalSpy>
#include <QtTest>

#include <optional>

namespace rk::test {

// What one finished job left behind, copied out before the job is deleted.
template<typename T> struct Outcome
{
    std::optional<Result<T>> result;
    std::optional<HostError> error;
    int attempts = 0;
    int httpStatus = 0;
    int failedSignals = 0;
    int finishedSignals = 0;
    bool finished = false;

    bool ok() const { return result && result->ok(); }
    const T &value() const { return result->value(); }
    QString message() const { return error ? error->message() : QString(); }
};

// Runs the event loop until the job finishes (or timeoutMs passes), then deletes it.
template<typename T> Outcome<T> await(HostCall<T> *job, int timeoutMs = 5000)
{
    Outcome<T> out;
    job->setAutoDelete(false);
    QSignalSpy finished(job, &HostJob::finished);
    QSignalSpy failed(job, &HostJob::failed);
    if (!job->isFinished() && !finished.wait(timeoutMs))
        return out;
    out.finished = true;
    out.result = job->result();
    if (const HostError *e = job->hostError())
        out.error = *e;
    out.attempts = job->attempts();
    out.httpStatus = job->httpStatus();
    out.failedSignals = static_cast<int>(failed.size());
    out.finishedSignals = static_cast<int>(finished.size());
    delete job;
    return out;
}

} // namespace rk::test

// Fails the test with the job's error message when it did not succeed. Evaluates its argument once.
#define RK_VERIFY_OK(outcome)                                                                                \
    do {                                                                                                     \
        const auto &rkOutcome = (outcome);                                                                   \
        QVERIFY2(rkOutcome.finished, "the job did not finish in time");                                      \
        QVERIFY2(rkOutcome.ok(), qPrintable(rkOutcome.message()));                                           \
    } while (false)
