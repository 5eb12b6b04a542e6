#!/bin/sh
# Invariants of the Swedish avräkning on random inputs (tests/cli/se_invariants.py):
# tidsredovisningar add up to the räkning, capped + not paid = billable, a
# forskott month without payments is paid its budget amount, R3 per month, and
# time reports split differently across files change nothing. 40 fixed seeds;
# SE_INV_SEEDS=500 runs more.
. "$(dirname "$0")/lib.sh"
# $BPA may carry a prefix: passed unquoted, word by word
if $PYTHON "$here/se_invariants.py" $BPA >"$tmp/out" 2>&1; then
    ok
else
    bad "Swedish avräkning invariants"
fi
sed 's/^/  | /' "$tmp/out" | tail -25
finish se_invariants
