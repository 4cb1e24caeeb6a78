#!/bin/bash
# The Tcl suite: tests/tcl/*.tcl against $BUILD/tcl (tests/hub_suite.sh).
BUILD=${1:-build}
exec bash tests/hub_suite.sh tcl "$BUILD/tcl/httpc/pkgIndex.tcl" 'tests/tcl/*.tcl' \
    env TCLLIBPATH="$BUILD/tcl" tclsh8.6
