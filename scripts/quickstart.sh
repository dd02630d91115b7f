#!/bin/sh
# The README's main job: rehearse a UST-style sync of examples/quickstart (CSV directory -> sandbox org),
# offline, in a scratch copy, twice: the second run must show no changes.
set -eu
cd "$(dirname "$0")/.."
rm -rf tmp/quickstart
mkdir -p tmp
cp -r examples/quickstart tmp/quickstart
cp tmp/quickstart/org.initial.json tmp/quickstart/org.json
for run in first second; do
  echo "== $run run: ust sync -c tmp/quickstart/user-sync-config.yml --process-groups --adobe-only-user-action remove"
  node bin/run.js sync -c tmp/quickstart/user-sync-config.yml --process-groups --adobe-only-user-action remove
done
