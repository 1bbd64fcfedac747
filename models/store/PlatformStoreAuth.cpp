// Signing in, the first admin and the password policy.

#include "PlatformStore.h"

#include "PlatformStore_p.h"
#include "core/HostTime.h"

namespace rk {

using storedetail::tr;

namespace {

// Verified against when the username is unknown, so that an unknown name costs the same bcrypt
// time as a wrong password and the timing does not tell which usernames exist.
const QString kTimingDummyHash
    = QStringLiteral("$2b$12$rsNYnx18FaI3pdLSmSHLSOv1HFMsYU6k6PiM/CnZOONTnz03Akh/q");

constexpr int kHostMinPasswordLength = 8; // the host's registration minimum
constexpr int kBcryptMaxBytes = 72; // bcrypt ignores everything after 72 bytes

Status checkHash(const PasswordHash &hash)
{
    if (Passwords::isBcrypt(hash.text()))
        return {};
    return Error::make(
        Error::Code::Invalid, tr("The password was not hashed with bcrypt, so the host could not check it."));
}

} // namespace

bool PlatformStore::needsFirstAdmin()
{
    // EXISTS stops at the first active admin: a count would scan every user (there is no index on
    // role), which at a million users froze the sign-in for a fifth of a second.
    auto n = d->integer(
        QStringLiteral("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND is_active <> 0)"));
    if (!n) {
        // Unknown is not "none": createFirstAdmin() checks again inside its transaction anyway.
        qCWarning(lcStore) << "counting admins failed:" << n.error().message;
        return false;
    }
    return n.value() == 0;
}

Result<Actor> PlatformStore::createFirstAdmin(
    const QString &username, const QString &displayName, const PasswordHash &hash, const QString &origin)
{
    if (auto st = d->checkWritable(); !st)
        return st.error();
    if (auto st = storedetail::checkText(username, 1, 50, tr("The username")); !st)
        return st.error();
    if (auto st = storedetail::checkText(displayName, 0, 100, tr("The display name")); !st)
        return st.error();
    if (auto st = checkHash(hash); !st)
        return st.error();
    const QString shownName = displayName.trimmed().isEmpty() ? username : displayName;

    Actor admin {0, username, Role::Admin, origin};
    auto st = d->write(
        [&]() -> Status {
            auto admins = d->integer(QStringLiteral("SELECT count(*) FROM users WHERE role = 'admin' "
                                                    "AND is_active <> 0"));
            if (!admins)
                return admins.error();
            if (admins.value() > 0) {
                return Error::make(Error::Code::Refused,
                    tr("This platform database already has an active administrator; "
                       "sign in as one to add more."));
            }
            auto taken = d->findUserByName(username);
            if (!taken)
                return taken.error();
            if (taken.value()) {
                return Error::make(Error::Code::Conflict,
                    tr("Username already taken: \"%1\" exists (disabled or not an "
                       "administrator). Choose another name.")
                        .arg(username));
            }
            auto inserted
                = d->run(QStringLiteral("INSERT INTO users (username, display_name, password_hash, "
                                        "is_active, role, created_at) VALUES (?1, ?2, ?3, 1, 'admin', ?4)"),
                    username, shownName, hash.text(), hosttime::nowDbText());
            if (!inserted)
                return inserted.error();
            admin.userId = d->db->lastInsertRowId();
            StoredUser created {admin.userId, username, shownName, QStringLiteral("admin"), true};
            return d->audit(admin, QStringLiteral("store.first_admin"), QStringLiteral("user"), username,
                std::nullopt, created.toJson());
        },
        {StoreTable::Users});
    if (!st)
        return st.error();
    qCDebug(lcStore) << "first admin created:" << username;
    return admin;
}

Result<Actor> PlatformStore::authenticate(
    const QString &username, const QString &password, const QString &origin)
{
    // Runs on a worker thread: only a statement of its own on the (FULLMUTEX) connection, no
    // member is written. The statement is finalised before bcrypt runs, so no read is held open
    // for the quarter second the hash takes.
    const Error invalid = Error::make(Error::Code::Refused, tr("Invalid username or password"));
    bool found = false;
    qint64 id = 0;
    QString stored;
    QString roleText;
    bool active = false;
    {
        auto stmt = d->db->prepare(
            QStringLiteral("SELECT id, password_hash, is_active, role FROM users WHERE username = ?1"));
        if (!stmt)
            return stmt.error();
        stmt->bind(1, username);
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (row.value()) {
            found = true;
            id = stmt->int64(0);
            stored = stmt->text(1);
            active = stmt->int64(2) != 0;
            roleText = stmt->text(3);
        }
    }
    if (!found) {
        (void)Passwords::verify(password, kTimingDummyHash);
        qCDebug(lcStore) << "sign-in refused: unknown user";
        return invalid;
    }
    if (!Passwords::verify(password, stored)) {
        qCDebug(lcStore) << "sign-in refused: wrong password for user" << id;
        return invalid;
    }
    // As the host does it: "disabled" is only told to someone who knows the password.
    if (!active)
        return Error::make(Error::Code::Refused, tr("Account is disabled"));
    const Role role = roles::fromString(roleText);
    if (!roles::atLeast(role, Role::Viewer)) {
        return Error::make(Error::Code::Refused,
            tr("This account's role (%1) cannot sign in; it needs at least the %2 role.")
                .arg(roleText.isEmpty() ? roles::displayName(role) : roleText,
                    roles::displayName(Role::Viewer)));
    }
    qCDebug(lcStore) << "signed in: user" << id << "as" << roleText;
    return Actor {id, username, role, origin};
}

Status PlatformStore::checkPasswordPolicy(const QString &password)
{
    int minLength = kHostMinPasswordLength;
    const QString configured = setting(QStringLiteral("security.password_min_length")).trimmed();
    if (!configured.isEmpty()) {
        bool ok = false;
        const int n = configured.toInt(&ok);
        if (ok && n >= 1 && n <= kBcryptMaxBytes)
            minLength = n;
        else
            qCWarning(lcStore) << "ignoring security.password_min_length" << configured;
    }
    if (password.contains(QChar(0))) {
        return Error::make(Error::Code::Invalid,
            tr("Passwords cannot contain a NUL character (bcrypt would ignore "
               "everything after it)."));
    }
    const qsizetype chars = storedetail::codePoints(password);
    if (chars < minLength) {
        return Error::make(
            Error::Code::Invalid, storedetail::trN("Passwords need at least %n character(s).", minLength));
    }
    const qsizetype bytes = password.toUtf8().size();
    if (bytes > kBcryptMaxBytes) {
        return Error::make(Error::Code::Invalid,
            tr("Passwords can be at most %1 bytes long in UTF-8 (bcrypt ignores the "
               "rest); this one has %2 bytes.")
                .arg(kBcryptMaxBytes)
                .arg(bytes));
    }
    return {};
}

} // namespace rk
