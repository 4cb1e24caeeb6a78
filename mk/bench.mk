# Benchmarks (issue 8): `make bench` builds the C clients and the parser
# micro-benchmark into $(BUILD)/bench and runs tests/bench/bench.py, which
# starts its own nginx.  Never part of `make test`.
#   make bench BENCH_MD=docs/bench-table.md   also writes the report as Markdown
#   make bench BENCH_RUNS=5 BENCH_SECS=2 BENCH_CPU=1 BENCH_CLIENTS=... BENCH_WORK=...
BENCH_DIR   := $(BUILD)/bench
LLHTTP_SRC  := /usr/share/llhttp
LLHTTP_INC  := /usr/share/include/llhttp
LLHTTP_OBJS := $(patsubst $(LLHTTP_SRC)/%.c,$(BENCH_DIR)/llhttp/%.o,$(wildcard $(LLHTTP_SRC)/*.c))
# the engine sources parse_head needs, compiled into the parser benchmark
BENCH_PARSER_CORE := core/src/parse_response.c core/src/errors.c core/src/buf.c \
  core/src/debug.c core/src/write_request.c
BENCH_BINS := $(BENCH_DIR)/floor $(BENCH_DIR)/httpc_c $(BENCH_DIR)/curl_c $(BENCH_DIR)/parser_bench
BENCH_CFLAGS = $(CFLAGS_BASE) $(OPT) $(CFLAGS)

.PHONY: bench bench-build
bench-build: $(BENCH_BINS)

bench: bench-build lib
	@$(MAKE) --no-print-directory lua-core python || \
	  echo "bench: the Lua/Python modules did not build; their clients show n/a (not built)"
	BUILD=$(BUILD) $(if $(BENCH_MD),BENCH_MD=$(abspath $(BENCH_MD))) \
	  $(if $(BENCH_RUNS),BENCH_RUNS=$(BENCH_RUNS)) $(if $(BENCH_SECS),BENCH_SECS=$(BENCH_SECS)) \
	  $(if $(BENCH_CPU),BENCH_CPU=$(BENCH_CPU)) $(if $(BENCH_CLIENTS),BENCH_CLIENTS="$(BENCH_CLIENTS)") \
	  $(if $(BENCH_WORK),BENCH_WORK="$(BENCH_WORK)") \
	  python3 tests/bench/bench.py

$(BENCH_DIR)/floor: tests/bench/floor.c tests/bench/client.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $< -o $@ -lssl -lcrypto $(LDFLAGS)

# static library: the client runs the same code as libhttpc.so, without PLT calls
$(BENCH_DIR)/httpc_c: tests/bench/httpc_c.c tests/bench/client.h core/include/httpc.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -Icore/include $< -o $@ $(LIB_A) $(LIBS_CORE) $(LDFLAGS)

$(BENCH_DIR)/curl_c: tests/bench/curl_c.c tests/bench/client.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $< -o $@ -lcurl $(LDFLAGS)

$(BENCH_DIR)/llhttp/%.o: $(LLHTTP_SRC)/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(OPT) -fPIC -I$(LLHTTP_INC) -c $< -o $@

$(BENCH_DIR)/parser_bench: tests/bench/parser_bench.c $(BENCH_PARSER_CORE) $(CORE_HDRS) $(LLHTTP_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(CPPFLAGS_CORE) -I$(LLHTTP_INC) tests/bench/parser_bench.c \
	  $(BENCH_PARSER_CORE) $(LLHTTP_OBJS) -o $@ $(LDFLAGS)

# The TLS blocking-socket mode (one recv() per record, a core change made for
# the syscall target) keeps its timeouts and deadline: a test suite.
$(BUILD)/tests/test_tls_blocking: tests/c/test_tls_blocking.c tests/c/check.h core/include/httpc.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) -Icore/include -Itests/c $(CFLAGS) $< -o $@ $(LIB_A) $(LIBS_CORE) $(LDFLAGS)

TEST_SUITES += "$(BUILD)/tests/test_tls_blocking"
test: $(BUILD)/tests/test_tls_blocking
