# Test suites: tests/run.sh starts the shared servers (tests/servers/start.sh),
# runs every command in TEST_SUITES with the HTTPC_TEST_* environment exported
# (see tests/servers/README.md) and sums each suite's
# "N passed, N failed[, N skipped]" line.  Areas append their own suites:
#   TEST_SUITES += "build/tests/test_foo"
TEST_SUITES += "bash tests/servers/selftest.sh"
