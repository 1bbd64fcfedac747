#!/bin/sh
# Runs a test inside its own D-Bus session with a GNOME Keyring Secret Service, unlocked with a
# throwaway password, in the test's private XDG_DATA_HOME (a fresh keyring every run: a keyring
# left by an earlier run would be locked with another password). DISPLAY is unset on purpose:
# with a display the daemon would ask a prompter nobody answers and the keychain would hang.
set -eu
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
rm -rf "${XDG_DATA_HOME:?}/keyrings"
mkdir -p "$XDG_DATA_HOME"
exec dbus-run-session -- sh -c '
    printf %s riverkeeper-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"' sh "$@"
