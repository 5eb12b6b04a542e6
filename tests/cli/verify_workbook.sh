#!/bin/sh
# bpa verify on account workbooks (RULES.md 13): the shipped workbooks agree,
# as written and after LibreOffice saved them; a used-hours cell edited and
# saved by LibreOffice is found at that cell; a formula overwritten by a
# number is found; Danish and Swedish. The cells and values are the ones this
# script changes (openpyxl edits, LibreOffice saves: soffice --convert-to).
. "$(dirname "$0")/lib.sh"
cd "$root" || exit 1
P="--policy-dir fixtures/policies"
dk="fixtures/cases/alb-2025-full-year.json fixtures/usage/alb-2025-full-year.json"
se="fixtures/cases/se-ore-2025-efterskott.json fixtures/usage/se-ore-2025-efterskott.json"
dkx=reports/alb-2025-full-year.account.xlsx
sex=reports/se-ore-2025-efterskott.account.xlsx
ndx=$("$PYTHON" "$here/verify_count.py" $dkx) # the cells compared (verify_count.py)
nsx=$("$PYTHON" "$here/verify_count.py" $sex)

# diff_at NAME JSON KIND WHERE EXPECTED FOUND: the verify JSON has that difference
diff_at() {
    "$PYTHON" - "$2" "$3" "$4" "$5" "$6" <<'EOF' && ok || bad "$1: no $3 difference at $4 ($5 -> $6)"
import json, sys
r = json.load(open(sys.argv[1]))
kind, where, exp, found = sys.argv[2:6]
sys.exit(0 if any(d["kind"] == kind and d["where"] == where and d["expected"] == exp
                  and d["found"] == found for d in r["differences"]) else 1)
EOF
}

expect "dk workbook agrees" 0 "Alle $ndx kontrollerede tal stemmer." -- verify $dk $dkx $P
expect "se workbook agrees" 0 "Alla $nsx granskade uppgifter stämmer." -- verify $se $sex $P

# LibreOffice is a CI package (scripts/install-deps.sh --ci): without it the
# saves are skipped here, and fail in make workbook-check (BPA_NEED_SOFFICE=1)
if ! command -v soffice >/dev/null 2>&1; then
    if [ "${BPA_NEED_SOFFICE:-0}" = 1 ]; then
        bad "soffice (LibreOffice) is not installed: the LibreOffice saves cannot be tested"
    else
        echo "note: soffice (LibreOffice) not installed: the LibreOffice saves are skipped"
    fi
    finish verify_workbook.sh
    exit
fi

# The edits: Timer!F5 (used hours, work/day/11: 1757.5 in the usage's rows and
# timesheet) becomes 1767.5; Indata!C30 (aktiv, July 2025: 370 in the usage
# file) becomes 371; and in copies saved by openpyxl alone, Puljer!H5 (the
# value of unused hours, a ROUND formula) and the Swedish period 1 total
# 'Avräkning per period'!H5 (the period's balance, 0.00) become numbers.
mkdir -p "$tmp/in" "$tmp/lo"
"$PYTHON" - "$dkx" "$sex" "$tmp/in" "$tmp" <<'EOF' || bad "openpyxl edits"
import shutil, sys, openpyxl
dkx, sex, out, tmp = sys.argv[1:5]
shutil.copy(dkx, out + "/dk-plain.xlsx")
shutil.copy(sex, out + "/se-plain.xlsx")
import glob, os
for f in glob.glob("reports/*.account.xlsx"):
    if f not in (dkx, sex):
        shutil.copy(f, out + "/" + os.path.basename(f))
wb = openpyxl.load_workbook(dkx); wb["Timer"]["F5"] = 1767.5; wb.save(out + "/dk-used.xlsx")
wb = openpyxl.load_workbook(sex); wb["Indata"]["C30"] = 371; wb.save(out + "/se-used.xlsx")
wb = openpyxl.load_workbook(dkx); wb["Puljer"]["H5"] = 18104.88; wb.save(tmp + "/dk-formula.xlsx")
wb.save(out + "/dk-formula-lo.xlsx")
wb = openpyxl.load_workbook(dkx); wb["Opgørelse"]["C8"] = "=B6"; wb.save(out + "/dk-fedit.xlsx")
wb = openpyxl.load_workbook(sex); wb["Avräkning per period"]["H5"] = 1000; wb.save(tmp + "/se-formula.xlsx")
EOF
soffice -env:UserInstallation="file://$tmp/profile" --headless --convert-to xlsx \
    --outdir "$tmp/lo" "$tmp"/in/*.xlsx >"$tmp/lo.log" 2>&1
[ -f "$tmp/lo/dk-used.xlsx" ] && [ -f "$tmp/lo/se-used.xlsx" ] && ok || { bad "soffice did not save"; sed 's/^/  | /' "$tmp/lo.log"; }

# untouched, saved by LibreOffice: still agree (values at six decimals)
expect "dk workbook saved by LibreOffice agrees" 0 "Alle $ndx kontrollerede tal stemmer." -- verify $dk "$tmp/lo/dk-plain.xlsx" $P
expect "se workbook saved by LibreOffice agrees" 0 "Alla $nsx granskade uppgifter stämmer." -- verify $se "$tmp/lo/se-plain.xlsx" $P
# and every other shipped account workbook
for u in fixtures/usage/*.json; do
    n=$(basename "$u" .json)
    case $n in alb-2025-full-year|se-ore-2025-efterskott) continue ;; esac # above
    [ -f "$tmp/lo/$n.account.xlsx" ] || { bad "$n: not saved by soffice"; continue; }
    expect "$n saved by LibreOffice agrees" 0 "" -- verify "fixtures/cases/$n.json" "$u" "$tmp/lo/$n.account.xlsx" $P
done

# the used hours edited in LibreOffice's save: found at the cell, as an input
$BPA verify $dk "$tmp/lo/dk-used.xlsx" $P --json "$tmp/dk-used.json" >"$tmp/dk-used.txt" 2>&1
[ $? -eq 4 ] && ok || bad "dk used hours: not exit 4"
diff_at "dk used hours" "$tmp/dk-used.json" input "Timer!F5" 1757.50 1767.50
grep -qF "Timer: Arbejde, dag, trin 11 / Brugte timer (inddata afviger fra sags- og forbrugsfilen)" "$tmp/dk-used.txt" && ok || { bad "dk used hours: field"; sed 's/^/  | /' "$tmp/dk-used.txt" | head; }
# and what LibreOffice recalculated from it: 10 more hours used, 10 fewer unused
diff_at "dk used hours: pool" "$tmp/dk-used.json" figure "Puljer!F5" 111.00 101.00
$BPA verify $se "$tmp/lo/se-used.xlsx" $P --json "$tmp/se-used.json" >"$tmp/se-used.txt" 2>&1
[ $? -eq 4 ] && ok || bad "se used hours: not exit 4"
diff_at "se used hours" "$tmp/se-used.json" input "Indata!C30" 370.00 371.00

# a formula overwritten by a number (saved by openpyxl, which stores no values
# for the other formulas: they are ours, so they are not differences)
$BPA verify $dk "$tmp/dk-formula.xlsx" $P --json "$tmp/dk-f.json" --lang en >"$tmp/dk-f.txt" 2>&1
[ $? -eq 4 ] && ok || bad "dk formula: not exit 4"
diff_at "dk formula" "$tmp/dk-f.json" formula "Puljer!H5" 18104.88 18104.88
grep -qF "1 difference among $ndx figures checked:" "$tmp/dk-f.txt" && grep -qF "(formula replaced by a value)" "$tmp/dk-f.txt" && ok || { bad "dk formula: words"; sed 's/^/  | /' "$tmp/dk-f.txt" | head; }
$BPA verify $se "$tmp/se-formula.xlsx" $P --json "$tmp/se-f.json" >"$tmp/se-f.txt" 2>&1
[ $? -eq 4 ] && ok || bad "se formula: not exit 4"
diff_at "se formula" "$tmp/se-f.json" formula "'Avräkning per period'!H5" 0.00 1000.00
grep -qF "1 avvikelse bland $nsx granskade uppgifter:" "$tmp/se-f.txt" && grep -qF "(formel ersatt med ett värde)" "$tmp/se-f.txt" && ok || { bad "se formula: words"; sed 's/^/  | /' "$tmp/se-f.txt" | head; }
# the same, saved by LibreOffice: only that cell
$BPA verify $dk "$tmp/lo/dk-formula-lo.xlsx" $P --json "$tmp/dk-flo.json" >"$tmp/dk-flo.txt" 2>&1
[ $? -eq 4 ] && ok || bad "dk formula (LibreOffice): not exit 4"
diff_at "dk formula (LibreOffice)" "$tmp/dk-flo.json" formula "Puljer!H5" 18104.88 18104.88
grep -qF "1 afvigelse blandt $ndx kontrollerede tal:" "$tmp/dk-flo.txt" && ok || { bad "dk formula (LibreOffice): more than that cell"; sed 's/^/  | /' "$tmp/dk-flo.txt" | head; }
# a formula edited (line 1 without the carry-over, Opgørelse!C8 =B6-B7 made =B6), saved by
# LibreOffice: the formula and its value (the unused hours' value, 18104.88) at that cell
$BPA verify $dk "$tmp/lo/dk-fedit.xlsx" $P --json "$tmp/dk-fe.json" >"$tmp/dk-fe.txt" 2>&1
[ $? -eq 4 ] && ok || bad "dk formula edited: not exit 4"
diff_at "dk formula edited" "$tmp/dk-fe.json" formula "Opgørelse!C8" "=B6-B7" "=B6"
diff_at "dk formula edited: value" "$tmp/dk-fe.json" figure "Opgørelse!C8" 13211.67 18104.88
grep -qF "(formel ændret)" "$tmp/dk-fe.txt" && ok || { bad "dk formula edited: words"; sed 's/^/  | /' "$tmp/dk-fe.txt" | head; }
finish verify_workbook.sh
