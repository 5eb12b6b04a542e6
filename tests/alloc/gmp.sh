#!/bin/sh
# GMP allocation failures through the CLI (fault-injection build): GMP cannot
# recover, so bpa must stop with "out of memory", exit 3, and leave neither
# the output nor a temporary file behind. Usage: BPA=build/fault/bpa sh tests/alloc/gmp.sh
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
case_file="$root/fixtures/cases/alb-2025-transferred-association.json"
for n in 1 2 3 5 8 13 50 200 1000 3000 10000 30000 100000 300000 1000000; do
    BPA_FAIL_ALLOC_AT=$n BPA_FAIL_GMP=1 ASAN_OPTIONS=exitcode=99 $BPA grant "$case_file" \
        --json "$tmp/out.json" >/dev/null 2>"$tmp/err"
    rc=$?
    left=$(ls -A "$tmp" | grep -v '^err$' | grep -v '^out.json$' || true)
    if [ "$rc" -eq 3 ] && grep -q "out of memory" "$tmp/err" && [ ! -e "$tmp/out.json" ] && [ -z "$left" ]; then
        pass=$((pass + 1))
    elif [ "$rc" -eq 0 ] && [ -s "$tmp/out.json" ] && [ -z "$left" ]; then
        pass=$((pass + 1)) # this run made fewer than n allocations
        rm -f "$tmp/out.json"
    else
        fail=$((fail + 1)); echo "FAIL: n=$n exit $rc, left: $left"; head -5 "$tmp/err"
    fi
done
echo "gmp-alloc: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
