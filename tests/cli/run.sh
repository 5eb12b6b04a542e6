#!/bin/sh
# Command-line tests: exit statuses (RULES.md section 11), messages, options,
# the summary a person reads and the JSON.
# Usage: BPA=path/to/bpa sh tests/cli/run.sh   ($BPA may carry a prefix, e.g. valgrind)
# Expected figures in these checks are worked out by hand; see the comments
# and tests/cli/expected/*.totals.
. "$(dirname "$0")/lib.sh"
mini=$here/data/mini-case.json

# ---- usage, and options as getopt_long reads them -----------------------------
expect "help" 0 "usage: bpa" -- --help
expect "help lists grant" 0 "  grant " -- --help
expect "help lists settle" 0 "  settle " -- --help
expect "grant help" 0 "usage: bpa grant" -- grant --help
expect "version" 0 "bpa 0." -- --version
expect "no command" 2 "missing command" --
expect "unknown command" 2 "unknown command frobnicate" -- frobnicate
expect "unknown main option" 2 "unknown option --frob" -- --frob
expect "unknown option" 2 "unknown option --bogus" -- grant --bogus x.json
expect "unknown option --jobs (not --json)" 2 "unknown option --jobs" -- grant "$mini" --jobs 2
expect "unknown short option" 2 "unknown option -x" -- grant -x "$mini"
expect "unknown option with a value" 2 "unknown option --colour" -- grant "$mini" --colour=red
expect "missing case" 2 "expected one case file" -- grant
expect "extra argument" 2 "unexpected argument extra.json" -- grant "$mini" extra.json
expect "json without value" 2 "--json needs a value" -- grant "$mini" --json
expect "json with an empty value" 2 "--json needs a value" -- grant "$mini" --json=
expect "-o without value" 2 "-o needs a value" -- grant "$mini" -o
expect "--output without value" 2 "--output needs a value" -- grant "$mini" --output
expect "--lang without value" 2 "--lang needs a value" -- grant "$mini" --lang
expect "workbook to stdout" 2 "-o needs a file name" -- grant "$mini" -o -
expect "usage on a usage error" 2 "usage: bpa grant" -- grant "$mini" --jobs 2
expect "help command" 0 "usage: bpa" -- help
expect "help grant" 0 "usage: bpa grant" -- help grant
expect "help settle" 0 "usage: bpa settle" -- help settle
expect "help of an unknown command" 2 "unknown command frobnicate" -- help frobnicate
expect "short help" 0 "usage: bpa" -- -h
expect "grant short help" 0 "usage: bpa grant" -- grant -h
expect "help after a file" 0 "usage: bpa grant" -- grant "$mini" --help
# a usage error prints nothing on stdout
$BPA grant "$mini" --jobs 2 >"$tmp/out" 2>/dev/null
if [ ! -s "$tmp/out" ]; then ok; else bad "a usage error wrote to stdout"; fi

# ---- the mini case, worked by hand ------------------------------------------
# 37 h/week work at 150.00 and 10 h/week on-call at 0.75 x 150.00 = 112.50,
# weeks52, 2025 (365 days). January (31 days):
#   work 37*52*31/365 = 163.40822 h x 150 = 24511.2329 -> 24511.23
#   on-call 10*52*31/365 = 44.16438 h x 112.50 = 4968.4931 -> 4968.49
#   wages 29479.72; admin 5.45 x 120/100 = 6.54 (R4) x 207.57260 h = 1357.5248 -> 1357.52
#   recipient 30837.24, paid bagud (association): last bank day 2025-01-31.
# May 2025: 29 May Kristi himmelfart, 30 May bank closing day, 31 May Saturday: 2025-05-28.
# Whole year: hours 47 x 52 = 2444; allowance 12 x 1000 = 12000.00, forud on
# the first bank day: 2 January (1 January is a holiday).
expect "mini --json -" 0 '"format": "bpa-grant-result/1"' -- grant "$mini" --json -
cp "$tmp/out" "$tmp/mini.json"
expect "mini --json=-" 0 '"format": "bpa-grant-result/1"' -- grant "$mini" --json=-
if cmp -s "$tmp/out" "$tmp/mini.json"; then ok; else bad "--json=- differs from --json -"; fi
expect "mini --json FILE" 0 "" -- grant "$mini" --json "$tmp/mini-file.json"
if cmp -s "$tmp/mini.json" "$tmp/mini-file.json"; then ok; else bad "--json FILE differs from --json -"; fi
# with --json FILE the summary still goes to stdout
if grep -q '^  Sagsnummer  *MINI-1$' "$tmp/out" && ! grep -q '"format"' "$tmp/out"; then ok; else
    bad "--json FILE: stdout is not the summary"; sed 's/^/  | /' "$tmp/out" | head -5; fi
$BPA grant "$mini" --json "$tmp/mini-again.json"  >/dev/null
if cmp -s "$tmp/mini-file.json" "$tmp/mini-again.json"; then ok; else bad "not reproducible"; fi
if ls -a "$tmp" | grep -q '^\.mini'; then bad "temporary file left behind"; else ok; fi
flatten "$tmp/mini.json"
check_fields "mini" "$tmp/mini.json.flat" <<EOF
case=MINI-1
months.0.wages=29479.72
months.0.admin=1357.52
months.0.recipient_amount=30837.24
months.0.due_date=2025-01-31
months.4.due_date=2025-05-28
months.0.allowance_due_date=2025-01-02
totals.hours=2444.0000
totals.allowance=12000.00
rates.1.hourly=112.50
EOF

# the summary (the default output): Danish for a dk- scheme, the same figures
expect "mini summary" 0 "Udmåling af tilskud til personlig assistance" -- grant "$mini"
cp "$tmp/out" "$tmp/mini.da"
expect "mini summary, English" 0 "Grant for personal assistance" -- grant "$mini" --lang en
cp "$tmp/out" "$tmp/mini.en"
expect "mini summary, Swedish" 0 "Beräkning av bidrag till personlig assistans" -- grant "$mini" --lang sv
cp "$tmp/out" "$tmp/mini.sv"
# has FILE NAME REGEX: a line of FILE matches REGEX (grep -E)
has() {
    if grep -qE -- "$3" "$1"; then ok; else bad "$2: no line matches /$3/"; sed 's/^/  | /' "$1" | head -40; fi
}
has "$tmp/mini.da" "da: case" '^  Sagsnummer +MINI-1$'
has "$tmp/mini.da" "da: scheme in words" '^  Ordning +SEL § 96, borgerstyret personlig assistance \(dk-sel-96\)$'
has "$tmp/mini.da" "da: employer" '^  Overdraget til +en forening$'
has "$tmp/mini.da" "da: payment form" '^  Udbetaling +bagud, til modtageren$'
has "$tmp/mini.da" "da: hours" '^  Bevilgede timer i alt +2\.444,00$'
has "$tmp/mini.da" "da: allowance" '^  Øvrige udgifter +12\.000,00$'
has "$tmp/mini.da" "da: January" '^  januar 2025 +30\.837,24 +31\.01\.2025 +1\.000,00 +02\.01\.2025$'
has "$tmp/mini.da" "da: May due" '^  maj 2025 +[0-9.]+,[0-9][0-9] +28\.05\.2025 '
has "$tmp/mini.da" "da: admin present" '^  Administrationstilskud +[1-9][0-9.]*,[0-9][0-9]$'
has "$tmp/mini.en" "en: hours" '^  Granted hours +2,444\.00$'
has "$tmp/mini.en" "en: January" '^  January 2025 +30,837\.24 +2025-01-31 +1,000\.00 +2025-01-02$'
has "$tmp/mini.en" "en: May due" '^  May 2025 +[0-9,]+\.[0-9][0-9] +2025-05-28 '
has "$tmp/mini.en" "en: payment form" '^  Payment +in arrears, to the recipient$'
has "$tmp/mini.sv" "sv: hours" '^  Beviljade timmar totalt +2 444,00$'
has "$tmp/mini.sv" "sv: January" '^  januari 2025 +30 837,24 +2025-01-31 +1 000,00 +2025-01-02$'
has "$tmp/mini.sv" "sv: payment form" '^  Utbetalning +i efterskott, till mottagaren$'
# the summary is rendered from the same result: same figures as the JSON
if ! grep -q '[{}"]' "$tmp/mini.da"; then ok; else bad "the summary looks like JSON"; fi

# an override is shown with its reason (RULES.md 6: every output shows it).
# 2000 a month above the cap of 1000: 12 x 2000 = 24000.00 allowance.
sed 's/"index.series"/"allowance.monthly_cap.96":[{"from":"2025-01-01","value":"1000","ref":"ex"}],"index.series"/' \
    "$here/data/mini-policy.json" >"$tmp/capped-policy.json"
sed -e 's/"mini-policy.json"/"capped-policy.json"/' -e 's/"allowance_monthly":"1000"/"allowance_monthly":"2000"/' \
    -e 's/"helpers":2,/"helpers":2,"overrides":[{"rule":"allowance_cap","reason":"decision 2025-117: documented extra costs"}],/' \
    "$mini" >"$tmp/override.json"
expect "override" 0 "" -- grant "$tmp/override.json"
cp "$tmp/out" "$tmp/override.da"
has "$tmp/override.da" "override: section" '^Tilsidesættelse af lofter, med begrundelse$'
has "$tmp/override.da" "override: rule and reason" '^  Loft over øvrige udgifter +decision 2025-117: documented extra costs$'
has "$tmp/override.da" "override: allowance" '^  Øvrige udgifter +24\.000,00$'
expect "override, English" 0 "Allowance cap" -- grant "$tmp/override.json" --lang en

# ---- workbooks -----------------------------------------------------------------
expect "grant workbook" 0 "" -- grant "$mini" -o "$tmp/mini.xlsx" --json "$tmp/wb.json"
if [ -s "$tmp/mini.xlsx" ] && [ -s "$tmp/wb.json" ]; then ok; else bad "workbook or JSON missing"; fi
$BPA grant "$mini" --output "$tmp/mini2.xlsx" --json "$tmp/wb2.json" >/dev/null 2>&1
if cmp -s "$tmp/mini.xlsx" "$tmp/mini2.xlsx"; then ok; else bad "--output: workbook not byte-identical to -o's"; fi
$BPA grant "$mini" --output="$tmp/mini3.xlsx" >/dev/null 2>&1
if cmp -s "$tmp/mini.xlsx" "$tmp/mini3.xlsx"; then ok; else bad "--output=FILE: workbook not byte-identical"; fi
expect "english workbook" 0 "" -- grant "$mini" -o "$tmp/mini-en.xlsx" --lang en --json "$tmp/wb-en.json"
expect "swedish workbook" 0 "" -- grant "$mini" -o "$tmp/mini-sv.xlsx" --lang sv
expect "bad --lang" 2 "--lang is da, en or sv, not fr" -- grant "$mini" --lang fr
expect "workbook into missing dir" 3 "$tmp/none/x.xlsx" -- grant "$mini" -o "$tmp/none/x.xlsx" --json "$tmp/wb3.json"
if [ ! -e "$tmp/wb3.json" ]; then ok; else bad "JSON written although the workbook failed"; fi
expect "settle help" 0 "usage: bpa settle" -- settle --help
expect "settle missing usage" 2 "expected a case file and a usage file" -- settle "$mini"

# ---- fixture cases with hand-worked totals (tests/cli/expected/*.totals) ------
# The JSON of every fixture, read once; its totals, months and due dates.
names=""
for exp in "$here"/expected/*.totals; do
    [ -e "$exp" ] || continue
    n=$(basename "$exp" .totals)
    if $BPA grant "$root/fixtures/cases/$n.json" --policy-dir "$root/fixtures/policies" \
        --json "$tmp/$n.json" >"$tmp/$n.da" 2>"$tmp/err" &&
        $BPA grant "$root/fixtures/cases/$n.json" --policy-dir "$root/fixtures/policies" \
            --lang en >"$tmp/$n.en" 2>"$tmp/err"; then
        names="$names $n"
    else
        bad "$n: grant failed"; cat "$tmp/err"
    fi
done
set -f
flatten $(for n in $names; do printf '%s ' "$tmp/$n.json"; done)
set +f
for n in $names; do
    # the .totals view of the result: totals.KEY as KEY, months and due as lists
    awk '
        { i = index($0, "="); k = substr($0, 1, i - 1); v = substr($0, i + 1) }
        k ~ /^totals\./ { print substr(k, 8) "=" v }
        k ~ /^months\.[0-9]+\.recipient_amount$/ { split(k, p, "."); m[p[2]] = v; if (p[2] + 1 > nm) nm = p[2] + 1 }
        k ~ /^months\.[0-9]+\.due_date$/ { split(k, p, "."); d[p[2]] = v }
        END {
            s = ""; t = ""
            for (i = 0; i < nm; i++) { s = s (i ? "," : "") m[i]; t = t (i ? "," : "") d[i] }
            print "months=" s; print "due=" t
        }' "$tmp/$n.json.flat" >"$tmp/$n.view"
    check_fields "$n" "$tmp/$n.view" "$here/expected/$n.totals"
done

# The summaries of the same fixtures, in Danish and English, hold the same
# hand-worked totals on their lines, each month's amount and due date in the
# language's notation (Danish "33.644,52" and "02.01.2025"), and the year's
# total to the recipient: the sum of the hand-worked months (in øre, exact).
# summary_check NAME LANG EXPECTED SUMMARY
summary_check() {
    if grep -q '^due=' "$3"; then dk94=0; else dk94=1; fi # section 94: nothing is paid out
    if [ "$2" = da ]; then
        set -- "$1" "$2" "$3" "$4" "Løn inkl. tillæg og arbejdsgiverudgifter" "Løn inkl. tillæg" \
            "Administrationstilskud" "Øvrige udgifter" "Tilskud i alt" "Lønbudget i alt" \
            "Lønadministration, loft" "Udbetalinger" "I alt"
    else
        set -- "$1" "$2" "$3" "$4" "Wages incl. supplements and add-ons" "Wages incl. supplements" \
            "Administration" "Allowance for other costs" "Grant in all" "Wage budget in all" \
            "Payroll administration cap" "Payments" "Total"
    fi
    sc_out=$(awk -v name="$1: summary ($2)" -v lang="$2" -v dk94="$dk94" \
        -v l_wages="$5" -v l_wages94="$6" -v l_admin="$7" -v l_allowance="$8" -v l_grant="$9" \
        -v l_grant94="${10}" -v l_cap="${11}" -v l_payments="${12}" -v l_total="${13}" "$lib_awk"'
        FNR == NR { i = index($0, "="); if (i && $0 !~ /^#/) e[substr($0, 1, i - 1)] = substr($0, i + 1); next }
        { line[++nl] = $0 }
        function fail(msg) { print "FAIL: " name ": " msg; nf++ }
        # the line "  LABEL ... VALUE"
        function total(key, label, zero_may_be_absent,    want, k) {
            if (!(key in e)) return
            want = people(e[key], lang, 2)
            for (k = 1; k <= nl; k++)
                if (index(line[k], "  " label " ") == 1) {
                    if (substr(line[k], length(line[k]) - length(want)) == " " want) n++
                    else fail(key ": \"" line[k] "\" does not end in " want)
                    return
                }
            if (!(zero_may_be_absent && e[key] == "0.00")) fail(key ": no line \"" label "\"")
        }
        END {
            total("wages", dk94 ? l_wages94 : l_wages, 0)
            total("grant", dk94 ? l_grant94 : l_grant, 0)
            total("admin", l_admin, dk94)
            total("allowance", l_allowance, dk94)
            total("payroll_admin_cap", l_cap, 1)
            if (!dk94) {
                nm = split(e["months"], m, ","); split(e["due"], d, ",")
                for (k = 1; k <= nl && line[k] != l_payments; k++) ;
                if (k > nl) fail("no section " l_payments)
                k++ # the column heads
                cents = 0
                for (j = 1; j <= nm; j++) {
                    row = line[k + j]
                    a = index(row, "  " people(m[j], lang, 2) "  "); b = index(row, "  " day(d[j], lang))
                    if (a && b > a) n++; else fail("month " j ": \"" row "\" lacks " people(m[j], lang, 2) " then " day(d[j], lang))
                    v = m[j]; sub(/\./, "", v); cents += v
                }
                sum = int(cents / 100) "." sprintf("%02d", cents % 100)
                row = line[k + nm + 1]
                if (index(row, "  " l_total " ") == 1 && index(row, " " people(sum, lang, 2))) n++
                else fail("the total row \"" row "\" lacks " people(sum, lang, 2))
            }
            print "passed " n + 0
        }' "$3" "$4")
    lib_count "$sc_out"
}
for n in $names; do
    summary_check "$n" da "$here/expected/$n.totals" "$tmp/$n.da"
    summary_check "$n" en "$here/expected/$n.totals" "$tmp/$n.en"
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
mk early.json "{$base,\"decisions\":[{\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"hours\":[$line]}]}"
sed 's/"2025-01-01","value":"150.00"/"2025-03-01","value":"150.00"/' "$tmp/mini-policy.json" >"$tmp/late-policy.json"
sed 's/mini-policy.json/late-policy.json/' "$tmp/early.json" >"$tmp/early2.json"
expect "parameter before its first value" 1 'has no value on 2025-01-01 (its first value is from 2025-03-01)' -- grant "$tmp/early2.json"
mk cap.json "{$base,\"decisions\":[{\"from\":\"2025-01-01\",\"to\":\"2025-12-31\",\"allowance_monthly\":\"2000\",\"hours\":[$line]}]}"
printf '%s' "$(sed 's/"index.series"/"allowance.monthly_cap.96":[{"from":"2025-01-01","value":"1000","ref":"ex"}],"index.series"/' "$tmp/mini-policy.json")" >"$tmp/mini-policy.json.new" && mv "$tmp/mini-policy.json.new" "$tmp/mini-policy.json"
expect "cap exceeded" 1 'exceeds allowance.monthly_cap.96 = 1000.00' -- grant "$tmp/cap.json"
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
expect "missing output dir" 3 "$tmp/no/such/dir/out.json" -- grant "$mini" --json "$tmp/no/such/dir/out.json"
if [ ! -e "$tmp/no" ]; then ok; else bad "output directory created"; fi
if [ ! -s "$tmp/out" ]; then ok; else bad "a failed run printed its summary"; fi
echo "old" >"$tmp/keep.json"
$BPA grant "$tmp/negative.json" --json "$tmp/keep.json" >/dev/null 2>&1
if [ "$(cat "$tmp/keep.json")" = "old" ]; then ok; else bad "failed run replaced an existing output"; fi

# ---- where policies come from; a stdout that cannot be written ---------------
alb="$root/fixtures/cases/alb-2025-full-year.json"
mkdir -p "$tmp/nopol"
BPA_POLICY_DIR="$tmp/nopol" $BPA grant "$alb" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -qF "policy error: $tmp/nopol/albertslund.json" "$tmp/err"; then ok; else
    bad "BPA_POLICY_DIR not used: exit $rc"; sed 's/^/  | /' "$tmp/err" | head -3; fi
BPA_POLICY_DIR="$root/fixtures/policies" $BPA grant "$alb" --json - >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && grep -qF '"grant": "410633.51"' "$tmp/out"; then ok; else bad "BPA_POLICY_DIR=fixtures"; fi
# --policy-dir wins over the environment
BPA_POLICY_DIR="$tmp/nopol" $BPA grant "$alb" --policy-dir "$root/fixtures/policies" >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ]; then ok; else bad "--policy-dir did not win over BPA_POLICY_DIR"; fi
# a policy whose id is not the one the case names
sed 's/"id": *"albertslund"/"id": "elsewhere"/' "$root/fixtures/policies/albertslund.json" >"$tmp/nopol/albertslund.json"
expect "policy id mismatch" 1 '$.id: the file'"'"'s id "elsewhere" does not match the case'"'"'s policy "albertslund"' -- \
    grant "$alb" --policy-dir "$tmp/nopol"
if [ -w /dev/full ]; then
    for out in "" "--json -"; do
        # shellcheck disable=SC2086 # $out is an option and its value, or nothing
        $BPA grant "$alb" --policy-dir "$root/fixtures/policies" $out >/dev/full 2>"$tmp/err"
        rc=$?
        if [ "$rc" -eq 3 ] && grep -qF "<stdout>: write failed" "$tmp/err"; then ok; else
            bad "stdout on /dev/full ($out): exit $rc"; sed 's/^/  | /' "$tmp/err" | head -3; fi
    done
fi

finish cli
