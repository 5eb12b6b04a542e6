#!/bin/sh
# No partial outputs (RULES.md 11): bpa killed with SIGKILL while it computes or
# writes --json FILE never leaves a partial FILE, and never damages an existing one.
# Usage: BPA=path/to/bpa sh tests/cli/kill.sh   ($BPA may carry a prefix, e.g. valgrind)
#
# Inputs, generated in a temporary directory:
#  - a grant of 120 one-day decisions with 60 pay steps each (about 4.6 MB of
#    result JSON), so that the write itself takes long enough to be hit: some
#    kills come after a random delay, others as soon as the temporary file
#    (seen through /proc/PID/fd) has data in it (mid-write);
#  - a settlement of fixtures/cases/alb-2025-full-year.json (policy
#    albertslund, step 11) over a timesheet of 1,000,000 shifts
#    (scripts/gen-timesheet.py), killed after random delays.
# Where the file system has O_TMPFILE (ext4, xfs, btrfs, tmpfs), the temporary
# has no name until it is complete, so a killed run must leave no partial file
# under any name: no partial out.json and no partial ".out.json.XXXXXX" (when
# it replaces an existing out.json, a run killed between naming the complete
# file and renaming it leaves that complete file: reported, not a failure).
# Elsewhere bpa falls back to a named temporary, which a killed process cannot
# remove: then leftovers are only reported, and the final name must still
# never hold a partial file.
#
# KILL_DAYS (default 120) and KILL_SHIFTS (default 1000000) make the inputs
# smaller, e.g. under valgrind.
. "$(dirname "$0")/lib.sh"
: "${KILL_DAYS:=120}"
: "${KILL_SHIFTS:=1000000}"
pid=""
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
leftovers=0 # temporary files left by killed runs
partial=0   # ... of them not the complete result
midwrite=0
anon_seen=0  # mid-write kills that saw an unnamed temporary
named_seen=0 # ... and a named one

# rand_delay MAX_MS: a random delay in seconds, 0.001 .. MAX_MS/1000
rand_delay() {
    r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    awk -v r="$r" -v m="$1" 'BEGIN { printf "%.3f", (1 + r % m) / 1000 }'
}

now_ms() { date +%s%3N; }

# running PID: the process exists and is not a zombie (kill -0 succeeds on zombies)
running() {
    [ -r "/proc/$1/stat" ] || return 1
    read -r _ _ state _ <"/proc/$1/stat" 2>/dev/null || return 1
    [ "$state" != Z ]
}

valid_json() {
    $PYTHON -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); sys.exit(0 if d.get("format") == sys.argv[2] else 1)' "$1" "$2" 2>/dev/null
}

# count and remove the temporary files a killed run left in DIR (REF: the
# complete result)
sweep() {
    for f in "$1"/.out.json.*; do
        [ -e "$f" ] || continue
        leftovers=$((leftovers + 1))
        cmp -s "$f" "$2" || partial=$((partial + 1))
        rm -f "$f"
    done
}

# check NAME DIR RC REF [OLD]: after a killed run in DIR. out.json may be the
# complete result (same bytes as REF: the kill came after the rename, or the run
# ended first), or, when OLD is given, still equal OLD; when OLD is not given it
# may also be absent. Anything else is a partial or damaged output.
check() {
    name=$1 dir=$2 rc=$3 ref=$4
    old=${5:-}
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 137 ]; then
        bad "$name: exit $rc, expected 137 (SIGKILL) or 0"
    elif [ -e "$dir/out.json" ] && cmp -s "$dir/out.json" "$ref"; then
        ok
        if [ "$rc" -eq 0 ]; then echo "  $name: finished before the kill; output complete"
        else echo "  $name: killed after the rename; output complete"; fi
    elif [ "$rc" -eq 0 ]; then
        bad "$name: run ended with 0 but out.json is not the complete result"
    elif [ -n "$old" ]; then
        if cmp -s "$dir/out.json" "$old"; then ok; else bad "$name: the existing out.json was changed"; fi
    elif [ -e "$dir/out.json" ]; then
        bad "$name: a partial out.json exists after SIGKILL ($(wc -c <"$dir/out.json") of $(wc -c <"$ref") bytes)"
    else
        ok
    fi
    sweep "$dir" "$ref"
    [ -n "$old" ] || rm -f "$dir/out.json"
}

# ---- grant: a large result ---------------------------------------------------
g=$tmp/grant
mkdir -p "$g"
$PYTHON - "$g" "$KILL_DAYS" <<'EOF'
import datetime, json, os, sys
d = sys.argv[1]
steps, days = 60, int(sys.argv[2])
params = {"wage.hourly.%d" % s: [{"from": "2025-01-01", "value": "%d.%02d" % (140 + s % 60, s % 100), "ref": "ex"}]
          for s in range(steps)}
params["supplement.evening"] = [{"from": "2025-01-01", "value": {"pct": "30"}, "ref": "ex"}]
json.dump({"format": "bpa-policy/1", "id": "big", "title": "kill test", "country": "DK",
           "schemes": ["dk-sel-96"], "references": {"ex": "example"}, "params": params},
          open(os.path.join(d, "policy.json"), "w"), indent=1)
first = datetime.date(2025, 1, 1)
decisions = []
for i in range(days):
    day = (first + datetime.timedelta(days=i)).isoformat()
    decisions.append({"from": day, "to": day, "hours": [
        {"kind": "work", "band": "day" if s % 2 else "evening", "step": s, "per_week": "%d.5" % (1 + s % 7)}
        for s in range(steps)]})
json.dump({"format": "bpa-case/1", "case": "KILL-1", "scheme": "dk-sel-96", "policy": "policy.json",
           "year": 2025, "employer": "citizen", "helpers": 3, "decisions": decisions},
          open(os.path.join(d, "case.json"), "w"), indent=1)
EOF

# the complete result, and how long it takes
t0=$(now_ms)
$BPA grant "$g/case.json" --json "$g/ref.json" >/dev/null 2>"$tmp/err"
rc=$?
t1=$(now_ms)
gms=$((t1 - t0))
if [ "$rc" -eq 0 ] && valid_json "$g/ref.json" bpa-grant-result/1; then ok; else
    bad "grant reference run: exit $rc"; sed 's/^/  | /' "$tmp/err" | head -5
    echo "kill: $pass passed, $fail failed"; exit 1
fi
echo "  grant: $(wc -c <"$g/ref.json") bytes of JSON in $gms ms"

# kill_after NAME DELAY [OLD]
kill_after() {
    $BPA grant "$g/case.json" --json "$g/out.json" >/dev/null 2>&1 &
    pid=$!
    sleep "$2"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null # (the shell would report "Killed")
    rc=$?
    pid=""
    check "$1" "$g" "$rc" "$g/ref.json" "${3:-}"
}

# temp_of PID DIR: the temporary PID is writing in DIR, as "SIZE anon|named",
# when it holds data. An O_TMPFILE file shows as "DIR/#INODE (deleted)".
# One ls per poll (not a readlink per descriptor), so the poll stays quick.
temp_of() {
    links=$(ls -l /proc/"$1"/fd 2>/dev/null) || return 1
    while IFS= read -r line; do
        case "$line" in
        *" -> $2/#"*" (deleted)") kind=anon ;;
        *" -> $2/.out.json."*) kind=named ;;
        *) continue ;;
        esac
        fd=${line%% -> *}
        fd=${fd##* }
        size=$(stat -L -c %s /proc/"$1"/fd/"$fd" 2>/dev/null) || continue
        [ "$size" -gt 0 ] && { echo "$size $kind"; return 0; }
    done <<EOF_LINKS
$links
EOF_LINKS
    return 1
}

# kill_midwrite NAME [OLD]: kill as soon as the temporary file holds data
kill_midwrite() {
    $BPA grant "$g/case.json" --json "$g/out.json" >/dev/null 2>&1 &
    pid=$!
    seen=""
    while running "$pid"; do
        seen=$(temp_of "$pid" "$g") && break
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null # (the shell would report "Killed")
    rc=$?
    pid=""
    if [ -n "$seen" ] && [ "$rc" -eq 137 ]; then
        midwrite=$((midwrite + 1))
        case "$seen" in *anon) anon_seen=$((anon_seen + 1)) ;; *) named_seen=$((named_seen + 1)) ;; esac
        echo "  $1: killed mid-write: the ${seen#* } temporary held ${seen% *} of $(wc -c <"$g/ref.json") bytes"
    fi
    check "$1" "$g" "$rc" "$g/ref.json" "${2:-}"
}

for i in 1 2 3 4 5; do
    kill_after "grant killed after a random delay ($i)" "$(rand_delay "$gms")"
done
for i in 1 2 3; do
    kill_midwrite "grant killed mid-write ($i)"
done

# an existing output survives a kill untouched
printf '{"earlier": "result"}\n' >"$g/old.json"
cp "$g/old.json" "$g/out.json"
kill_after "existing output, random delay" "$(rand_delay "$gms")" "$g/old.json"
cp "$g/old.json" "$g/out.json"
kill_midwrite "existing output, mid-write" "$g/old.json"
rm -f "$g/out.json"

# without a kill: the complete, valid result, byte-identical to the reference
$BPA grant "$g/case.json" --json "$g/out.json" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && valid_json "$g/out.json" bpa-grant-result/1 && cmp -s "$g/out.json" "$g/ref.json"; then ok
else bad "grant without a kill: exit $rc, or out.json incomplete"; sed 's/^/  | /' "$tmp/err" | head -5; fi
left=""
for f in "$g"/.out.json.*; do [ -e "$f" ] && left=$f; done
if [ -n "$left" ]; then bad "a completed run left a temporary file $left"; else ok; fi

# ---- settle: a large timesheet ------------------------------------------------
s=$tmp/settle
mkdir -p "$s"
$PYTHON "$root/scripts/gen-timesheet.py" "$KILL_SHIFTS" >"$s/big.csv"
printf '{"format": "bpa-usage/1", "case": "ALB-2025-0001", "year": 2025, "timesheets": ["big.csv"]}\n' >"$s/usage.json"
settle() {
    $BPA settle "$root/fixtures/cases/alb-2025-full-year.json" "$s/usage.json" \
        --policy-dir "$root/fixtures/policies" --json "$1" >/dev/null
}
t0=$(now_ms)
settle "$s/ref.json" 2>"$tmp/err"
rc=$?
t1=$(now_ms)
sms=$((t1 - t0))
if [ "$rc" -eq 0 ] && valid_json "$s/ref.json" bpa-settlement-result/1; then ok; else
    bad "settle reference run: exit $rc"; sed 's/^/  | /' "$tmp/err" | head -5
fi
echo "  settle: $KILL_SHIFTS shifts in $sms ms"
for i in 1 2 3; do
    settle "$s/out.json" 2>/dev/null &
    pid=$!
    sleep "$(rand_delay "$sms")"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null # (the shell would report "Killed")
    rc=$?
    pid=""
    check "settle killed after a random delay ($i)" "$s" "$rc" "$s/ref.json"
done
settle "$s/out.json" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && valid_json "$s/out.json" bpa-settlement-result/1 && cmp -s "$s/out.json" "$s/ref.json"; then ok
else bad "settle without a kill: exit $rc, or out.json incomplete"; sed 's/^/  | /' "$tmp/err" | head -5; fi

# the point of the test: at least one kill must have hit the write itself
if [ "$midwrite" -gt 0 ]; then ok; else bad "no kill landed while the temporary file was being written"; fi
if [ "$named_seen" -eq 0 ] && [ "$anon_seen" -gt 0 ]; then
    # unnamed temporaries: a killed run leaves no partial file under any name
    if [ "$partial" -eq 0 ]; then ok; else bad "killed runs left $partial partial files .out.json.XXXXXX"; fi
    echo "  $midwrite kills landed mid-write, on an unnamed (O_TMPFILE) temporary; no partial file was left ($leftovers complete .out.json.XXXXXX killed between naming and renaming)"
else
    echo "  $midwrite kills landed mid-write, on a named temporary (no O_TMPFILE here); $leftovers files .out.json.XXXXXX were left by killed runs, $partial of them partial (a killed process cannot remove a named file)"
fi
finish kill
