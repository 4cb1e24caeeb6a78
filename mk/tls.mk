# TLS transport tests (tests/c/test_tls.c): needs the servers tests/run.sh
# starts; links the static library so no LD_LIBRARY_PATH is needed.
$(BUILD)/tests/test_tls: tests/c/test_tls.c tests/c/check.h core/include/httpc.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) $(OPT) -Icore/include -Itests/c $(CFLAGS) $< -o $@ $(LIB_A) -lssl -lcrypto $(LDFLAGS)

TEST_SUITES += "$(BUILD)/tests/test_tls"
test: $(BUILD)/tests/test_tls
