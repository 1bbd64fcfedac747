#include "OwnerLabel.h"

#include <QCoreApplication>

namespace rk::owners {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("rk::owners", text);
}
} // namespace

QString label(qint64 userId, const QString &username)
{
    if (!username.isEmpty())
        return username;
    if (userId == -1)
        return tr("anonymous (user -1)");
    if (userId == 0)
        return tr("admin secret (user 0)");
    return tr("deleted user #%1").arg(userId);
}

QString explanation(qint64 userId, const QString &username)
{
    if (!username.isEmpty())
        return {};
    if (userId == -1)
        return tr("Created by an anonymous caller: the host lets anyone create tokens, which belong to "
                  "the pseudo-user -1 and grant nothing beyond anonymous access.");
    if (userId == 0)
        return tr("Created through the host's admin secret (X-Admin-Token): such rows belong to the "
                  "pseudo-user 0.");
    return tr("User #%1 no longer exists. The host does not remove a deleted user's sessions and "
              "tokens; revoking them tidies up.")
        .arg(userId);
}

} // namespace rk::owners
