#pragma once

#include "core/Result.h"
#include "host/HostNodeTypes.h"
#include "host/HostTaskTypes.h"
#include "host/HostTypes.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

// Parsers from the host's JSON (kohakuriver-host.md section 1) to the plain types in HostTypes.h.
// Each item parser takes a JSON value and the path that errors name ("users[2]"); each body parser
// takes a whole response body. Reentrant; no Qt event loop needed.

namespace rk::hostparse {

Result<HostUser> user(const QJsonValue &value, const QString &path);
Result<HostToken> token(const QJsonValue &value, const QString &path);
Result<HostInvitation> invitation(const QJsonValue &value, const QString &path);
Result<HostTask> task(const QJsonValue &value, const QString &path);
Result<HostVps> vps(const QJsonValue &value, const QString &path);
Result<HostNode> node(const QJsonValue &value, const QString &path);
Result<HostNodeHealth> nodeHealth(const QJsonValue &value, const QString &path);
Result<HostHealthAggregate> healthAggregate(const QJsonValue &value, const QString &path);

// Whole bodies.
Result<HostAuthStatus> authStatusBody(const QByteArray &body);
Result<HostUser> userBody(const QByteArray &body);
Result<QList<HostUser>> usersBody(const QByteArray &body);
// Login's JSON only; the session id comes from the cookie (HostClient::login()).
Result<HostLogin> loginBody(const QByteArray &body);
Result<HostMessage> messageBody(const QByteArray &body);
Result<QList<HostToken>> tokensBody(const QByteArray &body);
Result<HostCreatedToken> createdTokenBody(const QByteArray &body);
Result<HostInvitation> invitationBody(const QByteArray &body);
Result<QList<HostInvitation>> invitationsBody(const QByteArray &body);
Result<HostTask> taskBody(const QByteArray &body);
Result<QList<HostTask>> tasksBody(const QByteArray &body);
Result<HostTaskDecision> taskDecisionBody(const QByteArray &body);
Result<QList<HostVps>> vpsListBody(const QByteArray &body);
Result<HostVpsAssignments> vpsAssignmentsBody(const QByteArray &body);
Result<HostVpsAssignResult> vpsAssignResultBody(const QByteArray &body);
Result<QList<HostNode>> nodesBody(const QByteArray &body);
Result<HostHealth> healthBody(const QByteArray &body);
// text/plain task logs (stdout/stderr): UTF-8, invalid sequences replaced.
Result<QString> textBody(const QByteArray &body);

} // namespace rk::hostparse
