#!/bin/bash
# httpc inside nginx (Debian's libnginx-mod-http-lua + lua-resty-core): starts
# a private nginx (worker_processes 1) whose locations /t/<case> run the
# cases of tests/openresty/cases.lua against the shared test servers, and
# checks each answer.  Run by `make test` (tests/run.sh exports the
# HTTPC_TEST_* servers); standalone it starts its own servers.
#   bash tests/openresty/run.sh            (BUILD=dir for the library)
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
LIB=$(cd "$BUILD" && pwd)/libhttpc.so.1

own_servers=""
dir=$(mktemp -d "${TMPDIR:-/tmp}/httpc-openresty.XXXXXX")
chmod 755 "$dir"
cleanup() {
    [ -s "$dir/nginx.pid" ] && kill -QUIT "$(cat "$dir/nginx.pid")" 2>/dev/null
    for _ in $(seq 50); do [ -e "$dir/nginx.pid" ] || break; sleep 0.1; done
    [ -n "$own_servers" ] && bash "$ROOT/tests/servers/stop.sh" "$own_servers" >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT

if [ -z "${HTTPC_TEST_NGINX_PORT:-}" ]; then
    own_servers="$dir/servers"
    bash "$ROOT/tests/servers/start.sh" "$own_servers" || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
    set -a; source "$own_servers/env.sh"; set +a
fi

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CASES="backend get binary post head chunked https https_wronghost incomplete timeout
       remote_disconnected keepalive opt_out parallel parallel_blocking_control init_worker timer"

# Workers run as root so they can read the repo and the build tree wherever
# they are; HTTPC_LIB is passed with `env`, like the test servers' ports.
cat > "$dir/nginx.conf" <<CONF
load_module /usr/share/nginx/modules/ndk_http_module.so;
load_module /usr/share/nginx/modules/ngx_http_lua_module.so;
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 1;
daemon on;
pid $dir/nginx.pid;
error_log $dir/error.log notice;
env HTTPC_LIB;
env HTTPC_BACKEND;
env HTTPC_TEST_NGINX_PORT;
env HTTPC_TEST_RAW_PORT;
env HTTPC_TEST_TLS_PORT;
env HTTPC_TEST_TLS_WRONGHOST_PORT;
env HTTPC_TEST_TLS_UNKNOWNCA_PORT;
env HTTPC_TEST_CA;
env HTTPC_TEST_DOCROOT;
events { worker_connections 1024; }
http {
    access_log $dir/access.log;
    client_body_temp_path $dir/body;
    lua_package_path "$ROOT/lua/?.lua;$ROOT/tests/openresty/?.lua;/usr/share/lua/5.1/?.lua;;";
    # what verifies the server certificates of cosocket TLS (ctx.cafile's role)
    lua_ssl_trusted_certificate $HTTPC_TEST_CA;
    lua_ssl_verify_depth 3;
    lua_shared_dict httpc_results 1m;
    init_worker_by_lua_block {
        local cases = require "cases"
        cases.background("init_worker")
        ngx.timer.at(0, function() cases.background("timer") end)
    }
    server {
        listen 127.0.0.1:$PORT;
        location = /p/rewrite {
            rewrite_by_lua_block { ngx.ctx.res = require("cases").phase_probe() }
            content_by_lua_block { ngx.say(ngx.ctx.res) }
        }
        location = /p/access {
            access_by_lua_block { ngx.ctx.res = require("cases").phase_probe() }
            content_by_lua_block { ngx.say(ngx.ctx.res) }
        }
        location = /p/set {
            set_by_lua_block \$res { return require("cases").phase_probe() }
            content_by_lua_block { ngx.say(ngx.var.res) }
        }
        location ~ ^/t/(\w+)\$ {
            default_type text/plain;
            content_by_lua_block {
                local name = ngx.var[1]
                local f = require("cases")[name]
                if not f then ngx.say("fail no case ", name) return end
                local ok, res = pcall(f)
                ngx.say(ok and "ok " or "fail ", tostring(res))
            }
        }
    }
}
CONF

pass=0 fail=0
if ! HTTPC_LIB="$LIB" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" 2>>"$dir/error.log"; then
    echo "not ok - nginx starts"; sed 's/^/# /' "$dir/error.log"
    echo "0 passed, 1 failed, 0 skipped"; exit 1
fi
for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
    sleep 0.1
done

for c in $CASES; do
    body=$(curl -s -m 30 "http://127.0.0.1:$PORT/t/$c")
    body=${body//$'\n'/ }
    if [[ $body == ok* ]]; then
        echo "ok - $c: ${body#ok }"
        pass=$((pass + 1))
    else
        echo "not ok - $c: $body"
        fail=$((fail + 1))
    fi
done
# the phase decides the transport
for p in rewrite:"phase rewrite: nginx cosocket transport" access:"phase access: nginx cosocket transport" \
         set:"phase set has no cosockets: blocking transport"; do
    body=$(curl -s -m 30 "http://127.0.0.1:$PORT/p/${p%%:*}")
    if [[ $body == ok* && $body == *"${p#*:}"* ]]; then
        echo "ok - ${p%%:*} phase: ${body#ok }"
        pass=$((pass + 1))
    else
        echo "not ok - ${p%%:*} phase: want '${p#*:}', got: $body"
        fail=$((fail + 1))
    fi
done
if grep -E '\[(alert|emerg|crit)\]|lua entry thread aborted' "$dir/error.log" >/dev/null; then
    echo "not ok - error log is clean"; grep -E '\[(alert|emerg|crit|error)\]' "$dir/error.log" | head -20 | sed 's/^/# /'
    fail=$((fail + 1))
else
    echo "ok - error log has no alert/crit/aborted thread"
    pass=$((pass + 1))
fi
[ "$fail" -gt 0 ] && { echo "# error log tail:"; tail -n 30 "$dir/error.log" | sed 's/^/# /'; }
echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
