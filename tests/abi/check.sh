#!/bin/bash
# ABI guard: the library's ABI (abidw of $BUILD/libhttpc.so.1) must equal
# the committed baseline tests/abi/libhttpc.abi, which records the
# HTTPC_ABI_VERSION it was made for.  An intended change updates both in
# the same commit: bump HTTPC_ABI_VERSION in core/include/httpc.h, then
# `make abi-baseline`.  Prints ok/not ok lines and "N passed, N failed".
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BUILD=${BUILD:-build}
lib="$BUILD/libhttpc.so.1"
base=tests/abi/libhttpc.abi
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - abi: $*"; }
nok() { fail=$((fail + 1)); echo "not ok - abi: $*"; }

if [ ! -f "$lib" ] || [ ! -f "$base" ]; then
    nok "missing $lib or $base"
    echo "$pass passed, $fail failed"
    exit 1
fi
cur=$(mktemp)
trap 'rm -f "$cur"' EXIT
abidw --no-corpus-path --no-comp-dir-path --drop-private-types \
    --headers-dir core/include "$lib" > "$cur"

hdr_ver=$(sed -n 's/.*HTTPC_ABI_VERSION = \([0-9]*\).*/\1/p' core/include/httpc.h | head -1)
base_ver=$(sed -n 's/.*HTTPC_ABI_VERSION=\([0-9]*\).*/\1/p' "$base" | head -1)
if [ -n "$hdr_ver" ] && [ "$hdr_ver" = "$base_ver" ]; then
    ok "baseline made for HTTPC_ABI_VERSION $hdr_ver"
else
    nok "HTTPC_ABI_VERSION is ${hdr_ver:-?} but the baseline records ${base_ver:-?} (make abi-baseline)"
fi

report=$(abidiff --no-added-syms --headers-dir2 core/include "$base" "$cur" 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
    ok "abidiff: no change against $base"
else
    nok "abidiff reports a change (exit $rc): bump HTTPC_ABI_VERSION and run make abi-baseline"
    sed 's/^/#   /' <<<"$report" | head -40
fi

# added functions are compatible, but they must be deliberate: the
# baseline is then regenerated in the same commit
added=$(abidiff "$base" "$cur" 2>/dev/null | grep -c "^  \[A\]")
if [ "$added" -eq 0 ]; then
    ok "no exported function missing from the baseline"
else
    nok "$added function(s) added since the baseline: run make abi-baseline"
fi

# only httpc_* symbols leave the library
leaked=$(nm -D --defined-only "$lib" | awk '$2 ~ /[TDBRW]/ {print $3}' | grep -v '^httpc_' | grep -v '^HTTPC_' | grep -v '^_' || true)
if [ -z "$leaked" ]; then
    ok "every exported symbol is httpc_-prefixed"
else
    nok "symbols outside httpc_: $(echo $leaked | head -c 300)"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
