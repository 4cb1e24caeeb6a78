#!/bin/bash
# Runs every libFuzzer harness (tests/fuzz/fuzz_*.c) for SECONDS each,
# FUZZ_JOBS (default 2) at a time, starting from the committed seeds in
# tests/fuzz/corpus/<harness>/ plus what earlier runs found (kept under
# $BUILD/fuzz/corpus/, never committed).  Prints one ok/not ok line per
# harness with executions and coverage, then "N passed, N failed".
#   bash tests/fuzz/run.sh [SECONDS] [HARNESS...]
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
secs=${1:-60}
shift || true
BUILD=${BUILD:-build}
jobs=${FUZZ_JOBS:-2}
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
    for f in tests/fuzz/fuzz_*.c; do harnesses+=("$(basename "$f" .c)"); done
fi
if ! make -s --no-print-directory BUILD="$BUILD" fuzz-build; then
    echo "not ok - building the fuzz harnesses"
    echo "0 passed, 1 failed"
    exit 1
fi
out="$BUILD/fuzz/runs"
mkdir -p "$out"

run_one() {
    local h=$1 work="$BUILD/fuzz/corpus/$1" art="$BUILD/fuzz/artifacts/$1"
    mkdir -p "$work" "$art"
    "$BUILD/fuzz/$h" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
        -rss_limit_mb=2560 -artifact_prefix="$art/" "$work" "tests/fuzz/corpus/$h" \
        > "$out/$h.log" 2>&1
    echo $? > "$out/$h.rc"
}

running=0
for h in "${harnesses[@]}"; do
    run_one "$h" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

pass=0 fail=0
for h in "${harnesses[@]}"; do
    log="$out/$h.log"
    rc=$(cat "$out/$h.rc" 2>/dev/null || echo 1)
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
    if [ "$rc" -eq 0 ] && [ -n "$execs" ]; then
        pass=$((pass + 1))
        echo "ok - $h: ${execs} executions in ${secs}s, cov ${cov:-?} edges, ft ${ft:-?}, corpus ${corp:-?}"
    else
        fail=$((fail + 1))
        echo "not ok - $h: exit $rc after ${execs:-?} executions (log $log)"
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written|deadly' "$log" | head -8 | sed 's/^/#   /'
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
