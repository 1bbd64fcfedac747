#pragma once

#include <QLoggingCategory>

// "riverkeeper.mirror": the local mirror of a host profile and its sync. Never logs a secret: no
// credential, no invitation token, no row contents.
Q_DECLARE_LOGGING_CATEGORY(lcMirror)
