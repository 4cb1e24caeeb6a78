#!/bin/bash
# Runs tests/ruby/*.rb with ruby against $BUILD/ruby; each prints its own
# ok/not ok lines and summary; this sums them into one line.
BUILD=${1:-build}
if [ ! -f "$BUILD/ruby/httpc.rb" ]; then
    echo "ruby binding not built (make ruby; needs ruby-dev) -- skipped"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
p=0 f=0 s=0
for t in tests/ruby/*.rb; do
    out=$(RUBYLIB="$BUILD/ruby" ruby "$t" 2>&1)
    rc=$?
    echo "$out"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' <<<"$out" | tail -n 1)
    if [ -z "$line" ]; then echo "not ok - $t ended without a summary (rc $rc)"; f=$((f + 1)); continue; fi
    read -r tp _ tf _ ts _ <<<"$line"
    p=$((p + tp)) f=$((f + tf)) s=$((s + ts))
done
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
