#pragma once

#include <QLoggingCategory>

// "riverkeeper.tables": the generic lazy SQL table model, its worker and the models built on it.
Q_DECLARE_LOGGING_CATEGORY(lcTables)
