#!/bin/sh
# National caseload benchmark (bench/README.md, "National caseload"; issue 14).
# Usage: sh bench/caseload.sh [SIZES...]          (default: 2000 5000 10000 20000)
# For each size N, over the CSV timesheets of the first N cases of one caseload
# (bench/caseload.py, generated once for the largest N), in one run side by side:
#   wc          every CSV through wc -l (xargs wc -l)
#   cat         every CSV to /dev/null
#   seq         one `bpa settle CASE USAGE --json F` process per case, one at a time
#   par         the same, JOBS at a time (xargs -P)
#   batch       `bpa batch --manifest M -d OUT --jobs JOBS`, when `bpa help batch` works
# and prints wall time, CPU time (user + system, children included), the peak
# RSS of the largest single process, cases per second, and CPU time over wc -l's.
# Then the 365 x 60 grant (bench/gen-decisions.py) with BPA and, when given, BEFORE.
# Environment: BPA (default build/bpa), BATCH (the bpa for the batch row,
# default BPA), BEFORE (an older bpa, e.g. built from
# d66f8c1^ in its own worktree), JOBS (default: online cores), CASELOAD (default
# build/caseload), KEEP=1 keeps the results (default: removed after each size).
# Files are read from the page cache: the CSVs are read once before measuring.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
: "${PYTHON:=$(command -v /usr/bin/python3 || command -v python3)}"
[ $# -gt 0 ] || set -- 2000 5000 10000 20000
bpa=$(cd "$(dirname "${BPA:-$root/build/bpa}")" && pwd)/$(basename "${BPA:-$root/build/bpa}")
jobs=${JOBS:-$(getconf _NPROCESSORS_ONLN)}
caseload=${CASELOAD:-$root/build/caseload}
[ -x "$bpa" ] || { echo "caseload.sh: $bpa is not executable: run make first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "caseload.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
export BPA_POLICY_DIR="$root/fixtures/policies"

max=0 wc_cpu=0
for n in "$@"; do [ "$n" -gt "$max" ] && max=$n; done
have=0
[ -f "$caseload/manifest.csv" ] && have=$(($(wc -l <"$caseload/manifest.csv") - 1))
if [ "$have" -lt "$max" ]; then
    rm -rf "$caseload"
    "$PYTHON" "$root/bench/caseload.py" -n "$max" -o "$caseload"
fi
mkdir -p "$root/build"
tmp=$(mktemp -d "$root/build/caseload-run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
batch=${BATCH:-$bpa}
has_batch=no
"$batch" help batch >/dev/null 2>&1 && has_batch=yes

echo "machine: $(getconf _NPROCESSORS_ONLN) cores, $(uname -m), load average $(cut -d' ' -f1-3 /proc/loadavg); jobs $jobs"
echo "bpa: $bpa ($("$bpa" --version | head -1)); batch: $has_batch${BATCH:+ ($batch)}"

# Wall time and CPU time (user + system, in microseconds) of a command and
# everything it waits for, from getrusage(RUSAGE_CHILDREN): /usr/bin/time's 10 ms
# steps are too coarse for wc. The peak RSS (the largest single process) comes
# from /usr/bin/time -f %M inside it: a child forked by Python would carry
# Python's own RSS as its high-water mark across exec.
rusage='
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    f.write("%.3f %.3f %d\n" % (wall, r.ru_utime + r.ru_stime, r.ru_maxrss))
sys.exit(rc)'

# measure LABEL N CMD...: run CMD under /usr/bin/time in $caseload and print a row.
measure() {
    label=$1 n=$2
    shift 2
    status=0
    (cd "$caseload" && "$PYTHON" -c "$rusage" "$tmp/time" /usr/bin/time -f %M -o "$tmp/rss" "$@") \
        >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
    read -r wall cpu rss <"$tmp/time"
    rss=$(tail -1 "$tmp/rss")
    [ "$label" = wc ] && wc_cpu=$cpu
    echo "$label $n $wall $cpu $rss $status $wc_cpu" | awk '{
        rate = $3 > 0 ? $2 / $3 : 0; ratio = $7 > 0 ? $4 / $7 : 0
        printf "| %6d | %-5s | %8.2f s | %8.3f s | %9d kB | %8.0f | %6.1fx | %s\n",
            $2, $1, $3, $4, $5, rate, ratio, $6 == 0 ? "ok" : "exit " $6 }'
}

echo
echo "|  cases | run   |       wall |        CPU |     peak RSS |  cases/s | CPU/wc | status"
echo "|-------:|-------|-----------:|-----------:|-------------:|---------:|-------:|-------"
for n in "$@"; do
    # The batch reads a manifest of the first n cases, beside the cases (paths are relative to it).
    head -n $((n + 1)) "$caseload/manifest.csv" >"$caseload/manifest-$n.csv"
    tail -n +2 "$caseload/manifest-$n.csv" | cut -d, -f3 >"$tmp/dirs"
    (cd "$caseload" && sed 's|$|/*.csv|' "$tmp/dirs" | while read -r g; do
        for f in $g; do echo "$f"; done
    done) >"$tmp/csvs"
    lines=$(cd "$caseload" && xargs cat <"$tmp/csvs" | wc -l)
    shifts=$((lines - $(wc -l <"$tmp/csvs")))  # less one header line a file
    bytes=$(cd "$caseload" && xargs cat <"$tmp/csvs" | wc -c)
    mkdir -p "$tmp/seq" "$tmp/par"
    awk -v out="$tmp" '{ print "settle " $1 "/case.json " $1 "/usage.json --json " out "/" D "/" $1 ".json" }' \
        D=seq "$tmp/dirs" >"$tmp/args.seq"
    sed "s|$tmp/seq/|$tmp/par/|" "$tmp/args.seq" >"$tmp/args.par"
    measure "wc" "$n" sh -c "xargs wc -l <'$tmp/csvs' >/dev/null"
    measure "cat" "$n" sh -c "xargs cat <'$tmp/csvs' >/dev/null"
    measure "seq" "$n" sh -c "xargs -L 1 '$bpa' <'$tmp/args.seq' >/dev/null 2>'$tmp/warn.seq'"
    measure "par" "$n" sh -c "xargs -L 1 -P $jobs '$bpa' <'$tmp/args.par' >/dev/null 2>'$tmp/warn.par'"
    ok=$(find "$tmp/seq" -name '*.json' | wc -l)
    same=$(cd "$tmp/seq" && for f in *.json; do cmp -s "$f" "../par/$f" && echo; done | wc -l)
    if [ "$has_batch" = yes ]; then
        measure "batch" "$n" "$batch" batch --manifest "manifest-$n.csv" -d "$tmp/batch" --jobs "$jobs"
        bsame=$(cd "$tmp/seq" && for f in *.json; do
            cmp -s "$f" "$tmp/batch/${f%.json}/settlement.json" && echo; done | wc -l)
        batch_note=", batch settlement.json identical: $bsame"
    else
        batch_note=""
    fi
    echo "|        | $shifts shifts, $(echo "$bytes" | awk '{ printf "%.1f", $1 / 1e6 }') MB of CSV; results $ok of $n, seq = par: $same$batch_note; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$tmp/seq" "$tmp/par" "$tmp/batch"
done

echo
echo "365 one-day decisions x 60 lines (bench/gen-decisions.py 365 60):"
"$PYTHON" "$root/bench/gen-decisions.py" 365 60 >"$tmp/big.json"
for b in "$bpa" ${BEFORE:-}; do
    "$PYTHON" -c "$rusage" "$tmp/time" /usr/bin/time -f %M -o "$tmp/rss" \
        "$b" grant "$tmp/big.json" --json "$tmp/big-out.json" >/dev/null 2>&1 || echo "  (exit $?)"
    read -r wall cpu rss <"$tmp/time"
    rss=$(tail -1 "$tmp/rss")
    echo "  $wall s wall, $cpu s CPU, $rss kB peak RSS   $b"
done
