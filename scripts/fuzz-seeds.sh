#!/bin/sh
# Seed a fuzz target's corpus from the fixtures: fuzz-seeds.sh TARGET DIR
set -e
t=$1 dir=$2
copy() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/" || true; done; }
case "$t" in
decimal) i=0; for s in 0 37.5 -0.005 2.675 1/7 123456789012345 0.123456 1e3 .5; do
             i=$((i + 1)); printf '\001%s' "$s" >"$dir/seed$i"; done ;;
policy) copy fixtures/policies/*.json tests/cli/data/*policy*.json ;;
case | grant) copy fixtures/cases/*.json tests/cli/data/*case*.json ;;
usage | settle) copy fixtures/usage/*.json ;;
csv | timesheet) copy fixtures/timesheets/*.csv ;;
esac
