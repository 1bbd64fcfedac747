#pragma once

#include <QLoggingCategory>

// "riverkeeper.ui": the widget library (sign-in, pages, dialogs). Never logs a password.
Q_DECLARE_LOGGING_CATEGORY(lcUi)
