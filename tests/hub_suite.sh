#!/bin/bash
# One suite of the binding hub (Perl, Tcl, Ruby):
#   bash tests/hub_suite.sh LANG BUILT_FILE 'GLOB' CMD...
# skips itself when BUILT_FILE is missing (the language was not built), else
# runs CMD FILE for every test file matching GLOB, shows its output without
# the file's own summary line, counts "ok"/"not ok" lines (TAP's
# "ok 3 - x" and the hub's "ok - x"; "# skip" counts as skipped), and ends
# with the one summary line tests/run.sh reads.  A file that exits non-zero
# without a "not ok" line (a crash, a plan mismatch) counts as one failure.
lang=$1 built=$2 glob=$3
shift 3
if [ ! -f "$built" ]; then
    echo "$lang binding not built (make $lang; make deps installs its toolchain) -- skipped"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
summary='^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'
p=0 f=0 s=0
for t in $glob; do
    out=$("$@" "$t" 2>&1)
    rc=$?
    grep -vE "$summary" <<<"$out"
    tp=$(grep -cE '^ *ok( [0-9]+)?( |$)' <<<"$out")
    tf=$(grep -cE '^ *not ok( [0-9]+)?( |$)' <<<"$out")
    ts=$(grep -cE '^ *ok( [0-9]+)? .*# (skip|SKIP)' <<<"$out")
    if [ "$rc" -ne 0 ] && [ "$tf" -eq 0 ]; then
        echo "not ok - $t exited with status $rc"
        tf=1
    fi
    p=$((p + tp - ts)) f=$((f + tf)) s=$((s + ts))
done
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
