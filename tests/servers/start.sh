#!/bin/bash
# Start every httpc test server, with state in DIR, and write DIR/env.sh.
#   bash tests/servers/start.sh DIR      (stop with: bash tests/servers/stop.sh DIR)
# Listens only on 127.0.0.1 / ::1, on free ports picked at run time.
# See tests/servers/README.md for the exported variables.
set -euo pipefail

if [ $# -ne 1 ]; then echo "usage: $0 DIR" >&2; exit 2; fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$1"
D=$(cd "$1" && pwd)
chmod 755 "$D"
PY=$(python3 -c 'import sys; print(sys.executable)')

fail() {
    echo "start.sh: $*" >&2
    for f in "$D"/nginx-error.log "$D"/*.out "$D"/tinyproxy*.log "$D"/openssl.log; do
        [ -s "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
    done
    bash "$HERE/stop.sh" "$D" >/dev/null 2>&1 || true
    exit 1
}

# ---------------------------------------------------------------- ports
# 11 distinct ports, each free on both 127.0.0.1 and ::1.
read -r P_NGINX P_TLS P_WRONGHOST P_UNKNOWNCA P_EXPIRED P_CLIENTCERT P_OLD \
        P_PROXY P_PROXY_DENY P_RECPROXY P_RAW < <("$PY" - <<'EOF'
import socket
held, ports = [], []
while len(ports) < 11:
    s4 = socket.socket(socket.AF_INET)
    s4.bind(("127.0.0.1", 0))
    p = s4.getsockname()[1]
    try:
        s6 = socket.socket(socket.AF_INET6)
        s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s6.bind(("::1", p))
        held.append(s6)
    except OSError:
        held.append(s4)
        continue
    held.append(s4)
    ports.append(p)
print(*ports)
EOF
)
[ -n "$P_RAW" ] || fail "could not pick ports"

# ---------------------------------------------------------------- docroot
DOC="$D/docroot"
mkdir -p "$DOC" "$D/nginx-tmp" "$D/ssl"
chmod 755 "$DOC" "$D/ssl"
chmod 777 "$D/nginx-tmp"
{
    echo '<!doctype html>'
    echo '<html lang="en"><head><meta charset="utf-8"><title>httpc test page</title></head>'
    echo '<body><h1>httpc test page</h1>'
    for i in $(seq 1 40); do
        echo "<p>Paragraph $i: the quick brown fox jumps over the lazy dog. Lorem ipsum dolor sit amet.</p>"
    done
    echo '</body></html>'
} > "$DOC/index.html"
printf '%099d\n' 0 | tr 0 x > "$DOC/100b"      # 99 'x' + '\n' = 100 bytes
# deterministic pseudo-random bytes (AES-128-CTR keystream over zeros)
KEY=000102030405060708090a0b0c0d0e0f
head -c 1048576 /dev/zero | openssl enc -aes-128-ctr -K "$KEY" -iv 00000000000000000000000000000001 -nosalt > "$DOC/1m"
head -c 67108864 /dev/zero | openssl enc -aes-128-ctr -K "$KEY" -iv 00000000000000000000000000000002 -nosalt > "$DOC/64m"
printf 'This is the file for PUT demos.\n' > "$DOC/file"
chmod 644 "$DOC"/*

# ---------------------------------------------------------------- certificates
S="$D/ssl"
ossl() { openssl "$@" 2>>"$D/openssl.log" >/dev/null || fail "openssl $1 failed"; }
mkkey() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
mkca() { # name CN
    mkkey "$S/$1.key"
    cat > "$S/$1.ext" <<EOF
[req]
distinguished_name = dn
[dn]
[v3]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
EOF
    ossl req -x509 -new -key "$S/$1.key" -subj "/O=httpc tests/CN=$2" -days 30 \
        -config "$S/$1.ext" -extensions v3 -out "$S/$1.pem"
}
mkleaf() { # name ca CN days SAN eku
    mkkey "$S/$1.key"
    cat > "$S/$1.ext" <<EOF
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = $6
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
${5:+subjectAltName = $5}
EOF
    ossl req -new -key "$S/$1.key" -subj "/O=httpc tests/CN=$3" -out "$S/$1.csr"
    ossl x509 -req -in "$S/$1.csr" -CA "$S/$2.pem" -CAkey "$S/$2.key" \
        -set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
        -days "$4" -extfile "$S/$1.ext" -out "$S/$1.pem"
}
mkca ca "httpc test CA"
mkca otherca "httpc other test CA"
mkleaf good ca localhost 30 "DNS:localhost,IP:127.0.0.1,IP:::1" serverAuth
mkleaf wronghost ca wrong.example 30 "DNS:wrong.example" serverAuth
mkleaf unknownca otherca localhost 30 "DNS:localhost,IP:127.0.0.1,IP:::1" serverAuth
mkleaf expired ca localhost -1 "DNS:localhost,IP:127.0.0.1,IP:::1" serverAuth
mkleaf client ca "httpc test client" 30 "" clientAuth
CLIENT_KEY_PASS=httpc-secret
ossl pkey -in "$S/client.key" -aes-128-cbc -passout "pass:$CLIENT_KEY_PASS" -out "$S/client-enc.key"
chmod 644 "$S"/*

# ---------------------------------------------------------------- nginx
cat > "$D/nginx-locations.conf" <<EOF
root $DOC;
default_type application/octet-stream;

location / {
}

location = /echo {
    default_type text/plain;
    content_by_lua_block {
        ngx.req.read_body()
        local raw = ngx.req.raw_header()
        local data = ngx.req.get_body_data()
        local f, size
        if not data then
            local fn = ngx.req.get_body_file()
            if fn then
                f = assert(io.open(fn, "rb"))
                size = f:seek("end")
                f:seek("set", 0)
            end
        end
        ngx.header["Content-Type"] = "text/plain"
        ngx.header["Content-Length"] = #raw + (data and #data or size or 0)
        ngx.print(raw)
        if data then
            ngx.print(data)
        elseif f then
            while true do
                local chunk = f:read(1048576)
                if not chunk then break end
                ngx.print(chunk)
                ngx.flush(true)
            end
            f:close()
        end
    }
}

location ~ "^/status/(\d{3})\$" {
    content_by_lua_block {
        local code = tonumber(ngx.var[1])
        ngx.status = code
        if code < 200 or code == 204 or code == 304 then
            ngx.header["Content-Length"] = nil
            ngx.send_headers()
            return
        end
        local body = "status " .. code .. "\n"
        ngx.header["Content-Type"] = "text/plain"
        ngx.header["Content-Length"] = #body
        ngx.print(body)
    }
}

location = /chunked {
    default_type text/plain;
    content_by_lua_block {
        for i = 1, 3 do
            ngx.print("chunk" .. i .. "\n")
            ngx.flush(true)
        end
    }
}

location = /delay {
    default_type text/plain;
    content_by_lua_block {
        local ms = tonumber(ngx.var.arg_ms) or 0
        ngx.sleep(ms / 1000)
        local body = "delayed " .. ms .. "\n"
        ngx.header["Content-Length"] = #body
        ngx.print(body)
    }
}

# nginx cannot send the reason "Found" for 302 (it says "Moved Temporarily"),
# so /form is answered by the raw server's "form" scenario through nginx.
location = /form {
    proxy_pass http://127.0.0.1:$P_RAW/form;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_buffering off;
}

location = /file {
    if (\$request_method = PUT) {
        content_by_lua_block {
            ngx.req.read_body()
            local n = 0
            local data = ngx.req.get_body_data()
            if data then
                n = #data
            else
                local fn = ngx.req.get_body_file()
                if fn then
                    local f = assert(io.open(fn, "rb"))
                    n = f:seek("end")
                    f:close()
                end
            end
            local body = "stored " .. n .. " bytes\n"
            ngx.header["Content-Type"] = "text/plain"
            ngx.header["Content-Length"] = #body
            ngx.print(body)
        }
    }
}

location = /close {
    keepalive_timeout 0;
    default_type text/plain;
    return 200 "bye\n";
}
EOF

tls_server() { # port cert [extra directives...]
    local port=$1 cert=$2; shift 2
    cat <<EOF
    server {
        listen 127.0.0.1:$port ssl;
        server_name localhost;
        ssl_certificate $S/$cert.pem;
        ssl_certificate_key $S/$cert.key;
        $*
        include $D/nginx-locations.conf;
    }
EOF
}

NGINX_USER=""
[ "$(id -u)" = 0 ] && NGINX_USER="user www-data;"
cat > "$D/nginx.conf" <<EOF
load_module /usr/share/nginx/modules/ndk_http_module.so;
load_module /usr/share/nginx/modules/ngx_http_lua_module.so;
$NGINX_USER
worker_processes 1;
daemon on;
pid $D/nginx.pid;
error_log $D/nginx-error.log notice;

events {
    worker_connections 1024;
}

http {
    lua_package_path "/usr/share/lua/5.1/?.lua;;";
    access_log $D/nginx-access.log;
    client_body_temp_path $D/nginx-tmp/body;
    proxy_temp_path $D/nginx-tmp/proxy;
    fastcgi_temp_path $D/nginx-tmp/fastcgi;
    uwsgi_temp_path $D/nginx-tmp/uwsgi;
    scgi_temp_path $D/nginx-tmp/scgi;
    client_max_body_size 300m;
    large_client_header_buffers 8 64k;
    keepalive_timeout 65;
    keepalive_requests 10000;
    absolute_redirect off;
    server_tokens off;
    sendfile on;
    tcp_nodelay on;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;

    server {
        listen 127.0.0.1:$P_NGINX;
        listen [::1]:$P_NGINX;
        server_name localhost;
        include $D/nginx-locations.conf;
    }
$(tls_server "$P_TLS" good "listen [::1]:$P_TLS ssl;")
$(tls_server "$P_WRONGHOST" wronghost)
$(tls_server "$P_UNKNOWNCA" unknownca)
$(tls_server "$P_EXPIRED" expired)
$(tls_server "$P_CLIENTCERT" good "ssl_verify_client on; ssl_client_certificate $S/ca.pem;
        location = /whoami { default_type text/plain; return 200 \"\$ssl_client_s_dn\\n\"; }")
$(tls_server "$P_OLD" good "ssl_protocols TLSv1 TLSv1.1; ssl_ciphers DEFAULT:@SECLEVEL=0;")
}
EOF
nginx -p "$D" -c "$D/nginx.conf" -e "$D/nginx-error.log" 2>>"$D/nginx-error.log" \
    || fail "nginx did not start"

# ---------------------------------------------------------------- proxies, raw server
cat > "$D/tinyproxy.conf" <<EOF
Port $P_PROXY
Listen 127.0.0.1
Timeout 120
LogFile "$D/tinyproxy.log"
LogLevel Info
MaxClients 100
Allow 127.0.0.1
DisableViaHeader Yes
EOF
for p in "$P_NGINX" "$P_TLS" "$P_WRONGHOST" "$P_UNKNOWNCA" "$P_EXPIRED" "$P_CLIENTCERT" "$P_OLD" "$P_RAW"; do
    echo "ConnectPort $p" >> "$D/tinyproxy.conf"
done

spawn() { # name cmd...   (own session; pid in DIR/name.pid)
    local name=$1; shift
    setsid "$@" > "$D/$name.out" 2>&1 < /dev/null &
    echo $! > "$D/$name.pid"
}
spawn tinyproxy tinyproxy -d -c "$D/tinyproxy.conf"
spawn recproxy "$PY" "$HERE/recproxy.py" "$P_RECPROXY" "$D/recproxy.log"
spawn denyproxy "$PY" "$HERE/recproxy.py" "$P_PROXY_DENY" "$D/denyproxy.log" --deny
spawn rawserver "$PY" "$HERE/rawserver.py" "$P_RAW"

# wait until everything accepts connections (5 s max)
"$PY" - "$P_NGINX" "$P_TLS" "$P_CLIENTCERT" "$P_OLD" "$P_PROXY" "$P_PROXY_DENY" "$P_RECPROXY" "$P_RAW" <<'EOF' || fail "servers did not come up"
import socket, sys, time
end = time.monotonic() + 5
for p in map(int, sys.argv[1:]):
    while True:
        try:
            socket.create_connection(("127.0.0.1", p), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > end:
                sys.exit("port %d not up" % p)
            time.sleep(0.02)
EOF

cat > "$D/env.sh" <<EOF
export HTTPC_TEST_DIR='$D'
export HTTPC_TEST_HOST=127.0.0.1
export HTTPC_TEST_DOCROOT='$DOC'
export HTTPC_TEST_NGINX_PORT=$P_NGINX
export HTTPC_TEST_CA='$S/ca.pem'
export HTTPC_TEST_OTHER_CA='$S/otherca.pem'
export HTTPC_TEST_TLS_PORT=$P_TLS
export HTTPC_TEST_TLS_WRONGHOST_PORT=$P_WRONGHOST
export HTTPC_TEST_TLS_UNKNOWNCA_PORT=$P_UNKNOWNCA
export HTTPC_TEST_TLS_EXPIRED_PORT=$P_EXPIRED
export HTTPC_TEST_TLS_CLIENTCERT_PORT=$P_CLIENTCERT
export HTTPC_TEST_TLS_OLD_PORT=$P_OLD
export HTTPC_TEST_CLIENT_CERT='$S/client.pem'
export HTTPC_TEST_CLIENT_KEY='$S/client.key'
export HTTPC_TEST_CLIENT_KEY_ENC='$S/client-enc.key'
export HTTPC_TEST_CLIENT_KEY_PASS='$CLIENT_KEY_PASS'
export HTTPC_TEST_PROXY_PORT=$P_PROXY
export HTTPC_TEST_PROXY_LOG='$D/tinyproxy.log'
export HTTPC_TEST_PROXY_DENY_PORT=$P_PROXY_DENY
export HTTPC_TEST_PROXY_DENIED_TARGET_PORT=$P_PROXY_DENY
export HTTPC_TEST_RECPROXY_PORT=$P_RECPROXY
export HTTPC_TEST_RECPROXY_LOG='$D/recproxy.log'
export HTTPC_TEST_RAW_PORT=$P_RAW
EOF
chmod 644 "$D/env.sh"
if [ -n "${HTTPC_TEST_KEEP_SERVERS:-}" ]; then
    echo "servers running; use:  source $D/env.sh   stop with:  bash $HERE/stop.sh $D" >&2
fi
