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
