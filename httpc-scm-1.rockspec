rockspec_format = "3.0"
package = "httpc"
version = "scm-1"
source = {
  url = "git+file:///work/main",
}
description = {
  summary = "HTTP/1.1 client with the semantics of Python's http.client",
  detailed = [[
httpc is an HTTP/1.1 client engine written in C (TLS over OpenSSL), with a
SWIG-generated backend module (httpc.core) and an idiomatic Lua module:
local httpc = require "httpc".]],
  license = "MIT",
}
dependencies = {
  "lua >= 5.1, < 5.5",
}
external_dependencies = {
  OPENSSL = { header = "openssl/ssl.h" },
}
-- The build compiles core/src/*.c into libhttpc.a and the SWIG wrapper of
-- bindings/httpc.i against this Lua's headers (mk/lua.mk: rock-build), so
-- nothing is fetched: `luarocks make` works offline from the source tree.
build = {
  type = "make",
  build_target = "rock-build",
  install_target = "rock-install",
  build_variables = {
    LUA_INCDIR = "$(LUA_INCDIR)",
    ROCK_CFLAGS = "$(CFLAGS)",
  },
  install_variables = {
    LUA_INCDIR = "$(LUA_INCDIR)",
    INST_LIBDIR = "$(LIBDIR)",
    INST_LUADIR = "$(LUADIR)",
    INST_BINDIR = "$(BINDIR)",
  },
}
test_dependencies = {
  "busted",
}
-- Needs the test servers' HTTPC_TEST_* environment (tests/servers/start.sh).
test = {
  type = "busted",
  flags = { "-o", "spec/summary_handler.lua", "spec" },
}
