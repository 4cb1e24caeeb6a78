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

# ---- luarocks (httpc-scm-1.rockspec, build type "make") ----
# luarocks passes LUA_INCDIR and the install directories; the C module links
# libhttpc.a in, so the installed tree needs no LD_LIBRARY_PATH.
ROCK_BUILD := $(BUILD)/rock
.PHONY: rock-build rock-install
rock-build: $(LIB_A)
	@test -n "$(LUA_INCDIR)" || { echo "rock-build: LUA_INCDIR not set (run through luarocks)"; exit 1; }
	@mkdir -p $(ROCK_BUILD)/httpc
	$(SWIG) -lua -nomoduleglobal -Icore/include -Ibindings -o $(ROCK_BUILD)/httpc_core_wrap.c bindings/httpc.i
	$(CC) $(BINDINGS_CFLAGS) -I$(LUA_INCDIR) -shared -o $(ROCK_BUILD)/httpc/core.so \
	  $(ROCK_BUILD)/httpc_core_wrap.c $(BINDINGS_LINK)

rock-install:
	install -d $(INST_LIBDIR)/httpc $(INST_LUADIR)/httpc $(INST_BINDIR)
	install -m 0755 $(ROCK_BUILD)/httpc/core.so $(INST_LIBDIR)/httpc/core.so
	install -m 0644 lua/httpc.lua $(INST_LUADIR)/httpc.lua
	install -m 0644 $(wildcard lua/httpc/*.lua) $(INST_LUADIR)/httpc/
	install -m 0755 bin/httpc $(INST_BINDIR)/httpc
