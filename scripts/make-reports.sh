#!/bin/sh
# Regenerate the sample results: a grant (JSON + workbook) for every fixture
# case and an account for every fixture usage file of the same name.
# Usage: make-reports.sh BPA OUTDIR [LANG]   (LANG da (default) or en)
set -eu
bpa=$1 out=$2 lang=${3:-da}
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.xlsx
for c in fixtures/cases/*.json; do
    name=$(basename "$c" .json)
    "$bpa" grant "$c" --policy-dir fixtures/policies --json "$out/$name.grant.json" \
        -o "$out/$name.grant.xlsx" --lang "$lang" >/dev/null
    u=fixtures/usage/$name.json
    if [ -f "$u" ]; then
        "$bpa" settle "$c" "$u" --policy-dir fixtures/policies --json "$out/$name.account.json" \
            -o "$out/$name.account.xlsx" --lang "$lang" >/dev/null
    fi
done
