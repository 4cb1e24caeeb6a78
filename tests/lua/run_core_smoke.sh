#!/bin/bash
# Runs tests/lua/core_smoke.lua under every interpreter that has a built
# httpc.core (make lua-core) and sums the results:  bash tests/lua/run_core_smoke.sh [BUILD]
build=${1:-build}
pass=0 fail=0 ran=0
for v in 5.1 5.2 5.3 5.4 luajit; do
    so="$build/lua/$v/httpc/core.so"
    if [ "$v" = luajit ]; then lua=luajit; else lua=lua$v; fi
    [ -f "$so" ] || continue
    command -v "$lua" >/dev/null || continue
    ran=$((ran + 1))
    out=$(LUA_CPATH="$build/lua/$v/?.so" "$lua" tests/lua/core_smoke.lua 2>&1)
    printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed'
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        pass=$((pass + BASH_REMATCH[1])) fail=$((fail + BASH_REMATCH[2]))
    else
        echo "not ok - $lua: no summary (crashed?)"
        fail=$((fail + 1))
    fi
done
if [ "$ran" -eq 0 ]; then echo "not ok - no httpc.core built (make lua-core)"; fail=1; fi
echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
