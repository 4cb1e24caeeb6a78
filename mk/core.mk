# Core C tests.  test_engine links the static library and sees the internal
# headers (it tests the engine's functions); the others use the public API.
CORE_TESTS := test_engine test_driven test_conn test_examples test_null

$(BUILD)/tests/test_engine: tests/c/test_engine.c tests/c/check.h $(CORE_HDRS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) $(CPPFLAGS_CORE) -Itests/c $(CFLAGS) $< -o $@ $(LIB_A) $(LIBS_CORE) $(LDFLAGS)

$(BUILD)/tests/test_%: tests/c/test_%.c tests/c/check.h core/include/httpc.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) -Icore/include -Itests/c $(CFLAGS) $< -o $@ $(LIB_A) $(LIBS_CORE) $(LDFLAGS)

core-tests: $(addprefix $(BUILD)/tests/,$(CORE_TESTS))
test: core-tests
TEST_SUITES += "$(BUILD)/tests/test_engine" "$(BUILD)/tests/test_driven" "$(BUILD)/tests/test_conn" "$(BUILD)/tests/test_examples" "$(BUILD)/tests/test_null"
.PHONY: core-tests
