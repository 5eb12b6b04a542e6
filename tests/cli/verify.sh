#!/bin/sh
# bpa verify (RULES.md 13, 11): honest accounts agree (exit 0), a changed
# figure, a claim with a wrong balance, an edited workbook are found (exit 4),
# an account of another case or year is an input error (exit 1); Danish and
# Swedish. The expected differences are the ones this script makes.
. "$(dirname "$0")/lib.sh"
cd "$root" || exit 1
P="--policy-dir fixtures/policies"
dk="fixtures/cases/alb-2025-full-year.json fixtures/usage/alb-2025-full-year.json"
se="fixtures/cases/se-ore-2025-efterskott.json fixtures/usage/se-ore-2025-efterskott.json"
# the fields compared, counted from the files (verify_count.py)
ndj=$("$PYTHON" "$here/verify_count.py" reports/alb-2025-full-year.account.json)
nsj=$("$PYTHON" "$here/verify_count.py" reports/se-ore-2025-efterskott.account.json)
ndx=$("$PYTHON" "$here/verify_count.py" reports/alb-2025-full-year.account.xlsx)
nsx=$("$PYTHON" "$here/verify_count.py" reports/se-ore-2025-efterskott.account.xlsx)

# differs NAME SUBSTRING -- ARGS...: exit 4 and the list on stdout holds SUBSTRING
differs() {
    name=$1 sub=$2
    shift 3
    $BPA "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 4 ] || { bad "$name: exit $rc, expected 4"; sed 's/^/  | /' "$tmp/err" | head -5; return; }
    grep -qF -- "$sub" "$tmp/out" && ok || { bad "$name: list lacks '$sub'"; sed 's/^/  | /' "$tmp/out" | head -20; }
}

# ---- result JSON
expect "dk json agrees" 0 "Alle $ndj kontrollerede tal stemmer." -- verify $dk reports/alb-2025-full-year.account.json $P
expect "se json agrees" 0 "Alla $nsj granskade uppgifter stämmer." -- verify $se reports/se-ore-2025-efterskott.account.json $P
expect "en" 0 "All $ndj figures agree." -- verify $dk reports/alb-2025-full-year.account.json $P --lang en

# line 4 (payments) raised by 0.01: exactly that one, in each language
sed 's/"payments": "1112.44"/"payments": "1112.45"/' reports/alb-2025-full-year.account.json >"$tmp/pay.json"
expect "dk json differs" 4 "" -- verify $dk "$tmp/pay.json" $P --json "$tmp/pay.out"
flatten "$tmp/pay.out"
check_fields "dk json difference" "$tmp/pay.out.flat" <<'F'
format=bpa-verify-result/1
agree=False
account.kind=result
differences.0.kind=figure
differences.0.field=lines.payments
differences.0.expected=1112.44
differences.0.found=1112.45
differences.0.where=$.lines.payments
stamps.agree=True
stamps.account.engine=bpa 0.1.0
F
grep -c '"field"' "$tmp/pay.out" | grep -qx 1 && ok || bad "more than one difference"
grep -qx "checked=$ndj" "$tmp/pay.out.flat" && ok || bad "dk json: checked is not $ndj"
$BPA verify $dk "$tmp/pay.json" $P >"$tmp/da" 2>&1
grep -qF "lines.payments (tal afviger)" "$tmp/da" && grep -qF "genberegnet: 1.112,44, fundet: 1.112,45, hvor: \$.lines.payments" "$tmp/da" && ok || { bad "da list"; sed 's/^/  | /' "$tmp/da"; }
$BPA verify $dk "$tmp/pay.json" $P --lang en >"$tmp/en" 2>&1
grep -qF "recomputed: 1,112.44, found: 1,112.45, where: \$.lines.payments" "$tmp/en" && ok || { bad "en list"; sed 's/^/  | /' "$tmp/en"; }

# another engine version: a stamp difference, not a figure difference
sed 's/"version": "0.1.0"/"version": "0.0.9"/' reports/alb-2025-full-year.account.json >"$tmp/old.json"
expect "older engine agrees" 0 "Stemplerne afviger" -- verify $dk "$tmp/old.json" $P

# Swedish: a month's paid amount
sed '0,/"paid": "131901.00"/s//"paid": "131901.01"/' reports/se-ore-2025-efterskott.account.json >"$tmp/se.json"
expect "se json differs" 4 "" -- verify $se "$tmp/se.json" $P --json "$tmp/se.out" --lang sv
flatten "$tmp/se.out"
check_fields "se json difference" "$tmp/se.out.flat" <<'F'
differences.0.field=periods[0].months[0].paid
differences.0.expected=131901.00
differences.0.found=131901.01
F
$BPA verify $se "$tmp/se.json" $P >"$tmp/sv" 2>&1
grep -qF "omräknat: 131 901,00, funnet: 131 901,01" "$tmp/sv" && ok || { bad "sv list"; sed 's/^/  | /' "$tmp/sv"; }

# another case id, another year, another scheme family: input errors
sed 's/"case": "ALB-2025-0001"/"case": "ALB-2025-0002"/' reports/alb-2025-full-year.account.json >"$tmp/case.json"
expect "other case" 1 "the account is for case ALB-2025-0002, the case file for ALB-2025-0001" -- verify $dk "$tmp/case.json" $P
sed 's/"year": 2025/"year": 2024/' reports/alb-2025-full-year.account.json >"$tmp/year.json"
expect "other year" 1 "the account is for year 2024, the case file for 2025" -- verify $dk "$tmp/year.json" $P
sed 's/"case": "ORE-2025-0007"/"case": "ORE-2025-0008"/' reports/se-ore-2025-efterskott.account.json >"$tmp/secase.json"
expect "se other case" 1 "the account is for case ORE-2025-0008, the case file for ORE-2025-0007" -- verify $se "$tmp/secase.json" $P
expect "se result for dk case" 1 "a Swedish avräkning result, but the case is Danish" -- verify $dk reports/se-ore-2025-efterskott.account.json $P
expect "usage" 2 "expected a case file, a usage file and an account" -- verify $dk $P

# ---- claims: figures typed in from an account, the hand-worked ones of
# tests/cli/expected/alb-2025-full-year.settle and se-jag-2025-forskott.settle
D=$here/data/verify
sej="fixtures/cases/se-jag-2025-forskott.json fixtures/usage/se-jag-2025-forskott.json"
expect "dk claim agrees" 0 "Alle 10 kontrollerede tal stemmer." -- verify $dk "$D/claim-dk.json" $P
expect "dk claim wrong balance" 4 "" -- verify $dk "$D/claim-dk-wrong.json" $P --json "$tmp/cl.out"
flatten "$tmp/cl.out"
check_fields "dk claim difference" "$tmp/cl.out.flat" <<'F'
agree=False
checked=10
account.kind=claim
differences.0.kind=figure
differences.0.field=balance
differences.0.expected=14324.11
differences.0.found=14324.10
differences.0.where=$.balance
stamps.agree=False
stamps.account.engine=None
F
grep -c '"field"' "$tmp/cl.out" | grep -qx 1 && ok || bad "dk claim: more than one difference"
expect "se claim agrees" 0 "Alla 8 granskade uppgifter stämmer." -- verify $sej "$D/claim-se.json" $P
expect "se claim wrong balance" 4 "" -- verify $sej "$D/claim-se-wrong.json" $P --json "$tmp/scl.out"
flatten "$tmp/scl.out"
check_fields "se claim differences" "$tmp/scl.out.flat" <<'F'
differences.0.field=balance
differences.0.found=9060.20
differences.1.field=periods[0].balance
differences.1.expected=9060.02
differences.1.where=$.periods[0].balance
F
# a month the recomputation has not: reported, not matched to another
sed 's/"month": "2026-03"/"month": "2026-04"/' "$D/claim-se.json" >"$tmp/m.json"
differs "se claim unknown month" "period 2025-09-15 to 2026-03-14, 2026-04: paid (present on one side only)" -- verify $sej "$tmp/m.json" $P --lang en

# ---- workbooks (the LibreOffice edits: verify_workbook.sh)
expect "dk workbook agrees" 0 "Alle $ndx kontrollerede tal stemmer." -- verify $dk reports/alb-2025-full-year.account.xlsx $P
expect "se workbook agrees" 0 "Alla $nsx granskade uppgifter stämmer." -- verify $se reports/se-ore-2025-efterskott.account.xlsx $P
expect "grant workbook" 1 "a workbook written by bpa, but not the account of this case" -- verify $dk reports/alb-2025-full-year.grant.xlsx $P
expect "se workbook for dk case" 1 "a workbook of a Swedish case (its sheet Indata), but the case file is Danish" -- verify $dk reports/se-ore-2025-efterskott.account.xlsx $P
trips="fixtures/cases/alb-2025-trips.json fixtures/usage/alb-2025-trips.json"
expect "workbook of another case" 1 "Oversigt!B5: the workbook is for case ALB-2025-0001, the case file for ALB-2025-0005" -- verify $trips reports/alb-2025-full-year.account.xlsx $P

# ---- the difference workbook: header and one row per difference, in the
# reader's language, byte-identical twice; none written on an input error
$BPA verify $dk "$tmp/pay.json" $P -o "$tmp/d1.xlsx" >/dev/null 2>&1
$BPA verify $dk "$tmp/pay.json" $P -o "$tmp/d2.xlsx" >/dev/null 2>&1
cmp -s "$tmp/d1.xlsx" "$tmp/d2.xlsx" && ok || bad "difference workbook differs between runs"
$BPA verify $se "$tmp/se.json" $P -o "$tmp/dsv.xlsx" >/dev/null 2>&1
$BPA verify $se "$tmp/se.json" $P -o "$tmp/den.xlsx" --lang en >/dev/null 2>&1
"$PYTHON" - "$tmp/d1.xlsx" "$tmp/dsv.xlsx" "$tmp/den.xlsx" <<'EOF' && ok || bad "difference workbook content"
import sys, openpyxl
def rows(f):
    ws = openpyxl.load_workbook(f).worksheets[0]
    return ws.title, [[c.value for c in r] for r in ws.iter_rows()]
t, r = rows(sys.argv[1])
assert t == "Afvigelser", t
assert ["Sag", "ALB-2025-0001"] == r[2][:2] and r[3][:2] == ["År", 2025], r[2:4]
head = next(i for i, x in enumerate(r) if x[0] == "Nr.")
assert r[head][:6] == ["Nr.", "Felt", "Art", "Genberegnet", "I regnskabet", "Hvor"], r[head]
assert r[head + 1][:6] == [1, "lines.payments", "tal afviger", 1112.44, 1112.45, "$.lines.payments"], r[head + 1]
assert len([x for x in r[head + 1:] if x[0] is not None]) == 1
t, r = rows(sys.argv[2])
assert t == "Avvikelser" and any(x[0] == "Ärende" for x in r), t
t, r = rows(sys.argv[3])
assert t == "Differences" and any(x[:2] == ["Case", "ORE-2025-0007"] for x in r), r[:4]
assert any(x[1] == "periods[0].months[0].paid" and x[5] == "$.periods[0].months[0].paid" for x in r)
EOF
$BPA verify $dk "$tmp/case.json" $P -o "$tmp/none.xlsx" >/dev/null 2>&1
[ ! -e "$tmp/none.xlsx" ] && ok || bad "a difference workbook after an input error"

# an older engine's result without a key this one writes (a format change):
# not a difference; the same file from this engine: a difference
"$PYTHON" - reports/alb-2025-full-year.account.json "$tmp/old-nokey.json" "$tmp/nokey.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
del d["months"][0]["granted_exact"]
json.dump(d, open(sys.argv[3], "w"), indent=2)
d["engine"]["version"] = "0.0.9"
json.dump(d, open(sys.argv[2], "w"), indent=2)
EOF
expect "older engine, key missing" 0 "Stemplerne afviger" -- verify $dk "$tmp/old-nokey.json" $P
differs "same engine, key missing" "months[0].granted_exact (findes kun på den ene side)" -- verify $dk "$tmp/nokey.json" $P
sed 's/"year": 2025/"year": 2026/' reports/se-ore-2025-efterskott.account.json >"$tmp/seyear.json"
expect "se other year" 1 "the account is for year 2026, the case file for 2025" -- verify $se "$tmp/seyear.json" $P

# a claim's used hours named by kind alone (or kind and band) are the sum of the
# categories it names: tests/cli/expected/alb-2025-transferred-association.settle
# has work 3060 + 1056 + 386 = 4502 h, on call 2447 h, evening 1056 h
ta="fixtures/cases/alb-2025-transferred-association.json fixtures/usage/alb-2025-transferred-association.json"
expect "claim by kind agrees" 0 "Alle 3 kontrollerede tal stemmer." -- verify $ta "$D/claim-dk-kinds.json" $P
sed 's/"hours": "4502"/"hours": "4501"/' "$D/claim-dk-kinds.json" >"$tmp/kinds.json"
differs "claim by kind differs" "recomputed: 4,502.0000, found: 4,501, where: \$.used[0].hours" -- verify $ta "$tmp/kinds.json" $P --lang en
finish verify.sh
