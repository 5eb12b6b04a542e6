#!/bin/sh
# Peak memory and time of `bpa settle` on generated timesheets of growing size
# (RULES.md 8.1: memory must not grow with the number of shifts).
# Usage: sh bench/timesheet.sh [BPA]   (default build/bpa; needs /usr/bin/time)
set -eu
bpa=${1:-build/bpa}
root=$(cd "$(dirname "$0")/.." && pwd)
# Debian's python3 itself: a version manager's shim (pyenv) costs about 0.5 s a call
: "${PYTHON:=$(command -v /usr/bin/python3 || command -v python3)}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case_file=$root/fixtures/cases/alb-2025-full-year.json
id=$($PYTHON -c 'import json,sys; print(json.load(open(sys.argv[1]))["case"])' "$case_file")
printf '%-10s %12s %10s\n' shifts peak_rss_kb seconds
for n in 10000 100000 1000000; do
    $PYTHON "$root/scripts/gen-timesheet.py" "$n" >"$tmp/t.csv"
    printf '{"format":"bpa-usage/1","case":"%s","year":2025,"timesheets":["t.csv"]}\n' "$id" >"$tmp/u.json"
    /usr/bin/time -v "$bpa" settle "$case_file" "$tmp/u.json" --policy-dir "$root/fixtures/policies" \
        --json "$tmp/out.json" 2>"$tmp/time" >/dev/null
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
    secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time")
    printf '%-10s %12s %10s\n' "$n" "$rss" "$secs"
done

# Many helpers: 100,000 one-hour shifts of 5,000 helpers (20 each), to show
# that looking a helper up does not grow with their number.
$PYTHON -c '
import datetime
print("helper,date,start,end,kind,step")
d0 = datetime.date(2025, 1, 2)
for d in range(0, 360, 18):
    for h in range(5000):
        print(f"h{h},{d0 + datetime.timedelta(days=d)},08:00,09:00,work,11")
' >"$tmp/t.csv"
/usr/bin/time -v "$bpa" settle "$case_file" "$tmp/u.json" --policy-dir "$root/fixtures/policies" \
    --json "$tmp/out.json" 2>"$tmp/time" >/dev/null
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time")
printf '%-10s %12s %10s   (5,000 helpers)\n' 100000 "$rss" "$secs"
