# httpc -- top-level build.  Areas add their rules in mk/*.mk; every test
# suite registers a command in TEST_SUITES and prints TAP-like "ok"/"not ok"
# lines ending with "N passed, N failed[, N skipped]"; tests/run.sh sums them.
.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
ABI_MAJOR := 1
VERSION := 1.0.0

CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fPIC
OPT     ?= -O2 -g
CFLAGS  ?=
CPPFLAGS_CORE := -Icore/include -Icore/src
LIBS_CORE := -lssl -lcrypto

CORE_SRCS := $(sort $(wildcard core/src/*.c))
CORE_OBJS := $(patsubst core/src/%.c,$(BUILD)/obj/%.o,$(CORE_SRCS))
CORE_HDRS := core/include/httpc.h $(wildcard core/src/*.h)

LIB_SO  := $(BUILD)/libhttpc.so.$(ABI_MAJOR)
LIB_A   := $(BUILD)/libhttpc.a

TEST_SUITES :=

.PHONY: all lib deps test demo env install clean
all: lib
lib: $(LIB_SO) $(BUILD)/libhttpc.so $(LIB_A)

$(BUILD)/obj/%.o: core/src/%.c $(CORE_HDRS) | $(BUILD)/obj
	$(CC) $(CFLAGS_BASE) $(OPT) -fvisibility=hidden $(CPPFLAGS_CORE) $(CFLAGS) -c $< -o $@

$(BUILD)/obj:
	@mkdir -p $@

$(LIB_SO): $(CORE_OBJS) core/httpc.map
	$(CC) -shared -Wl,-soname,libhttpc.so.$(ABI_MAJOR) -Wl,--version-script=core/httpc.map \
	  -Wl,--no-undefined -o $@ $(CORE_OBJS) $(LIBS_CORE) $(LDFLAGS)

$(BUILD)/libhttpc.so: $(LIB_SO)
	ln -sf libhttpc.so.$(ABI_MAJOR) $@

$(LIB_A): $(CORE_OBJS)
	rm -f $@ && ar rcs $@ $(CORE_OBJS)

# Debian packages every part of the project needs (build, tests, bindings,
# benchmarks, fuzzing).  Installs only what is missing.
DEB_PKGS := build-essential pkg-config openssl libssl-dev python3-dev \
  lua5.1 liblua5.1-0-dev lua5.2 liblua5.2-dev lua5.3 liblua5.3-dev lua5.4 liblua5.4-dev \
  luajit2 libluajit2-5.1-dev lua-busted luarocks swig \
  nginx libnginx-mod-http-lua lua-resty-core tinyproxy \
  libcurl4-openssl-dev lua-socket lua-http wrk hyperfine node-llhttp \
  clang libclang-rt-14-dev abigail-tools valgrind strace \
  libperl-dev tcl-dev ruby-dev python3-pytest \
  perl tcl ruby curl time
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "deps: all present"; else \
	  echo "deps: installing $$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	fi

-include mk/*.mk

test: lib
	@bash tests/run.sh $(TEST_SUITES)

env:
	@echo "export LD_LIBRARY_PATH=$(abspath $(BUILD))$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}"
	@for f in mk/*.env; do [ -f "$$f" ] && BUILD=$(abspath $(BUILD)) TOP=$(abspath .) bash "$$f"; done; true

install: lib
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(LIB_SO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libhttpc.so.$(ABI_MAJOR) $(DESTDIR)$(PREFIX)/lib/libhttpc.so
	install -m 0644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 core/include/httpc.h $(DESTDIR)$(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' core/httpc.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/httpc.pc

clean:
	rm -rf $(BUILD)
