#!/bin/bash
# The Perl suite: tests/perl/*.t (Test::More, TAP) against $BUILD/perl
# (tests/hub_suite.sh).
BUILD=${1:-build}
exec bash tests/hub_suite.sh perl "$BUILD/perl/httpc.pm" 'tests/perl/*.t' \
    env PERL5LIB="$BUILD/perl" perl
