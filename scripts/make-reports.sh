#!/bin/sh
# Regenerate the sample results: a grant (JSON + workbook) for every fixture
# case and an account for every fixture usage file of the same name.
# Usage: make-reports.sh BPA OUTDIR [LANG]   (LANG da, sv or en; default: each
# case's own, Danish for dk-* and Swedish for se-* cases)
set -eu
bpa=$1 out=$2
if [ -n "${3:-}" ]; then set -- --lang "$3"; else set --; fi
mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.xlsx
for c in fixtures/cases/*.json; do
    name=$(basename "$c" .json)
    "$bpa" grant "$c" --policy-dir fixtures/policies --json "$out/$name.grant.json" \
        -o "$out/$name.grant.xlsx" "$@" >/dev/null
    u=fixtures/usage/$name.json
    if [ -f "$u" ]; then
        "$bpa" settle "$c" "$u" --policy-dir fixtures/policies --json "$out/$name.account.json" \
            -o "$out/$name.account.xlsx" "$@" >/dev/null
    fi
done
