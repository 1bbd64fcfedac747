#pragma once

#include <QString>
#include <QVariant>

namespace rk {

// What a LazySqlTableModel shows of its table: a sort, a filter text and an optional extra
// condition. A value type copied to the worker thread.
struct TableQuery
{
    int sortColumn = -1; // -1: id order
    bool descending = false;
    QString filterText; // case-insensitive (ASCII, as SQLite's LIKE) substring; empty: all rows
    // An SQL condition with anonymous `?` parameters (e.g. "s.user_id = ?"), ANDed to the spec's
    // fixed condition; empty: none.
    QString extraCondition;
    QVariantList extraParameters;

    bool hasFilter() const { return !filterText.isEmpty(); }

    // `%text%` with `%`, `_` and `\` escaped by `\`, for `LIKE :p ESCAPE '\'`.
    static QString likePattern(const QString &text);
    // Whether `text` has a character likePattern() escapes (only then is ESCAPE needed).
    static bool needsEscape(const QString &text);

    friend bool operator==(const TableQuery &, const TableQuery &) = default;
};

} // namespace rk
