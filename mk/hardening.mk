# Hardening (docs/SECURITY.md): the hostile-server catalog, libFuzzer
# harnesses, sanitizer and valgrind runs, a soak run and the ABI guard.

# ---- hostile-server catalog (tests/c/test_hostile.c + rawserver.py) ----
$(BUILD)/tests/test_hostile: tests/c/test_hostile.c tests/c/check.h core/include/httpc.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) -Icore/include -Itests/c $(CFLAGS) $< -o $@ $(LIB_A) -lssl -lcrypto $(LDFLAGS)

TEST_SUITES += "$(BUILD)/tests/test_hostile"
test: $(BUILD)/tests/test_hostile
