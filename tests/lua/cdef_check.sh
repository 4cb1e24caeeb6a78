#!/bin/bash
# lua/httpc/cdef.lua must be the header's "cdef:begin".."cdef:end" block byte
# for byte, LuaJIT's ffi.cdef must accept it, and every function it declares
# must resolve in the built library (and every exported httpc_ symbol must be
# declared), so the FFI backend can never drift from the ABI.
#   bash tests/lua/cdef_check.sh [--update]      (BUILD=dir for the library)
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
LIB=$(cd "$BUILD" 2>/dev/null && pwd)/libhttpc.so.1
HDR=core/include/httpc.h
CDEF=lua/httpc/cdef.lua
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

extract() { sed -n '/^\/\* cdef:begin \*\/$/,/^\/\* cdef:end \*\/$/{//!p}' "$HDR"; }

if [ "${1:-}" = --update ]; then
    { sed -n '1,/^return \[==\[$/p' "$CDEF"; extract; echo ']==]'; } > "$tmp/new"
    mv "$tmp/new" "$CDEF"
    echo "updated $CDEF"
    exit 0
fi

pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
nok() { echo "not ok - $1"; fail=$((fail + 1)); }

extract > "$tmp/header.txt"
if [ "$(grep -c '^/\* cdef:\(begin\|end\) \*/$' "$HDR")" = 2 ] && [ -s "$tmp/header.txt" ]; then
    ok "header has exactly one cdef block ($(wc -l < "$tmp/header.txt") lines)"
else
    nok "header has exactly one cdef block"
fi
if grep -q '^[[:space:]]*#' "$tmp/header.txt"; then
    nok "cdef block is free of preprocessor lines"
else
    ok "cdef block is free of preprocessor lines"
fi

LUA_PATH="$ROOT/lua/?.lua;;" luajit -e 'io.stdout:write(require "httpc.cdef")' > "$tmp/module.txt" 2>"$tmp/err"
if cmp -s "$tmp/header.txt" "$tmp/module.txt"; then
    ok "$CDEF equals the header block byte for byte"
else
    nok "$CDEF equals the header block byte for byte (run: bash $0 --update)"
    diff "$tmp/header.txt" "$tmp/module.txt" | head -20 | sed 's/^/# /'
    cat "$tmp/err" | sed 's/^/# /'
fi

if LUA_PATH="$ROOT/lua/?.lua;;" luajit -e '
    local ffi = require "ffi"
    ffi.cdef(require "httpc.cdef")
    assert(ffi.sizeof("httpc_code") == 4)
    assert(tonumber(ffi.new("httpc_code", "HTTPC_E_MEMORY")) > 10)' 2>"$tmp/err"; then
    ok "ffi.cdef accepts the block under $(luajit -v | cut -d" " -f1-2)"
else
    nok "ffi.cdef accepts the block"
    sed 's/^/# /' "$tmp/err"
fi

# Function names declared in the block, and the library's exported ones.
grep -oE '\bhttpc_[a-z0-9_]+ *\(' "$tmp/header.txt" | tr -d ' (' | sort -u > "$tmp/declared"
if [ ! -f "$LIB" ]; then
    nok "library $LIB exists (run make first)"
else
    if LUA_PATH="$ROOT/lua/?.lua;;" luajit - "$LIB" "$tmp/declared" 2>"$tmp/err" <<'LUA'
local ffi = require "ffi"
ffi.cdef(require "httpc.cdef")
local lib = ffi.load(arg[1])
local missing = {}
for name in io.lines(arg[2]) do
    if name ~= "httpc_debug_fn" and not pcall(function() return lib[name] end) then
        missing[#missing + 1] = name
    end
end
if #missing > 0 then error("not in the library: " .. table.concat(missing, " ")) end
LUA
    then
        ok "every declared function resolves in $(basename "$LIB") ($(grep -vc httpc_debug_fn "$tmp/declared"))"
    else
        nok "every declared function resolves in the library"
        sed 's/^/# /' "$tmp/err"
    fi
    nm -D --defined-only "$LIB" | awk '$2 == "T" && $3 ~ /^httpc_/ {print $3}' | sed 's/@.*//' | sort -u > "$tmp/exported"
    extra=$(comm -23 "$tmp/exported" "$tmp/declared")
    if [ -z "$extra" ]; then
        ok "every exported function is declared in the cdef block ($(wc -l < "$tmp/exported"))"
    else
        nok "every exported function is declared in the cdef block; undeclared: $extra"
    fi
fi

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
