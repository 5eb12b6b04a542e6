#!/bin/sh
# The Swedish fixture cases (RULES.md 7.7, 8.3, 8.4) through bpa grant and
# bpa settle: every figure of the independent hand computation
# (docs/handcalc_se.py -> tests/cli/expected/se-*.budget and .settle) must be
# in the result JSON; the summaries in Swedish (the default) and English carry
# the totals; the JSON is byte-identical between runs.
. "$(dirname "$0")/lib.sh"
fx=$root/fixtures
for exp in "$here"/expected/se-*.budget; do
    n=$(basename "$exp" .budget)
    c=$fx/cases/$n.json u=$fx/usage/$n.json
    $BPA grant "$c" --json "$tmp/$n.budget.json" >"$tmp/$n.sv" 2>"$tmp/err"
    rc=$?; [ "$rc" -eq 0 ] && ok || { bad "$n grant: exit $rc"; sed 's/^/  | /' "$tmp/err"; continue; }
    $PYTHON "$here/se_fixtures.py" budget "$exp" "$tmp/$n.budget.json" >"$tmp/cmp" &&
        ok || { bad "$n budget differs from the hand computation"; sed 's/^/  | /' "$tmp/cmp"; }
    $BPA grant "$c" --json - >"$tmp/$n.again.json" 2>/dev/null
    cmp -s "$tmp/$n.budget.json" "$tmp/$n.again.json" && ok || bad "$n grant: JSON differs between runs"
    $BPA grant "$c" --lang en >"$tmp/$n.en" 2>/dev/null
    # the total of all periods, in Swedish and English number format
    total=$(awk '$1 == "total.amount" { print $2 }' "$exp")
    sv=$(echo "$total" | awk '{ split($1, p, "."); s = p[1]; o = "";
        while (length(s) > 3) { o = " " substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
        print s o "," p[2] }')
    en=$(echo "$total" | awk '{ split($1, p, "."); s = p[1]; o = "";
        while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
        print s o "." p[2] }')
    grep -qF "betalar: $sv kr" "$tmp/$n.sv" && ok || { bad "$n grant summary: no total $sv"; sed 's/^/  | /' "$tmp/$n.sv" | tail -5; }
    grep -qF "pays: $en kr" "$tmp/$n.en" && ok || { bad "$n grant summary en: no total $en"; sed 's/^/  | /' "$tmp/$n.en" | tail -5; }
    grep -qF "Budget för assistans: " "$tmp/$n.sv" && ok || bad "$n grant summary: no Swedish title"

    $BPA settle "$c" "$u" --json "$tmp/$n.settle.json" >"$tmp/$n.ssv" 2>"$tmp/err"
    rc=$?; [ "$rc" -eq 0 ] && ok || { bad "$n settle: exit $rc"; sed 's/^/  | /' "$tmp/err"; continue; }
    $PYTHON "$here/se_fixtures.py" settle "$here/expected/$n.settle" "$tmp/$n.settle.json" >"$tmp/cmp" &&
        ok || { bad "$n avräkning differs from the hand computation"; sed 's/^/  | /' "$tmp/cmp"; }
    $BPA settle "$c" "$u" --json - >"$tmp/$n.again.json" 2>/dev/null
    cmp -s "$tmp/$n.settle.json" "$tmp/$n.again.json" && ok || bad "$n settle: JSON differs between runs"
    grep -qF "Avräkning av assistansersättning: " "$tmp/$n.ssv" && ok || bad "$n settle summary: no Swedish title"
done
# a Swedish document is Swedish or English, never Danish: a usage error, no file
$BPA grant "$fx/cases/se-kum-2024-lss.json" --lang da -o "$tmp/da.xlsx" >"$tmp/out" 2>"$tmp/err"
rc=$?; [ "$rc" -eq 2 ] && ok || bad "--lang da on a Swedish case: exit $rc, expected 2"
grep -qF "se-lss-9-2 is a Swedish scheme, written in Swedish" "$tmp/err" && ok || bad "--lang da: message"
[ ! -e "$tmp/da.xlsx" ] && [ ! -s "$tmp/out" ] && ok || bad "--lang da: output written"
finish se_fixtures
