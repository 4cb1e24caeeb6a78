#!/bin/bash
# Stop every server tests/servers/start.sh started in DIR (by pid files).
#   bash tests/servers/stop.sh DIR
# Safe to call more than once, and after a partial start.
set -u
if [ $# -ne 1 ]; then echo "usage: $0 DIR" >&2; exit 2; fi
D=$1
[ -d "$D" ] || exit 0

pids=()
for f in "$D"/nginx.pid "$D"/tinyproxy.pid "$D"/recproxy.pid "$D"/denyproxy.pid "$D"/rawserver.pid; do
    [ -s "$f" ] || continue
    pid=$(tr -dc 0-9 < "$f")
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null; then
        pids+=("$pid")
        # each server leads its own process group (nginx master daemonizes with
        # setsid; the others are started with setsid): signal the whole group
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    fi
done

alive() { # prints pids of group members still running
    local p
    for p in "${pids[@]}"; do
        pgrep -g "$p" 2>/dev/null
    done
}

for _ in $(seq 1 50); do
    [ -z "$(alive)" ] && break
    sleep 0.05
done
left=$(alive)
if [ -n "$left" ]; then
    for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null; done
    for _ in $(seq 1 20); do
        [ -z "$(alive)" ] && break
        sleep 0.05
    done
fi
rm -f "$D"/nginx.pid "$D"/tinyproxy.pid "$D"/recproxy.pid "$D"/denyproxy.pid "$D"/rawserver.pid
exit 0
