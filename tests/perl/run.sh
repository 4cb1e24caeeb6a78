#!/bin/bash
# Runs tests/perl/*.t with prove against $BUILD/perl and ends with the
# runner's summary line (TAP "ok"/"not ok" lines counted).
BUILD=${1:-build}
if [ ! -f "$BUILD/perl/httpc.pm" ]; then
    echo "perl binding not built (make perl; needs libperl-dev) -- skipped"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
out=$(PERL5LIB="$BUILD/perl" prove -v tests/perl/ 2>&1)
rc=$?
echo "$out"
pass=$(grep -cE '^ *ok [0-9]+' <<<"$out")
fail=$(grep -cE '^ *not ok [0-9]+' <<<"$out")
skip=$(grep -cE '^ *ok [0-9]+ .*# (skip|SKIP)' <<<"$out")
pass=$((pass - skip))
# A crash or a plan mismatch makes prove fail without a "not ok" line.
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
