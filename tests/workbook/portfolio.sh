#!/bin/sh
# The portfolio workbook in da, sv and en over a generated caseload of 26
# cases (batch_gen.py) and a broken one, recalculated by LibreOffice: every
# formula (the totals' COUNTIFS/SUMIFS) gives the value bpa stored.
# Usage: sh tests/workbook/portfolio.sh BPA XLSX-RECALC-CHECK
set -eu
bpa=$1 check=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$root/tests/cli/batch_gen.py" "$root" "$tmp/in" 26
mkdir "$tmp/in/broken"
echo '{' >"$tmp/in/broken/case.json"
for l in da sv en; do
    st=0
    "$bpa" batch "$tmp/in" -d "$tmp/out-$l" --lang "$l" -j 2 2>/dev/null || st=$?
    [ "$st" -eq 1 ] || { echo "portfolio: batch exit $st, expected 1"; exit 1; }
    cp "$tmp/out-$l/portfolio.xlsx" "$tmp/portfolio-$l.xlsx"
done
/usr/bin/python3 "$check" "$tmp"/portfolio-*.xlsx
