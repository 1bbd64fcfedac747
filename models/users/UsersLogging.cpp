#include "UsersLogging.h"

Q_LOGGING_CATEGORY(lcUsersModel, "riverkeeper.models", QtInfoMsg)
