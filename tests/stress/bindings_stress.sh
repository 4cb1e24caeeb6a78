#!/bin/bash
# The Lua 5.4 and Python binding stress scripts under valgrind memcheck: any
# invalid access or definite/indirect leak fails.  Needs the test servers'
# environment (tests/run.sh) and make lua-core python:
#   bash tests/stress/bindings_stress.sh [BUILD]
build=$(cd "${1:-build}" && pwd)
cd "$(dirname "$0")/../.." || exit 1
py=$(python3 -c 'import sys; print(sys.executable)')  # not pyenv's shim: valgrind must see python
vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --num-callers=30)
pass=0 fail=0
run() {
    local name=$1; shift
    local out rc
    out=$("$@" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed'
    if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q '^1 passed, 0 failed'; then
        pass=$((pass + 1)); echo "ok - $name: valgrind clean"
    else
        fail=$((fail + 1)); echo "not ok - $name: exit $rc"
    fi
}
run "lua5.4 stress" env LUA_CPATH="$build/lua/5.4/?.so" "${vg[@]}" lua5.4 tests/stress/bindings_stress.lua
run "python stress" env PYTHONMALLOC=malloc "${vg[@]}" --suppressions=tests/stress/python.supp \
    "$py" tests/stress/bindings_stress.py "$build"
echo "$pass passed, $fail failed, 0 skipped"
[ $fail -eq 0 ]
