#pragma once

#include <QLoggingCategory>

// "riverkeeper.api": the host REST client (requests, retries, TLS decisions). Never logs a secret:
// no header values, no bodies of sign-in or token requests.
Q_DECLARE_LOGGING_CATEGORY(lcHostApi)
