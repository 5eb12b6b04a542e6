#!/bin/sh
# Command-line tests of `bpa settle`: the 1 March account (RULES.md 8.1-8.2),
# its timesheets (RULES.md 4, 8.1, 12) and its bad inputs (RULES.md 11).
# Usage: BPA=path/to/bpa sh tests/cli/settle.sh   ($BPA may carry a prefix, e.g. valgrind)
#
# Expected figures are worked out by hand with Python fractions
# (docs/handcalc.py --settle, written from RULES.md, never from the engine's
# output); the arithmetic is in the comments of tests/cli/expected/<case>.settle
# and in docs/settlement.md.
. "$(dirname "$0")/lib.sh"
cases=$root/fixtures/cases
usage=$root/fixtures/usage
pols=$root/fixtures/policies

# settle CASE USAGE [ARGS...]: the account of a case (the summary on stdout,
# unless ARGS say --json -)
settle() {
    c=$1 u=$2
    shift 2
    $BPA settle "$c" "$u" --policy-dir "$pols" "$@"
}

# ---- usage of the command ----------------------------------------------------
expect "settle help" 0 "usage: bpa settle" -- settle --help
expect "settle without usage file" 2 "expected a case file and a usage file" -- settle "$cases/alb-2025-full-year.json"
expect "settle json without value" 2 "--json needs a value" -- \
    settle "$cases/alb-2025-full-year.json" "$usage/alb-2025-full-year.json" --json
expect "settle unknown option" 2 "unknown option --jobs" -- \
    settle "$cases/alb-2025-full-year.json" "$usage/alb-2025-full-year.json" --jobs 2
expect "settle extra argument" 2 "unexpected argument x.json" -- \
    settle "$cases/alb-2025-full-year.json" "$usage/alb-2025-full-year.json" x.json
expect "settle bad --lang" 2 "--lang is da, en or sv, not de" -- \
    settle "$cases/alb-2025-full-year.json" "$usage/alb-2025-full-year.json" --lang de

# ---- fixture accounts checked by hand (tests/cli/expected/<case>.settle) ------
# Each .settle file holds the hand arithmetic as comments and then KEY=VALUE
# lines, KEY a path into the result JSON: every balance line, the balance,
# direction, due date, pools, carry-over, categories, months and helpers.
# Every account is computed once as JSON (read once) and as the summary in
# Danish and in English.
names=""
for exp in "$here"/expected/*.settle; do
    [ -e "$exp" ] || continue
    n=$(basename "$exp" .settle)
    case $n in se-*) continue ;; esac # Swedish: "key value" lines of bpa-se-settlement-result/1
    if settle "$cases/$n.json" "$usage/$n.json" --json "$tmp/$n.json" >"$tmp/$n.da" 2>"$tmp/err" &&
        settle "$cases/$n.json" "$usage/$n.json" --lang en >"$tmp/$n.en" 2>"$tmp/err"; then
        names="$names $n"
    else
        bad "$n: settle failed"; cat "$tmp/err"
    fi
done
set -f
flatten $(for n in $names; do printf '%s ' "$tmp/$n.json"; done)
set +f
for n in $names; do
    field_is "$n format" "$tmp/$n.json.flat" format bpa-settlement-result/1
    check_fields "$n" "$tmp/$n.json.flat" "$here/expected/$n.settle"
done

# The two accounts worked in full in docs/settlement.md, spelled out here too.
# alb-2025-full-year: pool "all" G = 2444 h, U = 2211 h (used rows) + 122 h
# (timesheet) = 2333 h, a = 398633.51/2444; unused 111 h -> 18104.88; carry-over
# 30 h (limit 5 % x 2444 = 122.2 h) -> 4893.21; line 1 = 13211.67; November
# paid 34485.71 instead of 33373.27: line 4 = +1112.44; balance 14324.11 repay,
# due 2026-03-01 (settlement.account_due 03-01 of the following year).
# 22:00-06:00 across 30 March is 7 h, across 26 October 9 h; two hours of
# 2024-12-31 and two of 2026-01-01 are reported, not counted.
check_fields "full year" "$tmp/alb-2025-full-year.json.flat" <<END
lines.unused_hours=13211.67
lines.admin=0.00
lines.payroll_admin=0.00
lines.payments=1112.44
lines.actual_cost_cap=0.00
balance=14324.11
direction=repay
due_date=2026-03-01
outside_year_hours.work=4.0000
END
# alb-2025-transferred-association: G = 7176 + 30 carried in = 7206 h,
# U = 6949 h, a = 54443667/50 / 7206; unused 257 h -> 38834.37; carry-over
# 40 h -> 6044.26; line 1 = 32790.11; line 2 = round((7206 - 6949 - 40) x
# 46931.03 / 7206) = round(1413.271372) = 1413.27; March paid 500.00 short:
# line 4 = -500.00; balance 33703.38 repay.
check_fields "transferred" "$tmp/alb-2025-transferred-association.json.flat" <<END
lines.unused_hours=32790.11
lines.admin=1413.27
lines.payroll_admin=0.00
lines.payments=-500.00
lines.actual_cost_cap=0.00
balance=33703.38
direction=repay
due_date=2026-03-01
END
# payroll association: paid 6500.00 - min(invoices 6500.00, cap 6126.72) = 373.28
field_is "payroll line 3" "$tmp/alb-2025-payroll-association.json.flat" lines.payroll_admin 373.28
# mid-year change: max(0, 557901.05 - 3392.91 - 541250.00) = 13258.14
field_is "actual costs line 5" "$tmp/alb-2025-mid-year-change.json.flat" lines.actual_cost_cap 13258.14

# ---- the summary: the same hand-worked figures, in the language's notation ----
# Each of the five lines by name, ending in its amount; the balance with its
# direction in words; the due date; the pool's granted, used, unused and
# overused hours (two decimals) on the pool's line, as the pool nets them.
# settle_summary_check NAME LANG EXPECTED SUMMARY
settle_summary_check() {
    if [ "$2" = da ]; then
        set -- "$1" "$2" "$3" "$4" "Linje 1: ubrugte timer" "Linje 2: administration" \
            "Linje 3: lønadministration" "Linje 4: udbetalinger" "Linje 5: faktiske lønudgifter" \
            "Saldo" "Regnskabet afleveres senest" "tilbagebetales til kommunen" \
            "udbetales til modtageren" "afregnet: intet at betale" "Alle timer"
    else
        set -- "$1" "$2" "$3" "$4" "Line 1: unused hours" "Line 2: administration" \
            "Line 3: payroll administration" "Line 4: payments" "Line 5: actual-cost cap" \
            "Balance" "The account is due" "to repay to the municipality" \
            "to pay out to the recipient" "settled: nothing to pay" "All hours"
    fi
    sc_out=$(awk -v name="$1: summary ($2)" -v lang="$2" -v l1="$5" -v l2="$6" -v l3="$7" \
        -v l4="$8" -v l5="$9" -v l_balance="${10}" -v l_due="${11}" -v w_repay="${12}" \
        -v w_pay_out="${13}" -v w_settled="${14}" -v l_all="${15}" "$lib_awk"'
        FNR == NR { i = index($0, "="); if (i && $0 !~ /^#/) e[substr($0, 1, i - 1)] = substr($0, i + 1); next }
        { line[++nl] = $0 }
        function fail(msg) { print "FAIL: " name ": " msg }
        function find(label,    k) {
            for (k = 1; k <= nl; k++) if (index(line[k], "  " label " ") == 1) return k
            return 0
        }
        # the line "  LABEL ... WANT"
        function ends(label, want,    k) {
            k = find(label)
            if (!k) { fail("no line \"" label "\""); return }
            if (substr(line[k], length(line[k]) - length(want)) == " " want) n++
            else fail("\"" line[k] "\" does not end in \"" want "\"")
        }
        END {
            ends(l1, people(e["lines.unused_hours"], lang, 2))
            ends(l2, people(e["lines.admin"], lang, 2))
            ends(l3, people(e["lines.payroll_admin"], lang, 2))
            ends(l4, people(e["lines.payments"], lang, 2))
            ends(l5, people(e["lines.actual_cost_cap"], lang, 2))
            words = e["direction"] == "repay" ? w_repay : e["direction"] == "pay_out" ? w_pay_out : w_settled
            ends(l_balance, people(e["balance"], lang, 2) "  " words)
            ends(l_due, day(e["due_date"], lang))
            # the pool "all" of the fixtures: granted, used, unused, overused
            if (e["pools.0.pool"] == "all") {
                want = people(e["pools.0.granted"], lang, 2) " +" people(e["pools.0.used"], lang, 2) \
                    " +" people(e["pools.0.unused"], lang, 2) " +" people(e["pools.0.overused"], lang, 2)
                gsub(/\./, "[.]", want)
                k = find(l_all)
                if (k && match(line[k], "^  " l_all " +" want "( |$)")) n++
                else fail("the pool line \"" line[k] "\" lacks /" want "/")
            }
            print "passed " n + 0
        }' "$3" "$4")
    lib_count "$sc_out"
}
for n in $names; do
    settle_summary_check "$n" da "$here/expected/$n.settle" "$tmp/$n.da"
    settle_summary_check "$n" en "$here/expected/$n.settle" "$tmp/$n.en"
done
# Swedish on request: "14 324,11", ISO dates
settle "$cases/alb-2025-full-year.json" "$usage/alb-2025-full-year.json" --lang sv >"$tmp/full.sv" 2>"$tmp/err"
if grep -qE '^  Saldo +14 324,11  återbetalas till kommunen$' "$tmp/full.sv" &&
    grep -qE '^  Avräkningen ska lämnas senast +2026-03-01$' "$tmp/full.sv"; then ok; else
    bad "Swedish account summary"; sed 's/^/  | /' "$tmp/full.sv" "$tmp/err" | head -30; fi

# --json - and --json FILE write the same bytes; a second run is byte-identical
expect "settle --json -" 0 '"format": "bpa-settlement-result/1"' -- settle "$cases/alb-2025-full-year.json" \
    "$usage/alb-2025-full-year.json" --policy-dir "$pols" --json -
if cmp -s "$tmp/alb-2025-full-year.json" "$tmp/out"; then ok; else bad "--json - differs from --json FILE"; fi
settle "$cases/alb-2025-full-year.json" "$usage/alb-2025-full-year.json" --json "$tmp/again.json" >/dev/null 2>&1
if cmp -s "$tmp/alb-2025-full-year.json" "$tmp/again.json"; then ok; else bad "settle not reproducible"; fi
expect "settle workbook" 0 "Saldo" -- settle "$cases/alb-2025-full-year.json" \
    "$usage/alb-2025-full-year.json" --policy-dir "$pols" --output "$tmp/account.xlsx"
if [ -s "$tmp/account.xlsx" ]; then ok; else bad "settle --output: no workbook"; fi

# ---- a timesheet with a BOM and CRLF line ends gives the same account ---------
mkdir -p "$tmp/crlf/timesheets" "$tmp/crlf/usage"
printf '\357\273\277' >"$tmp/crlf/timesheets/alb-2025-full-year.csv"
sed 's/$/\r/' "$root/fixtures/timesheets/alb-2025-full-year.csv" >>"$tmp/crlf/timesheets/alb-2025-full-year.csv"
cp "$usage/alb-2025-full-year.json" "$tmp/crlf/usage/full.json"
if head -c 3 "$tmp/crlf/timesheets/alb-2025-full-year.csv" | od -An -tx1 | grep -q 'ef bb bf' &&
    grep -q "$(printf '\r')" "$tmp/crlf/timesheets/alb-2025-full-year.csv"; then ok; else bad "BOM+CRLF copy not made"; fi
expect "BOM and CRLF accepted" 0 '"balance": "14324.11"' -- \
    settle "$cases/alb-2025-full-year.json" "$tmp/crlf/usage/full.json" --policy-dir "$pols" --json -
cp "$tmp/out" "$tmp/crlf.json"
flatten "$tmp/crlf.json"
check_fields "BOM and CRLF" "$tmp/crlf.json.flat" <<END
outside_year_hours.work=4.0000
helpers.3.helper=Hansen, Dorte
helpers.3.hours=20.5000
END

# ---- bad usage files (RULES.md 8.1, 11, 12): exit 1, file and place named -----
full=$cases/alb-2025-full-year.json
head='"format":"bpa-usage/1","case":"ALB-2025-0001","year":2025'
mk() { printf '%s\n' "$2" >"$tmp/$1"; }

expect "usage for another case" 1 'usage is for case "ALB-2025-0003", the case file is "ALB-2025-0001"' -- \
    settle "$full" "$usage/alb-2025-transferred-association.json" --policy-dir "$pols"
mk year.json '{"format":"bpa-usage/1","case":"ALB-2025-0001","year":2024}'
expect "wrong year" 1 "usage year 2024 is not the case year 2025" -- settle "$full" "$tmp/year.json" --policy-dir "$pols"
mk month.json "{$head,\"used\":[{\"month\":\"2024-12\",\"kind\":\"work\",\"band\":\"day\",\"step\":11,\"hours\":\"5\"}]}"
expect "used month outside the year" 1 'month 2024-12 lies outside the settlement year 2025' -- \
    settle "$full" "$tmp/month.json" --policy-dir "$pols"
expect "used month outside the year: place" 1 'month.json:1:' -- settle "$full" "$tmp/month.json" --policy-dir "$pols"
mk negative.json "{$head,\"invoices\":[{\"date\":\"2025-05-01\",\"amount\":\"-5.00\",\"for\":\"payroll_admin\"}]}"
expect "negative invoice" 1 '$.invoices[0].amount: "-5.00" is not accepted: negative values are not allowed' -- \
    settle "$full" "$tmp/negative.json" --policy-dir "$pols"
mk negcarry.json "{$head,\"carry_in\":[{\"kind\":\"work\",\"band\":\"day\",\"step\":11,\"hours\":\"1\",\"value\":\"-1.00\"}]}"
expect "negative carried-in value" 1 '$.carry_in[0].value' -- settle "$full" "$tmp/negcarry.json" --policy-dir "$pols"
mk cents.json "{$head,\"payments\":[{\"date\":\"2025-05-01\",\"amount\":\"5.001\",\"for\":\"grant\"}]}"
expect "payment with 3 decimals" 1 '$.payments[0].amount: "5.001" is not accepted: too many decimals' -- \
    settle "$full" "$tmp/cents.json" --policy-dir "$pols"
mk refund.json "{$head,\"payments\":[{\"date\":\"2025-05-01\",\"amount\":\"-5.00\",\"for\":\"grant\"}]}"
# a payment may be negative (a refund). Nothing is used, so all 2444 h are
# unused: line 1 = round(2444 x 398633.51/2444) = 398633.51; line 4 = -5.00 -
# 398633.51 = -398638.51; balance -5.00
expect "negative payment (refund) accepted" 0 '"payments": "-398638.51"' -- settle "$full" "$tmp/refund.json" --policy-dir "$pols" --json -
cp "$tmp/out" "$tmp/refund-out.json"
flatten "$tmp/refund-out.json"
check_fields "refund" "$tmp/refund-out.json.flat" <<END
balance=-5.00
direction=pay_out
END
# ... and the summary says so in words
expect "refund summary" 0 "udbetales til modtageren" -- settle "$full" "$tmp/refund.json" --policy-dir "$pols"
if grep -qE '^  Saldo +-5,00  udbetales til modtageren$' "$tmp/out"; then ok; else bad "refund summary: balance line"; fi
mk unknown.json "{$head,\"colour\":\"red\"}"
expect "unknown key" 1 '$.colour: unknown key "colour"' -- settle "$full" "$tmp/unknown.json" --policy-dir "$pols"
mk unknown2.json "{$head,\"payments\":[{\"date\":\"2025-05-01\",\"amount\":\"5.00\",\"for\":\"grant\",\"note\":\"x\"}]}"
expect "unknown key in a payment" 1 '$.payments[0].note: unknown key "note"' -- settle "$full" "$tmp/unknown2.json" --policy-dir "$pols"
mk format.json '{"format":"bpa-usage/2","case":"ALB-2025-0001","year":2025}'
expect "wrong format" 1 'expected "bpa-usage/1"' -- settle "$full" "$tmp/format.json" --policy-dir "$pols"
mk fraction.json "{$head,\"used\":[{\"month\":\"2025-01\",\"kind\":\"work\",\"band\":\"day\",\"step\":11,\"hours\":12.5}]}"
expect "fractional JSON number" 1 'write it as a string: "12.5"' -- settle "$full" "$tmp/fraction.json" --policy-dir "$pols"
mk oncallband.json "{$head,\"used\":[{\"month\":\"2025-01\",\"kind\":\"on_call\",\"band\":\"night\",\"step\":11,\"hours\":\"5\"}]}"
expect "on-call band without supplements" 1 'on_call.supplements is false' -- settle "$full" "$tmp/oncallband.json" --policy-dir "$pols"
mk payroll.json "{$head,\"payments\":[{\"date\":\"2025-05-01\",\"amount\":\"500.00\",\"for\":\"payroll_admin\"}]}"
expect "payroll_admin payment, employer citizen" 1 'payroll_admin payments belong to employer "payroll_association"; this case'"'"'s employer is "citizen"' -- \
    settle "$full" "$tmp/payroll.json" --policy-dir "$pols"
mk invoice.json "{$head,\"invoices\":[{\"date\":\"2025-05-01\",\"amount\":\"500.00\",\"for\":\"payroll_admin\"}]}"
expect "invoice, employer citizen" 1 'invoices for payroll administration belong to employer "payroll_association"' -- \
    settle "$full" "$tmp/invoice.json" --policy-dir "$pols"

# carry-over: the full-year account has one pool "all" with 111 unused hours
# and a limit of 5 % x 2444 = 122.2 hours
sed 's/{"pool": "all", "hours": "30"}/{"pool": "work", "hours": "1"}/' "$usage/alb-2025-full-year.json" |
    sed 's#\.\./timesheets/#'"$root"'/fixtures/timesheets/#' >"$tmp/nopool.json"
expect "carry-over pool that does not exist" 1 'no pool "work" in this account' -- settle "$full" "$tmp/nopool.json" --policy-dir "$pols"
sed 's/{"pool": "all", "hours": "30"}/{"pool": "all", "hours": "111.01"}/' "$usage/alb-2025-full-year.json" |
    sed 's#\.\./timesheets/#'"$root"'/fixtures/timesheets/#' >"$tmp/above.json"
expect "carry-over above unused hours" 1 'exceeds the 111.00 unused hours of pool all' -- settle "$full" "$tmp/above.json" --policy-dir "$pols"
sed 's/{"pool": "all", "hours": "30"}/{"pool": "all", "hours": "111"}/' "$usage/alb-2025-full-year.json" |
    sed 's#\.\./timesheets/#'"$root"'/fixtures/timesheets/#' >"$tmp/allunused.json"
# all 111 unused hours carried over: line 1 = round(111 a) - round(111 a) = 0.00
expect "carry-over of all unused hours" 0 '"unused_hours": "0.00"' -- settle "$full" "$tmp/allunused.json" --policy-dir "$pols" --json -
sed 's/{"pool": "all", "hours": "30"}/{"pool": "all", "hours": "30"}, {"pool": "all", "hours": "1"}/' "$usage/alb-2025-full-year.json" |
    sed 's#\.\./timesheets/#'"$root"'/fixtures/timesheets/#' >"$tmp/twice.json"
expect "carry-over pool named twice" 1 'pool "all" named twice in carry_over' -- settle "$full" "$tmp/twice.json" --policy-dir "$pols"
# above the limit: no hours used, so 2444 unused; 122.2 h is allowed, 122.21 is not
mk limit-ok.json "{$head,\"carry_over\":[{\"hours\":\"122.2\"}]}"
expect "carry-over at the 5 % limit" 0 '"hours": "122.2000"' -- settle "$full" "$tmp/limit-ok.json" --policy-dir "$pols" --json -
mk limit.json "{$head,\"carry_over\":[{\"hours\":\"122.21\"}]}"
expect "carry-over above carry_over_max_pct" 1 'exceeds settlement.carry_over_max_pct' -- settle "$full" "$tmp/limit.json" --policy-dir "$pols"
# a policy without settlement.carry_over_max_pct: the default 0 allows none
mkdir -p "$tmp/pol0"
grep -v '"settlement.carry_over_max_pct"' "$pols/albertslund.json" >"$tmp/pol0/albertslund.json"
expect "carry-over with the default limit 0" 1 'exceeds settlement.carry_over_max_pct' -- \
    settle "$full" "$tmp/limit-ok.json" --policy-dir "$tmp/pol0"
mk zero.json "{$head,\"carry_over\":[{\"hours\":\"0\"}]}"
expect "carry-over of 0 hours with the default limit 0" 0 '"balance"' -- settle "$full" "$tmp/zero.json" --policy-dir "$tmp/pol0" --json -

# section 94: no settlement
mk dk94.json '{"format":"bpa-usage/1","case":"HER-2025-0094-H","year":2025}'
expect "section 94 settlement" 1 'there is no annual settlement for section 94' -- \
    settle "$cases/her-2025-94-hourly.json" "$tmp/dk94.json" --policy-dir "$pols"

# ---- bad timesheets: exit 1, file and line named --------------------------------
# ts NAME CONTENT: a timesheet and a usage file naming it
ts() {
    printf '%s' "$2" >"$tmp/$1.csv"
    printf '{%s,"timesheets":["%s.csv"]}\n' "$head" "$1" >"$tmp/$1.json"
}
hdr='helper,date,start,end,kind,step\n'
ts overlap "$(printf "${hdr}Anna,2025-03-03,08:00,12:00,work,11\nBo,2025-03-03,08:00,12:00,work,11\nAnna,2025-03-03,11:30,13:00,work,11\n")"
expect "overlapping shifts" 1 'overlap.csv:4: the shift of helper "Anna" on line 4 (from 2025-03-03 11:30) overlaps the shift at' -- \
    settle "$full" "$tmp/overlap.json" --policy-dir "$pols"
expect "overlapping shifts: both lines" 1 'overlap.csv:2 (2025-03-03 08:00 to 2025-03-03 12:00)' -- \
    settle "$full" "$tmp/overlap.json" --policy-dir "$pols"
# a work shift and an on-call shift of one helper overlap too
ts overlap2 "$(printf "${hdr}Anna,2025-03-03,22:00,06:00,on_call,11\nAnna,2025-03-04,05:00,09:00,work,11\n")"
expect "work overlapping on-call" 1 'overlap2.csv:3: the shift of helper "Anna" on line 3' -- \
    settle "$full" "$tmp/overlap2.json" --policy-dir "$pols"
# overlapping across two files names both files
printf "${hdr}Anna,2025-03-03,08:00,12:00,work,11\n" >"$tmp/a.csv"
printf "${hdr}Anna,2025-03-03,11:00,14:00,work,11\n" >"$tmp/b.csv"
mk twofiles.json "{$head,\"timesheets\":[\"a.csv\",\"b.csv\"]}"
expect "overlap across files" 1 "overlaps the shift at $tmp/a.csv:2" -- settle "$full" "$tmp/twofiles.json" --policy-dir "$pols"
# touching shifts are fine: 08:00-12:00 and 12:00-14:00 on Monday 3 March = 6 h day
ts touch "$(printf "${hdr}Anna,2025-03-03,08:00,12:00,work,11\nAnna,2025-03-03,12:00,14:00,work,11\n")"
expect "touching shifts" 0 '"hours": "6.0000"' -- settle "$full" "$tmp/touch.json" --policy-dir "$pols" --json -
ts order "$(printf "${hdr}Anna,2025-03-04,08:00,12:00,work,11\nAnna,2025-03-03,08:00,12:00,work,11\n")"
# rows in any order (RULES.md 8.1): Tuesday before Monday, 4 h day each
expect "shifts out of time order" 0 '"hours": "8.0000"' -- \
    settle "$full" "$tmp/order.json" --policy-dir "$pols" --json -
ts gap "$(printf "${hdr}Anna,2025-03-30,02:30,09:00,work,11\n")"
expect "start in the summer-time gap" 1 'gap.csv:2: start 02:30 on 2025-03-30 does not exist (summer time begins)' -- \
    settle "$full" "$tmp/gap.json" --policy-dir "$pols"
ts gapend "$(printf "${hdr}Anna,2025-03-29,22:00,02:00,work,11\n")"
expect "end in the summer-time gap" 1 'gapend.csv:2: end 02:00 on 2025-03-30 does not exist' -- \
    settle "$full" "$tmp/gapend.json" --policy-dir "$pols"
ts column "$(printf "helper,date,start,end,kind,pay\nAnna,2025-03-03,08:00,12:00,work,11\n")"
expect "unknown column" 1 'column.csv:1: unknown column "pay"' -- settle "$full" "$tmp/column.json" --policy-dir "$pols"
ts twice "$(printf "helper,date,start,end,kind,date\n")"
expect "column named twice" 1 'column "date" is named twice' -- settle "$full" "$tmp/twice.json" --policy-dir "$pols"
ts lacks "$(printf "helper,date,start,kind\n")"
expect "required column missing" 1 'lacks the required column "end"' -- settle "$full" "$tmp/lacks.json" --policy-dir "$pols"
ts count "$(printf "${hdr}Anna,2025-03-03,08:00,12:00,work\n")"
expect "wrong column count" 1 'count.csv:2: the row has 5 fields but the header has 6' -- \
    settle "$full" "$tmp/count.json" --policy-dir "$pols"
ts latin1 "$(printf "${hdr}Anna,2025-03-03,08:00,12:00,work,11\nS\370ren,2025-03-03,08:00,12:00,work,11\n")"
expect "non-UTF-8 bytes" 1 'latin1.csv:3:' -- settle "$full" "$tmp/latin1.json" --policy-dir "$pols"
expect "non-UTF-8 bytes: message" 1 'not UTF-8' -- settle "$full" "$tmp/latin1.json" --policy-dir "$pols"
ts kind "$(printf "${hdr}Anna,2025-03-03,08:00,12:00,rest,11\n")"
expect "unknown kind" 1 'kind.csv:2: column "kind": "rest" is not a kind' -- settle "$full" "$tmp/kind.json" --policy-dir "$pols"
ts clock "$(printf "${hdr}Anna,2025-03-03,8.00,12:00,work,11\n")"
expect "bad clock time" 1 'clock.csv:2: column "start": "8.00" is not a clock time' -- settle "$full" "$tmp/clock.json" --policy-dir "$pols"
# H:MM and 24:00 (RULES.md 8.1): 8:00-12:00 and 20:00-24:00 on Monday 3 March, 8 h
ts hmm "$(printf "${hdr}Anna,2025-03-03,8:00,12:00,work,11\nAnna,2025-03-03,20:00,24:00,work,11\n")"
expect "H:MM and 24:00" 0 '"hours": "8.0000"' -- settle "$full" "$tmp/hmm.json" --policy-dir "$pols" --json -
ts empty ""
expect "empty timesheet" 1 'the timesheet is empty' -- settle "$full" "$tmp/empty.json" --policy-dir "$pols"
mk missing.json "{$head,\"timesheets\":[\"no-such.csv\"]}"
expect "missing timesheet file" 1 "$tmp/no-such.csv: cannot open" -- settle "$full" "$tmp/missing.json" --policy-dir "$pols"
# paths are relative to the usage file, not to the working directory
mkdir -p "$tmp/sub/deeper"
printf "${hdr}Anna,2025-03-03,08:00,12:00,work,\n" >"$tmp/sub/deeper/rel.csv"
mk sub/rel.json "{$head,\"timesheets\":[\"deeper/rel.csv\"]}"
expect "timesheet path relative to the usage file" 0 '"used": "4.0000"' -- settle "$full" "$tmp/sub/rel.json" --policy-dir "$pols" --json -
# without a step column every shift takes the grant's only step (11)
ts nostep "$(printf "helper,date,start,end,kind\nAnna,2025-03-03,08:00,12:00,work\n")"
expect "no step column" 0 '"step": 11' -- settle "$full" "$tmp/nostep.json" --policy-dir "$pols" --json -

# a failed run leaves an existing output alone
echo "old" >"$tmp/keep.json"
$BPA settle "$full" "$tmp/gap.json" --policy-dir "$pols" --json "$tmp/keep.json" 2>/dev/null
if [ "$(cat "$tmp/keep.json")" = "old" ]; then ok; else bad "failed settle replaced an existing output"; fi

finish settle
