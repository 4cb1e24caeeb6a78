#!/bin/bash
# The Ruby suite: tests/ruby/*.rb against $BUILD/ruby (tests/hub_suite.sh).
BUILD=${1:-build}
exec bash tests/hub_suite.sh ruby "$BUILD/ruby/httpc.rb" 'tests/ruby/*.rb' \
    env RUBYLIB="$BUILD/ruby" ruby
