#include "UiLogging.h"

Q_LOGGING_CATEGORY(lcUi, "riverkeeper.ui", QtInfoMsg)
