#!/bin/sh
# Runs one command with the OS keyring (Secret Service) on a Linux server without a desktop: a private D-Bus
# session, gnome-keyring unlocked with the password given on the first line of stdin, the command, then the
# keyring daemon stopped by its PID. Nothing is left running afterwards; the exit status is the command's.
#
#   ust-keyring-session.sh /opt/ust/bin/ust sync -c /etc/ust/user-sync-config.yml -t < /etc/ust/keyring-password
#
# The first run creates the login keyring with that password (in ~/.local/share/keyrings of the user).
# For a scheduler prefer the file or env backend (scheduling/README.md): this is for an administrator's
# session on a headless machine, or to read secrets UST stored in the keyring before migrating them.
set -u
if [ "${UST_KEYRING_SESSION:-}" != inner ]; then
  command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null || {
    echo "ust-keyring-session: needs dbus-run-session and gnome-keyring-daemon (apt-get install dbus gnome-keyring)" >&2
    exit 125
  }
  UST_KEYRING_SESSION=inner exec dbus-run-session -- "$0" "$@"
fi
unset UST_KEYRING_SESSION
IFS= read -r password || [ -n "${password:-}" ] || { echo "ust-keyring-session: no keyring password on stdin" >&2; exit 125; }
printf %s "$password" | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &
keyring=$!
unset password
tries=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; do
  tries=$((tries + 1))
  if [ "$tries" -gt 200 ] || ! kill -0 "$keyring" 2>/dev/null; then
    echo "ust-keyring-session: gnome-keyring-daemon did not start" >&2
    kill "$keyring" 2>/dev/null
    exit 125
  fi
  sleep 0.05
done
"$@" </dev/null
status=$?
kill "$keyring" 2>/dev/null
wait "$keyring" 2>/dev/null
exit "$status"
