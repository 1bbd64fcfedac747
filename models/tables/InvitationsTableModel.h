#pragma once

#include "LazySqlTableModel.h"
#include "store/StoreTypes.h"

#include <optional>

namespace rk {

// The host's registration invitations: token, role, group, usage, status, expiry, creator.
// A revoked invitation is a deleted row on the host, so "revoked" never appears here.
class InvitationsTableModel : public LazySqlTableModel
{
    Q_OBJECT

public:
    enum Column {
        Token, // the first 16 characters and "…"; FullTokenRole has all of it
        Role,
        Group, // group name; empty when none (or the group was deleted)
        Usage, // "used / max"; RawValueRole: usage_count
        Status, // "Valid", "Expired", "Used up"; RawValueRole: InvitationRecord::State as int
        Expires, // QDateTime
        CreatedBy, // username; empty when null or deleted
        Created, // QDateTime
        ColumnCount,
    };
    Q_ENUM(Column)

    enum InvitationRole {
        FullTokenRole = FirstSubclassRole, // QString, the whole token (any column)
        StateRole, // int(InvitationRecord::State) (any column)
    };
    Q_ENUM(InvitationRole)

    static constexpr int kTokenPrefixLength = 16;

    explicit InvitationsTableModel(const QString &databasePath, QObject *parent = nullptr);
    InvitationsTableModel(const QString &databasePath, const Options &options, QObject *parent = nullptr);

    static std::shared_ptr<const TableSpec> makeSpec();
    // The state rule of models/store (PlatformStoreInvitations.cpp) in SQL, against `:now`:
    // 1 (Expired) when expires_at is malformed or not after now, else 2 (UsedUp) when
    // usage_count >= max_usage, else 0 (Valid). Expired wins when both hold.
    static QString stateSql();
    static QString stateName(InvitationRecord::State state);

    // The invitation at `row` when loaded; `link` stays empty (the page builds it from the
    // base URL setting with PlatformStore::registrationLink()).
    std::optional<InvitationRecord> invitationAt(int row) const;

    QHash<int, QByteArray> roleNames() const override;

protected:
    QVariant loadedData(const TableRow &row, int column, int role) const override;
};

} // namespace rk
