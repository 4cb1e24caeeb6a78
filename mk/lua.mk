# The hand-written Lua module (lua/httpc.lua, lua/httpc/*.lua), its busted
# specs (spec/, one suite per interpreter), the `httpc` command (bin/httpc)
# and `make demo` (the reference documents' example sessions in Lua).
LUA_SPEC_VMS := lua5.1 lua5.2 lua5.3 lua5.4 luajit
TEST_SUITES += $(foreach v,$(LUA_SPEC_VMS),"BUILD=$(BUILD) bash spec/run.sh $(v)")
# The same specs over the LuaJIT FFI backend instead of the SWIG module.
TEST_SUITES += "BUILD=$(BUILD) HTTPC_BACKEND=ffi bash spec/run.sh luajit"
test: lua-core

.PHONY: demo
# On a fresh machine: install what is missing, build, start nginx (HTTP and
# HTTPS) and the raw server on loopback, run examples/demo.lua, stop them.
demo: deps
	@$(MAKE) --no-print-directory lib lua-core
	@BUILD=$(abspath $(BUILD)) bash examples/demo.sh
