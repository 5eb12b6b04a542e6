#!/bin/sh
# Peak memory and time of `bpa settle` on generated timesheets of growing size
# (RULES.md 8.1: memory must not grow with the number of shifts).
# Usage: sh bench/timesheet.sh [BPA...]   (default build/bpa; needs /usr/bin/time)
# With several binaries (say, before and after a change) each file is run
# through all of them in turn, RUNS times (default 1), and the best wall time
# and the largest peak are printed: on a shared machine alternating runs is
# what makes the figures comparable.
set -eu
[ $# -gt 0 ] || set -- build/bpa
runs=${RUNS:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
# Debian's python3 itself: a version manager's shim (pyenv) costs about 0.5 s a call
: "${PYTHON:=$(command -v /usr/bin/python3 || command -v python3)}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case_file=$root/fixtures/cases/alb-2025-full-year.json
id=$($PYTHON -c 'import json,sys; print(json.load(open(sys.argv[1]))["case"])' "$case_file")
printf '{"format":"bpa-usage/1","case":"%s","year":2025,"timesheets":["t.csv"]}\n' "$id" >"$tmp/u.json"

# One line per binary for the timesheet now in $tmp/t.csv: shifts, largest
# peak RSS, best wall time and best CPU time (user + system) over the runs.
measure() {
    label=$1 n=$2
    shift 2
    i=0
    for bpa in "$@"; do
        : >"$tmp/best.$i"
        i=$((i + 1))
    done
    r=0
    while [ "$r" -lt "$runs" ]; do
        i=0
        for bpa in "$@"; do
            /usr/bin/time -f '%M %e %U %S' -o "$tmp/time" "$bpa" settle "$case_file" "$tmp/u.json" \
                --policy-dir "$root/fixtures/policies" --json "$tmp/out.json" >/dev/null
            cat "$tmp/time" >>"$tmp/best.$i"
            i=$((i + 1))
        done
        r=$((r + 1))
    done
    i=0
    for bpa in "$@"; do
        sort -n -k1,1 "$tmp/best.$i" | tail -1 | cut -d' ' -f1 >"$tmp/rss"
        sort -n -k2,2 "$tmp/best.$i" | head -1 | cut -d' ' -f2 >"$tmp/secs"
        awk '{ print $3 + $4 }' "$tmp/best.$i" | sort -n | head -1 >"$tmp/cpu"
        printf '%-10s %12s %10s %8s   %s%s\n' "$n" "$(cat "$tmp/rss")" "$(cat "$tmp/secs")" \
            "$(cat "$tmp/cpu")" "$bpa" "$label"
        i=$((i + 1))
    done
}

printf '%-10s %12s %10s %8s   %s\n' shifts peak_rss_kb seconds cpu_s binary
for n in 10000 100000 1000000; do
    $PYTHON "$root/scripts/gen-timesheet.py" "$n" >"$tmp/t.csv"
    measure "" "$n" "$@"
done

# Long shifts: 100,000 shifts of up to 8 hours (300 helpers), where the
# splitter's pieces, not the reading, are most of the work.
$PYTHON "$root/scripts/gen-timesheet.py" 100000 300 >"$tmp/t.csv"
measure "   (300 helpers, up to 8 h)" 100000 "$@"

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
measure "   (5,000 helpers)" 100000 "$@"

# Side by side (issue 14): the CPU time of `bpa settle` against `wc -l` and
# `cat >/dev/null` on the same file in the same run, for 1,000,000 shifts of
# a few minutes (10 helpers), of 8 hours (3,000 helpers) and of 10,000
# helpers. The ratio is bpa's best CPU over wc -l's best CPU (bench/rusage.py:
# microsecond rusage, commands alternated). SIDE=0 skips this part.
[ "${SIDE:-1}" = 1 ] || exit 0
echo
printf '%-28s %9s %9s %9s %7s %7s %10s %9s   %s\n' file wc_cpu cat_cpu bpa_cpu x_wc x_cat \
    shifts/s rss_kb binary
side() {
    label=$1
    shift
    set -- "wc=wc -l $tmp/t.csv" "cat=cat $tmp/t.csv" "$@"
    n=$(($(wc -l <"$tmp/t.csv") - 1))
    $PYTHON "$root/bench/rusage.py" "${SIDE_RUNS:-$runs}" "$@" >"$tmp/side"
    wc_cpu=$(awk '$1 == "wc" { print $2 }' "$tmp/side")
    cat_cpu=$(awk '$1 == "cat" { print $2 }' "$tmp/side")
    grep -v '^wc \|^cat ' "$tmp/side" | while IFS=' ' read -r bin cpu wall rss; do
        awk -v l="$label" -v w="$wc_cpu" -v c="$cat_cpu" -v b="$cpu" -v n="$n" -v r="$rss" \
            -v bin="$bin" 'BEGIN { printf "%-28s %9.4f %9.4f %9.4f %7.1f %7.1f %10.0f %9d   %s\n",
                l, w, c, b, b / w, b / c, n / b, r, bin }'
    done
}
cmds() {
    for bpa in "$@"; do
        printf '%s\n' "$bpa=$bpa settle $case_file $tmp/u.json --policy-dir $root/fixtures/policies --json $tmp/out.json"
    done
}
gen_side() {
    label=$1
    shift
    # one argument per binary, each "PATH=command"
    old_ifs=$IFS
    IFS='
'
    # shellcheck disable=SC2046
    side "$label" $(cmds "$@")
    IFS=$old_ifs
}
$PYTHON "$root/scripts/gen-timesheet.py" 1000000 >"$tmp/t.csv"
gen_side "1M, minutes, 10 helpers" "$@"
$PYTHON "$root/scripts/gen-timesheet.py" 1000000 3000 >"$tmp/t.csv"
gen_side "1M, 8 h, 3,000 helpers" "$@"
# 100 shifts of 10,000 helpers each, every third day, hours varying by helper
$PYTHON -c '
import datetime
print("helper,date,start,end,kind,step")
d0 = datetime.date(2025, 1, 2)
for d in range(0, 300, 3):
    day = d0 + datetime.timedelta(days=d)
    for h in range(10000):
        s = h % 14 + 6
        k = "on_call" if h % 7 == 0 else "work"
        print(f"h{h},{day},{s:02d}:{h % 60:02d},{s + 3:02d}:00,{k},11")
' >"$tmp/t.csv"
gen_side "1M, 10,000 helpers" "$@"
