#pragma once

#include "store/PlatformStore.h"
#include "store/StoreTypes.h"

#include <memory>

namespace rk {

// One signed-in platform database: the open store and the account acting on it. Made by the
// sign-in dialog, owned by the composition root, lent to the main window and its pages.
struct Session
{
    std::unique_ptr<PlatformStore> store;
    Actor actor;
    // A host profile's session: its name for the title ("lab") and where it is ("http://..."),
    // shown instead of the file (the profile's mirror, or its platform database). Empty: a
    // platform database opened as itself.
    QString hostName;
    QString hostLocation;
};

// What the sign-in dialog is asked to do.
struct SignInRequest
{
    enum class Mode {
        Open, // an existing file, read-write
        OpenReadOnly, // an existing file, never written
        Create, // a new file, then the first-admin setup
    };
    QString path;
    Mode mode = Mode::Open;
    QString username; // prefilled (--user)
};

} // namespace rk
