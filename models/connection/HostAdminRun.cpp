#include "HostAdminRun.h"

#include "host/HostJob.h"

#include <algorithm>

namespace rk {

HostAdminRun::HostAdminRun(Operation operation, QString action, QString unavailable, QObject *parent)
    : QObject(parent),
      m_operation(operation),
      m_action(std::move(action)),
      m_unavailable(std::move(unavailable))
{
}

HostAdminRun::~HostAdminRun()
{
    // A run deleted half-way (its service went) must not leave a request behind that reports to it.
    if (m_job)
        m_job->disconnect(this);
}

int HostAdminRun::finishedCount() const
{
    return int(std::count_if(m_items.begin(), m_items.end(), [](const Item &i) { return i.isFinal(); }));
}

int HostAdminRun::count(Item::State state) const
{
    return int(
        std::count_if(m_items.begin(), m_items.end(), [state](const Item &i) { return i.state == state; }));
}

QString HostAdminRun::labelOf(const Item &item) const
{
    if (m_operation == Operation::UpdateUsers || m_operation == Operation::DeleteUsers) {
        return item.name.isEmpty() ? tr("user %1").arg(item.id)
                                   : QStringLiteral("\u201c%1\u201d").arg(item.name);
    }
    return item.id > 0 ? tr("invitation %1").arg(item.id) : tr("the new invitation");
}

QString HostAdminRun::notDoneSummary(int maxNamed) const
{
    QStringList named;
    int left = 0;
    int notSent = 0;
    for (const Item &item : m_items) {
        if (item.state == Item::State::Done)
            continue;
        if (item.state == Item::State::NotSent || item.state == Item::State::Waiting) {
            ++notSent;
            continue;
        }
        if (++left > maxNamed)
            continue;
        QString why = item.message;
        while (why.endsWith(QLatin1Char('.')))
            why.chop(1);
        named << tr("%1 (%2)").arg(labelOf(item), why);
    }
    if (left > maxNamed)
        named << tr("and %L1 more").arg(left - maxNamed);
    if (notSent > 0)
        named << tr("not sent, because the change was stopped: %L1").arg(notSent);
    return named.join(QStringLiteral("; "));
}

std::optional<Error::Code> HostAdminRun::firstFailure() const
{
    for (const Item &item : m_items) {
        if (item.state == Item::State::Failed || item.state == Item::State::Unknown)
            return item.code;
    }
    return std::nullopt;
}

void HostAdminRun::add(const Item &item, Request request)
{
    m_items.append(item);
    m_requests.append(std::move(request));
}

void HostAdminRun::start()
{
    // From the event loop: the caller connects to the run before anything is sent or emitted.
    QMetaObject::invokeMethod(
        this,
        [this]() {
            if (m_started || m_finished)
                return;
            m_started = true;
            Q_EMIT progress(0, total());
            sendNext();
        },
        Qt::QueuedConnection);
}

void HostAdminRun::sendNext()
{
    while (!m_finished) {
        const int next = m_current + 1;
        if (m_cancelled || next >= total()) {
            end();
            return;
        }
        m_current = next;
        Item &item = m_items[next];
        item.state = Item::State::Sending;
        HostJob *job = m_requests.at(next).send ? m_requests.at(next).send() : nullptr;
        if (!job) {
            item.state = Item::State::Failed;
            item.code = Error::Code::Refused;
            item.message = m_unavailable;
            finishItem(next);
            continue;
        }
        m_job = job;
        connect(job, &HostJob::finished, this, &HostAdminRun::onJobFinished);
        // The client going away deletes its jobs without a finished(): the item must still end.
        connect(job, &QObject::destroyed, this, [this, next]() {
            if (m_current != next || m_items.at(next).isFinal())
                return;
            Item &lost = m_items[next];
            lost.state = Item::State::Unknown;
            lost.message = tr("The connection to the host was closed while the request was under way; it "
                              "may have been applied (the next sync shows it).");
            finishItem(next);
            sendNext();
        });
        return; // onJobFinished() goes on
    }
}

void HostAdminRun::onJobFinished(HostJob *job)
{
    if (job != m_job || m_current < 0 || m_current >= total())
        return;
    m_job = nullptr;
    job->disconnect(this);
    const int index = m_current;
    Item &item = m_items[index];
    if (job->hasSucceeded()) {
        item.state = Item::State::Done;
        item.httpStatus = job->httpStatus();
        const Request &request = m_requests.at(index);
        item.message = request.done ? request.done(job) : QString();
    } else if (const HostError *error = job->hostError();
               error && error->kind == HostError::Kind::Cancelled) {
        item.state = Item::State::Unknown;
        item.code = Error::Code::Cancelled;
        item.message = tr("Stopped while the host was answering: it may have made the change (the next sync "
                          "shows it).");
    } else {
        item.state = Item::State::Failed;
        if (error) {
            item.code = error->code();
            item.httpStatus = error->httpStatus;
            item.hostDetail = error->detail;
            item.message = error->message();
        } else {
            item.code = Error::Code::Internal;
            item.message = tr("The host gave no answer.");
        }
    }
    finishItem(index);
    sendNext();
}

void HostAdminRun::finishItem(int index)
{
    Q_EMIT itemFinished(index);
    Q_EMIT progress(finishedCount(), total());
}

void HostAdminRun::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    // Every item not sent yet ends as NotSent, in order, then the one under way is aborted (its
    // finished() arrives at once and ends the run).
    for (int i = m_current + 1; i < total(); ++i) {
        m_items[i].state = Item::State::NotSent;
        m_items[i].message = tr("Not sent: stopped before it.");
    }
    if (m_job) {
        m_job->cancel();
    } else {
        // Not started yet, or between two requests: nothing is under way.
        m_current = total();
        end();
    }
}

void HostAdminRun::end()
{
    if (m_finished)
        return;
    m_finished = true;
    // The items that never got their own itemFinished() (stopped before they were sent).
    for (int i = 0; i < total(); ++i) {
        if (m_items.at(i).state == Item::State::NotSent)
            finishItem(i);
    }
    Q_EMIT finished();
    deleteLater();
}

} // namespace rk
