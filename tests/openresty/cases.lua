-- Test cases run inside nginx by tests/openresty/run.sh: GET /t/<name> runs
-- cases[name]() in a content handler and answers "ok ..." or "fail ...".
-- Upstreams are the shared test servers (tests/servers/README.md).
local httpc = require "httpc"

local H = "127.0.0.1"
local NGINX = tonumber(os.getenv("HTTPC_TEST_NGINX_PORT"))
local RAW = tonumber(os.getenv("HTTPC_TEST_RAW_PORT"))
local TLS = tonumber(os.getenv("HTTPC_TEST_TLS_PORT"))
local WRONGHOST = tonumber(os.getenv("HTTPC_TEST_TLS_WRONGHOST_PORT"))
local UNKNOWNCA = tonumber(os.getenv("HTTPC_TEST_TLS_UNKNOWNCA_PORT"))
local CA = os.getenv("HTTPC_TEST_CA")

local M = {}

local function check(cond, fmt, ...)
    if not cond then error(("check failed: " .. fmt):format(...), 2) end
end

local function get(conn, url, ...)
    assert(conn:request("GET", url, ...))
    return assert(conn:getresponse())
end

-- The trace of one connection, collected through the debug sink.
local function traced(fn)
    local text = {}
    httpc.set_debug_sink(function(t) text[#text + 1] = t end)
    local ok, err = pcall(fn)
    httpc.set_debug_sink(nil)
    if not ok then error(err, 0) end
    return table.concat(text)
end

function M.backend()
    -- the FFI backend is what runs here (no SWIG module on nginx's cpath)
    check(httpc.backend.name == "ffi", "backend %s", tostring(httpc.backend.name))
    return "backend " .. httpc.backend.name .. " " .. httpc._VERSION
end

function M.get()
    local conn = httpc.HTTPConnection(H, NGINX)
    local trace = traced(function()
        conn:set_debuglevel(1)
        local r = get(conn, "/100b")
        check(r.status == 200 and r.reason == "OK", "status %s %s", r.status, r.reason)
        local body = assert(r:read())
        check(body == ("x"):rep(99) .. "\n", "body %q", body)
        check(r.closed, "closed after read")
        -- keep-alive: a second request on the same connection
        local r2 = get(conn, "/index.html")
        local b2 = assert(r2:read())
        check(b2:sub(1, 15) == "<!doctype html>", "second body %q", b2:sub(1, 20))
    end)
    check(trace:find("cosocket transport", 1, true), "trace names the transport: %s", trace)
    check(trace:find("send: b'GET /100b HTTP/1.1", 1, true), "trace has the request: %s", trace)
    check(trace:find("reply: 'HTTP/1.1 200 OK", 1, true), "trace has the reply")
    conn:close()
    return "GET x2 on one connection, trace ok"
end

function M.binary()
    local conn = httpc.HTTPConnection(H, NGINX)
    local r = get(conn, "/1m")
    local want = io.open(os.getenv("HTTPC_TEST_DOCROOT") .. "/1m", "rb"):read("*a")
    local buf = httpc.buffer(65536)
    local parts, total = {}, 0
    while true do
        local n = assert(r:readinto(buf))
        if n == 0 then break end
        parts[#parts + 1] = httpc.buffer_tostring(buf, n)
        total = total + n
    end
    check(total == #want and table.concat(parts) == want, "1 MiB via readinto: %d bytes", total)
    return "1 MiB with NULs via readinto into an FFI buffer"
end

function M.post()
    local conn = httpc.HTTPConnection(H, NGINX)
    local payload = "a=1&b=\0binary\0"
    assert(conn:request("POST", "/echo", payload, { ["Content-Type"] = "application/x-www-form-urlencoded" }))
    local r = assert(conn:getresponse())
    local echo = assert(r:read())
    check(echo:find("POST /echo HTTP/1.1\r\n", 1, true) == 1, "request line: %q", echo:sub(1, 40))
    check(echo:find("Content-Length: " .. #payload .. "\r\n", 1, true), "content-length in %q", echo)
    check(echo:sub(-#payload) == payload, "body echoed")
    -- a chunked (iterator) body
    local pieces = { "one ", "", "two ", "three" }
    local i = 0
    assert(conn:request("POST", "/echo", function() i = i + 1; return pieces[i] end))
    local e2 = assert(assert(conn:getresponse()):read())
    check(e2:find("Transfer-Encoding: chunked\r\n", 1, true), "chunked request: %q", e2)
    check(e2:sub(-13) == "one two three", "chunked body decoded by nginx: %q", e2:sub(-20))
    return "POST with Content-Length and chunked bodies"
end

function M.head()
    local conn = httpc.HTTPConnection(H, NGINX)
    assert(conn:request("HEAD", "/100b"))
    local r = assert(conn:getresponse())
    check(r.status == 200 and r:getheader("Content-Length") == "100", "head %s", r.status)
    check(assert(r:read()) == "", "HEAD has no body")
    -- and the connection is still in step
    local r2 = get(conn, "/status/404")
    check(r2.status == 404 and assert(r2:read()) == "status 404\n", "after HEAD: %s", r2.status)
    return "HEAD then GET on one connection"
end

function M.chunked()
    local conn = httpc.HTTPConnection(H, NGINX)
    local r = get(conn, "/chunked")
    check(r:getheader("Transfer-Encoding") == "chunked", "te %s", tostring(r:getheader("Transfer-Encoding")))
    local lines = {}
    for line in r:lines() do lines[#lines + 1] = line end
    check(table.concat(lines, "|") == "chunk1|chunk2|chunk3", "lines %s", table.concat(lines, "|"))
    local r2 = get(httpc.HTTPConnection(H, RAW), "/chunked-trailers")
    check(assert(r2:read()) == "hello world", "chunk extensions and trailers")
    return "chunked bodies"
end

function M.https()
    local ctx = assert(httpc.ssl.create_default_context({ cafile = CA }))
    local conn = httpc.HTTPSConnection("localhost", TLS, { context = ctx })
    local trace = traced(function()
        conn:set_debuglevel(1)
        local r = get(conn, "/chunked")
        check(r.status == 200 and assert(r:read()) == "chunk1\nchunk2\nchunk3\n", "https body")
        local r2 = get(conn, "/100b")
        check(#assert(r2:read()) == 100, "second https request")
    end)
    check(trace:find("TLS verify=true sni=localhost", 1, true), "verified, with SNI: %s", trace)
    return "HTTPS with verification and SNI"
end

function M.https_wronghost()
    local ctx = assert(httpc.ssl.create_default_context({ cafile = CA }))
    local conn = httpc.HTTPSConnection("localhost", WRONGHOST, { context = ctx })
    local ok, err = conn:request("GET", "/")
    check(not ok and err:is("SSLCertVerificationError"), "got %s", tostring(err))
    local conn2 = httpc.HTTPSConnection("localhost", UNKNOWNCA, { context = ctx })
    local ok2, err2 = conn2:request("GET", "/")
    check(not ok2 and err2:is("SSLCertVerificationError") and err2:is("SSLError") and err2:is("OSError"),
          "got %s", tostring(err2))
    -- and an unverified context goes through
    local conn3 = httpc.HTTPSConnection("localhost", UNKNOWNCA,
                                        { context = httpc.ssl.create_unverified_context() })
    local r = get(conn3, "/100b")
    check(r.status == 200, "unverified")
    return "wrong host / unknown CA refused (" .. err.message .. "); unverified works"
end

function M.incomplete()
    local conn = httpc.HTTPConnection(H, RAW)
    local r = get(conn, "/truncated-cl")
    local data, err = r:read()
    check(data == nil and err and err:is("IncompleteRead"), "got %s", tostring(err))
    check(err.partial == "0123456789" and err.expected == 90, "partial %q expected %s",
          tostring(err.partial), tostring(err.expected))
    check(err:is("HTTPException") and tostring(err):find("^IncompleteRead: "), "class and tostring")
    return tostring(err)
end

function M.timeout()
    local conn = httpc.HTTPConnection(H, RAW, { timeout = 0.2 })
    local t0 = ngx.now()
    assert(conn:request("GET", "/silence"))
    local r, err = conn:getresponse()
    ngx.update_time()
    local dt = ngx.now() - t0
    check(r == nil and err:is("TimeoutError") and err:is("OSError"), "got %s", tostring(err))
    check(dt >= 0.15 and dt < 1.5, "took %.3f s", dt)
    local conn2 = httpc.HTTPConnection(H, 1)
    local ok, err2 = conn2:request("GET", "/")
    check(not ok and err2:is("ConnectionRefusedError"), "refused: %s", tostring(err2))
    return ("timeout after %.3f s; %s"):format(dt, tostring(err2))
end

function M.remote_disconnected()
    local conn = httpc.HTTPConnection(H, RAW)
    local r, err
    local trace = traced(function()
        conn:set_debuglevel(1)
        assert(conn:request("GET", "/close-no-response"))
        r, err = conn:getresponse()
    end)
    check(r == nil and err:is("RemoteDisconnected") and err:is("ConnectionResetError"), "got %s; %s",
          tostring(err), trace)
    -- "Connection: close": the next request reconnects by itself
    local conn2 = httpc.HTTPConnection(H, NGINX)
    check(assert(get(conn2, "/close"):read()) == "bye\n", "close body")
    check(assert(get(conn2, "/100b"):read()) == ("x"):rep(99) .. "\n", "reopened after Connection: close")
    return tostring(err)
end

function M.keepalive()
    -- raw "keepalive-count" answers how many requests its TCP connection carried
    local counts = {}
    for i = 1, 3 do
        local conn = httpc.HTTPConnection(H, RAW)
        conn:set_keepalive(10000, 4)
        counts[i] = assert(get(conn, "/keepalive-count"):read())
        conn:close()
    end
    check(table.concat(counts, ",") == "1,2,3", "pooled counts %s", table.concat(counts, ","))
    -- a connection without set_keepalive still takes the pooled socket, but
    -- does not give it back: the next one starts afresh
    local conn = httpc.HTTPConnection(H, RAW)
    local c4 = assert(get(conn, "/keepalive-count"):read())
    conn:close()
    local c5 = assert(get(httpc.HTTPConnection(H, RAW), "/keepalive-count"):read())
    check(c4 == "4" and c5 == "1", "without set_keepalive: %s then %s", c4, c5)
    return "cosocket pool reused: " .. table.concat(counts, ",")
end

function M.parallel()
    local n, ms = 20, 200
    ngx.update_time()
    local t0 = ngx.now()
    local threads = {}
    for i = 1, n do
        threads[i] = ngx.thread.spawn(function()
            local conn = httpc.HTTPConnection(H, NGINX)
            local r = get(conn, "/delay?ms=" .. ms)
            return assert(r:read())
        end)
    end
    for i = 1, n do
        local ok, body = ngx.thread.wait(threads[i])
        check(ok and body == "delayed " .. ms .. "\n", "thread %d: %s", i, tostring(body))
    end
    ngx.update_time()
    local dt = ngx.now() - t0
    check(dt < 1.5, "%d x %d ms took %.3f s (a blocking client needs %.1f s)", n, ms, dt, n * ms / 1000)
    return ("%d requests of %d ms in parallel on one worker: %.3f s (blocking: %.1f s)"):format(
        n, ms, dt, n * ms / 1000)
end

function M.opt_out()
    local conn = httpc.HTTPConnection(H, NGINX, { ngx = false })
    local trace = traced(function()
        conn:set_debuglevel(1)
        check(#assert(get(conn, "/100b"):read()) == 100, "body")
    end)
    check(trace:find("phase content has no cosockets", 1, true) == nil, "no fallback note")
    check(trace:find("cosocket transport", 1, true) == nil, "not driven: %s", trace)
    check(conn:fileno() >= 0, "a C socket: fileno %s", tostring(conn:fileno()))
    local driven = httpc.HTTPConnection(H, NGINX)
    local ok, err = driven:set_tunnel("example.org", 443)
    check(not ok and err:is("HTTPException"), "set_tunnel refused: %s", tostring(err))
    return "{ngx = false} keeps the C socket; set_tunnel refused over cosockets"
end

-- The control for "parallel": the same threads over the blocking transport
-- serialize, so the measurement can tell the two apart.
function M.parallel_blocking_control()
    local n, ms = 5, 200
    ngx.update_time()
    local t0 = ngx.now()
    local threads = {}
    for i = 1, n do
        threads[i] = ngx.thread.spawn(function()
            local conn = httpc.HTTPConnection(H, NGINX, { ngx = false })
            return assert(get(conn, "/delay?ms=" .. ms):read())
        end)
    end
    for i = 1, n do
        local ok, body = ngx.thread.wait(threads[i])
        check(ok and body == "delayed " .. ms .. "\n", "thread %d: %s", i, tostring(body))
    end
    ngx.update_time()
    local dt = ngx.now() - t0
    check(dt >= n * ms / 1000 * 0.95, "%d blocking requests took only %.3f s", n, dt)
    return ("%d x %d ms over the blocking transport: %.3f s (serialized)"):format(n, ms, dt)
end

-- One GET from whatever phase runs it; "ok <transport note>" or "fail ...".
function M.phase_probe()
    local ok, res = pcall(function()
        local conn = httpc.HTTPConnection(H, NGINX)
        local trace = traced(function()
            conn:set_debuglevel(1)
            check(#assert(get(conn, "/100b"):read()) == 100, "body")
        end)
        return trace:match("httpc%.ngx: ([^\n]*)") or ("no transport note in " .. trace)
    end)
    return (ok and "ok " or "fail ") .. tostring(res)
end

-- Filled by init_worker (blocking fallback) and by a timer (cosockets).
function M.init_worker()
    local dict = ngx.shared.httpc_results
    local v = dict:get("init_worker")
    check(v and v:find("^ok "), "init_worker result %s", tostring(v))
    check(v:find("no cosockets: blocking transport", 1, true), "trace says blocking: %s", v)
    return v:sub(1, 120)
end

function M.timer()
    local dict = ngx.shared.httpc_results
    for _ = 1, 50 do
        if dict:get("timer") then break end
        ngx.sleep(0.05)
    end
    local v = dict:get("timer")
    check(v and v:find("^ok "), "timer result %s", tostring(v))
    check(v:find("phase timer: nginx cosocket transport", 1, true), "timer used cosockets: %s", v)
    return v:sub(1, 120)
end

-- Run in init_worker / timer: one GET, its trace kept in the shared dict.
function M.background(key)
    local ok, res = pcall(function()
        local conn = httpc.HTTPConnection(H, NGINX)
        return traced(function()
            conn:set_debuglevel(1)
            local r = get(conn, "/100b")
            check(#assert(r:read()) == 100, "body")
        end)
    end)
    ngx.shared.httpc_results:set(key, (ok and "ok " or "fail ") .. tostring(res))
end

return M
