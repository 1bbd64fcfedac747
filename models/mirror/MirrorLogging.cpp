#include "MirrorLogging.h"

Q_LOGGING_CATEGORY(lcMirror, "riverkeeper.mirror", QtInfoMsg)
