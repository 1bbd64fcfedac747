#pragma once

#include <QLoggingCategory>

// "riverkeeper.services": pollers, change watchers and other background services of the core.
Q_DECLARE_LOGGING_CATEGORY(lcServices)
