#pragma once

#include "core/Result.h"
#include "host/HostTypes.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace rk {

class HostJob;

// One admin change sent to the host as a series of requests, one per user or invitation, one
// after the other: the host checks each against the state the ones before it left ("Cannot
// demote yourself", a user deleted meanwhile), and a refusal of one does not stop the others.
// Made by HostAdminService, the only place that knows the requests.
//
// The first request is sent from the event loop, never before the service method that made the
// run returns, so the caller connects first. Every item ends with one itemFinished(), then the
// run ends with one finished() and deletes itself (deleteLater): read items() in the slot.
// cancel() stops it at once: the request under way is aborted (the host may still have applied
// it: Unknown) and the ones not sent yet stay NotSent. Everything runs on the thread of the
// service and its HostClient.
class HostAdminRun : public QObject
{
    Q_OBJECT

public:
    enum class Operation { UpdateUsers, DeleteUsers, CreateInvitation, RevokeInvitations };
    Q_ENUM(Operation)

    struct Item
    {
        enum class State {
            Waiting, // not sent yet
            Sending,
            Done, // the host made the change
            Failed, // the host refused it, or it could not be sent: see message
            Unknown, // stopped while the host was answering: it may have been applied
            NotSent, // stopped (cancel()) before it was sent
        };
        qint64 id = 0; // the user or invitation (a new invitation: 0 until the host answers)
        QString name; // the username (users), empty for invitations
        State state = State::Waiting;
        QString message; // one translated sentence: what the host did, or why it did not
        QString hostDetail; // the host's own `detail` ("Cannot disable yourself"), when it sent one
        int httpStatus = 0; // 0 when there was no HTTP answer
        std::optional<Error::Code> code; // Failed: what kind of failure

        bool isFinal() const { return state != State::Waiting && state != State::Sending; }
    };

    ~HostAdminRun() override;

    Operation operation() const { return m_operation; }
    // How the audit names it: "user.suspend", "user.activate", "user.role", "user.update",
    // "user.delete", "invitation.create", "invitation.revoke".
    const QString &action() const { return m_action; }
    const QList<Item> &items() const { return m_items; }
    int total() const { return int(m_items.size()); }
    // Items in a final state (Done, Failed, Unknown, NotSent).
    int finishedCount() const;
    int count(Item::State state) const;
    bool isFinished() const { return m_finished; }
    bool isCancelled() const { return m_cancelled; }
    // How messages name an item: "“bob”" (or "user 3"), "invitation 7" (or "the new invitation").
    QString labelOf(const Item &item) const;
    // The items not done, for a banner: "“vera” (Not found on the host: User not found); ...", at
    // most `maxNamed` of them named and then "and N more", the ones never sent counted at the end.
    // Empty when every item is done.
    QString notDoneSummary(int maxNamed = 5) const;
    // The code of the first item that failed or ended unknown (nullopt: none did).
    std::optional<Error::Code> firstFailure() const;
    // CreateInvitation, once Done: the host's answer. Its token is a secret: show it once, never
    // store or log it.
    const std::optional<HostInvitation> &createdInvitation() const { return m_created; }

public Q_SLOTS:
    // Stops the run (see the class comment); emits the remaining itemFinished() and finished()
    // before it returns. Nothing once finished.
    void cancel();

Q_SIGNALS:
    // `finished` of `total` items are final; emitted at the start (0) and after every item.
    void progress(int finished, int total);
    // items().at(index) reached its final state.
    void itemFinished(int index);
    void finished();

private:
    friend class HostAdminService;

    // How one item is sent: `send` starts the request (nullptr: it cannot be sent, `unavailable`
    // says why); `done` reads the successful job and returns the item's message.
    struct Request
    {
        std::function<HostJob *()> send;
        std::function<QString(HostJob *job)> done;
    };

    HostAdminRun(Operation operation, QString action, QString unavailable, QObject *parent);
    void add(const Item &item, Request request);
    void start();
    void sendNext();
    void onJobFinished(HostJob *job);
    void finishItem(int index);
    void end();

    Operation m_operation;
    QString m_action;
    QString m_unavailable;
    QList<Item> m_items;
    QList<Request> m_requests;
    int m_current = -1; // the item being sent
    QPointer<HostJob> m_job;
    bool m_started = false;
    bool m_finished = false;
    bool m_cancelled = false;
    std::optional<HostInvitation> m_created;
};

} // namespace rk
