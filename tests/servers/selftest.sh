#!/bin/bash
# Self-test of the test servers (run through tests/run.sh, which exports the
# HTTPC_TEST_* environment).  Uses curl, openssl s_client and python3 http.client.
set -u
if [ -z "${HTTPC_TEST_DIR:-}" ]; then
    echo "selftest.sh: HTTPC_TEST_* not set; run via: bash tests/run.sh 'bash tests/servers/selftest.sh'"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi
pass=0 fail=0
ok()    { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; [ $# -gt 1 ] && echo "#   $2"; fail=$((fail + 1)); }
# check NAME EXPECTED ACTUAL
check() { if [ "$2" == "$3" ]; then ok "$1"; else notok "$1" "expected [$2] got [$3]"; fi; }

H=127.0.0.1
N="http://$H:$HTTPC_TEST_NGINX_PORT"
C="curl -sS --max-time 10"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# ---------------------------------------------------------------- nginx
check "nginx / is index.html" "<!doctype html>" "$($C $N/ | head -n 1)"
check "nginx /index.html size" "$(stat -c %s "$HTTPC_TEST_DOCROOT/index.html")" "$($C $N/index.html | wc -c)"
check "nginx /100b" 100 "$($C $N/100b | wc -c)"
$C -o "$T/1m" $N/1m
check "nginx /1m size" 1048576 "$(stat -c %s "$T/1m")"
check "nginx /1m matches docroot" 0 "$(cmp -s "$T/1m" "$HTTPC_TEST_DOCROOT/1m"; echo $?)"
nuls=$(tr -dc '\000' < "$T/1m" | wc -c)
if [ "$nuls" -gt 0 ]; then ok "nginx /1m has NUL bytes"; else notok "nginx /1m has NUL bytes"; fi
check "nginx /64m size" 67108864 "$($C -o /dev/null -w '%{size_download}' $N/64m)"
check "nginx /file" "This is the file for PUT demos." "$($C $N/file)"
check "nginx /parrot.spam 404" 404 "$($C -o /dev/null -w '%{http_code}' $N/parrot.spam)"
check "nginx IPv6" 100 "$($C "http://[::1]:$HTTPC_TEST_NGINX_PORT/100b" | wc -c)"

printf 'POST /echo HTTP/1.1\r\nHost: %s\r\nAccept: */*\r\nUser-Agent: curl/x\r\nX-Test: a b\r\nContent-Length: 5\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nhello' \
    "$H:$HTTPC_TEST_NGINX_PORT" > "$T/expect"
$C -H 'User-Agent: curl/x' -H 'X-Test: a b' --data-binary hello $N/echo > "$T/echo"
check "nginx /echo exact" 0 "$(cmp -s "$T/echo" "$T/expect"; echo $?)"
check "nginx /echo content-type" "text/plain" "$($C -o /dev/null -w '%{content_type}' $N/echo)"
$C -H 'Transfer-Encoding: chunked' --data-binary @"$T/1m" $N/echo > "$T/echo-big"
check "nginx /echo chunked 1 MiB body (spilled to file)" 0 \
    "$(tail -c 1048576 "$T/echo-big" | cmp -s - "$T/1m"; echo $?)"
if grep -qa '^Transfer-Encoding: chunked' "$T/echo-big"; then ok "nginx /echo shows TE header"; else notok "nginx /echo shows TE header"; fi
check "nginx /echo GET" "GET /echo?x=1 HTTP/1.1" "$($C "$N/echo?x=1" | head -n 1 | tr -d '\r')"
check "nginx /status/404" "404 status 404" "$($C -w '%{http_code} ' -o "$T/s" $N/status/404)$(cat "$T/s")"
check "nginx /status/500" "500" "$($C -o /dev/null -w '%{http_code}' $N/status/500)"
check "nginx /status/204 no body" "204 0" "$($C -o /dev/null -w '%{http_code} %{size_download}' $N/status/204)"
$C -D "$T/h" $N/chunked > "$T/b"
check "nginx /chunked body" "$(printf 'chunk1\nchunk2\nchunk3\n')" "$(cat "$T/b")"
if grep -qi '^transfer-encoding: chunked' "$T/h"; then ok "nginx /chunked is chunked"; else notok "nginx /chunked is chunked"; fi
start=$(date +%s%N)
check "nginx /delay" "delayed 300" "$($C "$N/delay?ms=300")"
el=$((($(date +%s%N) - start) / 1000000))
if [ "$el" -ge 280 ]; then ok "nginx /delay waited (${el} ms)"; else notok "nginx /delay waited" "${el} ms"; fi
$C -D "$T/h" -d 'a=1' $N/form > "$T/b"
check "nginx /form status" "HTTP/1.1 302 Found" "$(head -n 1 "$T/h" | tr -d '\r')"
check "nginx /form location" "Location: /landing" "$(grep -i '^location:' "$T/h" | tr -d '\r')"
check "nginx /form body" 'Redirecting to <a href="/landing">/landing</a>' "$(cat "$T/b")"
check "nginx PUT /file" "200 stored 1048576 bytes" "$($C -w '%{http_code} ' -o "$T/s" -T "$T/1m" $N/file)$(cat "$T/s")"
$C -D "$T/h" $N/close > "$T/b"
check "nginx /close body" "bye" "$(cat "$T/b")"
if grep -qi '^connection: close' "$T/h"; then ok "nginx /close Connection: close"; else notok "nginx /close Connection: close"; fi

# ---------------------------------------------------------------- TLS
S="https://localhost"
check "tls good" 100 "$($C --cacert "$HTTPC_TEST_CA" $S:$HTTPC_TEST_TLS_PORT/100b | wc -c)"
check "tls good 127.0.0.1 (IP SAN)" 100 "$($C --cacert "$HTTPC_TEST_CA" https://127.0.0.1:$HTTPC_TEST_TLS_PORT/100b | wc -c)"
check "tls good ::1" 100 "$($C --cacert "$HTTPC_TEST_CA" "https://[::1]:$HTTPC_TEST_TLS_PORT/100b" | wc -c)"
check "tls echo" "GET /echo HTTP/1.1" "$($C --cacert "$HTTPC_TEST_CA" $S:$HTTPC_TEST_TLS_PORT/echo | head -n 1 | tr -d '\r')"
check "tls good fails without CA" 60 "$($C -o /dev/null $S:$HTTPC_TEST_TLS_PORT/ 2>/dev/null; echo $?)"
check "tls wronghost fails" 60 "$($C -o /dev/null --cacert "$HTTPC_TEST_CA" $S:$HTTPC_TEST_TLS_WRONGHOST_PORT/ 2>/dev/null; echo $?)"
check "tls expired fails" 60 "$($C -o /dev/null --cacert "$HTTPC_TEST_CA" $S:$HTTPC_TEST_TLS_EXPIRED_PORT/ 2>/dev/null; echo $?)"
check "tls unknownca fails" 60 "$($C -o /dev/null --cacert "$HTTPC_TEST_CA" $S:$HTTPC_TEST_TLS_UNKNOWNCA_PORT/ 2>/dev/null; echo $?)"
check "tls unknownca ok with OTHER_CA" 100 "$($C --cacert "$HTTPC_TEST_OTHER_CA" $S:$HTTPC_TEST_TLS_UNKNOWNCA_PORT/100b | wc -c)"
check "tls clientcert required" 400 "$($C -o /dev/null -w '%{http_code}' --cacert "$HTTPC_TEST_CA" $S:$HTTPC_TEST_TLS_CLIENTCERT_PORT/whoami)"
check "tls clientcert whoami" "CN=httpc test client,O=httpc tests" \
    "$($C --cacert "$HTTPC_TEST_CA" --cert "$HTTPC_TEST_CLIENT_CERT" --key "$HTTPC_TEST_CLIENT_KEY" $S:$HTTPC_TEST_TLS_CLIENTCERT_PORT/whoami)"
check "tls clientcert encrypted key" "CN=httpc test client,O=httpc tests" \
    "$($C --cacert "$HTTPC_TEST_CA" --cert "$HTTPC_TEST_CLIENT_CERT" --key "$HTTPC_TEST_CLIENT_KEY_ENC" --pass "$HTTPC_TEST_CLIENT_KEY_PASS" $S:$HTTPC_TEST_TLS_CLIENTCERT_PORT/whoami)"
proto=$(echo | timeout 5 openssl s_client -connect $H:$HTTPC_TEST_TLS_OLD_PORT -tls1 -cipher DEFAULT@SECLEVEL=0 2>/dev/null | sed -n 's/^ *Protocol *: *//p')
check "tls old accepts TLSv1" "TLSv1" "$proto"
check "tls old refuses TLSv1.2" 35 "$($C -o /dev/null --tlsv1.2 --cacert "$HTTPC_TEST_CA" $S:$HTTPC_TEST_TLS_OLD_PORT/ 2>/dev/null; echo $?)"

# ---------------------------------------------------------------- proxies
check "tinyproxy CONNECT to TLS" 100 "$($C -p -x http://$H:$HTTPC_TEST_PROXY_PORT --cacert "$HTTPC_TEST_CA" $S:$HTTPC_TEST_TLS_PORT/100b | wc -c)"
sleep 0.1
if grep -q "CONNECT localhost:$HTTPC_TEST_TLS_PORT" "$HTTPC_TEST_PROXY_LOG"; then ok "tinyproxy log shows CONNECT"; else notok "tinyproxy log shows CONNECT"; fi
check "tinyproxy forward GET" 100 "$($C -x http://$H:$HTTPC_TEST_PROXY_PORT $N/100b | wc -c)"
check "recproxy CONNECT to TLS" 100 "$($C -p -x http://$H:$HTTPC_TEST_RECPROXY_PORT --proxy-header 'X-Tunnel: yes' --cacert "$HTTPC_TEST_CA" $S:$HTTPC_TEST_TLS_PORT/100b | wc -c)"
if grep -q "^X-Tunnel: yes" "$HTTPC_TEST_RECPROXY_LOG"; then ok "recproxy log has CONNECT header"; else notok "recproxy log has CONNECT header"; fi
check "deny proxy 403" 403 "$($C -p -x http://$H:$HTTPC_TEST_PROXY_DENY_PORT -o /dev/null -w '%{http_connect}' $S:$HTTPC_TEST_TLS_PORT/ 2>/dev/null)"

# ---------------------------------------------------------------- raw server (python http.client)
python3 - > "$T/py" 2>&1 <<'EOF'
import http.client, os, socket
port = int(os.environ["HTTPC_TEST_RAW_PORT"])
def t(name, f, want):
    try:
        got = f()
    except Exception as e:
        got = "%s: %s" % (type(e).__name__, e)
    if got == want:
        print("ok - raw %s" % name)
    else:
        print("not ok - raw %s\n#   expected %r got %r" % (name, want, got))
def get(path, method="GET", body=None, host="127.0.0.1", headers={}):
    c = http.client.HTTPConnection(host, port, timeout=5)
    c.request(method, path, body, headers)
    r = c.getresponse()
    return r, c
def ok():
    r, c = get("/ok?x")
    return r.status, r.reason, r.read()
t("ok", ok, (200, "OK", b"hello"))
t("ok ::1", lambda: get("/ok", host="::1")[0].read(), b"hello")
def echo():
    r, c = get("/echo/x", "POST", b"abc", headers={"X-A": "1"})
    return r.read()
t("echo", echo, b"POST /echo/x HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept-Encoding: identity\r\n"
   b"Content-Length: 3\r\nX-A: 1\r\n\r\nabc" % port)
def ka():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    out = []
    for i in range(3):
        c.request("GET", "/keepalive-count")
        out.append(c.getresponse().read())
    return out
t("keepalive-count", ka, [b"1", b"2", b"3"])
def chunked_req():
    r, c = get("/echo", "POST", iter([b"ab", b"cd"]))
    return r.read().endswith(b"\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n")
t("echo chunked request", chunked_req, True)
def interim():
    # http.client skips only 100; 102 ends up as the response (length 0)
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /interim HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while not data.endswith(b"\r\n\r\nok"):
        d = s.recv(4096)
        if not d:
            break
        data += d
    s.close()
    return data.count(b"HTTP/1.1 "), b"Link: </style.css>" in data, get("/interim")[0].status
t("interim", interim, (4, True, 102))
t("chunked-trailers", lambda: get("/chunked-trailers")[0].read(), b"hello world")
t("repeated", lambda: get("/repeated")[0].msg.get_all("Set-Cookie"), ["a=1", "b=2; Path=/"])
t("http10", lambda: (lambda r: (r.version, r.read()))(get("/http10")[0]), (10, b"until close"))
t("truncated-cl", lambda: get("/truncated-cl")[0].read(), "IncompleteRead: IncompleteRead(10 bytes read, 90 more expected)")
t("bad-status", lambda: get("/bad-status")[0], "BadStatusLine: ICY 200 OK\r\n")
t("http2", lambda: get("/http2")[0], "UnknownProtocol: HTTP/2.0")
t("many-headers", lambda: get("/many-headers")[0], "HTTPException: got more than 100 headers")
t("long-header", lambda: get("/long-header")[0], "LineTooLong: got more than 65536 bytes when reading header line")
t("close-no-response", lambda: get("/close-no-response")[0], "RemoteDisconnected: Remote end closed connection without response")
def head():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("HEAD", "/head-body"); r = c.getresponse(); a = (r.getheader("Content-Length"), r.read())
    c.request("GET", "/keepalive-count"); return a, c.getresponse().read()
t("head-body then keep-alive", head, (("5", b""), b"2"))
def silence():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=0.3)
    c.request("GET", "/silence")
    c.getresponse()
t("silence times out", silence, "TimeoutError: timed out")
def slow():
    r, c = get("/slow?interval=0.01")
    return r.read()
t("slow", slow, b"slow")
t("unknown scenario 404", lambda: get("/nope")[0].status, 404)
EOF
cat "$T/py"
pass=$((pass + $(grep -c '^ok - ' "$T/py")))
fail=$((fail + $(grep -c '^not ok - ' "$T/py")))
if ! grep -q '^ok - raw ok$' "$T/py"; then notok "raw python checks ran"; fi

echo "$pass passed, $fail failed, 0 skipped"
[ "$fail" -eq 0 ]
