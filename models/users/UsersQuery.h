#pragma once

#include <QString>

namespace rk {

// What the Users table shows: a filter and a sort. A value type copied to the loader thread.
// The SQL it produces reads only the host's tables and never writes.
struct UsersQuery
{
    // The model's columns (UsersTableModel::Column has the same values).
    enum Column {
        Username,
        DisplayName,
        Role,
        Groups,
        Created,
        LastSignIn,
        ActiveSessions,
        Status,
        ColumnCount,
        NoColumn = -1, // id order: the table's natural order, what a freshly opened table shows
    };

    // How a column's sort key is obtained.
    enum class KeySource {
        None, // id order: no key at all
        UsersText, // a text column of users (compared as SQLite's BINARY collation)
        UsersInt, // an integer column of users
        Derived, // from the per-user aggregates (sessions, group memberships)
    };

    QString filterText; // case-insensitive substring; empty: everything
    int sortColumn = NoColumn;
    bool descending = false;

    bool hasFilter() const { return !filterText.isEmpty(); }
    KeySource keySource() const;
    // The users column of a UsersText/UsersInt key ("username", "created_at", ...).
    QString keyColumn() const;

    // `%text%` with `%`, `_` and the escape character itself escaped by `\`, for
    // `LIKE ?1 ESCAPE '\'` (and valid without ESCAPE when the text has none of the three).
    // SQLite's LIKE folds ASCII case only, which is what this filter promises.
    static QString likePattern(const QString &text);
    // The WHERE condition for the filter, matching username, display_name and role; binds ?1 to
    // likePattern(filterText). "1" when there is no filter.
    QString filterCondition() const;
    // True when every text matching the filter `narrower` also matches `wider`: `narrower`
    // contains `wider`, folding ASCII case as LIKE does. Typing forward narrows the filter.
    static bool narrows(const QString &narrower, const QString &wider);

    friend bool operator==(const UsersQuery &, const UsersQuery &) = default;
};

} // namespace rk
