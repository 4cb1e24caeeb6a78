# Hardening (docs/SECURITY.md): the hostile-server catalog, libFuzzer
# harnesses, sanitizer and valgrind runs, a soak run and the ABI guard.

# ---- hostile-server catalog (tests/c/test_hostile.c + rawserver.py) ----
$(BUILD)/tests/test_hostile: tests/c/test_hostile.c tests/c/check.h core/include/httpc.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) -Icore/include -Itests/c $(CFLAGS) $< -o $@ $(LIB_A) -lssl -lcrypto $(LDFLAGS)

TEST_SUITES += "$(BUILD)/tests/test_hostile"
test: $(BUILD)/tests/test_hostile

# ---- fuzzing (libFuzzer + ASan + UBSan; tests/fuzz/) --------------------
# The harnesses call the engine's internal functions, so the core sources
# are compiled straight into each one.
FUZZ_CC ?= clang
FUZZ_HARNESSES := $(sort $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -O1 \
  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_OBJS := $(patsubst core/src/%.c,$(BUILD)/fuzz/obj/%.o,$(CORE_SRCS))
FUZZ_SECONDS ?= 60

$(BUILD)/fuzz/obj/%.o: core/src/%.c $(CORE_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(CPPFLAGS_CORE) -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_split.h $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(CPPFLAGS_CORE) $< $(FUZZ_OBJS) -o $@ -lssl -lcrypto

.PHONY: fuzz fuzz-build
fuzz-build: $(addprefix $(BUILD)/fuzz/,$(FUZZ_HARNESSES))
fuzz: fuzz-build
	@BUILD=$(BUILD) bash tests/fuzz/run.sh $(FUZZ_SECONDS)

# CI: a 60-second smoke of each harness, two at a time (~2 minutes)
TEST_SUITES += "BUILD=$(BUILD) bash tests/fuzz/run.sh 60"

# ---- threads: independent handles on 8 threads (TSan-clean) -------------
$(BUILD)/tests/test_threads: tests/c/test_threads.c tests/c/check.h core/include/httpc.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) -pthread -Icore/include -Itests/c $(CFLAGS) $< -o $@ $(LIB_A) -lssl -lcrypto $(LDFLAGS)

TEST_SUITES += "$(BUILD)/tests/test_threads"
test: $(BUILD)/tests/test_threads

# ---- sanitizers and valgrind -------------------------------------------
# Each sanitizer gets its own tree ($(BUILD)/asan, $(BUILD)/tsan): the
# library and the C suites are rebuilt there by a sub-make with the
# sanitizer's flags.  C_SUITES: every tests/c/test_*.c.
SAN_CC ?= clang
C_SUITES := $(sort $(patsubst tests/c/%.c,%,$(wildcard tests/c/test_*.c)))
ASAN_BUILD := $(BUILD)/asan
TSAN_BUILD := $(BUILD)/tsan
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
TSAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
  --show-leak-kinds=definite,indirect

$(ASAN_BUILD)/tests/%: FORCE
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) CC=$(SAN_CC) OPT="$(ASAN_FLAGS)" \
	  LDFLAGS="-fsanitize=address,undefined" $@
$(ASAN_BUILD)/lua/%/httpc/core.so: FORCE
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) CC=$(SAN_CC) OPT="$(ASAN_FLAGS)" \
	  LDFLAGS="-fsanitize=address,undefined" $@
$(TSAN_BUILD)/tests/%: FORCE
	@$(MAKE) --no-print-directory BUILD=$(TSAN_BUILD) CC=$(SAN_CC) OPT="$(TSAN_FLAGS)" \
	  LDFLAGS="-fsanitize=thread" $@
.PHONY: FORCE test-asan test-tsan test-valgrind
FORCE:

# The Lua specs run on lua5.4 with the SWIG module built with ASan; the
# interpreter is not instrumented, so the runtime is preloaded and leak
# checking is off (the interpreter's own exit is not ours to judge).
ASAN_RT = $(shell $(SAN_CC) -print-file-name=libclang_rt.asan-x86_64.so)
test-asan: $(addprefix $(ASAN_BUILD)/tests/,$(C_SUITES)) $(ASAN_BUILD)/lua/5.4/httpc/core.so
	@$(SAN_ENV) bash tests/run.sh $(addprefix $(ASAN_BUILD)/tests/,$(C_SUITES)) \
	  "LD_PRELOAD=$(ASAN_RT) ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 BUILD=$(ASAN_BUILD) bash spec/run.sh lua5.4"

test-tsan: $(TSAN_BUILD)/tests/test_threads
	@$(SAN_ENV) bash tests/run.sh $(TSAN_BUILD)/tests/test_threads

test-valgrind: $(addprefix $(BUILD)/tests/,$(C_SUITES))
	@bash tests/run.sh $(foreach t,$(C_SUITES),"$(VALGRIND) $(BUILD)/tests/$(t)")

# CI: the catalog under ASan+UBSan and under valgrind, the threads under TSan
TEST_SUITES += "$(SAN_ENV) $(ASAN_BUILD)/tests/test_hostile"
TEST_SUITES += "$(VALGRIND) $(BUILD)/tests/test_hostile"
TEST_SUITES += "$(SAN_ENV) $(TSAN_BUILD)/tests/test_threads"
test: $(ASAN_BUILD)/tests/test_hostile $(TSAN_BUILD)/tests/test_threads

# ---- ABI guard (tests/abi/) --------------------------------------------
# The baseline records the HTTPC_ABI_VERSION it was made for; regenerate it
# (in the same commit as the version bump) with `make abi-baseline`.
ABI_VER = $(shell sed -n 's/.*HTTPC_ABI_VERSION = \([0-9]*\).*/\1/p' core/include/httpc.h | head -1)
.PHONY: abi-baseline abi-check
abi-baseline: $(LIB_SO)
	@{ abidw --no-corpus-path --no-comp-dir-path --drop-private-types --headers-dir core/include $(LIB_SO); \
	  echo "<!-- httpc ABI baseline: HTTPC_ABI_VERSION=$(ABI_VER); regenerate with make abi-baseline -->"; \
	} > tests/abi/libhttpc.abi
	@echo "tests/abi/libhttpc.abi: HTTPC_ABI_VERSION $(ABI_VER), $$(grep -c '<elf-symbol ' tests/abi/libhttpc.abi) symbols"
abi-check: $(LIB_SO)
	@BUILD=$(BUILD) bash tests/abi/check.sh

TEST_SUITES += "BUILD=$(BUILD) bash tests/abi/check.sh"

# ---- soak (tests/soak/soak.c): not in make test at full scale ------------
SOAK_SCALE ?= 1
$(BUILD)/tests/soak: tests/soak/soak.c tests/c/check.h core/include/httpc.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) -Icore/include -Itests/c $(CFLAGS) $< -o $@ $(LIB_A) -lssl -lcrypto $(LDFLAGS)
.PHONY: soak
soak: $(BUILD)/tests/soak
	@SOAK_SCALE=$(SOAK_SCALE) $(BUILD)/tests/soak

# CI: a 2% soak (4,000 keep-alive requests, 400 reconnects, restarts included)
TEST_SUITES += "SOAK_SCALE=0.02 $(BUILD)/tests/soak"
test: $(BUILD)/tests/soak
