# LuaJIT FFI backend (lua/httpc/ffi.lua) and OpenResty driver (lua/httpc/ngx.lua).
# cdef_check: lua/httpc/cdef.lua is the header's cdef block byte for byte,
# ffi.cdef takes it, and it matches the library's exported functions.
TEST_SUITES += "BUILD=$(BUILD) bash tests/lua/cdef_check.sh"
# httpc inside nginx: a private nginx with the Lua module runs
# tests/openresty/cases.lua over cosockets (GET/POST/HEAD, chunked, HTTPS,
# errors, keepalive pool, timer, init_worker fallback, 20 parallel requests).
TEST_SUITES += "BUILD=$(BUILD) bash tests/openresty/run.sh"
# The C ABI from Python's ctypes, no binding: argtypes/restype, GET, TLS,
# error codes and names from the library's tree.
TEST_SUITES += "BUILD=$(BUILD) python3 tests/python/test_ctypes.py"
