-- Smoke test of the SWIG backend httpc.core (bindings/BACKEND.md) against the
-- test nginx and raw server.  Runs unchanged on Lua 5.1-5.4 and LuaJIT:
--   LUA_CPATH="build/lua/5.4/?.so" lua5.4 tests/lua/core_smoke.lua
-- Prints ok / not ok lines and "N passed, N failed, N skipped".
local B = require "httpc.core"

local host = os.getenv("HTTPC_TEST_HOST") or "127.0.0.1"
local nginx = tonumber(os.getenv("HTTPC_TEST_NGINX_PORT"))
local raw = tonumber(os.getenv("HTTPC_TEST_RAW_PORT"))
local docroot = os.getenv("HTTPC_TEST_DOCROOT")
local tag = (jit and jit.version or _VERSION)

local passed, failed = 0, 0
local function check(name, fn)
    local ok, err = pcall(fn)
    if ok then
        passed = passed + 1
        print("ok - " .. tag .. ": " .. name)
    else
        failed = failed + 1
        print("not ok - " .. tag .. ": " .. name .. ": " .. tostring(err))
    end
end

local function eq(got, want, what)
    if got ~= want then
        error(string.format("%s: got %s, want %s", what or "value", tostring(got), tostring(want)), 2)
    end
end

local function readfile(path)
    local f = assert(io.open(path, "rb"))
    local s = f:read("*a")
    f:close()
    return s
end

local function get(port, path, method)
    local c = B.conn_new(host, port, nil)
    eq(c:request(method or "GET", path, nil, 0), B.OK, "request rc")
    local rc, r = c:getresponse()
    eq(rc, B.OK, "getresponse rc")
    return c, r
end

if not (nginx and raw and docroot) then
    print("not ok - " .. tag .. ": HTTPC_TEST_* not set (run through tests/run.sh)")
    print("0 passed, 1 failed, 0 skipped")
    os.exit(1)
end

check("constants and the exported error tree", function()
    eq(B.OK, 0, "OK")
    eq(B.ABI_VERSION, B.abi_version(), "abi")
    eq(type(B.version()), "string", "version")
    eq(B.code_name(B.E_INCOMPLETEREAD), "IncompleteRead", "name")
    eq(B.code_parent(B.E_REMOTEDISCONNECTED, 0), B.E_BADSTATUSLINE, "parent 0")
    eq(B.code_parent(B.E_REMOTEDISCONNECTED, 1), B.E_CONNECTIONRESET, "parent 1")
    eq(B.code_is(B.E_CANNOTSENDREQUEST, B.E_HTTPEXCEPTION), 1, "is")
    eq(B.code_from_name("LineTooLong"), B.E_LINETOOLONG, "from_name")
    eq(math.type and math.type(B.E_LAST) or "integer", "integer", "integer constants")
end)

check("GET /1m: binary body byte-exact, read in 3 ways", function()
    local want = readfile(docroot .. "/1m")
    local c, r = get(nginx, "/1m")
    eq(r:status(), 200, "status")
    eq(r:reason(), "OK", "reason")
    eq(r:version(), 11, "version")
    eq(r:length(), #want, "length")
    local rc, cl = r:getheader("content-length")
    eq(rc, 1, "getheader found")
    eq(cl, tostring(#want), "content-length")
    local parts = {}
    local buf = B.buffer(4096)
    eq(buf:size(), 4096, "buffer size")
    local rc2, n = r:readinto(buf, 4096)
    eq(rc2, B.OK, "readinto rc")
    eq(n, 4096, "readinto n")
    parts[#parts + 1] = buf:tostring(n)
    local rc3, line = r:readline(100)
    eq(rc3, B.OK, "readline rc")
    parts[#parts + 1] = line
    local rc4, rest = r:read(-1)
    eq(rc4, B.OK, "read rc")
    parts[#parts + 1] = rest
    local body = table.concat(parts)
    eq(#body, #want, "length")
    eq(body == want, true, "bytes equal")
    assert(want:find("\0", 1, true), "the file has NUL bytes")
    eq(r:closed(), 1, "closed at end")
    local rc5, tail = r:read(-1)
    eq(rc5, B.OK, "read past end")
    eq(tail, "", "empty past end")
    r:free()
    c:free()
end)

check("request with a binary body (NULs both ways) via /echo", function()
    local body = "a\0b\0\255c"
    local c = B.conn_new(host, nginx, nil)
    eq(c:request_header("X-Bin", "1"), B.OK, "header")
    eq(c:request("POST", "/echo", body, B.BODY_BYTES), B.OK, "request")
    local rc, r = c:getresponse()
    eq(rc, B.OK, "getresponse")
    local _, echoed = r:read(-1)
    eq(echoed:sub(-#body), body, "body echoed")
    assert(echoed:find("Content-Length: " .. #body .. "\r\n", 1, true), "content-length sent")
    assert(echoed:find("X-Bin: 1\r\n", 1, true), "staged header sent")
    c:free()
end)

check("headers in arrival order and peek/read1", function()
    local c, r = get(raw, "/repeated")
    local names = {}
    for i = 0, r:header_count() - 1 do
        local rc, name, value = r:header_at(i)
        eq(rc, B.OK, "header_at rc")
        names[#names + 1] = name .. "=" .. value
    end
    eq(table.concat(names, ";"),
       "Set-Cookie=a=1;X-Multi=one;Set-Cookie=b=2; Path=/;X-Multi=two;Content-Length=0", "headers")
    local _, joined = r:getheader("x-multi")
    eq(joined, "one, two", "joined")
    local found = r:getheader("nope")
    eq(found, 0, "absent")
    c:free()
    local c2, r2 = get(nginx, "/100b")
    local _, p = r2:peek(10)
    assert(#p >= 1, "peek returned bytes")
    eq(p:sub(1, 1), "x", "peek byte")
    local _, d = r2:read1(-1)
    assert(#d >= 1 and d:sub(1, 1) == "x", "read1")
    c2:free()
    r2:free()
end)

check("errors are values: IncompleteRead, RemoteDisconnected, refused", function()
    local c, r = get(raw, "/truncated-cl")
    local rc, data = r:read(-1)
    eq(rc, B.E_INCOMPLETEREAD, "rc")
    local e = r:error()
    eq(e:code(), B.E_INCOMPLETEREAD, "code")
    eq(e:partial(), "0123456789", "partial")
    eq(e:expected(), 90, "expected")
    eq(type(data), "string", "data still a string")
    c:free()

    local c2 = B.conn_new(host, raw, nil)
    eq(c2:request("GET", "/close-no-response", nil, 0), B.OK, "request")
    local rc2, r2 = c2:getresponse()
    eq(rc2, B.E_REMOTEDISCONNECTED, "remote disconnected")
    eq(r2, nil, "no response")
    local e2 = c2:error()
    eq(B.code_is(e2:code(), B.E_CONNECTIONRESET), 1, "is a ConnectionResetError")
    eq(B.code_is(e2:code(), B.E_BADSTATUSLINE), 1, "is a BadStatusLine")
    assert(#e2:message() > 0, "message")
    -- the error object is a copy: it outlives its handle
    c2:free()
    c2 = nil
    collectgarbage()
    eq(e2:code(), B.E_REMOTEDISCONNECTED, "error outlives the connection")

    local c3 = B.conn_new(host, 1, nil)
    local rc3 = c3:connect()
    eq(rc3, B.E_CONNECTIONREFUSED, "refused")
    assert(c3:error():errno() > 0, "errno kept")

    local c4 = B.conn_new("h:abc", -1, nil)
    eq(c4:error():code(), B.E_INVALIDURL, "invalid url at construction")

    local c5 = B.conn_new(host, raw, nil)
    eq(c5:request("GET", "/long-header", nil, 0), B.OK, "request")
    local rc5, r5 = c5:getresponse()
    eq(rc5, B.E_LINETOOLONG, "rc")
    eq(r5, nil, "no response")
    eq(c5:error():code(), B.E_LINETOOLONG, "line too long")
    eq(c5:error():what(), "header line", "what")
end)

check("a wrong argument type raises; an HTTP error never does", function()
    local c = B.conn_new(host, nginx, nil)
    eq(pcall(c.request, c, "GET", {}, nil, 0), false, "table url raises")
    local rc = c:request("GET", "/bad\r\nX: y", nil, 0)
    assert(rc ~= B.OK, "CRLF in url refused")
    assert(B.code_is(rc, B.E_INVALIDURL) == 1 or B.code_is(rc, B.E_VALUE) == 1, "typed")
    local buf = B.buffer(8)
    local _, r = (function()
        eq(c:request("GET", "/100b", nil, 0), B.OK, "next request works")
        return c:getresponse()
    end)()
    eq(pcall(r.readinto, r, buf, 9), false, "len beyond buffer raises")
    eq(pcall(r.readinto, r, "notabuffer", 1), false, "non-buffer raises")
    c:free()
end)

check("free is idempotent, freed objects are inert, GC order free", function()
    local c, r = get(nginx, "/100b")
    c:free()       -- the response keeps the connection alive
    local rc, d = r:read(-1)
    eq(rc, B.OK, "response readable after conn free")
    eq(#d, 100, "body")
    c:free()
    eq(c:connect(), B.E_NOTCONNECTED, "inert conn")
    eq(c:error():code(), B.E_NOTCONNECTED, "error of a freed conn")
    r:free()
    r:free()
    eq(r:read(-1), B.E_NOTCONNECTED, "inert response")
    eq(r:status(), B.E_NOTCONNECTED, "inert getter")
    -- collect in every order
    for i = 1, 50 do
        local cc, rr = get(nginx, "/100b")
        if i % 2 == 0 then cc = nil else rr:read(-1) end
        collectgarbage()
        if rr then rr = nil end
        collectgarbage()
    end
    local t = B.tls_ctx_new(B.TLS_DEFAULT)
    t:free()
    t:free()
    eq(t:set_verify_mode(B.CERT_NONE), B.E_NOTCONNECTED, "inert ctx")
end)

check("debug lines kept for the caller", function()
    local c = B.conn_new(host, nginx, nil)
    c:set_debuglevel(1)
    c:set_debug_sink_buffer()
    eq(c:request("GET", "/100b", nil, 0), B.OK, "request")
    local text = c:debug_take()
    assert(text:find("send: b'GET /100b HTTP/1.1", 1, true), "send line: " .. text)
    local _, r = c:getresponse()
    r:read(-1)
    assert(c:debug_take():find("reply: 'HTTP/1.1 200 OK", 1, true), "reply line")
    eq(c:debug_take(), "", "taken")
    c:free()
end)

check("HTTPS with our CA", function()
    local port = tonumber(os.getenv("HTTPC_TEST_TLS_PORT"))
    local t = B.tls_ctx_new(B.TLS_DEFAULT)
    eq(t:load_verify_locations(os.getenv("HTTPC_TEST_CA"), nil), B.OK, "ca")
    local c = B.conn_new("localhost", port, t)
    t = nil
    collectgarbage() -- the connection keeps its context
    eq(c:request("GET", "/100b", nil, 0), B.OK, "request")
    local rc, r = c:getresponse()
    eq(rc, B.OK, "getresponse")
    local _, d = r:read(-1)
    eq(#d, 100, "body")
    eq(c:is_tls(), 1, "tls")
end)

print(string.format("%d passed, %d failed, 0 skipped", passed, failed))
os.exit(failed == 0 and 0 or 1)
