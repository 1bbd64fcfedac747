#pragma once

#include <QLoggingCategory>

// "riverkeeper.models": the item models and their background loaders.
Q_DECLARE_LOGGING_CATEGORY(lcUsersModel)
