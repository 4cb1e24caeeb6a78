#!/bin/bash
# Runs examples/demo.lua with lua5.4 against private test servers (started
# into a temp dir, always stopped on exit).
set -eu
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
dir=$(mktemp -d "${TMPDIR:-/tmp}/httpc-demo.XXXXXX")
chmod 755 "$dir"
trap 'bash "$TOP/tests/servers/stop.sh" "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
bash "$TOP/tests/servers/start.sh" "$dir" >/dev/null
set -a; source "$dir/env.sh"; set +a
export LUA_PATH="$TOP/lua/?.lua;$TOP/lua/?/init.lua;;"
export LUA_CPATH="$BUILD/lua/5.4/?.so;;"
lua5.4 "$TOP/examples/demo.lua"
