#!/bin/sh
# warnings[] (RULES.md 9): on standard error as "bpa: warning: <message>
# (<where>)", in the JSON after overrides[], exit status still 0; and a case
# without the mistakes gets none of the settlement's own warnings.
. "$(dirname "$0")/lib.sh"
pol=$root/fixtures/policies
alb=$root/fixtures/cases/alb-2025-full-year.json
aar25=$here/data/aarhus-2025.json
aar21=$root/fixtures/cases/aarhus-2021-tariff-change.json

# warns FILE CODE...: the JSON's warnings[] codes are exactly CODE... in order
warns() {
    f=$1; shift
    got=$($PYTHON -c 'import json,sys; print(" ".join(w["code"] for w in json.load(open(sys.argv[1]))["warnings"]))' "$f")
    if [ "$got" = "$*" ]; then ok; else bad "$f: warnings [$got], expected [$*]"; fi
}
has() { # has NAME FILE FRAGMENT
    if grep -qF -- "$3" "$2"; then ok; else bad "$1: lacks '$3'"; sed 's/^/  | /' "$2" | head -5; fi
}
hasnt() {
    if grep -qF -- "$3" "$2"; then bad "$1: has '$3'"; else ok; fi
}

# a 2025 case on aarhus, whose tariffs end 1.4.2021: wage.hourly.12 from
# 2021-04-01 + 18 months = 2022-10-01, read on 2025-02-01 (the decision's start)
$BPA grant "$aar25" --policy-dir "$pol" --json - >"$tmp/a25.json" 2>"$tmp/a25.err"
rc=$?; [ "$rc" -eq 0 ] && ok || bad "aarhus 2025: exit $rc"
warns "$tmp/a25.json" example_value old_value
has "aarhus 2025 stderr" "$tmp/a25.err" "bpa: warning: Hourly wage, step 12 (wage.hourly.12, from 2021-04-01) was read for 2025-02-01, more than 18 months after it took effect"
has "aarhus 2025 stderr where" "$tmp/a25.err" "(aarhus.json, wage.hourly.12, from 2021-04-01)"
$BPA grant "$aar25" --policy-dir "$pol" >"$tmp/a25.da" 2>/dev/null
has "aarhus 2025 summary" "$tmp/a25.da" "Advarsler"
has "aarhus 2025 summary, Danish dates" "$tmp/a25.da" "er brugt 01.02.2025, mere end 18 måneder"
$BPA grant "$aar25" --policy-dir "$pol" --lang en >"$tmp/a25.en" 2>/dev/null
has "aarhus 2025 summary en" "$tmp/a25.en" "Warnings"
# the summary sheet of the workbook, in Danish
$BPA grant "$aar25" --policy-dir "$pol" -o "$tmp/a25.xlsx" >/dev/null 2>&1
$PYTHON -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode())' "$tmp/a25.xlsx" >"$tmp/a25.strings"
has "aarhus 2025 workbook" "$tmp/a25.strings" "<t>Advarsler</t>"
has "aarhus 2025 workbook old_value" "$tmp/a25.strings" "er brugt 01.02.2025, mere end 18 måneder efter den gælder fra"
has "aarhus 2025 workbook example_value" "$tmp/a25.strings" "er et eksempel ifølge regelsættets kilde"
# the 2021 case reads the same entries within 18 months: no old_value
$BPA grant "$aar21" --policy-dir "$pol" --json - >"$tmp/a21.json" 2>"$tmp/a21.err"
warns "$tmp/a21.json" example_value example_value example_value example_value
hasnt "aarhus 2021 stderr" "$tmp/a21.err" "more than 18 months"
# the JSON places warnings[] right after overrides[]
keys=$($PYTHON -c 'import json,sys; k=list(json.load(open(sys.argv[1]))); print(k[k.index("overrides")+1])' "$tmp/a21.json")
[ "$keys" = warnings ] && ok || bad "warnings[] follows $keys, not overrides[]"

# the full-year usage without its payments and with 8 hours of a mistyped step
$PYTHON - "$root/fixtures/usage/alb-2025-full-year.json" "$root/fixtures/timesheets" "$tmp/nopay.json" <<'PY'
import json, sys
u = json.load(open(sys.argv[1]))
del u["payments"]
u["timesheets"] = [sys.argv[2] + "/alb-2025-full-year.csv"]
u["used"].append({"month": "2025-06", "kind": "work", "band": "day", "step": 12, "hours": "8"})
json.dump(u, open(sys.argv[3], "w"), indent=1)
PY
$BPA settle "$alb" "$tmp/nopay.json" --policy-dir "$pol" --json "$tmp/nopay.out.json" >"$tmp/nopay.txt" 2>"$tmp/nopay.err"
rc=$?; [ "$rc" -eq 0 ] && ok || bad "settle without payments: exit $rc"
has "no_payments stderr" "$tmp/nopay.err" "bpa: warning: The usage has no payments of the grant, so line 4 assumes nothing was received (nopay.json)"
has "not_granted stderr" "$tmp/nopay.err" "bpa: warning: 8.00 hours used in work, day, step 12, which the grant does not have (nopay.json:"
has "not_granted where" "$tmp/nopay.err" '$.used[24])'
has "settle summary" "$tmp/nopay.txt" "Advarsler"
has "settle summary no_payments" "$tmp/nopay.txt" "Forbruget har ingen betalinger af tilskuddet"
$BPA settle "$alb" "$tmp/nopay.json" --policy-dir "$pol" -o "$tmp/nopay.xlsx" >/dev/null 2>&1
$PYTHON -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode())' "$tmp/nopay.xlsx" >"$tmp/nopay.strings"
has "account workbook" "$tmp/nopay.strings" "<t>Advarsler</t>"
has "account workbook not_granted" "$tmp/nopay.strings" "8,00 timer brugt i arbejde, dag, trin 12, som bevillingen ikke har"
$PYTHON -c 'import json,sys; w=json.load(open(sys.argv[1]))["warnings"]; print(w[0]["code"], w[1]["code"])' "$tmp/nopay.out.json" >"$tmp/codes"
has "settle JSON codes" "$tmp/codes" "no_payments not_granted"
# the fixture itself: paid, every step granted (pools "all" nets its bands)
$BPA settle "$alb" "$root/fixtures/usage/alb-2025-full-year.json" --policy-dir "$pol" --json - >"$tmp/full.json" 2>"$tmp/full.err"
hasnt "full year: no no_payments" "$tmp/full.err" "no payments"
hasnt "full year: no not_granted" "$tmp/full.err" "which the grant does not have"

finish warnings
