#include "TablesLogging.h"

Q_LOGGING_CATEGORY(lcTables, "riverkeeper.tables", QtInfoMsg)
