#!/bin/sh
# Run one libFuzzer target for SECONDS over its seed corpus and its kept
# regressions; print its execution count, fail on a crash.
# Usage: fuzz-run.sh TARGET SECONDS FUZZ_DIR   (make fuzz-smoke runs it)
set -u
t=$1 secs=$2 dir=$3
c=$dir/corpus/$t
mkdir -p "$c" "fuzz/regressions/$t"
sh scripts/fuzz-seeds.sh "$t" "$c"
log=$dir/fuzz-$t.log
"$dir/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -dict=fuzz/bpa.dict -print_final_stats=1 -artifact_prefix="$dir/crash-$t-" \
    "$c" "fuzz/regressions/$t" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
if [ "$rc" -ne 0 ] || ls "$dir/crash-$t-"* >/dev/null 2>&1; then
    echo "fuzz $t: FAILED (exit $rc), see $log"
    grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
    exit 1
fi
echo "fuzz $t: $secs s, ${execs:-?} executions, no crash"
