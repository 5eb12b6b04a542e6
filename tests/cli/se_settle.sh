#!/bin/sh
# bpa settle on a Swedish case (RULES.md 8.3, 8.4, 9): the summary in
# Swedish and English, the bpa-se-settlement-result/1 JSON with figures
# worked by hand, byte-identical twice, and -o (not yet available).
. "$(dirname "$0")/lib.sh"
d=$here/data/se-settle
cp "$d"/case.json "$d"/policy.json "$d"/usage.json "$d"/tid.csv "$tmp"/

$BPA settle "$tmp/case.json" "$tmp/usage.json" --json "$tmp/a.json" >"$tmp/sv" 2>"$tmp/err"
rc=$?; [ "$rc" -eq 0 ] && ok || { bad "se settle: exit $rc"; sed 's/^/  | /' "$tmp/err"; }
$BPA settle "$tmp/case.json" "$tmp/usage.json" --json - >"$tmp/b.json" 2>/dev/null
cmp -s "$tmp/a.json" "$tmp/b.json" && ok || bad "se settle: JSON differs between runs"
grep -qF "Beviljandeperiod 2025-07-01" "$tmp/sv" && ok || { bad "summary: no period"; sed 's/^/  | /' "$tmp/sv"; }
grep -qF "Att återbetala: 12 055,60 kr" "$tmp/sv" && ok || bad "summary: repayment not in Swedish format"
grep -qF "bpa: warning: 4.00 hours of waiting time used in the period 2025-07-01 to 2025-08-31" "$tmp/err" && ok || { bad "not_granted not on stderr"; sed 's/^/  | /' "$tmp/err"; }
$BPA settle "$tmp/case.json" "$tmp/usage.json" --lang en >"$tmp/en" 2>/dev/null
grep -qF "To repay: 12,055.60 kr" "$tmp/en" && ok || { bad "summary en"; sed 's/^/  | /' "$tmp/en"; }

# July: used row 10 h + Anna 1 Jul 08-18 (10 h) + 31 Jul 22-24 (2 h) = 22 h
# aktiv, billable 22, capped 22 (62 granted in the period), 22 x 342.60 =
# 7537.20, paid the 10000.00 payment. August: Anna 00-02 (2 h) aktiv + Bo
# 4 h väntetid x 1/4 = 3 billable, 3 x 342.60 = 1027.80, no payment: paid
# the budget, 31 x 342.60 = 10620.60. Balance 20620.60 - 8565.00 = 12055.60.
flatten "$tmp/a.json"
check_fields "se settle json" "$tmp/a.json.flat" <<'F'
format=bpa-se-settlement-result/1
periods.0.from=2025-07-01
periods.0.payment=forskott
periods.0.months.0.month=2025-07
periods.0.months.0.aktiv=22.0000
periods.0.months.0.aktiv_hm=22:00
periods.0.months.0.reported.aktiv=12.0000
periods.0.months.0.billable=22.0000
periods.0.months.0.capped=22.0000
periods.0.months.0.rate=342.60
periods.0.months.0.amount=7537.20
periods.0.months.0.paid=10000.00
periods.0.months.0.paid_by=payments
periods.0.months.0.rakning_due=2025-09-05
periods.0.months.1.vantetid=4.0000
periods.0.months.1.billable=3.0000
periods.0.months.1.amount=1027.80
periods.0.months.1.paid=10620.60
periods.0.months.1.paid_by=budget
periods.0.amount=8565.00
periods.0.paid=20620.60
periods.0.balance=12055.60
periods.0.direction=repay
periods.0.slutavrakning_due=2025-10-31
periods.0.kommun_share.amount=60689.14
balance=12055.60
expenses.reimbursable=100.00
expenses.not_reimbursable=20.00
expenses.receipts.0.cap=100.00
tidsredovisningar.0.helper=Anna
tidsredovisningar.0.month=2025-07
tidsredovisningar.0.aktiv=12.0000
tidsredovisningar.0.shifts=2
tidsredovisningar.1.month=2025-08
tidsredovisningar.1.shifts=1
tidsredovisningar.2.helper=Bo
tidsredovisningar.2.vantetid=4.0000
used_rows.0.hours=10.0000
warnings.0.code=not_granted
shifts=3
F

# -o: the avräkning workbook, byte-identical twice, a zip with the Swedish sheets
$BPA settle "$tmp/case.json" "$tmp/usage.json" -o "$tmp/x.xlsx" >/dev/null 2>"$tmp/err"
rc=$?; [ "$rc" -eq 0 ] && ok || { bad "-o: exit $rc"; sed 's/^/  | /' "$tmp/err"; }
$BPA settle "$tmp/case.json" "$tmp/usage.json" -o "$tmp/y.xlsx" >/dev/null 2>&1
cmp -s "$tmp/x.xlsx" "$tmp/y.xlsx" && ok || bad "-o: workbook differs between runs"
$PYTHON -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("xl/workbook.xml").decode())' \
    "$tmp/x.xlsx" >"$tmp/wb.xml" 2>/dev/null
grep -qF 'name="Räkning per månad"' "$tmp/wb.xml" && ok || bad "-o: no sheet Räkning per månad"
grep -qF 'name="Tidsredovisning"' "$tmp/wb.xml" && ok || bad "-o: no sheet Tidsredovisning"

finish se_settle
