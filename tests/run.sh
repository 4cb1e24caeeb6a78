#!/bin/bash
# httpc test runner:  bash tests/run.sh SUITE...
# Each SUITE is one shell command string, run from the repository root with the
# test servers' environment (tests/servers/README.md) exported.  A suite prints
# "ok"/"not ok" lines and ends with "N passed, N failed[, N skipped]"
# (optionally prefixed "Word: ").  The totals are summed and printed last.
# HTTPC_TEST_SUITE_TIMEOUT (seconds, default 900) bounds each suite.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

dir=$(mktemp -d "${TMPDIR:-/tmp}/httpc-test.XXXXXX")
chmod 755 "$dir"
cleanup() {
    if [ -s "$dir/tpid" ]; then kill -TERM "$(cat "$dir/tpid")" 2>/dev/null; sleep 0.2; fi
    bash "$ROOT/tests/servers/stop.sh" "$dir" >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'echo; echo "run.sh: interrupted"; exit 130' INT TERM HUP

if ! bash "$ROOT/tests/servers/start.sh" "$dir"; then
    echo "run.sh: could not start the test servers"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi
set -a
# shellcheck disable=SC1091
source "$dir/env.sh"
set +a

total_pass=0 total_fail=0 total_skip=0
timeout_s=${HTTPC_TEST_SUITE_TIMEOUT:-900}
re='^([A-Za-z]+: )?([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$'

for suite in "$@"; do
    echo "== SUITE: $suite"
    out="$dir/suite.out"
    : > "$out"
    # Run in the background and `wait`, so Ctrl-C reaches our trap at once;
    # timeout's pid goes to $dir/tpid so cleanup can stop the suite.
    rm -f "$dir/rc" "$dir/tpid"
    (
        timeout -k 10 "$timeout_s" bash -c "$suite" < /dev/null 2>&1 &
        echo $! > "$dir/tpid"
        wait $!
        echo $? > "$dir/rc"
    ) | tee "$out" &
    wait $!
    rc=$(cat "$dir/rc" 2>/dev/null || echo 1)
    rm -f "$dir/tpid"
    line=$(tr -d '\r' < "$out" | grep -E "$re" | tail -n 1)
    if [ -n "$line" ]; then
        [[ $line =~ $re ]]
        p=${BASH_REMATCH[2]} f=${BASH_REMATCH[3]} s=${BASH_REMATCH[5]:-0}
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
            if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
                echo "run.sh: suite timed out after ${timeout_s}s: $suite"
            else
                echo "run.sh: suite exited with status $rc but counted no failure: $suite"
            fi
            f=1
        fi
    else
        if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
            echo "run.sh: suite timed out after ${timeout_s}s: $suite"
        else
            echo "run.sh: suite printed no summary line (exit status $rc): $suite"
        fi
        p=0 f=1 s=0
    fi
    echo "== RESULT: $p passed, $f failed, $s skipped ($suite)"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    total_skip=$((total_skip + s))
done

echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
