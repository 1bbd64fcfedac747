#pragma once

#include "LazySqlTableModel.h"
#include "store/StoreTypes.h"

#include <optional>

namespace rk {

// Every user's API tokens: name, owner, created, last used. Orphaned rows (user_id -1, 0 or a
// deleted user) are listed with an empty owner. The token hash is never read.
class TokensTableModel : public LazySqlTableModel
{
    Q_OBJECT

public:
    enum Column {
        Name,
        Owner, // username; empty for orphaned tokens
        Created, // QDateTime
        LastUsed, // QDateTime, or "never"; RawValueRole: the text, invalid when never used
        ColumnCount,
    };
    Q_ENUM(Column)

    enum TokenRole {
        UnusedFor90DaysRole = FirstSubclassRole, // bool (any column): last used, or created if
                                                 // never used, more than 90 days before the query's now
        OwnerIdRole, // qint64 tokens.user_id (any column)
    };
    Q_ENUM(TokenRole)

    static constexpr int kUnusedDays = 90;

    explicit TokensTableModel(const QString &databasePath, QObject *parent = nullptr);
    TokensTableModel(const QString &databasePath, const Options &options, QObject *parent = nullptr);

    static std::shared_ptr<const TableSpec> makeSpec();

    // Only the tokens of `userId`; nullopt: everyone's. Ends with windowLoaded().
    void setOwnerFilter(std::optional<qint64> userId);
    std::optional<qint64> ownerFilter() const { return m_ownerFilter; }

    std::optional<TokenRecord> tokenAt(int row) const;
    // UnusedFor90DaysRole of a loaded row (false when not loaded).
    bool isUnusedFor90Days(int row) const;

    QHash<int, QByteArray> roleNames() const override;

protected:
    QVariant loadedData(const TableRow &row, int column, int role) const override;

private:
    std::optional<qint64> m_ownerFilter;
};

} // namespace rk
