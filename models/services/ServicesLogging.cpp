#include "ServicesLogging.h"

Q_LOGGING_CATEGORY(lcServices, "riverkeeper.services", QtInfoMsg)
