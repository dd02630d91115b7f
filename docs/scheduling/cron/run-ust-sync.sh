#!/bin/sh
# One ust sync for cron (or any scheduler that only sees output and exit status): silent when all went
# well or another sync of this config is running (exit 10), otherwise one line saying what the exit code
# means and the end of ust's output, which cron mails to MAILTO. The exit status is ust's.
#   UST=/opt/ust/bin/ust  UST_CONFIG=/etc/ust/user-sync-config.yml  run-ust-sync.sh [ust sync flags...]
UST=${UST:-/opt/ust/bin/ust}
UST_CONFIG=${UST_CONFIG:-/etc/ust/user-sync-config.yml}
out=$("$UST" sync -c "$UST_CONFIG" "$@" 2>&1)
code=$?
case $code in
  0 | 10) exit 0 ;;
  2) meaning='configuration error: fix the files or flags (nothing was changed)' ;;
  3) meaning='credential error: a secret could not be read' ;;
  4) meaning='network error: the next run retries' ;;
  5) meaning='plugin error' ;;
  6) meaning='the directory could not be read completely (nothing was changed): the next run retries' ;;
  7) meaning='the target could not be read or refused the run: the next run retries' ;;
  8) meaning='partial failure: some commands failed (see the log)' ;;
  9) meaning='Adobe-only limit exceeded: Adobe-only users were not handled, check the directory read' ;;
  *) meaning='unexpected error (a bug: report it with `ust info`)' ;;
esac
printf 'ust sync -c %s failed, exit code %s: %s\n\n' "$UST_CONFIG" "$code" "$meaning"
printf '%s\n' "$out" | tail -n 40
exit "$code"
