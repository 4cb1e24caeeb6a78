"""Runs every tests/python/test_*.py with unittest, prints ok / not ok per
test and the summary line "N passed, N failed, N skipped"; exits nonzero on
failure.  Needs `make python` and the test servers (tests/run.sh):
    python3 tests/python/run.py [BUILD]
"""
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.environ.get('BUILD', 'build')
sys.path.insert(0, os.path.join(os.path.abspath(BUILD), 'python'))
sys.path.insert(0, HERE)


class Result(unittest.TextTestResult):
    def addSuccess(self, test):
        super().addSuccess(test)
        print('ok - %s' % test.id(), flush=True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        print('not ok - %s\n%s' % (test.id(), self._exc_info_to_string(err, test)), flush=True)

    def addError(self, test, err):
        super().addError(test, err)
        print('not ok - %s\n%s' % (test.id(), self._exc_info_to_string(err, test)), flush=True)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        print('ok - %s # SKIP %s' % (test.id(), reason), flush=True)


def main():
    suite = unittest.defaultTestLoader.discover(HERE, pattern='test_*.py', top_level_dir=HERE)
    with open(os.devnull, 'w') as quiet:
        runner = unittest.TextTestRunner(stream=quiet, resultclass=Result, verbosity=0)
        res = runner.run(suite)
    failed = len(res.failures) + len(res.errors) + len(res.unexpectedSuccesses)
    skipped = len(res.skipped)
    passed = res.testsRun - failed - skipped
    print('%d passed, %d failed, %d skipped' % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
