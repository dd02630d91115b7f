#!/bin/sh
# Writes one CronJob per organisation to stdout, from cronjob.template.yaml.
#   generate.sh ORGS_FILE > ust-cronjobs.yaml && kubectl apply -f ust-cronjobs.yaml
# ORGS_FILE: one org per line, "NAME [MINUTE]" (NAME: lower-case letters, digits, '-'; MINUTE 0-59, default
# spread over the hour so orgs do not all call UMAPI at once). '#' starts a comment.
set -eu
template="$(dirname "$0")/cronjob.template.yaml"
[ $# -eq 1 ] && [ -r "$1" ] || { echo "usage: $0 ORGS_FILE" >&2; exit 2; }
n=0
while read -r org minute rest || [ -n "${org:-}" ]; do
  case $org in '' | '#'*) continue ;; esac
  case $org in *[!a-z0-9-]* | -* | *-) echo "$1: \"$org\" is not a valid name (a-z, 0-9, '-')" >&2; exit 2 ;; esac
  [ ${#org} -le 40 ] || { echo "$1: \"$org\" is longer than 40 characters" >&2; exit 2; }
  if [ -z "${minute:-}" ]; then minute=$(( (n * 7) % 60 )); fi
  case $minute in *[!0-9]*) echo "$1: minute \"$minute\" of $org is not a number" >&2; exit 2 ;; esac
  [ "$minute" -le 59 ] || { echo "$1: minute $minute of $org is not 0-59" >&2; exit 2; }
  [ $n -eq 0 ] || echo '---'
  sed -e "s/__ORG__/$org/g" -e "s/__MINUTE__/$minute/g" "$template"
  n=$((n + 1))
done < "$1"
[ $n -gt 0 ] || { echo "$1: no organisation listed" >&2; exit 2; }
