#!/bin/bash
# spec/run.sh LUA: runs the busted specs of the Lua module on one
# interpreter (lua5.1 .. lua5.4, luajit) and ends with
# "N passed, N failed, N skipped" (spec/summary_handler.lua).
# Needs the HTTPC_TEST_* servers (tests/run.sh, or tests/servers/start.sh).
set -u
LUA=${1:?usage: spec/run.sh LUA}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
cd "$TOP"

case $LUA in
  luajit) vers="jit luajit 5.1" ;;
  lua5.*) vers=${LUA#lua} ;;
  *) echo "spec/run.sh: unknown interpreter $LUA"; echo "0 passed, 1 failed, 0 skipped"; exit 1 ;;
esac
cpath=
for v in $vers; do
  [ -d "$BUILD/lua/$v" ] && cpath="$cpath$BUILD/lua/$v/?.so;"
done
unset LUA_PATH_5_2 LUA_PATH_5_3 LUA_PATH_5_4 LUA_CPATH_5_2 LUA_CPATH_5_3 LUA_CPATH_5_4
export LUA_PATH="$TOP/lua/?.lua;$TOP/lua/?/init.lua;$TOP/spec/?.lua;;"
export LUA_CPATH="$cpath;;"
export LD_LIBRARY_PATH="$BUILD${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export HTTPC_LIB=${HTTPC_LIB:-$BUILD/libhttpc.so.1}
export HTTPC_SPEC_TOP=$TOP HTTPC_SPEC_LUA=$LUA

echo "# spec/run.sh $LUA (LUA_CPATH=$LUA_CPATH${HTTPC_BACKEND:+, backend $HTTPC_BACKEND})"
exec busted --lua="$LUA" -o "$TOP/spec/summary_handler.lua" "$TOP/spec"
