#pragma once

#include "BigAllocator.h"
#include "store/StoreTypes.h"

#include <QDateTime>
#include <QMetaType>

#include <memory>
#include <vector>

namespace rk {

// A window of loaded rows, made on the loader thread and handed to the model as an immutable
// shared pointer (no copy of the rows on the UI thread).
struct UsersPage
{
    struct Row
    {
        UserRecord record;
        QDateTime created; // parsed on the loader thread, so data() only copies
        QDateTime lastSignIn; // invalid: no session
        bool missing = false; // deleted between the scan and the fetch; a refresh drops it
    };

    quint64 generation = 0;
    int index = 0; // page number
    int firstRow = 0; // index * page size
    std::vector<Row> rows;
};

using UsersPagePtr = std::shared_ptr<const UsersPage>;
// Every user id of the current query in display order (8 bytes per row).
using UsersOrderingPtr = std::shared_ptr<const IdVector>;

} // namespace rk

Q_DECLARE_METATYPE(rk::UsersPagePtr)
Q_DECLARE_METATYPE(rk::UsersOrderingPtr)
