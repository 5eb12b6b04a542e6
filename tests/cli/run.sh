#!/bin/sh
# Command-line tests: exit statuses (RULES.md section 11), messages, outputs.
# Usage: BPA=path/to/bpa sh tests/cli/run.sh
# Expected figures in these checks are worked out by hand; see the comments.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# Debian's python3 itself: a version manager's shim (pyenv) costs about 0.5 s a call
: "${PYTHON:=$(command -v /usr/bin/python3 || command -v python3)}"
: "${BPA:=$root/build/bpa}"
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect NAME STATUS SUBSTRING -- ARGS...: run bpa, check status and that
# stderr (or stdout for status 0) contains SUBSTRING.
expect() {
    name=$1 want=$2 sub=$3
    shift 4
    $BPA "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        bad "$name: exit $rc, expected $want"; sed 's/^/  | /' "$tmp/err" | head -5; return
    fi
    if [ "$want" -eq 0 ]; then f="$tmp/out"; else f="$tmp/err"; fi
    if [ -n "$sub" ] && ! grep -qF -- "$sub" "$f"; then
        bad "$name: output lacks '$sub'"; sed 's/^/  | /' "$f" | head -5; return
    fi
    ok
}

# json_field FILE KEY-PATH: print a field of a JSON file (python3 as a reader only)
json_field() {
    $PYTHON -c 'import json,sys
d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    d=d[int(k)] if k.isdigit() else d[k]
print(d)' "$1" "$2"
}

field_is() {
    name=$1 file=$2 key=$3 want=$4
    got=$(json_field "$file" "$key" 2>&1)
    if [ "$got" = "$want" ]; then ok; else bad "$name: $key = $got, expected $want"; fi
}

# ---- usage -----------------------------------------------------------------
expect "help" 0 "usage: bpa" -- --help
expect "grant help" 0 "usage: bpa grant" -- grant --help
expect "version" 0 "bpa 0." -- --version
expect "no command" 2 "missing command" --
expect "unknown command" 2 "unknown command frobnicate" -- frobnicate
expect "unknown option" 2 "unknown option --bogus" -- grant --bogus x.json
expect "missing case" 2 "expected one case file" -- grant
expect "json without value" 2 "--json needs a value" -- grant "$here/data/mini-case.json" --json

# ---- the mini case, worked by hand ------------------------------------------
# 37 h/week work at 150.00 and 10 h/week on-call at 0.75 x 150.00 = 112.50,
# weeks52, 2025 (365 days). January (31 days):
#   work 37*52*31/365 = 163.40822 h x 150 = 24511.2329 -> 24511.23
#   on-call 10*52*31/365 = 44.16438 h x 112.50 = 4968.4931 -> 4968.49
#   wages 29479.72; admin 5.45 x 120/100 = 6.54 (R4) x 207.57260 h = 1357.5248 -> 1357.52
#   recipient 30837.24, paid bagud (association): last bank day 2025-01-31.
# Whole year: hours 47 x 52 = 2444; allowance 12 x 1000 = 12000.00.
expect "mini grant" 0 '"format": "bpa-grant-result/1"' -- grant "$here/data/mini-case.json"
cp "$tmp/out" "$tmp/mini.json"
field_is "mini jan wages" "$tmp/mini.json" months.0.wages 29479.72
field_is "mini jan admin" "$tmp/mini.json" months.0.admin 1357.52
field_is "mini jan recipient" "$tmp/mini.json" months.0.recipient_amount 30837.24
field_is "mini jan due" "$tmp/mini.json" months.0.due_date 2025-01-31
# May 2025: 29 May Kristi himmelfart, 30 May bank closing day, 31 May Saturday
field_is "mini may due" "$tmp/mini.json" months.4.due_date 2025-05-28
field_is "mini hours" "$tmp/mini.json" totals.hours 2444.0000
field_is "mini allowance" "$tmp/mini.json" totals.allowance 12000.00
field_is "mini on-call rate" "$tmp/mini.json" rates.1.hourly 112.50

# --json writes the same bytes, atomically; a second run is byte-identical
expect "mini --json" 0 "" -- grant "$here/data/mini-case.json" --json "$tmp/mini-file.json"
if cmp -s "$tmp/mini.json" "$tmp/mini-file.json"; then ok; else bad "--json differs from stdout"; fi
$BPA grant "$here/data/mini-case.json" --json "$tmp/mini-again.json"
if cmp -s "$tmp/mini-file.json" "$tmp/mini-again.json"; then ok; else bad "not reproducible"; fi
if ls -a "$tmp" | grep -q '^\.mini'; then bad "temporary file left behind"; else ok; fi

# ---- workbooks -----------------------------------------------------------------
expect "grant workbook" 0 "" -- grant "$here/data/mini-case.json" -o "$tmp/mini.xlsx" --json "$tmp/wb.json"
if [ -s "$tmp/mini.xlsx" ] && [ -s "$tmp/wb.json" ]; then ok; else bad "workbook or JSON missing"; fi
$BPA grant "$here/data/mini-case.json" -o "$tmp/mini2.xlsx" --json "$tmp/wb2.json" 2>/dev/null
if cmp -s "$tmp/mini.xlsx" "$tmp/mini2.xlsx"; then ok; else bad "workbook not byte-identical"; fi
expect "english workbook" 0 "" -- grant "$here/data/mini-case.json" -o "$tmp/mini-en.xlsx" --lang en --json "$tmp/wb-en.json"
expect "bad --lang" 2 "--lang is da or en, not fr" -- grant "$here/data/mini-case.json" --lang fr
expect "workbook into missing dir" 3 "$tmp/none/x.xlsx" -- grant "$here/data/mini-case.json" -o "$tmp/none/x.xlsx" --json "$tmp/wb3.json"
if [ ! -e "$tmp/wb3.json" ]; then ok; else bad "JSON written although the workbook failed"; fi
expect "settle help" 0 "usage: bpa settle" -- settle --help
expect "settle missing usage" 2 "expected a case file and a usage file" -- settle "$here/data/mini-case.json"

# ---- fixture cases with hand-worked totals (tests/cli/expected/*.totals) ------
for exp in "$here"/expected/*.totals; do
    [ -e "$exp" ] || continue
    case_name=$(basename "$exp" .totals)
    $BPA grant "$root/fixtures/cases/$case_name.json" --policy-dir "$root/fixtures/policies" \
        >"$tmp/$case_name.json" 2>"$tmp/err" || { bad "$case_name: grant failed"; cat "$tmp/err"; continue; }
    while IFS='=' read -r key want; do
        case "$key" in
        ''|'#'*) continue ;;
        months) got=$($PYTHON -c 'import json,sys; print(",".join(m["recipient_amount"] for m in json.load(open(sys.argv[1]))["months"]))' "$tmp/$case_name.json") ;;
        due) got=$($PYTHON -c 'import json,sys; print(",".join(str(m["due_date"]) for m in json.load(open(sys.argv[1]))["months"]))' "$tmp/$case_name.json") ;;
        *) got=$(json_field "$tmp/$case_name.json" "totals.$key") ;;
        esac
        if [ "$got" = "$want" ]; then ok; else bad "$case_name: $key = $got, expected $want"; fi
    done <"$exp"
done

# ---- bad input: file and place named, exit status per section 11 -------------
mk() { printf '%s\n' "$2" >"$tmp/$1"; }
cp "$here/data/mini-policy.json" "$tmp/mini-policy.json"
base='"format":"bpa-case/1","case":"X","scheme":"dk-sel-96","policy":"mini-policy.json","year":2025,"employer":"citizen","helpers":1'
line='{"kind":"work","band":"day","step":11,"per_week":"37"}'
mk syntax.json '{"format": "bpa-case/1",
  "case": }'
expect "json syntax" 1 "syntax.json:2:11: invalid JSON" -- grant "$tmp/syntax.json"
mk unknown.json "{$base,\"colour\":\"red\",\"decisions\":[{\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"hours\":[$line]}]}"
expect "unknown key" 1 '$.colour: unknown key "colour"' -- grant "$tmp/unknown.json"
mk fraction.json "{$base,\"decisions\":[{\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"hours\":[{\"kind\":\"work\",\"band\":\"day\",\"step\":11,\"per_week\":37.5}]}]}"
expect "fractional number" 1 'write it as a string: "37.5"' -- grant "$tmp/fraction.json"
mk baddate.json "{$base,\"decisions\":[{\"from\":\"2025-02-30\",\"to\":\"2025-12-31\",\"hours\":[$line]}]}"
expect "impossible date" 1 '$.decisions[0].from: "2025-02-30" is not a date' -- grant "$tmp/baddate.json"
mk reversed.json "{$base,\"decisions\":[{\"from\":\"2025-06-01\",\"to\":\"2025-01-31\",\"hours\":[$line]}]}"
expect "reversed period" 1 "ends before it starts" -- grant "$tmp/reversed.json"
mk overlap.json "{$base,\"decisions\":[{\"from\":\"2025-01-01\",\"to\":\"2025-06-30\",\"hours\":[$line]},{\"from\":\"2025-06-01\",\"to\":\"2025-12-31\",\"hours\":[$line]}]}"
expect "overlapping decisions" 1 "decisions overlap" -- grant "$tmp/overlap.json"
mk outside.json "{$base,\"decisions\":[{\"from\":\"2024-12-01\",\"to\":\"2025-12-31\",\"hours\":[$line]}]}"
expect "decision outside year" 1 "inside the case year 2025" -- grant "$tmp/outside.json"
mk negative.json "{$base,\"decisions\":[{\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"hours\":[{\"kind\":\"work\",\"band\":\"day\",\"step\":11,\"per_week\":\"-5\"}]}]}"
expect "negative hours" 1 "negative values are not allowed" -- grant "$tmp/negative.json"
mk step.json "{$base,\"decisions\":[{\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"hours\":[{\"kind\":\"work\",\"band\":\"day\",\"step\":12,\"per_week\":\"5\"}]}]}"
expect "step missing from policy" 1 'parameter "wage.hourly.12" is required on 2025-01-01' -- grant "$tmp/step.json"
mk band.json "{$base,\"decisions\":[{\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"hours\":[{\"kind\":\"work\",\"band\":\"night\",\"step\":11,\"per_week\":\"5\"}]}]}"
expect "band missing from policy" 1 '"supplement.night"' -- grant "$tmp/band.json"
mk early.json "$(echo "{$base,\"decisions\":[{\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"hours\":[$line]}]}" | sed 's/"year":2025/"year":2025/')"
sed 's/"2025-01-01","value":"150.00"/"2025-03-01","value":"150.00"/' "$tmp/mini-policy.json" >"$tmp/late-policy.json"
sed 's/mini-policy.json/late-policy.json/' "$tmp/early.json" >"$tmp/early2.json"
expect "parameter before its first value" 1 'has no value on 2025-01-01 (its first value is from 2025-03-01)' -- grant "$tmp/early2.json"
mk cap.json "{$base,\"decisions\":[{\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"allowance_monthly\":\"2000\",\"hours\":[$line]}]}"
printf '%s' "$(sed 's/"index.series"/"allowance.monthly_cap.96":[{"from":"2025-01-01","value":"1000","ref":"ex"}],"index.series"/' "$tmp/mini-policy.json")" >"$tmp/mini-policy.json.new" && mv "$tmp/mini-policy.json.new" "$tmp/mini-policy.json"
expect "cap exceeded" 1 'exceeds allowance.monthly_cap.96 = 1000.00' -- grant "$tmp/cap.json"
mk empty.json ""
: >"$tmp/empty.json"
expect "empty file" 1 "empty file" -- grant "$tmp/empty.json"
expect "directory as file" 1 "is a directory" -- grant "$tmp"
expect "missing file" 1 "cannot open" -- grant "$tmp/nope.json"
$PYTHON -c 'print("["*10000 + "]"*10000)' >"$tmp/deep.json"
expect "nested 10000 deep" 1 "nested too deeply" -- grant "$tmp/deep.json"
printf '{"format":\021"bpa-case/1"}' >"$tmp/ctrl.json"
expect "control byte as whitespace" 1 "ctrl.json:1:11: control character outside a string" -- grant "$tmp/ctrl.json"
printf '{"format":"bpa-case/1","case":"\377"}' >"$tmp/latin1.json"
expect "not UTF-8" 1 "not UTF-8" -- grant "$tmp/latin1.json"
mk unknown-param.json '{"format":"bpa-policy/1","id":"u","country":"DK","schemes":["dk-sel-96"],"references":{"ex":"x"},"params":{"wage.hourly.11":[{"from":"2025-01-01","value":"1","ref":"ex"}],"wage.daily":[{"from":"2025-01-01","value":"1","ref":"ex"}]}}'
sed 's/mini-policy.json/unknown-param.json/' "$tmp/unknown.json" | sed 's/,"colour":"red"//' >"$tmp/uses-unknown.json"
expect "unknown policy parameter" 1 'unknown parameter "wage.daily"' -- grant "$tmp/uses-unknown.json"
expect "missing output dir" 3 "$tmp/no/such/dir/out.json" -- grant "$here/data/mini-case.json" --json "$tmp/no/such/dir/out.json"
if [ ! -e "$tmp/no" ]; then ok; else bad "output directory created"; fi
echo "old" >"$tmp/keep.json"
$BPA grant "$tmp/negative.json" --json "$tmp/keep.json" 2>/dev/null
if [ "$(cat "$tmp/keep.json")" = "old" ]; then ok; else bad "failed run replaced an existing output"; fi

# ---- where policies come from; a stdout that cannot be written ---------------
alb="$root/fixtures/cases/alb-2025-full-year.json"
mkdir -p "$tmp/nopol"
BPA_POLICY_DIR="$tmp/nopol" $BPA grant "$alb" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -qF "$tmp/nopol/albertslund.json" "$tmp/err"; then ok; else
    bad "BPA_POLICY_DIR not used: exit $rc"; sed 's/^/  | /' "$tmp/err" | head -3; fi
BPA_POLICY_DIR="$root/fixtures/policies" $BPA grant "$alb" >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && grep -qF '"grant": "410633.51"' "$tmp/out"; then ok; else bad "BPA_POLICY_DIR=fixtures"; fi
# --policy-dir wins over the environment
BPA_POLICY_DIR="$tmp/nopol" $BPA grant "$alb" --policy-dir "$root/fixtures/policies" >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ]; then ok; else bad "--policy-dir did not win over BPA_POLICY_DIR"; fi
if [ -w /dev/full ]; then
    $BPA grant "$alb" --policy-dir "$root/fixtures/policies" >/dev/full 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq 3 ] && grep -qF "<stdout>: write failed" "$tmp/err"; then ok; else
        bad "stdout on /dev/full: exit $rc"; sed 's/^/  | /' "$tmp/err" | head -3; fi
fi
expect "short help" 0 "usage: bpa" -- -h
expect "help command" 0 "usage: bpa" -- help
expect "grant short help" 0 "usage: bpa grant" -- grant -h

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
