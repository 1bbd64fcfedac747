#include "HostLogging.h"

Q_LOGGING_CATEGORY(lcHostApi, "riverkeeper.api", QtInfoMsg)
