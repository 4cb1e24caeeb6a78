# SWIG bindings (bindings/httpc.i + bindings/<lang>/httpc_<lang>.i).
# Everything generated goes under $(BUILD); the modules link libhttpc.a in
# (its symbols hidden), so no LD_LIBRARY_PATH is needed to load them.
#   make lua-core   -> $(BUILD)/lua/<5.1|5.2|5.3|5.4|luajit>/httpc/core.so
#   make python     -> $(BUILD)/python/httpc/ (import httpc)
#   make test-bindings-stress  (10,000 handles under each GC, valgrind)
SWIG    ?= swig
PYTHON  ?= python3
BINDINGS_I := bindings/httpc.i $(wildcard bindings/*/httpc_*.i)
# SWIG's generated wrappers leave the `self` of module functions unused.
BINDINGS_CFLAGS = $(CFLAGS_BASE) -Wno-unused-parameter $(OPT) -Icore/include $(CFLAGS)
BINDINGS_LINK = $(LIB_A) $(LIBS_CORE) -Wl,--exclude-libs,ALL $(LDFLAGS)

.PHONY: lua-core python test-bindings-stress

# ---- Lua: one core.so per interpreter whose headers are installed ----
LUA_VERSIONS := $(foreach v,5.1 5.2 5.3 5.4,$(if $(wildcard /usr/include/lua$(v)/lua.h),$(v)))
LUAJIT_INC   := $(firstword $(wildcard /usr/include/luajit-2.1))
LUA_TARGETS  := $(LUA_VERSIONS) $(if $(LUAJIT_INC),luajit)
LUA_CORE_SOS := $(foreach v,$(LUA_TARGETS),$(BUILD)/lua/$(v)/httpc/core.so)

$(BUILD)/swig/lua/httpc_core_wrap.c: $(BINDINGS_I) core/include/httpc.h
	@mkdir -p $(dir $@)
	$(SWIG) -lua -nomoduleglobal -Icore/include -Ibindings -o $@ bindings/httpc.i

$(BUILD)/lua/%/httpc/core.so: $(BUILD)/swig/lua/httpc_core_wrap.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(BINDINGS_CFLAGS) -I$(if $(filter luajit,$*),$(LUAJIT_INC),/usr/include/lua$*) \
	  -shared -o $@ $< $(BINDINGS_LINK)

lua-core: $(LUA_CORE_SOS)

# ---- Python: the package httpc = hand-written modules + SWIG extension ----
PY_INCLUDES   := $(shell $(PYTHON)-config --includes 2>/dev/null)
PY_EXT_SUFFIX := $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))' 2>/dev/null)
PY_PKG        := $(BUILD)/python/httpc
PY_SOURCES    := $(wildcard bindings/python/httpc/*.py)
PY_TARGETS    := $(PY_PKG)/_httpc_core$(PY_EXT_SUFFIX) $(PY_PKG)/httpc_core.py \
                 $(patsubst bindings/python/httpc/%,$(PY_PKG)/%,$(PY_SOURCES))

$(BUILD)/swig/python/httpc_core_wrap.c: $(BINDINGS_I) core/include/httpc.h
	@mkdir -p $(dir $@)
	$(SWIG) -python -Icore/include -Ibindings -outdir $(dir $@) -o $@ bindings/httpc.i

$(BUILD)/swig/python/httpc_core.py: $(BUILD)/swig/python/httpc_core_wrap.c

$(PY_PKG)/_httpc_core$(PY_EXT_SUFFIX): $(BUILD)/swig/python/httpc_core_wrap.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(BINDINGS_CFLAGS) $(PY_INCLUDES) -shared -o $@ $< $(BINDINGS_LINK)

$(PY_PKG)/httpc_core.py: $(BUILD)/swig/python/httpc_core.py
	@mkdir -p $(dir $@)
	cp $< $@

$(PY_PKG)/%.py: bindings/python/httpc/%.py
	@mkdir -p $(dir $@)
	cp $< $@

python: $(PY_TARGETS)

# ---- tests ----
TEST_SUITES += "$(PYTHON) tests/python/run.py $(BUILD)"
TEST_SUITES += "bash tests/lua/run_core_smoke.sh $(BUILD)"
test: python lua-core

# 10,000 handles dropped in random order under Lua 5.4's and Python's GC,
# under valgrind (~40 s, so also part of make test).
TEST_SUITES += "bash tests/stress/bindings_stress.sh $(BUILD)"
test-bindings-stress: python lua-core
	bash tests/run.sh "bash tests/stress/bindings_stress.sh $(BUILD)"
