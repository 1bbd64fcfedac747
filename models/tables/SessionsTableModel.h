#pragma once

#include "LazySqlTableModel.h"
#include "store/StoreTypes.h"

#include <optional>

namespace rk {

// Every session of a platform database: user, created, expires, time left, state. Sessions of
// deleted users are listed with an empty user (the host enforces no foreign keys). The bearer
// cookie (sessions.session_id) is never read. Time left and state are computed in SQL at the
// "now" of the query (Options::clock when it started): a page that shows them should call
// refresh() now and then (say every minute) to move them on.
class SessionsTableModel : public LazySqlTableModel
{
    Q_OBJECT

public:
    enum Column {
        User, // username; empty when the user no longer exists
        Created, // QDateTime
        Expires, // QDateTime
        TimeLeft, // "3 d 4 h", "expired"; RawValueRole: seconds left at the query's now (negative: expired)
        State, // "Active" / "Expired"; RawValueRole: 1 active, 0 expired
        ColumnCount,
    };
    Q_ENUM(Column)

    enum SessionRole {
        UserIdRole = FirstSubclassRole, // qint64 sessions.user_id (any column)
        ActiveRole, // bool: not expired at the query's now (any column)
    };
    Q_ENUM(SessionRole)

    explicit SessionsTableModel(const QString &databasePath, QObject *parent = nullptr);
    SessionsTableModel(const QString &databasePath, const Options &options, QObject *parent = nullptr);

    static std::shared_ptr<const TableSpec> makeSpec();

    // Only the sessions of `userId`; nullopt: everyone's. Ends with windowLoaded().
    void setUserFilter(std::optional<qint64> userId);
    std::optional<qint64> userFilter() const { return m_userFilter; }

    // The session at `row` when loaded.
    std::optional<SessionRecord> sessionAt(int row) const;

    QHash<int, QByteArray> roleNames() const override;

    // "2 d 5 h", "3 h 12 min", "4 min", "< 1 min", or "expired" for seconds <= 0.
    static QString formatTimeLeft(qint64 seconds);

protected:
    QVariant loadedData(const TableRow &row, int column, int role) const override;

private:
    std::optional<qint64> m_userFilter;
};

} // namespace rk
